"""Draw a :class:`~archml.synth.layout.PageLayout` with Pillow: printed words, handwritten
fill-ins, rules, tables, sketches, stamps, signatures and seals, and record the ground truth
(word boxes as Pillow reports the ink, field boxes down to the characters of a word)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from archml.document import Block, Box, Line, Word, Zone
from archml.synth.fonts import font_files
from archml.synth.layout import PageLayout, PlacedWord, Spot, TextStyle
from archml.synth.marks import Color, blend_ink, polygon, seal_mask, signature_mask
from archml.synth.values import decimal_comma


class PilTypesetter:
    """Pillow fonts of one family at one resolution, cached per style and size."""

    def __init__(self, font: str | None, dpi: float) -> None:
        self.files = font_files(font)
        self.dpi = dpi

    def font(self, style: TextStyle) -> ImageFont.FreeTypeFont:
        return load_font(str(self.files[style.font_style]), style.size_pt * self.dpi / 72)

    def width(self, text: str, style: TextStyle) -> float:
        return self.font(style).getlength(text)

    def space(self, style: TextStyle) -> float:
        return self.font(style).getlength(" ")


@cache
def load_font(path: str, size_px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=size_px)


@dataclass(frozen=True)
class Inks:
    """Colours of one document: print, handwriting, stamps and seal."""

    text: Color = (0, 0, 0)
    hand: Color = (25, 45, 150)
    stamp: Color = (200, 30, 40)
    seal: Color = (215, 35, 45)


@dataclass(frozen=True)
class Hand:
    """How fill-ins are written: font file, size factor and whether a dotted gap is printed."""

    font: str
    scale: float = 1.3
    dotted: bool = True


@dataclass
class DrawnPage:
    image: np.ndarray
    blocks: list[Block]
    field_boxes: dict[str, list[Box]] = field(default_factory=dict)
    hand_fields: set[str] = field(default_factory=set)
    marks: list[dict[str, object]] = field(default_factory=list)


_RED_ZONES = (Zone.SECRECY, Zone.URGENCY)


def draw_page(layout: PageLayout, ts: PilTypesetter, *, inks: Inks, hand: Hand | None,
              rng: np.random.Generator) -> DrawnPage:
    """Render ``layout``; ``rng`` drives signatures, sketches and handwriting jitter."""
    canvas = Image.new("RGB", (layout.width, layout.height), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    page = DrawnPage(np.empty(0), [])
    for block in layout.blocks:
        color = inks.stamp if block.zone in _RED_ZONES else inks.text
        lines = [Line.from_words([_word(draw, ts, pw, color, inks, hand, rng, page)
                                  for pw in placed]) for placed in block.lines if placed]
        if lines:
            page.blocks.append(Block.from_lines(lines, zone=block.zone))
    thickness = max(1, round(ts.dpi / 150))
    for x0, y0, x1, y1 in layout.segments:
        draw.rectangle((round(x0), round(y0), max(round(x0), round(x1)) + thickness - 1,
                        max(round(y0), round(y1)) + thickness - 1), fill=inks.text)
    for spot in layout.spots:
        if spot.kind == "sketch":
            page.blocks.append(_sketch(draw, ts, spot, inks, rng))
        elif spot.kind == "frame":
            draw.rectangle(tuple(round(v) for v in spot.box), outline=inks.stamp,
                           width=thickness + 1)
    image = np.array(canvas)
    for spot in layout.spots:
        x0, y0, x1, y1 = (round(v) for v in spot.box)
        if spot.kind == "signature":
            blend_ink(image, signature_mask(x1 - x0, y1 - y0, rng), inks.hand, x0, y0)
        elif spot.kind == "seal":
            mask = seal_mask(spot.text, (x1 - x0) // 2, str(ts.files["bold"]))
            blend_ink(image, mask, inks.seal, x0, y0, strength=float(rng.uniform(0.75, 0.95)))
        if spot.kind in ("signature", "seal"):
            page.marks.append({"kind": spot.kind, "box": [x0, y0, x1, y1]})
    page.image = image
    return page


def _word(draw: ImageDraw.ImageDraw, ts: PilTypesetter, pw: PlacedWord, color: Color,
          inks: Inks, hand: Hand | None, rng: np.random.Generator, page: DrawnPage) -> Word:
    font = ts.font(pw.style)
    if pw.hand and hand is not None:
        box = _handwritten(draw, ts, pw, inks, hand, rng)
        for _, _, name in pw.tags:
            page.field_boxes.setdefault(name, []).append(box)
            page.hand_fields.add(name)
        return Word(text=pw.text, box=box)
    draw.text((pw.x, pw.y), pw.text, font=font, fill=color, anchor="ls")
    box = Box(*draw.textbbox((pw.x, pw.y), pw.text, font=font, anchor="ls"))
    for start, end, name in pw.tags:
        x0 = pw.x + font.getlength(pw.text[:start]) if start else box.x0
        x1 = pw.x + font.getlength(pw.text[:end]) if end < len(pw.text) else box.x1
        page.field_boxes.setdefault(name, []).append(Box(max(box.x0, x0), box.y0,
                                                         min(box.x1, x1), box.y1))
    return Word(text=pw.text, box=box)


def _handwritten(draw: ImageDraw.ImageDraw, ts: PilTypesetter, pw: PlacedWord, inks: Inks,
                 hand: Hand, rng: np.random.Generator) -> Box:
    """Digits in a handwriting font over an optional dotted gap, in the slot the layout left."""
    printed = ts.width(pw.text, pw.style)
    slot = printed * 1.4 + 6 * ts.dpi / 72  # the width Flow.token_width reserved
    size_px = pw.style.size_pt * ts.dpi / 72 * hand.scale
    font = load_font(hand.font, size_px)
    length = font.getlength(pw.text)
    if length > slot:
        font = load_font(hand.font, size_px * slot / length)
        length = font.getlength(pw.text)
    if hand.dotted:
        dots = ts.font(pw.style)
        n = max(2, int(slot / max(1.0, dots.getlength("."))))
        draw.text((pw.x, pw.y), "." * n, font=dots, fill=inks.text, anchor="ls")
    x = pw.x + (slot - length) / 2 + float(rng.uniform(-0.1, 0.1)) * length
    y = pw.y - float(rng.uniform(0.0, 0.25)) * size_px
    draw.text((x, y), pw.text, font=font, fill=inks.hand, anchor="ls")
    return Box(*draw.textbbox((x, y), pw.text, font=font, anchor="ls"))


def _sketch(draw: ImageDraw.ImageDraw, ts: PilTypesetter, spot: Spot, inks: Inks,
            rng: np.random.Generator) -> Block:
    """The parcel outline with its edge lengths; the lengths are words of the ground truth."""
    pts = polygon(spot.box, len(spot.edges), rng)
    width = max(1, round(ts.dpi / 100))
    draw.line([*pts, pts[0]], fill=inks.text, width=width)
    style = TextStyle(9)
    font = ts.font(style)
    lines = []
    for (ax, ay), (bx, by), edge in zip(pts, pts[1:] + pts[:1], spot.edges, strict=True):
        text = decimal_comma(edge, 2)
        x, y = (ax + bx) / 2, (ay + by) / 2
        draw.text((x, y), text, font=font, fill=inks.text, anchor="ms")
        lines.append(Line.from_words([Word(text=text, box=Box(*draw.textbbox(
            (x, y), text, font=font, anchor="ms")))]))
    return Block.from_lines(lines, zone=Zone.BODY)


def draw_received_stamp(page: DrawnPage, ts: PilTypesetter, *, organ: str, number: str,
                        received: str, inks: Inks, hand: Hand | None,
                        rng: np.random.Generator) -> None:
    """A framed "ĐẾN" stamp (received number and date, often handwritten) near the top left.

    Its date is a trap: it is the received date, not the issue date. Words go to the ground
    truth under :attr:`Zone.RECEIVED_STAMP`; no field is tagged.
    """
    canvas = Image.fromarray(page.image)
    draw = ImageDraw.Draw(canvas)
    px = ts.dpi / 25.4
    x0 = float(rng.uniform(8, 20)) * px
    y0 = canvas.height * float(rng.uniform(0.22, 0.4))
    small, big = TextStyle(8), TextStyle(14, bold=True)
    rows = [[("ĐẾN", big, False)], [("Số:", small, False), (number, small, True)],
            [("Ngày:", small, False), (received, small, True)], [("Chuyển:", small, False)]]
    lines = [Line.from_words([_word(draw, ts, PlacedWord(organ, x0 + 2 * px, y0 + 4 * px, small),
                                    inks.stamp, inks, hand, rng, page)])]
    y = y0 + 11 * px
    for row in rows:
        x = x0 + 3 * px
        words = []
        for text, style, handwritten in row:
            pw = PlacedWord(text, x, y, style, (), handwritten and hand is not None)
            words.append(_word(draw, ts, pw, inks.stamp, inks, hand, rng, page))
            x = words[-1].box.x1 + 2 * px
        lines.append(Line.from_words(words))
        y += (7 if row[0][1] is big else 5.5) * px
    right = max(ln.box.x1 for ln in lines) + 3 * px
    draw.rectangle((round(x0), round(y0), round(right), round(y - 2 * px)), outline=inks.stamp,
                   width=max(2, round(ts.dpi / 100)))
    page.image = np.array(canvas)
    page.blocks.append(Block.from_lines(lines, zone=Zone.RECEIVED_STAMP))
