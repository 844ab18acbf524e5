"""archml: classify and catalogue scanned Vietnamese archival records.

Public API: :class:`Pipeline` (config → stages; ``process`` gives a :class:`Result`),
:class:`Document` (the tree every stage annotates), :class:`Result` (what users get, with a
published JSON Schema) and ``load_model`` (an exported model directory, checksums verified).
``Pipeline``, ``Result`` and ``load_model`` load on first use, so ``import archml`` stays light.
"""

from typing import Any

from archml import _offline  # noqa: F401  (switch off third-party telemetry before anything else)
from archml.document import Document

__version__ = "0.1.0"

__all__ = ["Document", "Pipeline", "Result", "__version__", "load_model"]

_LAZY = {"Pipeline": "archml.pipeline", "Result": "archml.result", "load_model": "archml.runtime"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'archml' has no attribute {name!r}")
