"""Number and notation (số, ký hiệu) of Decree-30 documents: ``Số: 1906 /SGDĐT-CTrTT``.

Grammar: ``Số: <number>/[<year>/]<group>(-<group>)*``. Administrative documents have no year
(``15/QĐ-BNV``); normative ones (``05/2025/TT-BNV``) and court documents (``19/2021/HS-ST``) do.
Scans add spaces (``86 /QĐ-UBND``, ``/TTr -UBND``), Tesseract writes ``Đ`` as ``Ð`` and
handwritten numbers come out as noise (``$†4``): the number is then unknown, the notation kept.

The first group is the Decree-30 type abbreviation (Phụ lục III) when there is one; a notation
without one is a công văn (``12/UBND-VX``). ``SY``/``TrS``/``SL`` mark the number of a copy block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archml.fields.cases import parse_case_code
from archml.fields.text import clean, digits, fold
from archml.taxonomy import COPY_ABBREVIATIONS, TYPE_ABBREVIATIONS

CONG_VAN = "22"
OTHER = "32"
QUYET_DINH = "02"

_SLASHES = str.maketrans({"⁄": "/", "∕": "/", "|": "/"})
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "_": "-"})
_LABEL = re.compile(r"^\W*(?:[^\W\d_]+\s+){0,3}?s[o0]\s*[:;.]?\s*", re.IGNORECASE)
_BODY = re.compile(r"(?P<num>[^\s/]*)\s*/\s*(?:(?P<year>\d{4})\s*/\s*)?"
                   r"(?P<sym>[^\W_][\w&.\s-]*)")
_OCR_GROUPS = {"OĐ": "QĐ", "0Đ": "QĐ", "ỌĐ": "QĐ", "QĐĐ": "QĐ"}
_FOLDED_TYPES: dict[str, list[str]] = {}
for _abbr in TYPE_ABBREVIATIONS:
    _FOLDED_TYPES.setdefault(fold(_abbr), []).append(_abbr)


@dataclass(frozen=True)
class Notation:
    """A parsed number line. ``number`` is ``None`` when it is blank or unreadable."""

    number: str | None
    year: str | None
    groups: tuple[str, ...]

    @property
    def symbol(self) -> str:
        """The ký hiệu groups: ``QĐ-UBND``."""
        return "-".join(self.groups)

    @property
    def notation(self) -> str:
        """TT05 ``codeNotation``: everything after the number (``2025/TT-BNV``, ``QĐ-UBND``)."""
        return f"{self.year}/{self.symbol}" if self.year else self.symbol

    @property
    def type_abbreviation(self) -> str | None:
        """The Decree-30 type abbreviation the notation starts with, if any."""
        return type_abbreviation(self.groups[0]) if self.groups else None

    @property
    def copy_form(self) -> str | None:
        """``Bản sao y`` etc. when this is the number of a copy block (``01/SY-UBND``)."""
        return COPY_ABBREVIATIONS.get(self.groups[0]) if self.groups else None

    @property
    def type_code(self) -> str | None:
        """TT05 ``typeName`` code implied by the notation (``None`` for a copy block): the type
        abbreviation's; else công văn for an administrative notation (no year), 02 for a court
        decision (``QĐST-…``) and 32 (khác) for other dated ones (thông tư, bản án)."""
        if self.copy_form:
            return None
        abbreviation = self.type_abbreviation
        if abbreviation:
            return TYPE_ABBREVIATIONS[abbreviation]
        if not self.year:
            return CONG_VAN
        court = parse_case_code(self.symbol)
        return QUYET_DINH if court is not None and court[2] == "QĐ" else OTHER


def type_abbreviation(group: str) -> str | None:
    """``group`` as a Decree-30 type abbreviation: exact, else the one abbreviation with the same
    folded spelling (``QD`` → ``QĐ``; ``HD`` stays Hướng dẫn, never Hợp đồng)."""
    if group in TYPE_ABBREVIATIONS:
        return group
    same = _FOLDED_TYPES.get(fold(group), [])
    return same[0] if len(same) == 1 else None


def _group(text: str) -> str:
    group = text.strip(".")
    return _OCR_GROUPS.get(group, group)


def normalize_symbol(text: str) -> str:
    """A ký hiệu without spaces, stray slashes or OCR ``Ð``: ``/ QĐ - CC`` → ``QĐ-CC``."""
    bare = re.sub(r"\s+", "", clean(text).translate(_DASHES)).strip("/.,;:")
    return "-".join(_group(g) for g in bare.split("-") if g.strip("."))


def parse_notation(text: str) -> Notation | None:
    """The number line in ``text`` (``Số: 1906 /SGDĐT-CTrTT``), or ``None`` without a
    ``/``-separated notation."""
    line = clean(text).translate(_SLASHES).translate(_DASHES)
    body = _LABEL.sub("", line, count=1)
    match = _BODY.search(body)
    if match is None:
        return None
    symbol = normalize_symbol(match["sym"].split("  ")[0])
    groups = tuple(g for g in symbol.split("-") if g)
    if not groups or not groups[0][0].isalpha():
        return None
    groups = (type_abbreviation(groups[0]) or groups[0], *groups[1:])
    number = digits(match["num"]) if match["num"] else None
    return Notation(number=number, year=match["year"], groups=groups)


def format_notation(notation: Notation, label: str = "Số") -> str:
    """``Số: 15/QĐ-BNV`` (the number left blank when unknown: ``Số:    /QĐ-BNV``)."""
    number = notation.number if notation.number is not None else "   "
    return f"{label}: {number}/{notation.notation}"
