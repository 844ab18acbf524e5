"""The review queue: what a person should check in a batch, one row per document or field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from archml.result import REVIEWED_FIELDS, Result
from archml.taxonomy import Domain

ReviewKind = Literal["error", "class", "field", "missing"]


@dataclass(frozen=True)
class ReviewItem:
    """One thing to check: a failed document, a doubtful class, a doubtful or missing field."""

    key: str
    kind: ReviewKind
    what: str
    """``domain``/``form`` for classes, the TT05 field name for fields, the error type."""
    reason: str
    value: str = ""
    confidence: float | None = None
    page: int | None = None

    def row(self) -> dict[str, Any]:
        return asdict(self)


def review_items(key: str, result: Result) -> list[ReviewItem]:
    """Everything in ``result`` below its run's review threshold, with the reason."""
    if result.status == "error":
        error = result.error
        return [ReviewItem(key, "error", error.type if error else "error",
                           error.message if error else "the document could not be processed")]
    threshold = float(result.provenance.settings.get("review_threshold", 0.6))
    items: list[ReviewItem] = []
    c = result.classification
    if c is None:
        return [ReviewItem(key, "class", "domain", "not classified")]
    for what, label in (("domain", c.domain), ("form", c.form)):
        if label.confidence < threshold:
            items.append(ReviewItem(key, "class", what,
                                    f"confidence {label.confidence:.2f} < {threshold:.2f}",
                                    label.name or label.label, label.confidence))
    for name, field in result.fields.items():
        if field.needs_review:
            reason = ("; ".join(field.problems) if field.problems
                      else f"confidence {field.confidence:.2f} < {threshold:.2f}")
            items.append(ReviewItem(key, "field", name, reason, field.raw, field.confidence,
                                    field.page))
    if c.domain.label == Domain.ADMINISTRATIVE:
        items += [ReviewItem(key, "missing", name, "not found on the document")
                  for name in REVIEWED_FIELDS if name not in result.fields]
    return items


def review_queue(results: Iterable[tuple[str, Result]]) -> list[ReviewItem]:
    return [item for key, result in results for item in review_items(key, result)]
