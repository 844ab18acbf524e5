"""Where fill-ins go: the gap after ``Số:`` up to ``/notation``, and the gaps after ``ngày``,
``tháng`` and ``năm`` in the place-and-date line.

Gaps are found in the OCR text of a line, character by character: OCR often glues a handwritten
day to the printed words (``ngàyo£tháng``), so each character gets its share of its word's box
and a gap may start or end inside a word. :func:`ink_box` then finds the ink in the gap on the
page image: connected components centred in the gap that reach the line's band, so strokes that
cross the printed dots or rise above the line are kept and neighbouring lines are not. When the
gap holds blue or violet pen strokes, black print (the colon of ``Số:``, dot leaders, the slash,
rules, neighbouring words) is left out of the box and painted out of the crop
(:func:`without_print`): the pen is parted from the print it touches (:meth:`Strokes.apart`), so a
value written in one stroke across the dots is found whole, even past OCR's estimate of where
the gap ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from archml.document import Box, Line, Page, Word, Zone
from archml.fields.dates import DAY_WORD, MONTH_WORD, YEAR_WORD
from archml.fields.text import fold_aligned

Kind = Literal["number", "day", "month", "year"]
_NUMBER = re.compile(r"^\W{0,2}(?:s\s?[o06]\s?[:;.]*|[o06]\s?[:;][:;.]*)")  # OCR may lose the "S"
_SLASH = re.compile(r"/\s*([\w-]+)")  # the notation starts at one followed by capitals
_WORD = re.compile(r"\S+")
PRINT_CHROMA = 15
"""A pixel's (max − min channel) at or below which ink is black/grey print (JPEG fringes too)."""
PRINT_GREY = 130
"""Grey level that the darkest tenth of a printed (black) component's pixels stays under."""
PEN_SHARE = 0.3
"""Share of an ink component's pixels in pen colour from which it is a pen stroke."""
DOT_SIZE = 0.12
"""Ink components smaller than this share of the crop's height either way are dots."""
_DATE = re.compile(rf"(?P<day>{DAY_WORD})(?P<d>.*?)(?P<month>{MONTH_WORD})(?P<m>.*?)"
                   rf"(?P<year>{YEAR_WORD})(?P<y>\s*\S{{0,6}})")


@dataclass(frozen=True)
class Region:
    """A fill-in gap of ``line``: characters ``start:end`` of its text and their x-range."""

    kind: Kind
    line: Line
    start: int
    end: int
    x0: float
    x1: float
    runs_on: bool = False
    """Strokes that start in the gap count even when they end past it: a handwritten number's
    last digit often runs under OCR's box of the printed notation, which then ends the gap."""

    @property
    def box(self) -> Box:
        """The gap across the line's band, half a line above and below."""
        h = self.line.box.height
        return Box(self.x0, self.line.box.y0 - h / 2, self.x1, self.line.box.y1 + h / 2)


def char_spans(line: Line) -> list[tuple[float, float]]:
    """The x-range of every character of ``line.text`` (a space: the gap between its words):
    each word's box shared among its characters by their usual printed widths
    (:func:`glyph_width`), so the digits of ``41/GM-BTC`` end before its slash."""
    spans: list[tuple[float, float]] = []
    for i, word in enumerate(line.words):
        if i:
            spans.append((spans[-1][1], word.box.x0))
        widths = np.cumsum([0.0, *map(glyph_width, word.text or " ")])
        edges = word.box.x0 + word.box.width * widths / widths[-1]
        spans += list(zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True))[:len(word.text)]
    return spans


def glyph_width(char: str) -> float:
    """A character's advance in a Times-like face, in ems (capitals wide; digits half an em;
    the slash, hyphen, dot and colon narrow)."""
    if char in "/.,:;|!'":
        return 0.3
    if char == "-":
        return 0.33
    if char.isupper():
        return 0.7
    return 0.5 if char.isdigit() else 0.45


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


def _capitals(word: str) -> bool:
    """A notation's first word: starts with a capital, or mostly capitals after a letter OCR
    took for a small one (``/xNTTHN``)."""
    if not word:
        return False
    letters = [c for c in word if c.isalpha()]
    return word[0].isupper() or (word[0].isalpha() and len(letters) >= 3
                                 and sum(c.isupper() for c in letters) >= 0.6 * len(letters))


def number_region(line: Line) -> Region | None:
    """The gap between ``Số:`` and the notation, if the line has both: the notation starts at
    a ``/`` followed by capitals or, when OCR lost the slash, at the first hyphenated word of
    capitals (``Số: Số. KH-UBND``)."""
    anchor = _NUMBER.match(fold_aligned(line.text))
    start = _notation_start(line.text, anchor.end()) if anchor else None
    if anchor is None or start is None:
        return None
    return _region("number", line, char_spans(line), anchor.end(), start, keywords=False)


def _notation_start(text: str, after: int) -> int | None:
    slash = next((m for m in _SLASH.finditer(text, after) if _capitals(m[1])), None)
    if slash is not None:
        return slash.start()
    dashed = next((m for m in _WORD.finditer(text, after)
                   if "-" in m[0] and _capitals(m[0].lstrip("-"))), None)
    return dashed.start() if dashed else None


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


def _grey(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image


def chroma(image: np.ndarray) -> np.ndarray:
    """Per pixel of an RGB image, its strongest channel less its weakest (0: grey)."""
    red, green, blue = cv2.split(image)
    return cv2.subtract(cv2.max(cv2.max(red, green), blue), cv2.min(cv2.min(red, green), blue))


def ink_level(image: np.ndarray) -> float:
    """The Otsu grey level of a crop: darker is ink."""
    level, _ = cv2.threshold(_grey(image), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return float(level)


def ink_mask(image: np.ndarray, level: float | None = None) -> np.ndarray:
    """Dark or coloured pixels of an RGB/grey crop (darker than ``level``, by default the
    crop's own :func:`ink_level`; blue ink included)."""
    grey = _grey(image)
    dark = grey <= min(ink_level(image) if level is None else level, 200)
    if image.ndim != 3:
        return dark
    return dark | ((chroma(image) > 60) & (grey < 220))


def pen_mask(image: np.ndarray, level: float | None = None) -> np.ndarray:
    """Pixels of a crop in blue or violet pen, not black print (nor a red seal): ink with a
    chroma above :data:`PRINT_CHROMA` and blue the strongest channel."""
    if image.ndim != 3:
        return np.zeros(image.shape, bool)
    red, green, blue = cv2.split(image)
    return ink_mask(image, level) & (chroma(image) > PRINT_CHROMA) & (
        blue >= cv2.max(red, green))


@dataclass(frozen=True)
class Strokes:
    """The ink components of a crop and which of them are pen strokes: at least
    :data:`PEN_SHARE` of their pixels in :func:`pen_mask` (a faint stroke's pale edges and a
    rule it crosses stay with it), or pale (darkest tenth at least :data:`PRINT_GREY`: print
    is black) on a crop that has such coloured strokes. A crop without any has none."""

    count: int
    labels: np.ndarray
    stats: np.ndarray
    centres: np.ndarray
    pen: np.ndarray

    @classmethod
    def of(cls, crop: np.ndarray, level: float | None = None) -> Strokes:
        """The strokes of ``crop``, ink darker than ``level`` (see :func:`ink_mask`)."""
        count, labels, stats, centres = cv2.connectedComponentsWithStats(
            ink_mask(crop, level).astype(np.uint8), connectivity=8)
        pen_pixels = np.bincount(labels[pen_mask(crop, level)], minlength=count)
        coloured = pen_pixels >= PEN_SHARE * np.maximum(1, stats[:, cv2.CC_STAT_AREA])
        coloured[0] = False
        if not coloured.any():
            return cls(count, labels, stats, centres, coloured)
        pale = _darkest_tenth(cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY), labels, stats) >= PRINT_GREY
        pale[0] = False
        return cls(count, labels, stats, centres, coloured | pale)

    def apart(self, crop: np.ndarray) -> Strokes:
        """The pen strokes of ``crop`` (whose strokes these are) alone, parted from the print
        they touch: the pixels of print components and the black pixels of pen components (a
        dot leader or rule a stroke crosses) are taken out, the rest split into components."""
        black = (cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY) < PRINT_GREY) & (
            chroma(crop) <= PRINT_CHROMA)
        count, labels, stats, centres = cv2.connectedComponentsWithStats(
            (self.pen[self.labels] & ~black).astype(np.uint8), connectivity=8)
        return Strokes(count, labels, stats, centres, np.arange(count) > 0)


def _darkest_tenth(grey: np.ndarray, labels: np.ndarray, stats: np.ndarray) -> np.ndarray:
    """Per component, the grey level a tenth of its pixels are darker than."""
    order = np.lexsort((grey.ravel(), labels.ravel()))  # by component, then by grey level
    areas = stats[:, cv2.CC_STAT_AREA]
    starts = np.concatenate([[0], np.cumsum(areas)[:-1]])
    return grey.ravel()[order][starts + (areas - 1) // 10]


def ink_box(image: np.ndarray, region: Region) -> Box | None:
    """The box of the ink written in ``region`` on ``image`` (page pixels), or ``None`` when
    the gap holds no stroke of at least a third of the text's height (blank or only dots).
    When the gap holds pen strokes, only they count, parted from the print they touch and
    looked for a line height past the gap: the printed colon, dots, slash, rules and
    neighbouring words are black and stay out of the box."""
    line = region.line.box
    band = region.box
    pad = line.height / 4
    x0, y0 = max(0, int(band.x0 - pad)), max(0, int(band.y0))
    x1, y1 = min(image.shape[1], int(band.x1 + pad)), min(image.shape[0], int(band.y1))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    # the gap's own ink level: the print around it must not change what counts as ink
    level = ink_level(image[y0:y1, x0:x1])
    # pen strokes are looked for a line height either side: parted from the print, a value
    # centred in the gap is whole even where it runs past OCR's estimate of the gap's end
    left = max(0, int(band.x0 - line.height))
    right = min(image.shape[1], int(band.x1 + line.height))
    wide = image[y0:y1, left:right]
    strokes = Strokes.of(wide, level)
    boxes = strokes.pen.any() and _strokes(strokes.apart(wide), region, (left, y0), joined=False)
    if not boxes:  # black ink; a last digit may run on past the gap (see Region.runs_on)
        crop = image[y0:y1, x0:right if region.runs_on else x1]
        boxes = _strokes(Strokes.of(crop, level), region, (x0, y0))
    return Box.enclosing(_main_group(boxes, region)) if boxes else None


def _main_group(boxes: list[Box], region: Region) -> list[Box]:
    """The strokes of one written value: ``boxes`` split where a horizontal gap is wider than
    the line's height (a value's digits are closer), the group nearest the gap's centre kept:
    the start of the next gap's handwriting, reached when OCR glued the words and the gap runs
    past the printed keyword, is left out."""
    groups: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.x0):
        if groups and box.x0 - max(b.x1 for b in groups[-1]) <= region.line.box.height:
            groups[-1].append(box)
        else:
            groups.append([box])
    centre = (region.x0 + region.x1) / 2
    return min(groups, key=lambda g: abs(Box.enclosing(g).center[0] - centre))


def _strokes(strokes: Strokes, region: Region, origin: tuple[int, int],
             joined: bool = True) -> list[Box]:
    """Page boxes of the components of ``strokes`` (of a crop at ``origin``) centred in the gap and
    reaching the line's band; in a gap that :attr:`~Region.runs_on`, components that start in
    it too. The tallest must be at least a third of the text's height (:func:`text_height`;
    else the gap holds only dots or specks); the others at least half the tallest's height (a
    short ``1`` beside a tall ``6``, a stroke the binarisation broke) or a third of the text. A
    component wider than one and a half line heights may be ``joined`` to print: only its part
    in the gap counts."""
    line, band = region.line.box, region.box
    least = text_height(region.line) / 3
    x0, y0 = origin
    placed = []
    for k in range(1, strokes.count):
        left, top, w, h, _area = strokes.stats[k]
        cx = strokes.centres[k][0] + x0
        runs_on = region.runs_on and band.x0 <= left + x0 < band.x1
        if (band.x0 <= cx <= band.x1 or runs_on) and top + h + y0 >= line.y0 \
                and top + y0 <= line.y1:
            placed.append((left, top, w, h))
    tallest = max((h for *_, h in placed), default=0)
    if tallest < least:
        return []
    boxes = []
    for left, top, w, h in placed:
        if h < min(least, tallest / 2):
            continue
        box = Box(float(left + x0), float(top + y0), float(left + w + x0), float(top + h + y0))
        if joined and box.width > 1.5 * line.height:  # joined to print: keep the gap's part
            box = Box(max(band.x0, box.x0), box.y0, min(band.x1, box.x1), box.y1)
        boxes.append(box)
    return boxes


def text_height(line: Line) -> float:
    """The line's height as its words' median height: a noise word OCR read across a rule or
    a seal swells the line's box, not this."""
    return float(np.median([w.box.height for w in line.words])) if line.words else \
        line.box.height


def without_print(crop: np.ndarray) -> np.ndarray:
    """``crop`` with its print and dots painted over in the paper's colour when it holds pen
    strokes: ink components that are not pen (black dots, underlines, letter edges inside the
    box of a blue number) and components under :data:`DOT_SIZE` of the crop's height (leader
    dots, whatever their colour fringe: digits have none) are not read as digits."""
    strokes = Strokes.of(crop)
    if crop.ndim != 3 or not strokes.pen.any():
        return crop
    size = strokes.stats[:, [cv2.CC_STAT_WIDTH, cv2.CC_STAT_HEIGHT]].max(axis=1)
    drop = ~strokes.pen | (size < DOT_SIZE * crop.shape[0])
    drop[0] = False
    out = crop.copy()
    out[drop[strokes.labels]] = np.percentile(crop.reshape(-1, 3), 90, axis=0).astype(crop.dtype)
    return out


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
