"""Downloads for the explorer: CSV safe against spreadsheet formula injection, PNG of a chart, as data: URI links."""

from __future__ import annotations

import base64
import io
import math

import pandas as pd

from barometer.app.templating import render

#: A cell starting with one of these is read as a formula by Excel/LibreOffice/Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def sanitize_cell(value):
    """Prefix a text cell that starts like a formula with a single quote (OWASP CSV injection advice).

    Numbers are returned unchanged: a negative number is data, not a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def sanitize_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell and column name passed through :func:`sanitize_cell`."""
    out = df.copy()
    out.columns = [sanitize_cell(str(c)) for c in out.columns]
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(sanitize_cell)
    return out


#: Significant digits kept for a non-integral value in a CSV (17,23 %; 0,2967; 389,2 tkr).
CSV_DIGITS = 4


def csv_number(value) -> str:
    """A number as a Swedish CSV cell: whole values (counts, years) without decimals, others rounded
    to :data:`CSV_DIGITS` significant digits (at least one decimal), trailing zeros dropped; NaN → ``""``.

    >>> [csv_number(v) for v in (48292.0, 17.226455727656756, 0.29672, 389.23, 5.4, -1.5, float("nan"))]
    ['48292', '17,23', '0,2967', '389,2', '5,4', '-1,5', '']
    """
    if value is None or pd.isna(value):
        return ""
    v = float(value)
    if v == round(v) and abs(v) < 1e15:
        return str(int(round(v)))
    decimals = max(1, CSV_DIGITS - 1 - math.floor(math.log10(abs(v))))
    return f"{v:.{decimals}f}".rstrip("0").rstrip(".").replace(".", ",")


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV for Swedish spreadsheets: UTF-8 with BOM, ``;`` separator, decimal comma, sanitised cells.

    Numbers in float (or mixed) columns go through :func:`csv_number`: counts as integers, shares
    and ratios rounded (no ``48292,0`` or ``17,226455727656756``).
    """
    out = sanitize_frame(df)
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]) or (
                out[col].dtype == object and out[col].map(lambda x: isinstance(x, float)).any()):
            out[col] = out[col].map(lambda x: csv_number(x) if isinstance(x, (float, int)) and not isinstance(x, bool)
                                    else x)
    text = out.to_csv(index=False, sep=";", decimal=",", lineterminator="\n")
    return ("\ufeff" + text).encode("utf-8")


def figure_png(fig, dpi: int = 110) -> bytes:
    """PNG bytes of a matplotlib figure."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def data_uri(payload: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def link(payload: bytes, filename: str, mime: str, label: str, css_class: str = "bm-download") -> dict:
    """A download as data for the ``download`` macro (``templates/macros.html.j2``): ``href`` (a data: URI,
    no server round trip, no network), ``filename``, ``label``, ``css_class``."""
    return {"href": data_uri(payload, mime), "filename": filename, "label": label, "css_class": css_class}


def download_link(payload: bytes, filename: str, mime: str, label: str, css_class: str = "bm-download") -> str:
    """An HTML anchor that downloads ``payload`` from a data: URI (no server round trip, no network)."""
    return render("download_link.html.j2", link=link(payload, filename, mime, label, css_class))
