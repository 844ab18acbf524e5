"""ONNX Runtime sessions for a model directory: windows in, per-document outputs out.

Torch-free (numpy, onnxruntime, tokenizers). Windows of several documents share batches of at
most ``batch_size``; each batch is cut to its longest window (the sequence axis is dynamic), so
short documents cost less than ``max_length`` tokens. Sessions run ``threads`` intra-op
threads (1 by default: the framework parallelises over processes, not inside a session).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from tokenizers import Tokenizer

from archml.errors import ModelMismatch
from archml.features import DocWords, Window, encode, merge_windows
from archml.runtime.meta import SHIPPED_MODEL, ModelMeta, read_meta, verify_checksums
from archml.taxonomy import TAXONOMY_VERSION

HEADS = ("domain", "form", "doc_type")
OUTPUTS = (*HEADS, "tags")
INPUTS = ("input_ids", "bbox", "attention_mask")
LEXICON = "lexicon"
"""The optional fourth input: the document's distinct tokens (see ``FeatureConfig.lexicon``)."""
FP32, INT8 = "model.onnx", "model.int8.onnx"


def stack_windows(windows: Sequence[Window], length: int | None = None) -> dict[str, np.ndarray]:
    """Model inputs of ``windows`` as batch arrays, cut to ``length`` tokens when given, plus
    ``lexicon`` when the windows carry one."""
    cut = slice(None, length)
    inputs = {k: np.stack([getattr(w, k)[cut] for w in windows]) for k in INPUTS}
    if windows and windows[0].lexicon is not None:
        inputs[LEXICON] = np.stack([w.lexicon for w in windows])
    return inputs


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = logits / max(temperature, 1e-6)
    z = np.exp(z - z.max(-1, keepdims=True))
    return z / z.sum(-1, keepdims=True)


@dataclass
class DocOutput:
    """One document's outputs: head logits (mean over its windows) and per-word tag
    probabilities ``(n_words, n_tags)``."""

    logits: dict[str, np.ndarray]
    tag_probs: np.ndarray


class Model:
    """A model directory loaded into an ONNX Runtime session (use :func:`load_model`)."""

    def __init__(self, path: str | Path, meta: ModelMeta, file: str = FP32, *,
                 providers: Sequence[str] | None = None, threads: int = 1,
                 batch_size: int = 32) -> None:
        import onnxruntime as ort

        self.path, self.meta, self.file, self.batch_size = Path(path), meta, file, batch_size
        self.tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(self.path / file), options,
                                            providers=list(providers or ["CPUExecutionProvider"]))

    @property
    def info(self) -> dict[str, str]:
        """Id, file and checksum, for ``Result.provenance.model``."""
        return {"id": self.meta.name, "path": str(self.path), "file": self.file,
                "sha256": self.meta.checksums.get(self.file, ""),
                "taxonomy_version": self.meta.taxonomy_version}

    def window_logits(self, windows: Sequence[Window], *, trim: bool = True
                      ) -> dict[str, Any]:
        """Per-window head logits ``(n, classes)`` and ``tags``: one ``(tokens, n_tags)``
        array per window (batches cut to their longest window when ``trim``)."""
        heads: dict[str, list[np.ndarray]] = {h: [] for h in HEADS}
        tags: list[np.ndarray] = []
        for i in range(0, len(windows), self.batch_size):
            batch = windows[i:i + self.batch_size]
            length = max(int(w.attention_mask.sum()) for w in batch) if trim else None
            out = self.session.run(list(OUTPUTS), stack_windows(batch, length))
            for h, value in zip(HEADS, out, strict=False):
                heads[h].append(value)
            tags.extend(out[-1])
        return {**{h: np.concatenate(v) for h, v in heads.items()}, "tags": tags}

    def word_tags(self, windows: Sequence[Window], tags: Sequence[np.ndarray],
                  n_words: int) -> np.ndarray:
        """Per-word tag ids from per-window token logits."""
        return merge_windows(windows, tags, n_words).argmax(-1) if n_words else \
            np.zeros(0, dtype=np.int64)

    def predict(self, docs: Sequence[DocWords]) -> list[DocOutput]:
        """Outputs of every document; windows of all documents share batches."""
        windows = [encode(words, self.tokenizer, self.meta.features) for words in docs]
        flat = [w for ws in windows for w in ws]
        out = self.window_logits(flat)
        results, start = [], 0
        for words, ws in zip(docs, windows, strict=True):
            end = start + len(ws)
            logits = {h: out[h][start:end].mean(0) for h in HEADS}
            merged = merge_windows(ws, out["tags"][start:end], len(words))
            results.append(DocOutput(logits, softmax(merged)))
            start = end
        return results


def load_model(path: str | Path | None = None, *, quantized: bool | None = None,
               providers: Sequence[str] | None = None, threads: int = 1) -> Model:
    """Load the model directory ``path`` (default: the model shipped in the package) after
    verifying the SHA-256 of its files and its taxonomy version. ``quantized``: ``True`` for
    ``model.int8.onnx``, ``False`` for ``model.onnx``, ``None`` for int8 when the directory has
    it. ``providers``: ONNX Runtime execution providers, e.g. ``["CUDAExecutionProvider",
    "CPUExecutionProvider"]``."""
    path = Path(path) if path is not None else SHIPPED_MODEL
    meta = read_meta(path)
    if meta.taxonomy_version != TAXONOMY_VERSION:
        raise ModelMismatch(f"{path} was trained for taxonomy {meta.taxonomy_version}, this "
                            f"archml uses {TAXONOMY_VERSION}; export a model trained with it")
    available = [f for f in (FP32, INT8) if f in meta.checksums]
    if not available:
        raise ModelMismatch(f"{path} has no ONNX model listed in its checksums; run "
                            f"`archml export {path} --out DIR` and load DIR")
    file = INT8 if quantized or (quantized is None and INT8 in available) else FP32
    if file not in available:
        raise ModelMismatch(f"{path} has no {file}; export it with int8 quantisation")
    verify_checksums(path, meta.checksums)
    return Model(path, meta, file, providers=providers, threads=threads)
