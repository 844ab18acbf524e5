"""Text helpers for matching OCR output: diacritic folding and fuzzy substring similarity."""

from __future__ import annotations

import re
import unicodedata

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
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def partial_similarity(needle: str, haystack: str) -> float:
    """How well ``needle`` occurs somewhere in ``haystack``, in [0, 1].

    One minus the smallest edit distance between ``needle`` and any substring of ``haystack``
    (Sellers' approximate substring match), divided by the length of ``needle``. Compare
    :func:`normalize`-d or :func:`fold`-ed strings.
    """
    if not needle:
        return 1.0
    previous = [0] * (len(haystack) + 1)  # a match may start anywhere in the haystack
    for i, cn in enumerate(needle, 1):
        current = [i]
        for j, ch in enumerate(haystack, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (cn != ch)))
        previous = current
    return max(0.0, 1.0 - min(previous) / len(needle))


def prefix_similarity(text: str, prefix: str) -> float:
    """Similarity of the start of ``text`` to ``prefix`` (both folded), in [0, 1]."""
    head = text[: len(prefix)]
    return 1.0 - levenshtein(head, prefix) / len(prefix) if prefix else 1.0
