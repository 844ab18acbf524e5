"""Reading one uploaded document through the worker pool into a response body, counted in the
metrics; shared by ``POST /v1/documents`` and the job runner."""

from __future__ import annotations

from typing import Any, Literal

from archml.api import worker
from archml.api.metrics import Metrics
from archml.api.pool import WorkerPool
from archml.api.results import Options, shape
from archml.errors import ArchmlError


class DocumentService:
    def __init__(self, pool: WorkerPool, metrics: Metrics,
                 policy: Literal["flag", "refuse"]) -> None:
        self.pool, self.metrics, self.policy = pool, metrics, policy

    async def read(self, data: bytes, name: str | None, options: Options, *,
                   wait: bool = False, timeout: float | None = None) -> dict[str, Any]:
        """The shaped Result of one document. Raises :class:`~archml.api.pool.Busy`,
        :class:`TimeoutError`, the input's typed error or
        :class:`~archml.api.results.SecretDocument`."""
        try:
            outcome = await self.pool.run(worker.process, data, name, options.ocr, wait=wait,
                                          timeout=timeout)
        except ArchmlError:
            self.metrics.documents.labels("error").inc()
            raise
        self.metrics.documents.labels("ok").inc()
        self.metrics.pages.inc(outcome["result"]["source"]["pages"])
        return shape(outcome, options, self.policy)
