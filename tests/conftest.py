"""Shared fixtures: the bundled real samples and their labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"


def load_labels() -> dict[str, dict]:
    with (SAMPLES / "labels.jsonl").open(encoding="utf-8") as fh:
        return {row["id"]: row for row in map(json.loads, fh)}


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def sample_labels() -> dict[str, dict]:
    return load_labels()
