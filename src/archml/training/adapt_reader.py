"""Adapt the digit reader to an archive's hands: fine-tune its members on labelled fill-in crops.

Each member of the base reader is read back from its ONNX file (:func:`~archml.training.
reader_weights.crnn_from_onnx`), trained for a few hundred steps on batches that mix the
archive's crops (:mod:`archml.training.fillin_crops`) with fresh synthetic strips, so it keeps
reading the hands it knew, and exported again; :func:`~archml.training.handwriting.combine`
makes the members one reader and measures it on the standard checks. The card records the
adaptation and, on crops of records kept out of it, exact match before and after. The result
is a reader folder for ``stage_options: {"fillins": {"model_dir": ...}}``.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from archml.fillins.recognizer import DigitReader, to_input
from archml.training.data import Record
from archml.training.fillin_crops import FillinCrop
from archml.training.handwriting import (
    Draw,
    combine,
    export,
    fit,
    make_strips,
    reading_scores,
    write_card,
)
from archml.training.reader_weights import crnn_from_onnx


@dataclass(frozen=True)
class AdaptConfig:
    """One adaptation; saved in the model card."""

    steps: int = 400
    batch: int = 32
    lr: float = 3e-4
    archive_share: float = 0.25
    """Share of each batch drawn from the archive's crops; the rest are synthetic strips."""
    n_synthetic: int = 4000
    distort: float = 0.7
    seed: int = 0
    threads: int = 1

    def __post_init__(self) -> None:
        if not 0.0 < self.archive_share <= 1.0:
            raise ValueError("archive_share must be above 0 and at most 1")
        if self.steps < 1 or self.batch < 2:
            raise ValueError("steps must be at least 1 and batch at least 2")


def split_records(records: Sequence[Record], share: float, seed: int
                  ) -> tuple[list[Record], list[Record]]:
    """``records`` parted into those to adapt to and ``share`` of them (by record, so no
    document's crops are on both sides) kept out to measure the adaptation."""
    rng = np.random.default_rng(seed)
    kept_out = set(rng.permutation(len(records))[:round(share * len(records))].tolist())
    return ([r for i, r in enumerate(records) if i not in kept_out],
            [r for i, r in enumerate(records) if i in kept_out])


def crop_accuracy(reader: DigitReader, crops: Sequence[FillinCrop]) -> dict[str, float]:
    """Exact-match and per-character accuracy of ``reader`` on labelled crops."""
    return reading_scores([c.text for c in crops], reader.read([c.image for c in crops]))


def adapt(base: Path, crops: Sequence[FillinCrop], folder: Path,
          config: AdaptConfig | None = None, held_out: Sequence[FillinCrop] = (),
          source: str = "", log: Any = print) -> dict[str, Any]:
    """Fine-tune every member of the reader in ``base`` on ``crops`` and write the adapted
    reader to ``folder`` (not ``base``); returns its card."""
    config = config or AdaptConfig()
    if not crops:
        raise ValueError("no labelled crops to adapt to")
    if folder.resolve() == base.resolve():
        raise ValueError(f"{folder} holds the base reader: write the adapted one elsewhere")
    torch.set_num_threads(config.threads)
    base_card = DigitReader(base).card
    archive = np.stack([np.round(to_input(c.image) * 255).astype(np.uint8) for c in crops])
    texts = [c.text for c in crops]
    strips, strip_texts = make_strips(config.n_synthetic, config.seed + 500)
    adaptation = {**asdict(config), "source": source, "crops": len(crops),
                  "records": len({c.record for c in crops}),
                  "base": {"name": base_card["name"], "metrics": base_card.get("metrics", {}),
                           "members": [m["sha256"] for m in base_card["members"]]}}
    with tempfile.TemporaryDirectory() as scratch:
        folders = []
        for member in base_card["members"]:
            started = time.perf_counter()
            seed = int(member.get("seed", len(folders)))
            rng = np.random.default_rng([config.seed, seed])
            draw = _mixed_batches(archive, texts, strips, strip_texts, config, rng)
            model = fit(crnn_from_onnx(base / member["file"]), draw, steps=config.steps,
                        lr=config.lr, distort_share=config.distort, seed=config.seed + seed,
                        log=log, started=started, frozen_norms=True)
            folders.append(Path(scratch) / f"member-{seed}")
            training = {k: v for k, v in base_card["training"].items() if k != "seeds"}
            export(model, folders[-1], {
                "name": f"{base_card['name']}, adapted", "architecture": model.architecture,
                "parameters": model.n_parameters, "licence": base_card.get("licence"),
                "training": {**training, "seed": seed,
                             "train_seconds": round(time.perf_counter() - started, 1)},
                "adaptation": adaptation, "metrics": {}})
        card = combine(folders, folder, log=log)
    if held_out:
        adaptation["held_out"] = {
            "records": len({c.record for c in held_out}),
            "before": crop_accuracy(DigitReader(base), held_out),
            "after": crop_accuracy(DigitReader(folder), held_out)}
        card["adaptation"] = adaptation
        write_card(folder / "digits.json", card)
    return card


def _mixed_batches(archive: np.ndarray, texts: list[str], strips: np.ndarray,
                   strip_texts: list[str], config: AdaptConfig, rng: np.random.Generator) -> Draw:
    """Batches of :attr:`AdaptConfig.archive_share` archive crops, the rest synthetic strips."""
    own = max(1, round(config.batch * config.archive_share))

    def draw() -> tuple[np.ndarray, list[str]]:
        mine = rng.integers(0, len(texts), own)
        other = rng.integers(0, len(strip_texts), config.batch - own)
        return (np.concatenate([archive[mine], strips[other]]),
                [texts[i] for i in mine] + [strip_texts[i] for i in other])

    return draw
