"""Render a synthetic text page with exact ground truth: every word's text and pixel box.

``render_text_page()`` samples content (:mod:`archml.synth.values`), places it
(:mod:`archml.synth.layout`) and draws it here with Pillow. The page is clean black-on-white;
:mod:`archml.synth.degrade` turns it into a scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from archml.document import Block, Box, Line, Page, PageSource, Word, nfc
from archml.synth.fonts import font_files
from archml.synth.layout import PageLayout, TextStyle, decree30_layout, plain_layout
from archml.synth.values import SENTENCES, sample_decree30

LayoutName = Literal["decree30", "plain"]


@dataclass
class SynthPage:
    """A rendered page and its ground truth (blocks in reading order, NFC text)."""

    image: np.ndarray  # uint8 RGB, A4 at ``dpi``
    dpi: int
    blocks: list[Block]

    @property
    def lines(self) -> list[Line]:
        return [ln for b in self.blocks for ln in b.lines]

    @property
    def words(self) -> list[Word]:
        return [w for ln in self.lines for w in ln.words]

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)

    def to_page(self, index: int = 0) -> Page:
        """An archml :class:`Page` holding the image and the ground-truth blocks."""
        height, width = self.image.shape[:2]
        return Page(index=index, width=width, height=height, image=self.image,
                    source=PageSource(page_index=index, dpi=self.dpi), blocks=self.blocks)


class PilTypesetter:
    """Pillow fonts of one family at one resolution, cached per style and size."""

    def __init__(self, font: str | None, dpi: float) -> None:
        self.files = font_files(font)
        self.dpi = dpi

    def font(self, style: TextStyle) -> ImageFont.FreeTypeFont:
        return _load_font(str(self.files[style.font_style]), style.size_pt * self.dpi / 72)

    def width(self, text: str, style: TextStyle) -> float:
        return self.font(style).getlength(text)

    def space(self, style: TextStyle) -> float:
        return self.font(style).getlength(" ")


@cache
def _load_font(path: str, size_px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=size_px)


def render_text_page(lines: list[str] | None = None, *, seed: int = 0, dpi: int = 200,
                     font: str | None = None, size_pt: float = 13,
                     layout: LayoutName = "decree30") -> SynthPage:
    """Draw one A4 page; deterministic for a given seed and arguments.

    ``layout="decree30"`` draws an administrative document (header, title, body, signer,
    distribution) with sampled content; ``lines`` then replace the body paragraphs.
    ``layout="plain"`` draws ``lines`` (or sampled sentences) as left-aligned paragraphs.
    Long paragraphs wrap, so the ground-truth lines are the drawn lines.
    """
    rng = np.random.default_rng(seed)
    ts = PilTypesetter(font, dpi)
    leading = float(rng.uniform(1.15, 1.35))
    if layout == "decree30":
        content = sample_decree30(rng, [nfc(s) for s in lines] if lines is not None else None)
        placed = decree30_layout(content, ts, dpi=dpi, size_pt=size_pt, leading=leading)
    elif layout == "plain":
        paragraphs = [nfc(s) for s in lines] if lines is not None else list(
            rng.choice(SENTENCES, size=12, replace=False))
        placed = plain_layout(paragraphs, ts, dpi=dpi, size_pt=size_pt, leading=leading)
    else:
        raise ValueError(f"unknown layout {layout!r}; use 'decree30' or 'plain'")
    image, blocks = draw_layout(placed, ts)
    return SynthPage(image=image, dpi=dpi, blocks=blocks)


def draw_layout(placed: PageLayout, ts: PilTypesetter) -> tuple[np.ndarray, list[Block]]:
    """Black text on white; each word's box is the ink box Pillow reports for it."""
    canvas = Image.new("L", (placed.width, placed.height), 255)
    draw = ImageDraw.Draw(canvas)
    blocks = []
    for block in placed.blocks:
        lines = []
        for placed_line in block.lines:
            words = []
            for pw in placed_line:
                font = ts.font(pw.style)
                draw.text((pw.x, pw.y), pw.text, font=font, fill=0, anchor="ls")
                words.append(Word(text=pw.text, box=Box(*draw.textbbox(
                    (pw.x, pw.y), pw.text, font=font, anchor="ls"))))
            lines.append(Line.from_words(words))
        blocks.append(Block.from_lines(lines, zone=block.zone))
    thickness = max(1, round(ts.dpi / 150))
    for x0, x1, y in placed.rules:
        top = round(y)
        draw.rectangle((round(x0), top, round(x1), top + thickness - 1), fill=0)
    return np.asarray(canvas.convert("RGB")), blocks
