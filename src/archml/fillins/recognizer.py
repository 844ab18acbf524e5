"""The handwritten-digit reader: a small CRNN exported to ONNX, run with ONNX Runtime.

Torch-free: this module needs only numpy, OpenCV and onnxruntime. The model reads a grey strip
normalised by :func:`to_input` (ink bright on black, :data:`HEIGHT` pixels high, padded to
:data:`WIDTH`) and gives per-column scores over blank + the charset of its card; greedy CTC
decoding turns them into text with a confidence (the product of the chosen columns'
probabilities); :func:`likeliest` picks, among the values a gap can hold, the one the scores make
most probable (every alignment counted, :func:`ctc_probability`).
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
    """What the reader saw in one crop."""

    text: str
    confidence: float
    probs: np.ndarray | None = field(default=None, repr=False, compare=False)
    """The ``(T, 1 + len(charset))`` column probabilities the text was decoded from."""


def ctc_decode(probs: np.ndarray, charset: str) -> Reading:
    """Greedy CTC over ``(T, 1 + len(charset))`` probabilities (class 0 is the blank)."""
    best = probs.argmax(axis=1)
    text, confidence, previous = [], 1.0, 0
    for t, k in enumerate(best):
        if k != 0 and k != previous:
            text.append(charset[k - 1])
            confidence *= float(probs[t, k])
        previous = k
    return Reading("".join(text), round(confidence if text else 0.0, 4), probs)


def ctc_probability(probs: np.ndarray, text: str, charset: str) -> float:
    """P(``text``) under CTC column probabilities ``probs``: the forward algorithm, summed over
    every alignment (blanks between and around the characters, repeats merged)."""
    if not text:
        return float(np.prod(probs[:, 0]))
    path = [0]
    for char in text:
        path += [charset.index(char) + 1, 0]
    labels = np.asarray(path)
    # a step may skip the blank between two different characters
    skip = np.zeros(len(path), bool)
    skip[2:] = (labels[2:] != 0) & (labels[2:] != labels[:-2])
    with np.errstate(divide="ignore"):
        logp = np.log(probs[:, labels])
    alpha = np.full(len(path), -np.inf)
    alpha[:2] = logp[0, :2]
    for t in range(1, len(probs)):
        stay, step = alpha, np.concatenate([[-np.inf], alpha[:-1]])
        jump = np.where(skip, np.concatenate([[-np.inf, -np.inf], alpha[:-2]]), -np.inf)
        alpha = np.logaddexp(np.logaddexp(stay, step), jump) + logp[t]
    return float(np.exp(np.logaddexp(alpha[-1], alpha[-2])))


def likeliest(reading: Reading, values: Iterable[str], charset: str,
              minimum: float) -> Reading | None:
    """The most probable of ``values`` under ``reading``'s column probabilities, if that
    probability reaches ``minimum`` (its confidence); else None."""
    if reading.probs is None:
        return None
    probability, text = max((ctc_probability(reading.probs, v, charset), v) for v in values)
    return Reading(text, round(probability, 4), reading.probs) if probability >= minimum else None


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
