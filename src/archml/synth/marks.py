"""Marks drawn over the text: red round seals, signature strokes, parcel sketches and ink
blending. All draws are seeded; masks are cached per size and text, so repeated calls are cheap
and identical."""

from __future__ import annotations

import math
from functools import cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

Color = tuple[int, int, int]


def blend_ink(image: np.ndarray, mask: np.ndarray, color: Color, x: int, y: int,
              strength: float = 1.0) -> None:
    """Multiply ``color`` into ``image`` (uint8 RGB, in place) through ``mask`` (float 0–1)
    placed with its top-left at ``(x, y)``; clipped to the image."""
    h, w = mask.shape
    H, W = image.shape[:2]  # noqa: N806
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    if x0 >= x1 or y0 >= y1:
        return
    m = mask[y0 - y:y1 - y, x0 - x:x1 - x, None] * strength
    region = image[y0:y1, x0:x1].astype(np.float32)
    ink = np.array(color, np.float32)
    image[y0:y1, x0:x1] = np.clip(region * (1 - m) + np.minimum(region, ink) * m, 0, 255).astype(
        np.uint8)


@cache
def seal_mask(text: str, radius: int, font_path: str) -> np.ndarray:
    """A round seal: two rings, ``text`` around the top, a star in the middle (float mask)."""
    size = 2 * radius + 4
    img = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(img)
    c = size / 2
    ring = max(2, radius // 22)
    draw.ellipse((c - radius, c - radius, c + radius, c + radius), outline=255, width=ring)
    inner = radius * 0.68
    draw.ellipse((c - inner, c - inner, c + inner, c + inner), outline=255, width=max(1, ring // 2))
    font = ImageFont.truetype(font_path, max(8, int(radius * 0.2)))
    chars = list(text.upper())
    span = min(300.0, 9.0 * len(chars))
    text_r = radius * 0.84
    for i, ch in enumerate(chars):
        angle = -90 - span / 2 + span * (i + 0.5) / len(chars)
        glyph = Image.new("L", (font.size * 2, font.size * 2), 0)
        ImageDraw.Draw(glyph).text((font.size, font.size), ch, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-(angle + 90), resample=Image.BILINEAR)
        gx = c + text_r * math.cos(math.radians(angle)) - font.size
        gy = c + text_r * math.sin(math.radians(angle)) - font.size
        img.paste(255, (int(gx), int(gy)), glyph)
    star = [(c + inner * 0.55 * math.cos(math.radians(-90 + k * 36)) * (1 if k % 2 == 0 else 0.4),
             c + inner * 0.55 * math.sin(math.radians(-90 + k * 36)) * (1 if k % 2 == 0 else 0.4))
            for k in range(10)]
    draw.polygon(star, fill=255)
    return np.asarray(img, np.float32) / 255


def signature_mask(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """A few connected, smoothed random strokes: a plausible signature, not a name."""
    mask = np.zeros((height, width), np.uint8)
    thickness = max(1, round(height / 45))
    for _ in range(int(rng.integers(1, 3))):
        n = int(rng.integers(6, 12))
        xs = np.sort(rng.uniform(0.05, 0.95, n)) * width
        ys = (0.5 + rng.normal(0, 0.22, n)).clip(0.1, 0.9) * height
        t = np.linspace(0, n - 1, n * 12)
        px = np.interp(t, np.arange(n), xs) + np.sin(t * rng.uniform(1.5, 3)) * width * 0.03
        py = np.interp(t, np.arange(n), ys) + np.cos(t * rng.uniform(2, 4)) * height * 0.12
        pts = np.stack([px, py], axis=1).astype(np.int32)
        cv2.polylines(mask, [pts], False, 255, thickness, cv2.LINE_AA)
    if rng.random() < 0.7:  # the final flourish under the strokes
        y = int(height * rng.uniform(0.7, 0.85))
        cv2.line(mask, (int(width * 0.1), y), (int(width * rng.uniform(0.6, 0.95)), y - 3), 255,
                 thickness, cv2.LINE_AA)
    return mask.astype(np.float32) / 255


def polygon(box: tuple[float, float, float, float], n: int,
            rng: np.random.Generator) -> list[tuple[float, float]]:
    """An irregular convex-ish ``n``-gon inside ``box`` (a parcel outline)."""
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    rx, ry = (x1 - x0) / 2 * 0.8, (y1 - y0) / 2 * 0.8
    angles = np.sort(rng.uniform(0, 2 * np.pi, n))
    radii = rng.uniform(0.7, 1.0, n)
    return [(cx + rx * r * math.cos(a), cy + ry * r * math.sin(a))
            for a, r in zip(angles, radii, strict=True)]
