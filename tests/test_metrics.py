"""OCR metrics: edit distance against a plain reference, CER/WER, reading-order-free scoring."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from archml.metrics import cer, edit_distance, follow_reference_order, wer, word_accuracy


def reference_distance(a: str, b: str) -> int:
    """The textbook dynamic programme, to check the vectorised one against."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


@given(st.text(max_size=40), st.text(max_size=40))
def test_edit_distance_matches_the_textbook_programme(a: str, b: str) -> None:
    assert edit_distance(a, b) == reference_distance(a, b)


def test_cer_counts_characters_in_nfc_and_ignores_spacing() -> None:
    decomposed = unicodedata.normalize("NFD", "Quyết định")
    assert cer("Quyết  định\n", decomposed) == 0.0
    assert cer("Quyết định", "Quyet định") == 1 / 10
    assert cer("", "") == 0.0 and cer("", "x") == 1.0


def test_wer_and_word_accuracy() -> None:
    assert wer("ngày 05 tháng 3", "ngày 05 thang 3") == 0.25
    assert word_accuracy("a b", "x y z w v") == 0.0


def test_reading_order_is_not_counted_as_errors() -> None:
    truth = "ỦY BAN NHÂN DÂN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/QĐ-UBND"
    interleaved = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM ỦY BAN NHÂN DÂN Số: 12/QĐ-UBND"
    assert cer(truth, interleaved) > 0.3
    assert cer(truth, follow_reference_order(truth, interleaved)) == 0.0


def test_reordering_keeps_unclaimed_text_as_errors() -> None:
    truth = "Số: 12/QĐ-UBND"
    assert cer(truth, follow_reference_order(truth, "Số: 12/QĐ-UBND rác thêm")) > 0.4
