"""Page geometry: flow a :class:`~archml.synth.content.DocContent` onto A4 pages, in pixels.

Layout only needs text widths, which a :class:`Typesetter` (the renderer) provides; it draws
nothing. The result is one :class:`PageLayout` per page: blocks of lines of words at baseline
positions in reading order (each word knows which characters belong to which field), rules and
table lines, and the spots where the renderer puts signatures, seals and the parcel sketch.
Page geometry (:class:`Geometry`) comes from the style stream, never from the document class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from archml.document import Zone
from archml.synth.content import (
    Copy,
    DocContent,
    Header,
    Para,
    Signature,
    Sketch,
    Span,
    Table,
)
from archml.synth.fonts import FontStyle
from archml.synth.values import MOTTO, NATIONAL_NAME

A4_MM = (210.0, 297.0)
Align = Literal["left", "center", "right", "justify"]
Tag = tuple[int, int, str]  # (start, end, field) character range inside a word


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
class Geometry:
    """Page set-up: resolution, base size, leading and margins (mm), as Decree 30 allows."""

    dpi: int = 200
    size_pt: float = 13.0
    leading: float = 1.25
    margins: tuple[float, float, float, float] = (20.0, 20.0, 30.0, 15.0)  # top bottom left right
    para_gap_pt: float = 6.0
    indent_mm: float = 12.7
    header_shift_mm: float = 0.0


@dataclass(frozen=True)
class PlacedWord:
    text: str
    x: float  # left end of the advance
    y: float  # baseline
    style: TextStyle
    tags: tuple[Tag, ...] = ()
    hand: bool = False


@dataclass
class PlacedBlock:
    zone: Zone | None
    lines: list[list[PlacedWord]] = field(default_factory=list)


@dataclass(frozen=True)
class Spot:
    """A rectangle reserved for a drawn mark: ``kind`` is signature, seal or sketch."""

    kind: str
    box: tuple[float, float, float, float]
    text: str = ""
    edges: tuple[float, ...] = ()


@dataclass
class PageLayout:
    width: int
    height: int
    blocks: list[PlacedBlock] = field(default_factory=list)
    segments: list[tuple[float, float, float, float]] = field(default_factory=list)
    spots: list[Spot] = field(default_factory=list)


def a4_size(dpi: float) -> tuple[int, int]:
    return round(A4_MM[0] / 25.4 * dpi), round(A4_MM[1] / 25.4 * dpi)


@dataclass
class _Token:
    text: str
    style: TextStyle
    tags: list[Tag]
    hand: bool


class PageFull(Exception):
    """Raised inside :class:`Flow` when a one-page layout runs out of room."""


class Flow:
    """Places elements top to bottom, starting new pages as needed (up to ``max_pages``)."""

    def __init__(self, ts: Typesetter, geo: Geometry, max_pages: int = 8) -> None:
        self.ts, self.geo, self.max_pages = ts, geo, max_pages
        self.width, self.height = a4_size(geo.dpi)
        top, bottom, left, right = geo.margins
        self.top, self.bottom = self.mm(top), self.height - self.mm(bottom)
        self.left, self.right = self.mm(left), self.width - self.mm(right)
        self.pages: list[PageLayout] = []
        self.y = 0.0
        self.new_page()

    # Units -------------------------------------------------------------------------------
    def mm(self, value: float) -> float:
        return value * self.geo.dpi / 25.4

    def pt(self, value: float) -> float:
        return value * self.geo.dpi / 72

    def style(self, para: Para, span: Span | None = None) -> TextStyle:
        bold = para.bold if span is None or span.bold is None else span.bold
        italic = para.italic if span is None or span.italic is None else span.italic
        if para.kind == "basis":
            italic = True
        if para.kind == "heading":
            bold = True
        return TextStyle(self.geo.size_pt + para.size, bold, italic)

    def advance(self, style: TextStyle) -> float:
        return self.pt(style.size_pt) * self.geo.leading

    @property
    def page(self) -> PageLayout:
        return self.pages[-1]

    def new_page(self) -> None:
        if len(self.pages) >= self.max_pages:
            raise PageFull
        self.pages.append(PageLayout(self.width, self.height))
        self.y = self.top + self.pt(self.geo.size_pt)
        if len(self.pages) > 1:  # page numbers: top centre, none on page 1
            style = TextStyle(self.geo.size_pt - 1)
            text = str(len(self.pages))
            x = (self.width - self.ts.width(text, style)) / 2
            self.page.blocks.append(PlacedBlock(Zone.PAGE_NUMBER, [[PlacedWord(
                text, x, self.mm(12), style)]]))

    def ensure(self, height: float) -> None:
        if self.y + height > self.bottom:
            self.new_page()

    # Words and lines ---------------------------------------------------------------------
    def tokens(self, para: Para) -> list[_Token]:
        out: list[_Token] = []
        for span in para.spans:
            style = self.style(para, span)
            for i, word in enumerate(span.text.split()):
                tags = [(0, len(word), span.field)] if span.field else []
                if i == 0 and span.glue and out and not span.hand and not out[-1].hand:
                    prev = out[-1]
                    base = len(prev.text)
                    prev.tags += [(a + base, b + base, f) for a, b, f in tags]
                    prev.text += word
                    continue
                out.append(_Token(word, style, tags, span.hand))
        return out

    def token_width(self, tok: _Token) -> float:
        width = self.ts.width(tok.text, tok.style)
        return width * 1.4 + self.pt(6) if tok.hand else width

    def wrap(self, tokens: list[_Token], width: float, indent: float = 0.0) -> list[list[_Token]]:
        lines: list[list[_Token]] = [[]]
        used = indent
        for tok in tokens:
            w = self.token_width(tok)
            space = self.ts.space(tok.style)
            if lines[-1] and used + space + w > width:
                lines.append([])
                used = 0.0
            used += (space if lines[-1] else 0.0) + w
            lines[-1].append(tok)
        return [ln for ln in lines if ln]

    def place_line(self, toks: list[_Token], x0: float, x1: float, y: float,
                   align: Align) -> list[PlacedWord]:
        widths = [self.token_width(t) for t in toks]
        space = self.ts.space(toks[0].style)
        natural = sum(widths) + space * (len(toks) - 1)
        if align == "justify" and len(toks) > 1:
            space = max(space, (x1 - x0 - sum(widths)) / (len(toks) - 1))
            x = x0
        else:
            x = {"left": x0, "center": (x0 + x1 - natural) / 2, "right": x1 - natural,
                 "justify": x0}[align]
        placed = []
        for tok, w in zip(toks, widths, strict=True):
            placed.append(PlacedWord(tok.text, x, y, tok.style, tuple(tok.tags), tok.hand))
            x += w + space
        return placed

    def para(self, para: Para, x0: float | None = None, x1: float | None = None,
             keep: bool = False) -> PlacedBlock:
        """Place ``para`` between ``x0`` and ``x1`` from ``self.y``; ``keep``: no page break."""
        x0 = self.left if x0 is None else x0
        x1 = self.right if x1 is None else x1
        toks = self.tokens(para)
        block = PlacedBlock(para.zone)
        if not toks:
            return block
        indent = self.mm(self.geo.indent_mm) if para.kind in ("body", "basis") else 0.0
        lines = self.wrap(toks, x1 - x0, indent)
        for i, line in enumerate(lines):
            adv = self.advance(line[0].style)
            if not keep and self.y + adv > self.bottom:
                self._flush(block)
                block = PlacedBlock(para.zone)
                self.new_page()
            last = i == len(lines) - 1
            if para.kind in ("body", "basis"):
                align: Align = "left" if last else "justify"
                start = x0 + (indent if i == 0 else 0.0)
            elif para.kind in ("heading", "center"):
                align, start = "center", x0
            elif para.kind == "right":
                align, start = "center", max(x0, (x0 + x1) / 2 - self.mm(10))
            else:
                align, start = "left", x0
            block.lines.append(self.place_line(line, start, x1, self.y, align))
            self.y += adv
        self._flush(block)
        return block

    def _flush(self, block: PlacedBlock) -> None:
        if block.lines:
            self.page.blocks.append(block)

    def rule_under(self, line: list[PlacedWord], fraction: float) -> None:
        x0 = line[0].x
        x1 = line[-1].x + self.ts.width(line[-1].text, line[-1].style)
        half, centre = (x1 - x0) * fraction / 2, (x0 + x1) / 2
        y = line[0].y + self.pt(line[0].style.size_pt) * 0.35
        self.page.segments.append((centre - half, y, centre + half, y))

    # Elements ----------------------------------------------------------------------------
    def header(self, h: Header) -> None:
        shift = self.mm(self.geo.header_shift_mm)
        organ_col = (self.left - self.mm(8) + shift, self.mm(96) + shift)
        motto_col = (self.mm(88) + shift, self.right + self.mm(5))
        top = self.y
        for p in h.organ:
            block = self.para(p, *organ_col, keep=True)
        if h.organ and block.lines:
            self.rule_under(block.lines[-1], 0.4)
        y_left = self.y + self.pt(4)
        self.y = top
        if h.motto:
            self.para(Para.of(NATIONAL_NAME, "center", zone=Zone.MOTTO, bold=True, size=-1),
                      *motto_col, keep=True)
            block = self.para(Para.of(MOTTO, "center", zone=Zone.MOTTO, bold=True),
                              *motto_col, keep=True)
            self.rule_under(block.lines[-1], 1.0)
        y_right = self.y + self.pt(4)
        y = max(y_left, y_right)
        self.y = y
        for p in h.under_organ:
            self.para(p, *organ_col, keep=True)
        y_left = self.y
        self.y = y
        for p in h.under_motto:
            self.para(p, *motto_col, keep=True)
        self.y = max(y_left, self.y) + self.pt(self.geo.size_pt) * 0.6

    def stamp_row(self, labels: list[tuple[str, Zone]]) -> None:
        """Secrecy/urgency stamps (box 10) under the header, left; framed by the renderer."""
        x = self.left
        style = TextStyle(self.geo.size_pt + 1, bold=True)
        for text, zone in labels:
            line = self.place_line([_Token(w, style, [(0, len(w), zone.value)], False)
                                    for w in text.split()], x, self.right, self.y, "left")
            self.page.blocks.append(PlacedBlock(zone, [line]))
            end = line[-1].x + self.ts.width(line[-1].text, style)
            pad = self.pt(4)
            self.page.spots.append(Spot("frame", (x - pad, self.y - self.pt(style.size_pt) - pad,
                                                  end + pad, self.y + pad)))
            x = end + self.mm(10)
        self.y += self.advance(style) + self.pt(4)

    def table(self, t: Table) -> None:
        widths = [w * (self.right - self.left) for w in t.widths]
        pad = self.pt(3)
        style = TextStyle(self.geo.size_pt - 1)
        rows: list[tuple[Para, ...]] = [tuple(Para((Span(h, bold=True),), "center", t.zone, size=-1)
                                              for h in t.header)]
        rows += [tuple(Para((c,), "center", t.zone, size=-1) for c in row) for row in t.rows]
        top = self.y - self.pt(style.size_pt)
        self.page.segments.append((self.left, top, self.right, top))
        for row in rows:
            n_lines = max(len(self.wrap(self.tokens(c), w - 2 * pad)) for c, w in zip(
                row, widths, strict=True))
            height = n_lines * self.advance(style) + 2 * pad
            if self.y + height > self.bottom:
                self.new_page()
                top = self.y - self.pt(style.size_pt)
                self.page.segments.append((self.left, top, self.right, top))
            x, base = self.left, self.y + pad
            for cell, w in zip(row, widths, strict=True):
                self.y = base
                self.para(cell, x + pad, x + w - pad, keep=True)
                self.page.segments.append((x, top, x, top + height))
                x += w
            self.page.segments.append((self.right, top, self.right, top + height))
            top += height
            self.page.segments.append((self.left, top, self.right, top))
            self.y = top + self.pt(style.size_pt)
        self.y += self.pt(self.geo.para_gap_pt)

    def sketch(self, sk: Sketch) -> None:
        height = self.mm(55)
        self.ensure(height + self.advance(TextStyle(self.geo.size_pt)))
        self.para(Para((Span(sk.label, bold=True),), "left"))
        x0 = self.left + self.mm(30)
        box = (x0, self.y, x0 + self.mm(90), self.y + height - self.mm(5))
        self.page.spots.append(Spot("sketch", box, edges=sk.edges))
        self.y += height

    def signature(self, sig: Signature) -> None:
        bold = TextStyle(self.geo.size_pt, bold=True)
        gap = self.mm(22)
        need = self.advance(bold) * (len(sig.authority) + 1) + gap
        self.ensure(need)
        mid = self.left + (self.right - self.left) * 0.45
        top = self.y + self.pt(self.geo.size_pt) * 0.5
        self.y = top
        for p in sig.distribution:
            self.para(p, self.left, mid, keep=True)
        y_dist = self.y
        self.y = top
        for p in sig.authority:
            self.para(p, mid, self.right, keep=True)
        sign_top = self.y
        self.y += gap
        name_top = self.y - self.pt(self.geo.size_pt) * 1.1
        name = self.para(sig.name, mid, self.right, keep=True)
        centre = (mid + self.right) / 2
        box = (centre - self.mm(25), sign_top, centre + self.mm(25), name_top)
        if sig.signed:
            self.page.spots.append(Spot("signature", box))
        if sig.seal and name.lines:
            r = self.mm(18)
            cx, cy = box[0] + self.mm(4), (sign_top + box[3]) / 2
            self.page.spots.append(Spot("seal", (cx - r, cy - r, cx + r, cy + r), sig.seal))
        self.y = max(self.y, y_dist) + self.pt(self.geo.para_gap_pt)

    def copy_block(self, c: Copy) -> None:
        """A "SAO Y" block under a full-width rule (Phụ lục I, Phần II)."""
        size = self.geo.size_pt - 1
        self.ensure(self.mm(70))
        self.y += self.pt(size)
        self.page.segments.append((self.left, self.y - self.pt(size), self.right,
                                   self.y - self.pt(size)))
        mid = (self.left + self.right) / 2
        top = self.y
        for line in c.organ:
            self.para(Para.of(line, "center", zone=Zone.COPY, size=-1, bold=True), self.left,
                      mid, keep=True)
        self.para(Para.of(c.number, "center", zone=Zone.COPY, size=-1), self.left, mid, keep=True)
        y_left = self.y
        self.y = top
        self.para(Para.of("SAO Y", "center", zone=Zone.COPY, bold=True), mid, self.right,
                  keep=True)
        self.para(Para.of(c.place_date, "center", zone=Zone.COPY, italic=True, size=-1), mid,
                  self.right, keep=True)
        self.y = max(y_left, self.y)
        self.signature(Signature(tuple(Para.of(a, "center", zone=Zone.COPY, bold=True, size=-1)
                                       for a in c.authority),
                                 Para.of(c.name, "center", zone=Zone.COPY, bold=True, size=-1),
                                 seal=" ".join(c.organ)))


def flow_document(content: DocContent, ts: Typesetter, geo: Geometry,
                  max_pages: int = 8) -> list[PageLayout]:
    """Lay ``content`` out on as many pages as it needs (at most ``max_pages``; the rest is
    dropped)."""
    flow = Flow(ts, geo, max_pages)
    stamps = [(t, z) for t, z in ((content.secrecy, Zone.SECRECY),
                                  (content.urgency, Zone.URGENCY)) if t]
    try:
        for i, element in enumerate(content.elements):
            if isinstance(element, Header):
                flow.header(element)
            elif isinstance(element, Para):
                flow.para(element)
                flow.y += flow.pt(flow.geo.para_gap_pt) * (element.kind in ("body", "basis"))
            elif isinstance(element, Table):
                flow.table(element)
            elif isinstance(element, Sketch):
                flow.sketch(element)
            elif isinstance(element, Signature):
                flow.signature(element)
            if stamps and i == (0 if isinstance(content.elements[0], Header) else 1):
                flow.stamp_row(stamps)
                stamps = []
        if content.copy is not None:
            flow.copy_block(content.copy)
    except PageFull:
        pass
    return flow.pages
