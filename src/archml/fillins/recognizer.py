"""The handwritten-digit reader: small CRNNs exported to ONNX, run with ONNX Runtime.

Torch-free: this module needs only numpy, OpenCV and onnxruntime. A model reads a grey strip
normalised by :func:`to_input` (ink bright on black, :data:`HEIGHT` pixels high, padded to
:data:`WIDTH`) and gives per-column scores over blank + the charset of its card. A reader may hold
several members (the same recipe, different seeds): each member's greedy CTC reading is a
candidate, and the candidate the members make most probable on average wins (:func:`vote`; its
probability, every alignment counted by :func:`ctc_probability`, is the confidence).
:func:`likeliest` picks, among the values a gap can hold, the one the scores make most probable.
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
    """The column probabilities the text was decoded from: ``(T, 1 + len(charset))``, or
    ``(M, T, 1 + len(charset))`` for a reader of ``M`` members."""


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
    every alignment (blanks between and around the characters, repeats merged). ``probs`` of
    shape ``(M, T, C)`` (``M`` members): the members' mean."""
    members = probs.reshape(-1, *probs.shape[-2:])
    if not text:
        return float(np.prod(members[:, :, 0], axis=1).mean())
    path = [0]
    for char in text:
        path += [charset.index(char) + 1, 0]
    labels = np.asarray(path)
    # a step may skip the blank between two different characters
    skip = np.zeros(len(path), bool)
    skip[2:] = (labels[2:] != 0) & (labels[2:] != labels[:-2])
    with np.errstate(divide="ignore"):
        logp = np.log(members[:, :, labels])  # (M, T, S)
    alpha = np.full((len(members), len(path)), -np.inf)
    alpha[:, :2] = logp[:, 0, :2]
    none = np.full((len(members), 2), -np.inf)
    for t in range(1, members.shape[1]):
        step = np.concatenate([none[:, :1], alpha[:, :-1]], axis=1)
        jump = np.where(skip, np.concatenate([none, alpha[:, :-2]], axis=1), -np.inf)
        alpha = np.logaddexp(np.logaddexp(alpha, step), jump) + logp[:, t]
    return float(np.exp(np.logaddexp(alpha[:, -1], alpha[:, -2])).mean())


def vote(probs: np.ndarray, charset: str) -> Reading:
    """The reading of ``M`` members' ``(M, T, C)`` probabilities: the members' greedy texts
    are the candidates, the one with the highest mean :func:`ctc_probability` wins with that
    probability as its confidence; when no member reads anything the text is empty, confidence
    0."""
    candidates = {ctc_decode(member, charset).text for member in probs} - {""}
    if not candidates:
        return Reading("", 0.0, probs)
    probability, text = max((ctc_probability(probs, c, charset), c) for c in candidates)
    return Reading(text, round(probability, 4), probs)


def likeliest(reading: Reading, values: Iterable[str], charset: str,
              minimum: float) -> Reading | None:
    """The most probable of ``values`` under ``reading``'s column probabilities, if that
    probability reaches ``minimum`` (its confidence); else None."""
    if reading.probs is None:
        return None
    probability, text = max((ctc_probability(reading.probs, v, charset), v) for v in values)
    return Reading(text, round(probability, 4), reading.probs) if probability >= minimum else None


class DigitReader:
    """ONNX Runtime sessions of the shipped (or a given) model's members; one thread, CPU.
    ``members``: indices of the members to use (default: all), e.g. ``[0]`` for one alone."""

    def __init__(self, model_dir: str | Path = MODEL_DIR, name: str = "digits",
                 members: Iterable[int] | None = None) -> None:
        folder = Path(model_dir)
        self.card: dict[str, Any] = json.loads((folder / f"{name}.json").read_text("utf-8"))
        if (self.card["height"], self.card["width"]) != (HEIGHT, WIDTH):
            raise ModelMismatch(f"{folder / name}.json: the reader expects "
                                f"{self.card['height']}×{self.card['width']} inputs, this "
                                f"archml makes {HEIGHT}×{WIDTH}")
        listed = self.card["members"]
        chosen = range(len(listed)) if members is None else list(members)
        if not chosen or not all(0 <= i < len(listed) for i in chosen):
            raise ValueError(f"members {list(chosen)}: the reader has {len(listed)} (0 to "
                             f"{len(listed) - 1})")
        self.sessions = [_session(folder / listed[i]["file"], listed[i]["sha256"])
                         for i in chosen]
        self.charset: str = self.card["charset"]

    def read(self, crops: list[np.ndarray]) -> list[Reading]:
        """One reading per crop (batched; the members' vote, :func:`vote`)."""
        if not crops:
            return []
        batch = np.stack([to_input(c) for c in crops])[:, None]
        logits = np.stack([s.run(None, {"image": batch})[0] for s in self.sessions], axis=1)
        z = np.exp(logits - logits.max(axis=3, keepdims=True))  # (N, M, T, C)
        probs = z / z.sum(axis=3, keepdims=True)
        return [vote(p, self.charset) for p in probs]


def _session(path: Path, sha256: str) -> Any:
    """A one-thread CPU session of the ONNX file at ``path``, whose checksum must be
    ``sha256``."""
    import onnxruntime as ort

    model = path.read_bytes()
    digest = hashlib.sha256(model).hexdigest()
    if digest != sha256:
        raise ModelMismatch(f"{path} has checksum {digest[:12]}…, its card says "
                            f"{sha256[:12]}…: the file was changed")
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


@cache
def default_reader() -> DigitReader:
    """The shipped model, loaded once per process."""
    return DigitReader()
