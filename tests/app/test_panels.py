"""Utforska's panels: the facts as data (hand-made frames, no HTML), and the templates' markup the
browser tests and benchmarks rely on (classes, data attributes), escaped."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from barometer.app import panels
from barometer.app.templating import TEMPLATES, render

APP = Path(panels.__file__).resolve().parent


def _income(n):
    tkr = np.linspace(500.0, 100.0, n)
    return pd.DataFrame({"regso": [f"Område {i}" for i in range(n)], "tkr": tkr, "år": 2023})


def test_income_facts_and_gap_after_the_twelve_highest():
    v = panels.income(_income(30))
    assert v["year"] == 2023 and v["highest"] == {"name": "Område 0", "tkr": 500.0}
    assert v["lowest"]["tkr"] == 100.0 and v["difference"] == 400.0 and v["times"] == 5.0
    assert v["median"] == pytest.approx(300.0)
    assert len(v["bars"]) == 24 and v["gap_after"] == 12 and v["hidden"] == 6
    assert v["bars"][0]["width"] == 100.0 and v["bars"][-1]["width"] == 20.0
    few = panels.income(_income(5))
    assert len(few["bars"]) == 5 and few["gap_after"] is None and few["hidden"] == 0
    assert panels.income(_income(0)) == {"empty": True}

    html = render("income.html.j2", **v)
    assert html.count('class="bm-bar"') == 24 and html.count('class="bm-gap"') == 1
    assert "… 6 RegSO till …" in html and 'style="width:100.0%"' in html
    assert "5,0 gånger så mycket" in html and "12 högsta och 12 lägsta" in html
    assert "12 högsta" not in render("income.html.j2", **few)


def test_turnout_spread_top_and_bottom_five():
    t = pd.DataFrame({"valdistrikt": [f"D{i}" for i in range(12)], "valdeltagande": np.linspace(92.0, 70.0, 12),
                      "röstberättigade": 1000})
    v = panels.turnout(t)
    assert v["n"] == 12 and v["spread"] == pytest.approx(22.0)
    assert [r[0] for r in v["table"]["rows"]] == ["Högst"] * 5 + ["Lägst"] * 5
    assert v["table"]["rows"][5][1] == "D11"  # the lowest first among the lowest
    assert v["table"]["numeric"] == [False, False, True, True]
    assert panels.turnout(t.head(1)) == {"empty": True}
    html = render("turnout.html.j2", **v)
    assert "12 valdistrikt" in html and "22,0 procentenheter" in html and '<td class="n">' in html


def test_measures_table_or_the_reason_there_is_none():
    m = pd.DataFrame({2018: [0.31234, np.nan], 2023: [0.3, 0.1]}, index=["D utrikes födda", "H"])
    v = panels.measures(m, "")
    assert v["table"]["columns"] == ["Mått", "2018", "2023"]
    assert v["table"]["rows"][0] == ["D utrikes födda", "0,312", "0,300"] and v["table"]["rows"][1][1] == "–"
    none = panels.measures(None, "Måtten är inte publicerade <ännu>")
    assert none["table"] is None
    assert "<p>Måtten är inte publicerade &lt;ännu&gt;</p>" in render("measures.html.j2", **none)


def test_head_tips_and_status_escape_what_comes_from_data():
    d = SimpleNamespace(code="0180", label="Stockholms <stad>", lan_name="Stockholms län", skr_grupp="")
    html = render("head.html.j2", **panels.head(d))
    assert re.search(r'<div class="bm-head" data-kommun="0180"><h2>Stockholms &lt;stad&gt;</h2>', html)
    assert "SKR-kommungrupp" not in html
    assert "SKR-kommungrupp: Storstäder" in render("head.html.j2", **panels.head(SimpleNamespace(**{**vars(d), "skr_grupp": "Storstäder"})))

    v = panels.tips(["Första <b>", "", "Andra"])
    assert v == {"tips": ["Första <b>", "Andra"]}
    html = render("tips.html.j2", **v)
    assert '<ul class="bm-tips"><li>Första &lt;b&gt;</li><li>Andra</li></ul>' in html

    s = panels.not_found("<script>", ["Malmö", "Mölndal"])
    assert s == {"text": "<script>", "suggestions": "Malmö och Mölndal"}
    html = render("status.html.j2", **s)
    assert html.startswith('<span class="bm-status">') and "&lt;script&gt;" in html and "Menade du Malmö och Mölndal?" in html
    assert "Menade" not in render("status.html.j2", **panels.not_found("x", []))


def test_table_shape_and_markup():
    t = panels.table(pd.DataFrame({"Mått": ["a<"], "Värde": [1.5]}), {"Värde"})
    assert t == {"columns": ["Mått", "Värde"], "numeric": [False, True], "rows": [["a<", "1.5"]]}
    html = render("compare.html.j2", a="A", b="B", table=t)
    assert html == ('<div class="bm-panel"><h3>Jämförelse: A och B</h3><table><thead><tr><th>Mått</th><th class="n">Värde</th>'
                    '</tr></thead><tbody><tr><td>a&lt;</td><td class="n">1.5</td></tr></tbody></table></div>')


def test_no_markup_in_the_explorers_python():
    """Every explorer module leaves its HTML to templates/ (the kind of leftover this guards against)."""
    tag = re.compile(r"""["'][^"'\n]*<(?:div|span|p|b|li|ul|table|tr|td|th|h[1-6]|a|br|code|style)[\s>/]""")
    found = [f"{p.name}:{i}" for p in sorted(APP.glob("*.py")) for i, line in enumerate(p.read_text().splitlines(), 1)
             if tag.search(line) and not line.lstrip().startswith("#")]
    assert found == []
    assert "<style>" in render("style.html.j2") and ".bm-head h2" in render("style.html.j2")
    assert {p.name for p in TEMPLATES.glob("*.html.j2")} >= {"head.html.j2", "tips.html.j2", "status.html.j2", "macros.html.j2"}


def test_share_link_names_the_kommun_and_the_comparison():
    v = panels.share("1280", "Malmö")
    assert v == {"query": "?kommun=1280", "kommun": "1280", "jamfor": "", "label": "Malmö"}
    v = panels.share("1280", "Malmö", ("1281", "Lund"))
    assert v["query"] == "?kommun=1280&jamfor=1281" and v["label"] == "Malmö jämfört med Lund"
    html = render("share.html.j2", **v)
    assert '<a class="bm-share" href="?kommun=1280&amp;jamfor=1281" data-kommun="1280" data-jamfor="1281">' in html
    assert "Länk till den här vyn" in html
