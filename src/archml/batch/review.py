"""The review queue: what a person should check in a batch, one row per document or field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from archml.fields.compare import comparable
from archml.result import REVIEWED_FIELDS, FieldResult, Result
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


REGISTER = ("organName", "codeNotation", "issuedDate", "codeNumber")
"""What places a number in an organ's register: the organ, the notation, the year, the number."""


def register_clashes(results: Iterable[tuple[str, Result]]) -> list[ReviewItem]:
    """Documents that share organ, notation, issue year and number. An organ gives a number once
    a year (Decree 30/2020, one register per organ or per type of document, and the notation
    names the type), so one of them holds a misread number (a handwritten one, most often) or
    the collection holds the same document twice: each is queued with the others' keys."""
    registers: dict[tuple[str, ...], list[tuple[str, FieldResult]]] = {}
    for key, result in results:
        fields = result.fields
        if not all(name in fields and fields[name].value for name in REGISTER):
            continue
        organ, notation, date, number = (fields[name].value for name in REGISTER)
        register = (comparable("organName", organ), comparable("codeNotation", notation),
                    str(date)[:4], comparable("codeNumber", number))
        registers.setdefault(register, []).append((key, fields["codeNumber"]))
    items = []
    for shared in (group for group in registers.values() if len(group) > 1):
        for key, found in shared:
            others = ", ".join(other for other, _ in shared if other != key)
            items.append(ReviewItem(
                key, "field", "codeNumber", f"the same organ, notation, year and number as "
                f"{others}: a misread number, or one document twice", found.raw,
                found.confidence, found.page))
    return items


def review_queue(results: Iterable[tuple[str, Result]]) -> list[ReviewItem]:
    """Every document's :func:`review_items`, then the :func:`register_clashes`."""
    keyed = list(results)
    return [item for key, result in keyed for item in review_items(key, result)] \
        + register_clashes(keyed)
