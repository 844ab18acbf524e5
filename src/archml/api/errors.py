"""One error shape for every failure: ``{"error": {type, code, message}, "request_id"}``.

Typed :class:`~archml.errors.ArchmlError` s map onto HTTP statuses here, so the library's error
codes (``unsupported_input``, ``too_many_pages``, ...) reach clients unchanged.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from archml.errors import ArchmlError, InputError, InputTooLarge, UnsupportedInput
from archml.result import ErrorInfo


class ErrorBody(BaseModel):
    """What every 4xx and 5xx response carries."""

    error: ErrorInfo
    request_id: str | None = None


class ApiError(Exception):
    """An error the API answers with ``status``; ``code`` is stable, ``message`` for people."""

    def __init__(self, status: int, code: str, message: str, *,
                 headers: dict[str, str] | None = None, kind: str = "ApiError") -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}
        self.kind = kind

    @classmethod
    def from_archml(cls, error: ArchmlError) -> ApiError:
        """415 unsupported, 413 too large, 422 other bad input, 500 anything else."""
        if isinstance(error, UnsupportedInput):
            status = 415
        elif isinstance(error, InputTooLarge):
            status = 413
        elif isinstance(error, InputError):
            status = 422
        else:
            status = 500
        return cls(status, error.code, error.message, kind=type(error).__name__)


def error_response(request: Request, status: int, info: ErrorInfo,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=info, request_id=getattr(request.state, "request_id", None))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    request.state.error_type = exc.code
    return error_response(request, exc.status,
                          ErrorInfo(type=exc.kind, code=exc.code, message=exc.message),
                          exc.headers)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = "not_found" if exc.status_code == 404 else f"http_{exc.status_code}"
    return error_response(request, exc.status_code,
                          ErrorInfo(type="HTTPException", code=code, message=str(exc.detail)),
                          exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                         for e in exc.errors()[:10])
    request.state.error_type = "invalid_request"
    return error_response(request, 422, ErrorInfo(type="RequestValidationError",
                                                  code="invalid_request", message=problems))


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the error statuses a route can answer."""
    texts = {400: "Malformed request", 401: "Missing or unknown API key",
             403: "The key lacks the scope", 404: "Not found",
             413: "Upload, file or page count over the limit",
             415: "Not a PDF, TIFF, PNG or JPEG (sniffed from the bytes)",
             422: "Invalid JSON, base64, parameters or document",
             429: "Rate limit or queue full; retry after the Retry-After seconds",
             451: "Secret document refused by the secrecy policy",
             500: "Processing failed", 503: "Not ready", 504: "Processing timed out"}
    return {status: {"model": ErrorBody, "description": texts[status]} for status in statuses}
