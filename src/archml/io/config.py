"""Settings and limits for reading input documents."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class ReadConfig(BaseModel):
    """How inputs are read, and the limits that keep a hostile or broken file from hurting a run.

    Limits are checked before anything is decoded or rendered: file size by ``stat``, page count
    when the document is opened, and each page's pixel size from its header (images) or page box
    (PDF) before its pixels are produced.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    dpi: int = Field(default=300, ge=36, le=2400)
    """Resolution PDF pages are rendered at (text-layer words are scaled to it as well)."""
    assumed_dpi: int = Field(default=300, ge=36, le=2400)
    """Resolution recorded for images whose metadata gives none, or an implausible one."""
    min_metadata_dpi: float = Field(default=50.0, gt=0)
    max_metadata_dpi: float = Field(default=1200.0, gt=0)
    """Image DPI metadata outside this range is treated as missing."""
    max_page_inches: float = Field(default=60.0, gt=0)
    """Image DPI metadata implying a page side longer than this (A0 is 46.8") is treated as
    missing: cameras write 72 dpi into 4000-pixel photographs of A4 pages."""
    square_pixels: bool = True
    """Resample images whose horizontal and vertical DPI differ (fax TIFFs: 204×98) to square
    pixels at the larger DPI, so text keeps its shape."""
    text_layer: bool = True
    """Extract the words of a PDF's text layer into ``page.text_layer``."""
    annotation_text: bool = True
    """Include text drawn by a PDF page's form fields and annotations (a number typed into a
    field, a digital-signature box) by flattening them into the page first. This happens in
    memory only: the file is never changed, and the rendered image looks the same."""
    max_file_bytes: int = Field(default=1 << 30, gt=0)
    max_pages: int = Field(default=5000, ge=1)
    max_image_pixels: int = Field(default=250_000_000, gt=0)
    """Largest page image (width × height) decoded or rendered: the decompression-bomb guard."""
    max_side: int = Field(default=40_000, gt=0)
    min_side: int = Field(default=8, ge=1)
    """Page images with a side outside ``min_side``–``max_side`` pixels are rejected."""

    @model_validator(mode="after")
    def _check_ranges(self) -> Self:
        if self.min_side > self.max_side:
            raise ValueError(f"min_side ({self.min_side}) exceeds max_side ({self.max_side})")
        if self.min_side * self.min_side > self.max_image_pixels:
            raise ValueError("max_image_pixels is smaller than the smallest allowed page")
        if self.min_metadata_dpi > self.max_metadata_dpi:
            raise ValueError("min_metadata_dpi exceeds max_metadata_dpi")
        return self
