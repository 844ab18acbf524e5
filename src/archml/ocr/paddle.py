"""PaddleOCR 3.x adapter (extra ``archml[paddle]``), from local model folders only.

archml never downloads models: the text detection and recognition models must be PaddleX
inference folders (``inference.yml`` plus weights) given as ``det_model_dir`` and
``rec_model_dir``. Document preprocessing and text-line orientation are switched off, so no other
model is needed, and the model-hoster check is off (:mod:`archml._offline`).

Known limit for Vietnamese: PaddleOCR's recognition dictionaries lack most letters with a dot
below or a hook above. Of the 134 accented Vietnamese letters (see
:mod:`archml.ocr.vietnamese`), the PP-OCRv5 Latin dictionary holds 35 and the PP-OCRv6 one 46, so
words such as "Quảng", "nhiệm" or "Nguyễn" cannot be read correctly. Paddle's *detector* is the
useful part for Vietnamese; pair it with a recogniser trained on Vietnamese. The adapter logs a
warning naming the missing letters when the configured recogniser's dictionary lacks any.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from typing import Any

import numpy as np

from archml.document import Block, Box, Word, nfc
from archml.errors import EngineUnavailable
from archml.ocr.grouping import words_to_blocks
from archml.ocr.vietnamese import dictionary_coverage

log = logging.getLogger(__name__)

_INSTALL = "PaddleOCR is not installed: install archml[paddle] (paddleocr>=3.0, paddlepaddle>=3.0)"


class PaddleEngine:
    """PaddleOCR text detection + recognition; extra ``options`` go to ``PaddleOCR(...)``."""

    name = "paddle"

    def __init__(self, det_model_dir: str | None = None, rec_model_dir: str | None = None,
                 device: str = "cpu", **options: Any) -> None:
        problems = [] if importlib.util.find_spec("paddleocr") else [_INSTALL]
        problems += [msg for key, folder in (("det_model_dir", det_model_dir),
                                             ("rec_model_dir", rec_model_dir))
                     if (msg := _model_dir_problem(key, folder))]
        if problems:
            raise EngineUnavailable("; ".join(problems) + ". archml never downloads models: "
                                    "configure det_model_dir and rec_model_dir (engine_options) "
                                    "as local PaddleX inference folders.")
        try:
            import paddleocr
        except ImportError as exc:  # e.g. paddleocr present but paddlepaddle missing
            raise EngineUnavailable(f"{_INSTALL}: {exc}") from exc
        det, rec = _read_config(Path(det_model_dir)), _read_config(Path(rec_model_dir))
        det_name, rec_name = _model_name(det), _model_name(rec)
        _warn_on_coverage(rec, Path(rec_model_dir), rec_name)
        if device == "cpu":
            options.setdefault("cpu_threads", 1)  # the framework runs pages in parallel
        self.version = f"paddleocr {paddleocr.__version__} ({det_name}, {rec_name})"
        try:
            self._ocr = paddleocr.PaddleOCR(
                text_detection_model_name=det_name, text_detection_model_dir=str(det_model_dir),
                text_recognition_model_name=rec_name,
                text_recognition_model_dir=str(rec_model_dir),
                use_doc_orientation_classify=False, use_doc_unwarping=False,
                use_textline_orientation=False, device=device, **options)
        except (RuntimeError, ValueError, OSError) as exc:
            raise EngineUnavailable(f"PaddleOCR could not load {det_model_dir} and "
                                    f"{rec_model_dir}: {exc}") from exc

    def recognize(self, image: np.ndarray, dpi: float) -> list[Block]:
        """Detected lines split into words at spaces, regrouped into lines and blocks.

        Line segments the detector split at a gap rejoin unless the gap is column-wide; ``dpi``
        is not used by PaddleOCR.
        """
        if image.ndim == 2:
            bgr = np.stack([image] * 3, axis=-1)
        else:
            bgr = np.ascontiguousarray(image[:, :, 2::-1])  # RGB(A) → BGR, as Paddle expects
        result = self._ocr.predict(bgr)[0]
        words = [word for text, score, box in zip(result["rec_texts"], result["rec_scores"],
                                                  result["rec_boxes"], strict=True)
                 for word in split_line(text, Box(*map(float, box)), float(score))]
        return words_to_blocks(words)


def split_line(text: str, box: Box, confidence: float) -> list[Word]:
    """A recognised line's words, each box a share of the line box proportional to its chars."""
    text = nfc(text)
    confidence = min(1.0, max(0.0, confidence))
    words: list[Word] = []
    start, length = 0, max(1, len(text))
    for token in text.split(" "):
        if token.strip():
            x0 = box.x0 + box.width * start / length
            x1 = box.x0 + box.width * (start + len(token)) / length
            words.append(Word(text=token.strip(), box=Box(x0, box.y0, x1, box.y1),
                              confidence=confidence))
        start += len(token) + 1
    return words


def _model_dir_problem(key: str, folder: str | None) -> str | None:
    if not folder:
        return f"{key} is not set"
    path = Path(folder)
    if not path.is_dir():
        return f"{key} {folder} does not exist"
    if not (path / "inference.yml").is_file():
        return f"{key} {folder} has no inference.yml (not a PaddleX inference model folder)"
    return None


def _read_config(folder: Path) -> dict[str, Any]:
    import yaml  # a dependency of paddleocr

    with (folder / "inference.yml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def _model_name(config: dict[str, Any]) -> str | None:
    """The model name PaddleX checks a folder against (``Global.model_name``)."""
    return (config.get("Global") or {}).get("model_name")


def _dictionary(config: dict[str, Any], folder: Path) -> list[str] | None:
    """The recogniser's characters: ``PostProcess.character_dict`` or a ``*dict*.txt`` file."""
    chars = (config.get("PostProcess") or {}).get("character_dict")
    if isinstance(chars, list):
        return [str(c) for c in chars]
    files = sorted(folder.glob("*dict*.txt"))
    return files[0].read_text(encoding="utf-8").splitlines() if files else None


def _warn_on_coverage(config: dict[str, Any], folder: Path, name: str | None) -> None:
    chars = _dictionary(config, folder)
    if chars is None:
        log.warning("recognition model %s: no character dictionary found in %s; cannot check "
                    "Vietnamese coverage", name, folder)
        return
    coverage = dictionary_coverage(chars)
    if not coverage.complete:
        log.warning("recognition model %s can write only %d of 134 accented Vietnamese letters; "
                    "missing %s", name, len(coverage.present), "".join(sorted(coverage.missing)))
