"""A bounded pool of worker processes, driven from the event loop.

``workers`` processes (forkserver: forked from a clean process that imported the pipeline once)
each hold one :class:`~archml.pipeline.Pipeline`. At most ``workers + queue_size`` documents are
in flight; a request that finds the pool full is refused (:class:`Busy`, HTTP 429) while the
job runner waits for a slot. A worker that dies takes its executor down: the pool starts a new
one and the document in hand fails with a ProcessingError.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from archml.api import worker
from archml.errors import ProcessingError
from archml.pipeline import PipelineConfig

T = TypeVar("T")


class Busy(Exception):
    """Every worker is busy and the queue is full."""


class WorkerPool:
    def __init__(self, config: PipelineConfig, workers: int, queue_size: int) -> None:
        self.config_json = config.model_dump_json()
        self.workers = workers
        self.capacity = workers + queue_size
        self.in_flight = 0
        self.ready = False
        self._slots = asyncio.Semaphore(self.capacity)
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        context = mp.get_context("forkserver")
        context.set_forkserver_preload(["archml.api.worker"])
        return ProcessPoolExecutor(self.workers, mp_context=context,
                                   initializer=worker.init_worker, initargs=(self.config_json,))

    @property
    def busy(self) -> bool:
        """Every worker busy and the queue full: a request now would be refused."""
        return self._slots.locked()

    async def start(self) -> None:
        """Start every worker (each builds its pipeline once); then the pool is ready."""
        await asyncio.gather(*(self.run(worker.ping, wait=True) for _ in range(self.workers)))
        self.ready = True

    async def run(self, fn: Callable[..., T], *args: Any, wait: bool = False,
                  timeout: float | None = None) -> T:
        """``fn(*args)`` in a worker. ``wait=False`` raises :class:`Busy` rather than queue
        behind a full pool; ``timeout`` raises :class:`TimeoutError` (the work itself goes on,
        holding its slot, until it ends)."""
        if not wait and self.busy:
            raise Busy()
        await self._slots.acquire()
        executor = self._executor
        try:
            future: Future[T] = executor.submit(fn, *args)
        except BrokenProcessPool:
            self._slots.release()
            self._replace(executor)
            raise ProcessingError("the worker pool was restarting; retry") from None
        self.in_flight += 1
        loop = asyncio.get_running_loop()
        future.add_done_callback(lambda _f: loop.call_soon_threadsafe(self._release))
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout)
        except BrokenProcessPool:
            self._replace(executor)
            raise ProcessingError("a worker process died while reading the document "
                                  "(out of memory, or a crash in a decoder)") from None

    def _release(self) -> None:
        self.in_flight -= 1
        self._slots.release()

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        if self._executor is broken:
            broken.shutdown(wait=False, cancel_futures=True)
            self._executor = self._new_executor()

    def close(self) -> None:
        self.ready = False
        self._executor.shutdown(wait=True, cancel_futures=True)
