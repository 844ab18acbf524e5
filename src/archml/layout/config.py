"""Thresholds of the layout stage, as one typed config."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class LayoutConfig(BaseModel):
    """Settings of :class:`~archml.layout.LayoutStage`.

    Lengths are relative to the page's median word height (``× word``), median line height
    (``× line``), width or height, so they hold at any DPI.
    """

    model_config = ConfigDict(extra="forbid")

    regroup_lines: bool = False
    """Rebuild lines from words (for sources whose own lines are unreliable, e.g. one per word)."""
    split_gap: float = Field(2.0, gt=0)
    """A gap between two words wider than this (× word) splits a line into column segments."""
    drop_noise: bool = True
    """Drop segments with no letter or digit (scanner specks read as punctuation)."""
    row_overlap: float = Field(0.5, gt=0, le=1)
    """Segments whose y-ranges overlap by this share of the shorter one sit on one row."""
    header_band: float = Field(0.35, gt=0, le=1)
    """The Decree-30 header must start above this fraction of the page height."""
    header_limit: float = Field(0.5, gt=0, le=1)
    """... and ends above this fraction of the page height."""
    noise_confidence: float = Field(0.3, ge=0, le=1)
    """A centred segment whose words OCR read below this confidence is noise, not a title that
    ends the header."""
    centre_tolerance: float = Field(0.1, gt=0)
    """A segment whose centre is this close (× page width) to the text centre is centred."""
    wide_fraction: float = Field(0.65, gt=0, le=1)
    """A segment wider than this share of the text width is a full-width (body) line."""
    title_gap: float = Field(0.4, ge=0)
    """A vertical gap above this (× line) ends the title and subject under the header."""
    max_subject_lines: int = Field(6, ge=1)
    max_recipient_lines: int = Field(12, ge=1)
    block_gap: float = Field(0.8, ge=0)
    """A vertical gap above this (× line) starts a new block."""
    indent: float = Field(1.5, ge=0)
    """A first-line indent of at least this (× word) starts a new body paragraph."""
    page_number_band: float = Field(0.1, gt=0, le=1)
    """Page numbers are looked for above this fraction of the page height."""
    page_footer_band: float = Field(0.85, gt=0, le=1)
    """Address/phone/e-mail footers (ô 13) are looked for below this fraction of the height."""
    stamp_width_mm: float = Field(60.0, gt=0)
    """Widest received ("ĐẾN") stamp, in millimetres of the page."""
    stamp_above: float = Field(3.0, ge=0)
    stamp_below: float = Field(4.0, ge=0)
    """Lines (× line) a received stamp extends above and below its "ĐẾN" word."""
    copy_above: float = Field(1.5, ge=0)
    """Lines (× line) above a SAO Y mark that still belong to the copy block (copying organ)."""
    fuzzy: float = Field(0.75, gt=0, le=1)
    """Similarity a keyword must reach to match OCR text (see :mod:`archml.layout.text`)."""
