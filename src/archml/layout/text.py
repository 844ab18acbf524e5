"""Text helpers for matching OCR output: diacritic folding and fuzzy substring similarity."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
from rapidfuzz.distance import Levenshtein

_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case ``text`` without diacritics (``đ`` → ``d``), for OCR-tolerant patterns."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACE.sub(" ", bare).strip().lower()


def normalize(text: str) -> str:
    """NFC, lower case, whitespace collapsed: the form :func:`similarity` compares."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip().lower()


def upper_ratio(text: str) -> float:
    """Share of the letters of ``text`` that are upper case (0 when it has no letters)."""
    letters = [ch for ch in text if ch.isalpha()]
    return sum(ch.isupper() for ch in letters) / len(letters) if letters else 0.0


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions) between ``a`` and ``b``."""
    return Levenshtein.distance(a, b)


def partial_similarity(needle: str, haystack: str) -> float:
    """How well ``needle`` occurs somewhere in ``haystack``, in [0, 1].

    One minus the smallest edit distance between ``needle`` and any substring of ``haystack``
    (Sellers' approximate substring match), divided by the length of ``needle``. Compare
    :func:`normalize`-d or :func:`fold`-ed strings.
    """
    if not needle:
        return 1.0
    hay = _code_points(haystack)
    steps = np.arange(len(hay) + 1)
    previous = np.zeros(len(hay) + 1, dtype=np.int64)  # a match may start anywhere
    for i, cn in enumerate(_code_points(needle), 1):
        current = np.empty_like(previous)
        current[0] = i
        current[1:] = np.minimum(previous[1:] + 1, previous[:-1] + (hay != cn))
        # insertions run along the row: a running minimum of current[j] - j, plus j
        previous = np.minimum.accumulate(current - steps) + steps
    return max(0.0, 1.0 - int(previous.min()) / len(needle))


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def prefix_similarity(text: str, prefix: str) -> float:
    """Similarity of the start of ``text`` to ``prefix`` (both folded), in [0, 1]."""
    head = text[: len(prefix)]
    return 1.0 - levenshtein(head, prefix) / len(prefix) if prefix else 1.0
