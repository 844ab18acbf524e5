"""Draw what archml found on a page: Decree-30 zones as thin outlines, extracted fields as
labelled boxes, on the cleaned page image the boxes refer to."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from archml.document import Document, Page, Zone

_FIELD_COLOUR = (220, 30, 30)
_ZONE_COLOURS: dict[Zone, tuple[int, int, int]] = {
    Zone.ORGAN: (30, 90, 200), Zone.MOTTO: (120, 120, 120), Zone.NUMBER: (0, 150, 90),
    Zone.PLACE_DATE: (0, 150, 90), Zone.TITLE: (150, 60, 170), Zone.SUBJECT: (150, 60, 170),
    Zone.SIGNER: (200, 120, 0), Zone.RECEIVED_STAMP: (90, 90, 90), Zone.COPY: (90, 90, 90),
}


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for name in ("DejaVuSans.ttf", "LiberationSans-Regular.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default()


def draw_page(document: Document, index: int) -> Image.Image:
    """Page ``index`` of a document read with ``keep_images=True``, annotated."""
    page: Page = document.pages[index]
    if page.image is None:
        raise ValueError("the page has no image: read the document with keep_images=True")
    image = Image.fromarray(np.ascontiguousarray(page.image)).convert("RGB")
    draw = ImageDraw.Draw(image)
    width = max(2, page.width // 600)
    for block in page.blocks:
        colour = _ZONE_COLOURS.get(block.zone) if block.zone else None
        if colour:
            draw.rectangle(tuple(block.box), outline=colour, width=width)
    size = max(14, page.height // 110)
    font = _font(size)
    for name, field in sorted(document.fields.items()):
        if field.page != index or field.box is None:
            continue
        box = tuple(field.box)
        draw.rectangle(box, outline=_FIELD_COLOUR, width=2 * width)
        label = f"{name}: {field.value}" if field.value is not None else name
        left, top = box[0], max(0, box[1] - size - 4)
        text_box = draw.textbbox((left, top), label, font=font)
        draw.rectangle(text_box, fill=(255, 255, 255))
        draw.text((left, top), label, fill=_FIELD_COLOUR, font=font)
    return image


def busiest_page(document: Document) -> int:
    """The page holding the most extracted field boxes (the first page on a tie)."""
    counts = [0] * len(document.pages)
    for field in document.fields.values():
        if field.page is not None and field.box is not None and field.page < len(counts):
            counts[field.page] += 1
    return int(np.argmax(counts)) if counts else 0
