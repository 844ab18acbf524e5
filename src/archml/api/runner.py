"""The job runner: background tasks that take queued job items from the store, read them in
the worker pool (waiting for a free slot rather than being refused) and store the results, and
one that deletes the jobs finished longer ago than the retention period."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from archml.api.jobs import Claimed, JobStore
from archml.api.results import Options
from archml.api.service import DocumentService
from archml.errors import ArchmlError, ProcessingError
from archml.result import Result

log = logging.getLogger(__name__)


class JobRunner:
    def __init__(self, store: JobStore, service: DocumentService, concurrency: int,
                 retention: timedelta = timedelta(days=7)) -> None:
        self.store, self.service = store, service
        self.concurrency, self.retention = concurrency, retention
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        """Requeue what a previous server left running, then start the loops."""
        requeued = self.store.recover()
        if requeued:
            log.info("resuming %d job item(s) left running by a previous server", requeued)
        self._tasks = [asyncio.create_task(self._loop()) for _ in range(self.concurrency)]
        self._tasks.append(asyncio.create_task(self._purge_loop()))

    def wake(self) -> None:
        """Tell the loops a job was queued."""
        self._wake.set()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            try:
                item = await asyncio.to_thread(self.store.claim)
                if item is None:
                    await self._wake.wait()
                    continue
                result = await self._read(item)
                await asyncio.to_thread(self.store.finish, item.job_seq, item.index, result)
            except Exception:  # the store failed (disk full?): log, pause, carry on
                log.exception("job runner error")
                await asyncio.sleep(1)

    async def _purge_loop(self) -> None:
        """Delete expired jobs now and then: every tenth of the retention period, at most
        hourly."""
        while True:
            try:
                purged = await asyncio.to_thread(self.store.purge, self.retention)
                if purged:
                    log.info("deleted %d job(s) finished over %s ago", purged, self.retention)
            except Exception:
                log.exception("job purge error")
            await asyncio.sleep(min(3600.0, self.retention.total_seconds() / 10))

    async def _read(self, item: Claimed) -> dict:
        options = Options.from_json(item.options)
        try:
            return await self.service.read(item.data, item.name, options, wait=True)
        except ArchmlError as exc:  # SecretDocument included: the error, no content
            return Result.from_error(exc, item.name).model_dump(mode="json")
        except Exception as exc:  # keep the runner alive whatever one document does
            log.exception("job %s item %d failed", item.job_id, item.index)
            error = ProcessingError(f"{type(exc).__name__}: {exc}", source=item.name)
            return Result.from_error(error, item.name).model_dump(mode="json")
