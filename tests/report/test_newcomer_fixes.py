"""What a newcomer found in the reports: older years, zero counts, the län report's summary and sources,
the index of all report kinds, ranges that must not break."""

from __future__ import annotations

import pytest

from barometer import text
from barometer.report import KommunReport, LanReport, batch
from barometer.report.context import type_count_sentence
from barometer.report.templating import nowrap_ranges

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_type_count_sentence_reads_naturally():
    s = type_count_sentence({1: 0, 2: 0, 3: 1, 4: 2, 5: 0}, 2023)
    assert "inget av kommunens 3 RegSO-områden typ 1 eller 2" in s and "0 av" not in s
    assert "2 har typ 4 eller 5" in s
    assert "alla 2 har typ 1 eller 2" in type_count_sentence({1: 1, 2: 1}, 2022)
    assert "kommunens enda RegSO-område typ 3" in type_count_sentence({3: 1}, 2023)
    assert "alla kommunens 4 RegSO-områden av typ 3" in type_count_sentence({3: 4}, 2023)
    both = type_count_sentence({1: 1, 3: 2, 5: 1}, 2023)
    assert both.startswith("Enligt områdestyperna 2023 har 1 av kommunens 4 RegSO-områden typ 1 eller 2")


def test_vannas_summary_states_the_counts_once():
    s = KommunReport("2460", 2023).sammanfattning()["sentences"]
    joined = " ".join(s)
    assert "0 av dem" not in joined and "Inget" not in joined[:1]
    assert "inget av kommunens 3 RegSO-områden typ 1 eller 2" in joined
    assert joined.count("typ 1") <= 2 and joined.count("kan ") == 1  # no second sentence repeating the counts


def test_omradestyper_change_column_only_with_an_earlier_type_year():
    now = KommunReport("2460", 2023).omradestyper()
    assert now["previous"] == 2022 and "Förändring sedan 2022" in now["table"]["header"]
    old = KommunReport("2460", 2020).omradestyper()
    assert old["year"] == 2022 and old["previous"] is None
    assert not any(h.startswith("Förändring") for h in old["table"]["header"])
    assert all(len(r) == len(old["table"]["header"]) for r in old["table"]["rows"])
    html = old.html()
    assert "Områdestyper finns inte för 2020" in html and "områdestyperna 2022" in html
    assert "bytte områdestyp" not in html
    assert "0\u00a0%" in html and ">0,0\u00a0%<" not in html.split("Länet")[1].split("</tr>")[1]


def test_turnout_table_says_district_figures_exclude_votes_outside_districts():
    v = KommunReport("2460", 2023).valdeltagande()
    assert "utanför distrikten" in v["table"]["caption"] and "*" in v["table"]["header"][2]


def test_an_older_year_gets_its_own_file_name():
    area = batch.resolve_kommun("2460")
    assert batch.output_stem(area) == batch.output_stem(area, batch.default_year()) == "2460-vannas"
    assert batch.output_stem(area, 2020) == "2460-vannas-2020"


def test_index_lists_every_report_kind_with_counts(tmp_path):
    for name in ("2460-vannas", "2460-vannas-2020", "lan-12-skane-lan", "riket-2023"):
        (tmp_path / f"{name}.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "2460-vannas.pdf").write_bytes(b"%PDF")
    page = batch.write_index(tmp_path).read_text(encoding="utf-8")
    assert "2 kommunrapporter, 1 länsrapport och 1 riksrapport." in page
    for href in ("2460-vannas.html", "2460-vannas-2020.html", "lan-12-skane-lan.html", "riket-2023.html",
                 "2460-vannas.pdf"):
        assert f'href="{href}"' in page
    assert "Skåne län" in page and "Vännäs kommun 2020" in page
    for name in ("2460-vannas-2020", "lan-12-skane-lan", "riket-2023"):
        (tmp_path / f"{name}.html").unlink()
    assert "1 kommunrapport." in batch.write_index(tmp_path).read_text(encoding="utf-8")


def test_resume_looks_at_the_year_s_own_file(tmp_path):
    area = batch.resolve_kommun("2460")
    (tmp_path / "2460-vannas.html").write_text("x", encoding="utf-8")
    (tmp_path / "2460-vannas.pdf").write_bytes(b"%PDF")
    assert not batch.is_current(area, 2020, tmp_path, "abc")  # the 2023 pair is not the 2020 report


def test_number_ranges_do_not_break():
    assert str(nowrap_ranges("RegSO typ 1–2 / 4–5")) == \
        'RegSO typ <span class="nw">1–2</span> / <span class="nw">4–5</span>'
    assert str(nowrap_ranges("typ 1-2 eller 4-5")).count("–") == 2
    assert str(nowrap_ranges("2025-05-14")) == "2025-05-14" and str(nowrap_ranges("<b>")) == "&lt;b&gt;"


def test_lan_report_has_summary_and_sources():
    r = LanReport("12", 2023)
    s = r.sammanfattning()
    f = s["facts"]
    joined = " ".join(s["sentences"])
    assert joined.startswith(f"Skåne län hade {text.num(f['lan']['befolkning'])} invånare 2023 i 33 kommuner")
    assert f"riket {text.pct(f['riket']['andel_utrikes'])}" in joined
    assert "Störst skillnad mellan områdestyperna 2023" in joined
    d = f["D_kommuner"]
    hi = max(d, key=d.get)
    assert f"högst i {r.kommuner.set_index('code').loc[hi, 'name']}" in joined
    k = r.kommuner_table()
    assert k["source"].startswith("Källa: ") and "Valmyndigheten" in k["source"]
    m = r.metod_och_kallor()
    publishers = {row[0] for row in m["table"]["rows"]}
    assert {"SCB", "Valmyndigheten"} <= publishers
    assert all(row[2] and row[3] for row in m["table"]["rows"])  # year and version of every source
    assert "<h2>Sammanfattning</h2>" in s.html() and "<h2>Metod och källor</h2>" in m.html()


def test_a_one_kommun_lan_reads_well():
    s = " ".join(LanReport("09", 2023).sammanfattning()["sentences"])
    assert "i en enda kommun" in s and "1 kommun" not in s
    assert "länets enda kommun med minst tre RegSO-områden" in s
