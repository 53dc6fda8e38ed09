"""The ``barometer report`` subcommand: one kommun, or ``--all`` in a process pool with resume."""

from __future__ import annotations

import argparse
import sys

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "report", help="kommunrapport som HTML och PDF (en kommun eller --all)",
        description="Kör notebooks/kommunrapport.ipynb för en kommun (eller alla 290) och skriver "
                    "reports/<kod>-<namn>.html och .pdf (för ett annat år än datalagrets senaste: <kod>-<namn>-<år>.*) "
                    "samt reports/index.html.")
    p.add_argument("kommun", nargs="?", help="kommunkod (\"0180\") eller namn (\"malmo\")")
    p.add_argument("--all", action="store_true", help="alla 290 kommuner")
    p.add_argument("--lan", help="länsrapport i stället: länskod (\"12\") eller namn (\"Skåne\")")
    p.add_argument("--riket", action="store_true", help="riksrapport: riket per områdestyp (notebooks/riksrapport.ipynb)")
    p.add_argument("--year", type=int, default=None,
                   help="referensår (2020–2023; standard: datalagrets senaste år)")
    p.add_argument("--out", default=None, help="utmapp (standard reports/)")
    p.add_argument("--workers", type=int, default=2, help="antal processer för --all (standard 2)")
    p.add_argument("--engine", choices=("inprocess", "papermill"), default="inprocess",
                   help="båda kör notebooken med papermill: inprocess (papermill-motorn \"barometer\", utan "
                        "Jupyter-kärna; standard) eller papermill (en Jupyter-kärna per rapport)")
    p.add_argument("--no-pdf", action="store_true", help="bara HTML")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--resume", dest="resume", action="store_true", default=True,
                   help="hoppa över rapporter som redan är aktuella (standard)")
    g.add_argument("--force", dest="resume", action="store_false", help="skriv om alla rapporter")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    from ..geography import kommun as resolve_kommun
    from . import batch

    given = [name for name, on in (("en kommun", args.kommun), ("--all", args.all), ("--lan", args.lan),
                                   ("--riket", args.riket)) if on]
    if not given:
        print("barometer report: fel: ange en kommun, --all, --lan LÄN eller --riket "
              "(se `barometer report --help`).", file=sys.stderr)
        return 2
    if len(given) > 1:
        print(f"barometer report: fel: {' och '.join(given)} kan inte kombineras; ange bara en av en kommun, "
              "--all, --lan LÄN eller --riket.", file=sys.stderr)
        return 2
    if args.year is None:
        from ..filters import latest_report_year

        args.year = latest_report_year()
    if args.riket:
        from .riket import run_cli

        return run_cli(args)
    from ..filters import check_report_year

    check_report_year(args.year, "länsrapport" if args.lan else "kommunrapport")  # at once, before any kernel
    if args.lan:
        return _written(batch.render_lan(args.lan, args.year, args.out, engine=args.engine,
                                         pdf=not args.no_pdf), args.out)  # UnknownAreaError → exit 2
    if args.all:
        results = batch.run_batch(None, args.year, args.workers, args.out, args.resume,
                                  engine=args.engine, pdf=not args.no_pdf)
        print(batch.summary(results))
        return 0 if all(r.ok for r in results) else 1
    area = resolve_kommun(args.kommun)               # UnknownAreaError → the main CLI exits 2
    return _written(batch.render_one(area.code, args.year, args.out, engine=args.engine, pdf=not args.no_pdf),
                    args.out)


def _written(result, out) -> int:
    """One report made: raise its :class:`ReportError` if a cell failed, else update the folder's index
    and print the HTML (and PDF) path; 0."""
    from . import batch

    if not result.ok:
        raise batch.as_error(result)
    batch.write_index(batch.Path(out) if out else batch.config.reports_dir())
    print(result.html)
    if result.pdf:
        print(result.pdf)
    return 0
