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
