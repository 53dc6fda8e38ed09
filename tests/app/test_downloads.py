"""CSV downloads are safe against spreadsheet formula injection; links are data: URIs."""

import base64

import pandas as pd
import pytest

from barometer.app.downloads import csv_bytes, download_link, sanitize_cell, sanitize_frame


@pytest.mark.parametrize("bad", ["=1+1", "+46 8 123", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_formula_like_text_is_prefixed(bad):
    assert sanitize_cell(bad) == "'" + bad


@pytest.mark.parametrize("ok", ["Malmö", "RegSO-Holma", "", " =x", "1280", 3.5, -2.0, 7, None])
def test_other_cells_unchanged(ok):
    assert sanitize_cell(ok) == ok or (ok != ok)


def test_csv_bytes_sanitises_cells_and_headers_keeps_negative_numbers():
    df = pd.DataFrame({"=namn": ["=cmd|' /C calc'!A0", "Malmö"], "värde": [-1.5, 35.9]})
    text = csv_bytes(df).decode("utf-8-sig")
    lines = text.strip().split("\n")
    assert lines[0] == "'=namn;värde"
    assert lines[1] == "'=cmd|' /C calc'!A0;-1,5"
    assert lines[2] == "Malmö;35,9"
    assert sanitize_frame(df)["värde"].tolist() == [-1.5, 35.9]


def test_download_link_is_data_uri_with_escaped_name():
    link = download_link(b"a;b\n", 'x"<y>.csv', "text/csv", "Ladda ner <CSV>")
    assert 'download="x&#34;&lt;y&gt;.csv"' in link  # markupsafe writes " as &#34;
    assert "Ladda ner &lt;CSV&gt;" in link
    payload = link.split("base64,")[1].split('"')[0]
    assert base64.b64decode(payload) == b"a;b\n"


def test_csv_numbers_counts_as_integers_shares_rounded():
    from barometer.app.downloads import csv_number

    assert csv_number(48292.0) == "48292" and csv_number(10551707.0) == "10551707"
    assert csv_number(17.226455727656756) == "17,23" and csv_number(0.29672) == "0,2967"
    assert csv_number(389.23) == "389,2" and csv_number(float("nan")) == ""
    df = pd.DataFrame({"mått": ["Befolkning", "Andel"], "värde": [48292.0, 17.226455727656756], "år": [2023, 2023]})
    lines = csv_bytes(df).decode("utf-8-sig").splitlines()
    assert lines[1:] == ["Befolkning;48292;2023", "Andel;17,23;2023"]


def test_explorer_csv_has_no_float_noise(real_store):
    import re

    from barometer.app.explorer import Explorer

    csv = Explorer(kommun="0381").make_csv().decode("utf-8-sig")
    assert "0381;Enköping;nyckeltal;Enköping;2023;Befolkning;48292;" in csv
    values = [line.split(";")[6] for line in csv.splitlines()[1:]]
    assert not [v for v in values if re.fullmatch(r"-?\d+,0+|-?\d*,\d{6,}", v)]  # no ",0" nor float noise
    assert csv.splitlines()[0] == "kommunkod;kommun;avsnitt;område;år;mått;värde;områdeskod;källa"
