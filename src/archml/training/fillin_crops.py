"""Labelled fill-in crops cut from an archive's own catalogued scans.

An archive's catalogue already says what its clerks wrote by hand: the document number
(``codeNumber``) and the issue date (``issuedDate``). :func:`harvest` reads the first pages of
each labelled scan through the page stages (without ``fillins``), finds the fill-in gaps as the
``fillins`` stage does (:func:`~archml.fillins.stage.inked_gaps`), cuts each inked gap as the
stage gives it to the reader and labels it with the catalogue's value, written the way the
reader finds likelier (``5`` or ``05``). These crops adapt the reader to the archive's hands
(:mod:`archml.training.adapt_reader`). Records whose scans cannot be read are skipped and
counted; originals are only read.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from archml.document import Box
from archml.errors import ArchmlError
from archml.fillins.decide import RegionInk, is_handwritten
from archml.fillins.recognizer import DigitReader, default_reader, likeliest
from archml.fillins.regions import Kind, Region
from archml.fillins.stage import inked_gaps, reader_crop, run_on
from archml.pipeline import OCR_STAGES, Pipeline, PipelineConfig
from archml.training.data import Record

log = logging.getLogger(__name__)

PAGE_STAGES = [s for s in OCR_STAGES if s != "fillins"]
MAX_PAGES = 2
"""Pages of a scan looked at for its header's gaps (a cover sheet may come first)."""


@dataclass(frozen=True)
class FillinCrop:
    """One gap's crop (as the reader gets it) and what the catalogue says is written there."""

    image: np.ndarray = field(repr=False)
    text: str
    kind: Kind
    record: str
    handwritten: bool


@dataclass
class Harvest:
    """The crops and what happened to each record."""

    crops: list[FillinCrop] = field(default_factory=list)
    records: Counter[str] = field(default_factory=Counter)
    """``with crops``, ``no gap found``, ``no label``, ``unreadable``."""

    def summary(self) -> dict[str, object]:
        kinds = Counter(c.kind for c in self.crops)
        return {"crops": len(self.crops), "handwritten": sum(c.handwritten for c in self.crops),
                "kinds": dict(sorted(kinds.items())), "records": dict(sorted(self.records.items()))}


def written_forms(kind: Kind, record: Record) -> list[str]:
    """How the record's label can be written in a ``kind`` gap (``[]``: no usable label)."""
    source = record.fields.get("codeNumber" if kind == "number" else "issuedDate")
    value = source.value if source is not None else None
    if value is None:
        return []
    if kind == "number":
        text = str(value).strip()
        if not text.isdigit():
            return []
        bare = text.lstrip("0") or "0"
        return list(dict.fromkeys([text, bare, bare.zfill(2)]))
    try:
        issued = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:
        return []
    part = {"day": issued.day, "month": issued.month, "year": issued.year}[kind]
    return list(dict.fromkeys([str(part), f"{part:02d}"]))


def record_crops(record: Record, pipeline: Pipeline, reader: DigitReader) -> list[FillinCrop]:
    """The labelled crops of one record: from the first of its first :data:`MAX_PAGES` pages
    that has gaps, each kind whose gap is found once there and whose label is known."""
    for path in record.scan_paths()[:MAX_PAGES]:
        with pipeline.open(path) as document:
            for index in range(min(MAX_PAGES, document.n_pages)):
                page = pipeline.process_page(document, index, keep_image=True)
                found = inked_gaps(page, page.image)
                if found:
                    return _labelled(record, found, page.image, reader)
    return []


def _labelled(record: Record, found: list[tuple[Region, Box, RegionInk]], image: np.ndarray,
              reader: DigitReader) -> list[FillinCrop]:
    once = Counter(region.kind for region, _, _ in found)
    crops = []
    for region, box, ink in found:
        forms = written_forms(region.kind, record)
        if once[region.kind] != 1 or not forms:
            continue
        crop = reader_crop(image, box)
        reading = reader.read([crop])[0]
        handwritten = is_handwritten(ink, reading.text)
        if handwritten and region.kind == "number" and (wider := run_on(image, region, box)):
            crop = reader_crop(image, wider[1])
            reading = reader.read([crop])[0]
        likeliest_form = likeliest(reading, forms, reader.charset, 0.0)
        text = likeliest_form.text if likeliest_form else forms[0]
        crops.append(FillinCrop(crop, text, region.kind, record.id, handwritten))
    return crops


def harvest(records: Iterable[Record], reader: DigitReader | None = None,
            config: PipelineConfig | None = None) -> Harvest:
    """The labelled crops of ``records`` (those with a ``codeNumber`` or ``issuedDate``); the
    page stages of ``config`` (default settings) without ``fillins``."""
    base = config or PipelineConfig()
    pipeline = Pipeline(base.model_copy(update={"stages": PAGE_STAGES, "model": None}))
    reader = reader or default_reader()
    result = Harvest()
    for record in records:
        if not any(written_forms(kind, record) for kind in ("number", "day")):
            result.records["no label"] += 1
            continue
        try:
            crops = record_crops(record, pipeline, reader)
        except (ArchmlError, OSError) as error:
            log.warning("%s: %s", record.id, error)
            result.records["unreadable"] += 1
            continue
        result.records["with crops" if crops else "no gap found"] += 1
        result.crops += crops
    return result
