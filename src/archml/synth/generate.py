"""Generate one synthetic document with its ground truth.

Every document ``index`` of a run with ``seed`` draws from separate random streams, each seeded
by ``(seed, index, stream)``:

* ``CLASS``: nothing (the class comes from a balanced per-block permutation, :func:`type_for`);
* ``STYLE``: fonts, dpi, margins, leading, inks, handwriting, issue year, traps, degradation,
  born-digital or scanned.
  This stream is drawn by :func:`sample_style`, which never sees the class, so no rendering or
  scan artefact can carry it;
* ``CONTENT``: the values the template fills in (names, places, numbers, sentences);
* ``MARKS`` / ``DEGRADE``: signature strokes, seal opacity, scan noise.

A document therefore depends only on ``(seed, index, config)``: serial and parallel runs agree.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

import numpy as np

from archml.document import (
    Block,
    Box,
    Classification,
    Document,
    DocumentSource,
    FieldValue,
    Line,
    Page,
    PageSource,
    Prediction,
    Word,
)
from archml.synth import templates
from archml.synth.content import Copy, DocContent, FieldTruth, Para
from archml.synth.degrade import DegradeLevel, degrade_with_transform, preset_params, transform_box
from archml.synth.draw import DrawnPage, Hand, Inks, PilTypesetter, draw_page, draw_received_stamp
from archml.synth.fonts import BODY_FAMILIES, TYPEWRITER_FAMILIES, available, handwriting_files
from archml.synth.layout import Geometry, flow_document
from archml.synth.templates import TYPE_IDS, Fill
from archml.synth.values import Sampler, vietnamese_date
from archml.taxonomy import SECRECY_LEVELS, URGENCY_LEVELS, doc_type

STREAM_STYLE, STREAM_CONTENT, STREAM_MARKS, STREAM_DEGRADE = 1, 2, 3, 4
Mix = DegradeLevel | Literal["mixed"]
DPIS = (150, 200, 300)


@dataclass(frozen=True)
class SynthConfig:
    """What to generate. ``degrade="mixed"`` draws none/light/heavy per document (30/40/30 %);
    ``dpi=None`` draws 150/200/300 dpi; ``handwriting`` is the share of documents whose number
    and date are filled in by hand; ``traps`` the share carrying stamps or a copy block;
    ``born_digital`` the share written as text PDFs (typed, never stamped or scanned: clean
    whatever ``degrade`` says; 0 for scans only); ``hand_fonts`` the font files fill-ins are
    written in (default: every installed font of :data:`~archml.synth.fonts.HANDWRITING_FILES`),
    e.g. one font for a collection written by one clerk."""

    types: tuple[str, ...] = TYPE_IDS
    degrade: Mix = "mixed"
    dpi: int | None = None
    handwriting: float = 0.5
    traps: float = 0.3
    born_digital: float = 0.1
    hand_fonts: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        unknown = [t for t in self.types if t not in TYPE_IDS]
        if unknown or not self.types:
            raise ValueError(f"unknown document types {unknown or '(none given)'}; choose from "
                             f"{', '.join(TYPE_IDS)}")
        if self.degrade not in ("none", "light", "heavy", "mixed"):
            raise ValueError(f"degrade must be none, light, heavy or mixed, not {self.degrade!r}")
        if self.dpi is not None and not 72 <= self.dpi <= 600:
            raise ValueError(f"dpi must be between 72 and 600, not {self.dpi}")
        for name in ("handwriting", "traps", "born_digital"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be a share between 0 and 1")
        missing = [f for f in self.hand_fonts or () if not Path(f).is_file()]
        if missing or self.hand_fonts == ():
            raise ValueError(f"hand_fonts: no font file {missing or '(none given)'}")


@dataclass(frozen=True)
class Traps:
    received: bool = False
    copy: bool = False
    secrecy: str | None = None
    urgency: str | None = None


@dataclass(frozen=True)
class Style:
    """Everything about how a document looks, drawn without knowing its class."""

    geometry: Geometry
    family: str
    hand: Hand
    inks: Inks
    fill: Fill
    issued: date
    level: DegradeLevel
    traps: Traps
    typewriter: bool
    born_digital: bool = False

    def export(self) -> dict[str, Any]:
        g = self.geometry
        return {"dpi": g.dpi, "font": self.family, "size_pt": round(g.size_pt, 2),
                "leading": round(g.leading, 3), "margins_mm": [round(m, 1) for m in g.margins],
                "hand_font": self.hand.font.rsplit("/", 1)[-1], "typewriter": self.typewriter,
                "handwritten_number": self.fill.number, "handwritten_date": self.fill.date,
                "received_stamp": self.traps.received, "copy_block": self.traps.copy,
                "level": self.level, "born_digital": self.born_digital}


def rng_for(seed: int, index: int, stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, index, stream])


def type_for(seed: int, index: int, types: tuple[str, ...]) -> str:
    """Balanced classes: each block of ``len(types)`` documents holds every type once."""
    block, pos = divmod(index, len(types))
    order = np.random.default_rng([seed, block, 0]).permutation(len(types))
    return types[int(order[pos])]


def sample_style(seed: int, index: int, config: SynthConfig) -> Style:
    """The look of document ``index``; a function of ``(seed, index, config)`` only."""
    r = rng_for(seed, index, STREAM_STYLE)
    era = r.choice(5, p=[0.12, 0.18, 0.35, 0.23, 0.12])
    start, end = [(1990, 2000), (2000, 2010), (2010, 2020), (2020, 2025.5), (2025.5, 2026.3)][era]
    issued = date(int(start), 1, 1) + timedelta(days=int(r.uniform(0, (end - start) * 365)))
    typewriter = issued.year < 2000 and r.random() < 0.6
    families = available(TYPEWRITER_FAMILIES if typewriter else BODY_FAMILIES)
    weights = np.array([3.0 if i < 2 else 1.0 for i in range(len(families))])
    family = families[int(r.choice(len(families), p=weights / weights.sum()))]
    dpi = config.dpi or int(r.choice(DPIS, p=[0.3, 0.5, 0.2]))
    geo = Geometry(dpi=dpi, size_pt=float(r.choice([12.5, 13, 13.5, 14])),
                   leading=float(r.uniform(1.1, 1.4)),
                   margins=(float(r.uniform(15, 25)), float(r.uniform(15, 25)),
                            float(r.uniform(25, 35)), float(r.uniform(12, 20))),
                   para_gap_pt=float(r.uniform(2, 8)), indent_mm=float(r.uniform(8, 14)),
                   header_shift_mm=float(r.uniform(-4, 4)))
    fonts = config.hand_fonts or handwriting_files()
    hand = Hand(fonts[int(r.integers(len(fonts)))], float(r.uniform(1.1, 1.5)),
                bool(r.random() < 0.5))
    blue = r.random() < 0.7
    inks = Inks(text=tuple(int(v) for v in r.integers(0, 40, 3)),  # type: ignore[arg-type]
                hand=(int(r.integers(10, 50)), int(r.integers(30, 70)),
                      int(r.integers(120, 190))) if blue else (30, 30, 35),
                stamp=(int(r.integers(170, 230)), int(r.integers(20, 60)), int(r.integers(30, 80))),
                seal=(int(r.integers(190, 235)), int(r.integers(20, 60)), int(r.integers(30, 70))))
    handwritten = r.random() < config.handwriting
    fill = Fill(number=handwritten, date=handwritten and r.random() < 0.8)
    trap = r.random() < config.traps
    traps = Traps(received=trap and r.random() < 0.5, copy=trap and r.random() < 0.35,
                  secrecy=SECRECY_LEVELS[int(r.integers(3))] if trap and r.random() < 0.2
                  else None,
                  urgency=URGENCY_LEVELS[int(r.integers(3))] if trap and r.random() < 0.25
                  else None)
    level = (config.degrade if config.degrade != "mixed"
             else str(r.choice(["none", "light", "heavy"], p=[0.3, 0.4, 0.3])))
    # drawn last, so the draws above are the same whatever the share
    born_digital = bool(r.random() < config.born_digital) and not typewriter
    if born_digital:  # typed and saved as PDF: no pen, no received stamp, no scanner
        fill, traps, level = Fill(number=False, date=False), replace(traps, received=False), "none"
    return Style(geo, family, hand, inks, fill, issued, level, traps,  # type: ignore[arg-type]
                 typewriter, born_digital)


@dataclass
class SynthDocument:
    """A generated document: page images and the ground-truth tree, fields and parameters."""

    id: str
    type_id: str
    images: list[np.ndarray]
    document: Document
    style: Style
    degradation: list[dict[str, Any]]
    marks: list[list[dict[str, Any]]] = field(default_factory=list)
    field_boxes: dict[str, list[tuple[int, Box]]] = field(default_factory=dict)


def generate_document(seed: int, index: int, config: SynthConfig | None = None) -> SynthDocument:
    """Document ``index`` of the run ``seed``; identical for identical arguments."""
    config = config or SynthConfig()
    type_id = type_for(seed, index, config.types)
    style = sample_style(seed, index, config)
    sampler = Sampler(rng_for(seed, index, STREAM_CONTENT), style.issued)
    content = templates.build(type_id, sampler, style.fill)
    _add_traps(content, style.traps, sampler)
    ts = PilTypesetter(style.family, style.geometry.dpi)
    layouts = flow_document(content, ts, style.geometry)
    marks_rng = rng_for(seed, index, STREAM_MARKS)
    drawn = [draw_page(p, ts, inks=style.inks, hand=style.hand, rng=marks_rng) for p in layouts]
    if style.traps.received:
        received = style.issued + timedelta(days=int(marks_rng.integers(1, 20)))
        draw_received_stamp(drawn[0], ts, organ=_short_receiver(sampler), number=str(
            marks_rng.integers(1, 9999)), received=f"{received.day}/{received.month}/"
            f"{received.year % 100:02d}", inks=style.inks, hand=style.hand, rng=marks_rng)
    images, pages, degradation, field_boxes, marks = [], [], [], {}, []
    for i, page in enumerate(drawn):
        params = _degrade_params(style, seed, index, i, page.image.shape[1])
        image, matrix = (degrade_with_transform(page.image, seed=_page_seed(seed, index, i),
                                                **params) if params else (page.image, None))
        images.append(image)
        degradation.append(params)
        pages.append(_page(i, image, style.geometry.dpi, page, matrix, params))
        for name, boxes in page.field_boxes.items():
            field_boxes.setdefault(name, []).extend((i, _move(b, matrix)) for b in boxes)
        marks.append([{**m, "box": list(_move(Box(*m["box"]), matrix))} for m in page.marks])
    hand_fields = set().union(*(p.hand_fields for p in drawn))
    doc_id = f"synth-{seed}-{index:06d}"
    document = Document(
        source=_source(doc_id, images), pages=pages,
        classification=_classification(type_id),
        fields=_fields(content, field_boxes, hand_fields, len(pages)))
    return SynthDocument(doc_id, type_id, images, document, style, degradation, marks,
                         field_boxes)


def _page_seed(seed: int, index: int, page: int) -> int:
    return int(rng_for(seed, index, STREAM_DEGRADE + page).integers(2**31))


def _degrade_params(style: Style, seed: int, index: int, page: int, width: int) -> dict[str, Any]:
    params = preset_params(style.level, _page_seed(seed, index, page), width)
    if style.typewriter and style.level != "none":
        params["ink_wear"] = 0.5
    return params


def _move(box: Box, matrix: np.ndarray | None) -> Box:
    if matrix is None:
        return box
    return Box(*(round(v, 1) for v in transform_box(tuple(box), matrix)))


def _page(index: int, image: np.ndarray, dpi: int, drawn: DrawnPage, matrix: np.ndarray | None,
          params: dict[str, Any]) -> Page:
    blocks = [Block.from_lines([Line.from_words([Word(text=w.text, box=_move(w.box, matrix))
                                                 for w in ln.words]) for ln in b.lines],
                               zone=b.zone) for b in drawn.blocks]
    height, width = image.shape[:2]
    return Page(index=index, width=width, height=height, blocks=blocks,
                source=PageSource(page_index=index, dpi=dpi,
                                  rotation=int(params.get("rotate90", 0))))


def _source(doc_id: str, images: list[np.ndarray]) -> DocumentSource:
    """Provisional source: hash of the pixels; the writer replaces it with the file's."""
    digest = hashlib.sha256()
    for image in images:
        digest.update(np.ascontiguousarray(image).tobytes())
    return DocumentSource(path=doc_id, sha256=digest.hexdigest(), mime="image/png",
                          size_bytes=0, n_pages=len(images))


def _classification(type_id: str) -> Classification:
    dt = doc_type(type_id)
    return Classification(domain=Prediction(label=dt.domain.value, confidence=1.0),
                          form=Prediction(label=dt.type_code, confidence=1.0),
                          doc_type=Prediction(label=type_id, confidence=1.0), method="synth")


def raw_texts(content: DocContent) -> dict[str, str]:
    """Each field's text as printed: spans of one paragraph joined by spaces (or nothing before
    glued punctuation), paragraphs joined by newlines."""
    per_para: dict[str, list[str]] = {}
    paras: list[Para] = []
    for element in content.elements:
        for attr in ("organ", "under_organ", "under_motto", "authority", "distribution"):
            paras += list(getattr(element, attr, ()))
        if isinstance(element, Para):
            paras.append(element)
        if hasattr(element, "name") and isinstance(element.name, Para):
            paras.append(element.name)
        for row in getattr(element, "rows", ()):
            paras += [Para((cell,)) for cell in row]
    for para in paras:
        parts: dict[str, str] = {}
        for span in para.spans:
            if span.field:
                sep = "" if span.glue or span.field not in parts else " "
                parts[span.field] = parts.get(span.field, "") + sep + span.text
        for name, text in parts.items():
            per_para.setdefault(name, []).append(text)
    raws = {name: "\n".join(texts) for name, texts in per_para.items()}
    for name in ("secrecy", "urgency"):
        if getattr(content, name):
            raws[name] = getattr(content, name)
    return raws


def _fields(content: DocContent, boxes: dict[str, list[tuple[int, Box]]], hand: set[str],
            n_pages: int) -> dict[str, FieldValue]:
    raws = raw_texts(content)
    values = dict(content.values)
    values["numberOfPage"] = FieldTruth(n_pages, box=False)
    out: dict[str, FieldValue] = {}
    for name in sorted(values):
        truth = values[name]
        source = truth.same_as or name
        placed = boxes.get(source, []) if truth.box else []
        if truth.box and not placed:
            continue  # laid out beyond the last page: not on the document
        page = placed[0][0] if placed else None
        box = Box.enclosing(b for p, b in placed if p == page) if placed else None
        out[name] = FieldValue(name=name, raw=raws.get(source, str(truth.value)) if truth.box
                               else "", value=truth.value, confidence=1.0, page=page, box=box,
                               method="handwriting" if source in hand else "synth")
    return out


def _add_traps(content: DocContent, traps: Traps, s: Sampler) -> None:
    """Secrecy/urgency stamps and a "SAO Y" copy block, chosen by the style stream."""
    if traps.secrecy:
        content.secrecy = traps.secrecy
        content.values["secrecy"] = FieldTruth(traps.secrecy)
    if traps.urgency:
        content.urgency = traps.urgency
        content.values["urgency"] = FieldTruth(traps.urgency)
    if traps.copy:
        organ = s.ubnd("province")
        day = s.issued + timedelta(days=s.integer(1, 400))
        content.copy = Copy((f"UBND {s.province_kind.upper()} {s.province_name.upper()}",
                             "VĂN PHÒNG"), f"Số: {s.integer(1, 300):02d}/SY-VP",
                            vietnamese_date(organ.place, day),
                            ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"), s.person().name)


def _short_receiver(s: Sampler) -> str:
    return f"UBND {s.province_kind.upper()} {s.province_name.upper()}"
