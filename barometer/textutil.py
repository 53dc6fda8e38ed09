"""Small text helpers shared by lookup and parsing: folding names for matching."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Case- and diacritics-insensitive key: ``"Malmö"`` → ``"malmo"``, ``"Upplands-Bro"`` → ``"upplands bro"``."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("-", " ").replace("\u2013", " ")
    return re.sub(r"\s+", " ", text).strip()
