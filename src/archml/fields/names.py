"""Vietnamese personal names: NFC, casing, honorifics and common OCR confusions.

``normalize_name`` gives the form labels use: each syllable capitalised (``NGUYỄN TÂN BỬU`` →
``Nguyễn Tân Bửu``), honorifics and field labels dropped (``Ông``, ``Bà``, ``Họ và tên:``),
stray OCR marks at the edges removed (``"Trân Ngọc Căng``), ``Ð`` → ``Đ`` and digits inside
words read as letters (``Nguy3n`` is left alone: only ``0`` → ``O`` and ``1`` → ``l``/``I``).
"""

from __future__ import annotations

import re

from archml.fields.organs import modern_tones
from archml.fields.text import clean, fold
from archml.ocr.vietnamese import is_syllable

_HONORIFICS = ("ong ba", "ong", "ba", "anh", "chi", "cu", "ho va ten", "ho ten", "ho, chu dem, ten",
               "ho, chu dem va ten")
_DIGIT_LETTERS = str.maketrans({"0": "o", "1": "l"})
_EDGE = re.compile(r"^[^\w]+|[^\w]+$")


def _strip_honorific(text: str) -> str:
    words = text.split()
    for prefix in sorted(_HONORIFICS, key=len, reverse=True):
        size = len(prefix.split())
        head = fold(" ".join(words[:size])).rstrip(":")
        if len(words) > size and head == prefix:
            return " ".join(words[size:]).lstrip(": ")
        if len(words) > size and fold(" ".join(words[:size])) == prefix + ":":
            return " ".join(words[size:])
    return text


def _word(token: str) -> str:
    core = _EDGE.sub("", token)
    if any(c.isalpha() for c in core):
        core = core.translate(_DIGIT_LETTERS)
    return core[:1].upper() + core[1:].lower()


def normalize_name(text: str) -> str:
    """A personal name in label form: ``Nguyễn Văn An`` (see the module doc)."""
    bare = _strip_honorific(clean(text).replace(":", ": ").strip())
    words = [_word(t) for t in bare.split()]
    return modern_tones(" ".join(w for w in words if w))


def format_name(name: str, upper: bool = False) -> str:
    """``name`` as printed: upper case on civil-status forms (``upper``), else as normalised."""
    normal = normalize_name(name)
    return normal.upper() if upper else normal


def name_problems(name: str) -> list[str]:
    """Why ``name`` does not look like a Vietnamese personal name (empty when it does)."""
    words = name.split()
    problems = []
    if len(words) < 2:
        problems.append("a personal name has at least a family name and a given name")
    if any(any(c.isdigit() for c in w) for w in words):
        problems.append("the name contains digits")
    odd = [w for w in words if w.isalpha() and not is_syllable(w)]
    if odd:
        problems.append(f"not Vietnamese syllables: {', '.join(odd)}")
    return problems
