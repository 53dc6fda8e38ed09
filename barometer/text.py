"""Swedish number formatting and small text helpers for reports, the explorer and the terminal."""

from __future__ import annotations

import math

NBSP = "\u00a0"


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def num(x, decimals: int = 0, missing: str = "–") -> str:
    """Swedish number: space as thousands separator, decimal comma (``12 345,6``)."""
    if _missing(x):
        return missing
    s = f"{float(x):,.{decimals}f}"
    return s.replace(",", NBSP).replace(".", ",")


def pct(x, decimals: int = 1, missing: str = "–") -> str:
    """Percent with a decimal comma: ``84,2 %``."""
    if _missing(x):
        return missing
    return f"{num(x, decimals)}{NBSP}%"


def pp(x, decimals: int = 1, missing: str = "–") -> str:
    """Percentage points: ``12,3 procentenheter``."""
    if _missing(x):
        return missing
    return f"{num(x, decimals)} procentenheter"


def tkr(x, decimals: int = 0, missing: str = "–") -> str:
    if _missing(x):
        return missing
    return f"{num(x, decimals)}{NBSP}tkr"


def join_sv(items: list[str]) -> str:
    """'a, b och c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def kommun_label(name: str) -> str:
    """The kommun's name in Swedish: genitive -s after a consonant other than s, x, z.

    >>> [kommun_label(n) for n in ("Bjurholm", "Malmö", "Upplands Väsby", "Borås", "Kalix", "Lilla Edet")]
    ['Bjurholms kommun', 'Malmö kommun', 'Upplands Väsby kommun', 'Borås kommun', 'Kalix kommun', 'Lilla Edets kommun']
    """
    name = str(name).strip()
    if not name or name[-1].lower() in "aeiouyåäösxz":
        return f"{name} kommun"
    return f"{name}s kommun"


def direction(before, after, decimals: int) -> int:
    """How ``after`` compares with ``before`` as the reader sees them: -1, 0 or 1.

    The one rule for every sentence that says increased/decreased or higher/lower (Tips,
    områdestyp leads, report texts): the direction is decided on the values rounded to the
    ``decimals`` they are printed with, so "ökat från 0,30 till 0,30" cannot happen – equal
    displayed values give 0 and the caller writes "oförändrad"/"lika".

    >>> direction(0.2967, 0.3046, 2), direction(0.2967, 0.3046, 3), direction(84.04, 83.96, 1)
    (0, 1, 0)
    """
    a, b = round(float(before), decimals), round(float(after), decimals)
    return 0 if a == b else (1 if b > a else -1)


def compare_word(before, after, decimals: int, words: tuple[str, str, str] = ("lägre", "lika", "högre")) -> str:
    """``words`` = (less, same, more) picked by :func:`direction` on the displayed values.

    >>> compare_word(84.2, 84.24, 1), compare_word(0.31, 0.29, 2, ("minskat", "oförändrad", "ökat"))
    ('lika', 'minskat')
    """
    return words[direction(before, after, decimals) + 1]


def with_year(label: str, year) -> str:
    """``"label year"`` unless the label already names that year (``"Valdeltagande riksdagsval 2022"``).

    >>> with_year("Andel utrikes födda", 2023), with_year("Valdeltagande riksdagsval 2022", 2022)
    ('Andel utrikes födda 2023', 'Valdeltagande riksdagsval 2022')
    """
    label = str(label).strip()
    if year is None or str(year) in label.split():
        return label
    return f"{label} {year}"
