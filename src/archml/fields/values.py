"""Field text read by a model → normalised values through the field parsers."""

from __future__ import annotations

from archml.fields.dates import parse_date
from archml.fields.notation import normalize_symbol, parse_notation
from archml.fields.text import clean
from archml.taxonomy import FIELDS_BY_NAME

SHARED_WORD = {"codeNumber": "codeNotation"}
"""Fields printed inside another field's word (``86/QĐ-UBND``): read from it when untagged."""


def field_value(name: str, raw: str) -> str | None:
    """The normalised value of a field read as ``raw`` (ISO dates, bare notations)."""
    text = clean(raw)
    spec = FIELDS_BY_NAME.get(name)
    if spec is not None and spec.value_type == "date":
        date = parse_date(text)
        return date.iso() if date else None
    if name in ("codeNumber", "codeNotation"):
        notation = parse_notation(text if "/" in text else f"{text}/")
        if notation is not None:
            return notation.number if name == "codeNumber" else notation.notation
        return text if name == "codeNumber" else normalize_symbol(text) or None
    return text or None
