"""archml: classify and catalogue scanned Vietnamese archival records.

Public API: :class:`Pipeline` (config → stages; ``process`` gives a :class:`Result`),
:class:`Document` (the tree every stage annotates) and :class:`Result` (what users get, with a
published JSON Schema). ``Pipeline`` and ``Result`` load on first use, so ``import archml``
stays light.
"""

from typing import Any

from archml import _offline  # noqa: F401  (switch off third-party telemetry before anything else)
from archml.document import Document

__version__ = "0.1.0"

__all__ = ["Document", "Pipeline", "Result", "__version__"]

_LAZY = {"Pipeline": "archml.pipeline", "Result": "archml.result"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'archml' has no attribute {name!r}")
