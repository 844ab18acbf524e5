"""Reading inputs: PDF (rendered, with its text layer), TIFF, PNG, JPEG, or in-memory pixels.

``open_document(source)`` counts pages without decoding any; ``reader.load_page(i)`` gives one
:class:`~archml.document.Page` with its image (uint8, RGB or grey), true DPI and, for PDFs, the
words of the text layer in page pixels. ``read(source)`` loads every page. Formats are told
by content; limits (:class:`ReadConfig`) are checked before anything is decoded; every problem
with an input raises an :class:`~archml.errors.InputError` subclass naming the input. Inputs are
only ever opened read-only and arrays are copied, never changed.
"""

from archml.errors import InputNotFound
from archml.io.config import ReadConfig
from archml.io.inputs import SUPPORTED_SUFFIXES, has_supported_suffix, iter_inputs
from archml.io.memory import NDARRAY_MIME, PIL_MIME
from archml.io.reader import DocumentReader, open_document, read
from archml.io.sniff import SUPPORTED_MIMES, sniff_mime
from archml.io.source import Source

__all__ = [
    "NDARRAY_MIME",
    "PIL_MIME",
    "SUPPORTED_MIMES",
    "SUPPORTED_SUFFIXES",
    "DocumentReader",
    "InputNotFound",
    "ReadConfig",
    "Source",
    "has_supported_suffix",
    "iter_inputs",
    "open_document",
    "read",
    "sniff_mime",
]
