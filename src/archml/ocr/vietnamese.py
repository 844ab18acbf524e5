"""Vietnamese letters and syllables: what an OCR dictionary must hold, what a word may look like.

Vietnamese writes 12 vowels (a ă â e ê i o ô ơ u ư y), each with one of five tone marks or none,
plus đ. The accented letters are those vowels with a tone mark (12 × 5 = 60), the six modified
vowels without one (ă â ê ô ơ ư) and đ: 67 lowercase, :data:`VIETNAMESE_LETTERS` holds 134 with
the uppercase forms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

VOWELS = "aăâeêioôơuưy"
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


def _letters() -> frozenset[str]:
    lower = {unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONE_MARKS}
    lower |= set("ăâêôơưđ")
    return frozenset(lower | {c.upper() for c in lower})


VIETNAMESE_LETTERS: frozenset[str] = _letters()
"""The 134 accented Vietnamese letters (67 lowercase, 67 uppercase), NFC."""


@dataclass(frozen=True)
class Coverage:
    """Which accented Vietnamese letters a recognition dictionary can produce."""

    present: frozenset[str]
    missing: frozenset[str]

    @property
    def ratio(self) -> float:
        return len(self.present) / len(VIETNAMESE_LETTERS)

    @property
    def complete(self) -> bool:
        return not self.missing


def dictionary_coverage(chars: Iterable[str]) -> Coverage:
    """Coverage of :data:`VIETNAMESE_LETTERS` by a dictionary's entries.

    A letter counts as present if the dictionary holds it precomposed, or holds its toneless
    letter (or every part of its decomposition) plus its combining tone mark, since a model can
    then emit it as a sequence.
    """
    entries = {unicodedata.normalize("NFC", c) for c in chars}

    def covered(letter: str) -> bool:
        parts = unicodedata.normalize("NFD", letter)
        tones = [p for p in parts if p in TONE_MARKS]
        return letter in entries or all(p in entries for p in parts) or (
            strip_tones(letter) in entries and all(t in entries for t in tones))

    present = frozenset(letter for letter in VIETNAMESE_LETTERS if covered(letter))
    return Coverage(present=present, missing=VIETNAMESE_LETTERS - present)


_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?"  # onset
    r"[aăâeêioôơuưy]{1,3}"  # nucleus, with glides
    r"(ch|ng|nh|[cmnpt])?"  # coda
)
_ABBREVIATION = re.compile(r"[A-ZĐ]{1,8}|[A-ZĐ][A-Za-zĐđ]{1,3}")  # UBND, QĐ, TTr, HĐND
_SEPARATORS = re.compile(r"[-/.,:;–—()]+")
_EDGE_PUNCTUATION = "\"'“”‘’()[]{}<>«».,:;!?…-–—*•"


def strip_tones(text: str) -> str:
    """``text`` without tone marks, keeping ă â ê ô ơ ư đ (NFC)."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))


def is_syllable(word: str) -> bool:
    """Whether ``word`` (letters only) is a well-formed Vietnamese syllable, any case or tone."""
    return _SYLLABLE.fullmatch(strip_tones(word.lower())) is not None


def has_diacritics(word: str) -> bool:
    """Whether ``word`` holds an accented Vietnamese letter."""
    return any(c in VIETNAMESE_LETTERS for c in unicodedata.normalize("NFC", word))


def is_plausible_token(word: str) -> bool | None:
    """Whether a printed word looks like Vietnamese text, a number or an abbreviation.

    ``None`` for punctuation-only words, which say nothing either way. Pieces between separators
    (``-/.,:;``) must each be digits, a syllable or an abbreviation, so ``15/QĐ-UBND`` and
    ``05/01/2020`` pass while mojibake (``Qu¶ng``) and letter soup fail.
    """
    core = unicodedata.normalize("NFC", word).strip(_EDGE_PUNCTUATION)
    if not core:
        return None
    for piece in _SEPARATORS.split(core):
        if not piece:
            continue
        if not piece.isalnum():
            return False
        if not (len(piece) == 1 or piece.isdigit() or is_syllable(piece)
                or _ABBREVIATION.fullmatch(piece) or _is_numbered(piece)):
            return False
    return True


def _is_numbered(piece: str) -> bool:
    """Digits with a letter suffix or prefix: ``2a``, ``K3``."""
    return any(c.isdigit() for c in piece) and sum(c.isalpha() for c in piece) <= 2
