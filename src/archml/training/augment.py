"""OCR-noise augmentation: a noisy copy of a document's words that reads like Tesseract's output
on a bad scan, with the field tags carried along.

The generator's own words are exact, but production reads degraded scans whose OCR changes tone
marks (``DÂN`` → ``DẪN``), swaps look-alike characters (``0``/``o``, ``1``/``l``, ``5``/``s``),
drops and adds characters, splits words, loses words and adds specks read as ``-``, ``„`` or
``~``; boxes move with skew, crop and scale. :func:`add_ocr_noise` does all of these at a rate
(roughly the character error rate it adds), deterministically for a given generator, so cheap
ground-truth documents can stand in for OCR'd ones. The rates are hand-set from the errors seen
in OCR'd synthetic training scans, not fitted.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np

from archml.features import OUTSIDE, DocWords

TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
"""Vietnamese tone marks (grave, acute, tilde, hook above, dot below) as combining characters."""
SHAPES = ("\u0302", "\u0306", "\u031b")
"""Letter-shape marks: circumflex (â ê ô), breve (ă), horn (ơ ư)."""
LOOKALIKES: dict[str, str] = {
    "0": "oOD", "o": "0ce", "O": "0QD", "1": "lI|i", "l": "1I|", "I": "l1|", "i": "l1j",
    "2": "z7Z", "3": "8B", "4": "A", "5": "sS6", "6": "b5G", "7": "1T", "8": "B3", "9": "g",
    "a": "oe", "e": "c", "c": "e", "n": "ru", "u": "n", "m": "n", "h": "b", "b": "h", "g": "q",
    "t": "f", "r": "n", "y": "v", "v": "y", "D": "Đ0", "Đ": "D", "đ": "d", "d": "đ", "H": "N",
    "N": "H", "T": "I", ",": ".", ".": ",", ":": ";", "/": "l1",
}
VOWELS = frozenset("aeiouyAEIOUY")
JUNK_CHARS = ".,'`~-_|:;\"„‘“"
JUNK_WORDS = ("-", "~", ".", "„", "‘", "_", "|", "—", "..", "ee", "Ỷ")


def add_ocr_noise(words: DocWords, tags: Sequence[int], tag_names: Sequence[str],
                  rate: float, rng: np.random.Generator) -> tuple[DocWords, list[int]]:
    """A noisy copy of ``words`` and their BIO ``tags`` (ids into ``tag_names``)."""
    boxes = _move_pages(words.boxes, words.pages, rate, rng)
    texts: list[str] = []
    out_boxes: list[np.ndarray] = []
    pages: list[int] = []
    blocks: list[int] = []
    out_tags: list[int] = []
    outside = tag_names.index(OUTSIDE)

    def emit(text: str, box: np.ndarray, i: int, tag: int) -> None:
        texts.append(text)
        out_boxes.append(box)
        pages.append(int(words.pages[i]))
        blocks.append(int(words.blocks[i]))
        out_tags.append(tag)

    for i, text in enumerate(words.texts):
        box, tag = boxes[i], int(tags[i])
        if rng.random() < rate / 4:
            emit(str(rng.choice(JUNK_WORDS)), _speck(box, rng), i, outside)
        if rng.random() < rate / 6:
            continue
        noisy = noisy_text(text, rate, rng)
        if not noisy.strip():
            continue
        if len(noisy) > 3 and rng.random() < rate / 6:
            cut = int(rng.integers(1, len(noisy)))
            left, right = _split_box(box, cut / len(noisy))
            emit(noisy[:cut], left, i, tag)
            emit(noisy[cut:], right, i, _inside(tag, tag_names))
        else:
            emit(noisy, box, i, tag)
    fixed = _repair_bio(out_tags, tag_names)
    return DocWords(texts, np.asarray(out_boxes, dtype=np.int32).reshape(-1, 4),
                    np.asarray(pages, dtype=np.int32),
                    np.asarray(blocks, dtype=np.int32)), fixed


def noisy_text(text: str, rate: float, rng: np.random.Generator) -> str:
    """``text`` with about ``rate`` of its characters misread (NFC in, NFC out)."""
    chars: list[str] = []
    for ch in text:
        if rng.random() >= rate:
            chars.append(ch)
            continue
        op = rng.random()
        if op < 0.35:
            chars.append(_retone(ch, rng))
        elif op < 0.6:
            chars.append(str(rng.choice(list(LOOKALIKES[ch]))) if ch in LOOKALIKES
                         else _retone(ch, rng))
        elif op < 0.8:
            continue
        elif op < 0.9:
            chars.extend((ch, str(rng.choice(list(JUNK_CHARS)))))
        else:
            chars.append(ch.swapcase())
    return unicodedata.normalize("NFC", "".join(chars))


def _retone(ch: str, rng: np.random.Generator) -> str:
    """``ch`` with another tone mark, or its shape mark dropped (vowels only)."""
    parts = unicodedata.normalize("NFD", ch)
    base, marks = parts[0], list(parts[1:])
    if base not in VOWELS:
        return ch
    shapes = [m for m in marks if m in SHAPES]
    if shapes and rng.random() < 0.3:
        shapes = []
    tone = [] if rng.random() < 0.3 else [str(rng.choice(TONES))]
    return unicodedata.normalize("NFC", base + "".join(shapes + tone))


def _move_pages(boxes: np.ndarray, pages: np.ndarray, rate: float,
                rng: np.random.Generator) -> np.ndarray:
    """Boxes under a per-page scale, shift and small rotation (skew, crop) plus word jitter."""
    moved = boxes.astype(np.float64)
    for page in np.unique(pages):
        rows = pages == page
        scale = 1 + rng.uniform(-0.04, 0.04, size=2)
        shift = rng.uniform(-25, 25, size=2)
        slope = np.tan(np.radians(rng.uniform(-2, 2)))
        x, y = moved[rows][:, [0, 2]], moved[rows][:, [1, 3]]
        centre_x = (x.mean(axis=1, keepdims=True) - 500)
        moved[rows, 0::2] = x * scale[0] + shift[0]
        moved[rows, 1::2] = y * scale[1] + shift[1] + centre_x * slope
    moved += rng.normal(0, 2 + 20 * rate, size=moved.shape)
    moved = np.clip(moved, 0, 1000)
    x0, x1 = np.minimum(moved[:, 0], moved[:, 2]), np.maximum(moved[:, 0], moved[:, 2])
    y0, y1 = np.minimum(moved[:, 1], moved[:, 3]), np.maximum(moved[:, 1], moved[:, 3])
    return np.stack([x0, y0, x1, y1], axis=1).round().astype(np.int32)


def _speck(box: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A small box just left of ``box``: dirt read as a word."""
    x0, y0, _, y1 = (int(v) for v in box)
    width = int(rng.integers(2, 12))
    left = max(0, x0 - width - 3)
    return np.asarray([left, y0, left + width, y1], dtype=np.int32)


def _split_box(box: np.ndarray, share: float) -> tuple[np.ndarray, np.ndarray]:
    x0, y0, x1, y1 = (int(v) for v in box)
    cut = x0 + round((x1 - x0) * share)
    return (np.asarray([x0, y0, cut, y1], dtype=np.int32),
            np.asarray([cut, y0, x1, y1], dtype=np.int32))


def _inside(tag: int, tag_names: Sequence[str]) -> int:
    """The ``I-`` tag continuing ``tag`` (``O`` stays ``O``)."""
    name = tag_names[tag]
    return tag_names.index(f"I-{name[2:]}") if name != OUTSIDE else tag


def _repair_bio(tags: list[int], tag_names: Sequence[str]) -> list[int]:
    """Make an ``I-f`` that lost its ``B-f``/``I-f`` predecessor (a dropped word) a ``B-f``."""
    fixed = list(tags)
    for i, tag in enumerate(fixed):
        name = tag_names[tag]
        if name.startswith("I-"):
            previous = tag_names[fixed[i - 1]] if i else OUTSIDE
            if previous[2:] != name[2:]:
                fixed[i] = tag_names.index(f"B-{name[2:]}")
    return fixed
