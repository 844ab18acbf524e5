"""Is the ink in a gap handwritten? Decided from the region alone, never from the document.

Printed fill-ins are black and read cleanly by OCR; handwriting is in coloured (blue) ink, or
read poorly, or is taller than the print of its line. :func:`is_handwritten` says "printed" only
when the ink is black, no taller than :data:`PRINTED_HEIGHT` of the line, and the OCR words in
the gap are nothing but digits, read with a confidence of at least :data:`PRINTED_CONFIDENCE`
(or from a PDF text layer, which has none) or exactly as the digit reader reads the crop. Years
are printed on nearly every form, so a year counts as handwritten only for its colour or size. The
thresholds were chosen on synthetic pages (``benchmarks/fillins.py --synthetic``), not on the
real samples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from archml.document import Box, Word
from archml.fillins.regions import Kind, Region, chroma, ink_mask

COLOURED_CHROMA = 45.0
"""Mean (max − min channel) of the ink pixels above which ink is coloured (blue pen)."""
PRINTED_CONFIDENCE = 0.85
PRINTED_HEIGHT = 0.95
"""Ink height as a share of the line box (cap height plus diacritics and descenders)."""
_DIGITS = re.compile(r"^\d{1,5}$")


@dataclass(frozen=True)
class RegionInk:
    """What the decision looks at, kept in the page's step record."""

    kind: Kind
    chroma: float
    height: float
    ocr_text: str
    ocr_confidence: float | None

    def export(self) -> dict[str, object]:
        return {"kind": self.kind, "chroma": round(self.chroma, 1), "height": round(self.height, 2),
                "ocr_text": self.ocr_text, "ocr_confidence": self.ocr_confidence}


def gap_words(region: Region) -> list[Word]:
    """The words whose characters fall in the gap (whole or straddling)."""
    picked, offset = [], 0
    for word in region.line.words:
        stop = offset + len(word.text)
        if offset < region.end and stop > region.start:
            picked.append(word)
        offset = stop + 1
    return picked


def region_ink(image: np.ndarray, region: Region, box: Box) -> RegionInk:
    """Colour and size of the ink in ``box`` and what OCR read in the gap."""
    crop = image[int(box.y0):int(np.ceil(box.y1)), int(box.x0):int(np.ceil(box.x1))]
    ink = chroma(crop)[ink_mask(crop)] if crop.ndim == 3 and crop.size else np.zeros(0)
    colour = float(ink.mean()) if len(ink) else 0.0
    text = region.line.text[region.start:region.end]
    scores = [w.confidence for w in gap_words(region) if w.confidence is not None]
    return RegionInk(region.kind, colour, box.height / max(1.0, region.line.box.height),
                     re.sub(r"[\s.…]", "", text), min(scores) if scores else None)


def is_handwritten(ink: RegionInk, reading: str | None = None) -> bool:
    """The decision described in the module doc; black digits that OCR read with a low
    confidence count as printed when the digit reader's ``reading`` agrees with OCR."""
    if ink.chroma > COLOURED_CHROMA or ink.height > PRINTED_HEIGHT:
        return True
    if ink.kind == "year":
        return False
    if not _DIGITS.match(ink.ocr_text):
        return True
    confident = ink.ocr_confidence is None or ink.ocr_confidence >= PRINTED_CONFIDENCE
    return not (confident or reading == ink.ocr_text)
