"""``barometer fetch``: download live indicators and boundaries into data/raw (or check the catalogue).

Registered by ``barometer/cli.py`` through ``add_parser(subparsers)``; ``run(args)`` returns the
exit status. Failures raise barometer errors, which the main CLI prints as one Swedish line
naming the address and status (exit 2).
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings

from .. import config
from ..exceptions import BarometerError, BarometerWarning


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "fetch",
        help="hämta live-indikatorer (SCB, Kolada) och områdesgränser till data/raw",
        description="Hämtar katalogens live-indikatorer till data/raw/live/<indikator>.parquet "
                    "(+ .meta.json). Ett misslyckat anrop lämnar befintliga filer orörda.",
    )
    p.add_argument("--kommun", metavar="K", help="bara områden i denna kommun (kod eller namn, t.ex. 1780 eller Karlstad)")
    p.add_argument("--indicator", metavar="I", nargs="+", action="extend", dest="indicators",
                   help="indikator-id (flera går bra); standard: alla live-indikatorer")
    p.add_argument("--geometries", action="store_true",
                   help="hämta även gränser för RegSO 2020 och DeSO 2018 (SCB:s WFS) till data/raw/geo")
    p.add_argument("--only-geometries", action="store_true", help="hämta bara gränserna, inga indikatorer")
    p.add_argument("--verify", action="store_true",
                   help="hämta inget; jämför katalogens tabell-id och koder med SCB:s/Koladas metadata")
    p.add_argument("--quiet", action="store_true", help="ingen förloppsindikator")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    from .fetch import fetch

    progress = not getattr(args, "quiet", False) and sys.stderr.isatty()
    if getattr(args, "verify", False):
        from .verify import verify

        mismatches = verify(indicators=args.indicators, progress=progress)
        if not mismatches:
            print("Katalogen stämmer med källornas metadata.")
            return 0
        print(f"{len(mismatches)} avvikelser mellan katalogen och källorna:")
        for m in mismatches:
            print(f"  - {m}")
        return 1

    if args.kommun:
        from ..geography import kommun as resolve_kommun

        try:
            args.kommun = resolve_kommun(args.kommun).code  # names and codes, as everywhere else
        except BarometerError:
            if not re.fullmatch(r"\d{4}", args.kommun):  # no store yet: a 4-digit code still works
                raise
    only_geo = getattr(args, "only_geometries", False)
    indicators = [] if only_geo else args.indicators
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        paths = fetch(indicators=indicators, kommun=args.kommun, geometries=args.geometries or only_geo,
                      progress=progress)
    for w in caught:
        if issubclass(w.category, BarometerWarning):
            print(f"barometer: obs: {w.message}", file=sys.stderr)
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    if not paths:
        print("Inget hämtades (inga hämtbara live-indikatorer valda).")
        return 0
    root = config.data_dir()
    print(f"Hämtade {len(paths)} fil(er):")
    for path in paths:
        try:
            shown = path.relative_to(root)
        except ValueError:
            shown = path
        print(f"  {shown}")
    print("Kör `barometer build` för att ta in dem i datalagret.")
    return 0
