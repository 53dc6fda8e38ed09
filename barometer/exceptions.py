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

    def __init__(self, query: str, level: str = "kommun", suggestions: list[str] | None = None, hint: str = ""):
        suggestions = list(suggestions or [])
        near = ""
        if hint:  # e.g. "Skåne är ett län ..." says more than near misses
            near = f" {hint}"
        elif suggestions:
            near = " Närmast: " + ", ".join(suggestions) + "."
        message = (
            f"{self.WORDS.get(level, 'Okänt område')}: {query!r}.{near} "
            f"Lista alla med `barometer areas --level {self.CLI_LEVEL.get(level, level)}` "
            f"(i Python: `barometer.areas(level={self.CLI_LEVEL.get(level, level)!r})`)."
        )
        _store(self, message, query=query, level=level, suggestions=suggestions, hint=hint)

    def __str__(self) -> str:  # LookupError would repr() the message
        return self.args[0]


class UnknownIndicatorError(BarometerError, LookupError):
    """An indicator id that is not in the catalogue (or not in the store).

    ``suggestions`` (``'id ("label")'``), when given, replace the full list in the message: the
    close matches by id or by Swedish label, accent-insensitive.
    """

    def __init__(self, query: str, valid: list[str], hint: str = "", suggestions: list[str] | None = None):
        if suggestions is None and not hint:
            try:  # close matches by id or Swedish label (lazy: the catalogue is only read on error)
                from .filters import suggest_indicators

                suggestions = suggest_indicators(str(query), list(valid))
            except Exception:  # noqa: BLE001 - a message without suggestions is still right
                suggestions = []
        suggestions = list(suggestions or [])
        if hint:
            message = f"Indikatorn {query!r} {hint}: {', '.join(valid)}."
        elif suggestions:
            message = (
                f"Okänd indikator: {query!r}. Menade du: {', '.join(suggestions)}? "
                "Indikatorer anges med sitt id; alla finns i `barometer indicators` (i Python: `barometer.indicators()`)."
            )
        else:
            message = (
                f"Okänd indikator: {query!r}. Giltiga: {', '.join(valid)}. "
                "Se `barometer indicators` (i Python: `barometer.indicators()`)."
            )
        _store(self, message, query=query, valid=list(valid), hint=hint, suggestions=suggestions)

    def __str__(self) -> str:
        return self.args[0]


class UnknownLevelError(BarometerError, ValueError):
    """A geographic level that does not exist (or has no data for a request)."""

    def __init__(self, query: str, valid: list[str], context: str = ""):
        where = f" {context}" if context else ""
        message = f"Okänd eller otillgänglig nivå{where}: {query!r}. Giltiga: {', '.join(valid) or 'inga'}."
        _store(self, message, query=query, valid=list(valid), context=context)


class UnknownGroupError(BarometerError, LookupError):
    """A group (``--group``) that the selected indicator does not have."""

    def __init__(self, query: str, indicator: str, valid: list[str], suggestions: list[str] | None = None):
        suggestions = list(suggestions or [])
        near = f" Menade du: {', '.join(suggestions)}?" if suggestions else ""
        shown = ", ".join(valid[:40]) + (f" … ({len(valid)} grupper)" if len(valid) > 40 else "")
        message = f"Okänd grupp för {indicator!r}: {query!r}.{near} Giltiga grupper: {shown}."
        _store(self, message, query=query, indicator=indicator, valid=list(valid), suggestions=suggestions)

    def __str__(self) -> str:
        return self.args[0]


class InvalidArgumentError(BarometerError, ValueError):
    """An argument with a value outside its fixed choices (engine, format ...)."""

    def __init__(self, name: str, value, valid: list):
        message = f"Ogiltigt värde för {name}: {value!r}. Giltiga: {', '.join(map(str, valid))}."
        _store(self, message, name=name, value=value, valid=list(valid))


class FilterConflictError(BarometerError, ValueError):
    """Filters that each exist but together can select nothing (e.g. a kommun outside the län)."""

    def __init__(self, conflict: str, hint: str = ""):
        message = f"Urvalet kan inte ge några rader: {conflict}." + (f" {hint}" if hint else "")
        _store(self, message, conflict=conflict, hint=hint)


class YearOutOfRangeError(BarometerError, ValueError):
    """A year for which an indicator has no data."""

    def __init__(self, year, indicator: str, available: list[int], context: str = "", hint: str = ""):
        # ``indicator`` is only the name (quoted in the message); qualifiers go in ``context``
        # (in brackets after the name) and advice in ``hint`` (a sentence at the end).
        where = f" ({context.strip()})" if context.strip() else ""
        if available:
            years = ", ".join(str(y) for y in available)
            message = f"År {year} saknas för {indicator!r}{where}. Tillgängliga år: {years}."
        else:
            message = f"Ogiltigt år: {year!r}{where}."
        if hint.strip():
            message += f" {hint.strip()}"
        _store(self, message, year=year, indicator=indicator, available=list(available), context=context,
               hint=hint)


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


class UnknownChoiceError(BarometerError, ValueError):
    """An option value outside its fixed set of choices (e.g. ``klassning``, ``by``)."""

    def __init__(self, option: str, query, valid: list[str], hint: str = ""):
        if query is None:
            message = f"Ange {option} (giltiga: {', '.join(valid)})." + (f" {hint}" if hint else "")
        else:
            message = f"Ogiltigt värde för {option}: {query!r}. Giltiga: {', '.join(valid)}." + (f" {hint}" if hint else "")
        _store(self, message, option=option, query=query, valid=list(valid), hint=hint)


class ParameterCoercedWarning(BarometerWarning):
    """A notebook parameter that arrived as a number and was read as a zero-padded code."""
