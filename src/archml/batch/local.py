"""The local engine: pages of the collection spread over this machine's worker processes."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

from archml.batch.engines import Processed, WorkItem
from archml.pipeline import PipelineConfig
from archml.result import Result
from archml.runner import Runner


class LocalEngine:
    """Runs :class:`~archml.runner.Runner` (``jobs`` processes, one page per task)."""

    name = "local"

    def __init__(self, config: PipelineConfig, *, jobs: int = 1) -> None:
        self.runner = Runner(config, jobs=jobs)

    def run(self, items: Iterable[WorkItem]) -> Iterator[Processed]:
        pending = list(items)
        started = time.perf_counter()
        pipeline = self.runner.pipeline
        for item, outcome in zip(pending, self.runner.run([i.uri for i in pending]),
                                 strict=True):
            if outcome.document is not None:
                result = pipeline.result(outcome.document)
                document = outcome.document.export()
            else:
                assert outcome.error is not None
                result = Result.from_error(outcome.error, item.uri, pipeline.provenance())
                document = None
            now = time.perf_counter()
            yield Processed(item=item, result=result, document=document, seconds=now - started)
            started = now

    def close(self) -> None:
        """Nothing to release: the runner's worker pool lives only while :meth:`run` runs."""
