"""What the server serves, as ``GET /v1/models`` reports it, checked once at start-up.

Without a model directory the server runs the default pipeline (rule classifier and rule
extractor), reported as the model ``rules``. With one, ``DIR/archml-model.json`` gives the id,
version, labels, metrics and the SHA-256 of each file, and every listed file is verified: a
missing or altered file stops the server with a :class:`~archml.errors.ModelMismatch`.
(Issue 6 plugs the trained model into the worker pipeline here.)
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from archml import __version__
from archml.errors import ModelMismatch
from archml.taxonomy import DOC_TYPES, FIELDS, TAXONOMY_VERSION, TYPE_NAMES, Domain

META = "archml-model.json"


class ModelInfo(BaseModel):
    """One served model."""

    id: str
    version: str
    archml_version: str = __version__
    taxonomy_version: str = TAXONOMY_VERSION
    stages: list[str] = Field(default_factory=list)
    checksums: dict[str, str] = Field(default_factory=dict)
    """SHA-256 of each model file, verified at start-up."""
    metrics: dict[str, Any] = Field(default_factory=dict)
    labels: dict[str, list[str]] = Field(default_factory=dict)
    """``domain``, ``form`` (TT05 typeName codes), ``doc_type`` and ``fields``."""


class ModelList(BaseModel):
    models: list[ModelInfo]


def taxonomy_labels() -> dict[str, list[str]]:
    return {"domain": [d.value for d in Domain], "form": list(TYPE_NAMES),
            "doc_type": [t.id for t in DOC_TYPES], "fields": [f.name for f in FIELDS]}


def model_info(model_dir: Path | None, stages: list[str]) -> ModelInfo:
    """The rule pipeline's description, or the verified metadata of ``model_dir``."""
    if model_dir is None:
        return ModelInfo(id="rules", version=__version__, stages=stages,
                         labels=taxonomy_labels())
    meta_path = model_dir / META
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelMismatch(f"{meta_path} is missing; is {model_dir} a model directory "
                            "written by `archml train`?") from None
    except (OSError, ValueError) as exc:
        raise ModelMismatch(f"{meta_path} cannot be read: {exc}") from None
    if not isinstance(meta, dict):
        raise ModelMismatch(f"{meta_path} is not a JSON object")
    checksums = {str(k): str(v).lower() for k, v in (meta.get("checksums") or {}).items()}
    verify_checksums(model_dir, checksums)
    return ModelInfo(
        id=str(meta.get("id") or meta.get("name") or model_dir.name),
        version=str(meta.get("version") or meta.get("archml_version") or "unknown"),
        archml_version=str(meta.get("archml_version") or __version__),
        taxonomy_version=str(meta.get("taxonomy_version") or TAXONOMY_VERSION),
        stages=stages, checksums=checksums, metrics=meta.get("metrics") or {},
        labels=meta.get("labels") or taxonomy_labels())


def verify_checksums(model_dir: Path, checksums: dict[str, str]) -> None:
    """Raise :class:`ModelMismatch` unless every listed file (inside ``model_dir``) exists and
    has the listed SHA-256."""
    root = model_dir.resolve()
    for name, expected in sorted(checksums.items()):
        path = (root / name).resolve()
        if not path.is_relative_to(root):
            raise ModelMismatch(f"{META} lists {name!r}, which is outside {model_dir}")
        try:
            with path.open("rb") as fh:
                actual = hashlib.file_digest(fh, "sha256").hexdigest()
        except OSError as exc:
            raise ModelMismatch(f"model file {name} cannot be read: {exc}") from None
        if actual != expected:
            raise ModelMismatch(f"model file {name} has SHA-256 {actual}, not {expected} as "
                                f"{META} says; the model directory is damaged or was changed")
