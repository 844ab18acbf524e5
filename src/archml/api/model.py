"""What the server serves, as ``GET /v1/models`` reports it, checked once at start-up.

Without a model directory the server runs the rule pipeline (rule classifier and rule
extractor), reported as the model ``rules``. With one, :func:`archml.load_model` verifies it
(the SHA-256 of every listed file and the taxonomy version: anything else stops the server
with a :class:`~archml.errors.ModelMismatch`), and the workers run it in the ``model`` stage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from archml import __version__
from archml.runtime import load_model
from archml.taxonomy import DOC_TYPES, FIELDS, TAXONOMY_VERSION, TYPE_NAMES, Domain


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
    model = load_model(model_dir)
    meta = model.meta
    return ModelInfo(id=meta.name, version=meta.checksums[model.file][:12],
                     archml_version=meta.archml_version, taxonomy_version=meta.taxonomy_version,
                     stages=stages, checksums=meta.checksums, metrics=meta.metrics,
                     labels={**{h: meta.labels[h] for h in ("domain", "form", "doc_type")},
                             "fields": meta.fields})
