"""Torch predictions of a model directory on documents: per-document head logits (mean over
windows), per-word tags, field spans → values through the field parsers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tokenizers import Tokenizer

from archml.features import DocWords, encode, merge_windows
from archml.runtime.decode import parsed_spans
from archml.runtime.model import stack_windows
from archml.training.model import HEADS, ArchmlModel
from archml.training.modeldir import ModelMeta, read_meta


@dataclass
class DocPrediction:
    """Head logits (documents' mean over windows), word tag ids and field values."""

    logits: dict[str, np.ndarray]
    tags: np.ndarray
    fields: dict[str, Any]

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
            out = self.model(**self.model.inputs(stack_windows(batch)))
            for head, value in out.items():
                outputs[head].extend(value.float().numpy())
        logits = {h: np.mean(outputs[h], axis=0) for h in HEADS}
        tag_scores = merge_windows(windows, outputs["tags"], len(words))
        tags = tag_scores.argmax(-1) if len(words) else np.zeros(0, dtype=np.int64)
        return DocPrediction(logits, tags, self.fields(words, tags))

    def fields(self, words: DocWords, tags: np.ndarray) -> dict[str, Any]:
        """Each field's value: the first tagged span whose text parses (as the runtime)."""
        return {name: value for name, (_, _, value) in
                parsed_spans(tags, self.meta.labels["tags"], words.texts).items()}
