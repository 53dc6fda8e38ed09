"""Command line: ``barometer build | areas | indicators | show | measures | fetch | report | explore``.

Only parses options and calls the library. Every ``BarometerError`` becomes one clear line on
stderr and exit status 2 (``--debug`` shows the traceback).
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys

# Subcommands contributed by feature packages: module with add_parser(subparsers) and run(args).
PLUGINS = ("barometer.measures.cli", "barometer.sources.cli", "barometer.report.cli", "barometer.app.cli")


def _cmd_build(args) -> int:
    from .pipeline import build

    report = build(force=args.force, progress=not args.quiet)
    print(report.summary(quiet=args.quiet))
    return 0


def _cmd_areas(args) -> int:
    from .exceptions import FilterConflictError
    from .filters import check_area_filters, parse_years
    from .geography import areas, children, kommun, lan
    from .vintages import vintage_for, vintages

    k = kommun(args.kommun) if args.kommun else None
    ln = lan(args.lan) if args.lan else None
    check_area_filters(k, ln, args.level)
    df = areas(args.level)
    if k is not None:
        df = children(k.code, args.level)
    elif ln is not None:
        df = children(ln.code, args.level)
    if args.year:
        years = parse_years(args.year)
        wanted = {vintage_for(args.level, y) for y in years}
        if None in wanted:
            raise FilterConflictError(f"ingen indelning för {args.level} år {', '.join(map(str, years))}",
                                      f"Indelningar: {', '.join(vintages(args.level))}.")
        df = df[df["vintage"].isin(wanted)]
    if df.empty:
        where = f" i {k.label}" if k is not None else (f" i {ln.name}" if ln is not None else "")
        raise FilterConflictError(f"inga områden på nivån {args.level!r}{where}")
    cols = ["level", "code", "name", "parent_code", "lan_code", "kommun_code", "vintage"]
    if args.level == "kommun":
        cols += ["skr_grupp_kod", "skr_grupp"] + (["official_name"] if "official_name" in df.columns else [])
    df = df[cols]
    if args.format == "csv":
        df.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(df.to_string(index=False))
    return 0


FORMAT_HELP = "table (standard, för terminalen) eller csv (till stdout)"

# Column names of ``barometer indicators`` for users (the Python API keeps the English names of
# ``barometer.indicators()``; see README "Python").
INDICATOR_COLUMNS_SV = {
    "id": "id", "label_sv": "namn", "label_en": "namn_engelska", "area": "tema", "unit": "enhet",
    "status": "status", "levels": "nivåer", "years": "år", "publisher": "utgivare", "table": "tabell",
    "address": "adress", "definition": "definition", "barometer": "i_barometern", "i_datalagret": "i_datalagret",
}


def _cmd_indicators(args) -> int:
    from .api import indicators
    from .catalog import AREA_LABELS

    df = indicators()
    if args.status:
        df = df[df["status"] == args.status]
    out = df.copy()
    for col in ("i_datalagret", "barometer"):
        out[col] = out[col].map({True: "ja", False: "nej"})
    out["area"] = out["area"].map(lambda a: AREA_LABELS.get(a, a))  # Swedish theme names, not ids
    out = out.rename(columns=INDICATOR_COLUMNS_SV)
    if args.format == "csv":
        out.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        cols = [INDICATOR_COLUMNS_SV[c] for c in ("id", "label_sv", "area", "unit", "status", "levels", "years",
                                                  "i_datalagret")]
        print(out[cols].to_string(index=False))
    return 0


def _cmd_show(args) -> int:
    from .factsheet import render

    print(render(args.kommun))
    return 0


def _cmd_data(args) -> int:
    from .api import data

    years = [int(y) for part in (args.year or []) for y in str(part).split(",") if y.strip()] or None
    if args.by or args.klassning:
        from .omradestyp_table import print_cli

        return print_cli(args, years)
    df = data(args.indicator, level=args.level, years=years, kommun=args.kommun, lan=args.lan, group=args.group)
    # without --level several levels come back: one block per level, largest first (riket … valdistrikt)
    from .store import LEVELS

    order = {lv: i for i, lv in enumerate(LEVELS)}
    df = df.sort_values(["level", "area_code", "year"], key=lambda c: c.map(order) if c.name == "level" else c,
                        kind="stable")
    cols = ["level", "area_code", "area_name", "year", "indicator", "group", "value", "numerator", "denominator",
            "status", "note", "source_id"]
    if args.format == "csv":
        df[cols].to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(df[cols].to_string(index=False, max_rows=60))
    return 0


def _klassning_arg(text: str) -> str:
    """``samma_ar`` and ``samma-ar`` both mean each year's own types (the stored value is ``samma_ar``)."""
    return text.strip().lower().replace("-", "_")


def _years_arg(text: str) -> str:
    for part in text.split(","):
        if part.strip() and not part.strip().isdigit():
            raise argparse.ArgumentTypeError(f"ogiltigt år: {part!r} (ange t.ex. 2023 eller 2022,2023)")
    return text


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout with Swedish words (``användning:`` instead of ``usage:``)."""

    METAVARS = {"year": "ÅR", "out": "MAPP", "workers": "ANTAL", "lan": "LÄN", "group": "GRUPP",
                "indicator": "INDIKATOR", "base_url": "BAS-URL", "ip": "IP", "port": "PORT",
                "kommun": "KOMMUN", "level": "NIVÅ", "status": "STATUS", "format": "FORMAT"}

    def _get_default_metavar_for_optional(self, action):
        return self.METAVARS.get(action.dest, action.dest.upper())

    def _get_default_metavar_for_positional(self, action):
        return self.METAVARS.get(action.dest, action.dest).lower()

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "användning: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse in Swedish, with the house rule for bad input: one Swedish line on stderr, exit 2.

    Help (``-h``/``--help``), usage line and group titles are Swedish; subcommand parsers made with
    ``subparsers.add_parser`` inherit this class, so every subcommand speaks Swedish too.
    """

    _SV = (
        (re.compile(r"invalid choice: (.+?) \(choose from (.+)\)"), r"ogiltigt val: \1 (välj bland \2)"),
        (re.compile(r"the following arguments are required: (.+)"), r"dessa argument krävs: \1"),
        (re.compile(r"unrecognized arguments: (.+)"), r"okända argument: \1"),
        (re.compile(r"expected one argument"), "väntade ett värde"),
        (re.compile(r"invalid int value: (.+)"), r"ogiltigt heltal: \1"),
        (re.compile(r"invalid float value: (.+)"), r"ogiltigt tal: \1"),
        (re.compile(r"invalid (\w+) value: (.+)"), r"ogiltigt värde (\1): \2"),
        (re.compile(r"not allowed with argument (.+)"), r"kan inte kombineras med \1"),
        (re.compile(r"ignored explicit argument (.+)"), r"oväntat värde \1"),
        (re.compile(r"ambiguous option: (.+?) could match (.+)"), r"tvetydig flagga: \1 kan betyda \2"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="visa denna hjälptext och avsluta")

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("title", "kommandon")
        return super().add_subparsers(**kwargs)

    def error(self, message: str):
        for pattern, repl in self._SV:
            message = pattern.sub(repl, message)
        self.exit(2, f"{self.prog}: fel: {message} (se `{self.prog} --help`)\n")

    def unknown(self, extras: list[str]):
        """Refuse unrecognised arguments, suggesting the nearest option of this (sub)command."""
        import difflib

        options = [o for a in self._actions for o in a.option_strings if o.startswith("--")]
        hints = []
        for word in extras:
            if word.startswith("-"):
                close = difflib.get_close_matches(word.split("=", 1)[0], options, n=1, cutoff=0.6)
                if close:
                    hints.append(f"menade du {close[0]} i stället för {word.split('=', 1)[0]}?")
        hint = f"; {' '.join(hints)}" if hints else ""
        self.exit(2, f"{self.prog}: fel: okända argument: {' '.join(extras)}{hint} (se `{self.prog} --help`)\n")


def make_parser() -> argparse.ArgumentParser:
    from .store import LEVELS

    parser = _Parser(
        prog="barometer",
        description="Segregationsbarometern som öppen, reproducerbar statistik: data, mått, rapporter.",
    )
    parser.add_argument("--debug", action="store_true", help="visa hela felspårningen vid fel")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO")
    sub.required = True

    p = sub.add_parser("build", help="bygg datalagret från ögonblicksbilden (snabb om inget ändrats)")
    p.add_argument("--force", action="store_true", help="bygg om alla steg")
    p.add_argument("--quiet", action="store_true",
                   help="ingen förloppsindikator; bara en sammanfattningsrad och eventuella OBS-kontroller")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("areas", help="lista områden (CSV på stdout med --format csv)")
    p.add_argument("--level", default="kommun", choices=LEVELS, help="områdesnivå (standard kommun)")
    p.add_argument("--kommun", help="bara områden i denna kommun (kod eller namn)")
    p.add_argument("--lan", help="bara områden i detta län (kod eller namn)")
    p.add_argument("--year", type=_years_arg, help="bara indelningen som gäller detta år (t.ex. valdistrikt 2018)")
    p.add_argument("--format", default="table", choices=["table", "csv"], help=FORMAT_HELP)
    p.set_defaults(func=_cmd_areas)

    p = sub.add_parser("indicators", help="indikatorkatalogen")
    p.add_argument("--status", choices=["offline", "live", "unavailable"],
                   help="bara indikatorer med denna status (offline = i ögonblicksbilden)")
    p.add_argument("--format", default="table", choices=["table", "csv"], help=FORMAT_HELP)
    p.set_defaults(func=_cmd_indicators)

    p = sub.add_parser("data", help="värden för en indikator (tidy, med källa per rad)")
    p.add_argument("indicator", help="indikator-id, se `barometer indicators`")
    p.add_argument("--level", choices=LEVELS,
                   help="bara denna områdesnivå (utan --level: alla nivåer, sorterade riket → län → kommun → "
                        "RegSO → DeSO → valdistrikt)")
    p.add_argument("--year", action="append", type=_years_arg, help="år, upprepa eller kommaseparera")
    p.add_argument("--kommun", help="kommunkod eller namn")
    p.add_argument("--lan", help="länskod eller namn")
    p.add_argument("--group", help="grupp, t.ex. utrikes_fodda")
    p.add_argument("--by", choices=["omradestyp"], help="dela upp per områdestyp (kommun, län, riket)")
    p.add_argument("--klassning", choices=["samma_ar", "fast"], type=_klassning_arg,
                   help="med --by omradestyp: samma års typer (standard) eller fast indelning (2023 års typer)")
    p.add_argument("--format", default="table", choices=["table", "csv"], help=FORMAT_HELP)
    p.set_defaults(func=_cmd_data)

    p = sub.add_parser("show", help="faktablad för en kommun i terminalen")
    p.add_argument("kommun", help="kommunkod (\"0180\") eller namn (\"Malmö\", \"malmo\")")
    p.set_defaults(func=_cmd_show)

    for name in PLUGINS:
        try:
            module = importlib.import_module(name)
        except ImportError as err:
            if err.name and name.startswith(err.name):
                continue  # feature not installed in this checkout
            raise
        module.add_parser(sub)
    parser.subcommand = lambda name: sub.choices.get(name, parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .exceptions import BarometerError

    parser = make_parser()
    args, extras = parser.parse_known_args(argv)
    if extras:
        parser.subcommand(getattr(args, "command", None)).unknown(extras)
    try:
        func = getattr(args, "func", None)
        if func is None:
            parser.print_help()
            return 2
        return int(func(args) or 0)
    except BarometerError as err:
        if args.debug:
            raise
        print(f"barometer: fel: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("barometer: avbrutet", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
