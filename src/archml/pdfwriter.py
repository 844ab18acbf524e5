"""Write PDFs with a real Unicode text layer through PDFium.

Two modes, one page geometry (pixels at the page's dpi, mapped 1:1 onto the PDF page):

* ``"image+text"``: the page image, with every word as *invisible* text over its box, the
  searchable scan. This is the two-layer PDF ("hai lớp") of Circular 05/2025 for digitised
  records (TT05 packages, issue 9), and a scan whose OCR a reader can select and search.
* ``"text"``: born-digital, no image, every word drawn as visible vector text in an embedded
  TrueType font with Vietnamese glyphs (Liberation Serif, SIL OFL). ``archml.synth`` writes its
  born-digital documents so.

In both modes a word's glyphs are fitted to its box: the font size makes the ink as tall as the
box, horizontal scaling makes it as wide, so PDFium (and so :func:`archml.io.open_document` at
the page's dpi) reads back each word's text and box. Words whose ink is flat (``-``, ``.``) are
capped at a size whose em is 2.5 box heights and centred in the box. Each word is followed by a
space, so copied text and extracted words keep their boundaries.

Page sizes are the largest float32 point values that a reader rendering at the page's dpi
(``ceil(points * dpi / 72)``, as :mod:`archml.io.pdf` does) turns back into the same pixel size,
and the image is inset by 0.01 px, so an ``"image+text"`` page renders back pixel for pixel.

Output is deterministic: PDFium's creation date is switched off (machine-time sandbox policy,
set back to allowed afterwards) and its random trailer ``/ID`` is replaced by the MD5 of the
file, so the same pages give the same bytes. The font is embedded whole (PDFium does not
subset): about 230 kB per file. Not PDF/A by itself: PDFium's API cannot add the XMP metadata
stream and output intent PDF/A requires; :mod:`archml.archive.pdfa` appends them (PDF/A-2b) as
an incremental update to this output.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import BinaryIO, Literal

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from archml.document import Box, Document, Word, nfc

PdfMode = Literal["image+text", "text"]

MIN_INK_EM = 0.4
"""Least ink height (in ems) a word's size is fitted with: flatter words are set smaller."""
_IMAGE_INSET_PX = 0.01
"""The image is inset by this much so PDFium maps it onto exactly the page's pixels."""
_ID = re.compile(rb"/ID\[<([0-9A-F]{32})><([0-9A-F]{32})>\]")


@dataclass(frozen=True)
class PageContent:
    """One page to write: size in pixels at ``dpi``, its words (pixel boxes) and, for
    ``"image+text"``, the image (uint8 RGB or grey, ``height`` × ``width``)."""

    width: int
    height: int
    dpi: float
    words: Sequence[Word] = field(default_factory=tuple)
    image: np.ndarray | None = None


def write_pdf(pages: Iterable[PageContent], dest: str | Path | BinaryIO, *, mode: PdfMode,
              jpeg_quality: int | None = None) -> None:
    """Write ``pages`` as one PDF to a path or binary stream.

    ``mode`` is ``"image+text"`` (image plus invisible words) or ``"text"`` (visible words, no
    image). Images are stored losslessly (Flate) unless ``jpeg_quality`` (1–95) is given.
    """
    if mode not in ("image+text", "text"):
        raise ValueError(f"mode must be 'image+text' or 'text', not {mode!r}")
    if jpeg_quality is not None and not 1 <= jpeg_quality <= 95:
        raise ValueError(f"jpeg_quality must be between 1 and 95, not {jpeg_quality}")
    pdf = _new_document()
    buffer = io.BytesIO()
    try:
        font = _load_font(pdf)
        try:
            for content in pages:
                _add_page(pdf, font, content, mode, jpeg_quality)
            if len(pdf) == 0:
                raise ValueError("no pages to write")
            pdf.save(buffer)
        finally:
            pdfium_c.FPDFFont_Close(font)
    finally:
        pdf.close()
    data = _fixed_id(buffer.getvalue())
    if isinstance(dest, str | Path):
        Path(dest).write_bytes(data)
    else:
        dest.write(data)


def document_to_pdf(document: Document, images: Sequence[np.ndarray] | None,
                    dest: str | Path | BinaryIO, mode: PdfMode = "text",
                    jpeg_quality: int | None = None) -> None:
    """Write an :class:`~archml.document.Document`'s pages and words (and ``images``, one per
    page, for ``"image+text"``) as a PDF; see :func:`write_pdf`."""
    if images is not None and len(images) != len(document.pages):
        raise ValueError(f"{len(images)} images for {len(document.pages)} pages")
    write_pdf((PageContent(p.width, p.height, p.source.dpi, p.words,
                           images[i] if images is not None else None)
               for i, p in enumerate(document.pages)), dest, mode=mode, jpeg_quality=jpeg_quality)


def _new_document() -> pdfium.PdfDocument:
    """An empty document without PDFium's creation date (which would change every second)."""
    pdfium_c.FPDF_SetSandBoxPolicy(pdfium_c.FPDF_POLICY_MACHINETIME_ACCESS, False)
    try:
        return pdfium.PdfDocument.new()
    finally:
        pdfium_c.FPDF_SetSandBoxPolicy(pdfium_c.FPDF_POLICY_MACHINETIME_ACCESS, True)


@cache
def _font_bytes() -> bytes:
    """The regular style of the default synth family (Liberation Serif when installed)."""
    from archml.synth.fonts import font_files  # lazy: archml.synth imports this module

    path = font_files(None)["regular"]
    if path.suffix.lower() != ".ttf":
        raise RuntimeError(f"{path} is not a TrueType font; install fonts-liberation2")
    return path.read_bytes()


def _load_font(pdf: pdfium.PdfDocument) -> pdfium_c.FPDF_FONT:
    """Embed the font as a Type 0 (Identity-H) font with a ToUnicode map; the caller closes
    the handle (``FPDFFont_Close``) once the pages are written."""
    data = _font_bytes()
    font = pdfium_c.FPDFText_LoadFont(pdf, (ctypes.c_ubyte * len(data)).from_buffer_copy(data),
                                      len(data), pdfium_c.FPDF_FONT_TRUETYPE, True)
    if not font:
        raise pdfium.PdfiumError("PDFium could not load the font")
    return font


def _add_page(pdf: pdfium.PdfDocument, font: pdfium_c.FPDF_FONT, content: PageContent,
              mode: PdfMode, jpeg_quality: int | None) -> None:
    page = pdf.new_page(_points(content.width, content.dpi), _points(content.height, content.dpi))
    try:
        if mode == "image+text":
            page.insert_obj(_image(pdf, page, content, jpeg_quality))
        for word in content.words:
            _add_word(pdf, page, font, word, content.dpi, invisible=mode == "image+text")
        page.gen_content()
    finally:
        page.close()


def _points(pixels: int, dpi: float) -> float:
    """``pixels`` in points, as the largest float32 (PDFium's number type) that a reader
    rendering at ``dpi`` (``ceil(points * dpi / 72)``) turns back into ``pixels``."""
    points = np.float32(pixels * 72 / dpi)
    while math.ceil(float(points) * (dpi / 72.0)) > pixels:
        points = np.nextafter(points, np.float32(0))
    return float(points)


def _image(pdf: pdfium.PdfDocument, page: pdfium.PdfPage, content: PageContent,
           jpeg_quality: int | None) -> pdfium.PdfImage:
    """The page image, stretched over the page (inset a hair so renders stay pixel-exact)."""
    image = content.image
    if image is None:
        raise ValueError("mode 'image+text' needs an image for every page")
    if image.dtype != np.uint8 or image.shape[:2] != (content.height, content.width) \
            or image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] != 3):
        raise ValueError(f"page image must be uint8 RGB or grey of {content.height}×"
                         f"{content.width} pixels, not {image.dtype} {image.shape}")
    obj = pdfium.PdfImage.new(pdf)
    pil = Image.fromarray(image)
    if jpeg_quality is None:
        obj.set_bitmap(pdfium.PdfBitmap.from_pil(pil))
    else:
        jpeg = io.BytesIO()
        pil.save(jpeg, "JPEG", quality=jpeg_quality)
        jpeg.seek(0)
        obj.load_jpeg(jpeg, inline=True)
    inset = _IMAGE_INSET_PX * 72 / content.dpi
    width, height = page.get_size()
    obj.set_matrix(pdfium.PdfMatrix(width - 2 * inset, 0, 0, height - 2 * inset, inset, inset))
    return obj


def _add_word(pdf: pdfium.PdfDocument, page: pdfium.PdfPage, font: pdfium_c.FPDF_FONT, word: Word,
              dpi: float, *, invisible: bool) -> None:
    """``word`` (NFC: precomposed Vietnamese letters) at size 1, then scaled and moved so its
    ink fills its box."""
    text = nfc(word.text)
    obj = pdfium_c.FPDFPageObj_CreateTextObj(pdf, font, 1.0)
    try:
        _set_text(obj, text)
        ink = _bounds(obj)
        _set_text(obj, text + " ")
        if invisible:
            pdfium_c.FPDFTextObj_SetTextRenderMode(obj, pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE)
        pdfium_c.FPDFPageObj_Transform(obj, *_fit(ink, word.box, dpi, page.get_height()))
        if not pdfium_c.FPDFPage_InsertObject(page, obj):
            raise pdfium.PdfiumError(f"PDFium could not place the word {text!r}")
    except BaseException:
        pdfium_c.FPDFPageObj_Destroy(obj)  # not on the page, so not owned by it
        raise


def _set_text(obj: pdfium_c.FPDF_PAGEOBJECT, text: str) -> None:
    data = (text + "\0").encode("utf-16-le")
    if not pdfium_c.FPDFText_SetText(obj, (ctypes.c_ushort * (len(data) // 2)).from_buffer_copy(
            data)):
        raise pdfium.PdfiumError(f"PDFium could not set the text {text!r}")


def _bounds(obj: pdfium_c.FPDF_PAGEOBJECT) -> tuple[float, float, float, float]:
    """The text object's ink box (left, bottom, right, top); a nominal em box if it has none."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top) \
            or right.value <= left.value or top.value <= bottom.value:
        return 0.0, -0.2, 1.0, 0.8
    return left.value, bottom.value, right.value, top.value


def _fit(ink: tuple[float, float, float, float], box: Box, dpi: float,
         page_height: float) -> tuple[float, float, float, float, float, float]:
    """The matrix (a, b, c, d, e, f) that maps ``ink`` (size-1 text space) onto ``box``
    (pixels, origin top-left) in points (origin bottom-left); an empty box counts as 1 px."""
    left, bottom, right, top = ink
    k = 72 / dpi
    sx = max(box.width, 1.0) * k / (right - left)
    sy = max(box.height, 1.0) * k / max(top - bottom, MIN_INK_EM)
    centre_y = page_height - (box.y0 + box.y1) / 2 * k
    return sx, 0.0, 0.0, sy, box.x0 * k - left * sx, centre_y - (bottom + top) / 2 * sy


def _fixed_id(data: bytes) -> bytes:
    """``data`` with PDFium's random trailer ``/ID`` replaced by the MD5 of the file."""
    matches = list(_ID.finditer(data))
    if len(matches) != 1:
        raise RuntimeError(f"expected one trailer /ID in PDFium's output, found {len(matches)}")
    start, end = matches[0].span()
    blank = data[:start] + b"/ID[<" + b"0" * 32 + b"><" + b"0" * 32 + b">]" + data[end:]
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()
    return data[:start] + b"/ID[<" + digest + b"><" + digest + b">]" + data[end:]
