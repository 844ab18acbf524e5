"""``archml-model.json``: what a runtime needs besides the weights, and file checksums.

Torch-free, so both the runtime and the training package (which writes it) use this model.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from archml import __version__
from archml.errors import ModelMismatch
from archml.features import FeatureConfig
from archml.taxonomy import TAXONOMY_VERSION

META = "archml-model.json"
SHIPPED_MODEL = Path(__file__).resolve().parents[1] / "models" / "default"
"""The default model, shipped inside the package (``archml/models/default``)."""
FORMAT_VERSION = "1"


class Parity(BaseModel):
    """How an exported graph agrees with the torch model on the same windows."""

    model_config = ConfigDict(extra="forbid")

    documents: int
    max_abs_logit_diff: dict[str, float]
    """Per head (``domain``, ``form``, ``doc_type``, ``tags``), over all windows."""
    top1_agreement: dict[str, float]
    """Share of documents whose top class matches, per document head."""
    tag_agreement: float
    """Share of words whose field tag matches."""


class ModelMeta(BaseModel):
    """What a runtime needs besides the weights (``archml-model.json``)."""

    model_config = ConfigDict(extra="forbid")

    format_version: str = FORMAT_VERSION
    archml_version: str = __version__
    taxonomy_version: str = TAXONOMY_VERSION
    name: str
    encoder: str
    labels: dict[str, list[str]]
    """``domain``, ``form``, ``doc_type`` and ``tags`` (BIO over ``fields``)."""
    fields: list[str]
    features: FeatureConfig
    preprocessing: dict[str, Any] = Field(default_factory=dict)
    """Page stages and OCR settings the training documents were read with."""
    temperatures: dict[str, float] = Field(default_factory=dict)
    """Per-head softmax temperatures fitted on validation (calibration)."""
    metrics: dict[str, float] = Field(default_factory=dict)
    training: dict[str, Any] = Field(default_factory=dict)
    parity: dict[str, Parity] = Field(default_factory=dict)
    """Per ONNX file (``model.onnx``, ``model.int8.onnx``): agreement with torch."""
    checksums: dict[str, str] = Field(default_factory=dict)
    """SHA-256 of every other file of the directory, verified by ``load_model``."""


def read_meta(path: str | Path) -> ModelMeta:
    """The meta of model directory ``path``; :class:`ModelMismatch` when it is missing or
    not a model description."""
    file = Path(path) / META
    try:
        return ModelMeta.model_validate(json.loads(file.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ModelMismatch(f"{file} is missing; is {path} a model directory written by "
                            "`archml train` or `archml export`?") from None
    except (OSError, ValueError, ValidationError) as exc:
        raise ModelMismatch(f"{file} cannot be read as a model description: {exc}") from None


def sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def checksums(model_dir: Path) -> dict[str, str]:
    """SHA-256 of every file of ``model_dir`` but the meta itself and the model card."""
    return {p.name: sha256(p) for p in sorted(model_dir.iterdir())
            if p.is_file() and p.name not in (META, "README.md")}


def verify_checksums(model_dir: Path, expected: dict[str, str]) -> None:
    """Raise :class:`ModelMismatch` unless every listed file (inside ``model_dir``) exists and
    has the listed SHA-256."""
    root = model_dir.resolve()
    for name, digest in sorted(expected.items()):
        path = (root / name).resolve()
        if not path.is_relative_to(root):
            raise ModelMismatch(f"{META} lists {name!r}, which is outside {model_dir}")
        try:
            actual = sha256(path)
        except OSError as exc:
            raise ModelMismatch(f"model file {name} cannot be read: {exc}") from None
        if actual != digest.lower():
            raise ModelMismatch(f"model file {name} has SHA-256 {actual}, not {digest} as "
                                f"{META} says; the model directory is damaged or was changed")
