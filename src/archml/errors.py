"""Typed errors with messages a clerk can act on.

Every error raised for user data derives from :class:`InputError`, so a batch can catch that one
type per item, record it, and carry on with the next file.
"""

from __future__ import annotations


class ArchmlError(Exception):
    """Base class of every error archml raises on purpose."""

    code = "archml_error"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __reduce__(self):  # keep ``source`` when errors cross process boundaries
        return (type(self), (self.message,), {"source": self.source})

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message

    def export(self) -> dict[str, str | None]:
        """Plain-JSON form, used in failure summaries and API responses."""
        return {"type": type(self).__name__, "code": self.code, "message": self.message,
                "source": self.source}


class InputError(ArchmlError):
    """The input file or bytes cannot be processed as a document."""

    code = "input_error"


class InputNotFound(InputError, FileNotFoundError):
    """The input path does not exist. Also a :class:`FileNotFoundError`."""

    code = "input_not_found"


class UnsupportedInput(InputError):
    """The input is not a PDF, TIFF, PNG or JPEG (or an in-memory image of those)."""

    code = "unsupported_input"


class EmptyInput(InputError):
    """The input has no bytes, or a document with no pages."""

    code = "empty_input"


class CorruptInput(InputError):
    """The input claims a supported type but cannot be decoded."""

    code = "corrupt_input"


class EncryptedInput(CorruptInput):
    """The PDF is password-protected; archml never guesses passwords."""

    code = "encrypted_input"


class InputTooLarge(InputError):
    """The input exceeds a configured limit (bytes, pages, pixels or dimensions)."""

    code = "input_too_large"


class TooManyPages(InputTooLarge):
    """The document has more pages than ``max_pages`` allows."""

    code = "too_many_pages"


class ImageTooLarge(InputTooLarge):
    """A page image is a decompression bomb or has absurd dimensions."""

    code = "image_too_large"


class ProcessingError(ArchmlError):
    """An unexpected failure while processing one item; the item is skipped, please report it."""

    code = "processing_error"


class EngineUnavailable(ArchmlError):
    """An OCR engine, or the models it needs, is not installed."""

    code = "engine_unavailable"


class ModelMismatch(ArchmlError):
    """A model directory does not match what the code expects (labels, checksums, version)."""

    code = "model_mismatch"


class ConfigError(ArchmlError):
    """A configuration value is invalid or names something that is not registered."""

    code = "config_error"


class AuditLogCorrupt(ArchmlError):
    """An audit log's tail or anchor is damaged, so no entry can be chained onto it safely;
    run ``archml audit verify`` to see what happened."""

    code = "audit_log_corrupt"


class FixityMismatch(InputError):
    """A file's SHA-256 is not the one recorded for it: it changed since it was processed, or
    it is another file under the same name."""

    code = "fixity_mismatch"
