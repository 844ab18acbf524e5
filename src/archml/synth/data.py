"""The generator's value lists (``archml/data/synth/*.json``), loaded once per process.

The lists and their sources are described in ``archml/data/synth/SOURCES.md``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> Any:
    """The parsed JSON list ``name`` (``"names"``, ``"places"``, ``"organs"``, ``"text"``)."""
    path = resources.files("archml") / "data" / "synth" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def text(key: str) -> list[Any]:
    """One list of ``text.json`` (sentences, subjects, crimes, ...)."""
    return load("text")[key]
