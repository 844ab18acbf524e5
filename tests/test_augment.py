"""OCR-noise augmentation of training words: realistic error rate, tags that follow the words,
valid BIO, boxes on the page, determinism."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from archml.features import DocWords, bio_tags
from archml.metrics import cer
from archml.training.augment import add_ocr_noise, noisy_text

TAGS = bio_tags(["codeNumber", "issuedDate", "organName"])
TEXT = ("ỦY BAN NHÂN DÂN TỈNH VĨNH PHÚC Số: 54/HĐ-UBND Vĩnh Yên, ngày 30 tháng 01 năm 2021 "
        "HỢP ĐỒNG về việc thuê dịch vụ số hóa tài liệu lưu trữ của Sở Nội vụ ") * 20


def _words() -> tuple[DocWords, list[int]]:
    texts = TEXT.split()
    n = len(texts)
    boxes = np.asarray([[40 + (i % 12) * 75, 50 + (i // 12) * 20, 100 + (i % 12) * 75,
                         62 + (i // 12) * 20] for i in range(n)], dtype=np.int32)
    tags = [0] * n
    for i, word in enumerate(texts):
        if word == "ngày":
            tags[i:i + 6] = [TAGS.index("B-issuedDate")] + [TAGS.index("I-issuedDate")] * 5
        if word == "ỦY":
            tags[i:i + 7] = [TAGS.index("B-organName")] + [TAGS.index("I-organName")] * 6
    return DocWords(texts, boxes, np.zeros(n, np.int32), np.zeros(n, np.int32)), tags


@pytest.mark.parametrize("rate", [0.05, 0.15])
def test_noise_rate_is_about_the_character_error_rate(rate: float) -> None:
    rng = np.random.default_rng(0)
    noisy = " ".join(noisy_text(w, rate, rng) for w in TEXT.split())
    assert rate / 2 < cer(TEXT.strip(), noisy) < rate * 2


def test_tags_follow_words_and_stay_valid_bio() -> None:
    words, tags = _words()
    noisy, noisy_tags = add_ocr_noise(words, tags, TAGS, 0.15, np.random.default_rng(1))
    assert len(noisy.texts) == len(noisy_tags) == len(noisy.boxes) == len(noisy.pages)
    assert noisy.texts != words.texts
    for i, tag in enumerate(noisy_tags):
        name = TAGS[tag]
        if name.startswith("I-"):
            assert TAGS[noisy_tags[i - 1]][2:] == name[2:], (i, noisy.texts[i - 3:i + 1])
    dates = sum(TAGS[t] == "B-issuedDate" for t in noisy_tags)
    assert 15 <= dates <= 25  # 20 dates: a dropped first word re-starts the span, splits add none
    tagged = [noisy.texts[i] for i, t in enumerate(noisy_tags) if TAGS[t].endswith("issuedDate")]
    assert sum(w in ("30", "01", "2021") for w in tagged) > 30  # most digits read right
    boxes = noisy.boxes
    assert (boxes >= 0).all() and (boxes <= 1000).all()
    assert (boxes[:, 0] <= boxes[:, 2]).all() and (boxes[:, 1] <= boxes[:, 3]).all()


def test_same_generator_same_noise() -> None:
    words, tags = _words()
    a = add_ocr_noise(words, tags, TAGS, 0.1, np.random.default_rng(7))
    b = add_ocr_noise(words, tags, TAGS, 0.1, np.random.default_rng(7))
    c = add_ocr_noise(words, tags, TAGS, 0.1, np.random.default_rng(8))
    assert a[0].texts == b[0].texts and a[1] == b[1]
    assert (a[0].boxes == b[0].boxes).all()
    assert a[0].texts != c[0].texts


def test_tone_marks_only_land_on_vowels() -> None:
    noisy = noisy_text("nghĩa thành phố Đà Nẵng " * 50, 0.3, np.random.default_rng(3))
    stray = [noisy[i - 1:i + 1] for i, ch in enumerate(noisy) if unicodedata.combining(ch)]
    assert stray == []  # NFC composes every mark put on a vowel; one on a consonant would stay
    assert noisy != "nghĩa thành phố Đà Nẵng " * 50
