"""``GET /v1/models``, ``/healthz``, ``/readyz`` and ``/metrics``."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import BaseModel

from archml.api.auth import require
from archml.api.errors import ApiError, responses
from archml.api.model import ModelList
from archml.api.state import api_state

router = APIRouter(tags=["system"])


class Health(BaseModel):
    status: Literal["ok", "ready"]


@router.get("/v1/models", summary="The served model or pipeline", response_model=ModelList,
            dependencies=[Depends(require("models"))], responses=responses(401, 403, 429))
async def get_models(request: Request) -> ModelList:
    """Id, version, checksums, metrics and labels (domains, forms, fine types, fields)."""
    return ModelList(models=[api_state(request).model])


@router.get("/healthz", summary="Liveness", response_model=Health)
async def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", summary="Readiness: workers started and the job store open",
            response_model=Health, responses=responses(503))
async def readyz(request: Request) -> Health:
    parts = api_state(request).running
    if parts is None or not parts.pool.ready:
        raise ApiError(503, "not_ready", "the worker processes are starting",
                       headers={"Retry-After": "1"})
    return Health(status="ready")


@router.get("/metrics", summary="Prometheus metrics", response_class=Response,
            responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}},
                             "description": "Prometheus text format"}})
async def metrics(request: Request) -> Response:
    return Response(api_state(request).metrics.render(), media_type=CONTENT_TYPE_LATEST)
