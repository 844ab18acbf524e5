"""archml: classify and catalogue scanned Vietnamese archival records.

Public API: :class:`Pipeline` (config → stages; ``process`` gives a :class:`Result`),
:class:`Document` (the tree every stage annotates), :class:`Result` (what users get, with a
published JSON Schema) and ``load_model`` (an exported model directory, checksums verified).
All four load on first use, so ``import archml`` stays light (the command line starts its
worker processes before it imports anything heavy).
"""

from typing import TYPE_CHECKING, Any

from archml import _offline  # noqa: F401  (switch off third-party telemetry before anything else)

if TYPE_CHECKING:
    from archml.document import Document
    from archml.pipeline import Pipeline
    from archml.result import Result
    from archml.runtime import load_model

__version__ = "0.1.0"

__all__ = ["Document", "Pipeline", "Result", "__version__", "load_model"]

_LAZY = {"Document": "archml.document", "Pipeline": "archml.pipeline",
         "Result": "archml.result", "load_model": "archml.runtime"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'archml' has no attribute {name!r}")
