"""Land records: land-use purpose codes, parcel and map-sheet numbers, areas written with a decimal
comma, certificate serials and register entry numbers (``shared/domain`` §3.1).

Areas: Vietnamese writes ``82,5 m²`` (decimal comma) and ``7.700 m²`` (dot for thousands); a dot
followed by anything but a group of three digits is read as a decimal point (``612.5 m2``).
"""

from __future__ import annotations

import re

from archml.fields.text import clean, contains, digits, fold, fold_aligned
from archml.taxonomy import LAND_USE_CODES

_AREA = re.compile(r"(?P<n>\d{1,3}(?:[.\s]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)\s*(?:m\s*[2²]|m\b)?")
_SERIAL = re.compile(r"(?<![A-Za-z])(?P<l>[A-Z][A-Z1l])\s*(?P<d>[0-9OoIl]{6,8})(?![0-9])")
_CODE = re.compile(r"(?<![A-Z])([A-Z]{3})(?![A-Z])")
_LABELLED = {
    "parcelNumber": re.compile(r"thua(?: dat)? so\s*[:.]?\s*(?P<v>[0-9a-z/]+)"),
    "mapSheet": re.compile(r"to ban do(?: dia chinh)?(?: so)?\s*[:.]?\s*(?P<v>[0-9a-z/]+)"),
    "registryNumber": re.compile(
        r"so vao so(?: cap)?[^:\n]{0,60}:\s*(?P<v>[a-z.]{0,4}\s?[0-9][0-9a-z./-]*)"),
}


def parse_area(text: str) -> float | None:
    """The first area in ``text`` in m²: ``82,5 m²`` → 82.5, ``7.700m²`` → 7700."""
    match = _AREA.search(clean(text))
    if match is None:
        return None
    number = match["n"]
    if re.fullmatch(r"\d{1,3}(?:[.\s]\d{3})+(?:,\d+)?", number):
        number = re.sub(r"[.\s]", "", number)
    return float(number.replace(",", "."))


def format_area(area: float) -> str:
    """``area`` as printed: ``82,5 m²``, ``7.700 m²`` (two decimals at most)."""
    whole, _, fraction = f"{round(area, 2):.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    fraction = fraction.rstrip("0")
    return f"{grouped},{fraction} m²" if fraction else f"{grouped} m²"


def land_use_code(text: str, threshold: float = 0.85) -> str | None:
    """The land-use purpose code in ``text``: a code (``ODT``) or its name (``Đất ở tại đô
    thị``), matched OCR-tolerantly; ``None`` when neither is found."""
    for code in _CODE.findall(clean(text)):
        if code in LAND_USE_CODES:
            return code
    said = fold(text).removeprefix("dat ")
    best, best_score = None, threshold
    for code, name in LAND_USE_CODES.items():
        bare = fold(name).removeprefix("dat ")
        score = contains(text, bare)
        if len(said) >= 0.6 * len(bare):
            score = max(score, contains(bare, said))
        if score > best_score:
            best, best_score = code, score
    return best


def parse_serial(text: str) -> str | None:
    """A certificate serial, two letters and six to eight digits: ``AI 821557``."""
    match = _SERIAL.search(clean(text))
    if match is None:
        return None
    number = digits(match["d"])
    letters = match["l"].replace("1", "I").replace("l", "I")
    return f"{letters} {number}" if number else None


def find_land_fields(text: str) -> dict[str, str]:
    """Labelled land fields in ``text`` (``Thửa đất số: 70``, ``Tờ bản đồ số: 19``, ``Số vào
    sổ cấp GCN: H00681``), by field name, as printed after the label."""
    text = clean(text)
    folded = fold_aligned(text)
    found = {}
    for name, pattern in _LABELLED.items():
        match = pattern.search(folded)
        if match:
            found[name] = text[slice(*match.span("v"))].strip(" .,;")
    return found
