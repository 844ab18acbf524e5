"""Skew estimation by projection profiles of text ink.

For each candidate angle the ink pixels are projected onto the axis perpendicular to the
text lines; at the true angle lines fall into few rows and the profile is sharpest (largest
sum of squares). A coarse search over the whole range is refined around the best angle.
"""

from __future__ import annotations

import numpy as np

from archml.imaging.ink import downscale, text_mask

WORK_LONG_SIDE = 1400  # pixels: about 120 dpi for an A4 page
MAX_POINTS = 40_000


def mask_points(mask: np.ndarray) -> np.ndarray:
    """``(N, 2)`` float32 ``(x, y)`` of a mask's pixels, centred on the image, subsampled."""
    ys, xs = np.nonzero(mask)
    if len(xs) > MAX_POINTS:  # a seeded sample: a fixed stride would alias with pixel columns
        keep = np.random.default_rng(0).choice(len(xs), MAX_POINTS, replace=False)
        ys, xs = ys[keep], xs[keep]
    points = np.stack([xs, ys], axis=1).astype(np.float32)
    points -= np.array([mask.shape[1] // 2, mask.shape[0] // 2], np.float32)  # whole pixels
    return points


def profile_sharpness(points: np.ndarray, degrees: np.ndarray) -> np.ndarray:
    """Sum of squared row counts of ``points`` projected across lines skewed by each angle."""
    rad = np.deg2rad(degrees)
    scores = np.empty(len(degrees))
    for i, (c, s) in enumerate(zip(np.cos(rad), np.sin(rad), strict=True)):
        rows = np.rint(points[:, 1] * c + points[:, 0] * s).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        scores[i] = float(np.dot(counts, counts))
    return scores


def search_angle(points: np.ndarray, max_degrees: float) -> tuple[float, float]:
    """Best skew angle of ``points`` in ``[-max_degrees, max_degrees]`` and its contrast:
    the best score over the median score of the coarse search (1 means no line structure)."""
    coarse = np.arange(-max_degrees, max_degrees + 1e-9, 0.5)
    scores = profile_sharpness(points, coarse)
    best = float(coarse[int(np.argmax(scores))])
    contrast = float(scores.max() / max(np.median(scores), 1.0))
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, 0.05)
    fine_scores = profile_sharpness(points, fine)
    return float(fine[int(np.argmax(fine_scores))]), contrast


def estimate_skew(gray: np.ndarray, max_degrees: float = 15.0, min_points: int = 500,
                  min_contrast: float = 1.15) -> float:
    """Counter-clockwise angle (degrees) of the text lines of ``gray``; 0 without clear text.

    Rotating the image clockwise by the result straightens the lines
    (``rotate_bound(image, -angle)``).
    """
    small, _ = downscale(gray, WORK_LONG_SIDE)
    points = mask_points(text_mask(small))
    if len(points) < min_points:
        return 0.0
    angle, contrast = search_angle(points, max_degrees)
    return round(angle, 2) if contrast >= min_contrast else 0.0
