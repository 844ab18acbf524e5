"""Noise removal for scanned text pages."""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np

DenoiseMethod = Literal["median", "nlmeans"]


def denoise(image: np.ndarray, method: DenoiseMethod = "median", strength: float = 7.0
            ) -> np.ndarray:
    """``median``: 3×3 median (specks and salt-and-pepper, fast). ``nlmeans``: non-local means
    with filter strength ``strength`` (Gaussian grain; slower)."""
    if method == "median":
        return cv2.medianBlur(image, 3)
    if method == "nlmeans":
        if image.ndim == 2:
            return cv2.fastNlMeansDenoising(image, None, h=strength, templateWindowSize=7,
                                            searchWindowSize=21)
        return cv2.fastNlMeansDenoisingColored(image, None, h=strength, hColor=strength,
                                               templateWindowSize=7, searchWindowSize=21)
    raise ValueError(f"unknown denoise method {method!r}")
