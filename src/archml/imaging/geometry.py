"""Rotations that keep the whole page: exact quarter turns and small angles with white fill."""

from __future__ import annotations

import cv2
import numpy as np


def rotate_quadrant(image: np.ndarray, clockwise: int) -> np.ndarray:
    """``image`` turned clockwise by 0, 90, 180 or 270 degrees (lossless)."""
    if clockwise % 90:
        raise ValueError(f"rotate_quadrant takes multiples of 90 degrees, not {clockwise}")
    turns = (clockwise // 90) % 4
    return np.ascontiguousarray(np.rot90(image, k=-turns)) if turns else image


def rotate_bound(image: np.ndarray, degrees: float, fill: int = 255) -> np.ndarray:
    """``image`` rotated counter-clockwise by ``degrees`` on a canvas grown to hold all of it;
    new corners are filled with ``fill``."""
    if not degrees:
        return image
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(np.ceil(h * sin + w * cos)), int(np.ceil(h * cos + w * sin))
    matrix[0, 2] += (new_w - w) / 2
    matrix[1, 2] += (new_h - h) / 2
    channels = 1 if image.ndim == 2 else image.shape[2]
    return cv2.warpAffine(image, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=(fill,) * channels)
