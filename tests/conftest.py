"""Shared fixtures: the bundled real samples and their labels.

Tests run the rule pipeline unless they name a model: the shipped default model would
otherwise join every default pipeline (``ARCHML_MODEL=none``; see ``tests/test_runtime.py``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ["ARCHML_MODEL"] = "none"

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
