"""Sentences that say increased/decreased or higher/lower never print equal numbers (one rule: barometer.text.direction)."""

from __future__ import annotations

import re

import pytest

from barometer.text import compare_word, direction

WORD = re.compile(r"\b(ökat|minskat|ökade|minskade|högre än|lägre än|större än|mindre än)\b")
FROM_TO = re.compile(r"från (\d[\d\u00a0]*(?:,\d+)?)(?:\u00a0%)? (?:år \d{4} )?till (\d[\d\u00a0]*(?:,\d+)?)")


def test_direction_on_displayed_values():
    assert direction(0.2967, 0.3046, 2) == 0  # Enköping's D: both print as 0,30
    assert direction(0.2967, 0.3046, 3) == 1  # 0,297 → 0,305
    assert direction(0.31, 0.29, 2) == -1
    assert direction(84.04, 83.96, 1) == 0  # 84,0 % both
    assert direction(84.04, 83.94, 1) == -1
    assert compare_word(50.0, 50.04, 1) == "lika"
    assert compare_word(50.0, 50.06, 1, ("minskade", "oförändrat", "ökade")) == "ökade"


@pytest.mark.parametrize("code", ["0381", "1280", "0380", "0180", "2584"])  # Enköping, Malmö, Uppsala, Stockholm, Kiruna
def test_tips_never_contradict_themselves(code):
    from barometer.app.model import KommunData
    from barometer.app.omradestyp_panel import lead

    data = KommunData(code)
    sentences = list(data.tips())
    sentences.append(lead(code, data.name, data.omradestyp_year or 2023))
    for s in sentences:
        if not WORD.search(s):
            continue
        for a, b in FROM_TO.findall(s):
            assert a != b, s
    if code == "0381":
        d = [s for s in sentences if "olikhetsindex D" in s]
        assert d and "från 0,30 år 2020 till 0,30" not in d[0]


def test_with_year_does_not_repeat_the_labels_year():
    from barometer.text import with_year

    assert with_year("Valdeltagande riksdagsval 2022", 2022) == "Valdeltagande riksdagsval 2022"
    assert with_year("Andel hyresrätter", 2023) == "Andel hyresrätter 2023"
    assert with_year("Befolkning", None) == "Befolkning"


def test_differences_are_those_of_the_printed_values():
    """'389 tkr … 190 tkr: en skillnad på 199 tkr' (not 200 from the unrounded values)."""
    import re

    from barometer.app.model import KommunData

    for code in ("0381", "1280", "0380"):
        for s in KommunData(code).tips():
            m = re.search(r"\((\d+)\u00a0tkr\) och lägst i .*?\((\d+)\u00a0tkr\): en skillnad på (\d+) tkr", s)
            if m:
                assert int(m[1]) - int(m[2]) == int(m[3]), s
            m = re.search(r"\((\d+,\d)\u00a0%\) och lägst i .*?\((\d+,\d)\u00a0%\), en skillnad på (\d+,\d) procentenheter", s)
            if m:
                a, b, d = (float(x.replace(",", ".")) for x in m.groups())
                assert round(a - b, 1) == d, s
