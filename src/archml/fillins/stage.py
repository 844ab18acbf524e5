"""The ``fillins`` page stage: read handwritten numbers, days and months with the digit reader.

Runs after ``layout`` on the page image. For every gap of :func:`~archml.fillins.regions.
find_regions` with ink in it and judged handwritten by :func:`~archml.fillins.decide.
is_handwritten`, the crop (black print painted out where the ink is a blue pen's) is read by the
ONNX digit reader; a plausible reading (day 1–31,
month 1–12, year 1900–2100, number 1–99999) replaces what OCR made of the gap as one word with
``handwritten=True`` and the reader's confidence. A day, month or year read as a value it cannot
hold (``93`` for a day) takes instead the value the reader's scores make most probable, when that
reaches :data:`MIN_LIKELIEST`; otherwise the gap is emptied, so the field layer reports a partial
date instead of a wrong one (a year gap keeps what OCR read: without a year there is no date). A
printed year that OCR garbled (:func:`misread_year`) is read by the digit reader too and, when
plausible, replaced by a word that is not marked handwritten.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from archml.document import Box, Page, Word
from archml.fillins.decide import RegionInk, is_handwritten, region_ink
from archml.fillins.recognizer import DigitReader, Reading, default_reader, likeliest
from archml.fillins.regions import (
    Kind,
    Region,
    find_regions,
    ink_box,
    replace_words,
    without_print,
)
from archml.stages import Stage, Timer

RANGES: dict[Kind, tuple[int, int]] = {
    "day": (1, 31), "month": (1, 12), "year": (1900, 2100), "number": (1, 99_999)}
MAX_DIGITS: dict[Kind, int] = {"day": 2, "month": 2, "year": 4, "number": 5}
"""Most digits a value of each kind is written with (days and months may be zero-padded, a
number too: ``08``); a year has exactly four, so ``02010`` is not one."""

MIN_LIKELIEST = 0.05
"""Least probability (all alignments) for a plausible value to replace an implausible reading."""


def plausible(kind: Kind, text: str) -> bool:
    """``text`` is a value a clerk could have written in a ``kind`` gap."""
    low, high = RANGES[kind]
    return text.isdigit() and len(text) <= MAX_DIGITS[kind] and low <= int(text) <= high


def date_values(kind: Kind) -> list[str]:
    """What a day, month or year gap can hold as written (days and months also zero-padded)."""
    low, high = RANGES[kind]
    padded = [f"{v:02d}" for v in range(low, min(high, 9) + 1)]
    return [str(v) for v in range(low, high + 1)] + padded


class FillinStage(Stage):
    """Page stage ``fillins`` (needs ``page.image``; pages without one are left alone).
    ``model_dir``: another reader model (``stage_options: {"fillins": {"model_dir": ...}}``)."""

    name = "fillins"

    def __init__(self, model_dir: str | None = None) -> None:
        self.model_dir = model_dir
        self._reader: DigitReader | None = None

    @property
    def reader(self) -> DigitReader:
        """The ONNX session, opened on first use, once per process."""
        if self._reader is None:
            self._reader = DigitReader(self.model_dir) if self.model_dir else default_reader()
        return self._reader

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the settings only: each worker process opens its own session."""
        return {**self.__dict__, "_reader": None}

    def _run_on(self, image: np.ndarray, region: Region, box: Box, reading: Reading
                ) -> tuple[Region, Box, Reading]:
        """A handwritten number read again with the strokes that run past its gap
        (:func:`run_on`)."""
        wider = run_on(image, region, box)
        if wider is None:
            return region, box, reading
        return *wider, self.reader.read([reader_crop(image, wider[1])])[0]

    def process_page(self, page: Page) -> None:
        if page.image is None:
            return
        with Timer() as timer:
            found = inked_gaps(page, page.image)
            todo = [item for item in found if is_handwritten(item[2]) or misread_year(item[2])]
            readings = dict(zip(map(id, todo), self.reader.read(
                [reader_crop(page.image, b) for _, b, _ in todo]), strict=True))
            notes: list[dict[str, Any]] = []
            # right to left, so the character offsets of the regions not yet done stay valid
            for item in sorted(found, key=lambda it: -it[0].start):
                region, box, ink = item
                reading = readings.get(id(item))
                handwritten = reading is not None and is_handwritten(ink, reading.text)
                if handwritten and region.kind == "number":
                    region, box, reading = self._run_on(page.image, region, box, reading)
                greedy = reading
                use = handwritten or misread_year(ink)
                if reading is not None and use:
                    reading = date_part(region.kind, reading, self.reader.charset)
                notes.append({"box": [round(v) for v in box], **ink.export(),
                              "handwritten": handwritten,
                              **({"read": reading.text, "confidence": reading.confidence}
                                 if reading else {}),
                              **({"greedy": greedy.text} if greedy is not reading else {})})
                if reading is None or not use:
                    continue
                if plausible(region.kind, reading.text):
                    replace_words(region, Word(text=reading.text, box=box, handwritten=handwritten,
                                               confidence=reading.confidence))
                elif region.kind != "year":  # without a year there would be no date at all
                    replace_words(region, None)
        page.record(self.name, seconds=timer.seconds, regions=notes[::-1])


def inked_gaps(page: Page, image: np.ndarray) -> list[tuple[Region, Box, RegionInk]]:
    """Every fill-in gap of ``page`` (:func:`find_regions`) with ink in it on ``image``: the
    gap, the box of its ink and what :func:`is_handwritten` decides from."""
    return [(region, box, region_ink(image, region, box)) for region in find_regions(page)
            if (box := ink_box(image, region)) is not None]


def run_on(image: np.ndarray, region: Region, box: Box) -> tuple[Region, Box] | None:
    """A handwritten number's gap taking the strokes that start in it and run past it
    (:attr:`Region.runs_on`) and their box, when that box differs from ``box``; used only once
    the gap is judged handwritten, so a printed ``01/QĐ`` is not read ``011``."""
    wider = replace(region, runs_on=True)
    found = ink_box(image, wider)
    return None if found is None or found == box else (wider, found)


def misread_year(ink: RegionInk) -> bool:
    """A printed year that OCR did not read as one (``20/8``, ``19#``, nothing): the digit
    reader, which reads print too, reads it instead, and a plausible reading replaces OCR's."""
    return ink.kind == "year" and not plausible("year", ink.ocr_text)


def date_part(kind: Kind, reading: Reading, charset: str) -> Reading:
    """An implausible day, month or year reading replaced by the likeliest value it can hold,
    when that reaches :data:`MIN_LIKELIEST`; a year read with extra digits at its ends
    (``12015``: the last leg of ``năm`` read as a ``1``) by the one plausible year among its
    four-digit runs (``02010``: the loop of a cursive ``2`` read as a ``0``); other readings as
    they are."""
    if kind == "number" or plausible(kind, reading.text):
        return reading
    if kind == "year" and len(years := _years_within(reading.text)) == 1:
        return replace(reading, text=years.pop())
    return likeliest(reading, date_values(kind), charset, MIN_LIKELIEST) or reading


def _years_within(text: str) -> set[str]:
    runs = {text[i:i + 4] for i in range(len(text) - 3)}
    return {run for run in runs if plausible("year", run)}


def reader_crop(image: np.ndarray, box: Box) -> np.ndarray:
    """The reader's input: the ink box, black print painted out where the ink is a pen's."""
    return without_print(image[int(box.y0):int(box.y1) + 1, int(box.x0):int(box.x1) + 1])
