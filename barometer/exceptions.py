"""Every error and warning class of barometer, in one place.

Each error subclasses :class:`BarometerError` and the matching builtin, so a
caller can catch either ``BarometerError`` (everything the library raises on
purpose) or the builtin (``LookupError``, ``ValueError`` ...). Errors keep the
facts as attributes as well as in the message, and they pickle (batch runs
send them between processes).
"""

from __future__ import annotations


class BarometerError(Exception):
    """Base class of every error raised on purpose by barometer."""

    def __reduce__(self):
        # Rebuild from the stored keyword arguments so subclasses with
        # keyword-only constructors survive pickling.
        return (_rebuild, (type(self), self.args, getattr(self, "_kwargs", {})))


def _rebuild(cls, args, kwargs):
    obj = cls.__new__(cls)
    Exception.__init__(obj, *args)
    obj._kwargs = kwargs
    for key, value in kwargs.items():
        setattr(obj, key, value)
    return obj


def _store(obj: BarometerError, message: str, **kwargs) -> None:
    Exception.__init__(obj, message)
    obj._kwargs = kwargs
    for key, value in kwargs.items():
        setattr(obj, key, value)


class UnknownAreaError(BarometerError, LookupError):
    """An area code or name that is not in the areas table."""

    WORDS = {"kommun": "Okänd kommun", "lan": "Okänt län", "län": "Okänt län", "regso": "Okänt RegSO-område",
             "RegSO": "Okänt RegSO-område", "deso": "Okänt DeSO-område", "DeSO": "Okänt DeSO-område",
             "valdistrikt": "Okänt valdistrikt", "riket": "Okänt område"}
    CLI_LEVEL = {"län": "lan", "RegSO": "regso", "DeSO": "deso"}

    def __init__(self, query: str, level: str = "kommun", suggestions: list[str] | None = None):
        suggestions = list(suggestions or [])
        hint = ""
        if suggestions:
            hint = " Närmast: " + ", ".join(suggestions) + "."
        message = (
            f"{self.WORDS.get(level, 'Okänt område')}: {query!r}.{hint} "
            f"Lista alla med `barometer areas --level {self.CLI_LEVEL.get(level, level)}`."
        )
        _store(self, message, query=query, level=level, suggestions=suggestions)

    def __str__(self) -> str:  # LookupError would repr() the message
        return self.args[0]


class UnknownIndicatorError(BarometerError, LookupError):
    """An indicator id that is not in the catalogue."""

    def __init__(self, query: str, valid: list[str], hint: str = ""):
        if hint:
            message = f"Indikatorn {query!r} {hint}: {', '.join(valid)}."
        else:
            message = (
                f"Okänd indikator: {query!r}. Giltiga: {', '.join(valid)}. "
                "Se `barometer indicators`."
            )
        _store(self, message, query=query, valid=list(valid), hint=hint)

    def __str__(self) -> str:
        return self.args[0]


class UnknownLevelError(BarometerError, ValueError):
    """A geographic level that does not exist (or has no data for a request)."""

    def __init__(self, query: str, valid: list[str]):
        message = f"Okänd eller otillgänglig nivå: {query!r}. Giltiga: {', '.join(valid)}."
        _store(self, message, query=query, valid=list(valid))


class YearOutOfRangeError(BarometerError, ValueError):
    """A year for which an indicator has no data."""

    def __init__(self, year, indicator: str, available: list[int]):
        years = ", ".join(str(y) for y in available) or "inga"
        message = f"År {year} saknas för {indicator!r}. Tillgängliga år: {years}."
        _store(self, message, year=year, indicator=indicator, available=list(available))


class SourceFormatError(BarometerError, ValueError):
    """A raw source file that does not have the expected layout."""

    def __init__(self, path: str, problem: str):
        message = f"Felaktig källfil {path}: {problem}"
        _store(self, message, path=str(path), problem=problem)


class ChecksumMismatchError(BarometerError, ValueError):
    """A raw snapshot file whose sha256 differs from the manifest."""

    def __init__(self, path: str, expected: str, found: str):
        message = (
            f"Källfilen {path} har ändrats eller är skadad: sha256 {found[:16]}… "
            f"men manifestet väntar {expected[:16]}…. Bygget avbröts; inget i data/ ändrades."
        )
        _store(self, message, path=str(path), expected=expected, found=found)


class MissingSourceError(BarometerError, FileNotFoundError):
    """A raw snapshot file that the manifest lists but that is not on disk."""

    def __init__(self, path: str, hint: str = ""):
        message = f"Källfilen saknas: {path}. {hint}".strip()
        _store(self, message, path=str(path), hint=hint)

    def __str__(self) -> str:
        return self.args[0]


class IntegrityError(BarometerError, ValueError):
    """A published table that breaks one of the build's integrity checks."""

    def __init__(self, check: str, detail: str):
        message = f"Integritetskontroll {check!r} misslyckades: {detail}"
        _store(self, message, check=check, detail=detail)


class StepFailedError(BarometerError, RuntimeError):
    """A pipeline step that raised; names the step and keeps the cause."""

    def __init__(self, step: str, cause: str):
        message = f"Steget {step!r} misslyckades: {cause}"
        _store(self, message, step=step, cause=cause)


class StoreMissingError(BarometerError, FileNotFoundError):
    """The published store has not been built yet."""

    def __init__(self, path: str):
        message = f"Datalagret finns inte ({path}). Kör `barometer build` först."
        _store(self, message, path=str(path))

    def __str__(self) -> str:
        return self.args[0]


class MeasureInputError(BarometerError, ValueError):
    """Counts that a measure cannot use (repeated area, text, negative, group larger than total ...).

    ``areas`` are the offending areas, ``units`` the units (e.g. ``kommun_code=0001, year=2023``)
    they belong to; both are named in the message (the first ten of each).
    """

    def __init__(self, problem: str, areas: list[str] | None = None, units: list[str] | None = None):
        areas = list(dict.fromkeys(areas or []))
        units = list(dict.fromkeys(units or []))

        def shown(items):
            return ", ".join(items[:10]) + (" …" if len(items) > 10 else "")

        where = []
        if units:
            where.append(f"enhet: {shown(units)}" if len(units) == 1 else f"enheter: {shown(units)}")
        if areas:
            where.append(f"område: {shown(areas)}" if len(areas) == 1 else f"områden: {shown(areas)}")
        message = f"Ogiltiga indata: {problem}" + (f" ({'; '.join(where)})" if where else "")
        _store(self, message, problem=problem, areas=areas, units=units)


class SourceUnavailableError(BarometerError, ConnectionError):
    """A live source that could not be fetched (address, status, attempts)."""

    def __init__(self, url: str, status: int | str | None = None, attempts: int = 1, detail: str = ""):
        message = f"Kunde inte hämta {url} (status {status}, {attempts} försök). {detail}".strip()
        _store(self, message, url=url, status=status, attempts=attempts, detail=detail)


class ReportError(BarometerError, RuntimeError):
    """A report that failed to render; names the kommun and the failing cell."""

    def __init__(self, kommun: str, cell: str, kept: str = ""):
        message = f"Rapporten för {kommun} misslyckades i cellen: {cell}" + (f" (sparad: {kept})" if kept else "")
        _store(self, message, kommun=kommun, cell=cell, kept=kept)


class BarometerWarning(UserWarning):
    """Base class of barometer's warnings."""


class SmallAreaWarning(BarometerWarning):
    """A figure that rests on few areas or on areas with few people."""
