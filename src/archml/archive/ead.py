"""TT05 descriptive metadata: ``EAD_doc`` per document, the hồ sơ ``EAD`` and the loose-document
header, each a ``<simpledc>`` element tree in the element order of the circular's AIP tables.

A value a person should check (the Result flags the field, it was not found, it was cut to the
circular's length, or only an archivist can know it) is written as read (or empty when there is
nothing to write) and preceded by a comment ``<!-- archml:review NAME: REASON -->``. Comments
are invisible to XSD validation, so a flagged file stays valid under any schema, the circular's
own included; the same flags come back as :class:`Flag` rows for the package's ``review.csv``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from archml import __version__
from archml.result import Result

REVIEW_PREFIX = "archml:review"

DOC_ELEMENTS = ("arcFileCode", "mode", "language", "keyword", "numberOfPage", "format",
                "inforSign", "confidenceLevel", "description", "docCode", "docOrdinal",
                "typeName", "codeNumber", "codeNotation", "issuedDate", "organName", "subject",
                "autograph", "process")
"""The 19 AIP ``EAD_doc`` elements in the order of the standards note (§1.5 b)."""

HOSO_ELEMENTS = ("arcFileCode", "title", "maintenance", "mode", "language", "startDate",
                 "endDate", "keyword", "totalDoc", "numberOfPaper", "numberOfPage", "format",
                 "inforSign", "confidenceLevel", "paperFileCode", "riskRecovery",
                 "riskRecoveryStatus", "description")
"""The 18 AIP_hoso ``EAD`` elements (§1.4)."""

_LIMITS = {"keyword": 100, "inforSign": 30, "description": 500, "codeNumber": 11,
           "codeNotation": 30, "organName": 200, "subject": 500, "autograph": 2000}
"""Maximum lengths (characters) of the EAD_doc text elements (SIP table; AIP gives none)."""

_DOMAINS = {"land": "Đất đai", "civil_status": "Hộ tịch", "judicial": "Tư pháp",
            "administrative": "Hành chính"}
_LANGUAGES = {f"{i:02d}" for i in range(1, 12)}
_DIGITISED = "02"
"""``confidenceLevel`` 02 Số hóa: every archml record comes from a scan."""


@dataclass(frozen=True)
class Flag:
    """One element a person should check, with the value written and why."""

    element: str
    value: str
    reason: str


@dataclass
class Metadata:
    """A ``<simpledc>`` tree being filled in element order, and its flags."""

    root: etree._Element = field(default_factory=lambda: etree.Element("simpledc"))
    flags: list[Flag] = field(default_factory=list)

    def add(self, name: str, value: str | None, *, required: bool = False,
            reason: str | None = None) -> None:
        """Append ``<name>value</name>``; an optional element without value and reason is left
        out, a required one is written empty; ``reason`` adds a review comment and flag."""
        if not value and not required and reason is None:
            return
        value = value or ""
        if reason:
            self.root.append(etree.Comment(f" {REVIEW_PREFIX} {name}: {_comment_text(reason)} "))
            self.flags.append(Flag(name, value, reason))
        etree.SubElement(self.root, name).text = value

    def text(self, name: str) -> str:
        return self.root.findtext(name) or ""

    def to_bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8",
                              pretty_print=True)


def tt05_date(iso: str) -> str | None:
    """An ISO date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) in the circular's form
    (``DD/MM/YYYY``, ``MM/YYYY``, ``YYYY``); ``None`` for anything else."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", iso)
    if not match:
        return None
    return "/".join(part for part in reversed(match.groups()) if part)


def ead_doc(result: Result, *, arc_file_code: str, doc_code: str, ordinal: int,
            review_threshold: float) -> Metadata:
    """The AIP ``EAD_doc`` of one document from its Result (field keys are the element
    names); ``typeName`` comes from the form classification."""
    doc = Metadata()
    c = result.classification
    doc.add("arcFileCode", arc_file_code, required=True)
    doc.add("mode", _code(result, "mode", {"01", "02", "03"})
            or ("03" if "secrecy" in result.fields else "01"), required=True)
    doc.add("language", _code(result, "language", _LANGUAGES) or "01", required=True)
    _add_text(doc, "keyword", c.doc_type.name if c and c.doc_type else None)
    pages = _text(result, "numberOfPage")
    doc.add("numberOfPage", pages if pages and pages.isdigit() and int(pages) > 0
            else str(result.source.pages), required=True)
    doc.add("confidenceLevel", _code(result, "confidenceLevel", {"01", "02", "03"})
            or _DIGITISED)
    _add_text(doc, "description", _description(result))
    doc.add("docCode", doc_code, required=True)
    doc.add("docOrdinal", str(ordinal), required=True)
    if c is None:
        doc.add("typeName", None, required=True, reason="not classified")
    else:
        low = c.form.confidence < review_threshold
        doc.add("typeName", c.form.label, required=True,
                reason=f"form confidence {c.form.confidence:.2f} is below "
                       f"{review_threshold:.2f}" if low else None)
    for name in ("codeNumber", "codeNotation"):
        _add_text(doc, name, _text(result, name), reason=_reason(result, name))
    _add_date(doc, result)
    for name in ("organName", "subject"):
        _add_text(doc, name, _text(result, name), required=True,
                  reason=_reason(result, name, required=True))
    _add_text(doc, "autograph", _text(result, "autograph"),
              reason=_reason(result, "autograph"))
    return doc


def ead_hoso(docs: Sequence[Metadata], *, arc_file_code: str, title: str,
             title_reason: str | None) -> Metadata:
    """The hồ sơ ``EAD`` of a package, summarised from its documents' ``EAD_doc``."""
    ead = Metadata()
    dates = sorted((d.text("issuedDate") for d in docs if d.text("issuedDate")), key=_date_key)
    pages = sum(int(d.text("numberOfPage")) for d in docs)
    ead.add("arcFileCode", arc_file_code, required=True)
    ead.add("title", title[:1000], required=True, reason=title_reason)
    ead.add("maintenance", None, required=True,
            reason="retention period (01–07) is set by the archivist")
    ead.add("mode", max(d.text("mode") for d in docs), required=True)
    ead.add("language", ",".join(sorted({code for d in docs
                                        for code in d.text("language").split(",")})),
            required=True)
    unread = None if dates else "no document date was read"
    ead.add("startDate", dates[0] if dates else None, required=True, reason=unread)
    ead.add("endDate", dates[-1] if dates else None, required=True, reason=unread)
    ead.add("totalDoc", str(len(docs)), required=True)
    ead.add("numberOfPaper", str(pages), required=True,
            reason="sheets counted as pages; correct for two-sided sheets")
    ead.add("numberOfPage", str(pages), required=True)
    ead.add("confidenceLevel", _DIGITISED)
    ead.add("paperFileCode", None, required=True,
            reason="code of the paper original (mã hồ sơ gốc giấy) is set by the archivist")
    ead.add("riskRecovery", "0", required=True)
    ead.add("description", f"Hồ sơ số hóa, đóng gói bởi archml {__version__}.")
    return ead


def ead_tailieu(*, arc_file_code: str, title: str, source: str) -> Metadata:
    """The 4-element ``EAD`` header of an AIP_tailieu package (loose documents)."""
    ead = Metadata()
    ead.add("arcFileCode", arc_file_code, required=True)
    ead.add("title", title[:1000], required=True,
            reason="taken from the collection folder name")
    ead.add("source", source[:100])
    ead.add("description", f"Tài liệu rời số hóa, đóng gói bởi archml {__version__}.")
    return ead


def _text(result: Result, name: str) -> str | None:
    """A field's normalised value as text (its raw reading when it could not be parsed)."""
    found = result.fields.get(name)
    if found is None:
        return None
    value = found.value if found.value is not None else found.raw
    if isinstance(value, list):
        return "; ".join(str(v) for v in value if v is not None)
    return str(value).strip() or None


def _code(result: Result, name: str, allowed: set[str]) -> str | None:
    value = _text(result, name)
    return value if value in allowed else None


def _reason(result: Result, name: str, *, required: bool = False) -> str | None:
    """Why the Result says ``name`` needs a look, or ``None``."""
    found = result.fields.get(name)
    if found is None:
        missing = required or f"field {name} not found" in result.review_reasons
        return "not found on the document" if missing else None
    if found.needs_review:
        return "; ".join(found.problems) or f"confidence {found.confidence:.2f}"
    return None


def _add_text(doc: Metadata, name: str, value: str | None, *,
              required: bool = False, reason: str | None = None) -> None:
    """Add a text element, cut to the circular's length (and flagged) when longer."""
    limit = _LIMITS[name]
    if value and len(value) > limit:
        cut = f"cut to {limit} characters (was {len(value)})"
        value, reason = value[:limit], f"{reason}; {cut}" if reason else cut
    doc.add(name, value, required=required, reason=reason)


def _add_date(doc: Metadata, result: Result) -> None:
    found = result.fields.get("issuedDate")
    value = tt05_date(str(found.value)) if found and found.value is not None else None
    reason = _reason(result, "issuedDate", required=True)
    if found and value is None and reason is None:
        reason = f"could not read a date in {found.raw!r}"
    elif value and value.count("/") < 2 and reason is None:
        reason = "partial date: the day or month was not read"
    doc.add("issuedDate", value, required=True, reason=reason)


def _description(result: Result) -> str:
    c = result.classification
    parts = [f"Lĩnh vực: {_DOMAINS.get(c.domain.label, c.domain.label)}"] if c else []
    parts.append(f"Siêu dữ liệu trích xuất tự động bởi archml {result.provenance.archml_version}")
    return "; ".join(parts) + "."


def _date_key(tt05: str) -> tuple[int, int, int]:
    """``DD/MM/YYYY``, ``MM/YYYY`` or ``YYYY`` as (year, month, day) for ordering."""
    parts = [int(p) for p in reversed(tt05.split("/"))] + [0, 0]
    return parts[0], parts[1], parts[2]


def _comment_text(reason: str) -> str:
    """``reason`` made safe inside an XML comment (no ``--``, no trailing ``-``)."""
    return re.sub(r"-{2,}", "-", " ".join(reason.split())).rstrip("-")
