"""Page measurements (font size, text margins) and grouping of line segments into rows."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from archml.document import Box, Line


@dataclass(frozen=True)
class PageGeometry:
    """What the layout rules measure lengths against."""

    width: float
    height: float
    dpi: float
    word_height: float  # median word height
    line_height: float  # median line height
    left: float  # left edge of the body text
    right: float  # right edge of the body text

    @property
    def centre(self) -> float:
        """Horizontal centre of the text area (margins are unequal: 30–35 mm left, 15–20 right)."""
        return (self.left + self.right) / 2

    @property
    def text_width(self) -> float:
        return max(1.0, self.right - self.left)

    def mm(self, millimetres: float) -> float:
        return millimetres / 25.4 * self.dpi


def measure(lines: list[Line], width: float, height: float, dpi: float) -> PageGeometry:
    """Measure a page from its lines; falls back to Decree-30 margins where there is no body."""
    words = [w for ln in lines for w in ln.words]
    word_height = median(w.box.height for w in words) if words else dpi * 13 / 72
    line_height = median(ln.box.height for ln in lines) if lines else word_height * 1.4
    wide = [ln.box for ln in lines if ln.box.width > 0.5 * width]
    left, right = width * 32.5 / 210, width * (1 - 17.5 / 210)  # Decree 30 margins, of 210 mm
    if wide:
        left = _edge([b.x0 for b in wide], word_height / 2)
        right = -_edge([-b.x1 for b in wide], word_height / 2)
    return PageGeometry(width, height, dpi, word_height, line_height, left, right)


def _edge(values: list[float], tolerance: float) -> float:
    """The smallest value shared (within ``tolerance``) by a fifth of ``values``, or at least
    two of them: the aligned text edge, ignoring stray lines that start further out."""
    need = max(2, len(values) // 5) if len(values) > 1 else 1
    ordered = sorted(values)
    return next((v for v in ordered if sum(abs(o - v) <= tolerance for o in ordered) >= need),
                ordered[len(ordered) // 2])


def centre_x(box: Box) -> float:
    return (box.x0 + box.x1) / 2


def group_rows(lines: list[Line], overlap: float) -> list[list[Line]]:
    """Lines that share a y-range, top to bottom; each row left to right.

    A row never holds two lines one above the other (overlapping in x): those are two rows.
    """
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: (ln.box.y0 + ln.box.y1) / 2):
        row = rows[-1] if rows else []
        if (row and row_box(row).vertical_overlap(line.box) >= overlap
                and not any(_x_overlap(line.box, other.box) for other in row)):
            row.append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda ln: ln.box.x0) for row in rows]


def _x_overlap(a: Box, b: Box) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0)


def row_box(row: list[Line]) -> Box:
    return Box.enclosing(ln.box for ln in row)


def is_wide(line: Line, geo: PageGeometry, fraction: float) -> bool:
    """Wider than ``fraction`` of the text width: a full-width (body) line."""
    return line.box.width > fraction * geo.text_width


def is_centred(line: Line, geo: PageGeometry, tolerance: float) -> bool:
    """Centred on the text area, within ``tolerance`` × the page width."""
    return abs(centre_x(line.box) - geo.centre) < tolerance * geo.width
