"""verify(): catalogue entries checked against (locally served) upstream metadata."""

from __future__ import annotations

from upstream_server import BISTAND, EMPLOYED, LOW, NO_KPI, Reply, scb_routes

from barometer.cli import main
from barometer.sources.geodata import WfsClient
from barometer.sources.kolada import KoladaClient
from barometer.sources.scb import PxWebClient
from barometer.sources.verify import verify


def _clients(upstream):
    return dict(scb_client=PxWebClient(upstream.scb), kolada_client=KoladaClient(upstream.kolada),
                wfs_client=WfsClient(upstream.wfs))


def test_good_entries_have_no_mismatch(upstream, sleeps):
    scb_routes(upstream)
    upstream.add("/v3/kpi/N31807", Reply(file="kolada/kpi_N31807.json"))
    assert verify([LOW, EMPLOYED, BISTAND], **_clients(upstream)) == []
    # one metadata call per table, even for several entries on it
    assert len(upstream.calls("/api/v2/tables/TAB6685/metadata")) == 1


def test_mismatches_are_listed(upstream, sleeps):
    scb_routes(upstream)
    upstream.add("/api/v2/tables/TAB9999/metadata", Reply(404, file="scb/not_found.json"))
    upstream.add("/v3/kpi/N00000", Reply(file="kolada/kpi_empty.json"))
    entries = [
        {**LOW, "id": "fel_kod", "live": {**LOW["live"], "query": {"ContentsCode": ["000008ZZ"], "Alder": ["tot"]}}},
        {**LOW, "id": "fel_kodlista", "live": {**LOW["live"], "region_codelist": "vs_DeSO2025"}},
        {**LOW, "id": "fel_variabel", "live": {**LOW["live"], "query": {"Kon": ["1"]}}},
        {**LOW, "id": "fel_grupp", "live": {**LOW["live"], "group_map": {"9": "nio"}}},
        {**LOW, "id": "fel_tabell", "live": {**LOW["live"], "table": "TAB9999"}},
        {**LOW, "id": "inget_id", "live": {**LOW["live"], "table": "HushallT33Deso"}},
        {**EMPLOYED, "id": "oklar_andel", "numerator": "förvärvsarbetande", "denominator": "alla"},
        NO_KPI,
        {**BISTAND, "id": "fel_kpi", "live": {**BISTAND["live"], "kpi": "N00000"}},
    ]
    found = {m.indicator: m for m in verify(entries, **_clients(upstream))}
    assert set(found) == {e["id"] for e in entries}
    assert "000008ZZ" in found["fel_kod"].problem and "000008AC" in found["fel_kod"].problem
    assert "vs_DeSO2025" in found["fel_kodlista"].problem and "vs_RegSO2020" in found["fel_kodlista"].problem
    assert "Kon" in found["fel_variabel"].problem
    assert "'9'" in found["fel_grupp"].problem
    assert "404" in found["fel_tabell"].problem and found["fel_tabell"].target == "TAB9999"
    assert "TABnnnn" in found["inget_id"].problem
    assert "täljare" in found["oklar_andel"].problem
    assert "KPI" in found["gymnasiebehorighet"].problem
    assert "N00000" in found["fel_kpi"].problem
    assert str(found["fel_kod"]).startswith("fel_kod (scb-pxweb-v2 TAB6685): ")


def test_cli_verify_against_the_real_catalogue(upstream, env, capsys):
    """The real catalogue against the hand-written metadata: runs, reports, exits 1 on mismatches."""
    scb_routes(upstream)
    code = main(["fetch", "--verify", "--quiet"])
    out = capsys.readouterr().out
    assert code in (0, 1)
    if code == 1:
        assert "avvikelser mellan katalogen och källorna" in out
