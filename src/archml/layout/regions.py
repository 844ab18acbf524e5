"""Page regions from geometry: the two-column header at the top, the two-column footer
(Nơi nhận left, signer right) at the bottom, and the full-width flow between them.

The header is the run of rows from the motto's row (or a row pairing two upper-case columns)
down to the first row with a segment centred on the text area (the title). The footer is the
trailing run of rows with no full-width line, from its first row that holds "Nơi nhận", a
signer's authority or title on the right, or a left/right pair with an upper-case right side.
Nothing here depends on the page index: a header starts each document, wherever it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archml.document import Line
from archml.layout import patterns
from archml.layout.config import LayoutConfig
from archml.layout.geometry import PageGeometry, centre_x, group_rows, is_centred, is_wide, row_box
from archml.layout.text import upper_ratio

Row = list[Line]


@dataclass
class Regions:
    """A page's segments by region, each column top to bottom."""

    above: list[Line] = field(default_factory=list)  # above the header: e-signature stamps
    header_left: list[Line] = field(default_factory=list)
    header_right: list[Line] = field(default_factory=list)
    body: list[Row] = field(default_factory=list)
    footer_left: list[Line] = field(default_factory=list)
    footer_right: list[Line] = field(default_factory=list)

    @property
    def has_header(self) -> bool:
        return bool(self.header_left or self.header_right)


def find_regions(lines: list[Line], geo: PageGeometry, config: LayoutConfig) -> Regions:
    """Split a page's segments (stamps already taken out) into header, body and footer."""
    rows = group_rows(lines, config.row_overlap)
    first, last = header_rows(rows, geo, config)
    start = footer_start(rows, last, geo, config)
    regions = Regions(above=[ln for row in rows[:first] for ln in row], body=rows[last:start])
    regions.header_left, regions.header_right = split_columns(rows[first:last], geo)
    regions.footer_left, regions.footer_right = split_columns(rows[start:], geo)
    return regions


def header_rows(rows: list[Row], geo: PageGeometry, config: LayoutConfig) -> tuple[int, int]:
    """The rows ``[first, last)`` that form the two-column header (``(0, 0)``: none).

    The header starts at the row of the motto (or else at the first row pairing two upper-case
    columns above a number line), and takes in organ lines just above it; rows above that
    (digital-signature stamps) stay out. It ends at the first row under the motto's, other than
    the number's, with a segment of text centred on the text area.
    """
    band = config.header_band * geo.height
    first = next((i for i, row in enumerate(rows) if row_box(row).y0 < band
                  and any(patterns.is_motto(ln.text, config.fuzzy) for ln in row)), None)
    if first is None:  # motto unreadable: upper-case columns with a number line under them
        first = next((i for i, row in enumerate(rows) if row_box(row).y0 < band
                      and _is_paired(row, geo)
                      and all(upper_ratio(ln.text) >= 0.8 for ln in row)
                      and any(_holds_number(below, geo) for below in rows[i:i + 4])), None)
    if first is None:
        return 0, 0
    last = first + 1  # the motto's row is header even where OCR ran it across both columns
    while first > 0 and _is_organ_above(rows[first - 1], rows[first], geo):
        first -= 1
    while (last < len(rows) and row_box(rows[last]).y0 < config.header_limit * geo.height
           and (_holds_number(rows[last], geo)
                or not any(is_centred(ln, geo, config.centre_tolerance) and _is_text(ln, config)
                           for ln in rows[last]))):
        last += 1
    return first, last


def _is_text(line: Line, config: LayoutConfig) -> bool:
    """More than a mark or noise: the rule under an organ's name or the motto, or a speck of a
    noisy scan, that OCR read as ``-``, ``:`` or a word it was unsure of (``TiT`` at
    confidence 0) between the header's columns does not end the header as a title would."""
    scores = [w.confidence for w in line.words if w.confidence is not None]
    return (sum(c.isalnum() for c in line.text) >= 2
            and (not scores or max(scores) >= config.noise_confidence))


def _holds_number(row: Row, geo: PageGeometry) -> bool:
    """The number row: its date may reach the centre when both are long."""
    return any(centre_x(ln.box) < geo.centre and patterns.is_number(ln.text) for ln in row)


def _is_organ_above(row: Row, below: Row, geo: PageGeometry) -> bool:
    """An upper-case left-column row right above ``below`` (a parent organ's name)."""
    gap = row_box(below).y0 - row_box(row).y1
    return (gap < 0.5 * geo.line_height and not _is_paired(row, geo)
            and all(centre_x(ln.box) < geo.centre and upper_ratio(ln.text) >= 0.8
                    for ln in row))


def footer_start(rows: list[Row], first: int, geo: PageGeometry, config: LayoutConfig) -> int:
    """Index of the first footer row (``len(rows)`` when the page has no footer)."""
    start = len(rows)
    while start > first and not any(is_wide(ln, geo, config.wide_fraction)
                                    for ln in rows[start - 1]):
        start -= 1
    for index in range(start, len(rows)):
        if _is_footer_anchor(rows[index], geo, config):
            return index
    return len(rows)


def split_columns(rows: list[Row], geo: PageGeometry) -> tuple[list[Line], list[Line]]:
    """Left and right column lines, top to bottom; pieces of one row and column are re-joined."""
    left: list[Line] = []
    right: list[Line] = []
    for row in rows:
        for side, wanted in ((left, True), (right, False)):
            parts = [ln for ln in row if (centre_x(ln.box) < geo.centre) == wanted]
            if parts:
                side.append(Line.from_words([w for ln in parts for w in ln.words]))
    return left, right


def _is_paired(row: Row, geo: PageGeometry) -> bool:
    sides = {centre_x(ln.box) < geo.centre for ln in row}
    return len(sides) == 2


def _is_footer_anchor(row: Row, geo: PageGeometry, config: LayoutConfig) -> bool:
    right = [ln for ln in row if centre_x(ln.box) >= geo.centre]
    if any(patterns.is_distribution(ln.text, config.fuzzy) for ln in row):
        return True
    if any(patterns.is_signer(ln.text, config.fuzzy) for ln in right):
        return True
    return _is_paired(row, geo) and any(upper_ratio(ln.text) >= 0.8 for ln in right)
