"""Records → training examples (words, boxes, labels) → windows in a Hugging Face dataset."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from datasets import Dataset
from tokenizers import Tokenizer

from archml.document import Document
from archml.features import DocWords, FeatureConfig, document_words, encode
from archml.training.augment import add_ocr_noise
from archml.training.data import OcrCache, Record, WordSource, read_document
from archml.training.weak_labels import Alignment, align_values, tag_by_boxes

log = logging.getLogger(__name__)
IGNORE = -100


@dataclass
class Example:
    """One labelled document ready for windowing."""

    record: Record
    document: Document
    words: DocWords
    alignment: Alignment
    weight: float = 1.0


def build_example(record: Record, words_from: WordSource, cache: OcrCache,
                  tags: Sequence[str], feature: FeatureConfig, weight: float = 1.0) -> Example:
    """Read ``record``'s document and tag its words (by boxes when they are the generator's own
    words, else by searching the values)."""
    document = read_document(record, words_from, cache)
    words = document_words(document, feature.page_order)
    index = {t: i for i, t in enumerate(tags)}
    boxed = any(f.box or f.boxes for f in record.fields.values())
    if boxed and (words_from == "ground_truth" or record.document is not None):
        alignment = tag_by_boxes(document, record.fields, index, feature.page_order)
    else:
        alignment = align_values(words, record.fields, index)
    return Example(record, document, words, alignment, weight)


def with_ocr_noise(example: Example, rate: float, tags: Sequence[str],
                   rng: np.random.Generator) -> Example:
    """``example`` with OCR-like noise on its words (the tags follow the words)."""
    words, word_tags = add_ocr_noise(example.words, example.alignment.tags, tags, rate, rng)
    return replace(example, words=words, alignment=replace(example.alignment, tags=word_tags))


def label_id(labels: Sequence[str], value: str | None) -> int:
    return labels.index(value) if value in labels else IGNORE


def windows_dataset(examples: Sequence[Example], tokenizer: Tokenizer, feature: FeatureConfig,
                    labels: dict[str, list[str]]) -> Dataset:
    """One row per window: model inputs, token tags, document labels, weight and doc index."""
    columns: dict[str, list] = {k: [] for k in ("input_ids", "bbox", "attention_mask", "labels",
                                                "domain", "form", "doc_type", "weight", "doc")}
    for doc, ex in enumerate(examples):
        targets = {"domain": ex.record.domain, "form": ex.record.typeName,
                   "doc_type": ex.record.docType}
        for window in encode(ex.words, tokenizer, feature, ex.alignment.training_tags()):
            columns["input_ids"].append(window.input_ids)
            columns["bbox"].append(window.bbox)
            columns["attention_mask"].append(window.attention_mask)
            columns["labels"].append(window.labels)
            if window.lexicon is not None:
                columns.setdefault("lexicon", []).append(window.lexicon)
            for head, value in targets.items():
                columns[head].append(label_id(labels[head], value))
            columns["weight"].append(ex.weight)
            columns["doc"].append(doc)
    data = Dataset.from_dict({k: [np.asarray(v) for v in vals] if k in (
        "input_ids", "bbox", "attention_mask", "labels", "lexicon") else vals
        for k, vals in columns.items()})
    return data.with_format("torch")
