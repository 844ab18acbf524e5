"""Page geometry: place the words of a page's content on an A4 sheet, in pixels.

Layout only needs text widths and line heights, which a :class:`Typesetter` (the renderer)
provides; it draws nothing. The result is a :class:`PageLayout`: blocks of lines of words at
baseline positions, in reading order, plus the horizontal rules Decree 30 puts under the organ
name, the motto and the subject.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from archml.document import Zone
from archml.synth.fonts import FontStyle
from archml.synth.values import MOTTO, NATIONAL_NAME, Decree30Content, Paragraph

A4_MM = (210.0, 297.0)
Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True)
class TextStyle:
    size_pt: float
    bold: bool = False
    italic: bool = False

    @property
    def font_style(self) -> FontStyle:
        if self.bold:
            return "bold_italic" if self.italic else "bold"
        return "italic" if self.italic else "regular"


class Typesetter(Protocol):
    def width(self, text: str, style: TextStyle) -> float:
        """Advance width of ``text`` in pixels."""

    def space(self, style: TextStyle) -> float:
        """Advance width of one space in pixels."""


@dataclass(frozen=True)
class PlacedWord:
    text: str
    x: float  # left end of the advance
    y: float  # baseline
    style: TextStyle


@dataclass
class PlacedBlock:
    zone: Zone | None
    lines: list[list[PlacedWord]] = field(default_factory=list)


@dataclass
class PageLayout:
    width: int
    height: int
    blocks: list[PlacedBlock] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # (x0, x1, y)


def a4_size(dpi: float) -> tuple[int, int]:
    return round(A4_MM[0] / 25.4 * dpi), round(A4_MM[1] / 25.4 * dpi)


class _Frame:
    """Placement helpers for one page: unit conversion, wrapping and aligned lines."""

    def __init__(self, ts: Typesetter, dpi: float, leading: float) -> None:
        self.ts, self.dpi, self.leading = ts, dpi, leading

    def mm(self, value: float) -> float:
        return value * self.dpi / 25.4

    def pt(self, value: float) -> float:
        return value * self.dpi / 72

    def advance(self, style: TextStyle) -> float:
        """Baseline-to-baseline distance."""
        return self.pt(style.size_pt) * self.leading

    def wrap(self, text: str, style: TextStyle, width: float, indent: float = 0) -> list[list[str]]:
        """Greedy word wrap; the first line is ``indent`` narrower."""
        lines: list[list[str]] = [[]]
        used = indent
        space = self.ts.space(style)
        for word in text.split():
            w = self.ts.width(word, style)
            if lines[-1] and used + space + w > width:
                lines.append([])
                used = 0
            used += (space if lines[-1] else 0) + w
            lines[-1].append(word)
        return [ln for ln in lines if ln]

    def balanced_wrap(self, text: str, style: TextStyle, width: float) -> list[list[str]]:
        """Wrap into as few lines as greedy wrapping, but with lines of similar length."""
        lines = self.wrap(text, style, width)
        low, high = 0.0, width
        while len(lines) > 1 and high - low > self.pt(2):
            mid = (low + high) / 2
            if len(trial := self.wrap(text, style, mid)) == len(lines):
                high, lines = mid, trial
            else:
                low = mid
        return lines

    def line(self, words: list[str], style: TextStyle, x0: float, x1: float, y: float,
             align: Align = "left") -> list[PlacedWord]:
        """Words of one line between ``x0`` and ``x1`` with baseline ``y``."""
        widths = [self.ts.width(w, style) for w in words]
        space = self.ts.space(style)
        natural = sum(widths) + space * (len(words) - 1)
        if align == "justify" and len(words) > 1:
            space = (x1 - x0 - sum(widths)) / (len(words) - 1)
            x = x0
        else:
            x = {"left": x0, "center": (x0 + x1 - natural) / 2, "right": x1 - natural,
                 "justify": x0}[align]
        placed = []
        for word, w in zip(words, widths, strict=True):
            placed.append(PlacedWord(word, x, y, style))
            x += w + space
        return placed

    def lines(self, text: str, style: TextStyle, x0: float, x1: float, y: float,
              align: Align = "center") -> tuple[list[list[PlacedWord]], float]:
        """``text`` wrapped into ``[x0, x1]`` from baseline ``y``; returns lines and next y."""
        out = []
        for words in self.balanced_wrap(text, style, x1 - x0):
            out.append(self.line(words, style, x0, x1, y, align))
            y += self.advance(style)
        return out, y


def decree30_layout(content: Decree30Content, ts: Typesetter, *, dpi: float, size_pt: float,
                    leading: float = 1.25) -> PageLayout:
    """Phụ lục I positions: header columns, title, body, signer and distribution (last page)."""
    width, height = a4_size(dpi)
    f = _Frame(ts, dpi, leading)
    page = PageLayout(width, height)
    left, right = f.mm(30), width - f.mm(15)
    organ_col = (f.mm(22), f.mm(96))
    motto_col = (f.mm(88), right + f.mm(5))
    regular, bold = TextStyle(size_pt), TextStyle(size_pt, bold=True)
    top = f.mm(20) + f.pt(size_pt)

    # Boxes 2 and 1: organ (left) and national name + motto (right), each with a rule under it.
    organ, y_left = PlacedBlock(Zone.ORGAN), top
    for i, text in enumerate(content.organ):
        last = i == len(content.organ) - 1
        style = TextStyle(size_pt - 1, bold=True) if last else TextStyle(size_pt - 1)
        lines, y_left = f.lines(text, style, *organ_col, y_left)
        organ.lines += lines
    _rule_under(page, f, organ.lines[-1], fraction=0.4)
    motto = PlacedBlock(Zone.MOTTO)
    lines, y_right = f.lines(NATIONAL_NAME, TextStyle(size_pt - 1, bold=True), *motto_col, top)
    motto.lines += lines
    lines, y_right = f.lines(MOTTO, TextStyle(size_pt + 1, bold=True), *motto_col, y_right)
    motto.lines += lines
    _rule_under(page, f, motto.lines[-1], fraction=1.0)

    # Boxes 3 and 4 share a baseline.
    y = max(y_left, y_right) + f.pt(size_pt) * 0.5
    number = PlacedBlock(Zone.NUMBER, [f.line(content.number.split(), regular, *organ_col, y,
                                              "center")])
    place_date = PlacedBlock(Zone.PLACE_DATE, [f.line(content.place_date.split(),
                                                      TextStyle(size_pt, italic=True),
                                                      *motto_col, y, "center")])
    y += f.advance(regular)
    page.blocks += [organ, number]
    if not content.title:  # công văn: "V/v ..." under the number (box 5b), then "Kính gửi"
        lines, y = f.lines(content.subject, TextStyle(size_pt - 1), *organ_col, y + f.pt(6))
        page.blocks.append(PlacedBlock(Zone.SUBJECT, lines))
    page.blocks += [motto, place_date]

    y += f.pt(size_pt)
    if content.title:  # box 5a: type name and subject, centred, with a short rule under it
        lines, y = f.lines(content.title, TextStyle(size_pt + 1, bold=True), left, right, y)
        page.blocks.append(PlacedBlock(Zone.TITLE, lines))
        lines, y = f.lines(content.subject, bold, left + f.mm(15), right - f.mm(15), y)
        page.blocks.append(PlacedBlock(Zone.SUBJECT, lines))
        centre = (left + right) / 2
        rule_y = lines[-1][0].y + f.pt(size_pt) * 0.55
        page.rules.append((centre - f.mm(20), centre + f.mm(20), rule_y))
        y += f.pt(size_pt) * 0.5
    for text in content.recipients:
        lines, y = f.lines(text, regular, left, right, y)
        page.blocks.append(PlacedBlock(Zone.RECIPIENTS, lines))
    if content.authority:
        lines, y = f.lines(content.authority, bold, left, right, y)
        page.blocks.append(PlacedBlock(Zone.BODY, lines))

    # Box 6, cut where boxes 7 and 9b must start to fit above the bottom margin.
    signer_height = f.advance(bold) * (len(content.signer) + 1) + f.mm(25)
    limit = height - f.mm(20) - max(signer_height,
                                    f.advance(regular) * (len(content.distribution) + 1))
    y = _body(page, f, content.paragraphs, size_pt, left, right, y + f.pt(6), limit)

    # Boxes 9b (left) and 7 (right) start level with each other.
    y += f.pt(size_pt)
    dist = PlacedBlock(Zone.DISTRIBUTION)
    lines, y_dist = f.lines("Nơi nhận:", TextStyle(size_pt - 1, bold=True, italic=True), left,
                            f.mm(100), y, "left")
    dist.lines += lines
    for item in content.distribution:
        lines, y_dist = f.lines(item, TextStyle(size_pt - 2), left, f.mm(100), y_dist, "left")
        dist.lines += lines
    signer_col = (f.mm(100), right)
    signer = PlacedBlock(Zone.SIGNER)
    for text in content.signer:
        lines, y = f.lines(text, bold, *signer_col, y)
        signer.lines += lines
    lines, _ = f.lines(content.signer_name, bold, *signer_col, y + f.mm(25))
    signer.lines += lines
    page.blocks += [dist, signer]
    return page


def plain_layout(paragraphs: list[str], ts: Typesetter, *, dpi: float, size_pt: float,
                 leading: float = 1.25) -> PageLayout:
    """Left-aligned paragraphs inside 25 mm margins, as many as fit on the page."""
    width, height = a4_size(dpi)
    f = _Frame(ts, dpi, leading)
    page = PageLayout(width, height)
    style = TextStyle(size_pt)
    _body(page, f, tuple(Paragraph(p, "plain") for p in paragraphs), size_pt, f.mm(25),
          width - f.mm(25), f.mm(25) + f.pt(size_pt), height - f.mm(25) - f.advance(style))
    return page


def _body(page: PageLayout, f: _Frame, paragraphs: tuple[Paragraph, ...], size_pt: float,
          x0: float, x1: float, y: float, limit: float) -> float:
    """Justified paragraphs with a first-line indent, stopping at ``limit``; returns next y."""
    indent = f.mm(12.7)
    for para in paragraphs:
        style = TextStyle(size_pt, bold=para.kind == "heading", italic=para.kind == "basis")
        block = PlacedBlock(Zone.BODY)
        if para.kind == "heading":
            wrapped = [(w, 0.0, "center") for w in f.wrap(para.text, style, x1 - x0)]
        elif para.kind == "plain":
            wrapped = [(w, 0.0, "left") for w in f.wrap(para.text, style, x1 - x0)]
        else:
            lines = f.wrap(para.text, style, x1 - x0, indent)
            wrapped = [(w, indent if i == 0 else 0.0, "left" if i == len(lines) - 1 else "justify")
                       for i, w in enumerate(lines)]
        for words, offset, align in wrapped:
            if y > limit:
                break
            block.lines.append(f.line(words, style, x0 + offset, x1, y, align))
            y += f.advance(style)
        if block.lines:
            page.blocks.append(block)
        if y > limit:
            break
        y += f.pt(6)
    return y


def _rule_under(page: PageLayout, f: _Frame, line: list[PlacedWord], fraction: float) -> None:
    """A rule under ``line``, centred on it and ``fraction`` as wide."""
    x0 = line[0].x
    x1 = line[-1].x + f.ts.width(line[-1].text, line[-1].style)
    half = (x1 - x0) * fraction / 2
    centre = (x0 + x1) / 2
    baseline = line[0].y + f.pt(line[0].style.size_pt) * 0.55
    page.rules.append((centre - half, centre + half, baseline))

