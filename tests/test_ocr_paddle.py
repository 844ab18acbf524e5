"""PaddleOCR adapter and the Vietnamese coverage of recognition dictionaries."""

from __future__ import annotations

import importlib.util
import logging
import string
import unicodedata

import numpy as np
import pytest

from archml.document import Box
from archml.errors import EngineUnavailable
from archml.ocr import OcrEngine, create_engine
from archml.ocr.paddle import PaddleEngine, _warn_on_coverage, split_line
from archml.ocr.vietnamese import TONE_MARKS, VIETNAMESE_LETTERS, dictionary_coverage

# The accented Vietnamese letters in PaddleOCR's ppocr/utils/dict/ppocrv5_latin_dict.txt (the
# dictionary of latin_PP-OCRv5_mobile_rec, which PaddleOCR picks for lang="vi").
PP_OCRV5_LATIN_VIETNAMESE = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĐđẠ"
HAS_PADDLE = all(importlib.util.find_spec(m) for m in ("paddleocr", "paddle", "yaml"))


def test_vietnamese_letters():
    assert len(VIETNAMESE_LETTERS) == 134
    assert sum(c.islower() for c in VIETNAMESE_LETTERS) == 67
    assert all(unicodedata.is_normalized("NFC", c) and len(c) == 1 for c in VIETNAMESE_LETTERS)
    assert set("ệỆđĐỹỸưƯăẶ") <= VIETNAMESE_LETTERS
    assert not set(string.ascii_letters) & VIETNAMESE_LETTERS


def test_coverage_reports_missing_letters():
    coverage = dictionary_coverage([*string.printable, *"àáèéêđĐ"])
    assert coverage.present == frozenset("àáèéêđĐ")
    assert {"ạ", "ả", "ệ", "ỹ", "ư", "ơ", "ă", "Ệ"} <= coverage.missing
    assert len(coverage.missing) == 127 and not coverage.complete
    assert coverage.ratio == pytest.approx(7 / 134)


def test_paddle_latin_dictionary_lacks_dot_below_and_hook_above():
    coverage = dictionary_coverage(PP_OCRV5_LATIN_VIETNAMESE)
    assert len(coverage.present) == 35
    hooked_or_dotted = {c for c in VIETNAMESE_LETTERS
                        if {"\u0309", "\u0323"} & set(unicodedata.normalize("NFD", c))}
    assert len(hooked_or_dotted) == 48 and hooked_or_dotted - {"Ạ"} <= coverage.missing


def test_decomposed_dictionary_covers_everything():
    chars = [*string.ascii_letters, *"ăâêôơưĂÂÊÔƠƯđĐ", *TONE_MARKS]
    assert dictionary_coverage(chars).complete


def test_paddle_without_models_explains_what_to_configure(tmp_path):
    with pytest.raises(EngineUnavailable) as info:
        create_engine("paddle")
    message = str(info.value)
    assert "det_model_dir is not set" in message and "rec_model_dir is not set" in message
    assert "never downloads" in message
    assert ("archml[paddle]" in message) != HAS_PADDLE
    (tmp_path / "det").mkdir()
    with pytest.raises(EngineUnavailable) as info:
        PaddleEngine(det_model_dir=str(tmp_path / "det"), rec_model_dir=str(tmp_path / "rec"))
    assert f"det_model_dir {tmp_path / 'det'} has no inference.yml" in str(info.value)
    assert f"rec_model_dir {tmp_path / 'rec'} does not exist" in str(info.value)


def test_split_line_gives_proportional_word_boxes():
    words = split_line("Số:  86/QĐ-UBND ngày", Box(0, 10, 200, 30), 1.2)
    assert [w.text for w in words] == ["Số:", "86/QĐ-UBND", "ngày"]
    assert [round(w.box.x0) for w in words] == [0, 50, 160]
    assert words[-1].box.x1 == 200 and all(w.box.y0 == 10 and w.confidence == 1 for w in words)
    assert split_line("   ", Box(0, 0, 10, 10), 0.5) == []


def test_coverage_warning_names_missing_letters(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="archml.ocr.paddle"):
        _warn_on_coverage({"PostProcess": {"character_dict": list(PP_OCRV5_LATIN_VIETNAMESE)}},
                          tmp_path, "latin_PP-OCRv5_mobile_rec")
        (tmp_path / "vi_dict.txt").write_text("\n".join(sorted(VIETNAMESE_LETTERS)), "utf-8")
        _warn_on_coverage({}, tmp_path, "custom_rec")
    assert len(caplog.records) == 1
    assert "only 35 of 134" in caplog.text and "ệ" in caplog.text


@pytest.mark.skipif(not HAS_PADDLE, reason="extra archml[paddle] not installed")
def test_paddle_engine_runs_offline_on_local_models(tmp_path, caplog):
    det, rec = _tiny_models(tmp_path)
    with caplog.at_level(logging.WARNING, logger="archml.ocr.paddle"):
        engine = create_engine("paddle", det_model_dir=det, rec_model_dir=rec)
    assert isinstance(engine, OcrEngine) and "latin_PP-OCRv5_mobile_rec" in engine.version
    assert "only 1 of 134" in caplog.text
    image = np.full((120, 400, 3), 255, np.uint8)
    image[40:70, 50:150] = image[40:70, 200:330] = 0
    blocks = engine.recognize(image, 200)
    assert blocks and all(w.text and 0 <= w.confidence <= 1 for b in blocks for w in b.words)
    assert engine.recognize(image[:, :, 0], 200) == blocks


def _tiny_models(folder) -> tuple[str, str]:
    """Untrained stand-ins in PaddleX layout: a darkness 'detector' and a CTC 'recogniser'."""
    import paddle
    import yaml
    from paddle import nn
    from paddle.static import InputSpec

    class Det(nn.Layer):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2D(3, 1, 1)
            self.conv.weight.set_value(paddle.full([1, 3, 1, 1], -4 / 3))
            self.conv.bias.set_value(paddle.zeros([1]))

        def forward(self, x):
            return nn.functional.max_pool2d(nn.functional.sigmoid(self.conv(x)), 9, 1, 4)

    class Rec(nn.Layer):
        def __init__(self, classes: int) -> None:
            super().__init__()
            self.pool = nn.AvgPool2D((48, 8), (48, 8))
            self.fc = nn.Linear(3, classes)
            weight, bias = paddle.zeros([3, classes]), paddle.zeros([classes])
            weight[:, 0], weight[:, 1], bias[0], bias[1] = 5 / 3, -5 / 3, -4.6, 4.6
            self.fc.weight.set_value(weight)
            self.fc.bias.set_value(bias)

        def forward(self, x):
            return nn.functional.softmax(self.fc(self.pool(x).squeeze(2).transpose([0, 2, 1])), -1)

    chars = [*string.ascii_lowercase, "đ"]
    configs = {
        "det": (Det(), [None, 3, None, None], {
            "Global": {"model_name": "PP-OCRv5_mobile_det"},
            "PreProcess": {"transform_ops": [
                {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
                {"DetResizeForTest": {"resize_long": 960}},
                {"NormalizeImage": {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225],
                                    "scale": 1 / 255, "order": "hwc"}},
                {"ToCHWImage": None}]},
            "PostProcess": {"name": "DBPostProcess", "thresh": 0.3, "box_thresh": 0.6,
                            "unclip_ratio": 1.5}}),
        "rec": (Rec(len(chars) + 2), [None, 3, 48, None], {
            "Global": {"model_name": "latin_PP-OCRv5_mobile_rec"},
            "PreProcess": {"transform_ops": [
                {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
                {"RecResizeImg": {"image_shape": [3, 48, 320]}}]},
            "PostProcess": {"name": "CTCLabelDecode", "character_dict": chars}}),
    }
    for name, (layer, shape, config) in configs.items():
        layer.eval()
        static = paddle.jit.to_static(layer, input_spec=[InputSpec(shape, "float32", "x")])
        paddle.jit.save(static, str(folder / name / "inference"))
        with (folder / name / "inference.yml").open("w", encoding="utf-8") as fh:
            yaml.safe_dump(config, fh, allow_unicode=True)
    return str(folder / "det"), str(folder / "rec")
