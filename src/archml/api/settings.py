"""Server settings: API keys (stored as SHA-256 hashes), limits, policies and pool sizes.

Read from a JSON or YAML file (``archml serve --config FILE``); every field has a safe default
except the keys, without which every authenticated endpoint answers 401.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from archml.errors import ConfigError
from archml.io import ReadConfig
from archml.pipeline import PipelineConfig

Scope = Literal["documents", "jobs", "models"]
SCOPES: tuple[Scope, ...] = ("documents", "jobs", "models")

MiB = 1 << 20


def hash_key(key: str) -> str:
    """The SHA-256 hex digest a config file stores instead of the key itself."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiKey(BaseModel):
    """One client: a name for logs, the key's SHA-256, what it may call and how often."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    scopes: tuple[Scope, ...] = SCOPES
    rate: float = Field(default=20.0, gt=0)
    """Requests per second refilled into the key's token bucket."""
    burst: int = Field(default=40, ge=1)
    """Bucket size: how many requests may arrive at once."""

    @field_validator("sha256", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value


class ApiSettings(BaseModel):
    """Everything ``archml serve`` can be told; limits map onto :class:`ReadConfig`."""

    model_config = ConfigDict(extra="forbid")

    keys: list[ApiKey] = Field(default_factory=list)
    max_upload_bytes: int = Field(default=50 * MiB, gt=0)
    """Largest document accepted (decoded bytes); larger uploads get 413."""
    max_pages: int = Field(default=500, ge=1)
    max_image_pixels: int = Field(default=ReadConfig().max_image_pixels, gt=0)
    max_job_files: int = Field(default=100, ge=1)
    max_job_bytes: int = Field(default=500 * MiB, gt=0)
    """Largest request body of ``POST /v1/jobs`` (all files together)."""
    max_queued_jobs: int = Field(default=100, ge=1)
    """Unfinished jobs the store may hold; more get 429."""
    request_timeout: float = Field(default=120.0, gt=0)
    """Seconds ``POST /v1/documents`` waits for its result before answering 504."""
    secrecy: Literal["flag", "refuse"] = "flag"
    """Documents with a secrecy stamp (độ mật): ``flag`` returns them marked for review,
    ``refuse`` returns 451 with no content (and keeps none in the job store)."""
    workers: int = Field(default=2, ge=1, le=256)
    queue_size: int = Field(default=8, ge=0)
    """Documents that may wait for a worker; more concurrent requests get 429."""
    job_store: Path = Path("archml-jobs.sqlite")
    job_retention_hours: float = Field(default=168.0, gt=0)
    """Finished jobs (their Results included) are deleted this long after they finished;
    clients may delete theirs sooner with ``DELETE /v1/jobs/{id}``."""
    model: Path | None = None
    """Model directory (``archml export`` output); overrides ``pipeline.model``."""
    pipeline: PipelineConfig = Field(default_factory=PipelineConfig)

    @classmethod
    def load(cls, path: str | Path) -> ApiSettings:
        """Read a ``.json``, ``.yaml`` or ``.yml`` settings file."""
        path = Path(path)
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            try:
                data = yaml.safe_load(text) or {}
            except yaml.YAMLError as exc:
                raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
        else:
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{path}: not valid JSON ({exc})") from exc
        return cls.model_validate(data)

    def pipeline_config(self) -> PipelineConfig:
        """The pipeline with this server's input limits applied."""
        read = self.pipeline.read.model_copy(update={
            "max_file_bytes": self.max_upload_bytes, "max_pages": self.max_pages,
            "max_image_pixels": self.max_image_pixels})
        return self.pipeline.model_copy(update={
            "read": ReadConfig.model_validate(read.model_dump()),
            "model": str(self.model) if self.model else self.pipeline.model})
