"""Train the handwritten-digit reader of :mod:`archml.fillins` on synthetic strips.

A CRNN (5 conv blocks → 1-row feature map of 32 columns → bidirectional LSTM → blank + digits)
trained with CTC on :func:`archml.synth.handwriting.digit_strip` strips, exported to ONNX with a
JSON card (charset, input size, data, metrics, the file's sha256) that :class:`~archml.fillins.
recognizer.DigitReader` verifies at load; :func:`combine` makes one reader of several such runs
(seeds), whose members vote. Needs the ``[train]`` extra (torch, scikit-learn for the
``load_digits`` check).
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from archml.fillins.recognizer import HEIGHT, WIDTH, DigitReader, Reading, to_input
from archml.metrics import edit_distance
from archml.synth.digit_images import DigitImages
from archml.synth.fonts import handwriting_files
from archml.synth.handwriting import DIGITS, SCAN_SHARE, digit_strip


@dataclass(frozen=True)
class TrainConfig:
    """One training run; saved in the model card."""

    seed: int = 0
    n_train: int = 30_000
    steps: int = 6_000
    batch: int = 64
    lr: float = 2e-3
    threads: int = 1
    distort: float = 0.7
    """Share of each batch distorted on the fly by :func:`distort` (0: the strips as drawn)."""
    hidden: int = 64
    digit_images: str | None = None
    """A bank of real handwritten digit images (:class:`~archml.synth.digit_images.DigitImages`
    ``.npz``) that strips copy digits from; :data:`IMAGES_HELD_OUT` of it is kept for the card."""

    def banks(self) -> tuple[DigitImages, DigitImages] | None:
        """The digit bank split into (training, held out), or ``None`` without one."""
        if self.digit_images is None:
            return None
        return DigitImages.load(self.digit_images).split(IMAGES_HELD_OUT, seed=0)


IMAGES_HELD_OUT = 0.2
"""Share of a digit bank that training never sees (the same split for every seed)."""


class CRNN(nn.Module):
    """Conv features over the strip's height → per-column LSTM → CTC scores ``(N, 32, C)``."""

    def __init__(self, n_classes: int = 1 + len(DIGITS), hidden: int = 64) -> None:
        super().__init__()

        def block(c_in: int, c_out: int, pool: tuple[int, int] | None,
                  kernel: tuple[int, int] = (3, 3)) -> list[nn.Module]:
            pad = (kernel[0] // 2, kernel[1] // 2) if kernel == (3, 3) else 0
            layers: list[nn.Module] = [nn.Conv2d(c_in, c_out, kernel, padding=pad, bias=False),
                                       nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)]
            return [*layers, nn.MaxPool2d(pool)] if pool else layers

        self.features = nn.Sequential(
            *block(1, 12, (2, 2)), *block(12, 24, (2, 2)), *block(24, 48, (2, 1)),
            *block(48, 64, (2, 1)), *block(64, 64, None, (2, 1)))
        self.rnn = nn.LSTM(64, hidden, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * hidden, n_classes)

    @property
    def architecture(self) -> str:
        """What the model card says it is."""
        return f"CRNN + CTC (5 conv blocks, BiLSTM {self.rnn.hidden_size})"

    @property
    def n_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        x = self.features(image).squeeze(2).transpose(1, 2)  # (N, T, 64)
        return self.head(self.rnn(x)[0])


def make_strips(n: int, seed: int, bank: DigitImages | None = None
                ) -> tuple[np.ndarray, list[str]]:
    """``n`` model inputs (uint8, ink 255) and their texts from seed ``seed`` (some copied from
    ``bank``'s digits when given)."""
    rng = np.random.default_rng([seed, 7])
    images = np.empty((n, HEIGHT, WIDTH), np.uint8)
    texts = []
    for i in range(n):
        strip = digit_strip(rng, bank=bank)
        images[i] = np.round(to_input(strip.image) * 255)
        texts.append(strip.text)
    return images, texts


def distort(batch: torch.Tensor, share: float, generator: torch.Generator) -> torch.Tensor:
    """Handwriting variation no two writers share, drawn afresh at every step for ``share`` of
    ``batch`` ``(N, 1, H, W)`` (ink 1): :func:`_warp` then :func:`_pen`."""
    chosen = torch.rand(batch.shape[0], generator=generator) < share
    if not chosen.any():
        return batch
    out = batch.clone()
    out[chosen] = _pen(_warp(batch[chosen], generator), generator)
    return out


def _uniform(k: int, low: float, high: float, generator: torch.Generator) -> torch.Tensor:
    return low + (high - low) * torch.rand(k, generator=generator)


def _warp(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """A small rotation (±4°), scale and shear about the strip's left edge (strips are
    left-aligned), plus an elastic warp: a smooth random displacement of 0.5–1.5 pixels."""
    k, _, h, w = x.shape
    angle, shear = _uniform(k, -0.07, 0.07, generator), _uniform(k, -0.2, 0.2, generator)
    sx, sy = _uniform(k, 0.88, 1.05, generator), _uniform(k, 0.88, 1.1, generator)
    aspect = w / h  # normalised coordinates: x spans ``aspect`` times the pixels of y
    theta = torch.zeros(k, 2, 3)
    theta[:, 0, 0] = torch.cos(angle) / sx
    theta[:, 0, 1] = (shear - torch.sin(angle)) / sx / aspect
    theta[:, 0, 2] = 1 / sx - 1
    theta[:, 1, 0] = torch.sin(angle) * aspect / sy
    theta[:, 1, 1] = torch.cos(angle) / sy
    grid = nn.functional.affine_grid(theta, [k, 1, h, w], align_corners=False)
    coarse = torch.randn(k, 2, 4, 16, generator=generator) \
        * _uniform(k, 0.5, 1.5, generator)[:, None, None, None]
    pixels = nn.functional.interpolate(coarse, size=(h, w), mode="bicubic", align_corners=False)
    grid = grid + pixels.permute(0, 2, 3, 1) * torch.tensor([2 / w, 2 / h])
    return nn.functional.grid_sample(x, grid, align_corners=False, padding_mode="zeros")


def _pen(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """A thicker pen for 20 % of ``x``, a thinner one for 15 % (not where thinning would wipe
    out a thin ballpoint's strokes)."""
    draw = torch.rand(x.shape[0], generator=generator)[:, None, None, None]
    thicker = nn.functional.max_pool2d(x, 3, 1, 1)
    thinner = -nn.functional.max_pool2d(-x, 3, 1, 1)
    keeps_ink = (thinner.sum((1, 2, 3)) > 0.6 * x.sum((1, 2, 3)))[:, None, None, None]
    return torch.where(draw < 0.2, thicker, torch.where((draw > 0.85) & keeps_ink, thinner, x))


def _targets(texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    flat = [DIGITS.index(c) + 1 for t in texts for c in t]
    return torch.tensor(flat, dtype=torch.long), torch.tensor([len(t) for t in texts])


def train(config: TrainConfig, log: Any = print) -> tuple[CRNN, dict[str, Any]]:
    """Draw the strips (:func:`make_strips`), train, and return the model with its training
    time."""
    torch.set_num_threads(config.threads)
    torch.manual_seed(config.seed)
    started = time.perf_counter()
    banks = config.banks()
    images, texts = make_strips(config.n_train, config.seed, banks[0] if banks else None)
    log(f"{len(texts)} strips in {time.perf_counter() - started:.0f} s")
    rng = np.random.default_rng(config.seed)

    def draw() -> tuple[np.ndarray, list[str]]:
        index = rng.integers(0, len(texts), config.batch)
        return images[index], [texts[i] for i in index]

    model = fit(CRNN(hidden=config.hidden), draw, steps=config.steps, lr=config.lr,
                distort_share=config.distort, seed=config.seed, log=log, started=started)
    return model, {"train_seconds": round(time.perf_counter() - started, 1)}


Draw = Callable[[], tuple[np.ndarray, list[str]]]
"""One batch: model inputs ``(N, HEIGHT, WIDTH)`` uint8 (ink 255) and their texts."""


def fit(model: CRNN, draw: Draw, *, steps: int, lr: float, distort_share: float, seed: int,
        log: Any = print, started: float | None = None, frozen_norms: bool = False) -> CRNN:
    """CTC training of ``model`` for ``steps`` batches of ``draw``, distorted on the fly
    (:func:`distort`), AdamW with a one-cycle schedule peaking at ``lr``; ``frozen_norms`` keeps
    the batch norms' statistics (fine-tuning a model read back from ONNX). Returns ``model`` in
    eval mode."""
    started = time.perf_counter() if started is None else started
    generator = torch.Generator().manual_seed(seed)
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, lr, total_steps=steps)
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    model.train()
    for norm in (m for m in model.modules() if frozen_norms and isinstance(m, nn.BatchNorm2d)):
        norm.eval()
    for step in range(1, steps + 1):
        images, texts = draw()
        batch = distort(torch.from_numpy(images).float().unsqueeze(1) / 255, distort_share,
                        generator)
        target, lengths = _targets(texts)
        log_probs = model(batch).log_softmax(2).transpose(0, 1)  # (T, N, C)
        frames = torch.full((len(texts),), log_probs.shape[0], dtype=torch.long)
        loss = ctc(log_probs, target, frames, lengths)
        optimiser.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimiser.step()
        schedule.step()
        if step % 250 == 0 or step == steps:
            log(f"step {step}: ctc {loss.item():.3f} ({time.perf_counter() - started:.0f} s)")
    return model.eval()


def export(model: CRNN, folder: Path, card: dict[str, Any], name: str = "digits") -> Path:
    """Write ``<name>.onnx`` (dynamic batch) and its card with the file's sha256. The
    exporter's warnings about the LSTM's batch size are silenced: the LSTM starts from zero
    states, and readers run batches of any size (tested)."""
    buffer = io.BytesIO()
    model.eval()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Exporting a model to ONNX with a batch_size")
        warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
        torch.onnx.export(model, torch.zeros(1, 1, HEIGHT, WIDTH), buffer, dynamo=False,
                          input_names=["image"], output_names=["logits"], opset_version=17,
                          dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}})
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.onnx"
    path.write_bytes(buffer.getvalue())
    member = {"file": path.name, "sha256": hashlib.sha256(buffer.getvalue()).hexdigest()}
    card = {**card, "charset": DIGITS, "height": HEIGHT, "width": WIDTH, "members": [member]}
    write_card(folder / f"{name}.json", card)
    return path


def strip_accuracy(reader: DigitReader, n: int, seed: int) -> dict[str, float]:
    """Exact-match and per-character accuracy of ``reader`` on fresh strips of ``seed``."""
    rng = np.random.default_rng([seed, 7])
    strips = [digit_strip(rng) for _ in range(n)]
    readings = reader.read([s.image for s in strips])
    return reading_scores([s.text for s in strips], readings)


def load_digits_crops(pairs: bool = False) -> tuple[list[np.ndarray], list[str]]:
    """scikit-learn's real handwritten digits (8×8, 0–16) as dark-on-white crops
    (:meth:`DigitImages.crops`: ×6, a 4-pixel paper margin; ``pairs`` side by side)."""
    from sklearn.datasets import load_digits

    data = load_digits()
    bank = DigitImages((data.images * 255 / 16).astype(np.uint8), data.target, "load_digits")
    return bank.crops(pairs)


def reading_scores(truth: list[str], readings: list[Reading]) -> dict[str, float]:
    """Exact-match and per-character accuracy of ``readings`` against ``truth``."""
    exact = sum(r.text == t for r, t in zip(readings, truth, strict=True))
    chars = sum(len(t) for t in truth)
    errors = sum(edit_distance(r.text, t) for r, t in zip(readings, truth, strict=True))
    return {"n": len(truth), "exact": round(exact / len(truth), 4),
            "char_accuracy": round(1 - errors / chars, 4)}


def evaluate(reader: DigitReader, seed: int, held_out: DigitImages | None = None
             ) -> dict[str, Any]:
    """The card's metrics: held-out synthetic strips, ``load_digits`` (single, pairs) and, when
    given, the held-out part of the digit bank training copied from (single, pairs)."""
    metrics = {"synthetic_heldout": strip_accuracy(reader, 2000, seed)}
    sets = {"load_digits": load_digits_crops}
    if held_out is not None:
        sets["digit_images_heldout"] = held_out.crops
    for name, crops in sets.items():
        for suffix, pairs in (("", False), ("_pairs", True)):
            images, truth = crops(pairs)
            metrics[name + suffix] = reading_scores(truth, reader.read(images))
    return metrics


def run(config: TrainConfig, folder: Path, log: Any = print) -> dict[str, Any]:
    """Train, export to ``folder``, evaluate the exported model and write the final card."""
    model, info = train(config, log)
    card = {"name": "archml handwritten digits",
            "architecture": model.architecture, "parameters": model.n_parameters,
            "training": {**asdict(config), **info, "data": _data_note(config)},
            "licence": "Apache-2.0"}
    export(model, folder, card)
    return _measure(folder, seed=config.seed + 1000, log=log, digit_images=config.digit_images)


def _data_note(config: TrainConfig) -> str:
    """What the strips were drawn from, for the card."""
    fonts = len(handwriting_files())
    if config.digit_images is None:
        sources = f"stroke model 50 %, {fonts} Debian handwriting fonts 40 %"
    else:
        half = SCAN_SHARE * 50
        sources = (f"stroke model {50 - half:.0f} %, {fonts} Debian handwriting fonts"
                   f" {40 - half:.0f} %, real digits {SCAN_SHARE * 100:.0f} %:"
                   f" {100 - IMAGES_HELD_OUT * 100:.0f} % of {Path(config.digit_images).name},"
                   f" {DigitImages.load(config.digit_images).source}")
    return (f"archml.synth.handwriting.digit_strip ({sources}; print 10 %; a third of the stroke"
            " model thin ballpoint cursive; 15 % faded pale ink), distorted on the fly (elastic,"
            " affine, pen)")


def combine(folders: list[Path], folder: Path, log: Any = print) -> dict[str, Any]:
    """One reader of the models :func:`run` wrote to ``folders`` (the same recipe, one seed
    each): their ONNX files copied to ``folder`` as ``digits-<seed>.onnx`` (replacing the ONNX
    files of the reader there) under one card, the card's metrics measured on the members' vote
    (held-out strips of the lowest seed + 1000)."""
    cards = [json.loads((f / "digits.json").read_text("utf-8")) for f in folders]
    seeds = [card["training"]["seed"] for card in cards]
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"the members need different seeds, got {seeds}")
    if folder.resolve() in {f.resolve() for f in folders}:
        raise ValueError(f"{folder} holds a member: combine into another folder")
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("digits*.onnx"):
        stale.unlink()
    members = []
    for source, card, seed in zip(folders, cards, seeds, strict=True):
        (entry,) = card["members"]
        shutil.copyfile(source / entry["file"], folder / f"digits-{seed}.onnx")
        members.append({**entry, "file": f"digits-{seed}.onnx", "seed": seed,
                        "train_seconds": card["training"]["train_seconds"],
                        "metrics": card["metrics"]})
    first = cards[0]
    training = {k: v for k, v in first["training"].items() if k not in ("seed", "train_seconds")}
    card = {**first, "architecture": f"{len(cards)} × {first['architecture']}; the members"
                                      " vote by CTC probability",
            "parameters": sum(c["parameters"] for c in cards),
            "training": {**training, "seeds": seeds}, "members": members}
    write_card(folder / "digits.json", card)
    return _measure(folder, seed=min(seeds) + 1000, log=log,
                    digit_images=training.get("digit_images"))


def _measure(folder: Path, seed: int, log: Any, digit_images: str | None = None
             ) -> dict[str, Any]:
    """Evaluate the reader in ``folder`` (:func:`evaluate`, with the held-out part of the digit
    bank ``digit_images`` when it is still there) and write the metrics into its card."""
    card_path = folder / "digits.json"
    card = json.loads(card_path.read_text("utf-8"))
    banks = TrainConfig(digit_images=digit_images).banks() \
        if digit_images and Path(digit_images).exists() else None
    card["metrics"] = evaluate(DigitReader(folder), seed=seed,
                               held_out=banks[1] if banks else None)
    write_card(card_path, card)
    log(json.dumps(card["metrics"]))
    return card


def write_card(path: Path, card: dict[str, Any]) -> None:
    """The card as indented UTF-8 JSON."""
    path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
