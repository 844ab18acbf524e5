"""Expand command-line paths into the input files of a batch."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

SUPPORTED_SUFFIXES = frozenset({".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg"})
"""File-name suffixes picked up when walking a folder (compared case-insensitively)."""


def iter_inputs(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Each named file, and every supported file under each named folder, in a fixed order.

    Folders are walked recursively, sorted by name at every level; hidden files and folders
    (``.DS_Store``, macOS ``._scan.pdf`` shadows) are skipped. A path that is not a folder is
    yielded as given, whatever its suffix and even if it does not exist, so that it fails on its
    own (unsupported, not found) rather than vanishing from the batch. A file reached twice is
    yielded once.
    """
    seen: set[Path] = set()
    for item in paths:
        path = Path(item)
        found = _walk(path) if path.is_dir() else iter([path])
        for file in found:
            key = _identity(file)
            if key not in seen:
                seen.add(key)
                yield file


def has_supported_suffix(path: str | os.PathLike[str]) -> bool:
    """Whether a folder walk would pick up ``path``."""
    return Path(path).suffix.lower() in SUPPORTED_SUFFIXES


def _walk(root: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder, name)
            if not name.startswith(".") and has_supported_suffix(path) and path.is_file():
                yield path


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()
