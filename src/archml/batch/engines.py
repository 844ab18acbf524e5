"""What a batch engine does: turn work items (one source document each) into Results.

Engines differ only in where the work runs: :class:`~archml.batch.local.LocalEngine` spreads
pages over this machine's processes, :class:`~archml.batch.ray_engine.RayEngine` spreads
documents over a Ray cluster's actors. Both must give identical Results for the same inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from archml.result import Result

EngineName = Literal["local", "ray"]


@dataclass(frozen=True)
class WorkItem:
    """One source document of a collection."""

    key: str
    """Path relative to the collection root, ``/``-separated: the document's name in outputs."""
    uri: str
    """What the engine opens: an absolute local path, or an fsspec URL (``s3://…``)."""
    sha256: str
    size: int
    mtime: float = 0.0
    """Modification time when hashed (lets a resumed job skip hashing unchanged files)."""


@dataclass
class Processed:
    """The outcome of one work item: always a Result (``status="error"`` when it failed)."""

    item: WorkItem
    result: Result
    document: dict[str, Any] | None
    """The annotated Document's ``export()`` (``None`` when the input failed)."""
    seconds: float
    """Wall seconds the document took (an engine that overlaps documents reports the time
    since its previous one, so the seconds of a run add up to its wall time)."""

    @property
    def pages(self) -> int:
        return self.result.source.pages


class Engine(Protocol):
    """Processes work items; yields one :class:`Processed` per item, in any order."""

    name: str

    def run(self, items: Iterable[WorkItem]) -> Iterator[Processed]: ...

    def close(self) -> None: ...
