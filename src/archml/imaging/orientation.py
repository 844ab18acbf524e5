"""Page orientation (0/90/180/270) from the shape of text lines, without OCR.

* 0/180 versus 90/270: text lines are horizontal, so the projection profile across them is
  much sharper than the one along them; a quarter turn is only taken when the column profile
  is clearly the sharper one.
* 0 versus 180: in Latin script, and even more in Vietnamese with its marks above letters,
  a text line has more ink above its x-height band (ascenders, capitals, diacritics) than
  below it (descenders, the dot below). Upside down, the asymmetry flips.

Pages with too little text (blank pages, seal bleed-through) or an unclear answer stay at 0.
"""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np

from archml.imaging.ink import downscale, text_mask
from archml.imaging.skew import mask_points, profile_sharpness

WORK_LONG_SIDE = 1400
MIN_LINES = 3
MIN_INK_SHARE = 0.003  # of the working image: a few lines of text


class TextGeometry(NamedTuple):
    """How a page's text lies: the clockwise quarter turn that makes it upright, and the skew
    left after that turn (counter-clockwise degrees, as :func:`estimate_skew` gives it)."""

    rotation: int
    skew: float


def text_geometry(gray: np.ndarray, *, max_skew: float = 15.0, min_axis_ratio: float = 1.3,
                  min_asymmetry: float = 0.08, min_skew_contrast: float = 1.15) -> TextGeometry:
    """Orientation and skew of the text of ``gray`` from one text mask (cheaper than
    :func:`detect_orientation` followed by :func:`estimate_skew`)."""
    small, _ = downscale(gray, WORK_LONG_SIDE)
    mask = text_mask(small)
    if mask.sum() < MIN_INK_SHARE * mask.size:
        return TextGeometry(0, 0.0)
    points = mask_points(mask)
    angles = np.arange(-max_skew, max_skew + 1e-9, 1.0)
    across, across_sharp = _refine(points, angles)  # lines along rows: upright or upside down
    along, along_sharp = _refine(points[:, ::-1], angles)  # along columns: a quarter turn
    vertical = _contrast(points[:, ::-1], along) > min_axis_ratio * _contrast(points, across)
    if vertical:  # turn the mask clockwise so its lines run along rows, then as below
        mask, skew, sharp = np.rot90(mask, k=-1), -along, along_sharp
    else:
        skew, sharp = across, across_sharp
    skew = round(skew, 2) if sharp >= min_skew_contrast else 0.0  # a half turn keeps the skew
    asymmetry = _asymmetry(mask, skew)
    if asymmetry is None or abs(asymmetry) < min_asymmetry:  # unsure: leave the page as it is
        return TextGeometry(0, 0.0 if vertical else skew)
    return TextGeometry((90 * vertical + (0 if asymmetry > 0 else 180)) % 360, skew)


def detect_orientation(gray: np.ndarray, *, max_skew: float = 15.0,
                       min_axis_ratio: float = 1.3, min_asymmetry: float = 0.08) -> int:
    """Clockwise rotation (0, 90, 180 or 270) that makes the text of ``gray`` upright."""
    return text_geometry(gray, max_skew=max_skew, min_axis_ratio=min_axis_ratio,
                         min_asymmetry=min_asymmetry).rotation


def _contrast(points: np.ndarray, angle: float) -> float:
    """Sharpness of the profile at ``angle`` relative to a uniform spread over the same extent
    (1 for no structure), so that rows and columns of a non-square page compare fairly."""
    rad = np.deg2rad(angle)
    rows = np.rint(points[:, 1] * np.cos(rad) + points[:, 0] * np.sin(rad)).astype(np.int64)
    counts = np.bincount(rows - rows.min()).astype(np.float64)
    return float(np.dot(counts, counts) * len(counts) / len(points) ** 2)


def _refine(points: np.ndarray, angles: np.ndarray) -> tuple[float, float]:
    """The sharpest of ``angles``, refined to 0.1° (the 0/180 test needs straight lines), and
    the best coarse score over the median one (about 1 when there are no lines)."""
    scores = profile_sharpness(points, angles)
    coarse = float(angles[int(np.argmax(scores))])
    fine = np.arange(coarse - 1, coarse + 1 + 1e-9, 0.1)
    best = float(fine[int(np.argmax(profile_sharpness(points, fine)))])
    return best, float(scores.max() / max(np.median(scores), 1.0))


def _straighten(mask: np.ndarray, skew: float) -> np.ndarray:
    h, w = mask.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -skew, 1.0)
    return cv2.warpAffine(mask.astype(np.uint8), matrix, (w, h), flags=cv2.INTER_NEAREST)


def _lines(mask: np.ndarray, skew: float) -> list[np.ndarray] | None:
    """Row profiles of the text lines of the straightened mask; None when fewer than
    :data:`MIN_LINES` lines stand out."""
    profile = _straighten(mask, skew).sum(axis=1).astype(np.float64)
    if profile.max() <= 0:
        return None
    on = profile > 0.05 * np.percentile(profile[profile > 0], 90)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], on.astype(np.int8), [0]))))
    bands = [profile[a:b] for a, b in zip(edges[::2], edges[1::2], strict=True) if b - a >= 4]
    return bands if len(bands) >= MIN_LINES else None


def _asymmetry(mask: np.ndarray, skew: float) -> float | None:
    """(ink above the x-height band - ink below) / (both), summed over lines: > 0 upright."""
    bands = _lines(mask, skew)
    if bands is None:
        return None
    above = below = 0.0
    for band in bands:
        core = np.flatnonzero(band >= 0.5 * band.max())
        above += float(band[: core[0]].sum())
        below += float(band[core[-1] + 1:].sum())
    total = above + below
    return (above - below) / total if total > 0 else None
