"""Open any supported input as a :class:`DocumentReader` that loads one page at a time."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from functools import cached_property
from types import TracebackType

import numpy as np
from PIL import Image

from archml.document import Document, DocumentSource, Page, PageSource
from archml.errors import UnsupportedInput
from archml.io.backend import PageBackend
from archml.io.config import ReadConfig
from archml.io.memory import ArrayBackend, PilBackend
from archml.io.pdf import PdfBackend
from archml.io.raster import open_raster
from archml.io.sniff import PDF, describe_unsupported, sniff_mime
from archml.io.source import Origin, Source, bytes_origin, file_origin


class DocumentReader:
    """An open input: page count and provenance at once, pages decoded one at a time.

    Cheap to open (nothing is rendered); use it as a context manager, from one thread at a
    time. Readers are not pickled: a worker process opens its own from the same path or bytes.
    """

    def __init__(
        self,
        backend: PageBackend,
        *,
        path: str | None,
        mime: str,
        size_bytes: int,
        sha256: Callable[[], str],
    ) -> None:
        self._backend = backend
        self._path = path
        self._mime = mime
        self._size_bytes = size_bytes
        self._sha256 = sha256
        self._closed = False

    @property
    def n_pages(self) -> int:
        return self._backend.n_pages

    @cached_property
    def source(self) -> DocumentSource:
        """The input's identity; its SHA-256 is computed on first access."""
        return DocumentSource(
            path=self._path,
            sha256=self._sha256(),
            mime=self._mime,
            size_bytes=self._size_bytes,
            n_pages=self.n_pages,
        )

    def load_page(self, index: int) -> Page:
        """Decode (or render) page ``index`` (0-based) with its text layer, if any."""
        if self._closed:
            raise ValueError("the document reader is closed")
        if not 0 <= index < self.n_pages:
            raise IndexError(f"page index {index} out of range for {self.n_pages} page(s)")
        start = time.perf_counter()
        raw = self._backend.load(index)
        seconds = round(time.perf_counter() - start, 4)
        height, width = raw.image.shape[:2]
        page = Page(
            index=index,
            width=width,
            height=height,
            image=raw.image,
            text_layer=raw.text_layer,
            source=PageSource(
                file=self._path, page_index=index, dpi=raw.dpi, rotation=raw.rotation
            ),
        )
        page.record("read", seconds=seconds, **raw.params)
        for name, params in raw.steps:
            page.record(name, **params)
        return page

    def iter_pages(self) -> Iterator[Page]:
        for index in range(self.n_pages):
            yield self.load_page(index)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._backend.close()

    def __enter__(self) -> DocumentReader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_document(
    source: Source, config: ReadConfig | None = None, *, name: str | None = None
) -> DocumentReader:
    """Open a PDF, TIFF, PNG or JPEG (path or bytes) or an in-memory image, counting its pages.

    The format is told by the content, never by the file name. ``name`` stands for the input in
    messages and provenance (``DocumentSource.path``, ``PageSource.file``); without it a path
    names itself and in-memory input is recorded with ``path=None``.

    Raises an :class:`~archml.errors.InputError` subclass for every problem with the input
    (:class:`~archml.io.InputNotFound`, also a ``FileNotFoundError``, for a missing path), and
    ``TypeError`` for a ``source`` of another type.
    """
    config = config or ReadConfig()
    if isinstance(source, Image.Image | np.ndarray):
        memory: ArrayBackend | PilBackend
        if isinstance(source, Image.Image):
            memory = PilBackend(source, config, name or "<PIL image>")
        else:
            memory = ArrayBackend(source, config, name or "<array>")
        return DocumentReader(
            memory, path=name, mime=memory.mime, size_bytes=memory.size_bytes, sha256=memory.sha256
        )
    if isinstance(source, bytes | bytearray | memoryview):
        origin = bytes_origin(source, config, name)
    elif isinstance(source, str | os.PathLike):
        origin = file_origin(source, config, name)
    else:
        raise TypeError(
            f"cannot read a {type(source).__name__}; pass a path, bytes, "
            "a PIL image or a numpy array"
        )
    return _open_origin(origin, config)


def _open_origin(origin: Origin, config: ReadConfig) -> DocumentReader:
    mime = sniff_mime(origin.head)
    if mime is None:
        raise UnsupportedInput(
            f"this is {describe_unsupported(origin.head)}, not a PDF, TIFF, PNG or JPEG; "
            "save or scan it as PDF or TIFF",
            source=origin.label,
        )
    backend: PageBackend = (
        PdfBackend(origin, config) if mime == PDF else open_raster(origin, mime, config)
    )
    return DocumentReader(
        backend, path=origin.path, mime=mime, size_bytes=origin.size, sha256=origin.sha256
    )


def read(source: Source, config: ReadConfig | None = None, *, name: str | None = None) -> Document:
    """Open ``source`` and load every page (images included) into a :class:`Document`."""
    with open_document(source, config, name=name) as reader:
        pages = list(reader.iter_pages())
        return Document(source=reader.source, pages=pages)
