"""Numbers and PX symbols in source files → value, status and note (one shared parser for every source).

Source cells come as text in many shapes. This module reads them all the same way, vectorised:

* **PX / PxWeb symbols** (SCB's PX-file format: a dash, or one to six dots, in quotes; SCB's
  table conventions give their meaning):

  ========  ============================================  ==================  =========
  symbol    meaning                                       status              value
  ========  ============================================  ==================  =========
  ``-``     magnitude zero: nothing to report             ``ok``              0 (noted)
  ``.``     category not applicable                       ``not_applicable``  NaN
  ``..``    not available or too uncertain to publish     ``suppressed``      NaN
  ``...``   cannot be reported                            ``suppressed``      NaN
  ``....``  – ``......``: other missing data (dot codes)  ``missing``         NaN
  ``:``     confidential (used by some PxWeb hosts)       ``suppressed``      NaN
  ========  ============================================  ==================  =========

  A value marked ``-`` is 0 *with a note* saying so, and stays distinct from a missing value.

* **Swedish number formats**: thousands separated by a space, a no-break space (U+00A0), a
  narrow no-break space (U+202F) or a thin space (U+2009); a decimal comma (``12 345,6``); the
  minus sign U+2212. Plain machine numbers (``12345.6``, ``1e3``) are read as usual.

* Anything else (``"1.234,5"``, ``"12 34"``, ``"n/a"``) raises
  :class:`~barometer.exceptions.SourceFormatError` naming the file and the cell; an empty cell is
  ``missing`` with a note. Never a silent NaN with status ``ok``.

References: SCB, "PX-file format" (data in the PX-file: dash and one to six dots; keywords
DATASYMBOLNIL, DATASYMBOL1–6), https://www.scb.se/en/services/statistical-programs-for-px-files/px-file-format/
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .exceptions import SourceFormatError

#: symbol → (status, value, note)
PX_SYMBOLS: dict[str, tuple[str, float, str]] = {
    "-": ("ok", 0.0, "'-' i källan: inget finns att redovisa (värdet är 0)"),
    ".": ("not_applicable", np.nan, "'.' i källan: uppgift kan inte förekomma"),
    "..": ("suppressed", np.nan, "'..' i källan: uppgift inte tillgänglig eller för osäker för att anges"),
    "...": ("suppressed", np.nan, "'...' i källan: uppgift kan inte redovisas"),
    "....": ("missing", np.nan, "'....' i källan: uppgift saknas"),
    ".....": ("missing", np.nan, "'.....' i källan: uppgift saknas"),
    "......": ("missing", np.nan, "'......' i källan: uppgift saknas"),
    ":": ("suppressed", np.nan, "':' i källan: sekretess, uppgift skyddad"),
}
#: The dash as typeset (en dash, minus sign) means the same as "-".
_DASHES = {"\u2013": "-", "\u2212": "-", "\u2014": "-"}
EMPTY_NOTE = "tom cell i källan"

_SEP = "[ \u00a0\u202f\u2009]"
_SIGN = "[-+\u2212]?"
_PLAIN = re.compile(rf"{_SIGN}\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?")
_GROUPED = re.compile(rf"{_SIGN}\d{{1,3}}(?:{_SEP}\d{{3}})+(?:,\d+)?")
_LEADING_DOT = re.compile(rf"{_SIGN}[.,]\d+")


def _clean(text: pd.Series) -> pd.Series:
    return (text.str.replace(_SEP, "", regex=True).str.replace(",", ".", regex=False)
            .str.replace("\u2212", "-", regex=False))


def parse_cells(cells, *, where: str, labels=None, extra_symbols: dict | None = None) -> pd.DataFrame:
    """Parse source cells into a frame with columns ``value`` (float), ``status`` and ``note``.

    Parameters
    ----------
    cells : sequence or pandas.Series
        Cell contents: text, numbers, None/NaN. Numbers pass through (NaN → ``missing``).
    where : str
        The file (or address) the cells come from, named in errors.
    labels : sequence, optional
        One label per cell (e.g. ``"rad 12, kolumn 'Antal 2023'"``) used in errors; default the
        position.
    extra_symbols : dict, optional
        More symbols for this source, ``{text: (status, value, note)}`` (e.g. Kolada flags).

    Raises
    ------
    SourceFormatError
        A cell that is neither a number in a known format nor a known symbol (the first five are
        named with their labels).
    """
    s = pd.Series(cells, dtype=object) if not isinstance(cells, pd.Series) else cells.astype(object)
    s = s.reset_index(drop=True)
    n = len(s)
    value = np.full(n, np.nan)
    status = np.full(n, "ok", dtype=object)
    note = np.full(n, "", dtype=object)
    if n == 0:
        return pd.DataFrame({"value": value, "status": status, "note": note})
    is_num = s.map(lambda v: isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
                   ).to_numpy(dtype=bool)
    is_none = s.isna().to_numpy() & ~is_num
    if is_num.any():
        nums = s[is_num].astype(float).to_numpy()
        value[is_num] = nums
        nan = np.isnan(nums)
        idx = np.flatnonzero(is_num)[nan]
        status[idx], note[idx] = "missing", "värde saknas i källan"
    status[is_none], note[is_none] = "missing", "värde saknas i källan"
    rest = ~is_num & ~is_none
    if not rest.any():
        return pd.DataFrame({"value": value, "status": status, "note": note})
    text = s[rest].astype(str).str.strip()
    for dash, plain in _DASHES.items():
        text = text.where(text != dash, plain)
    rest_idx = np.flatnonzero(rest)
    symbols = {**PX_SYMBOLS, **(extra_symbols or {})}
    unquoted = text.str.strip('"')
    sym = unquoted.isin(list(symbols)).to_numpy()
    for key in pd.unique(unquoted[sym]):
        hit = rest_idx[(unquoted == key).to_numpy()]
        st, val, nt = symbols[key]
        status[hit], value[hit], note[hit] = st, val, nt
    empty = (text == "").to_numpy() & ~sym
    status[rest_idx[empty]], note[rest_idx[empty]] = "missing", EMPTY_NOTE
    todo = ~sym & ~empty
    if todo.any():
        t = text[todo]
        ok = (t.str.fullmatch(_PLAIN) | t.str.fullmatch(_GROUPED) | t.str.fullmatch(_LEADING_DOT)).to_numpy()
        good = rest_idx[todo][ok]
        value[good] = pd.to_numeric(_clean(t[ok])).to_numpy(dtype=float)
        if not ok.all():
            bad_pos = rest_idx[todo][~ok]
            bad_text = t[~ok].tolist()
            names = [str(labels[i]) if labels is not None else f"cell {i + 1}" for i in bad_pos[:5]]
            shown = "; ".join(f"{nm}: {tx!r}" for nm, tx in zip(names, bad_text[:5]))
            raise SourceFormatError(where, f"{len(bad_pos)} celler kan inte läsas som tal eller symbol ({shown}); "
                                           "kända symboler: " + ", ".join(repr(k) for k in symbols))
    return pd.DataFrame({"value": value, "status": status, "note": note})


def parse_column(df: pd.DataFrame, column: str, *, where: str, row_offset: int = 2,
                 extra_symbols: dict | None = None) -> pd.DataFrame:
    """:func:`parse_cells` on one column of a table read from ``where`` (rows labelled as in the file).

    ``row_offset`` is the file line of the first data row (2 for a CSV with one header line).
    The result keeps ``df``'s index.
    """
    labels = [f"rad {i + row_offset}, kolumn {column!r}" for i in range(len(df))]
    out = parse_cells(df[column], where=where, labels=labels, extra_symbols=extra_symbols)
    out.index = df.index
    return out


def parse_counts(df: pd.DataFrame, column: str, *, where: str, row_offset: int = 2) -> pd.Series:
    """A column that must hold a known count in every row (e.g. röstberättigade per valdistrikt).

    Numbers in any format :func:`parse_cells` reads (and ``-`` as 0) are accepted; a missing or
    suppressed cell raises :class:`SourceFormatError` naming the rows, since the figures built
    on it would otherwise be silently wrong. Returns float values with ``df``'s index.
    """
    out = parse_column(df, column, where=where, row_offset=row_offset)
    bad = out["value"].isna().to_numpy()
    if bad.any():
        rows = [f"rad {i + row_offset}" for i in np.flatnonzero(bad)[:5]]
        raise SourceFormatError(where, f"kolumnen {column!r} saknar värde på {int(bad.sum())} rader ({', '.join(rows)}); "
                                       "ett antal måste finnas i varje rad")
    return out["value"]
