"""Words of a PDF page's text layer, with boxes in pixels of the page as rendered."""

from __future__ import annotations

import ctypes
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from archml.document import Box, Word, nfc

_PRECISION = 64
"""Sub-pixel steps of the page → pixel mapping (PDFium maps to whole device units)."""


class PointMapper:
    """PDF user space (points, origin bottom-left) → pixels of the page rendered at ``width``
    × ``height`` (origin top-left), honouring the page's crop box and ``/Rotate``."""

    def __init__(self, page: pdfium.PdfPage, width: int, height: int) -> None:
        size = (0, 0, width * _PRECISION, height * _PRECISION, 0)
        self._origin = self._device(page, size, 0.0, 0.0)
        ux, uy = self._device(page, size, 1000.0, 0.0)
        vx, vy = self._device(page, size, 0.0, 1000.0)
        ox, oy = self._origin
        self._ex = ((ux - ox) / 1000.0, (uy - oy) / 1000.0)
        self._ey = ((vx - ox) / 1000.0, (vy - oy) / 1000.0)

    @staticmethod
    def _device(
        page: pdfium.PdfPage, size: tuple[int, ...], x: float, y: float
    ) -> tuple[float, float]:
        dx, dy = ctypes.c_int(), ctypes.c_int()
        if not pdfium_c.FPDF_PageToDevice(page, *size, x, y, dx, dy):
            raise pdfium.PdfiumError("cannot map page coordinates to pixels")
        return dx.value / _PRECISION, dy.value / _PRECISION

    def point(self, x: float, y: float) -> tuple[float, float]:
        ox, oy = self._origin
        return (ox + x * self._ex[0] + y * self._ey[0], oy + x * self._ex[1] + y * self._ey[1])

    def box(self, left: float, bottom: float, right: float, top: float) -> Box:
        """A rectangle in points as the pixel box that covers it (any page rotation)."""
        x0, y0 = self.point(left, bottom)
        x1, y1 = self.point(right, top)
        return Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


@dataclass
class _Word:
    chars: list[str] = field(default_factory=list)
    tight: list[tuple[float, float, float, float]] = field(default_factory=list)
    loose: list[tuple[float, float, float, float]] = field(default_factory=list)


def extract_words(
    page: pdfium.PdfPage, width: int, height: int
) -> tuple[list[Word], dict[str, Any]]:
    """The page's words, split on whitespace, NFC, boxed in pixels of a ``width`` × ``height``
    render; and counts for the ``read`` record. Words wholly off the page (or without any
    glyph box) are left out and counted as ``words_unplaced``."""
    textpage = page.get_textpage()
    try:
        raw_words, stats = _collect(textpage)
    finally:
        textpage.close()
    mapper = PointMapper(page, width, height)
    words: list[Word] = []
    unplaced = 0
    for raw in raw_words:
        box = _word_box(raw, mapper, width, height)
        if box is None:
            unplaced += 1
            continue
        words.append(Word(text=nfc("".join(raw.chars)), box=box))
    stats.update(text_words=len(words), words_unplaced=unplaced)
    return words, stats


def _collect(textpage: pdfium.PdfTextPage) -> tuple[list[_Word], dict[str, Any]]:
    words: list[_Word] = []
    current = _Word()
    chars = map_errors = 0
    for index in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage, index)
        char = chr(code) if 0 < code < 0x110000 else " "
        category = unicodedata.category(char)
        if char.isspace() or category in ("Cc", "Cs", "Zl", "Zp"):
            if current.chars:
                words.append(current)
                current = _Word()
            continue
        if category == "Cf":  # soft hyphens, zero-width joiners: no visible character
            continue
        chars += 1
        map_errors += bool(pdfium_c.FPDFText_HasUnicodeMapError(textpage, index))
        current.chars.append(char)
        _add_box(current.tight, textpage, index, loose=False)
        _add_box(current.loose, textpage, index, loose=True)
    if current.chars:
        words.append(current)
    return words, {"text_chars": chars, "unicode_map_errors": map_errors}


def _add_box(
    boxes: list[tuple[float, float, float, float]],
    textpage: pdfium.PdfTextPage,
    index: int,
    *,
    loose: bool,
) -> None:
    try:
        left, bottom, right, top = textpage.get_charbox(index, loose=loose)
    except pdfium.PdfiumError:
        return
    if right > left and top > bottom:
        boxes.append((left, bottom, right, top))


def _word_box(word: _Word, mapper: PointMapper, width: int, height: int) -> Box | None:
    """The word's pixel box, from its glyphs' tight boxes (font boxes when glyphs have none),
    clipped to the page; ``None`` when nothing of it is on the page."""
    boxes = word.tight or word.loose
    if not boxes:
        return None
    union = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    box = mapper.box(*union)
    clipped = Box(
        round(max(0.0, box.x0), 2),
        round(max(0.0, box.y0), 2),
        round(min(float(width), box.x1), 2),
        round(min(float(height), box.y1), 2),
    )
    return clipped if clipped.width > 0 and clipped.height > 0 else None
