"""What runs inside a worker process: one :class:`Pipeline` per process, built once by the
pool's initializer, then a document per call. Only bytes and plain JSON cross the boundary."""

from __future__ import annotations

import logging
import os
from typing import Any

from archml.errors import ArchmlError, ProcessingError
from archml.pipeline import Pipeline, PipelineConfig, single_threaded

log = logging.getLogger(__name__)

_PIPELINE: Pipeline | None = None


def init_worker(config_json: str) -> None:
    """Pool initializer: single-threaded engines, and the pipeline (models) loaded once."""
    single_threaded()
    global _PIPELINE
    _PIPELINE = Pipeline(PipelineConfig.model_validate_json(config_json))


def ping() -> int:
    """A no-op task that makes the pool start (and initialise) a worker."""
    return os.getpid()


def process(data: bytes, name: str | None, with_document: bool) -> dict[str, Any]:
    """Read one document: ``{"result": Result JSON, "document": export or None}``. Input
    problems raise their typed error; anything unexpected becomes a ProcessingError."""
    assert _PIPELINE is not None, "worker not initialised"
    try:
        document = _PIPELINE.read(data, name=name)
        result = _PIPELINE.result(document)
    except ArchmlError:
        raise
    except Exception as exc:  # a library failure on odd input: report it, keep the worker
        log.exception("unexpected failure on %s", name)
        raise ProcessingError(f"{type(exc).__name__}: {exc}", source=name) from exc
    return {"result": result.model_dump(mode="json"),
            "document": document.export() if with_document else None}
