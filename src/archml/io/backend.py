"""The contract between :class:`~archml.io.DocumentReader` and the per-format readers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from archml.document import Word


@dataclass
class RawPage:
    """What a backend produces for one page, before it becomes a :class:`~archml.document.Page`."""

    image: np.ndarray
    dpi: float
    params: dict[str, Any]
    """Recorded on the page's ``read`` step (format, mode, original size, DPI, ...)."""
    text_layer: list[Word] | None = None
    rotation: int = 0
    steps: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """Further steps applied while reading (EXIF orientation), recorded after ``read``."""


class PageBackend(Protocol):
    """One input format's reader: counts pages when opened, decodes a page on request."""

    n_pages: int

    def load(self, index: int) -> RawPage: ...

    def close(self) -> None: ...
