"""Pure, vectorised segregation measures over area counts, for all units × years in one call.

One index per module (``dissimilarity``, ``theil``, ``exposure``, ``share``, ``omradestyp``,
``ojamlikhet``, ``contrasts``); shared checks in ``_checks``; the group-by in ``_groups``;
input adapters in ``inputs``; the real-data run in ``compute`` (run once by ``barometer build``);
the published table in ``store_table`` (:func:`published`, what views read); the subcommand in ``cli``.

Every function takes a plain DataFrame with one row per area (and year), count columns and
hierarchy key columns, and groups by ``by`` (e.g. ``("kommun_code", "year")``) with
``np.bincount`` sums: there is no Python loop over kommuner.

:data:`INDICES` holds one frozen :class:`Measure` record per index (Swedish label, range,
reference, PySAL equivalent) for the catalogue, reports and app; it does no maths.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from barometer.measures.contrasts import extremes, spread
from barometer.measures.dissimilarity import dissimilarity
from barometer.measures.exposure import exposure, isolation
from barometer.measures.ojamlikhet import inkomstspridning, ojamlikhetsindex
from barometer.measures.omradestyp import OMRADESTYPER, omradestyp_change, omradestyp_summary
from barometer.measures.share import share
from barometer.measures.theil import multigroup_theil, theil


@dataclass(frozen=True)
class Measure:
    """Description of one index (no maths of its own)."""

    id: str
    label_sv: str
    range: str
    reading: str
    reference: str
    pysal: str
    function: Callable


INDICES: dict[str, Measure] = {
    m.id: m
    for m in (
        Measure("D", "Olikhetsindex (dissimilaritetsindex) D", "0–1",
                "andel av gruppen som skulle behöva flytta för jämn fördelning",
                "Duncan & Duncan (1955), American Sociological Review 20(2), 210–217",
                "segregation.singlegroup.Dissim", dissimilarity),
        Measure("H", "Theils informationsindex H", "0–1",
                "hur mycket av kommunens mångfald som inte finns inom områdena",
                "Theil & Finizza (1971), J. Math. Sociology 1(2), 187–193; "
                "Reardon & Firebaugh (2002), Sociological Methodology 32, 33–67",
                "segregation.singlegroup.Entropy", theil),
        Measure("H_multi", "Theils H för flera grupper", "0–1",
                "som H, över fler än två grupper",
                "Reardon & Firebaugh (2002), Sociological Methodology 32, 33–67",
                "segregation.multigroup.MultiInfoTheory", multigroup_theil),
        Measure("xPx", "Isoleringsindex xPx", "P–1",
                "gruppens andel i området där en genomsnittlig gruppmedlem bor",
                "Bell (1954), Social Forces 32(4), 357–364; Lieberson (1981)",
                "segregation.singlegroup.Isolation", isolation),
        Measure("xPy", "Exponeringsindex xPy", "0–1",
                "den andra gruppens andel i området där en genomsnittlig gruppmedlem bor",
                "Bell (1954); Lieberson (1981); Massey & Denton (1988), Social Forces 67(2), 281–315",
                "segregation.singlegroup.Interaction", exposure),
        Measure("P", "Gruppens andel", "0–1", "gruppens andel av befolkningen",
                "Massey & Denton (1988)", "", share),
        Measure("ojamlikhetsindex", "Ojämlikhetsindex", "0–100",
                "andel av låginkomsttagarna som skulle behöva flytta för att bo som höginkomsttagarna",
                "Delmos, Segregationsbarometern, Användarhandbok bilaga 5; Duncan & Duncan (1955)",
                "segregation.singlegroup.Dissim (× 100, grupper Q1 och Q5)", ojamlikhetsindex),
        Measure("inkomstspridning", "Inkomstspridning mellan RegSO (ersättningsmått, ej ojämlikhetsindex)",
                "0– (cv); ≥ 1 (kvot)", "skillnader i medellöneinkomst mellan områden",
                "Allison (1978), American Sociological Review 43(6), 865–880", "", inkomstspridning),
    )
}

__all__ = [
    "Measure", "INDICES", "OMRADESTYPER",
    "dissimilarity", "theil", "multigroup_theil", "isolation", "exposure", "share",
    "ojamlikhetsindex", "inkomstspridning", "omradestyp_summary", "omradestyp_change",
    "extremes", "spread", "compute_all", "published",
]


def compute_all(years=None, kommun=None, levels=None):
    """Every measure on the store's data; see :func:`barometer.measures.compute.compute_all`."""
    from barometer.measures.compute import compute_all as _compute_all

    return _compute_all(years=years, kommun=kommun, levels=levels)


def published(years=None, kommun=None, levels=None, measures=None):
    """The measures as ``barometer build`` published them; see :func:`barometer.measures.store_table.published`."""
    from barometer.measures.store_table import published as _published

    return _published(years=years, kommun=kommun, levels=levels, measures=measures)
