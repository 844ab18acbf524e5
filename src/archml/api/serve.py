"""``archml serve``: settings from a file and flags, JSON logs, uvicorn."""

from __future__ import annotations

import logging
from pathlib import Path

import uvicorn

from archml.api.access import JsonFormatter
from archml.api.app import create_app
from archml.api.settings import ApiSettings
from archml.errors import ConfigError


def configure_logging() -> None:
    """Every log line as JSON on stderr (uvicorn's own access log stays off)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


def serve(config: Path | None, model: Path | None, host: str, port: int,
          workers: int | None) -> None:
    """Run the API until interrupted. Raises ConfigError or ModelMismatch before starting."""
    settings = ApiSettings.load(config) if config else ApiSettings()
    changes = {"model": model, "workers": workers}
    settings = settings.model_copy(update={k: v for k, v in changes.items() if v is not None})
    if not settings.keys:
        raise ConfigError("no API keys configured: add `keys` (name, sha256, scopes) to the "
                          "--config file; see docs/api.md")
    app = create_app(ApiSettings.model_validate(settings.model_dump()))
    configure_logging()
    uvicorn.run(app, host=host, port=port, access_log=False, log_config=None,
                server_header=False)
