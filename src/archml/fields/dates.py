"""Vietnamese dates in every form seen on documents → partial ISO dates, and back.

Forms read (case, tone marks and the usual OCR digit confusions do not matter):

- ``ngày 05 tháng 3 năm 2024`` (place-and-date line), ``Ngày 26-01-2018``, ``Ngày: 10 - 3 - 2021``
  (court headers), ``05/3/2024``, ``05.02.2025``, ``2024-03-05`` and two-digit years
  (``04/4/18``, received stamps), ``năm 2010`` and a bare ``2010``;
- dates in words: ``Ngày mười lăm, tháng ba, năm hai nghìn không trăm mười chín``;
- gaps left for a handwritten day or month: ``ngày    tháng 01 năm 2010`` → ``2010-01``. An
  unreadable part (blank, dots, handwriting OCR could not read, a day of 42) is unknown, and the
  ISO form stops before the first unknown part.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Literal

from archml.fields.numwords import NUMBER_WORDS, int_to_words, words_to_int
from archml.fields.text import digits, fold

DateStyle = Literal["iso", "vietnamese", "numeric", "court", "words"]
STYLES: tuple[DateStyle, ...] = ("iso", "vietnamese", "numeric", "court", "words")


@dataclass(frozen=True)
class PartialDate:
    """A date whose parts may be unknown (``None``); the year is always known."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        """``YYYY-MM-DD``, cut before the first unknown part (``2010-01``, ``2010``)."""
        text = f"{self.year:04d}"
        if self.month is None:
            return text
        text += f"-{self.month:02d}"
        return text if self.day is None else text + f"-{self.day:02d}"

    @property
    def complete(self) -> bool:
        return self.month is not None and self.day is not None


DAY_WORD, MONTH_WORD, YEAR_WORD = r"ng\w?[yv]", r"th\w?ng", r"n\w?m"
"""``ngày``, ``tháng``, ``năm`` folded, as OCR reads them too (``ngàv``, ``thang``, ``nâm``)."""
_NUMWORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_YEAR = rf"[\doli|]{{4}}|(?:mot|hai)\s+(?:nghin|ngan)(?:\s+(?:{_NUMWORD})\b)*"
_WORDY = re.compile(
    rf"(?:\b{DAY_WORD}\b(?P<d>[^\n]{{0,24}}?))?\b{MONTH_WORD}\b(?P<m>[^\n]{{0,24}}?)"
    rf"\b{YEAR_WORD}\b\s*[:.,]?\s*"
    rf"(?P<y>{_YEAR})(?!\w)"
)
_NUMERIC = re.compile(
    r"(?<![\d/.-])(?P<d>\d{1,2})\s*(?P<s>[-/.])\s*(?P<m>\d{1,2})\s*(?P=s)\s*(?P<y>\d{4}|\d{2})"
    r"(?![\d/])"
)
_ISO = re.compile(r"(?<![\d/.-])(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?(?![\d/-])")
_YEAR_ONLY = re.compile(r"\bnam\s*(?P<y>\d{4})(?!\d)|^\s*(?P<bare>\d{4})\s*$")


def _part(chunk: str | None) -> int | None:
    """A day or month chunk: digits (OCR look-alikes repaired) or words; ``None`` if unreadable."""
    text = (chunk or "").strip(" ,.:;-_…")
    if not text:
        return None
    number = digits(text.replace(" ", ""))
    return int(number) if number is not None else words_to_int(text)


def _year(text: str) -> int | None:
    number = digits(text) if len(text) <= 4 else None
    if number is not None:
        year = int(number)
        return year + (2000 if year < 50 else 1900) if len(number) == 2 else year
    return words_to_int(text)


def _checked(year: int | None, month: int | None, day: int | None) -> PartialDate | None:
    """The date with impossible parts made unknown; ``None`` without a plausible year."""
    if year is None or not 1000 <= year <= 9999:
        return None
    if month is not None and not 1 <= month <= 12:
        month = day = None
    if day is not None and not 1 <= day <= (calendar.monthrange(year, month)[1] if month else 31):
        day = None
    return PartialDate(year, month, day)


def parse_date(text: str) -> PartialDate | None:
    """The first date in ``text`` (see the module doc for the forms), or ``None``."""
    folded = fold(text)
    match = _WORDY.search(folded)
    if match:
        return _checked(_year(match["y"]), _part(match["m"]), _part(match["d"]))
    for pattern in (_NUMERIC, _ISO):
        match = pattern.search(folded)
        if match:
            full = _checked(_year(match["y"]), int(match["m"]),
                            int(match["d"]) if match["d"] else None)
            if full is not None and (full.complete or pattern is _ISO):
                return full
    match = _YEAR_ONLY.search(folded)
    return _checked(int(match["y"] or match["bare"]), None, None) if match else None


def format_date(date: PartialDate, style: DateStyle = "vietnamese") -> str:
    """``date`` written in ``style``; unknown parts are left as ``...`` gaps. ``numeric`` and
    ``court`` need a complete date and write partial ones in the ``vietnamese`` style."""
    if style == "iso":
        return date.iso()
    if style in ("numeric", "court") and date.complete:
        if style == "numeric":
            return f"{date.day:02d}/{date.month:02d}/{date.year}"
        return f"Ngày: {date.day} - {date.month} - {date.year}"
    if style == "words":
        def word(n: int | None) -> str:
            return "..." if n is None else int_to_words(n)
        return f"ngày {word(date.day)}, tháng {word(date.month)}, năm {int_to_words(date.year)}"

    def num(n: int | None) -> str:
        return "..." if n is None else f"{n:02d}"
    return f"ngày {num(date.day)} tháng {num(date.month)} năm {date.year}"
