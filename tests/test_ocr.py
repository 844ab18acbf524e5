"""Tesseract engine, engine registry and OCR stage, on rendered Vietnamese lines (no mocks)."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from archml.document import Box, Page, PageSource, Word
from archml.errors import ConfigError, EngineUnavailable
from archml.ocr import ENGINES, OcrConfig, OcrEngine, OcrStage, TextLayerStage, create_engine
from archml.ocr.tesseract import TesseractEngine, colour_share
from archml.stages import STAGES

FONTS = (Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
         Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
DPI = 200
LINES = (
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
    "Số: 86/QĐ-UBND Quảng Ngãi, ngày 16 tháng 01 năm 2025",
    "Về việc bổ nhiệm vào ngạch Thanh tra viên và xếp lương",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;",
    "Điều 1. Giao Sở Tài nguyên và Môi trường hướng dẫn thực hiện.",
    "đối với ông Nguyễn Hoàng Giang, Chủ tịch Ủy ban nhân dân tỉnh",
)


def render(lines: tuple[str, ...], dpi: int = DPI, pt: float = 12) -> tuple[np.ndarray, list]:
    """A grey image of ``lines`` and each word's text with its ink box."""
    path = next((f for f in FONTS if f.is_file()), None)
    if path is None:
        pytest.skip("no Liberation Serif or DejaVu Serif font installed")
    size = round(pt * dpi / 72)
    font = ImageFont.truetype(str(path), size)
    width = 2 * size + int(max(font.getlength(line) for line in lines))
    image = Image.new("L", (width, size * (2 * len(lines) + 1)), 255)
    draw = ImageDraw.Draw(image)
    placed = []
    for row, line in enumerate(lines):
        x, y = size, size * (2 * row + 1)
        for word in line.split():
            draw.text((x, y), word, font=font, fill=0)
            placed.append((word, draw.textbbox((x, y), word, font=font)))
            x += font.getlength(word + " ")
    pixels = np.array(image)
    truth = []
    for word, bbox in placed:
        x0, y0, x1, y1 = (round(v) for v in bbox)
        x0, y0 = max(0, x0 - 2), max(0, y0 - 2)
        ys, xs = np.nonzero(pixels[y0:y1 + 2, x0:x1 + 2] < 128)
        truth.append((word, Box(float(x0 + xs.min()), float(y0 + ys.min()),
                               float(x0 + xs.max() + 1), float(y0 + ys.max() + 1))))
    return pixels, truth


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate: Levenshtein distance over the reference length."""
    previous = list(range(len(hypothesis) + 1))
    for i, r in enumerate(reference, 1):
        current = [i]
        for j, h in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / max(1, len(reference))


@pytest.fixture(scope="module")
def engine() -> TesseractEngine:
    with TesseractEngine() as eng:
        yield eng


@pytest.fixture(scope="module")
def rendered() -> tuple[np.ndarray, list]:
    return render(LINES)


@pytest.fixture(scope="module")
def one_line() -> np.ndarray:
    return render(LINES[:1])[0]


def test_recognises_vietnamese_lines(engine, rendered):
    image, _ = rendered
    blocks = engine.recognize(image, DPI)
    text = " ".join(w.text for b in blocks for w in b.words)
    assert cer(" ".join(LINES), text) < 0.03, text
    assert len([ln for b in blocks for ln in b.lines]) == len(LINES)


def test_word_boxes_enclose_ink_and_confidences(engine, rendered):
    image, truth = rendered
    words = [w for b in engine.recognize(image, DPI) for w in b.words]
    assert words and all(0 <= w.confidence <= 1 and w.text.strip() == w.text != "" for w in words)
    checked = 0
    for word, (text, ink) in zip(words, truth, strict=False):
        if word.text == text:
            box = word.box
            assert (box.x0 - 1 <= ink.x0 and box.y0 - 1 <= ink.y0 and ink.x1 <= box.x1 + 1
                    and ink.y1 <= box.y1 + 1), (word.text, box, ink)
            checked += 1
    assert checked >= 0.8 * len(truth)
    assert 0.8 < np.mean([w.confidence for w in words]) <= 1


def test_rgb_input_and_reuse(engine, one_line):
    crop = one_line
    grey = [w.text for b in engine.recognize(crop, DPI) for w in b.words]
    rgb = [w.text for b in engine.recognize(np.stack([crop] * 3, axis=-1), DPI) for w in b.words]
    assert grey == rgb == " ".join(LINES[:1]).split()
    assert engine.recognize(np.full((60, 200), 255, np.uint8), DPI) == []
    with pytest.raises(ValueError, match="uint8"):
        engine.recognize(crop.astype(np.float32), DPI)


def test_colour_input_modes(one_line):
    rgb = np.stack([one_line] * 3, axis=-1)
    tinted = rgb.copy()
    tinted[..., 2] = (tinted[..., 2] * 0.6).astype(np.uint8)  # yellowed paper: blue lowered
    assert colour_share(rgb) == 0.0 and colour_share(tinted) > 0.5
    expected = " ".join(LINES[:1]).split()
    for mode in ("auto", "grey", "colour"):
        with TesseractEngine(colour=mode) as eng:
            for image in (rgb, tinted):
                assert [w.text for b in eng.recognize(image, DPI) for w in b.words] == expected


def test_real_scan_header(engine, samples_dir, sample_labels):
    """The top of a real 300-dpi scan, rendered at 200 dpi; the red channel drops the red seal."""
    import pypdfium2 as pdfium

    label = sample_labels["vbhc01"]
    rgb = pdfium.PdfDocument(samples_dir / "vbhc01.pdf")[0].render(
        scale=DPI / 72, rev_byteorder=True).to_numpy()
    header = np.ascontiguousarray(rgb[: rgb.shape[0] * 22 // 100, :, 0])
    text = " ".join(w.text for b in engine.recognize(header, DPI) for w in b.words)
    for part in [*label["organ_name"].split(" - "), label["code_notation"], "tháng 01 năm 2025"]:
        assert part in text
    start = text.index("Về việc")
    assert cer(label["subject"], text[start:start + len(label["subject"])]) < 0.1


def test_engine_registry_finds_entry_points():
    assert {"tesseract", "paddle"} <= set(ENGINES.names())
    assert {"ocr", "text_layer"} <= set(STAGES.names())
    eng = create_engine("tesseract", psm=6)
    assert isinstance(eng, OcrEngine) and eng.name == "tesseract" and eng.psm == 6
    assert eng.version.startswith("tesseract 5")
    eng.close()
    with pytest.raises(ConfigError, match="unknown"):
        create_engine("no-such-engine")


def test_missing_tessdata(tmp_path, monkeypatch):
    with pytest.raises(EngineUnavailable, match="tesseract-ocr-vie"):
        TesseractEngine(tessdata=str(tmp_path / "missing"))
    with pytest.raises(EngineUnavailable, match=r"vie\.traineddata not found"):
        TesseractEngine(tessdata=str(tmp_path))
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    with pytest.raises(EngineUnavailable, match="TESSDATA_PREFIX"):
        TesseractEngine()


def _page(image: np.ndarray | None, dpi: float = DPI) -> Page:
    height, width = (100, 100) if image is None else image.shape[:2]
    return Page(index=0, width=width, height=height, image=image,
                source=PageSource(page_index=0, dpi=dpi))


class _DpiRecorder:
    """A real Tesseract engine that remembers the resolutions it was given."""

    name = "dpi-recorder"

    def __init__(self, lang: str = "vie", psm: int = 3) -> None:
        self.inner = TesseractEngine(lang=lang, psm=psm)
        self.version = self.inner.version
        self.dpis: list[float] = []

    def recognize(self, image: np.ndarray, dpi: float):
        self.dpis.append(dpi)
        return self.inner.recognize(image, dpi)


def test_ocr_stage_sets_text_source_and_records(one_line, monkeypatch):
    monkeypatch.setitem(ENGINES._factories, "dpi-recorder", _DpiRecorder)
    stage = OcrStage(OcrConfig(engine="dpi-recorder", psm=4))
    page = _page(one_line, dpi=210)
    stage.process_page(page)
    assert page.source.text_source == "ocr"
    assert page.text == LINES[0]
    step = page.source.steps[-1]
    assert step.name == "ocr" and step.seconds is not None
    assert step.params == {"engine": "dpi-recorder", "version": stage.engine.version,
                           "lang": "vie", "psm": 4}
    assert stage.engine.dpis == [210]
    skipped = [_page(None), _page(one_line)]
    skipped[1].source.text_source = "text_layer"
    for other in skipped:
        stage.process_page(other)
        assert other.blocks == [] and other.source.steps == []
    assert pickle.loads(pickle.dumps(stage))._engine is None


def test_text_layer_page_skips_ocr(rendered):
    image, truth = rendered
    words = [Word(text=text, box=box) for text, box in truth]
    page = _page(image)
    page.text_layer = words
    for stage in (TextLayerStage("always"), OcrStage()):
        stage.process_page(page)
    assert page.source.text_source == "text_layer"
    assert [s.name for s in page.source.steps] == ["text_layer"]
    assert [ln.text for ln in page.lines] == list(LINES)


def test_a_broken_plugin_is_listed_and_fails_clearly_only_when_used(tmp_path, monkeypatch):
    from archml.registry import Registry

    dist = tmp_path / "broken_plugin-1.0.dist-info"  # an installed package whose code is gone
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[archml.test_group]\nbroken = no_such_package.engine:Engine\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = Registry("archml.test_group")
    registry.register("good", dict)
    assert registry.names() == ["broken", "good"]
    assert registry.create("good") == {}
    with pytest.raises(ConfigError, match=r"'broken'.*cannot be loaded"):
        registry.get("broken")
