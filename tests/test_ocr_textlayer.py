"""Judging PDF text layers: a real born-digital sample and synthetic bad layers."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest

from archml.document import Box, Page, PageSource, Word
from archml.ocr import TextLayerStage, judge_text_layer
from archml.ocr.grouping import words_to_blocks
from archml.ocr.vietnamese import is_plausible_token, is_syllable

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "vbhc13.pdf"


def _pdfium_page(path: Path, dpi: float = 200) -> Page:
    """Page 0 with its text layer as words in page pixels, read with pypdfium2 directly."""
    import pypdfium2 as pdfium

    pdf_page = pdfium.PdfDocument(path)[0]
    width, height = pdf_page.get_size()
    scale = dpi / 72
    text_page = pdf_page.get_textpage()
    words, chars, boxes = [], [], []
    for i in range(text_page.count_chars() + 1):
        char = text_page.get_text_range(i, 1) if i < text_page.count_chars() else " "
        if char.isspace() or not char:
            if chars:
                words.append(Word(text=unicodedata.normalize("NFC", "".join(chars)),
                                  box=Box.enclosing(boxes)))
            chars, boxes = [], []
            continue
        left, bottom, right, top = text_page.get_charbox(i)
        chars.append(char)
        boxes.append(Box(left * scale, (height - top) * scale, right * scale,
                         (height - bottom) * scale))
    return Page(index=0, width=round(width * scale), height=round(height * scale),
                source=PageSource(file=str(path), page_index=0, dpi=dpi), text_layer=words)


def _sample_page() -> Page:
    try:
        from archml.io import read
    except ImportError:
        return _pdfium_page(SAMPLE)
    return read(SAMPLE).pages[0]


@pytest.fixture
def page() -> Page:
    return _sample_page()


def _with_texts(page: Page, change) -> list[Word]:
    return [w.model_copy(update={"text": change(w.text)}) for w in page.text_layer]


def test_born_digital_layer_is_usable(page):
    verdict = judge_text_layer(page.text_layer, page.width, page.height)
    assert verdict.usable and verdict.reasons == [] and verdict.score > 0.9
    assert verdict.signals["diacritic_share"] > 0.7 and verdict.signals["box_share"] == 1


def test_stage_uses_a_good_layer(page):
    TextLayerStage().process_page(page)
    assert page.source.text_source == "text_layer"
    step = page.source.steps[-1]
    assert step.name == "text_layer" and step.params["used"] and step.params["usable"]
    lines = [ln.text for ln in page.lines]
    assert "ỦY BAN NHÂN DÂN" in lines and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines
    assert "THÔNG BÁO" in lines
    assert len(page.words) == len(page.text_layer)


def _strip_accents(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _garble(text: str) -> str:
    rng = random.Random(text)
    return "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in text)


@pytest.mark.parametrize(("change", "reason"), [
    (_strip_accents, "diacritics"),
    (_garble, "syllables"),
    (lambda t: t.encode("utf-8").decode("cp1252", errors="replace"), "syllables"),
    (lambda t: t[:-1] + "\ue00a" if len(t) > 2 else t, "private-use"),
])
def test_bad_text_is_rejected(page, change, reason):
    verdict = judge_text_layer(_with_texts(page, change), page.width, page.height)
    assert not verdict.usable and verdict.score < 0.8
    assert any(reason in r for r in verdict.reasons), verdict.reasons


def test_bad_geometry_is_rejected(page):
    shifted = [w.model_copy(update={"box": Box(w.box.x0 + page.width, w.box.y0,
                                               w.box.x1 + page.width, w.box.y1)})
               for w in page.text_layer]
    verdict = judge_text_layer(shifted, page.width, page.height)
    assert not verdict.usable and any("outside the page" in r for r in verdict.reasons)
    caption = page.text_layer[:8]  # e.g. only a digital-signature caption
    verdict = judge_text_layer(caption, page.width, page.height)
    assert not verdict.usable and any("only 8 words" in r for r in verdict.reasons)
    assert not judge_text_layer([], page.width, page.height).usable


def test_modes(page):
    bad = _sample_page()
    bad.text_layer = _with_texts(bad, _garble)
    TextLayerStage("auto").process_page(bad)
    assert bad.source.text_source == "none" and bad.blocks == []
    assert bad.source.steps[-1].params["reasons"]
    TextLayerStage("always").process_page(bad)
    assert bad.source.text_source == "text_layer" and bad.blocks
    TextLayerStage("never").process_page(page)
    assert page.source.text_source == "none" and page.source.steps[-1].params["used"] is False


def test_grouping_keeps_columns_apart():
    def word(text, x0, y0):
        return Word(text=text, box=Box(x0, y0, x0 + 20 * len(text), y0 + 30))

    words = [word("ỦY", 100, 100), word("BAN", 170, 100), word("CỘNG", 600, 102),
             word("HÒA", 700, 101), word("TỈNH", 100, 140), word("Độc", 620, 141)]
    blocks = words_to_blocks(words)
    assert [b.text for b in blocks] == ["ỦY BAN\nTỈNH", "CỘNG HÒA\nĐộc"]


@pytest.mark.parametrize(("token", "expected"), [
    ("Quảng", True), ("nghiêng", True), ("khuyếch", True), ("15/QĐ-UBND", True),
    ("05/01/2020", True), ("V/v", True), ("TTr-UBND", True), ("(giao", True), ("–", None),
    ("Qu¶ng", False), ("xkqz", False), ("QuaÌ‰ng", False),
])
def test_plausible_tokens(token, expected):
    assert is_plausible_token(token) is expected


def test_syllables_ignore_case_and_tone():
    assert all(map(is_syllable, ["NGHĨA", "Giữ", "ươn", "oanh", "quốc", "gì"]))
    assert not any(map(is_syllable, ["str", "ng", "aaaa", "bcd"]))
