"""Reads the published indicators-by-områdestyp table (data/store/omradestyp.parquet) with validated filters.

The build computes the table (:mod:`barometer.measures.by_omradestyp`); the API
(``barometer.data(..., by="omradestyp")``), the CLI (``barometer data --by omradestyp``), the
reports and the explorer only read and filter it here.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from . import config, store
from .exceptions import StoreMissingError, UnknownChoiceError, UnknownIndicatorError, UnknownLevelError, YearOutOfRangeError

FILE = "omradestyp.parquet"
LEVELS = ("riket", "lan", "kommun")
#: Accepted spellings of the two classifications → the stored value.
KLASSNING = {"samma_ar": "samma_ar", "samma-ar": "samma_ar", "samma år": "samma_ar", "fast": "fast"}
KLASSNING_LABEL = {"samma_ar": "samma års områdestyper", "fast": "fast indelning (2023 års områdestyper)"}
TYPE_NAMES = {
    "1": "Typ 1: stora socioekonomiska utmaningar",
    "2": "Typ 2: socioekonomiska utmaningar",
    "3": "Typ 3: socioekonomiskt blandade områden",
    "4": "Typ 4: goda socioekonomiska förutsättningar",
    "5": "Typ 5: mycket goda socioekonomiska förutsättningar",
    "1-2": "Typ 1–2: områden med socioekonomiska utmaningar",
    "4-5": "Typ 4–5: områden med goda förutsättningar",
    "skillnad": "Skillnad mellan typ 1–2 och typ 4–5",
}
COLUMNS = ["level", "area_code", "area_name", "year", "indicator", "group", "omradestyp", "omradestyp_namn",
           "klassning", "value", "unit", "numerator", "denominator", "n_regso", "status", "note", "source_id",
           "type_source_id", "kommun_code", "lan_code"]


_TEXT = ("level", "area_code", "indicator", "group", "omradestyp", "klassning", "kind", "unit", "status",
         "note", "source_id", "type_source_id", "kommun_code", "lan_code")


def _path():
    path = config.store_dir() / FILE
    if not path.is_file():
        raise StoreMissingError(str(path))
    return path


@lru_cache(maxsize=2)
def _table(stamp: tuple) -> pd.DataFrame:
    return store.as_text(pd.read_parquet(_path()), _TEXT)


@lru_cache(maxsize=64)
def _unit(stamp: tuple, level: str, code: str) -> pd.DataFrame:
    import pyarrow.parquet as pq

    # a Parquet filter: an explorer session reads its kommun's and riket's rows, not the whole table
    t = pq.read_table(_path(), filters=[("level", "=", level), ("area_code", "=", code)])
    return store.as_text(t.to_pandas(), _TEXT).reset_index(drop=True)


def unit(level: str, code: str) -> pd.DataFrame:
    """Every row of one unit (e.g. ``("kommun", "1280")``), read with a Parquet filter and cached per
    store version (fast for views that switch kommun often); empty if the unit has no rows."""
    return _unit(store.stamp(), level, code)


def table() -> pd.DataFrame:
    """The whole published table (cached per store version); columns as in ``by_omradestyp.COLUMNS``."""
    return _table(store.stamp())


def klassning_value(klassning: str | None) -> str:
    """``samma_ar`` / ``samma-ar`` / ``fast`` (or None → ``samma_ar``) → the stored value."""
    if klassning is None:
        return "samma_ar"
    key = str(klassning).strip().lower()
    if key not in KLASSNING:
        raise UnknownChoiceError("klassning", klassning, ["samma_ar", "fast"],
                                 hint="samma_ar = samma års områdestyper, fast = 2023 års typer för alla år.")
    return KLASSNING[key]


def indicators() -> list[str]:
    """Indicators held by områdestyp."""
    return sorted(table()["indicator"].unique())


def select(indicator: str, level: str | None = None, years=None, kommun: str | None = None,
           lan: str | None = None, group: str | None = None, klassning: str | None = None,
           omradestyp=None) -> pd.DataFrame:
    """Rows of one indicator by områdestyp, filtered; see :func:`barometer.api.data` (``by="omradestyp"``).

    ``level`` defaults to ``kommun`` with ``kommun``, ``lan`` with ``lan`` (with ``level="kommun"``:
    the kommuner of that län), else all three levels. ``klassning`` defaults to ``samma_ar``.
    Returns :data:`COLUMNS` with ``df.attrs["provenance"]``; raises a ``BarometerError``
    subclass naming the valid choices for any unknown value.
    """
    from .geography import kommun as _kommun
    from .geography import lan as _lan

    df = table()
    held = indicators()
    if indicator not in held:
        raise UnknownIndicatorError(indicator, held, hint="finns inte per områdestyp (bara indikatorer på RegSO-nivå); "
                                                         "per områdestyp finns")
    klass = klassning_value(klassning)
    if level is not None and level not in LEVELS:
        raise UnknownLevelError(level, list(LEVELS))
    if kommun is not None and lan is not None:
        raise UnknownChoiceError("områdesfilter", f"kommun={kommun}, lan={lan}", ["kommun", "lan"],
                                 hint="Ange antingen kommun eller län.")
    if kommun is not None:
        if level not in (None, "kommun"):
            raise UnknownLevelError(level, ["kommun"])
        level = "kommun"
    if lan is not None and level is None:
        level = "lan"
    if lan is not None and level == "riket":
        raise UnknownLevelError(level, ["lan", "kommun"])
    mask = (df["indicator"] == indicator) & (df["klassning"] == klass)
    if level is not None:
        mask &= df["level"] == level
    if kommun is not None:
        mask &= df["area_code"] == _kommun(kommun).code
    if lan is not None:
        code = _lan(lan).code
        mask &= (df["lan_code"] == code)
    if group is not None:
        groups = sorted(df.loc[(df["indicator"] == indicator), "group"].unique())
        if group not in groups:
            raise UnknownChoiceError("grupp", group, groups)
        mask &= df["group"] == group
    if years is not None:
        years = [int(y) for y in ([years] if isinstance(years, (int, str)) else years)]
        available = sorted(int(y) for y in df.loc[(df["indicator"] == indicator) & (df["klassning"] == klass), "year"].unique())
        bad = [y for y in years if y not in available]
        if bad:
            hint = "Klassning fast täcker 2020–2023." if klass == "samma_ar" else ""
            raise YearOutOfRangeError(bad[0], indicator, available, context=KLASSNING_LABEL[klass], hint=hint)
        mask &= df["year"].isin(years)
    if omradestyp is not None:
        wanted = [str(t) for t in ([omradestyp] if isinstance(omradestyp, (int, str)) else omradestyp)]
        bad = [t for t in wanted if t not in TYPE_NAMES]
        if bad:
            raise UnknownChoiceError("omradestyp", bad[0], list(TYPE_NAMES))
        mask &= df["omradestyp"].isin(wanted)
    out = df[mask].copy()
    from .vintages import names_for  # each name from the vintage of the row's year

    out["area_name"] = names_for(out)
    out["omradestyp_namn"] = out["omradestyp"].map(TYPE_NAMES)
    out = out[COLUMNS].reset_index(drop=True)
    src = store.sources_table()
    ids = set(out["source_id"]) | set(out["type_source_id"])
    out.attrs["provenance"] = src[src["source_id"].isin(ids)].to_dict("records")
    return out


def by_choice(by) -> None:
    """Check the ``by`` option of ``barometer.data`` (only ``omradestyp`` is a split)."""
    if by != "omradestyp":
        hint = "klassning gäller bara med uppdelning per områdestyp (CLI: --by omradestyp)." if by is None else ""
        raise UnknownChoiceError("by", by, ["omradestyp"], hint=hint)


CLI_COLUMNS = ["level", "area_code", "area_name", "year", "indicator", "group", "omradestyp", "klassning", "value",
               "unit", "numerator", "denominator", "n_regso", "status", "note", "source_id"]


def print_cli(args, years) -> int:
    """``barometer data INDICATOR --by omradestyp ...``: print the rows as CSV or a table."""
    import sys

    df = select(args.indicator, level=args.level, years=years, kommun=args.kommun, lan=args.lan,
                group=args.group, klassning=args.klassning) if args.by else by_choice(None)
    view = df[CLI_COLUMNS]
    if args.format == "csv":
        view.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(view.drop(columns=["source_id"]).to_string(index=False, max_rows=80))
    return 0
