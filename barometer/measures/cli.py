"""The ``barometer measures`` subcommand: the published segregation measures per kommun, län and riket as CSV.

Registered by ``barometer/cli.py`` through :func:`add_parser`; :func:`run` does the work and
returns the exit code. Bad input raises barometer's own errors (``UnknownAreaError``,
``YearOutOfRangeError``), which the main CLI maps to one Swedish line and exit code 2.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["add_parser", "run", "parse_years"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``measures`` subcommand to an ``argparse`` subparsers object."""
    parser = subparsers.add_parser(
        "measures",
        help="segregationsmått per kommun, län och riket (CSV)",
        description=(
            "Skriver segregationsmåtten (D, H, isolering, exponering, områdestyper, "
            "valdeltagande per valdistrikt, inkomstspridning) som `barometer build` har "
            "beräknat och publicerat i datalagret, en rad per kommun, år och mått, som CSV."
        ),
    )
    parser.add_argument("--year", action="append", metavar="ÅR",
                        help="referensår; upprepa eller ge en kommalista, t.ex. --year 2022,2023")
    parser.add_argument("--kommun", metavar="KOMMUN", help="kommunkod (0180) eller namn (Stockholm)")
    parser.add_argument("--level", action="append", choices=["kommun", "lan", "riket"],
                        help="nivå(er) att ta med (standard: alla; med --kommun bara kommun)")
    parser.add_argument("--format", choices=["csv", "table"], default="csv",
                        help="csv (standard) eller table (läsbar tabell)")
    parser.set_defaults(func=run)
    return parser


def parse_years(values) -> list[int] | None:
    """``["2022,2023", "2021"]`` → ``[2021, 2022, 2023]``; None stays None; a bad year names the
    measures' years (:func:`barometer.filters.parse_years`)."""
    from barometer.filters import parse_years as parse
    from barometer.measures.compute import available_years

    return parse(values, "segregationsmått", available_years)


def run(args, stdout=None) -> int:
    """Read the published measures for the parsed ``args`` and write them to ``stdout``; returns 0."""
    from barometer.measures.compute import COLUMNS
    from barometer.measures.store_table import published

    out = stdout if stdout is not None else sys.stdout
    frame = published(years=parse_years(args.year), kommun=args.kommun, levels=args.level)[COLUMNS]
    if args.format == "table":
        out.write(frame.to_string(index=False) + "\n")
    else:
        frame.to_csv(out, index=False, lineterminator="\n", float_format="%.10g")
    return 0
