"""Document → model inputs, shared by training and inference (numpy + ``tokenizers`` only).

A document becomes its words in reading order (first page, last page, then the pages between,
since the first and last pages carry most metadata), each with its 0–1000 box. Words are
tokenised with a ``tokenizers`` tokenizer, keeping which word each token came from, and cut into
windows of at most ``max_length`` tokens that overlap by ``stride`` tokens. Field tags are BIO
tags on the first token of each word; :func:`merge_windows` and :func:`decode_spans` turn
per-window token scores back into word tags and field spans.

This module must never import torch or transformers: the ONNX runtime uses it as is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
from tokenizers.processors import TemplateProcessing

from archml.document import Document

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
IGNORE = -100
"""Label of tokens that carry no tag (special tokens, padding, non-first sub-tokens)."""
OUTSIDE = "O"


class FeatureConfig(BaseModel):
    """How documents are turned into windows; saved in ``archml-model.json``."""

    model_config = ConfigDict(extra="forbid")

    max_length: int = Field(256, ge=16, le=4096)
    stride: int = Field(32, ge=0)
    """Tokens shared by consecutive windows."""
    max_windows: int | None = Field(8, ge=1)
    """Windows kept per document (first/last pages come first); ``None`` keeps all."""
    page_order: Literal["first_last", "natural"] = "first_last"
    lexicon: int = Field(0, ge=0, le=8192)
    """Distinct tokens of the whole document (most frequent first) given to the document heads
    besides the windows, so that pages no window reaches still count; ``0`` for none."""


@dataclass(frozen=True)
class DocWords:
    """A document's words in model order: text, 0–1000 box, page and block (a running index
    over the document's layout blocks) of each."""

    texts: list[str]
    boxes: np.ndarray  # (n, 4) int32
    pages: np.ndarray  # (n,) int32
    blocks: np.ndarray  # (n,) int32

    def __len__(self) -> int:
        return len(self.texts)


@dataclass(frozen=True)
class Window:
    """One model input: token ids, 0–1000 boxes, attention mask, the word of each token
    (``-1`` for special tokens and padding), for training BIO label ids and, when the features
    ask for one, the document's lexicon (shared by all its windows, ``[PAD]``-padded)."""

    input_ids: np.ndarray
    bbox: np.ndarray
    attention_mask: np.ndarray
    word_ids: np.ndarray
    labels: np.ndarray | None = None
    lexicon: np.ndarray | None = None


def page_order(n_pages: int, order: str = "first_last") -> list[int]:
    """Page indices in model order: ``[0, last, 1, 2, …]`` for ``first_last``."""
    if order == "natural" or n_pages < 3:
        return list(range(n_pages))
    return [0, n_pages - 1, *range(1, n_pages - 1)]


def document_words(document: Document, order: str = "first_last") -> DocWords:
    """The words of ``document`` in reading order within pages, pages in ``order``."""
    texts: list[str] = []
    boxes: list[tuple[int, int, int, int]] = []
    pages: list[int] = []
    blocks: list[int] = []
    block = 0
    for index in page_order(len(document.pages), order):
        page = document.pages[index]
        for block_node in page.blocks:
            for word in block_node.words:
                if word.text.strip():
                    texts.append(word.text)
                    boxes.append(word.box.normalized(page.width, page.height))
                    pages.append(index)
                    blocks.append(block)
            block += 1
    return DocWords(texts, np.asarray(boxes, dtype=np.int32).reshape(-1, 4),
                    np.asarray(pages, dtype=np.int32), np.asarray(blocks, dtype=np.int32))


def bio_tags(fields: Sequence[str]) -> list[str]:
    """The tag set for ``fields``: ``O``, then ``B-f``/``I-f`` per field, in field order."""
    return [OUTSIDE] + [f"{p}-{f}" for f in fields for p in ("B", "I")]


def train_tokenizer(texts: Iterable[str], vocab_size: int = 4000) -> Tokenizer:
    """A WordPiece tokenizer trained on ``texts``: NFC (tone marks and case kept), split on
    whitespace and punctuation, ``[CLS] … [SEP]`` around each window."""
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=64))
    tokenizer.normalizer = normalizers.NFC()
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=list(SPECIAL_TOKENS),
                                        min_frequency=2, show_progress=False)
    tokenizer.train_from_iterator(texts, trainer=trainer)
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    return tokenizer


def _word_tokens(words: DocWords, tokenizer: Tokenizer) -> tuple[list[int], list[int]]:
    """Token ids of all words (no special tokens) and the word index of each token."""
    if not len(words):
        return [], []
    encoding = tokenizer.encode(words.texts, is_pretokenized=True, add_special_tokens=False)
    word_ids = [w if w is not None else -1 for w in encoding.word_ids]
    return list(encoding.ids), word_ids


def lexicon(ids: Sequence[int], size: int, pad: int) -> np.ndarray:
    """The ``size`` most frequent distinct ``ids`` (ties: lower id first), padded with ``pad``."""
    out = np.full(size, pad, dtype=np.int64)
    values, counts = np.unique(np.asarray(ids, dtype=np.int64), return_counts=True)
    keep = values[np.lexsort((values, -counts))][:size]
    out[: len(keep)] = keep
    return out


def _spans(n_tokens: int, size: int, stride: int) -> list[tuple[int, int]]:
    """``[start, end)`` token spans of at most ``size`` tokens overlapping by ``stride``."""
    if n_tokens <= size:
        return [(0, n_tokens)]
    step = max(1, size - stride)
    starts = [*range(0, n_tokens - size, step), n_tokens - size]
    return [(s, s + size) for s in dict.fromkeys(starts)]


def encode(words: DocWords, tokenizer: Tokenizer, config: FeatureConfig,
           word_labels: Sequence[int] | None = None) -> list[Window]:
    """Windows of ``words`` (at least one, even for an empty document). ``word_labels`` (one
    tag id per word) become token labels on each word's first token."""
    ids, word_ids = _word_tokens(words, tokenizer)
    special = {t: tokenizer.token_to_id(t) for t in ("[PAD]", "[CLS]", "[SEP]")}
    body = config.max_length - 2
    spans = _spans(len(ids), body, min(config.stride, body - 1))
    if config.max_windows is not None:
        spans = spans[: config.max_windows]
    bag = lexicon(ids, config.lexicon, special["[PAD]"]) if config.lexicon else None
    windows = []
    for start, end in spans:
        token_words = word_ids[start:end]
        n = len(token_words)
        input_ids = np.full(config.max_length, special["[PAD]"], dtype=np.int64)
        input_ids[0], input_ids[1:n + 1], input_ids[n + 1] = (
            special["[CLS]"], ids[start:end], special["[SEP]"])
        wid = np.full(config.max_length, -1, dtype=np.int64)
        wid[1:n + 1] = token_words
        bbox = np.zeros((config.max_length, 4), dtype=np.int64)
        bbox[1:n + 1] = words.boxes[token_words] if n else 0
        bbox[n + 1] = 1000
        mask = np.zeros(config.max_length, dtype=np.int64)
        mask[: n + 2] = 1
        labels = None
        if word_labels is not None:
            labels = np.full(config.max_length, IGNORE, dtype=np.int64)
            previous = word_ids[start - 1] if start > 0 else -1
            for i, w in enumerate(token_words, 1):
                if w != previous:
                    labels[i] = word_labels[w]
                previous = w
        windows.append(Window(input_ids, bbox, mask, wid, labels, bag))
    return windows


def merge_windows(windows: Sequence[Window], scores: Sequence[np.ndarray],
                  n_words: int) -> np.ndarray:
    """Per-word tag scores ``(n_words, n_tags)`` from per-window token scores: each word takes
    its first token in the window where that token lies farthest from a window edge. Words
    no window reached get all-zero rows."""
    n_tags = scores[0].shape[-1] if len(scores) else 1
    merged = np.zeros((n_words, n_tags), dtype=np.float32)
    margin = np.full(n_words, -1, dtype=np.int64)
    for window, score in zip(windows, scores, strict=True):
        length = int(window.attention_mask.sum())
        seen: set[int] = set()
        for i in range(1, length - 1):
            w = int(window.word_ids[i])
            if w < 0 or w in seen:
                continue
            seen.add(w)
            edge = min(i, length - 1 - i)
            if edge > margin[w]:
                margin[w], merged[w] = edge, score[i]
    return merged


@dataclass(frozen=True)
class TagSpan:
    """Words ``start:end`` (model order) tagged as ``field``."""

    field: str
    start: int
    end: int


def decode_spans(tag_ids: Sequence[int], tags: Sequence[str]) -> list[TagSpan]:
    """Field spans from per-word BIO tag ids; an ``I-f`` after a different tag starts a span."""
    spans: list[TagSpan] = []
    field, start = None, 0
    for i, tag_id in enumerate([*tag_ids, 0]):
        tag = tags[tag_id]
        prefix, _, name = tag.partition("-")
        if field is not None and (prefix != "I" or name != field):
            spans.append(TagSpan(field, start, i))
            field = None
        if prefix in ("B", "I") and field is None:
            field, start = name, i
    return spans
