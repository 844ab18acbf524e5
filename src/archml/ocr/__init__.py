"""OCR engines and the stages that put words on pages.

The engine protocol and registry, Tesseract (default) and PaddleOCR engines, PDF text layers judged
before use, and the ``text_layer`` and ``ocr`` stages (registered in ``STAGES`` on import).
"""

from archml.ocr.base import ENGINES, OcrEngine, create_engine
from archml.ocr.stage import OcrConfig, OcrStage
from archml.ocr.textlayer import TextLayerMode, TextLayerStage, TextLayerVerdict, judge_text_layer
from archml.stages import STAGES

STAGES.register(TextLayerStage.name, TextLayerStage)
STAGES.register(OcrStage.name, OcrStage)

__all__ = ["ENGINES", "OcrConfig", "OcrEngine", "OcrStage", "TextLayerMode", "TextLayerStage",
           "TextLayerVerdict", "create_engine", "judge_text_layer"]
