"""Run a pipeline over many inputs, one page per task, spread over worker processes.

The framework owns parallelism: ``jobs`` worker processes each hold one :class:`Pipeline`
(engines loaded once, single-threaded), so ``jobs=N`` means N busy cores. Results come back in
input order, one :class:`Outcome` per input, and a failing input never stops the others.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archml.document import Document, Page
from archml.errors import ArchmlError, ProcessingError
from archml.io import Source
from archml.pipeline import Pipeline, PipelineConfig, single_threaded
from archml.workers import forkserver_context

log = logging.getLogger(__name__)

PageCallback = Callable[[str], None]


@dataclass
class Outcome:
    """What became of one input: a document, or the typed error that stopped it."""

    input: str
    document: Document | None = None
    error: ArchmlError | None = None

    @property
    def ok(self) -> bool:
        return self.document is not None


@dataclass
class _Pending:
    input: str
    outcome: Outcome
    futures: list[Future] = field(default_factory=list)
    source: Any = None


_WORKER_PIPELINE: Pipeline | None = None


def _init_worker(config_json: str) -> None:
    single_threaded()
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = Pipeline(PipelineConfig.model_validate_json(config_json))


def _worker_page(source: Source, name: str | None, index: int) -> dict[str, Any]:
    assert _WORKER_PIPELINE is not None, "worker not initialised"
    return guarded(name, _process_page, _WORKER_PIPELINE, source, name, index).export()


def _process_page(pipeline: Pipeline, source: Source, name: str | None, index: int) -> Page:
    with pipeline.open(source, name=name) as reader:
        return pipeline.process_page(reader, index)


def guarded(name: str | None, fn: Callable[..., Any], *args: Any) -> Any:
    """Call ``fn``; turn unexpected exceptions into a typed :class:`ProcessingError`."""
    try:
        return fn(*args)
    except ArchmlError:
        raise
    except Exception as exc:  # a bug or a library failure on odd input: keep the batch going
        log.exception("unexpected failure on %s", name)
        raise ProcessingError(f"{type(exc).__name__}: {exc}", source=name) from exc


def input_name(source: Source) -> str:
    return str(source) if isinstance(source, str | os.PathLike) else f"<{type(source).__name__}>"


class Runner:
    """Processes inputs with ``jobs`` worker processes (``jobs=1``: in this process)."""

    def __init__(self, config: PipelineConfig | None = None, *, jobs: int = 1,
                 max_pending_pages: int | None = None) -> None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        self.config = config or PipelineConfig()
        self.jobs = jobs
        self.max_pending_pages = max_pending_pages or 4 * jobs
        self._pipeline: Pipeline | None = None

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = Pipeline(self.config)
        return self._pipeline

    def run(self, sources: Iterable[Source], *, on_page: PageCallback | None = None,
            ) -> Iterator[Outcome]:
        """Yield one :class:`Outcome` per source, in input order."""
        if self.jobs == 1:
            yield from self._run_here(sources, on_page)
        else:
            yield from self._run_pool(sources, on_page)

    def _run_here(self, sources: Iterable[Source], on_page: PageCallback | None,
                  ) -> Iterator[Outcome]:
        for source in sources:
            name = input_name(source)
            outcome = Outcome(input=name)
            try:
                outcome.document = guarded(name, self._read_here, source, name, on_page)
            except ArchmlError as exc:
                outcome.error = exc
            yield outcome

    def _read_here(self, source: Source, name: str, on_page: PageCallback | None) -> Document:
        pipeline = self.pipeline
        with pipeline.open(source, name=_name_for(source, name)) as reader:
            pages = []
            for index in range(reader.n_pages):
                pages.append(pipeline.process_page(reader, index))
                if on_page:
                    on_page(name)
            return pipeline.finish(Document(source=reader.source, pages=pages))

    def _run_pool(self, sources: Iterable[Source], on_page: PageCallback | None,
                  ) -> Iterator[Outcome]:
        context = forkserver_context()
        with ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_init_worker,
                                 initargs=(self.config.model_dump_json(),)) as pool:
            queue: deque[_Pending] = deque()
            for source in sources:
                queue.append(self._submit(pool, source, on_page))
                yield from map(self._finish, _drain(queue, block=False))
                while len(running := _running(queue)) > self.max_pending_pages:
                    wait(running, return_when=FIRST_COMPLETED)
                    yield from map(self._finish, _drain(queue, block=False))
            while queue:
                yield from map(self._finish, _drain(queue, block=True))

    def _finish(self, outcome: Outcome) -> Outcome:
        """Run the document stages here, on a document whose pages came back from workers."""
        if outcome.document is not None:
            try:
                guarded(outcome.input, self.pipeline.finish, outcome.document)
            except ArchmlError as exc:
                outcome.document, outcome.error = None, exc
        return outcome

    def _submit(self, pool: ProcessPoolExecutor, source: Source,
                on_page: PageCallback | None) -> _Pending:
        name = input_name(source)
        pending = _Pending(input=name, outcome=Outcome(input=name))
        try:
            with guarded(name, self.pipeline.open, source, _name_for(source, name)) as reader:
                pending.source = reader.source
                n_pages = reader.n_pages
        except ArchmlError as exc:
            pending.outcome.error = exc
            return pending
        worker_source = str(source) if isinstance(source, os.PathLike) else source
        for index in range(n_pages):
            future = pool.submit(_worker_page, worker_source, _name_for(source, name), index)
            if on_page:
                future.add_done_callback(lambda _f, n=name: on_page(n))
            pending.futures.append(future)
        return pending


def _name_for(source: Source, name: str) -> str | None:
    """The display name handed to readers (``None`` lets paths speak for themselves)."""
    return None if isinstance(source, str | Path) else name


def _running(queue: deque[_Pending]) -> list[Future]:
    return [f for p in queue for f in p.futures if not f.done()]


def _drain(queue: deque[_Pending], *, block: bool) -> Iterator[Outcome]:
    """Yield finished documents from the head of the queue, in input order."""
    while queue:
        head = queue[0]
        if not block and not all(f.done() for f in head.futures):
            return
        queue.popleft()
        yield _collect(head)


def _collect(pending: _Pending) -> Outcome:
    outcome = pending.outcome
    if outcome.error is not None:
        return outcome
    pages = []
    for future in pending.futures:
        try:
            pages.append(Page.from_export(future.result()))
        except ArchmlError as exc:
            outcome.error = exc
            return outcome
        except Exception as exc:  # e.g. a worker died
            outcome.error = ProcessingError(f"{type(exc).__name__}: {exc}", source=pending.input)
            return outcome
    outcome.document = Document(source=pending.source, pages=pages)
    return outcome
