"""Pieces every template shares: the field-tagging builder, Decree-30 header, number and date
lines, signer block and body text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from archml.document import FieldData, Zone
from archml.synth import data
from archml.synth.content import (
    DocContent,
    Element,
    FieldTruth,
    Header,
    Para,
    ParaKind,
    Signature,
    Span,
)
from archml.synth.values import MOTTO, NATIONAL_NAME, Organ, Person, Sampler, month_text
from archml.taxonomy import DocType


@dataclass(frozen=True)
class Fill:
    """Which blanks are filled by hand (drawn from the style stream, not from the class)."""

    number: bool = False
    date: bool = False


class Builder:
    """Collects elements and the normalised value of every tagged field."""

    def __init__(self, doc_type: DocType, s: Sampler, fill: Fill) -> None:
        self.doc_type, self.s, self.fill = doc_type, s, fill
        self.elements: list[Element] = []
        self.values: dict[str, FieldTruth] = {}
        self.seal: str | None = None

    def f(self, name: str, text: str, value: FieldData = None, **kw: object) -> Span:
        """A span holding field ``name``; its normalised value defaults to the text."""
        self.values[name] = FieldTruth(text if value is None else value)
        return Span(text, field=name, **kw)  # type: ignore[arg-type]

    def known(self, name: str, value: FieldData) -> None:
        """A field that is known but has no box of its own."""
        self.values[name] = FieldTruth(value, box=False)

    def add(self, *elements: Element) -> None:
        self.elements.extend(elements)

    def para(self, *spans: Span | str, kind: ParaKind = "body", **kw: object) -> None:
        self.add(Para(tuple(Span(s) if isinstance(s, str) else s for s in spans), kind, **kw))  # type: ignore[arg-type]

    def done(self) -> DocContent:
        return DocContent(self.doc_type, self.elements, self.values, seal_text=self.seal)

    # Decree-30 boxes ---------------------------------------------------------------------
    def organ_paras(self, organ: Organ) -> tuple[Para, ...]:
        """Box 2: parent line regular, issuing body bold; tagged ``organName``."""
        self.values["organName"] = FieldTruth(organ.name)
        paras = []
        for i, line in enumerate(organ.lines):
            last = i == len(organ.lines) - 1
            paras.append(Para((Span(line, field="organName"),), "center", Zone.ORGAN,
                              bold=last, size=-1))
        return tuple(paras)

    def number_para(self, number: str, notation: str, label: str = "Số:",
                    zone: Zone = Zone.NUMBER) -> Para:
        """Box 3 ``Số: 15/QĐ-BNV``; the number may be a handwritten fill-in."""
        num = self.f("codeNumber", number, hand=self.fill.number)
        slash = Span("/", glue=not self.fill.number)
        return Para((Span(label), num, slash, self.f("codeNotation", notation, glue=True)),
                    "center", zone)

    def date_spans(self, day: date, place: str | None, field: str = "issuedDate") -> list[Span]:
        """``Quảng Ngãi, ngày 05 tháng 01 năm 2020``; day and month may be handwritten."""
        hand = self.fill.date
        self.values[field] = FieldTruth(day.isoformat())
        spans = []
        if place:
            spans += [self.f("place", place), Span(",", glue=True)]
        spans += [Span("ngày", field=field), Span(f"{day.day:02d}", field=field, hand=hand),
                  Span("tháng", field=field), Span(month_text(day), field=field, hand=hand),
                  Span(f"năm {day.year}", field=field)]
        return spans

    def header(self, organ: Organ, number: str, notation: str, day: date,
               subject_under: Para | None = None, number_label: str = "Số:") -> None:
        date_para = Para(tuple(self.date_spans(day, organ.place)), "center", Zone.PLACE_DATE,
                         italic=True)
        under = (self.number_para(number, notation, number_label),)
        if subject_under:
            under += (subject_under,)
        self.add(Header(self.organ_paras(organ), under, (date_para,)))

    def motto_only(self) -> None:
        """National name and motto centred, no organ (applications, contracts)."""
        self.add(Para.of(NATIONAL_NAME, "center", zone=Zone.MOTTO, bold=True, size=-1),
                 Para.of(MOTTO, "center", zone=Zone.MOTTO, bold=True, size=0))

    def title(self, text: str, subject: str | None = None, size: float = 1) -> None:
        if text:
            self.values["typeName"] = FieldTruth(self.doc_type.type_code)
            self.add(Para((Span(text, field="typeName"),), "center", Zone.TITLE, bold=True,
                          size=size))
        if subject:
            self.add(Para((self.f("subject", subject),), "center", Zone.SUBJECT, bold=True))

    def signer(self, organ: Organ | None, person: Person, *, titles: tuple[str, ...] | None = None,
               distribution: tuple[str, ...] = (), seal: bool = True) -> None:
        """Box 7 (authority, title, name) and 9b (distribution); ``signer``/``signerTitle``."""
        if titles is None:
            assert organ is not None
            deputy = self.s.chance(0.4)
            if organ.collective:
                titles = ((f"TM. {organ.collective}", f"KT. {organ.head}", organ.deputy)
                          if deputy else (f"TM. {organ.collective}", organ.head))
            else:
                titles = (f"KT. {organ.head}", organ.deputy) if deputy else (organ.head,)
        self.values["signerTitle"] = FieldTruth(" - ".join(titles))
        authority = tuple(Para((Span(t, field="signerTitle"),), "center", Zone.SIGNER,
                               bold=True) for t in titles)
        name = Para((self.f("signer", person.name),), "center", Zone.SIGNER, bold=True)
        dist: tuple[Para, ...] = ()
        if distribution:
            dist = (Para.of("Nơi nhận:", "left", zone=Zone.DISTRIBUTION, bold=True, italic=True,
                            size=-1),)
            dist += tuple(Para.of(f"- {d}", "left", zone=Zone.DISTRIBUTION, size=-2)
                          for d in distribution)
        if seal and organ is not None:
            self.seal = " ".join(organ.lines)
        self.add(Signature(authority, name, dist, self.seal if seal else None))

    def distribution(self, organ: Organ, first: tuple[str, ...] = ()) -> tuple[str, ...]:
        items = self.s.sample(data.text("distribution"), self.s.integer(2, 4))
        return (*first, *items, f"Lưu: VT, {self.s.pick(data.load('organs')['drafting_units'])}.")

    # Body text ---------------------------------------------------------------------------
    def sentences(self, key: str, k: tuple[int, int] = (1, 3)) -> str:
        return " ".join(self.s.sample(data.text(key), self.s.integer(*k)))

    def paragraphs(self, key: str, n: tuple[int, int], numbered: bool = False) -> None:
        for i in range(self.s.integer(*n)):
            self.para((f"{i + 1}. " if numbered else "") + self.sentences(key))

    def bases(self, key: str = "bases") -> None:
        items = self.s.sample(data.text(key), self.s.integer(2, 3))
        for i, b in enumerate(items):
            self.para(b + ("." if i == len(items) - 1 else ";"), kind="basis")

    def label(self, label: str, value: Span, *more: Span) -> None:
        """A form line ``Label: value``; the value is bold."""
        self.para(Span(label), value, *more, kind="left")
