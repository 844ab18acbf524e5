"""Model outputs → document annotations: calibrated classes with top-k, and field spans →
:class:`~archml.document.FieldValue` through the field parsers and validators."""

from __future__ import annotations

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


def first_spans(tag_ids: np.ndarray, tags: list[str]) -> dict[str, TagSpan]:
    """The first span of each field; a field printed in another's word (:data:`SHARED_WORD`)
    takes its host's span when it has none of its own."""
    spans: dict[str, TagSpan] = {}
    for span in decode_spans(tag_ids.tolist(), tags):
        spans.setdefault(span.field, span)
    for name, host in SHARED_WORD.items():
        if name not in spans and host in spans:
            spans[name] = spans[host]
    return spans


def fields(document: Document, words: DocWords, out: DocOutput,
           meta: ModelMeta) -> dict[str, FieldValue]:
    """Fields of the tagged spans whose text parses; confidence is the mean probability of
    the span's word tags, page and box those of its words."""
    placed = ordered_words(document, meta.features.page_order)
    tag_ids = out.tag_probs.argmax(-1) if len(words) else np.zeros(0, dtype=np.int64)
    found = {}
    for name, span in first_spans(tag_ids, meta.labels["tags"]).items():
        raw = " ".join(words.texts[span.start:span.end])
        value = field_value(name, raw)
        if value is None:
            continue  # the model abstains; the rules may still read it
        used = placed[span.start:span.end]
        probs = out.tag_probs[np.arange(span.start, span.end), tag_ids[span.start:span.end]]
        found[name] = FieldValue(
            name=name, raw=raw, value=value, confidence=round(float(probs.mean()), 4),
            page=used[0][0], box=Box.enclosing(w.box for _, w in used),
            problems=validate_value(name, value), method="model")
    return found
