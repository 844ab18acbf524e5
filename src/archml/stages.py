"""The stage contract shared by every pipeline component.

A stage reads and annotates a :class:`~archml.document.Document` in place. Most stages work page
by page (imaging, OCR, layout), so the framework can spread pages over processes; they implement
:meth:`Stage.process_page` and inherit :meth:`Stage.__call__`. Stages that need the whole
document (classification, field extraction) set ``scope = "document"`` and override
:meth:`Stage.__call__`; a pipeline runs them once all pages are done. Stages are found by name
through the ``archml.stages`` entry-point group.
"""

from __future__ import annotations

import time
from typing import ClassVar, Literal

from archml.document import Document, Page
from archml.registry import Registry


class Stage:
    """One step of a pipeline. Subclasses set ``name`` and override one of the two methods."""

    name: ClassVar[str] = "stage"
    scope: ClassVar[Literal["page", "document"]] = "page"

    def __call__(self, document: Document) -> Document:
        for page in document.pages:
            self.process_page(page)
        return document

    def process_page(self, page: Page) -> None:
        raise NotImplementedError(f"{type(self).__name__} works on whole documents"
                                  if self.scope == "document"
                                  else f"{type(self).__name__} must implement process_page")


class Timer:
    """Wall-clock seconds of a ``with`` block, for :meth:`Page.record`."""

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = round(time.perf_counter() - self.start, 4)


STAGES: Registry[Stage] = Registry("archml.stages")
