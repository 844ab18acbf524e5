"""Request ids, structured JSON access logs and request metrics, as one ASGI middleware.

Each request gets an id (the client's ``X-Request-ID`` when it is a short token, else a new
one), echoed in the response and in error bodies. One JSON log line per request records method,
route, status, duration, sizes and the key's name: never a key, a query string or content.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from archml.api.metrics import Metrics

log = logging.getLogger("archml.api.access")

_CLIENT_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class JsonFormatter(logging.Formatter):
    """Log records as one JSON object a line (the access fields, or the message)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {"time": self.formatTime(record), "level": record.levelname,
                                 "logger": record.name}
        entry.update(getattr(record, "access", None) or {"message": record.getMessage()})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class AccessMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        seen: dict[str, int] = {"status": 500, "bytes_in": 0, "bytes_out": 0}

        async def counting_receive() -> Message:
            message = await receive()
            seen["bytes_in"] += len(message.get("body", b""))
            return message

        async def tagged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                message["headers"] = [*message.get("headers", []),
                                      (b"x-request-id", request_id.encode())]
            elif message["type"] == "http.response.body":
                seen["bytes_out"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, counting_receive, tagged_send)
        finally:
            self._record(scope, state, seen, time.perf_counter() - started)

    def _record(self, scope: Scope, state: dict[str, Any], seen: dict[str, int],
                seconds: float) -> None:
        route = getattr(scope.get("route"), "path", None) or "<unmatched>"
        method, status = scope["method"], seen["status"]
        self.metrics.requests.labels(method, route, str(status)).inc()
        self.metrics.latency.labels(method, route).observe(seconds)
        if status >= 400:
            self.metrics.errors.labels(state.get("error_type") or f"http_{status}").inc()
        client = scope.get("client")
        log.info("request", extra={"access": {
            "request_id": state["request_id"], "method": method, "route": route,
            "path": scope["path"], "status": status, "ms": round(seconds * 1000, 1),
            "bytes_in": seen["bytes_in"], "bytes_out": seen["bytes_out"],
            "key": state.get("key_name"), "client": client[0] if client else None,
            "error": state.get("error_type")}})


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _CLIENT_ID.match(text):
                return text
    return uuid.uuid4().hex
