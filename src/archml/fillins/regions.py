"""Where fill-ins go: the gap after ``Số:`` up to ``/notation``, and the gaps after ``ngày``,
``tháng`` and ``năm`` in the place-and-date line.

Gaps are found in the OCR text of a line, character by character: OCR often glues a handwritten
day to the printed words (``ngàyo£tháng``), so each character gets its share of its word's box
and a gap may start or end inside a word. :func:`ink_box` then finds the ink in the gap on the
page image: connected components centred in the gap that reach the line's band, so strokes that
cross the printed dots or rise above the line are kept and neighbouring lines are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from archml.document import Box, Line, Page, Word, Zone
from archml.fields.text import fold_aligned

Kind = Literal["number", "day", "month", "year"]
_NUMBER = re.compile(r"^\W{0,2}s\s?[o06]\s?[:;.]*")
_SLASH = re.compile(r"/\s*(\w)")  # the notation starts at one followed by a capital
_DATE = re.compile(r"(?P<day>ngay)(?P<d>.*?)(?P<month>th\w?ng)(?P<m>.*?)(?P<year>n\w?m)"
                   r"(?P<y>\s*\S{0,6})")


@dataclass(frozen=True)
class Region:
    """A fill-in gap of ``line``: characters ``start:end`` of its text and their x-range."""

    kind: Kind
    line: Line
    start: int
    end: int
    x0: float
    x1: float

    @property
    def box(self) -> Box:
        """The gap across the line's band, half a line above and below."""
        h = self.line.box.height
        return Box(self.x0, self.line.box.y0 - h / 2, self.x1, self.line.box.y1 + h / 2)


def char_spans(line: Line) -> list[tuple[float, float]]:
    """The x-range of every character of ``line.text`` (a space: the gap between its words)."""
    spans: list[tuple[float, float]] = []
    for i, word in enumerate(line.words):
        if i:
            spans.append((spans[-1][1], word.box.x0))
        n = max(1, len(word.text))
        step = word.box.width / n
        spans += [(word.box.x0 + k * step, word.box.x0 + (k + 1) * step) for k in range(n)]
    return spans


def _char_width(line: Line) -> float:
    """Median width of a printed character: words of three or more letters."""
    widths = [w.box.width / len(t) for w in line.words
              if len(t := w.text.strip(".,:;")) >= 3 and t.isalpha()]
    return float(np.median(widths)) if widths else line.box.height / 2


def _word_at(line: Line, index: int) -> tuple[Word, int, int]:
    """The word holding character ``index`` of ``line.text``, the position in it, its length."""
    offset = 0
    for word in line.words:
        if index < offset + len(word.text) + 1:
            return word, min(index - offset, len(word.text) - 1), len(word.text)
        offset += len(word.text) + 1
    return line.words[-1], len(line.words[-1].text) - 1, len(line.words[-1].text)


def _region(kind: Kind, line: Line, spans: list[tuple[float, float]], start: int,
            end: int, keywords: bool = True) -> Region:
    """The gap from the end of the anchor before ``start`` to the one at ``end``; its
    characters without the spaces at either side."""
    left = spans[start - 1][1] if start else line.box.x0
    right = spans[end][0] if end < len(spans) else line.box.x1
    if keywords:  # OCR boxes of words that swallowed handwriting are too wide: cap them
        width = _char_width(line)
        if start:
            word, k, _ = _word_at(line, start - 1)
            left = min(left, word.box.x0 + (k + 1) * width)
        if end < len(spans):
            word, k, n = _word_at(line, end)
            right = max(right, word.box.x1 - (n - k) * width)
    text = line.text
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return Region(kind, line, start, end, left, max(left, right))


def number_region(line: Line) -> Region | None:
    """The gap between ``Số:`` and the ``/`` that starts the notation, if the line has both."""
    anchor = _NUMBER.match(fold_aligned(line.text))
    notation = next((m for m in _SLASH.finditer(line.text, anchor.end()) if m[1].isupper()),
                    None) if anchor else None
    if anchor is None or notation is None:
        return None
    return _region("number", line, char_spans(line), anchor.end(), notation.start(),
                   keywords=False)


def date_regions(line: Line) -> list[Region]:
    """The day, month and year gaps of a ``… ngày __ tháng __ năm ____`` line."""
    match = _DATE.search(fold_aligned(line.text))
    if match is None:
        return []
    spans = char_spans(line)
    regions = [_region(kind, line, spans, *match.span(gap))
               for kind, gap in (("day", "d"), ("month", "m"))]
    year = _region("year", line, spans, *match.span("y"))
    if year.start == year.end:  # nothing read after "năm": a gap of four digits' width
        year = Region("year", line, year.start, year.end, year.x0,
                      year.x0 + 2.5 * line.box.height)
    return [*regions, year]


def find_regions(page: Page) -> list[Region]:
    """Every fill-in gap of the page's NUMBER and PLACE_DATE lines (stamps are other zones)."""
    regions: list[Region] = []
    for block in page.zone_blocks(Zone.NUMBER):
        found = next((r for ln in block.lines if (r := number_region(ln))), None)
        regions += [found] if found else []
    for block in page.zone_blocks(Zone.PLACE_DATE) + page.zone_blocks(Zone.NUMBER):
        found_dates = next((d for ln in block.lines if (d := date_regions(ln))), [])
        regions += found_dates
    return regions


def ink_mask(image: np.ndarray) -> np.ndarray:
    """Dark or coloured pixels of an RGB/grey crop (Otsu on grey, blue ink included)."""
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    level, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    dark = grey < min(level, 200)
    if image.ndim != 3:
        return dark
    chroma = image.max(axis=2).astype(np.int16) - image.min(axis=2)
    return dark | ((chroma > 60) & (grey < 220))


def ink_box(image: np.ndarray, region: Region) -> Box | None:
    """The box of the ink written in ``region`` on ``image`` (page pixels), or ``None`` when
    the gap holds no stroke of at least a third of the line's height (blank or only dots)."""
    line = region.line.box
    band = region.box
    pad = line.height / 4
    x0, y0 = max(0, int(band.x0 - pad)), max(0, int(band.y0))
    x1, y1 = min(image.shape[1], int(band.x1 + pad)), min(image.shape[0], int(band.y1))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    count, _, stats, centres = cv2.connectedComponentsWithStats(
        ink_mask(image[y0:y1, x0:x1]).astype(np.uint8), connectivity=8)
    boxes = []
    for k in range(1, count):
        left, top, w, h, _area = stats[k]
        cx = centres[k][0] + x0
        if not band.x0 <= cx <= band.x1 or top + h + y0 < line.y0 or top + y0 > line.y1:
            continue
        if h < line.height / 3:
            continue
        box = Box(float(left + x0), float(top + y0), float(left + w + x0), float(top + h + y0))
        if box.width > 1.5 * line.height:  # joined to the printed words: keep the gap's part
            box = Box(max(band.x0, box.x0), box.y0, min(band.x1, box.x1), box.y1)
        boxes.append(box)
    return Box.enclosing(boxes) if boxes else None


def replace_words(region: Region, new: Word | None) -> None:
    """Replace the characters of ``region`` in its line by ``new`` (or drop them): words wholly
    in the gap go, words straddling it keep their outside parts with a share of their box."""
    words: list[Word] = []
    pending = [new] if new is not None else []
    offset = 0
    for word in region.line.words:
        start, stop = offset, offset + len(word.text)
        offset = stop + 1
        if stop <= region.start or start >= region.end:
            if start >= region.end:
                words += pending
                pending = []
            words.append(word)
            continue
        step = word.box.width / max(1, len(word.text))
        left, right = max(0, region.start - start), max(0, stop - region.end)
        if left:
            words.append(word.model_copy(update={"text": word.text[:left], "box": Box(
                word.box.x0, word.box.y0, word.box.x0 + left * step, word.box.y1)}))
        words += pending
        pending = []
        if right:
            words.append(word.model_copy(update={"text": word.text[-right:], "box": Box(
                word.box.x1 - right * step, word.box.y0, word.box.x1, word.box.y1)}))
    region.line.words[:] = words + pending
    if region.line.words:
        region.line.box = Box.enclosing(w.box for w in region.line.words)
