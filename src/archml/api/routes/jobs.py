"""``POST /v1/jobs``, ``GET /v1/jobs/{id}`` and ``DELETE /v1/jobs/{id}``: many or large
documents, read in the background; jobs live in the sqlite job store and survive a restart."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from archml.api.auth import require
from archml.api.errors import ApiError, responses
from archml.api.results import ApiResult, Options
from archml.api.routes.documents import FieldsQuery, OcrQuery, upload_body
from archml.api.settings import ApiKey
from archml.api.state import api_state, running
from archml.api.uploads import JobUpload, body_limit, parse_uploads, read_body

router = APIRouter(tags=["jobs"])
JobId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]

JobState = Literal["queued", "running", "done"]


class JobCreated(BaseModel):
    id: str
    state: JobState
    files: int
    url: str


class Progress(BaseModel):
    total: int
    done: int
    failed: int


class JobItem(BaseModel):
    index: int
    name: str | None
    size_bytes: int
    state: JobState
    result: ApiResult | None
    """The document's Result once read (``status="error"`` with the error if it failed)."""


class Job(BaseModel):
    id: str
    state: JobState
    created: str
    updated: str
    progress: Progress
    items: list[JobItem]


@router.post(
    "/v1/jobs", status_code=202, summary="Queue documents for background processing",
    response_model=JobCreated, responses=responses(401, 403, 413, 415, 422, 429),
    openapi_extra=upload_body("files", JobUpload.inline_schema(), many=True))
async def post_job(request: Request, key: Annotated[ApiKey, Depends(require("jobs"))],
                   fields: FieldsQuery = None, ocr: OcrQuery = None) -> JSONResponse:
    """Send files as multipart parts named `files`, or JSON `{"documents": [{"content_base64":
    ..., "name": ...}, ...]}`; poll the returned URL for the results."""
    settings = api_state(request).settings
    parts = running(request)
    options = Options.parse(fields, ocr)
    if await asyncio.to_thread(parts.store.unfinished) >= settings.max_queued_jobs:
        raise ApiError(429, "too_many_jobs", f"{settings.max_queued_jobs} jobs are already "
                       "waiting; retry later", headers={"Retry-After": "10"})
    body = await read_body(request, body_limit(settings.max_job_bytes))
    uploads = await parse_uploads(request, body, field="files", max_files=settings.max_job_files,
                                  max_file_bytes=settings.max_upload_bytes,
                                  max_total_bytes=settings.max_job_bytes)
    job_id = await asyncio.to_thread(parts.store.create, key.name, uploads, options.as_json())
    parts.runner.wake()
    url = f"/v1/jobs/{job_id}"
    created = JobCreated(id=job_id, state="queued", files=len(uploads), url=url)
    return JSONResponse(created.model_dump(), status_code=202, headers={"Location": url})


@router.get("/v1/jobs/{job_id}", summary="A job's state and results", response_model=None,
            responses={200: {"model": Job, "description": "The job"},
                       **responses(401, 403, 404, 422, 429)})
async def get_job(request: Request, key: Annotated[ApiKey, Depends(require("jobs"))],
                  job_id: JobId) -> JSONResponse:
    """Only the key that created a job can see it."""
    job = await asyncio.to_thread(running(request).store.get, job_id, key.name)
    if job is None:
        raise ApiError(404, "job_not_found", f"no job {job_id} for this API key")
    return JSONResponse(job)


@router.delete("/v1/jobs/{job_id}", status_code=204, summary="Delete a job and its results",
               response_class=Response, responses=responses(401, 403, 404, 422, 429))
async def delete_job(request: Request, key: Annotated[ApiKey, Depends(require("jobs"))],
                     job_id: JobId) -> Response:
    """Deletes the job's documents and Results now, done or not (finished jobs are deleted
    anyway after the server's retention period)."""
    if not await asyncio.to_thread(running(request).store.delete, job_id, key.name):
        raise ApiError(404, "job_not_found", f"no job {job_id} for this API key")
    return Response(status_code=204)
