"""Validators: each returns a list of reasons a clerk can act on (empty: valid) and never raises
on user data, whatever its type."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from archml.fields.cases import parse_case_number
from archml.fields.names import name_problems
from archml.fields.notation import parse_notation
from archml.taxonomy import FIELDS_BY_NAME, TYPE_ABBREVIATIONS, TYPE_NAMES

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SERIAL = re.compile(r"^[A-Z]{2} \d{6,8}$")
EARLIEST_YEAR = 1800


def validate_date(value: Any, today: dt.date | None = None) -> list[str]:
    """A (partial) ISO date that exists and is not in the future."""
    match = _ISO.match(value) if isinstance(value, str) else None
    if match is None:
        return [f"{value!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD"]
    year, month, day = (int(g) if g else None for g in match.groups())
    today = today or dt.date.today()
    try:
        date = dt.date(year, month or 1, day or 1)
    except ValueError:
        return [f"{value} does not exist in the calendar"]
    if year < EARLIEST_YEAR:
        return [f"the year {year} is before {EARLIEST_YEAR}: probably misread"]
    return [f"{value} is in the future"] if date > today else []


def validate_notation(value: Any) -> list[str]:
    """A ký hiệu such as ``QĐ-UBND`` or ``2025/TT-BNV``."""
    if not isinstance(value, str) or not value.strip():
        return ["the notation is empty"]
    parsed = parse_notation("/" + value)
    if parsed is None or parsed.notation != value:
        return [f"{value!r} is not a notation like 'QĐ-UBND' (groups joined by '-', no spaces)"]
    return []


MAX_NUMBER = 99_999
"""Registers restart every year; no office numbers this many documents in one."""


def validate_number(value: Any) -> list[str]:
    if not isinstance(value, str) or not value.isdigit():
        return [f"{value!r} is not a document number (digits only)"]
    if int(value) > MAX_NUMBER:
        return [f"{value} is too large for a yearly register: probably misread"]
    return [] if int(value) > 0 else ["the document number is 0"]


def validate_case_number(value: Any) -> list[str]:
    case = parse_case_number(value) if isinstance(value, str) else None
    if case is None or str(case) != value:
        return [f"{value!r} is not a case number like '19/2021/HS-ST'"]
    return []


def validate_serial(value: Any) -> list[str]:
    if not isinstance(value, str) or not _SERIAL.match(value):
        return [f"{value!r} is not a certificate serial like 'AI 821557'"]
    return []


def validate_personal_id(value: Any) -> list[str]:
    if not isinstance(value, str) or not re.fullmatch(r"\d{12}", value):
        return [f"{value!r} is not a 12-digit personal identification number"]
    return []


def _validate_name(value: Any) -> list[str]:
    return name_problems(value) if isinstance(value, str) else [f"{value!r} is not a name"]


_SPECIFIC = {
    "codeNumber": validate_number, "codeNotation": validate_notation,
    "caseNumber": validate_case_number, "certificateSerial": validate_serial,
    "personalId": validate_personal_id, "signer": _validate_name, "personName": _validate_name,
    "spouseName": _validate_name, "judge": _validate_name,
}


def validate_value(name: str, value: Any) -> list[str]:
    """Problems of ``value`` as the field ``name`` of the catalogue (``None``: not found)."""
    spec = FIELDS_BY_NAME.get(name)
    if spec is None:
        return [f"{name!r} is not a field of the catalogue"]
    if value is None:
        return []
    if spec.codes and value not in spec.codes:
        return [f"{value!r} is not one of the codes of {name}"]
    if name in _SPECIFIC:
        return _SPECIFIC[name](value)
    kind = spec.value_type
    if kind == "date":
        return validate_date(value)
    if kind == "integer" and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        return [f"{value!r} is not a whole number of at least 0"]
    if kind == "number" and (not isinstance(value, int | float) or isinstance(value, bool)
                             or value < 0):
        return [f"{value!r} is not a number of at least 0"]
    if kind == "list" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return [f"{value!r} is not a list of texts"]
    if kind in ("text", "code") and not isinstance(value, str):
        return [f"{value!r} is not a text"]
    return []


def validate_fields(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """Problems of each field, plus cross-field checks (the type of the notation against
    ``typeName``; birth before death), keyed by field name (only fields with problems)."""
    problems = {name: validate_value(name, value) for name, value in values.items()}
    notation, type_code = values.get("codeNotation"), values.get("typeName")
    parsed = parse_notation("/" + notation) if isinstance(notation, str) and notation else None
    abbreviation = parsed.type_abbreviation if parsed else None
    if abbreviation and type_code in TYPE_NAMES and TYPE_ABBREVIATIONS[abbreviation] != type_code:
        problems.setdefault("typeName", []).append(
            f"the notation {notation!r} is a {TYPE_NAMES[TYPE_ABBREVIATIONS[abbreviation]]}, "
            f"not a {TYPE_NAMES[type_code]}")
    birth, death = values.get("birthDate"), values.get("deathDate")
    if isinstance(birth, str) and isinstance(death, str) and death < birth:
        problems.setdefault("deathDate", []).append("the date of death is before the birth")
    return {name: found for name, found in problems.items() if found}
