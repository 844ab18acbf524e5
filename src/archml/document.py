"""The document tree: Document → Page → Block → Line → Word.

One data model for every stage. Boxes are pixel coordinates on the page image (origin top-left,
``x1``/``y1`` exclusive), and every page records the size of that image and where it came from,
so any word can be traced back to pixels of the source file. Stages annotate the tree in place
(zones on blocks, step records on pages); :meth:`Node.export` gives plain JSON and
:meth:`Node.from_export` rebuilds an equal tree from it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Any, Literal, NamedTuple, Self

import numpy as np
from pydantic import BaseModel, ConfigDict, Field


class Box(NamedTuple):
    """An axis-aligned rectangle ``(x0, y0, x1, y1)`` in page pixels."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0),
                   max(self.x1, other.x1), max(self.y1, other.y1))

    def intersection_area(self, other: Box) -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return max(0.0, w) * max(0.0, h)

    def vertical_overlap(self, other: Box) -> float:
        """Overlap of the two y-ranges, as a share of the shorter one (0–1)."""
        overlap = min(self.y1, other.y1) - max(self.y0, other.y0)
        shorter = min(self.height, other.height)
        return max(0.0, overlap) / shorter if shorter > 0 else 0.0

    def normalized(self, width: float, height: float) -> tuple[int, int, int, int]:
        """The box on the 0–1000 grid that layout models (LayoutLM, LiLT) expect."""

        def scale(value: float, size: float) -> int:
            return int(min(1000, max(0, round(1000 * value / size))))

        return (scale(self.x0, width), scale(self.y0, height),
                scale(self.x1, width), scale(self.y1, height))

    @classmethod
    def enclosing(cls, boxes: Iterable[Box]) -> Box:
        """The smallest box that holds all ``boxes`` (at least one)."""
        items = list(boxes)
        if not items:
            raise ValueError("enclosing() needs at least one box")
        return cls(min(b.x0 for b in items), min(b.y0 for b in items),
                   max(b.x1 for b in items), max(b.y1 for b in items))


class Zone(StrEnum):
    """Decree-30/2020 layout zones (boxes of Phụ lục I), plus the stamps found on scans."""

    ORGAN = "organ"  # ô 2: issuing organ, top left
    MOTTO = "motto"  # ô 1: national name and motto, top right
    NUMBER = "number"  # ô 3: "Số: 15/QĐ-BNV"
    PLACE_DATE = "place_date"  # ô 4: "Hà Nội, ngày 05 tháng 01 năm 2020"
    TITLE = "title"  # ô 5a: type name + subject
    SUBJECT = "subject"  # ô 5b: "V/v ..." of a công văn (or the subject line under the title)
    RECIPIENTS = "recipients"  # ô 9a: "Kính gửi"
    BODY = "body"  # ô 6
    SIGNER = "signer"  # ô 7: authority, title, name
    DISTRIBUTION = "distribution"  # ô 9b: "Nơi nhận"
    SECRECY = "secrecy"  # ô 10a: MẬT / TỐI MẬT / TUYỆT MẬT
    URGENCY = "urgency"  # ô 10b: KHẨN / THƯỢNG KHẨN / HỎA TỐC
    COPY = "copy"  # SAO Y / SAO LỤC / TRÍCH SAO block after the end of the document
    RECEIVED_STAMP = "received_stamp"  # "ĐẾN" stamp: a received date, not the issue date
    DIGITAL_SIGNATURE = "digital_signature"  # ô 14: "Ký bởi … Thời gian ký …" e-signature stamp
    PAGE_NUMBER = "page_number"
    FOOTER = "footer"  # ô 13: address, phone, e-mail


class Node(BaseModel):
    """Base of every tree node: strict fields and a uniform plain-JSON export."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    def export(self) -> dict[str, Any]:
        """Plain JSON-compatible dict (lists, dicts, str, float, int, bool, None)."""
        return self.model_dump(mode="json", exclude_none=False)

    @classmethod
    def from_export(cls, data: dict[str, Any]) -> Self:
        """Rebuild a node from :meth:`export` output."""
        return cls.model_validate(data)


class Word(Node):
    text: str
    box: Box
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    handwritten: bool = False
    """Read from handwriting (by the ``fillins`` stage), not printed."""


class Line(Node):
    words: list[Word] = Field(default_factory=list)
    box: Box

    @classmethod
    def from_words(cls, words: list[Word]) -> Line:
        return cls(words=words, box=Box.enclosing(w.box for w in words))

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def confidence(self) -> float | None:
        return _mean_confidence(self.words)


class Block(Node):
    lines: list[Line] = Field(default_factory=list)
    box: Box
    zone: Zone | None = None

    @classmethod
    def from_lines(cls, lines: list[Line], zone: Zone | None = None) -> Block:
        return cls(lines=lines, box=Box.enclosing(ln.box for ln in lines), zone=zone)

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)

    @property
    def words(self) -> list[Word]:
        return [w for ln in self.lines for w in ln.words]

    @property
    def confidence(self) -> float | None:
        return _mean_confidence(self.words)


class StepRecord(Node):
    """One processing step applied to a page: its name, settings/outcome and time taken."""

    name: str
    params: dict[str, Any] = Field(default_factory=dict)
    seconds: float | None = None


TextSource = Literal["none", "ocr", "text_layer"]


class PageSource(Node):
    """Where a page came from and what was done to its pixels."""

    file: str | None = None
    page_index: int = Field(ge=0)
    dpi: float = Field(gt=0)
    rotation: int = 0  # clockwise degrees applied to the source image: 0, 90, 180 or 270
    deskew_angle: float = 0.0  # degrees the image was rotated to straighten text lines
    text_source: TextSource = "none"
    steps: list[StepRecord] = Field(default_factory=list)


class Page(Node):
    """One page: its image size in pixels, provenance, and the OCR/layout result."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    index: int = Field(ge=0)
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    source: PageSource
    blocks: list[Block] = Field(default_factory=list)
    image: np.ndarray | None = Field(default=None, exclude=True, repr=False)
    """Working image (RGB or grey uint8). Not exported; dropped once a job no longer needs it."""
    text_layer: list[Word] | None = Field(default=None, exclude=True, repr=False)
    """Words of a PDF text layer, scaled to this page's pixels, before judging whether to use it."""

    @property
    def lines(self) -> list[Line]:
        return [ln for b in self.blocks for ln in b.lines]

    @property
    def words(self) -> list[Word]:
        return [w for b in self.blocks for w in b.words]

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    def zone_blocks(self, zone: Zone) -> list[Block]:
        return [b for b in self.blocks if b.zone == zone]

    def zone_text(self, zone: Zone) -> str:
        """Text of every block of ``zone`` on this page, in reading order."""
        return "\n".join(b.text for b in self.zone_blocks(zone))

    def record(self, name: str, seconds: float | None = None, **params: Any) -> None:
        """Append a :class:`StepRecord` to this page's provenance."""
        self.source.steps.append(StepRecord(name=name, params=params, seconds=seconds))

    def normalized_box(self, box: Box) -> tuple[int, int, int, int]:
        return box.normalized(self.width, self.height)

    def __eq__(self, other: object) -> bool:  # the image is a working buffer, not content
        return isinstance(other, Page) and self.export() == other.export()

    __hash__ = None  # type: ignore[assignment]


class DocumentSource(Node):
    """The original input: never modified, identified by its SHA-256."""

    path: str | None = None
    sha256: str
    mime: str
    size_bytes: int = Field(ge=0)
    n_pages: int = Field(ge=0)


FieldScalar = str | int | float | bool | None
FieldData = FieldScalar | list[FieldScalar] | dict[str, FieldScalar]


class FieldValue(Node):
    """One extracted metadata field (names from :mod:`archml.taxonomy`), traceable to pixels."""

    name: str
    raw: str
    """The text as read on the page (NFC)."""
    value: FieldData = None
    """Normalised value: ISO date, canonical code, number; ``None`` when it could not be parsed."""
    confidence: float = Field(ge=0.0, le=1.0)
    page: int | None = None
    box: Box | None = None
    problems: list[str] = Field(default_factory=list)
    """Validation problems, in words a clerk can act on; empty when the value is valid."""
    method: str = "rule"
    """What produced it: ``rule``, ``model``, ``handwriting``, ``text_layer``, ..."""


class Prediction(Node):
    """A label with its confidence and the runners-up, best first."""

    label: str
    confidence: float = Field(ge=0.0, le=1.0)
    top_k: list[tuple[str, float]] = Field(default_factory=list)


class Classification(Node):
    """Domain, TT05 form (``typeName`` code) and fine type of a document."""

    domain: Prediction
    form: Prediction
    doc_type: Prediction | None = None
    method: str = "rule"
    disputed: list[str] = Field(default_factory=list)
    """Heads another classifier answered differently, each with both answers (a reason for
    review: two independent readings of the page that do not agree)."""


class Document(Node):
    source: DocumentSource
    pages: list[Page] = Field(default_factory=list)
    classification: Classification | None = None
    fields: dict[str, FieldValue] = Field(default_factory=dict)
    """Extracted fields by name; stages that add them keep the best value per name."""
    steps: list[StepRecord] = Field(default_factory=list)
    """The document stages that ran (classifiers, extractors) and their time; page stages are
    recorded on each page's source."""

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)

    def words(self) -> Iterator[tuple[Page, Word]]:
        for page in self.pages:
            for word in page.words:
                yield page, word

    def drop_images(self) -> None:
        """Release page images (keeps boxes and text); call once pixels are no longer needed."""
        for page in self.pages:
            page.image = None
            page.text_layer = None


def _mean_confidence(words: list[Word]) -> float | None:
    values = [w.confidence for w in words if w.confidence is not None]
    return sum(values) / len(values) if values else None


def nfc(text: str) -> str:
    """Unicode NFC, the normal form archml stores all text in."""
    return unicodedata.normalize("NFC", text)
