"""Vietnamese numbers written in words (``hai nghìn không trăm mười chín`` ↔ 2019), as civil-status
records write dates: ``Ngày mười lăm, tháng ba, năm hai nghìn không trăm mười chín``.

Parsing works on :func:`~archml.layout.text.fold`-ed words, so missing tone marks (``muoi``),
``mười``/``mươi``, ``nghìn``/``ngàn``, ``linh``/``lẻ`` and ``mốt``/``tư``/``lăm`` all read.
"""

from __future__ import annotations

from archml.layout.text import fold

_DIGITS = {"khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5,
           "nham": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "gieng": 1}
NUMBER_WORDS = frozenset({*_DIGITS, "muoi", "tram", "nghin", "ngan", "linh", "le"})
"""Folded words that can be part of a number in words."""

_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _below_thousand(tokens: list[str]) -> int | None:
    value, rest = 0, tokens
    if len(rest) >= 2 and rest[1] == "tram" and rest[0] in _DIGITS:
        value, rest = _DIGITS[rest[0]] * 100, rest[2:]
    if rest and rest[0] in ("linh", "le"):
        rest = rest[1:]
        if len(rest) != 1 or rest[0] not in _DIGITS:
            return None
        return value + _DIGITS[rest[0]]
    if rest and rest[0] == "muoi":
        value, rest = value + 10, rest[1:]
    elif len(rest) >= 2 and rest[1] == "muoi" and rest[0] in _DIGITS:
        value, rest = value + _DIGITS[rest[0]] * 10, rest[2:]
    if len(rest) > 1 or (rest and rest[0] not in _DIGITS):
        return None
    return value + (_DIGITS[rest[0]] if rest else 0)


def words_to_int(text: str) -> int | None:
    """The number written in words in ``text`` (0–999 999), or ``None`` if it is not one."""
    tokens = fold(text).replace(",", " ").split()
    if not tokens or any(t not in NUMBER_WORDS for t in tokens):
        return None
    thousands = next((i for i, t in enumerate(tokens) if t in ("nghin", "ngan")), None)
    if thousands is None:
        return _below_thousand(tokens)
    high = _below_thousand(tokens[:thousands]) if thousands else None
    low = _below_thousand(tokens[thousands + 1:]) if tokens[thousands + 1:] else 0
    return None if high is None or low is None else high * 1000 + low


def _tens_and_units(n: int) -> list[str]:
    tens, units = divmod(n, 10)
    if tens == 0:
        return [_WORDS[units]]
    words = ["mười"] if tens == 1 else [_WORDS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_WORDS[units])
    return words


def _group(n: int, full: bool) -> list[str]:
    """Words of 0 < ``n`` < 1000; ``full`` writes ``không trăm``/``linh`` as inside a larger
    number (``hai nghìn không trăm linh năm``)."""
    hundreds, rest = divmod(n, 100)
    words = [_WORDS[hundreds], "trăm"] if hundreds or full else []
    if rest and rest < 10 and words:
        return [*words, "linh", _WORDS[rest]]
    return words + (_tens_and_units(rest) if rest else [])


def int_to_words(n: int) -> str:
    """``n`` (0–999 999) in Vietnamese words: 2019 → ``hai nghìn không trăm mười chín``."""
    if not 0 <= n < 1_000_000:
        raise ValueError(f"{n} is outside 0–999 999")
    if n == 0:
        return "không"
    high, low = divmod(n, 1000)
    words = [*_group(high, False), "nghìn"] if high else []
    if low:
        words += _group(low, bool(high))
    return " ".join(words)
