"""Binarisation: black ink on white, by a local (Sauvola) or global (Otsu) threshold."""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np

from archml.imaging.ink import to_gray

BinarizeMethod = Literal["sauvola", "otsu"]


def binarize(image: np.ndarray, method: BinarizeMethod = "sauvola", window: int = 31,
             k: float = 0.2) -> np.ndarray:
    """Single-channel uint8 image of 0 (ink) and 255 (paper).

    Sauvola: threshold ``m * (1 + k * (s / 128 - 1))`` with the mean ``m`` and standard
    deviation ``s`` over a ``window``-pixel square, robust to uneven light.
    """
    gray = to_gray(image)
    if method == "otsu":
        _, out = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        return out
    if method != "sauvola":
        raise ValueError(f"unknown binarisation method {method!r}")
    g = gray.astype(np.float32)
    size = (window | 1, window | 1)
    mean = cv2.boxFilter(g, -1, size, borderType=cv2.BORDER_REFLECT)
    sq_mean = cv2.boxFilter(g * g, -1, size, borderType=cv2.BORDER_REFLECT)
    std = np.sqrt(np.maximum(sq_mean - mean * mean, 0))
    threshold = mean * (1 + k * (std / 128 - 1))
    return np.where(g > threshold, 255, 0).astype(np.uint8)
