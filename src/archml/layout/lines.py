"""Line building: regroup words into lines, and split lines into single-column segments.

OCR engines join the two columns of the Decree-30 header into one line ("ỦY BAN NHÂN DÂN
CỘNG HÒA XÃ HỘI ...", "Số: 86/QĐ-UBND Quảng Ngãi, ngày ..."). A wide gap between two words
(relative to the font height) separates the columns; where the gap is too narrow, the header
texts themselves tell where one column ends (before "CỘNG HÒA" and "Độc lập", after the ký hiệu).
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise
from statistics import median

from archml.document import Block, Line, Word
from archml.layout import patterns
from archml.layout.config import LayoutConfig
from archml.layout.text import fold

_TEXT_CATEGORIES = {"Lu", "Ll", "Lt", "Lo", "Nd"}
_CODE = re.compile(r"[-/A-ZĐÐ0-9]{1,12}")  # a part of a ký hiệu: "UBND", "2021", "HS-ST"


def lines_from_words(words: list[Word], overlap: float = 0.5) -> list[Line]:
    """Group loose words into lines by vertical overlap, each line left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.box.y0 + w.box.y1) / 2):
        for members in reversed(lines[-3:]):  # only the last few lines can still continue
            if Line.from_words(members).box.vertical_overlap(word.box) >= overlap:
                members.append(word)
                break
        else:
            lines.append([word])
    return [Line.from_words(sorted(ws, key=lambda w: w.box.x0)) for ws in lines]


def split_line(line: Line, gap: float) -> list[Line]:
    """Split ``line`` wherever two words are more than ``gap`` × the median word height apart."""
    words = sorted(line.words, key=lambda w: w.box.x0)
    if len(words) < 2:
        return [line] if words else []
    limit = gap * median(w.box.height for w in words)
    pieces: list[list[Word]] = [[words[0]]]
    for previous, word in pairwise(words):
        if word.box.x0 - previous.box.x1 > limit:
            pieces.append([])
        pieces[-1].append(word)
    return [Line.from_words(p) for p in pieces]


def split_header_line(line: Line) -> list[Line]:
    """Split a header line where the right column's text begins, when no gap showed it."""
    words = line.words
    folded = [fold(w.text) for w in words]
    cuts = {i for i in range(1, len(words) - 1)
            if (folded[i].startswith("cong") and folded[i + 1].startswith("hoa")
                and folded[i - 1] != "nuoc")  # "NHÂN DANH NƯỚC CỘNG HÒA ..." of a judgment
            or (folded[i].startswith("doc") and folded[i + 1].startswith("lap"))}
    if patterns.is_number(line.text) and line.text.lstrip()[:1].isupper():
        end = _notation_end([w.text for w in words])
        if end is not None and patterns.is_place_date(" ".join(w.text for w in words[end + 1:])):
            cuts.add(end + 1)
    if not cuts:
        return [line]
    bounds = [0, *sorted(cuts), len(words)]
    return [Line.from_words(words[a:b]) for a, b in pairwise(bounds)]


def _notation_end(texts: list[str]) -> int | None:
    """Index of the last word of the ký hiệu in a number line ("86", "/QĐ", "-UBND")."""
    start = next((i for i, t in enumerate(texts) if "/" in t), None)
    if start is None:
        return None
    end = start
    while end + 1 < len(texts):
        here, following = texts[end], texts[end + 1]
        if not (here.endswith(("-", "/")) or following.startswith(("-", "/"))
                or _CODE.fullmatch(following)):
            break
        end += 1
    return end


def is_noise(line: Line) -> bool:
    """No letter or digit at all: scanner specks and rules read as punctuation or accents."""
    return not any(unicodedata.category(ch) in _TEXT_CATEGORIES for ch in line.text)


def segment_lines(blocks: list[Block], page_height: float, config: LayoutConfig) -> list[Line]:
    """The single-column line segments of a page, from the blocks an engine produced."""
    lines = [ln for b in blocks for ln in b.lines if ln.words]
    if config.regroup_lines:
        lines = lines_from_words([w for ln in lines for w in ln.words], config.row_overlap)
    segments = [seg for ln in lines for seg in split_line(ln, config.split_gap)]
    if config.drop_noise:
        segments = [seg for seg in segments if not is_noise(seg)]
    band = config.header_band * page_height
    return [part for seg in segments
            for part in (split_header_line(seg) if seg.box.y0 < band else [seg])]
