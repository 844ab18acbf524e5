"""OCR text metrics: character error rate and word accuracy by edit distance.

Texts are compared in NFC with every whitespace run (line breaks included) folded to one space,
so layout differences in spacing do not count but reading-order differences do. When the
reading order is not what is being measured (a two-column header read row by row),
:func:`follow_reference_order` first rearranges the hypothesis into the reference's line order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from archml.document import nfc


def normalize_text(text: str) -> str:
    """NFC, whitespace runs folded to single spaces, stripped."""
    return " ".join(nfc(text).split())


def edit_distance(a: Sequence, b: Sequence) -> int:
    """Levenshtein distance (unit insert, delete, substitute) between two sequences.

    Row by row with numpy: the insertion chain of a row is a running minimum, so each row costs
    a few vector operations and a page (thousands of characters) takes milliseconds.
    """
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    codes: dict = {}
    xa = np.array([codes.setdefault(t, len(codes)) for t in a], dtype=np.int64)
    xb = np.array([codes.setdefault(t, len(codes)) for t in b], dtype=np.int64)
    return int(_last_row(xa, xb, np.arange(len(xb) + 1, dtype=np.int64))[-1])


def _last_row(pattern: np.ndarray, text: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Last row of the edit-distance table of ``pattern`` against ``text``, from row ``first``.

    ``row[j] = min(sub[j], row[j-1] + 1)`` is a running minimum of ``sub[j] - j``, plus ``j``.
    """
    steps = np.arange(len(text) + 1, dtype=np.int64)
    row = first
    for i, token in enumerate(pattern, start=1):
        best = np.minimum(row[:-1] + (text != token), row[1:] + 1)
        row = np.minimum.accumulate(np.concatenate(([i], best)) - steps) + steps
    return row


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate: edit distance over the reference length (0 when both are empty)."""
    ref, hyp = normalize_text(reference), normalize_text(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return edit_distance(ref, hyp) / len(ref)


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate: word-level edit distance over the number of reference words."""
    ref, hyp = normalize_text(reference).split(), normalize_text(hypothesis).split()
    if not ref:
        return 0.0 if not hyp else 1.0
    return edit_distance(ref, hyp) / len(ref)


def word_accuracy(reference: str, hypothesis: str) -> float:
    """``1 - WER``, floored at 0: the share of reference words read correctly."""
    return max(0.0, 1.0 - wer(reference, hypothesis))


def follow_reference_order(reference: str, hypothesis: str) -> str:
    """The hypothesis rearranged into the reference's line order, for order-free scoring.

    Each reference line, longest first, claims the span of the hypothesis it matches best
    (approximate substring match); spans are emitted in reference order, and whatever no line
    claimed follows at the end, so it still counts as inserted text.
    """
    lines = [normalize_text(ln) for ln in reference.splitlines()]
    hyp = normalize_text(hypothesis)
    codes: dict[str, int] = {}
    text = np.array([codes.setdefault(c, len(codes)) for c in hyp], dtype=np.int64)
    free = np.zeros(len(text) + 1, dtype=np.int64)  # a match may start anywhere
    spans: dict[int, tuple[int, int]] = {}
    for index in sorted(range(len(lines)), key=lambda k: -len(lines[k])):
        if not lines[index] or not len(text):
            continue
        pattern = np.array([codes.setdefault(c, len(codes)) for c in lines[index]])
        end = int(np.argmin(_last_row(pattern, text, free)))
        back = text[:end][::-1]
        start = end - int(np.argmin(_last_row(pattern[::-1], back, free[: end + 1])))
        spans[index] = (start, end)
        text[start:end] = -1  # claimed: matches nothing any more
    pieces = [hyp[slice(*spans[i])] if i in spans else "" for i in range(len(lines))]
    rest = "".join(c if text[j] >= 0 else " " for j, c in enumerate(hyp))
    return "\n".join([*pieces, rest])
