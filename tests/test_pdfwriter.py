"""PDFs with a real text layer (archml.pdfwriter), read back through PDFium, archml's reader,
the text-layer judge, Tesseract and the default pipeline."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from archml.document import Box, Page, Word
from archml.io import ReadConfig, open_document
from archml.metrics import cer
from archml.ocr import TextLayerStage
from archml.ocr.textlayer import judge_text_layer
from archml.pdfwriter import PageContent, document_to_pdf, write_pdf
from archml.pipeline import Pipeline
from archml.synth import SynthConfig, generate_corpus, generate_document

CLEAN = SynthConfig(degrade="none", dpi=150, handwriting=0.0, traps=0.0)
STACKED = ["ệ", "ổ", "ữ", "Ặ", "Đ", "Nguyễn", "Đặng", "TRƯỞNG", "QUYẾT", "ĐỊNH", "khuyến",
           "nghiệp", "Bắc", "Ngữ", "thưởng", "Ỷ"]


def _read(data: bytes, dpi: float) -> list[Page]:
    with open_document(data, ReadConfig(dpi=int(dpi))) as reader:
        return [reader.load_page(i) for i in range(reader.n_pages)]


def _assert_same_words(got: list[Word], expected: list[Word], tolerance: float) -> None:
    """Same text in the same order; boxes within ``tolerance`` px (a lone hyphen's input box
    runs down to the baseline, its ink box does not, so only its x is compared)."""
    assert [w.text for w in got] == [w.text for w in expected]
    for g, e in zip(got, expected, strict=True):
        assert unicodedata.is_normalized("NFC", g.text)
        pairs = list(zip(g.box, e.box, strict=True))
        if e.text in ("-", "–"):
            pairs = [pairs[0], pairs[2]]
        assert max(abs(a - b) for a, b in pairs) <= tolerance, (g, e)


def _stacked_page(dpi: float = 150) -> PageContent:
    """The hard Vietnamese letters, one word per line, at ~22 pt."""
    size = 22 * dpi / 72
    words = [Word(text=t, box=Box(100, 60 + i * 1.6 * size, 100 + len(t) * 0.6 * size,
                                  60 + i * 1.6 * size + size)) for i, t in enumerate(STACKED)]
    return PageContent(width=1240, height=1754, dpi=dpi, words=words)


def test_text_mode_reads_back_as_a_good_text_layer(tmp_path: Path) -> None:
    doc = generate_document(2, 1, CLEAN)
    path = tmp_path / "born.pdf"
    document_to_pdf(doc.document, None, path, "text")
    pages = _read(path.read_bytes(), 150)
    for page, truth in zip(pages, doc.document.pages, strict=True):
        assert (page.width, page.height) == (truth.width, truth.height)
        assert page.text_layer is not None
        _assert_same_words(page.text_layer, truth.words, tolerance=1.5)
        verdict = judge_text_layer(page.text_layer, page.width, page.height)
        assert verdict.usable, verdict.reasons
        TextLayerStage().process_page(page)
        assert page.source.text_source == "text_layer"
        # visible vector text, no image: ink inside word boxes, white paper outside
        assert page.image is not None
        ink = np.zeros(page.image.shape[:2], bool)
        for w in truth.words:  # 2 px around the box for anti-aliasing
            ink[int(w.box.y0) - 2:int(w.box.y1) + 3, int(w.box.x0) - 2:int(w.box.x1) + 3] = True
        grey = page.image.mean(axis=2)
        assert grey[ink].mean() < 215 and grey[~ink].min() == 255
    pdf = pdfium.PdfDocument(path)
    kinds = {obj.type for page in pdf for obj in page.get_objects()}
    assert kinds == {pdfium_c.FPDF_PAGEOBJ_TEXT}


def test_image_text_mode_keeps_the_scan_and_hides_the_words() -> None:
    doc = generate_document(4, 2, SynthConfig(degrade="light", dpi=150, traps=0.0))
    buffer = io.BytesIO()
    document_to_pdf(doc.document, doc.images, buffer, "image+text")
    pages = _read(buffer.getvalue(), 150)
    for page, truth, image in zip(pages, doc.document.pages, doc.images, strict=True):
        assert page.image is not None and page.text_layer is not None
        assert np.abs(page.image.astype(int) - image).mean() < 0.5  # lossless, pixel-aligned
        _assert_same_words(page.text_layer, truth.words, tolerance=1.5)
    # the words are invisible: over a white image the page renders white
    blank = _stacked_page()
    white = np.full((blank.height, blank.width), 255, np.uint8)
    buffer = io.BytesIO()
    write_pdf([PageContent(blank.width, blank.height, blank.dpi, blank.words, white)], buffer,
              mode="image+text")
    (page,) = _read(buffer.getvalue(), blank.dpi)
    assert page.image is not None and page.image.min() == 255
    assert [w.text for w in page.text_layer or []] == STACKED


def test_jpeg_grey_image() -> None:
    rng = np.random.default_rng(0)
    grey = np.clip(rng.normal(200, 20, (700, 500)), 0, 255).astype(np.uint8)
    grey[100:200, 50:450] = 30
    buffer = io.BytesIO()
    write_pdf([PageContent(500, 700, 100, [Word(text="Hồ", box=Box(60, 110, 200, 190))], grey)],
              buffer, mode="image+text", jpeg_quality=90)
    assert b"/DCTDecode" in buffer.getvalue()
    (page,) = _read(buffer.getvalue(), 100)
    assert page.image is not None
    assert np.abs(page.image.mean(axis=2) - grey).mean() < 6
    assert [w.text for w in page.text_layer or []] == ["Hồ"]


def test_stacked_diacritics_survive_extraction_and_ocr() -> None:
    """The text layer holds the letters, and the glyphs drawn are those letters (Tesseract)."""
    from archml.ocr.tesseract import TesseractEngine

    content = _stacked_page()
    buffer = io.BytesIO()
    write_pdf([content], buffer, mode="text")
    (page,) = _read(buffer.getvalue(), content.dpi)
    _assert_same_words(page.text_layer or [], list(content.words), tolerance=1.0)
    assert page.image is not None
    with TesseractEngine(lang="vie", psm=6) as engine:
        crop = page.image[:int(content.words[-1].box.y1) + 40, :700]
        read = [w.text for b in engine.recognize(crop, content.dpi) for w in b.words]
    assert cer(" ".join(STACKED), " ".join(read)) <= 0.05, read


def test_same_pages_same_bytes_across_processes() -> None:
    """No creation date, and the trailer /ID is the file's MD5, not PDFium's random one."""
    script = ("import sys; from tests.test_pdfwriter import _stacked_page; "
              "from archml.pdfwriter import write_pdf; "
              "write_pdf([_stacked_page()], sys.stdout.buffer, mode='text')")
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True,
                           cwd=Path(__file__).parent.parent, timeout=60).stdout
    buffer = io.BytesIO()
    write_pdf([_stacked_page()], buffer, mode="text")
    data = buffer.getvalue()
    assert data == other
    assert b"CreationDate" not in data
    match = re.search(rb"/ID\[<([0-9A-F]{32})>", data)
    assert match is not None
    blank = data.replace(match.group(1), b"0" * 32)
    assert match.group(1).decode() == hashlib.md5(blank).hexdigest().upper()


def test_pipeline_reads_a_born_digital_synth_document(tmp_path: Path) -> None:
    config = SynthConfig(types=("administrative.quyet_dinh",), dpi=150, born_digital=1.0)
    generate_corpus(1, 6, tmp_path, config)
    record = json.loads((tmp_path / "manifest.jsonl").read_text(encoding="utf-8"))
    assert record["render"]["born_digital"] and record["render"]["level"] == "none"
    gt = json.loads((tmp_path / record["ground_truth"]).read_text(encoding="utf-8"))
    document = Pipeline().read(tmp_path / record["files"]["pdf"])
    assert len(document.pages) == len(gt["pages"])
    for page, truth in zip(document.pages, gt["pages"], strict=True):
        assert page.source.text_source == "text_layer"
        expected = [w["text"] for b in truth["blocks"] for ln in b["lines"] for w in ln["words"]]
        assert sorted(w.text for w in page.words) == sorted(expected)


def test_bad_arguments() -> None:
    page = _stacked_page()
    with pytest.raises(ValueError, match="mode"):
        write_pdf([page], io.BytesIO(), mode="image")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs an image"):
        write_pdf([page], io.BytesIO(), mode="image+text")
    wrong = PageContent(page.width, page.height, page.dpi, page.words,
                        np.zeros((10, 10, 3), np.uint8))
    with pytest.raises(ValueError, match="uint8 RGB or grey"):
        write_pdf([wrong], io.BytesIO(), mode="image+text")
    with pytest.raises(ValueError, match="jpeg_quality"):
        write_pdf([page], io.BytesIO(), mode="text", jpeg_quality=100)
