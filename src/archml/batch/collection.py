"""Find the documents of a collection: a local folder tree or any fsspec URL (``s3://…``).

Each supported file (PDF, TIFF, PNG, JPEG; hidden files skipped) becomes a
:class:`~archml.batch.engines.WorkItem` keyed by its path relative to the root, with the
SHA-256 of its bytes, in a fixed (sorted) order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from archml.archive.fixity import sha256_stream
from archml.batch.engines import WorkItem
from archml.errors import ConfigError
from archml.io import has_supported_suffix, iter_inputs

KnownHash = Callable[[str, int, float], str | None]
"""``(key, size, mtime) → sha256`` of a file already hashed with that size and time, if any."""


def is_url(source: str | Path) -> bool:
    return "://" in str(source)


def scan(root: str | Path, *, known: KnownHash | None = None) -> Iterator[WorkItem]:
    """The documents under ``root`` (a folder or URL), in key order."""
    if is_url(root):
        yield from _scan_url(str(root))
        return
    folder = Path(root)
    if not folder.is_dir():
        raise ConfigError(f"{root} is not a folder")
    for path in iter_inputs([folder]):
        stat = path.stat()
        key = path.relative_to(folder).as_posix()
        digest = known(key, stat.st_size, stat.st_mtime) if known else None
        if digest is None:
            with path.open("rb") as handle:
                digest = sha256_stream(handle)
        yield WorkItem(key=key, uri=str(path.absolute()), sha256=digest, size=stat.st_size,
                       mtime=stat.st_mtime)


def _scan_url(url: str) -> Iterator[WorkItem]:
    fs, base = _filesystem(url)
    base = base.rstrip("/")
    for path in sorted(fs.find(base)):
        relative = path[len(base):].lstrip("/")
        if any(part.startswith(".") for part in relative.split("/")):
            continue
        if has_supported_suffix(relative):
            with fs.open(path, "rb") as handle:
                digest = sha256_stream(handle)
            yield WorkItem(key=relative, uri=fs.unstrip_protocol(path), sha256=digest,
                           size=int(fs.size(path)))


def _filesystem(url: str) -> tuple[Any, str]:
    try:
        from fsspec.core import url_to_fs
    except ImportError as exc:
        raise ConfigError("reading collections from URLs needs fsspec: "
                          "pip install 'archml[ray]'") from exc
    return url_to_fs(url)

