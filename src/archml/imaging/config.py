"""Settings of the imaging stage. Defaults are the measured best for Tesseract on Vietnamese
Decree-30 pages (benchmarks/BENCHMARKS.md, "Imaging preprocessing")."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from archml.imaging.binarize import BinarizeMethod
from archml.imaging.denoise import DenoiseMethod


class ImagingConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    border_crop: bool = True
    """Cut dark scanner borders and whiten what remains of them."""
    orientation: bool = True
    """Turn pages scanned sideways or upside down (0/90/180/270) upright."""
    deskew: bool = True
    """Straighten text lines tilted by up to ``max_skew_degrees``."""
    max_skew_degrees: float = Field(default=15.0, gt=0, le=45)
    min_skew_degrees: float = Field(default=0.1, ge=0)
    """Smaller skews are left alone: resampling costs more sharpness than they cost OCR."""
    flatten_background: bool = True
    """Divide by the paper level, evening out shading, tinted paper and uneven light."""
    noise_threshold: float = Field(default=8.0, ge=0)
    """Pages whose :func:`~archml.imaging.denoise.noise_level` reaches this are *noisy*: grain
    makes Tesseract's page segmentation see a picture and read nothing."""
    denoise: bool | Literal["auto"] = "auto"
    """``auto``: noisy pages only (on clean pages a median filter only costs sharpness)."""
    denoise_method: DenoiseMethod = "median"
    denoise_strength: float = Field(default=7.0, gt=0)
    binarize: bool | Literal["auto"] = "auto"
    """``auto``: noisy pages only. Thresholding a clean page erases faint Vietnamese diacritics
    Tesseract would read; on a denoised grainy page it removes what grain is left."""
    binarize_method: BinarizeMethod = "sauvola"
    sauvola_window: int = Field(default=31, ge=3)
    sauvola_k: float = Field(default=0.2, gt=0, lt=1)
