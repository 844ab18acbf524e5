"""Page images in the coordinates of a processed page, for the two-layer PDF of a package.

OCR word boxes are in the pixels of the page *after* the imaging stage cropped, turned and
deskewed it. Rather than map every box back onto the raw scan, the source page is rendered or
decoded again exactly as the batch read it (same :class:`~archml.io.ReadConfig`, so the same
dpi) and only the recorded geometric steps are replayed on it (``border_crop`` box,
``orientation`` quarter turn, ``deskew`` angle), with the values the batch recorded rather than
detected anew. The page keeps the scan's own colours (no background flattening, denoising or
binarisation): Circular 05/2025 Điều 8 asks for colour true to the original.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from archml.document import Document, Page, StepRecord
from archml.errors import ProcessingError
from archml.imaging import rotate_bound, rotate_quadrant
from archml.io import ReadConfig, open_document
from archml.pdfwriter import PageContent


def replay_geometry(image: np.ndarray, steps: list[StepRecord]) -> np.ndarray:
    """``image`` (as read) cropped, turned and deskewed as ``steps`` record."""
    for step in steps:
        if step.name == "border_crop":
            x0, y0, x1, y1 = (int(v) for v in step.params["box"])
            image = image[y0:y1, x0:x1]
        elif step.name == "orientation":
            image = rotate_quadrant(image, int(step.params["rotation"]))
        elif step.name == "deskew":
            image = rotate_bound(image, -float(step.params["angle"]))
    return np.ascontiguousarray(image)


def page_contents(source: str | Path, document: Document,
                  read: ReadConfig) -> Iterator[PageContent]:
    """One :class:`~archml.pdfwriter.PageContent` per page of ``document``: the source page
    brought into the processed page's pixels, with the page's words."""
    with open_document(source, read) as reader:
        for page in document.pages:
            image = _matching_image(reader.load_page(page.source.page_index), page)
            yield PageContent(page.width, page.height, page.source.dpi, page.words, image)


def _matching_image(raw: Page, page: Page) -> np.ndarray:
    if raw.image is None or abs(raw.source.dpi - page.source.dpi) > 1e-6:
        raise ProcessingError(f"page {page.index + 1} reads at {raw.source.dpi:g} dpi now, "
                              f"not at the {page.source.dpi:g} dpi of the batch")
    image = replay_geometry(raw.image, page.source.steps)
    if image.shape[:2] != (page.height, page.width):
        raise ProcessingError(f"page {page.index + 1}: the replayed image is "
                              f"{image.shape[1]}×{image.shape[0]} px, the batch page "
                              f"{page.width}×{page.height} px")
    return image
