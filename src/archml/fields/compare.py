"""How extracted values are compared with labels (benchmarks, evaluation): one normal form
per field, and a similarity from edit distance."""

from __future__ import annotations

import re
from typing import Any

from archml.fields.notation import normalize_symbol
from archml.fields.organs import canonical_organ, modern_tones
from archml.fields.text import clean
from archml.metrics import edit_distance


def comparable(field: str, value: Any) -> str:
    """The form a value and its label are compared in: NFC, modern tone placement, case,
    spacing and edge punctuation ignored; numbers as integers, notations without spaces."""
    if value is None or value == "":
        return ""
    text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    if field in ("codeNumber", "numberOfPage"):
        return str(int(text)) if text.strip().isdigit() else clean(text)
    if field == "codeNotation":
        return normalize_symbol(text)
    if field == "organName":
        text = canonical_organ(text)
    text = modern_tones(clean(text)).casefold()
    return re.sub(r"\s+", " ", text).strip(" .,;:-")


def similarity(a: str, b: str) -> float:
    """One minus the edit distance over the longer length (1 for two empty strings)."""
    longest = max(len(a), len(b))
    return 1.0 - edit_distance(a, b) / longest if longest else 1.0
