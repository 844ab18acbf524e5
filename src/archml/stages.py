"""The stage contract shared by every pipeline component.

A stage reads and annotates a :class:`~archml.document.Document` in place. Most stages work page
by page (imaging, OCR, layout), so the framework can spread pages over processes; they implement
:meth:`Stage.process_page` and inherit :meth:`Stage.__call__`. Stages are found by name through
the ``archml.stages`` entry-point group.
"""

from __future__ import annotations

import time
from typing import ClassVar

from archml.document import Document, Page
from archml.registry import Registry


class Stage:
    """One step of a pipeline. Subclasses set ``name`` and override one of the two methods."""

    name: ClassVar[str] = "stage"

    def __call__(self, document: Document) -> Document:
        for page in document.pages:
            self.process_page(page)
        return document

    def process_page(self, page: Page) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement process_page")


class Timer:
    """Wall-clock seconds of a ``with`` block, for :meth:`Page.record`."""

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = round(time.perf_counter() - self.start, 4)


STAGES: Registry[Stage] = Registry("archml.stages")
