"""Shared first steps of the analysis functions: grey conversion, a downscaled working copy,
and a mask of text-sized ink that ignores shading, rules, borders, seals and specks."""

from __future__ import annotations

import cv2
import numpy as np


def to_gray(image: np.ndarray) -> np.ndarray:
    """uint8 grey from grey, RGB or RGBA."""
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_RGBA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def ink_gray(image: np.ndarray) -> np.ndarray:
    """Grey for finding printed text: the brightest channel of a colour image, so red seals,
    blue stamps and tinted paper fade while black ink stays dark."""
    if image.ndim == 2:
        return image
    # channel by channel: a reduction over the short last axis is ~20x slower
    return np.maximum(np.maximum(image[..., 0], image[..., 1]), image[..., 2])


def downscale(gray: np.ndarray, long_side: int) -> tuple[np.ndarray, float]:
    """A copy whose longer side is at most ``long_side`` pixels, and the factor applied."""
    scale = min(1.0, long_side / max(gray.shape[:2]))
    if scale == 1.0:
        return gray, 1.0
    size = (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale)))
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA), scale


def flatten(gray: np.ndarray, kernel: int) -> np.ndarray:
    """``gray`` divided by its local paper level (a closing wider than strokes), as uint8 with
    paper at 255, so uneven light and tinted paper no longer shift the ink threshold."""
    k = max(3, kernel | 1)
    background = cv2.morphologyEx(gray, cv2.MORPH_CLOSE,
                                  cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    background = cv2.blur(background, (k, k))
    ratio = gray.astype(np.float32) / np.maximum(background.astype(np.float32), 1.0)
    return np.clip(ratio * 255, 0, 255).astype(np.uint8)


def text_mask(gray: np.ndarray, min_contrast: int = 60) -> np.ndarray:
    """Boolean mask of pixels in text-sized dark components of a working-size grey image.

    Ink is what is clearly darker than the local paper (Otsu on the flattened image, and at
    least ``min_contrast`` grey levels), away from large solid dark areas (scanner borders).
    Components much larger than the typical character (rules, photos, seal rings) and specks
    are dropped.
    """
    smooth = cv2.medianBlur(gray, 3)
    kernel = max(15, min(gray.shape) // 40)
    flat = flatten(smooth, kernel)
    otsu, _ = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    ink = (flat < min(otsu, 255 - min_contrast)).astype(np.uint8)
    ink[solid_dark(smooth, kernel)] = 0
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return np.zeros(gray.shape, bool)
    w, h, area = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, 4]
    typical = _weighted_median(h, area)  # by area, so that specks do not set the scale
    keep = (area >= 4) & (h >= 2) & (h <= 4 * typical) & (w <= 25 * typical)
    return np.concatenate(([False], keep))[labels]


def solid_dark(gray: np.ndarray, size: int) -> np.ndarray:
    """Mask of dark areas at least ``size`` pixels thick (borders, bed, photos), grown by
    ``size`` so their ragged edges go too. Text strokes are far thinner."""
    paper = float(np.percentile(gray, 90))
    dark = (gray < 0.5 * paper).astype(np.uint8)
    square = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    solid = cv2.morphologyEx(dark, cv2.MORPH_OPEN, square)
    return cv2.dilate(solid, square).astype(bool)


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
