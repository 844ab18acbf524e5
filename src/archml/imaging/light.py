"""Even out illumination: divide the page by its own paper level so shading, yellowed paper
and uneven light become white, and ink keeps its contrast."""

from __future__ import annotations

import cv2
import numpy as np

from archml.imaging.ink import downscale, to_gray

WORK_LONG_SIDE = 800


def flatten_background(image: np.ndarray, *, kernel_fraction: float = 0.03) -> np.ndarray:
    """``image`` divided by a smooth estimate of its paper (a grey closing wider than strokes,
    ``kernel_fraction`` of the longer side, computed on a small copy); colour is kept."""
    small, _ = downscale(to_gray(image), WORK_LONG_SIDE)
    k = max(5, round(max(small.shape) * kernel_fraction)) | 1
    square = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    paper = cv2.blur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, square), (k, k))
    paper = cv2.resize(np.maximum(paper, 1), (image.shape[1], image.shape[0]),
                       interpolation=cv2.INTER_LINEAR)
    if image.ndim == 3:
        paper = cv2.merge([paper] * image.shape[2])
    return cv2.divide(image, paper, scale=255)  # saturating uint8 arithmetic
