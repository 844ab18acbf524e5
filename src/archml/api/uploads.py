"""Request bodies → documents in memory: a multipart upload or JSON with base64.

The body is read up to a limit (413 beyond it, whatever ``Content-Length`` claims), the type is
sniffed from the bytes (415 for anything but PDF, TIFF, PNG or JPEG; the client's content type
and file name are ignored), and a client's file name is only ever a label: nothing here touches
the filesystem except Starlette's own anonymous spool files for large multipart parts.
"""

from __future__ import annotations

import base64
import binascii
import json
import unicodedata
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import UploadFile

from archml.api.errors import ApiError
from archml.io.limits import human_bytes
from archml.io.sniff import describe_unsupported, sniff_mime

MULTIPART_OVERHEAD = 64 * 1024
"""Room for boundaries, part headers and JSON punctuation around the documents' bytes."""


class DocumentUpload(BaseModel):
    """A document in a JSON body."""

    model_config = ConfigDict(extra="forbid")

    content_base64: str = Field(description="The file's bytes, base64 (RFC 4648, padded).")
    name: str | None = Field(default=None, max_length=255,
                             description="A label for the document (its original file name); "
                                         "never used as a path.")


class JobUpload(BaseModel):
    """Several documents in a JSON body."""

    model_config = ConfigDict(extra="forbid")

    documents: list[DocumentUpload] = Field(min_length=1)

    @classmethod
    def inline_schema(cls) -> dict[str, Any]:
        """The JSON Schema with the document schema inlined (no ``$ref``), for OpenAPI."""
        schema = cls.model_json_schema()
        schema.pop("$defs")
        schema["properties"]["documents"]["items"] = DocumentUpload.model_json_schema()
        return schema


@dataclass(frozen=True)
class Upload:
    """One document's bytes, its sniffed type and its label."""

    data: bytes
    mime: str
    name: str | None


def body_limit(max_bytes: int) -> int:
    """Largest body that can carry ``max_bytes`` of documents (base64 adds a third)."""
    return max_bytes * 4 // 3 + MULTIPART_OVERHEAD


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refusing (413) to read past ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(int(declared), limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(size, limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def parse_uploads(request: Request, body: bytes, *, field: str, max_files: int,
                        max_file_bytes: int, max_total_bytes: int) -> list[Upload]:
    """The documents in a multipart (parts named ``field``) or JSON body, each checked."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        raw = await _multipart(request, body, field, max_files)
    elif kind == "application/json":
        raw = _json(body, single=max_files == 1)
    else:
        raise ApiError(415, "unsupported_media_type", "send multipart/form-data (a file part "
                       f"named '{field}') or application/json with base64 content")
    if len(raw) > max_files:
        raise ApiError(413, "too_many_files", f"{len(raw)} files, more than the {max_files} "
                       "allowed in one request")
    uploads = [_checked(data, name, max_file_bytes) for data, name in raw]
    total = sum(len(u.data) for u in uploads)
    if total > max_total_bytes:
        raise _too_large(total, max_total_bytes)
    return uploads


async def _multipart(request: Request, body: bytes, field: str,
                     max_files: int) -> list[tuple[bytes, str | None]]:
    async def replay() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(max_files=max_files + 1,
                                                         max_fields=max_files + 10)
    except Exception as exc:  # python-multipart's and Starlette's parse errors vary
        raise ApiError(422, "invalid_multipart", f"the multipart body cannot be parsed: {exc}",
                       kind="MultiPartException") from None
    try:
        parts = form.getlist(field)
        if not parts:
            raise ApiError(422, "missing_file", f"no part named '{field}' in the form")
        out = []
        for part in parts:
            if isinstance(part, UploadFile):
                out.append((await part.read(), part.filename))
            else:
                out.append((part.encode("utf-8"), None))
        return out
    finally:
        await form.close()


def _json(body: bytes, *, single: bool) -> list[tuple[bytes, str | None]]:
    try:
        data = json.loads(body)
        documents = ([DocumentUpload.model_validate(data)] if single
                     else JobUpload.model_validate(data).documents)
    except (ValueError, ValidationError) as exc:  # JSONDecodeError and UnicodeDecodeError too
        raise ApiError(422, "invalid_json", f"the JSON body is not valid: {exc}",
                       kind=type(exc).__name__) from None
    out = []
    for document in documents:
        try:
            out.append((base64.b64decode(document.content_base64, validate=True),
                        document.name))
        except (binascii.Error, ValueError):
            raise ApiError(422, "invalid_base64", "content_base64 is not valid base64") from None
    return out


def _checked(data: bytes, name: str | None, max_bytes: int) -> Upload:
    label = safe_name(name)
    if not data:
        raise ApiError(422, "empty_input", f"{label or 'the upload'} is empty (0 bytes)")
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    mime = sniff_mime(data)
    if mime is None:
        raise ApiError(415, "unsupported_input", f"{label or 'the upload'} is "
                       f"{describe_unsupported(data)}, not a PDF, TIFF, PNG or JPEG")
    return Upload(data=data, mime=mime, name=label)


def safe_name(name: str | None) -> str | None:
    """A client's file name as a label: last path component, printable, at most 255 chars."""
    if not name:
        return None
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in unicodedata.normalize("NFC", base)
                      if ch.isprintable()).strip()[:255]
    return cleaned or None


def _too_large(size: int, limit: int) -> ApiError:
    return ApiError(413, "input_too_large", f"the upload is {human_bytes(size)}, more than "
                    f"the {human_bytes(limit)} allowed")
