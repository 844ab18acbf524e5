"""Pixels in the one layout pages use: uint8, (H, W) grey or (H, W, 3) RGB.

Grey and bitonal sources stay grey (bitonal as 0/255); colour becomes RGB. Transparent pixels are
laid over white paper rather than turning black. Every function returns a new array and leaves
its input untouched.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from PIL import Image

Kind = Literal["bitonal", "grey", "colour"]

ORIENTATION_ROTATION = {1: 0, 3: 180, 6: 90, 8: 270}
"""EXIF/TIFF orientation tag → clockwise degrees turned to display the image upright."""


def pil_to_array(image: Image.Image) -> tuple[np.ndarray, Kind]:
    """The pixels of a loaded Pillow image, and whether it is bitonal, grey or colour."""
    mode = image.mode
    if mode == "1":
        return np.array(image.convert("L")), "bitonal"
    if mode == "L":
        return np.array(image), "grey"
    if mode.startswith("I;16") or mode == "I":
        return _sixteen_to_eight(np.array(image)), "grey"
    if mode == "F":
        return np.array(image.convert("L")), "grey"
    if mode in ("LA", "La"):
        grey_alpha = np.array(image.convert("LA"))
        return composite_on_white(grey_alpha[..., 0], grey_alpha[..., 1]), "grey"
    if mode == "P":
        return _palette_to_array(image)
    if mode == "RGB":
        return np.array(image), "colour"
    if "A" in mode or "a" in mode:
        rgba = np.array(image.convert("RGBA"))
        return composite_on_white(rgba[..., :3], rgba[..., 3]), "colour"
    return np.array(image.convert("RGB")), "colour"  # CMYK, YCbCr, LAB, HSV, RGBX


def _palette_to_array(image: Image.Image) -> tuple[np.ndarray, Kind]:
    palette = image.getpalette() or []
    triples = [palette[i : i + 3] for i in range(0, len(palette) - 2, 3)]
    grey = bool(triples) and all(r == g == b for r, g, b in triples)
    if "transparency" in image.info:
        rgba = np.array(image.convert("RGBA"))
        colour = composite_on_white(rgba[..., :3], rgba[..., 3])
        return (colour[..., 0].copy(), "grey") if grey else (colour, "colour")
    if grey:
        return np.array(image.convert("L")), "grey"
    return np.array(image.convert("RGB")), "colour"


def _sixteen_to_eight(values: np.ndarray) -> np.ndarray:
    """16-bit (or small 32-bit) grey values scaled to 0–255."""
    if values.dtype != np.uint16:
        if values.size and values.min() >= 0 and values.max() <= 255:
            return values.astype(np.uint8)
        values = np.clip(values, 0, 65535)
    wide = values.astype(np.uint32)
    return ((wide * 255 + 32767) // 65535).astype(np.uint8)


def composite_on_white(colour: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """``colour`` (H, W) or (H, W, C) uint8 laid over white with ``alpha`` (H, W) uint8."""
    if alpha.size == 0 or int(alpha.min()) == 255:
        return np.array(colour, dtype=np.uint8, copy=True)
    weight = alpha.astype(np.uint32)
    if colour.ndim == 3:
        weight = weight[..., None]
    mixed = (colour.astype(np.uint32) * weight + 255 * (255 - weight) + 127) // 255
    return mixed.astype(np.uint8)


def normalize_array(array: np.ndarray) -> np.ndarray:
    """A caller's array (validated by :func:`check_array`) as a new page image.

    ``bool`` becomes 0/255, ``uint16`` is scaled to 0–255, one channel becomes grey, two
    channels are grey + alpha and four RGB + alpha (alpha laid over white). Channels are taken
    to be RGB, not OpenCV's BGR.
    """
    if array.dtype == np.bool_:
        values = array.astype(np.uint8) * np.uint8(255)
    elif array.dtype == np.uint16:
        values = _sixteen_to_eight(array)
    else:
        values = array
    if values.ndim == 3 and values.shape[2] == 1:
        values = values[..., 0]
    if values.ndim == 3 and values.shape[2] in (2, 4):
        return composite_on_white(
            values[..., :-1].squeeze(-1) if values.shape[2] == 2 else values[..., :3],
            values[..., -1],
        )
    return np.array(values, dtype=np.uint8, order="C", copy=True)


def array_problem(array: np.ndarray) -> str | None:
    """Why ``array`` cannot be a page image, or ``None`` when it can (sizes are checked apart)."""
    if array.dtype not in (np.uint8, np.uint16, np.bool_):
        return (
            f"the array holds {array.dtype} values; pass uint8 pixels "
            "(bool and uint16 are converted)"
        )
    if array.ndim == 2 or (array.ndim == 3 and array.shape[2] in (1, 2, 3, 4)):
        return None
    return f"the array has shape {tuple(array.shape)}; pass H×W (grey), H×W×3 (RGB) or H×W×4 (RGBA)"


def apply_orientation(image: np.ndarray, orientation: int) -> np.ndarray:
    """Turn/mirror ``image`` as EXIF/TIFF ``orientation`` (1–8) says, to display it upright."""
    flips = {
        2: lambda a: a[:, ::-1],
        3: lambda a: a[::-1, ::-1],
        4: lambda a: a[::-1],
        5: lambda a: a.swapaxes(0, 1),
        6: lambda a: np.rot90(a, -1),
        7: lambda a: np.rot90(a, 2).swapaxes(0, 1),
        8: lambda a: np.rot90(a, 1),
    }
    turn = flips.get(orientation)
    return np.ascontiguousarray(turn(image)) if turn else image


def resize(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """``image`` resampled (bilinear) to ``width`` × ``height``."""
    resized = Image.fromarray(image).resize((width, height), Image.Resampling.BILINEAR)
    return np.array(resized)
