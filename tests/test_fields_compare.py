"""The comparison every benchmark and evaluation uses: normal forms and similarity."""

from __future__ import annotations

from archml.fields.compare import comparable, similarity


def test_values_compare_in_one_normal_form() -> None:
    assert comparable("codeNotation", "/ QĐ-CCATVSTP") == comparable("codeNotation", "QĐ-CCATVSTP")
    assert comparable("codeNumber", "01") == comparable("codeNumber", 1) == "1"
    assert comparable("subject", "  Về việc  THI ĐUA. ") == comparable("subject", "về việc thi đua")
    assert comparable("organName", "UỶ BAN NHÂN DÂN") == comparable("organName", "ỦY BAN NHÂN DÂN")
    assert comparable("subject", None) == comparable("subject", "") == ""
    assert comparable("recipients", ["a", "b"]) == "a; b"


def test_similarity_is_one_minus_normalised_edit_distance() -> None:
    assert similarity("", "") == 1.0 and similarity("abc", "abc") == 1.0
    assert similarity("abcd", "abce") == 0.75 and similarity("ab", "") == 0.0
