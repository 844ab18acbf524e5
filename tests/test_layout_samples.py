"""Acceptance test of the layout stage on the real labelled scans in data/samples/.

Page 1 of each sample is read by ``archml.io`` at 300 dpi, OCR'ed by the Tesseract engine of
``archml.ocr`` and laid out by :class:`LayoutStage`. The zones must then hold the labelled
values:

- NUMBER holds the ký hiệu (``code_notation``), and the number (``code_number``) where it is
  printed. Every sample but vbhc13 has a handwritten number, which Tesseract garbles ("86" →
  "66§"), so only vbhc13's number is checked.
- PLACE_DATE holds the place, the year, and the month after "tháng" (read with the usual
  digit confusions: "0I" → "01"). Days are handwritten and not checked.
- TITLE holds the form name (a công văn has no title line, so its TITLE must be empty), and
  TITLE + SUBJECT hold the subject.

Texts are compared after NFC, lower case and whitespace collapsing (ký hiệu: all whitespace
removed), with :func:`archml.layout.text.partial_similarity`: one minus the edit distance of the
label to the best-matching window of the zone text, over the label's length, diacritics kept.
A value matches when that similarity is at least ``THRESHOLD`` = 0.85.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archml.document import Page, Zone
from archml.io import ReadConfig, open_document
from archml.layout import LayoutStage
from archml.layout.text import fold, normalize, partial_similarity
from archml.ocr import create_engine
from conftest import SAMPLES, load_labels

THRESHOLD = 0.85
LABELS = load_labels()
PRINTED_NUMBERS = {"vbhc13"}  # numbers of the other samples are handwritten
DIGIT_LOOKALIKES = str.maketrans("oøiìíïl|!", "001111111")


@pytest.fixture(scope="module")
def pages() -> dict[str, Page]:
    """Page 1 of every sample, OCR'ed once per test module and laid out."""
    engine = create_engine("tesseract")
    stage = LayoutStage()
    result = {}
    for sample in LABELS:
        with open_document(SAMPLES / f"{sample}.pdf", ReadConfig(dpi=300)) as reader:
            page = reader.load_page(0)
        page.blocks = engine.recognize(page.image, page.source.dpi)
        stage.process_page(page)
        result[sample] = page
    return result


def similar(label: str, text: str) -> float:
    return partial_similarity(normalize(label), normalize(text))


def month_after_thang(text: str) -> int | None:
    """The month number written after "tháng", read through OCR digit look-alikes."""
    match = re.search(r"thang\s*(\S{1,2})", fold(text))
    digits = match.group(1).translate(DIGIT_LOOKALIKES) if match else ""
    return int(digits) if digits.isdigit() else None


@pytest.mark.parametrize("sample", sorted(LABELS))
def test_number_zone(pages: dict[str, Page], sample: str) -> None:
    label, text = LABELS[sample], pages[sample].zone_text(Zone.NUMBER)
    compact = re.sub(r"\s+", "", text)
    assert similar(label["code_notation"], compact) >= THRESHOLD, text
    if sample in PRINTED_NUMBERS:
        assert label["code_number"] in compact, text


@pytest.mark.parametrize("sample", sorted(LABELS))
def test_place_date_zone(pages: dict[str, Page], sample: str) -> None:
    label, text = LABELS[sample], pages[sample].zone_text(Zone.PLACE_DATE)
    year, month, _ = label["issued_date"].split("-")
    assert similar(label["place"], text) >= THRESHOLD, text
    assert year in text
    assert month_after_thang(text) == int(month), text


@pytest.mark.parametrize("sample", sorted(LABELS))
def test_title_and_subject_zones(pages: dict[str, Page], sample: str) -> None:
    label, page = LABELS[sample], pages[sample]
    title = page.zone_text(Zone.TITLE)
    if label["form"] == "Công văn":
        assert title == ""
    else:
        assert similar(label["form"], title) >= THRESHOLD, title
    heading = f"{title} {page.zone_text(Zone.SUBJECT)}"
    assert similar(label["subject"], heading) >= THRESHOLD, heading


def test_received_stamp_is_not_the_issue_date(pages: dict[str, Page]) -> None:
    """vbhc18 carries a "CV ĐẾN Số: 2770 Ngày: 04/4/18" stamp over its first paragraph."""
    page = pages["vbhc18"]
    assert "ĐẾN" in page.zone_text(Zone.RECEIVED_STAMP)
    assert "2018" in page.zone_text(Zone.PLACE_DATE)
    assert "04/4" not in page.zone_text(Zone.PLACE_DATE)


def test_organ_zone(pages: dict[str, Page]) -> None:
    for sample, label in LABELS.items():
        organ = pages[sample].zone_text(Zone.ORGAN).replace("\n", " - ")
        assert similar(label["organ_name"], organ) >= THRESHOLD, (sample, organ)


def test_samples_are_present() -> None:
    assert sorted(p.stem for p in Path(SAMPLES).glob("*.pdf")) == sorted(LABELS)
