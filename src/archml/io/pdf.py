"""PDF pages through PDFium: rendered at the configured DPI, with their text layer."""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from archml.errors import (
    CorruptInput,
    EmptyInput,
    EncryptedInput,
    InputError,
    InputNotFound,
    TooManyPages,
)
from archml.io.backend import RawPage
from archml.io.config import ReadConfig
from archml.io.limits import check_dimensions
from archml.io.source import Origin
from archml.io.textlayer import extract_words


class PdfBackend:
    """An open PDF: pages counted on open, each rendered (and its text read) on request."""

    def __init__(self, origin: Origin, config: ReadConfig) -> None:
        self.config = config
        self.label = origin.label
        self.pdf = _open_pdf(origin)
        try:
            self.n_pages = len(self.pdf)
            if self.n_pages > config.max_pages:
                raise TooManyPages(
                    f"the PDF has {self.n_pages} pages, more than the {config.max_pages} allowed "
                    "(max_pages); split it into smaller files or raise the limit",
                    source=self.label,
                )
            self.pdf.init_forms()  # so filled-in form fields are drawn
        except BaseException:
            self.pdf.close()
            raise

    def load(self, index: int) -> RawPage:
        scale = self.config.dpi / 72.0
        page = self._page(index)
        try:
            width_pt, height_pt = page.get_size()
            width, height = math.ceil(width_pt * scale), math.ceil(height_pt * scale)
            what = f"page {index + 1} at {self.config.dpi} dpi"
            check_dimensions(width, height, self.config, self.label, what)
            flattened = 0
            if self.config.text_layer and self.config.annotation_text:
                page, flattened = self._flatten(page, index)
            image = self._render(page, scale, index)
            params: dict[str, Any] = {
                "format": "PDF",
                "mode": "RGB",
                "kind": "colour",
                "original_size": [round(width_pt, 2), round(height_pt, 2)],
                "size_unit": "pt",
                "pdf_rotation": page.get_rotation(),
                "dpi": float(self.config.dpi),
                "dpi_assumed": False,
            }
            words = None
            if self.config.text_layer:
                words, stats = self._text(page, width, height, index)
                params.update(stats, annotations_flattened=flattened)
        finally:
            page.close()
        return RawPage(
            image=image, dpi=float(self.config.dpi), params=params, text_layer=words or None
        )

    def _page(self, index: int) -> pdfium.PdfPage:
        try:
            return self.pdf[index]
        except pdfium.PdfiumError as exc:
            raise CorruptInput(
                f"page {index + 1} cannot be read: the PDF is damaged ({exc})", source=self.label
            ) from exc

    def _flatten(self, page: pdfium.PdfPage, index: int) -> tuple[pdfium.PdfPage, int]:
        """Merge the annotations of a page that has text of its own into its content (in
        memory only), so the text layer holds everything drawn: numbers and dates stamped into
        signature fields of born-digital records. Returns the (reloaded) page and how many
        annotations were merged.

        A page whose only text would come from annotations (a scan with a digital-signature
        box) is left alone: it keeps no text layer and goes to OCR, which reads the box from
        the render like the rest of the page."""
        count = pdfium_c.FPDFPage_GetAnnotCount(page)
        if count <= 0 or not _has_text(page):
            return page, 0
        # the raw call: pypdfium2's page.flatten() insists on a form environment, which PDFium
        # only creates for documents with forms, though annotations flatten without one
        status = pdfium_c.FPDFPage_Flatten(page, pdfium_c.FLAT_NORMALDISPLAY)
        if status != pdfium_c.FLATTEN_SUCCESS:
            return page, 0
        page.close()  # PDFium needs the page reloaded after flattening
        return self._page(index), count

    def _render(self, page: pdfium.PdfPage, scale: float, index: int) -> np.ndarray:
        try:
            bitmap = page.render(scale=scale, rev_byteorder=True)
        except pdfium.PdfiumError as exc:
            raise CorruptInput(
                f"page {index + 1} cannot be drawn: the PDF is damaged ({exc})", source=self.label
            ) from exc
        try:
            return np.array(bitmap.to_numpy(), dtype=np.uint8, copy=True)
        finally:
            bitmap.close()

    def _text(
        self, page: pdfium.PdfPage, width: int, height: int, index: int
    ) -> tuple[list[Any], dict[str, Any]]:
        try:
            return extract_words(page, width, height)
        except pdfium.PdfiumError as exc:
            raise CorruptInput(
                f"the text of page {index + 1} cannot be read: the PDF is damaged ({exc})",
                source=self.label,
            ) from exc

    def close(self) -> None:
        self.pdf.close()


def _open_pdf(origin: Origin) -> pdfium.PdfDocument:
    """Open with PDFium (which reads a path read-only), turning its errors into ours."""
    try:
        return pdfium.PdfDocument(origin.data if origin.data is not None else origin.file)
    except FileNotFoundError as exc:
        raise InputNotFound("the file has disappeared", source=origin.label) from exc
    except pdfium.PdfiumError as exc:
        raise _load_error(origin) from exc


def _has_text(page: pdfium.PdfPage) -> bool:
    textpage = page.get_textpage()
    try:
        return textpage.count_chars() > 0
    finally:
        textpage.close()


def _load_error(origin: Origin) -> InputError:
    """Why PDFium refused ``origin``, from a fresh raw load: an empty document and a stale
    error code look alike to pypdfium2."""
    if origin.data is not None:
        raw = pdfium_c.FPDF_LoadMemDocument64(origin.data, len(origin.data), None)
    else:
        raw = pdfium_c.FPDF_LoadDocument(os.fsencode(origin.file or "") + b"\0", None)
    if raw:
        pages = pdfium_c.FPDF_GetPageCount(raw)
        pdfium_c.FPDF_CloseDocument(raw)
        if pages < 1:
            return EmptyInput("the PDF has no pages", source=origin.label)
        code = pdfium_c.FPDF_ERR_UNKNOWN
    else:
        code = pdfium_c.FPDF_GetLastError()
    label = origin.label
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return EncryptedInput(
            "the PDF is password-protected; ask the sender for an unprotected "
            "copy (archml never guesses passwords)",
            source=label,
        )
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return EncryptedInput(
            "the PDF is protected by a security scheme that cannot be opened "
            "here (DRM); ask the sender for an unprotected copy",
            source=label,
        )
    if code == pdfium_c.FPDF_ERR_FILE:
        return InputError("the PDF file cannot be opened or read", source=label)
    return CorruptInput(
        "the PDF is damaged and cannot be opened; open it in a PDF viewer to "
        "check, then save or scan it again",
        source=label,
    )
