"""Synthetic handwritten digit strips: the training and test data of the fill-in reader.

A strip is what :mod:`archml.fillins` cuts out of a page around a handwritten number, day or
month: a few digits written by hand, either from a stroke model (hand-made skeletons of each
digit in the variants Vietnamese clerks write — the long-lead ``1`` that looks like ``Λ``, the
looped ``2`` (also the ballpoint-cursive ``2`` with a foot loop and a long tail, the ``ℒ`` ``2``
that starts with a small loop at the top, the ``2`` with a loop at both ends), open and closed
``4``, crossed ``7`` — smoothed, jittered, slanted and drawn with a random pen width, a share of
them with a thin ballpoint) or from one of the Debian handwriting fonts of
:data:`~archml.synth.fonts.HANDWRITING_FILES`, or copied from a bank of real handwritten digit
images (:class:`~archml.synth.digit_images.DigitImages`, when one is given), plus a share of
printed digits; in blue or black ink over printed dots, underlines and the edges of the printed
words around the gap (``Số:``, ``/QĐ``, ``ngày``, ``tháng``); then scanned: paper tint, blur,
noise, low resolution, JPEG or bitonal thresholding. Deterministic for a generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np
from PIL import Image, ImageDraw

from archml.synth.digit_images import DigitImages
from archml.synth.draw import load_font
from archml.synth.fonts import font_files, handwriting_files

DIGITS = "0123456789"
Source = Literal["stroke", "font", "print", "scan"]
Points = list[tuple[float, float]]

# Skeletons in a box 0.7 wide and 1 high (y down, 1 = baseline); one list of strokes per variant.
STROKES: dict[str, list[list[Points]]] = {
    "0": [[[(0.35, 0.0), (0.1, 0.15), (0.02, 0.5), (0.1, 0.85), (0.35, 1.0), (0.6, 0.85),
            (0.66, 0.5), (0.58, 0.14), (0.35, 0.0), (0.22, 0.06)]]],
    "1": [[[(0.3, 0.0), (0.3, 1.0)]],
          [[(0.08, 0.28), (0.34, 0.0), (0.34, 1.0)]],
          [[(0.0, 0.8), (0.18, 0.4), (0.38, 0.0), (0.4, 0.5), (0.42, 1.0)]],
          [[(0.1, 0.25), (0.34, 0.0), (0.34, 1.0)], [(0.12, 1.0), (0.56, 1.0)]],
          [[(0.0, 0.5), (0.2, 0.22), (0.42, 0.0), (0.36, 1.0)]]],  # long flag, thin pen
    "2": [[[(0.04, 0.25), (0.2, 0.03), (0.45, 0.0), (0.62, 0.2), (0.55, 0.45), (0.3, 0.7),
            (0.02, 1.0), (0.35, 0.97), (0.7, 1.0)]],
          [[(0.04, 0.25), (0.2, 0.03), (0.45, 0.0), (0.62, 0.2), (0.55, 0.45), (0.3, 0.7),
            (0.12, 0.88), (0.03, 0.98), (0.12, 1.0), (0.2, 0.9), (0.1, 0.86), (0.35, 0.98),
            (0.7, 0.96)]],
          # the school-cursive 2 with a large loop at the foot (Vietnamese handwriting)
          [[(0.05, 0.3), (0.15, 0.05), (0.4, 0.0), (0.6, 0.15), (0.55, 0.45), (0.35, 0.68),
            (0.15, 0.85), (0.06, 0.97), (0.2, 1.0), (0.34, 0.9), (0.26, 0.76), (0.14, 0.86),
            (0.3, 0.98), (0.52, 0.98), (0.7, 0.9)]],
          [[(0.1, 0.2), (0.28, 0.0), (0.52, 0.04), (0.6, 0.25), (0.46, 0.55), (0.22, 0.8),
            (0.05, 0.95), (0.16, 1.0), (0.38, 0.86), (0.32, 0.74), (0.22, 0.8), (0.26, 0.95),
            (0.46, 1.0), (0.7, 0.95)]],
          # ballpoint cursive: open top, long diagonal, foot loop, long rising tail
          [[(0.02, 0.2), (0.18, 0.02), (0.42, 0.0), (0.58, 0.15), (0.5, 0.42), (0.25, 0.7),
            (0.06, 0.9), (0.04, 1.0), (0.2, 0.98), (0.3, 0.82), (0.16, 0.78), (0.1, 0.9),
            (0.3, 1.0), (0.55, 0.97), (0.78, 0.86)]],
          # ... started with a curl at the top left
          [[(0.16, 0.3), (0.04, 0.22), (0.12, 0.06), (0.35, 0.0), (0.58, 0.12), (0.55, 0.35),
            (0.3, 0.65), (0.08, 0.92), (0.15, 1.0), (0.3, 0.9), (0.2, 0.8), (0.14, 0.94),
            (0.4, 1.0), (0.72, 0.93)]],
          # ... started with a closed loop at the top, a straight diagonal, a long flat tail
          [[(0.32, 0.26), (0.12, 0.2), (0.14, 0.04), (0.38, 0.0), (0.56, 0.1), (0.5, 0.3),
            (0.3, 0.6), (0.04, 0.98), (0.3, 0.97), (0.6, 0.95), (0.9, 0.88)]],
          # the "ℒ" 2: a small loop at the top right, one long stroke down to the left, a foot
          # loop and a rising tail (no bowl); the looped start drawn small or round
          [[(0.45, 0.2), (0.6, 0.08), (0.53, 0.0), (0.43, 0.07), (0.48, 0.2), (0.4, 0.38),
            (0.25, 0.6), (0.1, 0.82), (0.05, 0.97), (0.15, 1.0), (0.22, 0.9), (0.12, 0.85),
            (0.1, 0.95), (0.3, 1.0), (0.55, 0.97), (0.78, 0.9)]],
          [[(0.62, 0.16), (0.6, 0.02), (0.48, 0.03), (0.5, 0.14), (0.62, 0.16), (0.42, 0.3),
            (0.22, 0.55), (0.08, 0.8), (0.02, 0.98), (0.14, 1.0), (0.24, 0.88), (0.12, 0.84),
            (0.08, 0.96), (0.35, 1.0), (0.62, 0.97), (0.85, 0.88)]],
          # a loop at both ends: a large curl to start, the diagonal, a foot loop, the base
          [[(0.35, 0.36), (0.14, 0.38), (0.03, 0.24), (0.12, 0.05), (0.36, 0.0), (0.56, 0.1),
            (0.56, 0.3), (0.38, 0.55), (0.16, 0.77), (0.04, 0.92), (0.1, 1.0), (0.3, 0.98),
            (0.34, 0.82), (0.18, 0.78), (0.12, 0.9), (0.3, 1.0), (0.7, 0.97)]],
          [[(0.28, 0.3), (0.06, 0.3), (0.04, 0.1), (0.26, 0.0), (0.5, 0.04), (0.56, 0.24),
            (0.42, 0.48), (0.2, 0.74), (0.04, 0.94), (0.1, 1.0), (0.36, 0.92), (0.3, 0.76),
            (0.14, 0.84), (0.2, 0.98), (0.68, 0.97)]]],
    "3": [[[(0.05, 0.1), (0.3, 0.0), (0.55, 0.1), (0.55, 0.3), (0.3, 0.47), (0.6, 0.6),
            (0.62, 0.85), (0.35, 1.0), (0.02, 0.9)]],
          [[(0.05, 0.0), (0.6, 0.0), (0.3, 0.4), (0.6, 0.58), (0.62, 0.85), (0.35, 1.0),
            (0.02, 0.9)]],
          [[(0.02, 0.12), (0.25, 0.0), (0.5, 0.06), (0.5, 0.26), (0.26, 0.46), (0.52, 0.56),
            (0.64, 0.78), (0.46, 0.97), (0.2, 1.0), (0.0, 0.86)]]],  # open, no middle point
    "4": [[[(0.45, 0.0), (0.0, 0.65), (0.68, 0.65)], [(0.5, 0.3), (0.5, 1.0)]],
          [[(0.5, 0.0), (0.0, 0.65), (0.68, 0.65)], [(0.5, 0.0), (0.5, 1.0)]],
          [[(0.05, 0.0), (0.05, 0.6), (0.65, 0.6)], [(0.55, 0.0), (0.55, 1.0)]]],
    "5": [[[(0.1, 0.0), (0.05, 0.45), (0.35, 0.38), (0.6, 0.55), (0.6, 0.82), (0.35, 1.0),
            (0.02, 0.88)], [(0.1, 0.0), (0.62, 0.0)]],
          [[(0.62, 0.0), (0.12, 0.0), (0.07, 0.45), (0.35, 0.38), (0.6, 0.55), (0.6, 0.82),
            (0.35, 1.0), (0.02, 0.88)]]],
    "6": [[[(0.55, 0.02), (0.25, 0.2), (0.05, 0.6), (0.15, 0.95), (0.4, 1.0), (0.6, 0.8),
            (0.5, 0.55), (0.25, 0.55), (0.07, 0.72)]]],
    "7": [[[(0.02, 0.0), (0.65, 0.0), (0.25, 1.0)]],
          [[(0.0, 0.16), (0.05, 0.0), (0.65, 0.02), (0.3, 1.0)]],
          [[(0.02, 0.0), (0.65, 0.0), (0.25, 1.0)], [(0.2, 0.5), (0.62, 0.5)]]],
    "8": [[[(0.55, 0.12), (0.35, 0.0), (0.1, 0.12), (0.15, 0.35), (0.5, 0.6), (0.62, 0.82),
            (0.35, 1.0), (0.05, 0.82), (0.18, 0.6), (0.5, 0.35), (0.58, 0.15)]]],
    "9": [[[(0.58, 0.18), (0.35, 0.0), (0.07, 0.15), (0.12, 0.4), (0.4, 0.45), (0.6, 0.25),
            (0.6, 0.1), (0.58, 0.5), (0.5, 1.0)]],
          [[(0.58, 0.18), (0.35, 0.0), (0.07, 0.15), (0.12, 0.4), (0.4, 0.45), (0.6, 0.25),
            (0.6, 0.1), (0.58, 0.55), (0.45, 0.9), (0.2, 1.0)]]],
}
BALLPOINT = 0.35
"""Share of stroke-model writers with a thin ballpoint (pen 2.5–5 % of the digit height) and
closer digits (the 2010 catalogue scans' ballpoint; faded ink is drawn by :func:`_colour`)."""
CONTEXT_LEFT = ("Số:", "Số", ":", "ngày", "gày", "ày", "y", "tháng", "ng", "g")
CONTEXT_RIGHT = ("/QĐ-UBND", "/", "/CT", "/BC-", "/UBND", "tháng", "thá", "th", "năm", "nă", "n")
_UNIT = 64  # digit height in pixels on the drawing canvas


@dataclass(frozen=True)
class DigitStrip:
    """One strip: RGB image, the digits written on it, and how they were drawn."""

    image: np.ndarray
    text: str
    source: Source


def fill_text(rng: np.random.Generator) -> str:
    """A fill-in as clerks write it: a day or month (often zero-padded), a number or a year."""
    kind = rng.random()
    if kind < 0.3:
        value = int(rng.integers(1, 32))
    elif kind < 0.5:
        value = int(rng.integers(1, 13))
    elif kind < 0.9:
        value = int(rng.choice([rng.integers(1, 100), rng.integers(1, 1000),
                                rng.integers(1, 10000)]))
    else:
        value = int(rng.integers(1980, 2031))
    pad = value < 10 and rng.random() < 0.6
    return f"{value:02d}" if pad else str(value)


SCAN_SHARE = 0.2
"""Share of strips copied from real digit images when :func:`digit_strip` is given a bank (taken
from the stroke model's and the fonts' shares)."""


def digit_strip(rng: np.random.Generator, text: str | None = None,
                source: Source | None = None, bank: DigitImages | None = None) -> DigitStrip:
    """A scanned-looking strip with ``text`` (default: :func:`fill_text`) written by hand; with
    a ``bank`` of real digit images, :data:`SCAN_SHARE` of the strips copy their digits from it
    (source ``scan``)."""
    text = text or fill_text(rng)
    if source is None:
        shares = [0.5, 0.4, 0.1] if bank is None else \
            [0.5 - SCAN_SHARE / 2, 0.4 - SCAN_SHARE / 2, 0.1, SCAN_SHARE]
        source = str(rng.choice(["stroke", "font", "print", "scan"][:len(shares)],
                                p=shares))  # type: ignore[assignment]
    if source == "scan":
        if bank is None:
            raise ValueError("source 'scan' needs a bank of digit images")
        ink = _scan_mask(text, bank, rng)
    elif source == "stroke":
        ink = _stroke_mask(text, rng)
    else:
        ink = _font_mask(text, source, rng)
    ink = _slant(ink, float(rng.normal(0.12, 0.15)) if source != "print" else 0.0)
    canvas, box = _place(ink, rng)
    printed = _context(canvas.shape, box, rng)
    window = _window(canvas.shape, box, rng)
    image = _colour(canvas[window], printed[window], rng)
    return DigitStrip(_scan(image, box[3] - box[1], rng), text, source)


def _smooth(points: Points, rng: np.random.Generator, jitter: float) -> np.ndarray:
    """Catmull–Rom curve through the jittered control points (8 samples per segment)."""
    p = np.asarray(points, np.float32) + rng.normal(0, jitter, (len(points), 2))
    if len(p) < 3:
        return p
    ext = np.vstack([p[:1], p, p[-1:]])
    t = np.linspace(0, 1, 8, endpoint=False)[:, None]
    out = []
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        out.append(0.5 * (2 * p1 + (p2 - p0) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t ** 2
                          + (3 * p1 - p0 - 3 * p2 + p3) * t ** 3))
    return np.vstack([*out, p[-1:]])


def _stroke_mask(text: str, rng: np.random.Generator) -> np.ndarray:
    """Digits from :data:`STROKES`; one writer: one variant per digit and one pen."""
    variants = {d: int(rng.integers(len(STROKES[d]))) for d in dict.fromkeys(text)}
    ballpoint = rng.random() < BALLPOINT
    pen = max(2, round(_UNIT * float(rng.uniform(*((0.025, 0.05) if ballpoint else (0.04, 0.16))))))
    jitter = float(rng.uniform(0.01, 0.04))
    widths = [0.7 * _UNIT * float(rng.uniform(0.85, 1.2)) for _ in text]
    gap = _UNIT * float(rng.uniform(-0.15 if ballpoint else -0.05, 0.35))
    width = int(sum(widths) + gap * len(text) + 2 * _UNIT)
    mask = np.zeros((2 * _UNIT, width), np.uint8)
    x = _UNIT * 0.5
    for char, w in zip(text, widths, strict=True):
        scale = _UNIT * float(rng.uniform(0.85, 1.1)) * (0.7 if char == "0" and rng.random() < 0.15
                                                         else 1.0)
        top = _UNIT * 0.5 + (_UNIT - scale) + float(rng.normal(0, 0.05)) * _UNIT
        for stroke in STROKES[char][variants[char]]:
            pts = _smooth(stroke, rng, jitter) * [w / 0.7 * scale / _UNIT, scale] + [x, top]
            cv2.polylines(mask, [np.round(pts * 4).astype(np.int32)], False, 255, pen,
                          cv2.LINE_AA, shift=2)
        x += w + gap
    return mask


def _font_mask(text: str, source: Source, rng: np.random.Generator) -> np.ndarray:
    """Digits in a handwriting font (or, for ``print``, a serif face), with per-digit jitter."""
    if source == "print":
        path = str(font_files()[str(rng.choice(["regular", "italic", "bold"]))])
    else:
        fonts = handwriting_files()
        path = fonts[int(rng.integers(len(fonts)))]
    font = load_font(path, int(_UNIT * 1.35))
    image = Image.new("L", (int(font.getlength(text) * 1.6) + 2 * _UNIT, 3 * _UNIT), 0)
    draw = ImageDraw.Draw(image)
    x, spacing = _UNIT * 0.5, float(rng.uniform(-0.05, 0.25)) * _UNIT
    jitter = 0.0 if source == "print" else 0.06
    for char in text:
        y = 2.2 * _UNIT + float(rng.normal(0, jitter)) * _UNIT
        draw.text((x, y), char, font=font, fill=255, anchor="ls")
        x += font.getlength(char) + spacing
    mask = np.asarray(image)
    pen = int(rng.integers(-1, 3)) if source == "font" else 0
    kernel = np.ones((3, 3), np.uint8)
    if pen > 0:
        mask = cv2.dilate(mask, kernel, iterations=pen)
    elif pen < 0:
        mask = cv2.erode(mask, kernel)
    return mask


def _scan_mask(text: str, bank: DigitImages, rng: np.random.Generator) -> np.ndarray:
    """Each digit a real image of it from ``bank`` (different writers), scaled to the strip's
    digit height, set side by side, the pen sometimes thinned."""
    pen = int(rng.integers(0, 3))
    gap = _UNIT * float(rng.uniform(-0.05, 0.3))
    digits = []
    for char in text:
        image = bank.pick(char, rng)
        scale = _UNIT * float(rng.uniform(0.85, 1.1)) / image.shape[0]
        digits.append(cv2.resize(image, (max(2, round(image.shape[1] * scale)),
                                         max(2, round(image.shape[0] * scale))),
                                 interpolation=cv2.INTER_CUBIC))
    mask = np.zeros((2 * _UNIT, int(sum(d.shape[1] + gap for d in digits) + 2 * _UNIT)), np.uint8)
    x = _UNIT * 0.5
    for digit in digits:
        h, w = digit.shape
        top = int(1.5 * _UNIT - h + rng.normal(0, 0.05) * _UNIT)
        left = max(0, int(x))
        region = mask[top:top + h, left:left + w]
        np.maximum(region, digit, out=region)
        x += w + gap
    return cv2.erode(mask, np.ones((3, 3), np.uint8), iterations=pen) if pen else mask


def _slant(mask: np.ndarray, shear: float) -> np.ndarray:
    h, w = mask.shape
    pad = int(abs(shear) * h) + 1
    matrix = np.float32([[1, -shear, pad + (shear * h if shear > 0 else 0)], [0, 1, 0]])
    return cv2.warpAffine(mask, matrix, (w + 2 * pad, h))


def _place(ink: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, tuple[int, ...]]:
    """The ink trimmed to its box on a canvas with room for context; returns canvas and box."""
    ys, xs = np.nonzero(ink > 40)
    ink = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    h, w = ink.shape
    canvas = np.zeros((h + 2 * _UNIT, w + 4 * _UNIT), np.uint8)
    y0 = _UNIT + int(rng.integers(-_UNIT // 6, _UNIT // 6 + 1))
    canvas[y0:y0 + h, 2 * _UNIT:2 * _UNIT + w] = ink
    return canvas, (2 * _UNIT, y0, 2 * _UNIT + w, y0 + h)


def _context(shape: tuple[int, ...], box: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Printed matter around the fill-in: dots, an underline, the edges of the words nearby."""
    image = Image.new("L", (shape[1], shape[0]), 0)
    draw = ImageDraw.Draw(image)
    x0, y0, x1, y1 = box
    base = y1 - int(rng.uniform(0.0, 0.35) * (y1 - y0))
    style = str(rng.choice(["regular", "italic"]))
    font = load_font(str(font_files()[style]), int(_UNIT * float(rng.uniform(0.75, 1.05))))
    if rng.random() < 0.4:
        draw.text((x0 - rng.uniform(0, _UNIT), base), "." * 40, font=font, fill=255, anchor="ls")
    if rng.random() < 0.1:
        draw.line((0, base + 4, shape[1], base + 4), fill=255, width=int(rng.integers(2, 5)))
    if rng.random() < 0.5:
        word = str(rng.choice(CONTEXT_LEFT))
        right = x0 - float(rng.uniform(-0.15, 0.5)) * _UNIT
        draw.text((right - font.getlength(word), base), word, font=font, fill=255, anchor="ls")
    if rng.random() < 0.5:
        draw.text((x1 + float(rng.uniform(-0.1, 0.5)) * _UNIT, base), str(rng.choice(
            CONTEXT_RIGHT)), font=font, fill=255, anchor="ls")
    return np.asarray(image)


def _colour(hand: np.ndarray, printed: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Blue or black pen (sometimes a faded, pale blue or violet ballpoint) and black print on
    paper, multiplied where they cross."""
    blue = rng.random() < 0.5
    pen = (rng.uniform(0, 60), rng.uniform(20, 80), rng.uniform(110, 200)) if blue else \
        tuple(rng.uniform(0, 50, 3))
    if rng.random() < 0.15:  # faded ballpoint: pale blue or violet, low contrast
        pen = (rng.uniform(60, 150), rng.uniform(60, 130), rng.uniform(150, 210))
    paper = np.array([rng.uniform(215, 255)] * 3) - [0, rng.uniform(0, 10), rng.uniform(0, 25)]
    image = np.ones((*hand.shape, 3), np.float32) * paper
    for mask, colour in ((printed, rng.uniform(0, 40, 3)), (hand, np.asarray(pen))):
        m = mask[..., None].astype(np.float32) / 255 * float(rng.uniform(0.75, 1.0))
        image = image * (1 - m) + np.minimum(image, colour) * m
    return image


def _window(shape: tuple[int, ...], box: tuple[int, ...],
            rng: np.random.Generator) -> tuple[slice, slice]:
    """Where the region finder would cut: the fill-in with a random margin."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    return (slice(max(0, y0 - int(rng.uniform(0.0, 0.35) * h)),
                  min(shape[0], y1 + int(rng.uniform(0.0, 0.35) * h))),
            slice(max(0, x0 - int(rng.uniform(0.0, 0.6) * h)),
                  min(shape[1], x1 + int(rng.uniform(0.0, 0.6) * h))))


def _scan(image: np.ndarray, h: int, rng: np.random.Generator) -> np.ndarray:
    """Blur, shrink to a scan's resolution (digit height ``h`` → 18–60 px), noise, JPEG or
    bitonal thresholding."""
    crop = cv2.GaussianBlur(image, (0, 0), float(rng.uniform(0.3, 2.0)))
    scale = float(rng.uniform(18, 60)) / h  # digit height 18–60 px: 150–300 dpi
    size = (max(4, round(crop.shape[1] * scale)), max(4, round(crop.shape[0] * scale)))
    crop = cv2.resize(crop, size, interpolation=cv2.INTER_AREA)
    crop = crop + rng.normal(0, float(rng.uniform(0, 12)), crop.shape[:2])[..., None]
    crop = np.clip(crop, 0, 255).astype(np.uint8)
    kind = rng.random()
    if kind < 0.15:  # bitonal scan
        grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
        crop = np.repeat(np.where(grey < rng.uniform(110, 190), 0, 255).astype(np.uint8)[..., None],
                         3, axis=2)
    elif kind < 0.6:
        ok, data = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(30, 95))])
        crop = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if ok else crop
    return crop
