"""Remove the dark scanner bed around a page: crop the sides that are all border, paint what
is left of it (the wedges of a page scanned askew) white."""

from __future__ import annotations

import cv2
import numpy as np

from archml.document import Box
from archml.imaging.ink import downscale, solid_dark, to_gray

WORK_LONG_SIDE = 1000


def crop_borders(image: np.ndarray, *, min_fill: float = 0.5) -> tuple[np.ndarray, Box]:
    """The page without its dark borders, and the kept box in ``image`` pixels.

    Border is solid dark area (much thicker than text strokes) connected to the image edge.
    Rows and columns at the edges that are at least ``min_fill`` border are cut; remaining
    border pixels are set to white. An image without border comes back unchanged.
    """
    height, width = image.shape[:2]
    small, scale = downscale(to_gray(image), WORK_LONG_SIDE)
    border = _edge_connected(solid_dark(small, max(5, max(small.shape) // 100)))
    full = Box(0, 0, width, height)
    if not border.any():
        return image, full
    rows, cols = border.mean(axis=1), border.mean(axis=0)
    top, bottom = _cut(rows, min_fill), len(rows) - _cut(rows[::-1], min_fill)
    left, right = _cut(cols, min_fill), len(cols) - _cut(cols[::-1], min_fill)
    if bottom - top < len(rows) // 4 or right - left < len(cols) // 4:
        return image, full  # mostly dark: not a page on a scanner bed
    x0, y0 = int(left / scale), int(top / scale)
    x1, y1 = min(width, round(right / scale)), min(height, round(bottom / scale))
    cropped = image[y0:y1, x0:x1].copy()
    rest = cv2.resize(border.astype(np.uint8), (width, height),
                      interpolation=cv2.INTER_NEAREST)[y0:y1, x0:x1].astype(bool)
    cropped[rest] = 255
    return cropped, Box(x0, y0, x1, y1)


def _edge_connected(mask: np.ndarray) -> np.ndarray:
    """The components of ``mask`` that touch the image edge."""
    n, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)
    if n <= 1:
        return np.zeros(mask.shape, bool)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    keep = np.zeros(n, bool)
    keep[edge[edge > 0]] = True
    return keep[labels]


def _cut(fill: np.ndarray, min_fill: float) -> int:
    """How many leading entries of ``fill`` are at least ``min_fill``."""
    below = np.flatnonzero(fill < min_fill)
    return int(below[0]) if len(below) else len(fill)
