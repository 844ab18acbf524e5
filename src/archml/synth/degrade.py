"""Make a clean rendered page look scanned: paper, contrast, light, skew, rotation, borders,
blur, noise, speckle and JPEG. Deterministic for a seed.

Sizes in pixels (``blur``, ``dark_border``) are for the image as given; the presets scale them
from an A4 page at 200 dpi.
"""

from __future__ import annotations

from typing import Any, Literal

import cv2
import numpy as np

DegradeLevel = Literal["none", "light", "heavy"]

BACKGROUNDS: dict[str, tuple[int, int, int]] = {
    "white": (255, 255, 255), "paper": (246, 241, 228), "aged": (232, 220, 192),
    "grey": (226, 226, 226)}
_A4_WIDTH_200DPI = 1654


def degrade(image: np.ndarray, *, seed: int, skew: float = 0.0, rotate90: int = 0,
            blur: float = 0.0, noise: float = 0.0, jpeg_quality: int | None = None,
            uneven_light: float = 0.0, low_contrast: float = 0.0, background: str | None = None,
            speckle: float = 0.0, dark_border: int = 0) -> np.ndarray:
    """A degraded copy of ``image`` (uint8, RGB or grey; the channel layout is kept).

    skew: degrees counter-clockwise; the canvas grows so no content is lost.
    rotate90: 0, 90, 180 or 270 degrees clockwise, applied after ``skew``.
    blur: Gaussian sigma in pixels.  noise: Gaussian noise std as a fraction of 255.
    uneven_light: 0–1, how much the darkest corner of a smooth light field dims the page.
    low_contrast: 0–1, how far ink and paper are pulled towards a common grey.
    background: paper tint, one of :data:`BACKGROUNDS` (with a faint texture).
    speckle: fraction of pixels turned into dark specks.  dark_border: up to this many pixels
    of dark scanner bed around the page, on random sides.
    """
    if rotate90 not in (0, 90, 180, 270):
        raise ValueError(f"rotate90 must be 0, 90, 180 or 270, not {rotate90}")
    if background is not None and background not in BACKGROUNDS:
        raise ValueError(f"unknown background {background!r}; one of {sorted(BACKGROUNDS)}")
    rng = np.random.default_rng(seed)
    grey = image.ndim == 2
    img = (np.repeat(image[..., None], 3, axis=2) if grey else image[..., :3]).astype(np.float32)
    paper = np.array(BACKGROUNDS[background or "white"], np.float32)
    if background is not None:
        img = _tint(img, paper, rng)
    if low_contrast:
        level = paper.mean() * 0.78
        img = level + (img - level) * (1 - low_contrast)
    if uneven_light:
        img *= _light_field(img.shape[:2], uneven_light, rng)[..., None]
    fill = tuple(float(v) for v in img[:8, :8].reshape(-1, 3).mean(axis=0))
    if skew:
        img = _rotate(img, skew, fill)
    if rotate90:
        img = np.ascontiguousarray(np.rot90(img, k=-rotate90 // 90))
    if dark_border:
        img = _pad_dark(img, dark_border, rng)
    if blur:
        img = cv2.GaussianBlur(img, (0, 0), blur)
    if noise:
        img += rng.normal(0, noise * 255, img.shape[:2]).astype(np.float32)[..., None]
    if speckle:
        img = _speckle(img, speckle, rng)
    out = np.clip(img + 0.5, 0, 255).astype(np.uint8)
    if jpeg_quality is not None:
        out = _jpeg(out, jpeg_quality)
    return cv2.cvtColor(out, cv2.COLOR_RGB2GRAY) if grey else out


def preset_params(level: DegradeLevel, seed: int, width: int = _A4_WIDTH_200DPI) -> dict[str, Any]:
    """The :func:`degrade` arguments of a named preset, drawn for ``seed``."""
    rng = np.random.default_rng([seed, 7])
    scale = width / _A4_WIDTH_200DPI
    if level == "none":
        return {}
    if level == "light":
        return {"skew": float(rng.uniform(-2, 2)), "blur": float(rng.uniform(0.3, 0.7)) * scale,
                "noise": 0.02, "low_contrast": 0.1, "background": "paper", "jpeg_quality": 75}
    if level == "heavy":
        return {"skew": float(rng.uniform(-8, 8)), "blur": float(rng.uniform(0.8, 1.3)) * scale,
                "noise": 0.06, "uneven_light": float(rng.uniform(0.3, 0.5)),
                "low_contrast": float(rng.uniform(0.3, 0.45)), "background": "aged",
                "speckle": 0.0005, "jpeg_quality": 50,
                "dark_border": int(rng.integers(0, 2) * 60 * scale)}
    raise ValueError(f"unknown degradation level {level!r}; use 'none', 'light' or 'heavy'")


def degrade_preset(image: np.ndarray, level: DegradeLevel, seed: int,
                   **overrides: Any) -> np.ndarray:
    """``light``: ±2° skew, mild blur and noise, JPEG 75. ``heavy``: ±8° skew, stronger blur and
    noise, uneven light, low contrast, speckle, sometimes a dark border, JPEG 50.
    ``overrides`` (e.g. ``rotate90=180``) replace preset arguments."""
    params = preset_params(level, seed, image.shape[1]) | overrides
    return degrade(image, seed=seed, **params) if params else image.copy()


def _tint(img: np.ndarray, paper: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Paper colour where the page is white, with a faint blotchy texture; ink stays dark."""
    h, w = img.shape[:2]
    small = rng.normal(0, 1, (max(2, h // 64), max(2, w // 64))).astype(np.float32)
    texture = cv2.resize(cv2.GaussianBlur(small, (0, 0), 1.5), (w, h)) * 4
    return img / 255 * (paper + texture[..., None])


def _light_field(shape: tuple[int, int], strength: float, rng: np.random.Generator) -> np.ndarray:
    """A smooth multiplicative field in ``[1 - strength, 1]``: a gradient plus a dim spot."""
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    yy, xx = yy / h, xx / w
    angle = rng.uniform(0, 2 * np.pi)
    gradient = xx * np.cos(angle) + yy * np.sin(angle)
    cy, cx = rng.uniform(0, 1, 2)
    spot = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 0.15)
    field = gradient + spot
    field = (field - field.min()) / max(float(np.ptp(field)), 1e-6)
    return 1 - strength * field


def _rotate(img: np.ndarray, degrees: float, fill: tuple[float, ...]) -> np.ndarray:
    h, w = img.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    nw, nh = int(np.ceil(h * sin + w * cos)), int(np.ceil(h * cos + w * sin))
    matrix[0, 2] += nw / 2 - w / 2
    matrix[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(img, matrix, (nw, nh), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=fill)


def _pad_dark(img: np.ndarray, width: int, rng: np.random.Generator) -> np.ndarray:
    """Dark scanner bed on each side with probability 0.7, ``width/2``–``width`` pixels wide."""
    sides = [int(rng.uniform(0.5, 1) * width) if rng.random() < 0.7 else 0 for _ in range(4)]
    if not any(sides):
        sides[int(rng.integers(4))] = width
    top, bottom, left, right = sides
    shade = float(rng.uniform(15, 50))
    return cv2.copyMakeBorder(img, top, bottom, left, right, cv2.BORDER_CONSTANT,
                              value=(shade, shade, shade))


def _speckle(img: np.ndarray, density: float, rng: np.random.Generator) -> np.ndarray:
    """Dark specks of one to a few pixels, as dust and toner leave on scans."""
    seeds = (rng.random(img.shape[:2]) < density).astype(np.uint8)
    specks = cv2.dilate(seeds, np.ones((2, 2), np.uint8)) > 0
    img[specks] = rng.uniform(10, 90, (int(specks.sum()), 1)).astype(np.float32)
    return img


def _jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR),
                            [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
