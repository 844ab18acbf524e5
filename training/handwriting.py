"""Recipe: train the shipped handwritten-digit reader and write it into the package.

    .venv/bin/python training/handwriting.py [--steps 6000] [--n-train 30000] \
        [--out src/archml/models/handwriting]

CPU, one thread (about 17 minutes on a shared 2-core machine): synthetic strips from
``archml.synth.handwriting`` (seed 0), CTC training with on-the-fly distortion, ONNX export, card
with the sha256 and the metrics on held-out synthetic strips (seed 1000) and on scikit-learn's
``load_digits``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from archml.training.handwriting import TrainConfig, run

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=TrainConfig.steps)
    parser.add_argument("--n-train", type=int, default=TrainConfig.n_train)
    parser.add_argument("--seed", type=int, default=TrainConfig.seed)
    parser.add_argument("--out", type=Path, default=REPO / "src/archml/models/handwriting")
    args = parser.parse_args()
    run(TrainConfig(seed=args.seed, n_train=args.n_train, steps=args.steps), args.out)


if __name__ == "__main__":
    main()
