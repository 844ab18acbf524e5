"""Render one synthetic text page with exact ground truth: every word's text and pixel box.

``render_text_page()`` is the quick single-page entry point used by the imaging and OCR
benchmarks; :mod:`archml.synth.generate` makes whole documents with fields and marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import numpy as np

from archml.document import Block, Line, Page, PageSource, Word, nfc
from archml.synth import data, templates
from archml.synth.content import DocContent, Para
from archml.synth.draw import Inks, PilTypesetter, draw_page
from archml.synth.layout import Geometry, flow_document
from archml.synth.templates import Fill
from archml.synth.values import Sampler
from archml.taxonomy import DOC_TYPES, Domain, doc_type

LayoutName = Literal["decree30", "plain"]
_ADMIN = tuple(t.id for t in DOC_TYPES if t.domain == Domain.ADMINISTRATIVE)


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


def render_text_page(lines: list[str] | None = None, *, seed: int = 0, dpi: int = 200,
                     font: str | None = None, size_pt: float = 13,
                     layout: LayoutName = "decree30") -> SynthPage:
    """Draw one A4 page; deterministic for a given seed and arguments.

    ``layout="decree30"`` draws the first page of an administrative document (header, title,
    body, signer) with sampled content; ``lines`` then replace the body paragraphs.
    ``layout="plain"`` draws ``lines`` (or sampled sentences) as left-aligned paragraphs.
    Black print on white, no seal, no handwriting.
    """
    rng = np.random.default_rng(seed)
    geo = Geometry(dpi=dpi, size_pt=size_pt, leading=float(rng.uniform(1.15, 1.35)))
    body = [nfc(s) for s in lines] if lines is not None else None
    if layout == "decree30":
        issued = date(2015, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 11)))
        type_id = _ADMIN[int(rng.integers(len(_ADMIN)))]
        content = templates.build(type_id, Sampler(rng, issued), Fill(), body)
    elif layout == "plain":
        sentences = data.text("sentences")
        paragraphs = body if body is not None else [
            sentences[i] for i in rng.choice(len(sentences), size=12, replace=False)]
        geo = Geometry(dpi=dpi, size_pt=size_pt, leading=geo.leading,
                       margins=(25.0, 25.0, 25.0, 25.0))
        content = DocContent(doc_type(_ADMIN[0]), [Para.of(p, "plain") for p in paragraphs])
    else:
        raise ValueError(f"unknown layout {layout!r}; use 'decree30' or 'plain'")
    ts = PilTypesetter(font, dpi)
    page = flow_document(content, ts, geo, max_pages=1)[0]
    drawn = draw_page(page, ts, inks=Inks(), hand=None, rng=rng)
    return SynthPage(image=drawn.image, dpi=dpi, blocks=drawn.blocks)
