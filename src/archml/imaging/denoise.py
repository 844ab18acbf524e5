"""Noise removal for scanned text pages."""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np

from archml.imaging.ink import to_gray

DenoiseMethod = Literal["median", "nlmeans"]


def noise_level(image: np.ndarray) -> float:
    """Grain of a page: the 75th percentile of the absolute difference between the page and
    its 3×3 median, in grey levels. Stroke edges are a small share of a page, so this is paper
    grain: 0 for clean scans and renders, 10 and more for grainy photocopies and faxes.
    Measured at full resolution (downscaling averages grain away) on the central quarter."""
    h, w = image.shape[:2]
    gray = to_gray(np.ascontiguousarray(image[h // 4: h - h // 4, w // 4: w - w // 4]))
    residual = cv2.absdiff(gray, cv2.medianBlur(gray, 3))  # the central quarter is enough
    counts = cv2.calcHist([residual], [0], None, [256], [0, 256]).ravel()
    return float(np.searchsorted(np.cumsum(counts), 0.75 * residual.size))


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
