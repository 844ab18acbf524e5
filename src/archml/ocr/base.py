"""The OCR engine contract and the registry engines are found in.

An engine turns one page image into blocks of lines of words, in that image's pixel coordinates,
with confidences in 0–1 and NFC text. Engines load their models once and are reused for many
pages: create one per worker process (the framework owns parallelism, engines run
single-threaded). Third-party engines register through the ``archml.ocr_engines`` entry points.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np

from archml.document import Block
from archml.registry import Registry


@runtime_checkable
class OcrEngine(Protocol):
    """What the OCR stage needs from an engine."""

    name: str
    version: str

    def recognize(self, image: np.ndarray, dpi: float) -> list[Block]:
        """Blocks → lines → words of ``image`` (uint8 grey or RGB) scanned at ``dpi``."""
        ...


ENGINES: Registry[OcrEngine] = Registry("archml.ocr_engines")


def create_engine(name: str, **options: Any) -> OcrEngine:
    """A new engine registered as ``name``; raises ConfigError if no engine has that name."""
    return ENGINES.create(name, **options)
