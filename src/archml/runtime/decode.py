"""Model outputs → document annotations: calibrated classes with top-k, and field spans →
:class:`~archml.document.FieldValue` through the field parsers and validators."""

from __future__ import annotations

from typing import Any

import numpy as np

from archml.document import Box, Classification, Document, FieldValue, Prediction, Word
from archml.features import DocWords, TagSpan, decode_spans, page_order
from archml.fields.validate import validate_value
from archml.fields.values import SHARED_WORD, field_value
from archml.runtime.meta import ModelMeta
from archml.runtime.model import DocOutput, softmax

TOP_K = 5


def prediction(logits: np.ndarray, labels: list[str], temperature: float = 1.0,
               k: int = TOP_K) -> Prediction:
    """The top class and runners-up, with the head's fitted temperature applied."""
    probs = softmax(logits, temperature)
    order = np.argsort(-probs)[:k]
    top = [(labels[i], round(float(probs[i]), 4)) for i in order]
    return Prediction(label=top[0][0], confidence=top[0][1], top_k=top)


def classification(out: DocOutput, meta: ModelMeta) -> Classification:
    """Domain, form and fine type from the document heads (``method="model"``)."""
    heads = {h: prediction(out.logits[h], meta.labels[h], meta.temperatures.get(h, 1.0))
             for h in ("domain", "form", "doc_type")}
    return Classification(**heads, method="model")


def ordered_words(document: Document, order: str) -> list[tuple[int, Word]]:
    """``(page index, word)`` in the order of :func:`~archml.features.document_words`."""
    return [(i, w) for i in page_order(len(document.pages), order)
            for w in document.pages[i].words if w.text.strip()]


def parsed_spans(tag_ids: np.ndarray, tags: list[str],
                 texts: list[str]) -> dict[str, tuple[TagSpan, str, Any]]:
    """Per field, the first tagged span whose text parses: ``(span, raw text, value)``. A field
    printed in another's word (:data:`SHARED_WORD`) reads its host's spans when none of its
    own parses. Spans that do not parse (the model tagging the wrong words) are passed over."""
    by_field: dict[str, list[TagSpan]] = {}
    for span in decode_spans(tag_ids.tolist(), tags):
        by_field.setdefault(span.field, []).append(span)
    found: dict[str, tuple[TagSpan, str, Any]] = {}
    names = [*by_field, *(n for n in SHARED_WORD if n not in by_field)]
    for name in names:
        candidates = by_field.get(name, []) + by_field.get(SHARED_WORD.get(name, ""), [])
        for span in candidates:
            raw = " ".join(texts[span.start:span.end])
            value = field_value(name, raw)
            if value is not None:
                found[name] = (span, raw, value)
                break
    return found


def fields(document: Document, words: DocWords, out: DocOutput,
           meta: ModelMeta) -> dict[str, FieldValue]:
    """Fields of the tagged spans whose text parses (fields without one are left to the
    rules); confidence is the mean probability of
    the span's word tags, page and box those of its words."""
    placed = ordered_words(document, meta.features.page_order)
    tag_ids = out.tag_probs.argmax(-1) if len(words) else np.zeros(0, dtype=np.int64)
    found = {}
    for name, (span, raw, value) in parsed_spans(tag_ids, meta.labels["tags"],
                                                  words.texts).items():
        used = placed[span.start:span.end]
        probs = out.tag_probs[np.arange(span.start, span.end), tag_ids[span.start:span.end]]
        found[name] = FieldValue(
            name=name, raw=raw, value=value, confidence=round(float(probs.mean()), 4),
            page=used[0][0], box=Box.enclosing(w.box for _, w in used),
            problems=validate_value(name, value), method="model")
    return found
