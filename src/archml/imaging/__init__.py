"""Page image preprocessing before OCR: border crop, orientation, deskew, light, denoise,
binarisation. Pure functions on numpy images, and :class:`ImagingStage` that applies them."""

from archml.imaging.binarize import binarize
from archml.imaging.borders import crop_borders
from archml.imaging.config import ImagingConfig
from archml.imaging.denoise import denoise, noise_level
from archml.imaging.geometry import rotate_bound, rotate_quadrant
from archml.imaging.ink import ink_gray, to_gray
from archml.imaging.light import flatten_background
from archml.imaging.orientation import TextGeometry, detect_orientation, text_geometry
from archml.imaging.skew import estimate_skew
from archml.imaging.stage import ImagingStage
from archml.stages import STAGES

STAGES.register("imaging", ImagingStage)

__all__ = [
    "ImagingConfig",
    "ImagingStage",
    "TextGeometry",
    "binarize",
    "crop_borders",
    "denoise",
    "detect_orientation",
    "estimate_skew",
    "flatten_background",
    "ink_gray",
    "noise_level",
    "rotate_bound",
    "rotate_quadrant",
    "text_geometry",
    "to_gray",
]
