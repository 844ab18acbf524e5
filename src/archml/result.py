"""What users get for one input: a :class:`Result` with a published JSON Schema.

A Result is a summary of an annotated :class:`~archml.document.Document` in TT05 terms: the
source (path, SHA-256, pages, type), the classification (domain, TT05 ``typeName`` form, fine
type, each with a confidence and runners-up), the fields keyed by TT05 ``EAD_doc`` element names
(raw text, normalised value, confidence, page and box, validation problems), whether a person
should look at it and why, and the provenance needed to reproduce it. A failed input gets a
Result too, with ``status="error"`` and the typed error, so a batch loses nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from archml import __version__
from archml.document import Box, Document, FieldData, FieldValue, Prediction
from archml.errors import ArchmlError
from archml.taxonomy import DOC_TYPES_BY_ID, TAXONOMY_VERSION, TYPE_NAMES, Domain

RESULT_SCHEMA_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceInfo(_Model):
    path: str | None = None
    sha256: str | None = None
    mime: str | None = None
    size_bytes: int | None = None
    pages: int = 0


class Scored(_Model):
    label: str
    """Domain name, TT05 ``typeName`` code, or fine type id."""
    name: str | None = None
    """Human-readable label (the TT05 form name, the fine type's Vietnamese name)."""
    confidence: float = Field(ge=0.0, le=1.0)


class Label(Scored):
    top_k: list[Scored] = Field(default_factory=list)


class ClassificationResult(_Model):
    domain: Label
    form: Label
    doc_type: Label | None = None
    method: str


class FieldResult(_Model):
    raw: str
    value: FieldData = None
    confidence: float = Field(ge=0.0, le=1.0)
    page: int | None = None
    box: Box | None = None
    problems: list[str] = Field(default_factory=list)
    method: str
    needs_review: bool = False


class ErrorInfo(_Model):
    type: str
    code: str
    message: str


class Provenance(_Model):
    archml_version: str = __version__
    taxonomy_version: str = TAXONOMY_VERSION
    model: dict[str, str] | None = None
    """Model id, version and checksum when a model took part."""
    ocr_engine: str | None = None
    ocr_version: str | None = None
    stages: list[str] = Field(default_factory=list)
    settings: dict[str, Any] = Field(default_factory=dict)
    seconds: dict[str, float] = Field(default_factory=dict)
    """Time spent per stage, summed over pages."""
    created: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


class Result(_Model):
    schema_version: str = RESULT_SCHEMA_VERSION
    status: Literal["ok", "error"] = "ok"
    source: SourceInfo
    classification: ClassificationResult | None = None
    fields: dict[str, FieldResult] = Field(default_factory=dict)
    needs_review: bool = False
    review_reasons: list[str] = Field(default_factory=list)
    error: ErrorInfo | None = None
    provenance: Provenance = Field(default_factory=Provenance)

    def to_json(self, **kwargs: Any) -> str:
        return self.model_dump_json(**kwargs)

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """The published schema (``docs/result.schema.json``)."""
        schema = cls.model_json_schema()
        schema["$id"] = f"https://archml.invalid/schemas/result-{RESULT_SCHEMA_VERSION}.json"
        return schema

    @classmethod
    def from_error(cls, error: ArchmlError, path: str | None = None,
                   provenance: Provenance | None = None) -> Result:
        info = error.export()
        return cls(status="error", source=SourceInfo(path=path or error.source),
                   error=ErrorInfo(type=info["type"] or "", code=info["code"] or "",
                                   message=info["message"] or ""),
                   needs_review=True, review_reasons=["the document could not be processed"],
                   provenance=provenance or Provenance())

    @classmethod
    def from_document(cls, document: Document, *, review_threshold: float = 0.6,
                      provenance: Provenance | None = None) -> Result:
        """Summarise ``document``; fields and classes below ``review_threshold`` are flagged."""
        source = document.source
        fields = {name: _field(value, review_threshold)
                  for name, value in sorted(document.fields.items())}
        classification = _classification(document, review_threshold)
        disputed = document.classification.disputed if document.classification else []
        reasons = _review_reasons(classification, fields, review_threshold, disputed)
        provenance = (provenance or Provenance()).model_copy(
            update={"seconds": _stage_seconds(document), **_ocr_info(document)})
        return cls(source=SourceInfo(path=source.path, sha256=source.sha256, mime=source.mime,
                                     size_bytes=source.size_bytes, pages=source.n_pages),
                   classification=classification, fields=fields, needs_review=bool(reasons),
                   review_reasons=reasons, provenance=provenance)


def _label(prediction: Prediction, names: dict[str, str]) -> Label:
    return Label(label=prediction.label, name=names.get(prediction.label),
                 confidence=prediction.confidence,
                 top_k=[Scored(label=k, name=names.get(k), confidence=v)
                        for k, v in prediction.top_k])


_DOMAIN_NAMES = {"land": "Đất đai", "civil_status": "Hộ tịch", "judicial": "Tư pháp, tòa án",
                 "administrative": "Hành chính"}
_TYPE_NAMES = {key: t.name for key, t in DOC_TYPES_BY_ID.items()}


def _classification(document: Document, threshold: float) -> ClassificationResult | None:
    c = document.classification
    if c is None:
        return None
    return ClassificationResult(
        domain=_label(c.domain, _DOMAIN_NAMES), form=_label(c.form, TYPE_NAMES),
        doc_type=_label(c.doc_type, _TYPE_NAMES) if c.doc_type else None, method=c.method)


def _field(value: FieldValue, threshold: float) -> FieldResult:
    return FieldResult(raw=value.raw, value=value.value, confidence=value.confidence,
                       page=value.page, box=value.box, problems=value.problems,
                       method=value.method,
                       needs_review=bool(value.problems) or value.confidence < threshold)


REVIEWED_FIELDS = ("codeNumber", "codeNotation", "issuedDate", "organName", "subject")
"""TT05 core fields whose absence sends a document of a Decree-30 form to review."""


def _review_reasons(classification: ClassificationResult | None,
                    fields: dict[str, FieldResult], threshold: float,
                    disputed: list[str]) -> list[str]:
    if classification is None:
        return ["not classified"]
    reasons = [f"{what} confidence {label.confidence:.2f} is below {threshold:.2f}"
               for what, label in (("domain", classification.domain),
                                   ("form", classification.form))
               if label.confidence < threshold]
    reasons += [f"the classifiers disagree on {d}" for d in disputed]
    reasons += [f"field {name}: " + ("; ".join(f.problems) if f.problems
                                      else f"confidence {f.confidence:.2f}")
                for name, f in fields.items() if f.needs_review]
    if classification.domain.label == Domain.ADMINISTRATIVE:
        reasons += [f"field {name} not found" for name in REVIEWED_FIELDS if name not in fields]
    return reasons


def _stage_seconds(document: Document) -> dict[str, float]:
    """Seconds per stage: page stages summed over pages, then the document stages."""
    seconds: dict[str, float] = {}
    for step in [*(s for page in document.pages for s in page.source.steps), *document.steps]:
        if step.seconds is not None:
            seconds[step.name] = round(seconds.get(step.name, 0.0) + step.seconds, 4)
    return seconds


def _ocr_info(document: Document) -> dict[str, str | None]:
    for page in document.pages:
        for step in page.source.steps:
            if step.name == "ocr":
                return {"ocr_engine": step.params.get("engine"),
                        "ocr_version": step.params.get("version")}
    return {}


def schema_text() -> str:
    """The Result JSON Schema as committed in ``docs/result.schema.json`` (a test compares)."""
    return json.dumps(Result.json_schema(), ensure_ascii=False, indent=1) + "\n"
