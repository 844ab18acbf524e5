"""In-memory pages: a Pillow image or a numpy array handed over by the caller.

Their ``DocumentSource.sha256`` cannot be that of a file, so it is the SHA-256 of the pixels:
for an array, of a header naming numpy's ``dtype.str`` and the shape (``"ndarray:|u1:(480,
640, 3);"``) followed by the array's bytes in C order; for a Pillow image, of
``"pil:<mode>:<width>x<height>;"`` followed by ``tobytes()``, for each page (frame) in turn.
Equal pixels give equal hashes; a PNG file of the same pixels hashes differently. ``mime`` is
:data:`NDARRAY_MIME` or :data:`PIL_MIME` and ``size_bytes`` the size of the raw pixels.
"""

from __future__ import annotations

import hashlib

import numpy as np
from PIL import Image

from archml.errors import ArchmlError, CorruptInput, UnsupportedInput
from archml.io.backend import RawPage
from archml.io.config import ReadConfig
from archml.io.limits import check_dimensions, pillow_guard
from archml.io.pixels import array_problem, normalize_array
from archml.io.raster import RasterBackend

NDARRAY_MIME = "application/x-numpy-ndarray"
PIL_MIME = "application/x-pil-image"


class ArrayBackend:
    """One page from a caller's array (checked on open, copied on load, never modified)."""

    mime = NDARRAY_MIME
    n_pages = 1

    def __init__(self, array: np.ndarray, config: ReadConfig, label: str) -> None:
        problem = array_problem(array)
        if problem:
            raise UnsupportedInput(problem, source=label)
        height, width = array.shape[:2]
        check_dimensions(width, height, config, label, "the image")
        self.array = array
        self.config = config
        self.size_bytes = int(array.nbytes)

    def load(self, index: int) -> RawPage:
        pixels = normalize_array(self.array)
        dpi = float(self.config.assumed_dpi)
        height, width = self.array.shape[:2]
        params = {
            "format": "ndarray",
            "mode": f"{self.array.dtype}{list(self.array.shape)}",
            "kind": "grey" if pixels.ndim == 2 else "colour",
            "original_size": [width, height],
            "dpi": dpi,
            "dpi_assumed": True,
            "dpi_assumed_reason": "arrays carry no resolution",
        }
        return RawPage(image=pixels, dpi=dpi, params=params)

    def sha256(self) -> str:
        digest = hashlib.sha256(f"ndarray:{self.array.dtype.str}:{self.array.shape};".encode())
        digest.update(np.ascontiguousarray(self.array).data)
        return digest.hexdigest()

    def close(self) -> None:
        """Nothing to release: the array is the caller's."""


class PilBackend(RasterBackend):
    """Pages of a caller's Pillow image (all frames of a TIFF, else the current frame)."""

    mime = PIL_MIME

    def __init__(self, image: Image.Image, config: ReadConfig, label: str) -> None:
        super().__init__(image, config, label, owned=False)
        width, height = image.size
        self.size_bytes = width * height * len(image.getbands())

    def sha256(self) -> str:
        digest = hashlib.sha256()
        start = self.image.tell()
        try:
            with pillow_guard(self.config, self.label):
                for index in range(self.n_pages):
                    if self.multi_frame:
                        self.image.seek(index)
                    frame = self.image
                    check_dimensions(frame.width, frame.height, self.config, self.label, "a page")
                    digest.update(f"pil:{frame.mode}:{frame.width}x{frame.height};".encode())
                    digest.update(frame.tobytes())
        except (ArchmlError, MemoryError):
            raise
        except Exception as exc:
            raise CorruptInput(
                f"the image cannot be decoded ({type(exc).__name__}: {exc})", source=self.label
            ) from exc
        finally:
            if self.multi_frame:
                self.image.seek(start)
        return digest.hexdigest()
