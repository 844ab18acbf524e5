"""Where an input's bytes come from: a file (read-only) or bytes in memory."""

from __future__ import annotations

import hashlib
import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeAlias

import numpy as np
from PIL import Image

from archml.errors import EmptyInput, InputError, InputNotFound, UnsupportedInput
from archml.io.config import ReadConfig
from archml.io.limits import check_file_size
from archml.io.sniff import SNIFF_BYTES

Source: TypeAlias = (
    str | os.PathLike[str] | bytes | bytearray | memoryview | Image.Image | np.ndarray
)
"""Anything :func:`archml.io.open_document` reads: a path, encoded bytes, or pixels."""


@dataclass(frozen=True)
class Origin:
    """An encoded input (PDF/TIFF/PNG/JPEG bytes) and how to name it."""

    label: str
    """Names the input in error messages: the path, the caller's name, or ``<bytes>``."""
    path: str | None
    """Recorded as ``DocumentSource.path`` and ``PageSource.file``."""
    size: int
    head: bytes
    file: Path | None = None
    data: bytes | None = None

    def open(self) -> BinaryIO | Path:
        """What decoders read from: the path itself (opened read-only by them) or the bytes."""
        if self.file is not None:
            return self.file
        return io.BytesIO(self.data or b"")

    def sha256(self) -> str:
        """SHA-256 of the original bytes (the file is read again, in chunks)."""
        if self.data is not None:
            return hashlib.sha256(self.data).hexdigest()
        assert self.file is not None
        with self.file.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()


def file_origin(path: str | os.PathLike[str], config: ReadConfig, name: str | None) -> Origin:
    """Check a path (exists, a regular file, not empty, not too large) and read its head."""
    shown = os.fspath(path)
    label = name or shown
    file = Path(shown)
    try:
        info = file.stat()
        if stat.S_ISDIR(info.st_mode):
            raise UnsupportedInput(
                "this is a folder, not a file; name the files in it, or "
                "use a batch command that walks folders",
                source=label,
            )
        if not stat.S_ISREG(info.st_mode):
            raise UnsupportedInput(
                "this is not a regular file (a device, pipe or socket)", source=label
            )
        if info.st_size == 0:
            raise EmptyInput(
                "the file is empty (0 bytes); it was probably not saved or copied completely",
                source=label,
            )
        check_file_size(info.st_size, config, label)
        with file.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except FileNotFoundError as exc:
        raise InputNotFound(
            "the file does not exist; check the path, and that the drive or "
            "network share is connected",
            source=label,
        ) from exc
    except PermissionError as exc:
        raise InputError("the file cannot be read: permission denied", source=label) from exc
    except OSError as exc:
        raise InputError(f"the file cannot be read: {exc.strerror or exc}", source=label) from exc
    return Origin(label=label, path=name or shown, size=info.st_size, head=head, file=file)


def bytes_origin(
    data: bytes | bytearray | memoryview, config: ReadConfig, name: str | None
) -> Origin:
    """Wrap in-memory bytes (copied unless already immutable ``bytes``)."""
    label = name or "<bytes>"
    payload = data if isinstance(data, bytes) else bytes(data)
    if not payload:
        raise EmptyInput("no bytes were given (the upload or file is empty)", source=label)
    check_file_size(len(payload), config, label)
    return Origin(
        label=label, path=name, size=len(payload), head=payload[:SNIFF_BYTES], data=payload
    )
