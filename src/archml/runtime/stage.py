"""The ``model`` pipeline stage: classification and fields from the ONNX model.

How it combines with the rules: the surer classification wins (sureness = the lower of the
domain and form confidences), so a clear title line keeps the rules' answer and a page the
rules cannot read (heavy degradation, no title) takes the model's; ties go to the model. Where
the loser answers domain or form otherwise with a confidence of at least ``dispute_above``, the
winner lists both answers in ``disputed`` and the Result is flagged for review.
``prefer="model"`` keeps the model's unless it is below ``fallback_below`` and the rules are
surer. Model fields
below ``min_field_confidence`` are left out (the model abstains). With ``fields="fill"`` (the
default) the model only adds fields the rule extractor does not find for the chosen class: on
the synthetic test split of the base recipe the rules read the TT05 core fields better, while
only the model reads domain fields such as ``bookNumber`` or ``mapSheet``. With
``fields="best"`` a model field replaces a field set with a lower confidence, as
:class:`~archml.fields.rules.RuleExtractor` does. Either way only fields of the chosen domain
are taken (no land parcel area on an administrative decision). The ``rules`` stage runs after
this one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from archml.document import Classification, Document
from archml.features import document_words
from archml.fields.rules import extract
from archml.runtime.decode import classification, fields
from archml.runtime.model import Model, load_model
from archml.stages import Stage
from archml.taxonomy import fields_for


def _sureness(c: Classification) -> float:
    return min(c.domain.confidence, c.form.confidence)


def _disputes(won: Classification, lost: Classification, above: float) -> list[str]:
    """``"form: model 22 (0.80), rule 03 (1.00)"`` for each of domain and form where the
    losing classification says something else with a confidence of at least ``above``."""
    return [f"{head}: {won.method} {x.label} ({x.confidence:.2f}), {lost.method} {y.label} "
            f"({y.confidence:.2f})"
            for head, x, y in (("domain", won.domain, lost.domain), ("form", won.form, lost.form))
            if x.label != y.label and y.confidence >= above]


class ModelStage(Stage):
    """Document stage running a model directory (``model_dir``) or a loaded :class:`Model`."""

    name = "model"
    scope = "document"

    def __init__(self, model_dir: str | Path | None = None, *, model: Model | None = None,
                 quantized: bool | None = None, threads: int = 1,
                 fallback_below: float = 0.5, min_field_confidence: float = 0.5,
                 fields: Literal["fill", "best"] = "fill",
                 prefer: Literal["surer", "model"] = "surer",
                 dispute_above: float = 0.5) -> None:
        if model is None:
            if model_dir is None:
                raise ValueError("ModelStage needs model_dir or model")
            model = load_model(model_dir, quantized=quantized, threads=threads)
        self.model, self.fallback_below = model, fallback_below
        self.min_field_confidence, self.field_policy = min_field_confidence, fields
        self.prefer, self.dispute_above = prefer, dispute_above

    def __call__(self, document: Document) -> Document:
        meta = self.model.meta
        words = document_words(document, meta.features.page_order)
        (out,) = self.model.predict([words])
        found = classification(out, meta)
        current = document.classification
        model_first = self.prefer == "model" and _sureness(found) >= self.fallback_below
        if current is None or model_first or _sureness(found) >= _sureness(current):
            document.classification = found
        if current is not None:
            won = document.classification
            lost = current if won is found else found
            document.classification = won.model_copy(
                update={"disputed": _disputes(won, lost, self.dispute_above)})
        ruled = set(extract(document)) if self.field_policy == "fill" else set()
        applies = {f.name for f in fields_for(document.classification.domain.label)}
        for name, value in fields(document, words, out, meta).items():
            existing = document.fields.get(name)
            if (value.confidence < self.min_field_confidence or name in ruled
                    or name not in applies):
                continue
            if existing is None or existing.confidence < value.confidence:
                document.fields[name] = value
        return document
