"""Tesseract 5 through tesserocr: one API handle per engine, reused for every page.

Tesseract's own OpenMP threads make it several times slower when pages already run in parallel
processes, so ``OMP_THREAD_LIMIT=1`` is set before libtesseract loads (a user's own value wins).
The true scan resolution is passed for every page; Tesseract's guess moves CER by ~2 points.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from pathlib import Path
from typing import Literal

import cv2
import numpy as np
import tesserocr

from archml.document import Block, Box, Line, Word, nfc
from archml.errors import EngineUnavailable

KNOWN_TESSDATA = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
)


def find_tessdata(lang: str, tessdata: str | None = None) -> Path:
    """The tessdata folder: ``tessdata`` → ``$TESSDATA_PREFIX`` → known Debian/Ubuntu folders.

    The first existing folder holding every language of ``lang`` (``"vie+eng"`` needs both files)
    wins; raises EngineUnavailable when there is none.
    """
    candidates = [tessdata] if tessdata else (
        [os.environ["TESSDATA_PREFIX"]] if os.environ.get("TESSDATA_PREFIX") else KNOWN_TESSDATA)
    parts = lang.split("+")
    files = [f"{part}.traineddata" for part in parts]
    existing = [Path(c) for c in candidates if Path(c).is_dir()]
    for folder in existing:
        if all((folder / f).is_file() for f in files):
            return folder
    where = ", ".join(map(str, existing)) or f"(no such folder: {', '.join(candidates)})"
    packages = " ".join(f"tesseract-ocr-{part}" for part in parts)
    raise EngineUnavailable(f"{' and '.join(files)} not found in {where}; install the language "
                            f"data (Debian/Ubuntu: `apt-get install {packages}`) or set "
                            "TESSDATA_PREFIX to the folder holding it")


ColourInput = Literal["auto", "grey", "colour"]
GREY_PAGE_COLOUR_SHARE = 0.02
"""Pages with less colour than this go to Tesseract as one grey channel (``colour="auto"``)."""


class TesseractEngine:
    """Tesseract LSTM (``oem=1``) with automatic page segmentation (``psm=3``) by default.

    ``colour``: Tesseract thresholds each channel of a colour image, which helps on tinted
    paper and colour scans but costs ~15% more time; a page with (almost) no colour pixels
    loses nothing as grey, so ``auto`` sends those as one grey channel (measured in
    ``benchmarks/ocr_quality.py``); ``grey``/``colour`` force one way.
    """

    name = "tesseract"

    def __init__(self, lang: str = "vie", psm: int = 3, oem: int = 1, tessdata: str | None = None,
                 variables: dict[str, str] | None = None, colour: ColourInput = "auto") -> None:
        self.lang, self.psm, self.oem, self.colour = lang, psm, oem, colour
        self.tessdata = find_tessdata(lang, tessdata)
        self.version = tesserocr.tesseract_version().splitlines()[0].strip()
        try:
            self._api = tesserocr.PyTessBaseAPI(path=str(self.tessdata), lang=lang,
                                                psm=psm, oem=oem)
        except (RuntimeError, ValueError) as exc:
            raise EngineUnavailable(f"Tesseract could not load {lang!r} from {self.tessdata} "
                                    f"(psm={psm}, oem={oem}): {exc}") from exc
        for key, value in (variables or {}).items():
            if not self._api.SetVariable(key, str(value)):
                self.close()
                raise EngineUnavailable(f"Tesseract has no variable {key!r}")

    def recognize(self, image: np.ndarray, dpi: float) -> list[Block]:
        api = self._api
        pixels = _contiguous(image)
        if pixels.ndim == 3 and (self.colour == "grey" or (
                self.colour == "auto" and colour_share(pixels) < GREY_PAGE_COLOUR_SHARE)):
            pixels = cv2.cvtColor(pixels, cv2.COLOR_RGBA2GRAY if pixels.shape[2] == 4
                                  else cv2.COLOR_RGB2GRAY)
        depth = 1 if pixels.ndim == 2 else pixels.shape[2]
        # raw bytes: no image encoding on the way in (SetImage would write a BMP per page)
        api.SetImageBytes(pixels.tobytes(), pixels.shape[1], pixels.shape[0], depth,
                          pixels.shape[1] * depth)
        api.SetSourceResolution(round(dpi))
        api.Recognize()
        blocks: list[Block] = []
        lines: list[Line] = []
        words: list[Word] = []

        def end_line() -> None:
            if words:
                lines.append(Line.from_words(words.copy()))
                words.clear()

        def end_block() -> None:
            end_line()
            if lines:
                blocks.append(Block.from_lines(lines.copy()))
                lines.clear()

        iterator = api.GetIterator()
        level = tesserocr.RIL.WORD
        for item in tesserocr.iterate_level(iterator, level):
            if item.IsAtBeginningOf(tesserocr.RIL.BLOCK):
                end_block()
            elif item.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
                end_line()
            try:
                text = nfc(item.GetUTF8Text(level).strip())
            except RuntimeError:  # an empty page or a word without text
                continue
            box = item.BoundingBox(level)
            if not text or box is None:
                continue
            confidence = min(1.0, max(0.0, item.Confidence(level) / 100))
            words.append(Word(text=text, box=Box(*map(float, box)), confidence=confidence))
        end_block()
        api.Clear()
        return blocks

    def close(self) -> None:
        """Free Tesseract's memory; the engine is unusable afterwards."""
        api = self.__dict__.pop("_api", None)
        if api is not None:
            api.End()

    def __enter__(self) -> TesseractEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()


def colour_share(pixels: np.ndarray, spread: int = 24) -> float:
    """Share of pixels (every 4th row and column) whose channels differ by more than
    ``spread``: ~0 for black print on white paper, high for tinted paper and colour scans."""
    sample = pixels[::4, ::4, :3]
    return float(np.mean(sample.max(axis=2) - sample.min(axis=2) > spread))


def _contiguous(image: np.ndarray) -> np.ndarray:
    """A C-contiguous uint8 grey, RGB or RGBA array."""
    if image.dtype != np.uint8 or image.ndim not in (2, 3):
        raise ValueError(f"expected a uint8 grey or RGB image, got {image.dtype} {image.shape}")
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    return np.ascontiguousarray(image)
