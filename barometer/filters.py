"""Validation of user filters (indicator, level, year, group, kommun, län) against what the store holds.

Every filter of :func:`barometer.data` and of the CLI goes through here, so an unknown value or a
combination that can select nothing raises a :class:`~barometer.exceptions.BarometerError` that
names the valid choices or the conflict, instead of returning an empty frame.

Functions take plain values and frames and raise; they never read files themselves except
:func:`check_indicator` (the catalogue) – the caller passes the rows to validate against.
"""

from __future__ import annotations

from functools import lru_cache

import difflib

import numpy as np
import pandas as pd

from .exceptions import (
    FilterConflictError,
    UnknownGroupError,
    UnknownIndicatorError,
    UnknownLevelError,
    YearOutOfRangeError,
)
from .textutil import fold

from .store import LEVELS  # noqa: E402  (one source of the level names)


def _close(key: str, candidates: dict[str, str], n: int = 5) -> list[str]:
    """Candidates (folded key → shown text) closest to the folded ``key``, best first."""
    hits: list[str] = [shown for k, shown in candidates.items() if k == key]
    hits += [shown for k, shown in candidates.items() if key and (k.startswith(key) or key in k)]
    hits += [candidates[k] for k in difflib.get_close_matches(key, list(candidates), n=n, cutoff=0.6)]
    return list(dict.fromkeys(hits))[:n]


def suggest_indicators(query: str, ids: list[str], n: int = 5) -> list[str]:
    """Indicators close to ``query`` by id or by Swedish label, accent- and case-insensitive.

    Returns ``'id ("Label")'`` strings, best first: ``"andel utrikes födda"`` →
    ``['andel_utrikes_fodda ("Andel utrikes födda")']``.
    """
    from . import catalog

    labels = {}
    for e in catalog.entries():
        labels[e["id"]] = e.get("label_sv", "") or ""
    shown = {i: (f'{i} ("{labels[i]}")' if labels.get(i) else i) for i in ids}
    key = fold(str(query).replace("_", " "))
    by_id = {fold(i.replace("_", " ")): shown[i] for i in ids}
    by_label = {fold(labels[i]): shown[i] for i in ids if labels.get(i)}
    exact = [v for k, v in {**by_id, **by_label}.items() if k == key]
    if exact:
        return exact[:n]
    return list(dict.fromkeys(_close(key, by_label, n) + _close(key, by_id, n)))[:n]


def check_indicator(indicator, available: list[str]) -> None:
    """Raise :class:`UnknownIndicatorError` unless ``indicator`` is an id held by the store.

    An id that is in the catalogue but not in the store says how to get it; anything else gets
    the close matches by id or Swedish label (or the list of ids if nothing is close).
    """
    from . import catalog

    if isinstance(indicator, str) and indicator in available:
        return
    if isinstance(indicator, str) and indicator in catalog.ids():
        entry = catalog.get(indicator)
        how = (f"hämta den med `barometer fetch --indicator {indicator}`" if entry.get("status") == "live"
               else "ingen öppen källa finns ännu")
        raise UnknownIndicatorError(indicator, available,
                                    hint=f"finns i katalogen men inte i datalagret ({how}); i datalagret finns")
    raise UnknownIndicatorError(str(indicator), available, suggestions=suggest_indicators(str(indicator), available))


def parse_years(years, what: str = "urvalet", available=None) -> list[int] | None:
    """``2023``, ``"2023"``, ``[2022, "2023"]``, ``"2022,2023"`` or argparse's ``["2022,2023", "2021"]``
    (``--year`` given more than once) → sorted distinct years; None or nothing → None.

    A part that is not a whole number raises :class:`YearOutOfRangeError` naming ``what`` and the
    ``available`` years (a list, or a function returning one, called only then); without them the
    message says how a year is written.
    """
    if years is None:
        return None
    items = [years] if isinstance(years, (int, str, np.integer)) else list(years)
    out = []
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if not part:
                continue
            try:
                out.append(int(part))
            except ValueError:
                valid = list(available() if callable(available) else available or [])
                raise YearOutOfRangeError(part, what, valid,
                                          context="" if valid else "ett år anges med fyra siffror, t.ex. 2023") from None
    return sorted(set(out)) or None


def check_level(level) -> None:
    """Raise :class:`UnknownLevelError` unless ``level`` is one of :data:`LEVELS`."""
    if level is not None and level not in LEVELS:
        raise UnknownLevelError(str(level), list(LEVELS))


def check_area_filters(kommun=None, lan=None, level: str | None = None) -> None:
    """Raise :class:`FilterConflictError` for area filters that exclude each other.

    ``kommun`` and ``lan`` are resolved :class:`~barometer.geography.Area` objects (or None): a
    kommun outside the län, or a level above the area filter (``--kommun`` with ``--level lan``).
    """
    if kommun is not None and lan is not None and kommun.lan_code != lan.code:
        raise FilterConflictError(
            f"{kommun.name} ({kommun.code}) ligger i {kommun.lan_name or kommun.lan_code}, inte i {lan.name} ({lan.code})",
            "Ange bara en av --kommun och --lan, eller ett län som kommunen ligger i.")
    if kommun is not None and level in ("riket", "lan"):
        raise FilterConflictError(
            f"nivån {level!r} ligger ovanför kommunen {kommun.name}; --kommun väljer kommunen och områdena i den",
            f"Ta bort --kommun, eller välj --level kommun, regso, deso eller valdistrikt"
            + (f" (länet: --lan {kommun.lan_code})" if level == "lan" else "") + ".")
    if lan is not None and level == "riket":
        raise FilterConflictError(f"nivån 'riket' ligger ovanför länet {lan.name}",
                                  "Ta bort --lan, eller välj en nivå i länet (lan, kommun, regso, deso, valdistrikt).")


def _present(series: pd.Series) -> list[str]:
    return sorted(pd.unique(series.astype(str)))


def select(df: pd.DataFrame, indicator: str | None = None, level: str | None = None, years=None,
           group: str | None = None, where: str = "") -> np.ndarray:
    """Boolean mask of ``df`` rows matching the filters, each validated against the rows left.

    Filters apply in order indicator → level → years → group, and each is checked against what
    the earlier ones leave, so the error names the choices that really exist (``where`` says
    which area filter was applied, e.g. ``"i Malmö kommun"``). Raises ``UnknownLevelError``,
    ``YearOutOfRangeError``, ``UnknownGroupError`` or ``FilterConflictError`` (nothing at all).
    """
    what = repr(indicator) if indicator else "urvalet"
    ctx = f"{what} {where}".strip()
    mask = np.ones(len(df), dtype=bool)
    if indicator is not None:
        mask &= (df["indicator"] == indicator).to_numpy()
        if not mask.any():
            raise FilterConflictError(f"{what} har inga värden {where}".strip(),
                                      "Välj ett annat område, eller ta bort områdesfiltret.")
    if level is not None:
        check_level(level)
        available = _present(df.loc[mask, "level"])
        if level not in available:
            order = [lv for lv in LEVELS if lv in available]
            raise UnknownLevelError(level, order, context=f"för {ctx}")
        mask &= (df["level"] == level).to_numpy()
    wanted = parse_years(years)
    if wanted is not None:
        present = sorted(int(y) for y in pd.unique(df.loc[mask, "year"]))
        bad = [y for y in wanted if y not in present]
        if bad:
            raise YearOutOfRangeError(bad[0], indicator or "urvalet", present,
                                      context=(f"nivå {level}" if level else "") + (f" {where}" if where else ""))
        mask &= df["year"].isin(wanted).to_numpy()
    if group is not None:
        groups = _present(df.loc[mask, "group"])
        if group not in groups:
            key = fold(str(group).replace("_", " "))
            near = _close(key, {fold(g.replace("_", " ").replace("/", " ")): g for g in groups})
            raise UnknownGroupError(str(group), indicator or "urvalet", groups, suggestions=near)
        mask &= (df["group"] == group).to_numpy()
    if not mask.any():
        raise FilterConflictError(f"inga rader för {ctx}".strip())
    return mask


def latest_report_year() -> int:
    """The latest year a report can be made for with the store's data (``max`` of store years ∩ report years).

    The one rule for a report's default year: ``barometer report`` / ``make report`` without a year,
    ``KommunReport(kommun)``, the notebooks' default and the plain file name (``2460-vannas.pdf``)
    all use it. Cached per store version. Raises :class:`YearOutOfRangeError` if the store holds
    none of the report years.
    """
    from . import store

    return _latest_report_year(store.stamp())


@lru_cache(maxsize=4)
def _latest_report_year(stamp: tuple) -> int:
    from . import store
    from .report.context import YEARS

    held = set(pd.unique(store.read_values(columns=["year"])["year"]).astype(int).tolist())
    usable = [y for y in YEARS if y in held]
    if not usable:
        raise YearOutOfRangeError("senaste", "kommunrapport", list(YEARS),
                                  hint="Datalagret saknar alla rapportår; kör `barometer build`.")
    return max(usable)


def check_report_year(year, report: str = "kommunrapport") -> int:
    """The report year as int (``None``: :func:`latest_report_year`), or :class:`YearOutOfRangeError`
    naming the years a report exists for.

    Checked before any notebook runs, so a bad year fails at once instead of in a kernel.
    """
    from .report.context import YEARS

    if year is None:
        return latest_report_year()
    try:
        y = int(str(year).strip())
    except ValueError:
        raise YearOutOfRangeError(year, report, list(YEARS)) from None
    if y not in YEARS:
        raise YearOutOfRangeError(y, report, list(YEARS))
    return y
