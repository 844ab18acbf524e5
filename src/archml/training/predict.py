"""Torch predictions of a model directory on documents: per-document head logits (mean over
windows), per-word tags, field spans → values through the field parsers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer

from archml.features import DocWords, decode_spans, encode, merge_windows
from archml.fields.values import SHARED_WORD, field_value
from archml.training.model import HEADS, ArchmlModel
from archml.training.modeldir import ModelMeta, read_meta


@dataclass
class DocPrediction:
    """Head logits (documents' mean over windows), word tag ids and field values."""

    logits: dict[str, np.ndarray]
    tags: np.ndarray
    fields: dict[str, str | None]

    def label(self, head: str, labels: list[str]) -> str:
        return labels[int(self.logits[head].argmax())]


class Predictor:
    """A model directory loaded for torch inference."""

    def __init__(self, model: ArchmlModel, tokenizer: Tokenizer, meta: ModelMeta,
                 batch_size: int = 16) -> None:
        self.model, self.tokenizer, self.meta, self.batch_size = model, tokenizer, meta, batch_size
        self.model.eval()

    @classmethod
    def from_pretrained(cls, path: str | Path) -> Predictor:
        path = Path(path)
        return cls(ArchmlModel.from_pretrained(path),
                   Tokenizer.from_file(str(path / "tokenizer.json")), read_meta(path))

    @torch.no_grad()
    def predict(self, words: DocWords) -> DocPrediction:
        windows = encode(words, self.tokenizer, self.meta.features)
        outputs: dict[str, list[np.ndarray]] = {h: [] for h in (*HEADS, "tags")}
        for i in range(0, len(windows), self.batch_size):
            batch = windows[i:i + self.batch_size]
            out = self.model(*(torch.as_tensor(np.stack([getattr(w, k) for w in batch]))
                               for k in ("input_ids", "bbox", "attention_mask")))
            for head, value in out.items():
                outputs[head].extend(value.float().numpy())
        logits = {h: np.mean(outputs[h], axis=0) for h in HEADS}
        tag_scores = merge_windows(windows, outputs["tags"], len(words))
        tags = tag_scores.argmax(-1) if len(words) else np.zeros(0, dtype=np.int64)
        return DocPrediction(logits, tags, self.fields(words, tags))

    def fields(self, words: DocWords, tags: np.ndarray) -> dict[str, str | None]:
        """The first span of each field → its value."""
        found: dict[str, str | None] = {}
        raws: dict[str, str] = {}
        for span in decode_spans(tags.tolist(), self.meta.labels["tags"]):
            if span.field not in raws:
                raws[span.field] = " ".join(words.texts[span.start:span.end])
        for name, host in SHARED_WORD.items():
            if name not in raws and host in raws:
                raws[name] = raws[host]
        for name, raw in raws.items():
            found[name] = field_value(name, raw)
        return found
