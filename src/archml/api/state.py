"""What the routes share: settings, keys, the served model, metrics and, once the server has
started, the worker pool, the document service, the job store and the job runner."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from archml.api.auth import KeyRing
from archml.api.jobs import JobStore
from archml.api.metrics import Metrics
from archml.api.model import ModelInfo
from archml.api.pool import WorkerPool
from archml.api.runner import JobRunner
from archml.api.service import DocumentService
from archml.api.settings import ApiSettings


@dataclass
class Running:
    """The parts that live from start-up to shutdown."""

    pool: WorkerPool
    service: DocumentService
    store: JobStore
    runner: JobRunner


@dataclass
class ApiState:
    settings: ApiSettings
    keyring: KeyRing
    model: ModelInfo
    metrics: Metrics
    running: Running | None = None


def api_state(request: Request) -> ApiState:
    return request.app.state.api


def running(request: Request) -> Running:
    """The started parts (a server that is not started yet cannot serve documents)."""
    parts = api_state(request).running
    assert parts is not None, "the server has not started"
    return parts
