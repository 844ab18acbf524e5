"""What a synthetic document says, before any geometry: a list of elements whose text spans
carry field tags.

A :class:`Span` is a run of text in one style; ``field`` names the catalogue field
(:data:`archml.taxonomy.FIELDS`) whose raw text it is, and ``hand`` marks a handwritten fill-in.
Templates (:mod:`archml.synth.templates`) build a :class:`DocContent`; the layout places it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from archml.document import FieldData, Zone
from archml.taxonomy import DocType


@dataclass(frozen=True)
class Span:
    text: str
    field: str | None = None
    bold: bool | None = None  # None: the paragraph's style
    italic: bool | None = None
    hand: bool = False
    glue: bool = False  # no space before this span (punctuation after a field)


ParaKind = Literal["body", "basis", "heading", "center", "left", "right", "plain"]


@dataclass(frozen=True)
class Para:
    """One paragraph; ``size`` is added to the page's base size in points."""

    spans: tuple[Span, ...]
    kind: ParaKind = "body"
    zone: Zone | None = Zone.BODY
    bold: bool = False
    italic: bool = False
    size: float = 0.0
    upper: bool = False  # printed upper case (titles); the spans already are

    @classmethod
    def of(cls, text: str, kind: ParaKind = "body", **kw: object) -> Para:
        return cls((Span(text),), kind, **kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Table:
    """A ruled table; ``widths`` are shares of the text width; cells are single spans."""

    header: tuple[str, ...]
    rows: tuple[tuple[Span, ...], ...]
    widths: tuple[float, ...]
    zone: Zone | None = Zone.BODY


@dataclass(frozen=True)
class Header:
    """Decree-30 boxes 1–4 (and 5b): organ left, motto right, number and date under them."""

    organ: tuple[Para, ...]
    under_organ: tuple[Para, ...]
    under_motto: tuple[Para, ...]
    motto: bool = True


@dataclass(frozen=True)
class Signature:
    """Boxes 7 and 9b: distribution left, authority/title/name right, with seal and strokes."""

    authority: tuple[Para, ...]
    name: Para
    distribution: tuple[Para, ...] = ()
    seal: str | None = None  # text around the seal's ring; None: no seal
    signed: bool = True


@dataclass(frozen=True)
class Sketch:
    """A parcel sketch: a polygon with edge lengths (trích lục, GCN)."""

    label: str
    edges: tuple[float, ...]


@dataclass(frozen=True)
class Copy:
    """A "SAO Y" block after the end of the document (Phụ lục I, Phần II)."""

    organ: tuple[str, ...]
    number: str
    place_date: str
    authority: tuple[str, ...]
    name: str


Element = Header | Para | Table | Signature | Sketch


@dataclass(frozen=True)
class FieldTruth:
    """A field's normalised value; the raw text and boxes come from its tagged spans."""

    value: FieldData
    box: bool = True  # False: known but not printed (numberOfPage, typeName of a công văn)
    same_as: str | None = None  # printed once, under another field's name (court = organName)


@dataclass
class DocContent:
    doc_type: DocType
    elements: list[Element]
    values: dict[str, FieldTruth] = field(default_factory=dict)
    secrecy: str | None = None
    urgency: str | None = None
    seal_text: str | None = None
    copy: Copy | None = None
