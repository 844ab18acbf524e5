"""archml: classify and catalogue scanned Vietnamese archival records."""

from archml import _offline  # noqa: F401  (switch off third-party telemetry before anything else)
from archml.document import Document

__version__ = "0.1.0"

__all__ = ["Document", "__version__"]
