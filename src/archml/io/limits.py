"""Size limits checked before pixels are decoded, and Pillow's own guards set to match."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image, ImageFile

from archml.errors import ImageTooLarge, InputTooLarge
from archml.io.config import ReadConfig


def human_bytes(n: int) -> str:
    """``1536`` → ``"1.5 KiB"``."""
    value = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{n} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def check_file_size(size: int, config: ReadConfig, label: str) -> None:
    """Raise :class:`InputTooLarge` when ``size`` bytes exceed ``config.max_file_bytes``."""
    if size > config.max_file_bytes:
        raise InputTooLarge(
            f"the file is {human_bytes(size)}, more than the {human_bytes(config.max_file_bytes)} "
            "allowed (max_file_bytes); split it into smaller files or raise the limit",
            source=label,
        )


def check_dimensions(width: int, height: int, config: ReadConfig, label: str, what: str) -> None:
    """Raise :class:`ImageTooLarge` for a page image that is a bomb or absurdly sized."""
    where = f"{what} would be {width}×{height} pixels"
    if width < config.min_side or height < config.min_side:
        raise ImageTooLarge(
            f"{where}, smaller than the {config.min_side}-pixel minimum side (min_side); "
            "the page is empty or its size is wrong",
            source=label,
        )
    if width > config.max_side or height > config.max_side:
        raise ImageTooLarge(
            f"{where}, larger than the {config.max_side}-pixel maximum side (max_side); "
            "rescan it at a normal resolution (300 dpi) or raise the limit",
            source=label,
        )
    if width * height > config.max_image_pixels:
        raise ImageTooLarge(
            f"{where} ({width * height:,} pixels), more than the {config.max_image_pixels:,} "
            "allowed (max_image_pixels); this guards against decompression bombs. Rescan it at "
            "300 dpi or raise the limit",
            source=label,
        )


@contextmanager
def pillow_guard(config: ReadConfig, label: str) -> Iterator[None]:
    """Run Pillow with our pixel limit, refusing truncated images and decompression bombs.

    Pillow's settings are process-wide; they are set for the duration of the block and restored
    after it (readers are not meant to be shared between threads).
    """
    saved = Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES
    Image.MAX_IMAGE_PIXELS = config.max_image_pixels
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # damaged files make Pillow warn ("Corrupt EXIF data") before failing; the typed
            # error that follows says it once
            warnings.filterwarnings("ignore", category=UserWarning, module="PIL")
            yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge(
            f"the image is too large to decode safely ({exc}); this guards against "
            "decompression bombs. Rescan it at 300 dpi or raise max_image_pixels",
            source=label,
        ) from exc
    finally:
        Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = saved
