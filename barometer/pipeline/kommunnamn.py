"""Tidy step: each kommun's official name ("Falu kommun") from SCB's kommun list, as a kommun attribute.

What "official" means here (issue 12): the name SCB publishes in its kommun list in long form,
``municipality_name_long`` in SCB's generalised kommun borders ("Digitala gränser", staged as
``staffanbetner_kommun_lan_geo/sveriges_kommuner_sf_simple.gpkg``). It follows the legal name
of the kommun ("Falu kommun", "Kalmar kommun", "Malmö kommun", "Stockholms kommun",
"Gotlands kommun"), not a kommun's own brand ("Stockholms stad", "Region Gotland"), which some
kommuner use but which is not the name in the kommun register. Those self-designations are
still accepted as input by :func:`barometer.geography.resolve`.

The step checks that the file's short names equal the SCB key file's ``Kommunnamn`` for all 290
codes, so the long form belongs to the same kommun list.
"""

from __future__ import annotations

import pandas as pd

from ..exceptions import IntegrityError, SourceFormatError
from .snapshot import Manifest
from .tidy import TidyResult

KOMMUN_GPKG = "staffanbetner_kommun_lan_geo/sveriges_kommuner_sf_simple.gpkg"
TABLE = "sveriges_kommuner_sf_simple"


def kommunnamn_step(manifest: Manifest) -> TidyResult:
    """Kommun attribute ``official_name`` (long form) for the 290 kommuner of the key file."""
    from .kommunstat import _query
    from .regso import read_koppling

    df = _query(manifest, KOMMUN_GPKG,
                f'SELECT municipality_code, municipality_name, municipality_name_long FROM "{TABLE}"')
    df = df.astype(str).apply(lambda s: s.str.strip())
    bad = df[~df["municipality_code"].str.fullmatch(r"\d{4}") | ~df["municipality_name_long"].str.match(r".+ (kommun|stad)$")]
    if len(bad):
        raise SourceFormatError(KOMMUN_GPKG, f"{len(bad)} rader med ogiltig kod eller långt namn, t.ex. {bad.iloc[0].to_dict()}")
    k = read_koppling(manifest)[["Kommun", "Kommunnamn"]].drop_duplicates()
    both = k.merge(df, left_on="Kommun", right_on="municipality_code", how="left")
    missing = both[both["municipality_name_long"].isna()]["Kommun"].tolist()
    if missing:
        raise IntegrityError("kommunnamn_officiella", f"{len(missing)} kommuner saknar officiellt namn: {missing[:5]}")
    differ = both[both["Kommunnamn"] != both["municipality_name"]]
    if len(differ):
        raise IntegrityError("kommunnamn_officiella",
                             f"kortnamnen skiljer sig från nyckelfilen: {differ[['Kommun', 'Kommunnamn', 'municipality_name']].head(3).to_dict('records')}")
    attrs = pd.DataFrame({"code": both["Kommun"], "official_name": both["municipality_name_long"]})
    from ..text import kommun_label

    irregular = attrs[attrs["official_name"] != both["Kommunnamn"].map(kommun_label)]
    return TidyResult(attributes=attrs, checks=[{
        "check": "kommunnamn_officiella", "ok": len(attrs) == 290,
        "detail": f"{len(attrs)} kommuner med officiellt namn (SCB); oregelbundna: "
                  + ", ".join(irregular["official_name"].tolist())}])
