"""Components outside the main reading flow: page number, stamps, copy block, page footer.

Each ``take_*`` function returns ``(taken, rest)``: the segments that form the component and
the segments left for the header / body / footer analysis.
"""

from __future__ import annotations

from archml.document import Box, Line, Word, Zone
from archml.layout import patterns
from archml.layout.config import LayoutConfig
from archml.layout.geometry import PageGeometry, centre_x, group_rows, is_centred, is_wide
from archml.layout.text import upper_ratio

Split = tuple[list[Line], list[Line]]


def take_page_number(lines: list[Line], geo: PageGeometry, config: LayoutConfig) -> Split:
    """A lone number at the top centre (page numbers of pages after the first)."""
    rows = group_rows(lines, config.row_overlap)
    for row in rows[:2]:
        line = row[0]
        if (len(row) == 1 and line.box.y1 < config.page_number_band * geo.height
                and patterns.is_page_number(line.text)
                and is_centred(line, geo, config.centre_tolerance)):
            return [line], without(lines, [line])
    return [], lines


def take_marks(lines: list[Line]) -> tuple[list[tuple[Line, Zone]], list[Line]]:
    """Secrecy and urgency stamps: segments whose whole text is MẬT, KHẨN, HỎA TỐC, ..."""
    taken = [(ln, zone) for ln in lines if (zone := patterns.stamp_zone(ln.text))]
    return taken, without(lines, [ln for ln, _ in taken])


def take_received_stamp(lines: list[Line], geo: PageGeometry, config: LayoutConfig) -> Split:
    """The received ("ĐẾN") stamp: its own short segments, plus the words it stamped over the
    left margin of body lines (the stamp text is merged into them by OCR)."""
    anchors = [w.box for ln in lines for i, w in enumerate(ln.words)
               if patterns.is_received_word(w.text)
               and (len(ln.words) <= 3 or (i > 0 and patterns.letters(ln.words[i - 1].text)
                                            in ("cv", "van")))]
    taken: list[Line] = []
    rest = lines
    for anchor in anchors:
        stamp, rest = _stamp_around(anchor, rest, geo, config)
        taken.extend(stamp)
    return taken, rest


def _stamp_around(anchor: Box, lines: list[Line], geo: PageGeometry,
                  config: LayoutConfig) -> Split:
    """The stamp's own segments: narrow ones near ``anchor``, each touching the stamp grown so
    far; then the words of longer lines that stick out left of the body text under the stamp."""
    size = geo.mm(config.stamp_width_mm)
    top = anchor.y0 - config.stamp_above * geo.line_height
    bottom = anchor.y1 + config.stamp_below * geo.line_height
    inside = [ln for ln in lines if top <= (ln.box.y0 + ln.box.y1) / 2 <= bottom]
    candidates = [ln for ln in inside
                  if ln.box.width <= size and not (patterns.has_notation(ln.text)
                                                   or patterns.is_motto(ln.text)
                                                   or patterns.is_place_date(ln.text))]
    stamp = [ln for ln in candidates if ln.box.intersection_area(anchor) > 0]
    if not stamp:
        return [], lines
    while grown := [ln for ln in without(candidates, stamp) if _touches(ln.box, stamp, geo)]:
        stamp += grown
    stamp_right = max(ln.box.x1 for ln in stamp)
    margin = geo.left + 0.5 * geo.word_height
    inside_ids = {id(ln) for ln in inside}
    taken, rest = list(stamp), []
    for line in without(lines, stamp):
        if id(line) in inside_ids and line.box.x0 < min(stamp_right,
                                                        geo.left - 0.5 * geo.word_height):
            over: list[Word] = [w for w in line.words if centre_x(w.box) < margin]
            body = [w for w in line.words if centre_x(w.box) >= margin]
            if over:
                taken.append(Line.from_words(over))
            if body:
                rest.append(Line.from_words(body))
            continue
        rest.append(line)
    return taken, rest


def _touches(box: Box, stamp: list[Line], geo: PageGeometry) -> bool:
    """Overlapping the stamp in x, and vertically within half a line below a stamp segment or
    a line and a half above one (a rule often parts the receiving organ's name from "ĐẾN")."""
    left = min(ln.box.x0 for ln in stamp) - geo.word_height
    right = max(ln.box.x1 for ln in stamp) + geo.word_height
    above, below = 1.5 * geo.line_height, 0.5 * geo.line_height
    return box.x0 < right and box.x1 > left and any(
        ln.box.y0 - above < box.y1 and box.y0 < ln.box.y1 + below for ln in stamp)


def take_copy_block(lines: list[Line], geo: PageGeometry, config: LayoutConfig) -> Split:
    """A SAO Y / SAO LỤC / TRÍCH SAO block: from its mark (and the copying organ beside or just
    above it) to the bottom of the page. A mark with body text below it is a rubber stamp on a
    copy and only the mark itself is taken."""
    marks = [ln for ln in lines if patterns.is_copy_mark(ln.text)]
    if not marks:
        return [], lines
    mark = min(marks, key=lambda ln: ln.box.y0)
    below = [ln for ln in lines if ln.box.y0 > mark.box.y1]
    if any(is_wide(ln, geo, config.wide_fraction) for ln in below):
        return marks, without(lines, marks)
    top = mark.box.y0 - config.copy_above * geo.line_height
    taken = [ln for ln in lines
             if ln.box.y0 >= mark.box.y0 - 0.5 * geo.line_height
             or (ln.box.y0 >= top and not is_wide(ln, geo, config.wide_fraction)
                 and upper_ratio(ln.text) >= 0.8)]
    return taken, without(lines, taken)


def take_page_footer(lines: list[Line], geo: PageGeometry, config: LayoutConfig) -> Split:
    """Address, phone, e-mail and website lines at the foot of the page (ô 13)."""
    band = config.page_footer_band * geo.height
    taken = [ln for ln in lines if ln.box.y0 > band and patterns.is_contact(ln.text)]
    return taken, without(lines, taken)


def without(lines: list[Line], taken: list[Line]) -> list[Line]:
    """``lines`` less the very objects in ``taken`` (lines compare by value, not identity)."""
    ids = {id(ln) for ln in taken}
    return [ln for ln in lines if id(ln) not in ids]
