"""The handwritten-digit reader: a small CRNN exported to ONNX, run with ONNX Runtime.

Torch-free: this module needs only numpy, OpenCV and onnxruntime. The model reads a grey strip
normalised by :func:`to_input` (ink bright on black, :data:`HEIGHT` pixels high, padded to
:data:`WIDTH`) and gives per-column scores over blank + the charset of its card; greedy CTC
decoding turns them into text with a confidence (the product of the chosen columns'
probabilities). :meth:`Reading.best_of` instead picks the likeliest of a closed set of answers
(the days of a month, say), each scored by the CTC probability of its label summed over every
alignment, for gaps whose greedy reading is not a value they can hold.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from archml.errors import ModelMismatch

HEIGHT, WIDTH = 32, 128
MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "handwriting"


def to_input(crop: np.ndarray) -> np.ndarray:
    """A page crop (RGB or grey uint8) → float32 ``(HEIGHT, WIDTH)``: ink 1, paper 0, resized
    to the model's height keeping the aspect ratio (squeezed if too wide), left-aligned."""
    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY) if crop.ndim == 3 else crop
    grey = grey.astype(np.float32)
    paper, ink = np.percentile(grey, 90), np.percentile(grey, 1)
    ink_map = np.clip((paper - grey) / max(paper - ink, 40.0), 0.0, 1.0)
    h, w = ink_map.shape
    width = max(1, min(WIDTH, round(w * HEIGHT / max(h, 1))))
    resized = cv2.resize(ink_map, (width, HEIGHT), interpolation=cv2.INTER_AREA)
    out = np.zeros((HEIGHT, WIDTH), np.float32)
    out[:, :width] = resized
    return out


@dataclass(frozen=True)
class Reading:
    """What the reader saw in one crop; ``probs`` are the per-column probabilities
    ``(T, 1 + len(charset))`` behind it (blank first)."""

    text: str
    confidence: float
    probs: np.ndarray | None = field(default=None, repr=False, compare=False)
    charset: str = field(default="", repr=False, compare=False)

    def best_of(self, answers: Iterable[str]) -> Reading | None:
        """The likeliest of ``answers`` (strings over the charset) with its CTC probability
        as confidence; answers with the same number (``"2"``, ``"02"``) pool their
        probability. ``None`` without the probabilities or answers."""
        if self.probs is None:
            return None
        index = {c: i + 1 for i, c in enumerate(self.charset)}
        by_length: dict[int, list[str]] = {}
        for text in dict.fromkeys(answers):
            if text and all(c in index for c in text):
                by_length.setdefault(len(text), []).append(text)
        pooled: dict[int | str, tuple[float, str]] = {}
        for texts in by_length.values():
            labels = np.asarray([[index[c] for c in t] for t in texts])
            for text, p in zip(texts, label_probabilities(self.probs, labels), strict=True):
                key: int | str = int(text) if text.isdigit() else text
                total, shortest = pooled.get(key, (0.0, text))
                pooled[key] = (total + float(p), min(shortest, text, key=len))
        if not pooled:
            return None
        p, text = max(pooled.values())
        return Reading(text, round(p, 4), self.probs, self.charset)


def label_probabilities(probs: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """P(label | ``probs``) under CTC for each row of ``labels`` ``(n, L)``, all of one length
    ``L ≥ 1``: the forward algorithm over each label with blanks (class 0) between and around
    its symbols, rescaled at every column."""
    n, length = labels.shape
    extended = np.zeros((n, 2 * length + 1), dtype=np.int64)
    extended[:, 1::2] = labels
    # a symbol may follow the one two places back unless it repeats it (then a blank must sit
    # between them)
    skip = np.zeros(extended.shape, dtype=bool)
    skip[:, 3::2] = extended[:, 3::2] != extended[:, 1:-2:2]
    alpha = np.zeros(extended.shape)
    alpha[:, :2] = probs[0, extended[:, :2]]
    log_scale = np.zeros(n)
    for t in range(1, len(probs)):
        step = alpha.copy()
        step[:, 1:] += alpha[:, :-1]
        step[:, 2:] += np.where(skip[:, 2:], alpha[:, :-2], 0.0)
        alpha = step * probs[t, extended]
        total = alpha.sum(axis=1, keepdims=True)
        alpha /= np.where(total > 0, total, 1.0)
        log_scale += np.log(np.maximum(total[:, 0], 1e-300))
    return np.exp(log_scale) * alpha[:, -2:].sum(axis=1)


def ctc_decode(probs: np.ndarray, charset: str) -> Reading:
    """Greedy CTC over ``(T, 1 + len(charset))`` probabilities (class 0 is the blank)."""
    best = probs.argmax(axis=1)
    text, confidence, previous = [], 1.0, 0
    for t, k in enumerate(best):
        if k != 0 and k != previous:
            text.append(charset[k - 1])
            confidence *= float(probs[t, k])
        previous = k
    return Reading("".join(text), round(confidence if text else 0.0, 4), probs, charset)


class DigitReader:
    """ONNX Runtime session of the shipped (or a given) model; one thread, CPU."""

    def __init__(self, model_dir: str | Path = MODEL_DIR, name: str = "digits") -> None:
        import onnxruntime as ort

        folder = Path(model_dir)
        self.card: dict[str, Any] = json.loads((folder / f"{name}.json").read_text("utf-8"))
        model = (folder / f"{name}.onnx").read_bytes()
        digest = hashlib.sha256(model).hexdigest()
        if digest != self.card["sha256"]:
            raise ModelMismatch(f"{folder / name}.onnx has checksum {digest[:12]}…, its card "
                                f"says {self.card['sha256'][:12]}…: the file was changed")
        if (self.card["height"], self.card["width"]) != (HEIGHT, WIDTH):
            raise ModelMismatch(f"{name}.onnx expects {self.card['height']}×"
                                f"{self.card['width']} inputs, this archml makes "
                                f"{HEIGHT}×{WIDTH}")
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self.charset: str = self.card["charset"]

    def read(self, crops: list[np.ndarray]) -> list[Reading]:
        """One reading per crop (batched)."""
        if not crops:
            return []
        batch = np.stack([to_input(c) for c in crops])[:, None]
        logits = self.session.run(None, {"image": batch})[0]  # (N, T, C)
        z = logits - logits.max(axis=2, keepdims=True)
        probs = np.exp(z) / np.exp(z).sum(axis=2, keepdims=True)
        return [ctc_decode(p, self.charset) for p in probs]


@cache
def default_reader() -> DigitReader:
    """The shipped model, loaded once per process."""
    return DigitReader()
