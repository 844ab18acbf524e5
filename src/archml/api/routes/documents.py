"""``POST /v1/documents``: one document in, its Result out, synchronously."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from archml.api.auth import require
from archml.api.errors import ApiError, responses
from archml.api.pool import Busy
from archml.api.results import ApiResult, Options, SecretDocument
from archml.api.state import api_state, running
from archml.api.uploads import DocumentUpload, body_limit, parse_uploads, read_body
from archml.errors import ArchmlError

router = APIRouter(tags=["documents"])

FieldsQuery = Annotated[str | None, Query(
    max_length=2000, description="Comma-separated field names to return (default: all), "
                                 "e.g. codeNumber,issuedDate")]
OcrQuery = Annotated[Literal["include", "exclude"] | None, Query(
    description="include: add the document tree (OCR words, lines, blocks and zones)")]

def queue_full() -> ApiError:
    return ApiError(429, "queue_full", "every worker is busy and the queue is full; retry "
                    "shortly or use POST /v1/jobs", headers={"Retry-After": "1"})


def upload_body(part: str, json_schema: dict[str, Any], many: bool) -> dict[str, Any]:
    """OpenAPI ``requestBody``: multipart with file part(s) named ``part``, or JSON."""
    binary = {"type": "string", "format": "binary"}
    return {"requestBody": {"required": True, "content": {
        "multipart/form-data": {"schema": {
            "type": "object", "required": [part],
            "properties": {part: {"type": "array", "items": binary} if many else binary}}},
        "application/json": {"schema": json_schema}}}}


@router.post(
    "/v1/documents", summary="Classify and catalogue one document",
    dependencies=[Depends(require("documents"))], response_model=None,
    responses={200: {"model": ApiResult, "description": "The Result"},
               **responses(401, 403, 413, 415, 422, 429, 451, 500, 504)},
    openapi_extra=upload_body("file", DocumentUpload.model_json_schema(), many=False))
async def post_document(request: Request, fields: FieldsQuery = None,
                        ocr: OcrQuery = None) -> JSONResponse:
    """Send a PDF, TIFF, PNG or JPEG as a multipart part named `file`, or as JSON
    `{"content_base64": ..., "name": ...}`; get the Result (docs/result.schema.json)."""
    settings = api_state(request).settings
    service = running(request).service
    options = Options.parse(fields, ocr)
    if service.pool.busy:  # refuse before reading (and holding) the upload
        raise queue_full()
    body = await read_body(request, body_limit(settings.max_upload_bytes))
    [upload] = await parse_uploads(request, body, field="file", max_files=1,
                                   max_file_bytes=settings.max_upload_bytes,
                                   max_total_bytes=settings.max_upload_bytes)
    try:
        result = await service.read(upload.data, upload.name, options,
                                    timeout=settings.request_timeout)
    except Busy:
        raise queue_full() from None
    except TimeoutError:
        raise ApiError(504, "timeout", f"the document took longer than "
                       f"{settings.request_timeout:g} s; send it as a job (POST /v1/jobs)"
                       ) from None
    except SecretDocument as exc:
        raise exc.api_error() from None
    except ArchmlError as exc:
        raise ApiError.from_archml(exc) from None
    return JSONResponse(result)
