"""Writing output files safely: whole or not at all, never a half-written file under its name."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, durable: bool = False,
                 ) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it over ``path``.

    With ``durable`` the file and its folder are flushed to disk (``fsync``) before this
    returns, so the write survives a crash or power loss, as a batch journal needs.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with tmp.open("wb") as handle:
        handle.write(payload)
        if durable:
            handle.flush()
            os.fsync(handle.fileno())
    tmp.replace(path)
    if durable:
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
