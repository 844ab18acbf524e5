"""OCR-aware text matching: NFC, diacritic-insensitive and OCR-confusion-tolerant comparison, and
fuzzy search of a value among OCR words (returning the word span, so a field keeps its box).

Folding and edit distance come from :mod:`archml.layout.text`; this module adds the OCR
confusions the layout patterns do not need: ``0/O``, ``1/l/I/|``, ``Đ/D/Ð`` (the Icelandic eth
that Tesseract emits for ``Đ``) and digits read as letters in numeric slots.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from archml.document import Box, Word, nfc
from archml.layout.text import fold, levenshtein, partial_similarity

__all__ = [
    "Span", "clean", "contains", "digits", "find_span", "fold", "fold_aligned", "match_key",
    "restore_tones", "similarity", "snap", "span_words", "tone_vocabulary",
]

_LOOKALIKE_LETTERS = str.maketrans({"Ð": "Đ", "ð": "đ", "Ɖ": "Đ", "ɖ": "đ"})
_CONFUSIONS = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "!": "l"})
_DIGIT_LOOKALIKES = str.maketrans({
    "o": "0", "O": "0", "Ø": "0", "ø": "0", "Ô": "0", "ô": "0",
    "l": "1", "i": "1", "I": "1", "|": "1", "!": "1", "í": "1", "ì": "1", "ỉ": "1", "]": "1",
    "S": "5", "s": "5", "$": "5", "B": "8", "Z": "2", "z": "2",
})
_SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    """NFC, OCR look-alikes of ``Đ`` fixed (``Ð`` → ``Đ``), whitespace runs collapsed."""
    return _SPACE.sub(" ", nfc(text).translate(_LOOKALIKE_LETTERS)).strip()


def fold_aligned(text: str) -> str:
    """:func:`fold` character by character, so the result has the length of ``text`` and a
    regex span on it is the same span of ``text`` (whitespace is kept, not collapsed)."""
    return "".join(f if len(f := fold(ch)) == 1 else ch.lower() for ch in text)


def match_key(text: str) -> str:
    """The form two strings are compared in: folded (no case, tones, ``đ`` → ``d``) with the
    usual OCR confusions merged (``0``≡``o``, ``1``≡``l``≡``i``≡``|``)."""
    return fold(clean(text)).translate(_CONFUSIONS)


def similarity(a: str, b: str) -> float:
    """How alike ``a`` and ``b`` are under :func:`match_key`, in [0, 1] (1: same key)."""
    ka, kb = match_key(a), match_key(b)
    longest = max(len(ka), len(kb))
    return 1.0 - levenshtein(ka, kb) / longest if longest else 1.0


def contains(haystack: str, needle: str) -> float:
    """How well ``needle`` occurs somewhere in ``haystack`` under :func:`match_key`, in [0, 1]."""
    return partial_similarity(match_key(needle), match_key(haystack))


def digits(token: str) -> str | None:
    """``token`` read as a number where OCR swapped digits for letters (``Ø3`` → ``03``,
    ``l2`` → ``12``); ``None`` unless every character then is a digit."""
    core = token.strip(" .,:;'\"`()[]{}")
    repaired = core.translate(_DIGIT_LOOKALIKES)
    return repaired if repaired.isdigit() and repaired.isascii() else None


def snap(text: str, choices: Sequence[str], threshold: float = 0.8) -> str | None:
    """The choice most :func:`similar <similarity>` to ``text``, if it reaches ``threshold``."""
    scored = [(similarity(text, c), c) for c in choices]
    score, best = max(scored, default=(0.0, None))
    return best if score >= threshold else None


def tone_vocabulary(words: Sequence[str]) -> dict[str, str]:
    """Folded word → its most frequent spelling with tone marks among ``words`` (lower case)."""
    counts: dict[str, dict[str, int]] = {}
    for word in words:
        core = clean(word).strip(".,:;()\"'").lower()
        if core.isalpha() and fold(core) != core:
            forms = counts.setdefault(fold(core), {})
            forms[core] = forms.get(core, 0) + 1
    return {key: max(forms, key=forms.__getitem__) for key, forms in counts.items()}


def restore_tones(text: str, vocabulary: dict[str, str]) -> str:
    """``text`` respelled from ``vocabulary`` (see :func:`tone_vocabulary`) when OCR dropped
    every diacritic of it (``TINH QUANG NGAI``); text with any diacritic is returned as is,
    since plain words (``Vị Thanh``) are then spelled that way on purpose."""
    if not clean(text).isascii():
        return clean(text)
    def respell(word: str) -> str:
        form = vocabulary.get(word.lower()) if word.isascii() and word.isalpha() else None
        if form is None or len(word) < 2:
            return word
        return form.upper() if word.isupper() else form[0].upper() + form[1:] \
            if word[0].isupper() else form
    return " ".join(respell(w) for w in clean(text).split(" "))


@dataclass(frozen=True)
class Span:
    """Words ``start:end`` of a word list that match a value, with the match score."""

    start: int
    end: int
    score: float

    def box(self, words: Sequence[Word]) -> Box:
        return Box.enclosing(w.box for w in words[self.start:self.end])


def find_span(value: str, words: Sequence[Word], threshold: float = 0.8) -> Span | None:
    """The run of ``words`` most similar to ``value`` (OCR-tolerant), or ``None`` below
    ``threshold``. Runs of one word fewer to one word more than ``value`` has are tried."""
    n = len(value.split())
    if not n or not words:
        return None
    target = match_key(value)
    keys = [match_key(w.text) for w in words]  # a run's key is its words' keys joined
    best: Span | None = None
    for size in range(max(1, n - 1), n + 2):
        for start in range(0, len(words) - size + 1):
            key = " ".join(k for k in keys[start:start + size] if k)
            longest = max(len(target), len(key))
            score = 1.0 - levenshtein(target, key) / longest if longest else 1.0
            if best is None or score > best.score:
                best = Span(start, start + size, score)
    return best if best is not None and best.score >= threshold else None


def span_words(words: Sequence[Word], start: int, end: int) -> list[Word]:
    """The words of ``" ".join(w.text for w in words)`` that characters ``start:end`` touch."""
    picked, offset = [], 0
    for word in words:
        stop = offset + len(word.text)
        if offset < end and stop > start:
            picked.append(word)
        offset = stop + 1
    return picked
