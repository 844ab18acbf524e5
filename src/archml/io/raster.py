"""TIFF (multi-page), PNG and JPEG pages through Pillow."""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np
from PIL import Image

from archml.errors import ArchmlError, CorruptInput, TooManyPages
from archml.io.backend import RawPage
from archml.io.config import ReadConfig
from archml.io.dpi import resolution
from archml.io.limits import check_dimensions, pillow_guard
from archml.io.pixels import ORIENTATION_ROTATION, apply_orientation, pil_to_array, resize
from archml.io.sniff import JPEG, PNG, TIFF
from archml.io.source import Origin

PIL_FORMATS = {TIFF: "TIFF", PNG: "PNG", JPEG: "JPEG"}
ORIENTATION_TAG = 0x0112


class RasterBackend:
    """Pages of a Pillow image: every frame of a TIFF, the first frame of anything else."""

    def __init__(self, image: Image.Image, config: ReadConfig, label: str, *, owned: bool) -> None:
        self.image = image
        self.config = config
        self.label = label
        self.owned = owned
        """Whether the image was opened here (and is closed here) or belongs to the caller."""
        self.multi_frame = image.format == "TIFF"
        self.n_pages = self._count_frames() if self.multi_frame else 1

    def _count_frames(self) -> int:
        """Frames of a TIFF, walking no further than ``max_pages`` + 1 directories."""
        start = self.image.tell()
        try:
            with pillow_guard(self.config, self.label):
                count = 1
                while True:
                    try:
                        self.image.seek(count)
                    except EOFError:
                        return count
                    count += 1
                    if count > self.config.max_pages:
                        raise TooManyPages(
                            f"the TIFF has more than {self.config.max_pages} pages (max_pages); "
                            "split it into smaller files or raise the limit",
                            source=self.label,
                        )
        except (ArchmlError, MemoryError):
            raise
        except Exception as exc:
            raise _corrupt(self.label, "its list of pages is damaged", exc) from exc
        finally:
            _seek_quietly(self.image, start)

    def load(self, index: int) -> RawPage:
        image = self.image
        start = image.tell()
        try:
            with pillow_guard(self.config, self.label):
                if self.multi_frame:
                    image.seek(index)
                width, height = image.size
                check_dimensions(width, height, self.config, self.label, _page_name(self, index))
                image.load()
                pixels, kind = pil_to_array(image)
                info = dict(image.info)
                orientation = _orientation(image)
                mode, fmt = image.mode, image.format
        except (ArchmlError, MemoryError):
            raise
        except Exception as exc:
            raise _corrupt(self.label, f"{_page_name(self, index)} cannot be decoded", exc) from exc
        finally:
            if not self.owned:
                _seek_quietly(image, start)
        res = resolution(info, width, height, self.config)
        params: dict[str, Any] = {
            "format": fmt or "PIL",
            "mode": mode,
            "kind": kind,
            "original_size": [width, height],
        }
        if self.multi_frame:
            params["frame"] = index
        params.update(res.params())
        if not res.square and self.config.square_pixels:
            pixels = self._square(pixels, res.x, res.y, index)
            params["resampled_to"] = [pixels.shape[1], pixels.shape[0]]
        steps: list[tuple[str, dict[str, Any]]] = []
        rotation = 0
        if orientation not in (None, 1):
            pixels = apply_orientation(pixels, orientation)
            rotation = ORIENTATION_ROTATION.get(orientation, 0)
            mirrored = orientation not in ORIENTATION_ROTATION
            record = {"orientation": orientation, "rotation": rotation, "mirrored": mirrored}
            steps.append(("exif_orientation", record))
        return RawPage(image=pixels, dpi=res.dpi, params=params, rotation=rotation, steps=steps)

    def _square(self, pixels: np.ndarray, x_dpi: float, y_dpi: float, index: int) -> np.ndarray:
        """Resample to square pixels at the finer of the two resolutions."""
        height, width = pixels.shape[:2]
        dpi = max(x_dpi, y_dpi)
        new_w, new_h = round(width * dpi / x_dpi), round(height * dpi / y_dpi)
        check_dimensions(new_w, new_h, self.config, self.label, _page_name(self, index))
        return resize(pixels, new_w, new_h)

    def close(self) -> None:
        if self.owned:
            self.image.close()


def open_raster(origin: Origin, mime: str, config: ReadConfig) -> RasterBackend:
    """Open a TIFF, PNG or JPEG (header only; pixels are decoded per page)."""
    try:
        with pillow_guard(config, origin.label):
            image = Image.open(origin.open(), formats=[PIL_FORMATS[mime]])
    except (ArchmlError, MemoryError):
        raise
    except Exception as exc:
        raise _corrupt(origin.label, f"the {PIL_FORMATS[mime]} header cannot be read", exc) from exc
    try:
        return RasterBackend(image, config, origin.label, owned=True)
    except BaseException:
        image.close()
        raise


def _orientation(image: Image.Image) -> int | None:
    """The EXIF/TIFF orientation tag (1–8) of the current frame, if any."""
    tags = getattr(image, "tag_v2", None)
    value = tags.get(ORIENTATION_TAG) if tags is not None else image.getexif().get(ORIENTATION_TAG)
    return value if isinstance(value, int) and 1 <= value <= 8 else None


def _page_name(backend: RasterBackend, index: int) -> str:
    return f"page {index + 1}" if backend.n_pages > 1 else "the image"


def _corrupt(label: str, what: str, exc: Exception) -> CorruptInput:
    return CorruptInput(
        f"{what}: the file is damaged or incomplete ({type(exc).__name__}: "
        f"{exc}); copy or scan it again",
        source=label,
    )


def _seek_quietly(image: Image.Image, frame: int) -> None:
    """Put the caller's frame position back, on a best-effort basis."""
    with contextlib.suppress(Exception):
        image.seek(frame)
