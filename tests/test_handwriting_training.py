"""Training the digit reader: on-the-fly distortion, a short real training run, ONNX export and
loading the export in the torch-free runtime (real ONNX Runtime session)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from archml.fillins.recognizer import HEIGHT, WIDTH, DigitReader  # noqa: E402
from archml.synth.digit_images import DigitImages  # noqa: E402
from archml.synth.handwriting import digit_strip  # noqa: E402
from archml.training.handwriting import (  # noqa: E402
    CRNN,
    IMAGES_HELD_OUT,
    TrainConfig,
    combine,
    distort,
    export,
    make_strips,
    run,
    train,
)


def _batch(n: int = 8) -> torch.Tensor:
    images, _ = make_strips(n, seed=3)
    return torch.from_numpy(images).float().unsqueeze(1) / 255


def test_distort_changes_only_the_chosen_share_and_keeps_the_ink() -> None:
    batch = _batch()
    assert torch.equal(distort(batch, 0.0, torch.Generator().manual_seed(0)), batch)
    out = distort(batch, 1.0, torch.Generator().manual_seed(0))
    assert out.shape == batch.shape and float(out.min()) >= 0.0 and float(out.max()) <= 1.0
    for before, after in zip(batch, out, strict=True):
        assert not torch.equal(before, after)
        # a warp moves the ink, it does not wipe it out or flood the strip
        assert 0.4 < float(after.sum()) / float(before.sum()) < 2.5
    again = distort(batch, 1.0, torch.Generator().manual_seed(0))
    assert torch.equal(out, again)  # deterministic for a generator
    half = distort(batch, 0.5, torch.Generator().manual_seed(1))
    changed = [not torch.equal(a, b) for a, b in zip(batch, half, strict=True)]
    assert 0 < sum(changed) < len(changed)


def test_a_short_run_trains_exports_and_loads_in_the_runtime(tmp_path: Path) -> None:
    config = TrainConfig(n_train=64, steps=30, batch=16, lr=3e-3, distort=0.5, hidden=16)
    logs: list[str] = []
    model, info = train(config, logs.append)
    assert isinstance(model, CRNN) and not model.training and info["train_seconds"] > 0
    assert logs[0].startswith("64 strips in ") and logs[-1].startswith("step 30: ctc ")
    export(model, tmp_path, {"name": "tiny", "training": {"steps": config.steps}})
    card = json.loads((tmp_path / "digits.json").read_text("utf-8"))
    assert (card["height"], card["width"], card["charset"]) == (HEIGHT, WIDTH, "0123456789")
    reader = DigitReader(tmp_path)  # verifies the card's sha256 against the file
    rng = np.random.default_rng(5)
    strips = [digit_strip(rng) for _ in range(4)]
    readings = reader.read([s.image for s in strips])
    assert len(readings) == 4
    assert all(set(r.text) <= set("0123456789") and 0.0 <= r.confidence <= 1.0
               for r in readings)
    batch = _batch(4)
    with torch.no_grad():  # the export computes what the torch model computes
        expected = model(batch).numpy()
    got = reader.sessions[0].run(None, {"image": batch.numpy()})[0]
    assert got.shape == (4, WIDTH // 4, 11) and np.allclose(got, expected, atol=1e-4)


def test_combine_makes_one_reader_whose_members_vote(tmp_path: Path) -> None:
    folders = []
    for seed in (3, 4):
        config = TrainConfig(seed=seed, n_train=32, steps=5, batch=8, hidden=8)
        model, info = train(config, lambda _: None)
        folders.append(tmp_path / f"seed{seed}")
        export(model, folders[-1], {"architecture": "tiny", "parameters": 10,
                                    "training": {"seed": seed, **info}, "metrics": {}})
    card = combine(folders, tmp_path / "both", log=lambda _: None)
    assert [m["file"] for m in card["members"]] == ["digits-3.onnx", "digits-4.onnx"]
    assert card["training"]["seeds"] == [3, 4] and card["parameters"] == 20
    assert card["metrics"]["load_digits"]["n"] == 1797
    reader = DigitReader(tmp_path / "both")
    alone = DigitReader(tmp_path / "seed3")
    assert len(reader.sessions) == 2
    crops = [digit_strip(np.random.default_rng(6)).image for _ in range(3)]
    for both, one in zip(reader.read(crops), alone.read(crops), strict=True):
        assert both.probs.shape[0] == 2 and np.allclose(both.probs[0], one.probs[0], atol=1e-5)
    with pytest.raises(ValueError, match="different seeds"):
        combine([folders[0], folders[0]], tmp_path / "twice")
    with pytest.raises(ValueError, match="holds a member"):
        combine(folders, folders[1])


SHORT_RUN = """
import hashlib
from archml.training.handwriting import TrainConfig, train
model, _ = train(TrainConfig(seed=2, n_train=48, steps=12, batch=8, hidden=8), lambda _: None)
print(hashlib.sha256(b"".join(t.numpy().tobytes() for t in model.state_dict().values()))
      .hexdigest())
"""


def test_a_seed_trains_the_same_weights_in_every_process() -> None:
    """Strips, batches and distortion follow the seed alone (not Python's string hashing):
    two processes train the same weights (CPU, one thread)."""
    digests = {subprocess.run([sys.executable, "-c", SHORT_RUN], check=True, text=True,
                              capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed}
                              ).stdout.strip() for seed in ("1", "2")}
    assert len(digests) == 1 and len(digests.pop()) == 64


def test_a_run_with_a_digit_bank_draws_from_it_and_measures_its_held_out_part(
        tmp_path: Path) -> None:
    bank = DigitImages(*load_digits_bank(), source="scikit-learn load_digits")
    bank.save(tmp_path / "bank.npz")
    config = TrainConfig(n_train=40, steps=4, batch=8, hidden=8,
                         digit_images=str(tmp_path / "bank.npz"))
    train_part, held = config.banks()
    assert len(held.labels) == round(IMAGES_HELD_OUT * len(bank.labels))
    _, texts = make_strips(200, seed=1, bank=train_part)
    plain = make_strips(200, seed=1)
    assert texts != plain[1]  # the bank's strips take draws of their own
    card = run(config, tmp_path / "model", log=lambda _: None)
    metrics = card["metrics"]
    assert metrics["digit_images_heldout"]["n"] == len(held.labels)
    assert metrics["digit_images_heldout_pairs"]["n"] == len(held.labels) // 2
    assert ("real digits 20 %: 80 % of bank.npz, scikit-learn load_digits;"
            in card["training"]["data"])
    assert card["training"]["digit_images"].endswith("bank.npz")


def load_digits_bank() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's digits as a bank's arrays (8×8 scaled to 0–255)."""
    from sklearn.datasets import load_digits

    data = load_digits()
    return (data.images * 255 / 16).astype(np.uint8)[:300], data.target[:300]
