"""The FastAPI app: :func:`create_app` wires settings, keys, model, metrics and routes; its
lifespan starts the worker pool, the job store and the job runner, and stops them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from archml import __version__
from archml.api.access import AccessMiddleware
from archml.api.auth import KeyRing
from archml.api.errors import error_response, install_handlers
from archml.api.jobs import JobStore
from archml.api.metrics import Metrics
from archml.api.model import model_info
from archml.api.pool import WorkerPool
from archml.api.query import reject_unknown_query
from archml.api.routes import documents, jobs, system
from archml.api.runner import JobRunner
from archml.api.service import DocumentService
from archml.api.settings import ApiSettings
from archml.api.state import ApiState, Running
from archml.result import ErrorInfo

log = logging.getLogger(__name__)

DESCRIPTION = """Classify and catalogue scanned Vietnamese archival records over HTTP.
Authenticate with `Authorization: Bearer <key>`. Results follow the archml Result JSON Schema
(docs/result.schema.json); errors are `{"error": {"type", "code", "message"}, "request_id"}`.
See docs/api.md."""


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    """The app for ``settings``; a model directory is verified here, before anything starts
    (:class:`~archml.errors.ModelMismatch` when it does not check out)."""
    settings = settings or ApiSettings()
    config = settings.pipeline_config()
    state = ApiState(settings=settings, keyring=KeyRing(settings.keys),
                     model=model_info(config.model and Path(config.model),
                                      config.active_stages()), metrics=Metrics())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        pool = WorkerPool(config, settings.workers, settings.queue_size)
        service = DocumentService(pool, state.metrics, settings.secrecy)
        store = JobStore(settings.job_store)
        runner = JobRunner(store, service, concurrency=settings.workers,
                           retention=timedelta(hours=settings.job_retention_hours))
        state.running = Running(pool=pool, service=service, store=store, runner=runner)
        state.metrics.in_flight.set_function(lambda: pool.in_flight)
        state.metrics.jobs_active.set_function(store.unfinished)
        warm_up = asyncio.create_task(pool.start())
        warm_up.add_done_callback(_log_failure)
        runner.start()
        try:
            yield
        finally:
            warm_up.cancel()
            await runner.stop()
            pool.close()
            state.running = None

    app = FastAPI(title="archml", version=__version__, description=DESCRIPTION,
                  lifespan=lifespan, dependencies=[Depends(reject_unknown_query)])
    app.state.api = state
    install_handlers(app)
    app.add_exception_handler(Exception, _unexpected)
    app.add_middleware(AccessMiddleware, metrics=state.metrics)
    for module in (documents, jobs, system):
        app.include_router(module.router)
    return app


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the worker processes failed to start", exc_info=task.exception())


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected error", exc_info=exc)
    return error_response(request, 500, ErrorInfo(type=type(exc).__name__, code="internal_error",
                                                  message="an unexpected error; see the server "
                                                          "log for this request id"))
