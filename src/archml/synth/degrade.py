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
            speckle: float = 0.0, dark_border: int = 0, bleed_through: float = 0.0,
            fold: float = 0.0, punch_holes: bool = False, photocopy: float = 0.0,
            ink_wear: float = 0.0) -> np.ndarray:
    """A degraded copy of ``image`` (uint8, RGB or grey; the channel layout is kept).

    skew: degrees counter-clockwise; the canvas grows so no content is lost.
    rotate90: 0, 90, 180 or 270 degrees clockwise, applied after ``skew``.
    blur: Gaussian sigma in pixels.  noise: Gaussian noise std as a fraction of 255.
    uneven_light: 0–1, how much the darkest corner of a smooth light field dims the page.
    low_contrast: 0–1, how far ink and paper are pulled towards a common grey.
    background: paper tint, one of :data:`BACKGROUNDS` (with a faint texture).
    speckle: fraction of pixels turned into dark specks.  dark_border: up to this many pixels
    of dark scanner bed around the page, on random sides.
    bleed_through: 0–1, opacity of the mirrored reverse side showing through.
    fold: 0–1, darkness of a fold crease across the page.  punch_holes: two filing holes in the
    left margin.  photocopy: 0–1, photocopier look (hard contrast, grey toner haze, dark edges).
    ink_wear: 0–1, uneven typewriter/ribbon ink (strokes fade and break).
    """
    return degrade_with_transform(
        image, seed=seed, skew=skew, rotate90=rotate90, blur=blur, noise=noise,
        jpeg_quality=jpeg_quality, uneven_light=uneven_light, low_contrast=low_contrast,
        background=background, speckle=speckle, dark_border=dark_border,
        bleed_through=bleed_through, fold=fold, punch_holes=punch_holes, photocopy=photocopy,
        ink_wear=ink_wear)[0]


def degrade_with_transform(image: np.ndarray, *, seed: int, skew: float = 0.0,
                           rotate90: int = 0, blur: float = 0.0, noise: float = 0.0,
                           jpeg_quality: int | None = None, uneven_light: float = 0.0,
                           low_contrast: float = 0.0, background: str | None = None,
                           speckle: float = 0.0, dark_border: int = 0,
                           bleed_through: float = 0.0, fold: float = 0.0,
                           punch_holes: bool = False, photocopy: float = 0.0,
                           ink_wear: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """:func:`degrade`, also returning the 3×3 matrix that maps input pixel coordinates to
    output ones (skew, quarter turns and borders), so ground-truth boxes can follow."""
    if rotate90 not in (0, 90, 180, 270):
        raise ValueError(f"rotate90 must be 0, 90, 180 or 270, not {rotate90}")
    if background is not None and background not in BACKGROUNDS:
        raise ValueError(f"unknown background {background!r}; one of {sorted(BACKGROUNDS)}")
    rng = np.random.default_rng(seed)
    grey = image.ndim == 2
    img = (np.repeat(image[..., None], 3, axis=2) if grey else image[..., :3]).astype(np.float32)
    paper = np.array(BACKGROUNDS[background or "white"], np.float32)
    matrix = np.eye(3)
    if ink_wear:
        img = _ink_wear(img, ink_wear, rng)
    if bleed_through:
        img = _bleed_through(img, bleed_through)
    if photocopy:
        img = _photocopy(img, photocopy, rng)
    if background is not None:
        img = _tint(img, paper, rng)
    if low_contrast:
        level = paper.mean() * 0.78
        img = level + (img - level) * (1 - low_contrast)
    if uneven_light:
        img *= _light_field(img.shape[:2], uneven_light, rng)[..., None]
    if fold:
        img = _fold(img, fold, rng)
    if punch_holes:
        img = _punch_holes(img, rng)
    fill = tuple(float(v) for v in img[:8, :8].reshape(-1, 3).mean(axis=0))
    if skew:
        img, step = _rotate(img, skew, fill)
        matrix = step @ matrix
    if rotate90:
        h, w = img.shape[:2]
        img = np.ascontiguousarray(np.rot90(img, k=-rotate90 // 90))
        matrix = _quarter_turn(rotate90, w, h) @ matrix
    if dark_border:
        img, (left, top) = _pad_dark(img, dark_border, rng)
        matrix = np.array([[1, 0, left], [0, 1, top], [0, 0, 1]], float) @ matrix
    if blur:
        img = cv2.GaussianBlur(img, (0, 0), blur)
    if noise:
        img += rng.normal(0, noise * 255, img.shape[:2]).astype(np.float32)[..., None]
    if speckle:
        img = _speckle(img, speckle, rng)
    out = np.clip(img + 0.5, 0, 255).astype(np.uint8)
    if jpeg_quality is not None:
        out = _jpeg(out, jpeg_quality)
    return (cv2.cvtColor(out, cv2.COLOR_RGB2GRAY) if grey else out), matrix


def transform_box(box: tuple[float, float, float, float],
                  matrix: np.ndarray) -> tuple[float, float, float, float]:
    """The axis-aligned box around ``box``'s corners mapped through ``matrix``."""
    x0, y0, x1, y1 = box
    corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], float)
    mapped = corners @ matrix.T
    return (float(mapped[:, 0].min()), float(mapped[:, 1].min()),
            float(mapped[:, 0].max()), float(mapped[:, 1].max()))


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
                "dark_border": int(rng.integers(0, 2) * 60 * scale),
                "bleed_through": float(rng.uniform(0.3, 0.8)) * (rng.random() < 0.3),
                "fold": float(rng.uniform(0.4, 1.0)) * (rng.random() < 0.3),
                "punch_holes": bool(rng.random() < 0.15),
                "photocopy": float(rng.uniform(0.3, 0.7)) * (rng.random() < 0.25)}
    raise ValueError(f"unknown degradation level {level!r}; use 'none', 'light' or 'heavy'")


def degrade_preset(image: np.ndarray, level: DegradeLevel, seed: int,
                   **overrides: Any) -> np.ndarray:
    """``light``: ±2° skew, mild blur and noise, JPEG 75. ``heavy``: ±8° skew, stronger blur and
    noise, uneven light, low contrast, speckle, JPEG 50, and sometimes a dark border,
    bleed-through, a fold, punch holes or a photocopy look.
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
    gh, gw = max(2, h // 8), max(2, w // 8)  # smooth: compute on a coarse grid, then resize
    yy, xx = np.mgrid[0:gh, 0:gw].astype(np.float32)
    yy, xx = yy / gh, xx / gw
    angle = rng.uniform(0, 2 * np.pi)
    gradient = xx * np.cos(angle) + yy * np.sin(angle)
    cy, cx = rng.uniform(0, 1, 2)
    spot = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 0.15)
    field = gradient + spot
    field = (field - field.min()) / max(float(np.ptp(field)), 1e-6)
    return cv2.resize(1 - strength * field, (w, h), interpolation=cv2.INTER_LINEAR)


def _rotate(img: np.ndarray, degrees: float,
            fill: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    h, w = img.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    nw, nh = int(np.ceil(h * sin + w * cos)), int(np.ceil(h * cos + w * sin))
    matrix[0, 2] += nw / 2 - w / 2
    matrix[1, 2] += nh / 2 - h / 2
    out = cv2.warpAffine(img, matrix, (nw, nh), flags=cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_CONSTANT, borderValue=fill)
    return out, np.vstack([matrix, [0, 0, 1]])


def _quarter_turn(degrees: int, w: int, h: int) -> np.ndarray:
    """Pixel-coordinate map of a clockwise quarter turn of a ``w``×``h`` image."""
    return {90: np.array([[0, -1, h], [1, 0, 0], [0, 0, 1]], float),
            180: np.array([[-1, 0, w], [0, -1, h], [0, 0, 1]], float),
            270: np.array([[0, 1, 0], [-1, 0, w], [0, 0, 1]], float)}[degrees]


def _pad_dark(img: np.ndarray, width: int,
              rng: np.random.Generator) -> tuple[np.ndarray, tuple[int, int]]:
    """Dark scanner bed on each side with probability 0.7, ``width/2``–``width`` pixels wide."""
    sides = [int(rng.uniform(0.5, 1) * width) if rng.random() < 0.7 else 0 for _ in range(4)]
    if not any(sides):
        sides[int(rng.integers(4))] = width
    top, bottom, left, right = sides
    shade = float(rng.uniform(15, 50))
    out = cv2.copyMakeBorder(img, top, bottom, left, right, cv2.BORDER_CONSTANT,
                             value=(shade, shade, shade))
    return out, (left, top)


def _ink_wear(img: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """Ribbon ink: dark strokes lighten in blotches and thin out where the ribbon was dry."""
    h, w = img.shape[:2]
    small = rng.random((max(2, h // 6), max(2, w // 6))).astype(np.float32)
    field = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    ink = 1 - img.mean(axis=2, keepdims=True) / 255
    faded = ink * (1 - strength * 0.7 * field[..., None])
    return img + (ink - faded) * 255


def _bleed_through(img: np.ndarray, strength: float) -> np.ndarray:
    """The reverse side showing through: this page mirrored, blurred and faint."""
    back = cv2.GaussianBlur(img[:, ::-1], (0, 0), 2.0)
    return np.minimum(img, 255 - (255 - back) * strength * 0.25)


def _photocopy(img: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """Photocopier look: harder contrast, toner haze and darkened page edges."""
    grey = img.mean(axis=2, keepdims=True)
    hard = np.clip((grey - 128) * (1 + strength) + 128 - 30 * strength, 0, 255)
    img = img * (1 - strength) + hard * strength
    h, w = img.shape[:2]
    haze = cv2.resize(rng.random((max(2, h // 40), max(2, w // 40))).astype(np.float32), (w, h))
    edge = np.minimum.outer(np.minimum(np.arange(h), np.arange(h)[::-1]),
                            np.minimum(np.arange(w), np.arange(w)[::-1])).astype(np.float32)
    edge = np.clip(1 - edge / (0.03 * w), 0, 1)
    return img * (1 - 0.12 * strength * haze[..., None]) * (1 - 0.6 * strength * edge[..., None])


def _fold(img: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """A fold crease: a thin dark line with a soft shadow on one side, across the page."""
    h, w = img.shape[:2]
    horizontal = rng.random() < 0.7
    pos = int((h if horizontal else w) * rng.uniform(0.3, 0.7))
    size = h if horizontal else w
    dist = np.abs(np.arange(size, dtype=np.float32) - pos)
    profile = 1 - strength * (0.35 * np.exp(-dist / 1.5) + 0.1 * np.exp(-dist / (size * 0.01)))
    profile = profile[:, None, None] if horizontal else profile[None, :, None]
    return img * profile


def _punch_holes(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Two filing holes in the left margin, dark like the scanner lid behind them."""
    h, w = img.shape[:2]
    r = max(4, int(w * 0.018))
    x = int(w * rng.uniform(0.03, 0.05))
    centre = h / 2 + rng.uniform(-0.02, 0.02) * h
    shade = float(rng.uniform(20, 80))
    out = img.copy()
    for dy in (-0.14 * h, 0.14 * h):
        cv2.circle(out, (x, int(centre + dy)), r, (shade, shade, shade), -1, cv2.LINE_AA)
    return out


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
