"""The imaging stage: border crop, orientation, deskew, light, denoise, binarise, per page."""

from __future__ import annotations

import numpy as np

from archml.document import Page
from archml.imaging.binarize import binarize
from archml.imaging.borders import crop_borders
from archml.imaging.config import ImagingConfig
from archml.imaging.denoise import denoise, noise_level
from archml.imaging.geometry import rotate_bound, rotate_quadrant
from archml.imaging.ink import downscale, ink_gray
from archml.imaging.light import flatten_background
from archml.imaging.orientation import text_geometry
from archml.imaging.skew import WORK_LONG_SIDE as ANALYSIS_LONG_SIDE
from archml.imaging.skew import estimate_skew
from archml.stages import Stage, Timer


class ImagingStage(Stage):
    """Cleans each scanned page image in place and records every step on the page.

    Pages read from a PDF text layer, or without an image, are left alone. Provenance:
    ``source.rotation`` gains the quarter turn applied (clockwise) and ``source.deskew_angle``
    is the clockwise rotation that straightened the lines (the lines' counter-clockwise skew);
    the crop box is in the ``border_crop`` step record, in the pixels of the image before it.
    """

    name = "imaging"

    def __init__(self, config: ImagingConfig | None = None) -> None:
        self.config = config or ImagingConfig()

    def process_page(self, page: Page) -> None:
        if page.image is None or page.source.text_source == "text_layer":
            return
        image = self.run(page.image, page)
        page.image = image
        page.height, page.width = image.shape[:2]

    def run(self, image: np.ndarray, page: Page) -> np.ndarray:
        """The enabled steps in order, each recorded on ``page``."""
        c = self.config
        if c.border_crop:
            with Timer() as t:
                image, box = crop_borders(image)
            page.record("border_crop", seconds=t.seconds, box=[int(v) for v in box])
        if c.orientation or c.deskew:  # both look at one small grey copy of the page
            gray = downscale(ink_gray(image), ANALYSIS_LONG_SIDE)[0]
        if c.orientation:
            with Timer() as t:
                rotation, skew = text_geometry(gray, max_skew=c.max_skew_degrees)
                image = rotate_quadrant(image, rotation)
            page.source.rotation = (page.source.rotation + rotation) % 360
            page.record("orientation", seconds=t.seconds, rotation=rotation)
        if c.deskew:
            with Timer() as t:
                angle = skew if c.orientation else estimate_skew(gray, c.max_skew_degrees)
                angle = angle if abs(angle) >= c.min_skew_degrees else 0.0
                image = rotate_bound(image, -angle)
            page.source.deskew_angle = round(page.source.deskew_angle + angle, 2)
            page.record("deskew", seconds=t.seconds, angle=angle)
        if c.flatten_background:
            with Timer() as t:
                image = flatten_background(image)
            page.record("flatten_background", seconds=t.seconds)
        noisy = False
        if "auto" in (c.denoise, c.binarize):
            with Timer() as t:
                noise = noise_level(image)
            noisy = noise >= c.noise_threshold
            page.record("noise", seconds=t.seconds, level=round(noise, 2), noisy=noisy)
        if c.denoise is True or (c.denoise == "auto" and noisy):
            with Timer() as t:
                image = denoise(image, c.denoise_method, c.denoise_strength)
            page.record("denoise", seconds=t.seconds, method=c.denoise_method)
        if c.binarize is True or (c.binarize == "auto" and noisy):
            with Timer() as t:
                image = binarize(image, c.binarize_method, c.sauvola_window, c.sauvola_k)
            page.record("binarize", seconds=t.seconds, method=c.binarize_method)
        return image
