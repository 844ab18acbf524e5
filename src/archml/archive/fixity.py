"""SHA-256 fixity values of files and bytes, as archives record them (lowercase hex)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import BinaryIO


def sha256_bytes(data: bytes) -> str:
    """SHA-256 of ``data`` as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike[str], chunk_size: int = 1 << 20) -> str:
    """SHA-256 of the file at ``path``, read ``chunk_size`` bytes at a time (any file size)."""
    with Path(path).open("rb") as handle:
        return sha256_stream(handle, chunk_size)


def sha256_stream(handle: BinaryIO, chunk_size: int = 1 << 20) -> str:
    """SHA-256 of what is left to read in a binary file object (local or fsspec)."""
    if chunk_size <= 0:
        raise ValueError(f"chunk_size must be positive, not {chunk_size}")
    digest = hashlib.sha256()
    while chunk := handle.read(chunk_size):
        digest.update(chunk)
    return digest.hexdigest()
