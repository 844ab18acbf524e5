"""Rule extractor: the Decree-30 zones of a :class:`Document` → normalised, validated fields.

TT05 core fields come from the zones of the original document (see :mod:`archml.fields.reading`:
stamps are skipped, so the ``ĐẾN`` received date never becomes the issue date, and a ``SAO Y``
block and what follows it are left out, so a copy keeps the original's metadata):
ORGAN → ``organName``; NUMBER → ``codeNumber``/``codeNotation`` (and ``caseNumber``);
PLACE_DATE → ``place``/``issuedDate``; TITLE/SUBJECT → ``subject``; SIGNER → ``signer``/
``signerTitle``; SECRECY/URGENCY → ``secrecy``/``urgency``; RECIPIENTS/DISTRIBUTION →
``recipients``; the rule classifier's form → ``typeName``; the page count → ``numberOfPage``.
Domain fields are read from labelled lines of the body (``Thửa đất số: 70``, ``Giới tính: Nam``,
``Thẩm phán - Chủ tọa phiên tòa: Bà …``) for the domain the classifier found.

Confidence = match quality × (0.5 + 0.5 × mean OCR confidence of the printed words used) × the
probability of each handwritten word, where the quality is 1 for a full parse and lower for
partial dates, unreadable numbers and fuzzy matches. A field read from words the ``fillins``
stage marked ``handwritten`` has ``method="handwriting"``; their confidence is the digit reader's
probability of the value (calibrated on held-out strips and real digits), so a doubtful
handwritten number or day sends the field to review like a doubtful parse does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

from archml.document import Box, Document, FieldValue, Line, Word, Zone
from archml.fields.cases import parse_case_number
from archml.fields.classify import classify, title_line
from archml.fields.dates import parse_date
from archml.fields.land import land_use_code, parse_area, parse_serial
from archml.fields.names import normalize_name
from archml.fields.notation import parse_notation
from archml.fields.organs import canonical_organ, known_organ_line, modern_tones, signer_title
from archml.fields.reading import Placed, is_received_line, original_blocks, zone_blocks
from archml.fields.text import (
    clean,
    digits,
    fold,
    fold_aligned,
    restore_tones,
    snap,
    span_words,
    tone_vocabulary,
)
from archml.fields.validate import validate_value
from archml.layout.patterns import is_court_date, upper_ratio
from archml.stages import Stage
from archml.taxonomy import SECRECY_LEVELS, URGENCY_LEVELS, Domain

DEFAULT_OCR_CONFIDENCE = 0.8
_PLACE = re.compile(r"^(?!\W*h\w{1,2}m\s+nay\b)(?:\W*l\w{1,2}m\s+t\w{1,2}i\s*:\s*)?"
                    r"(?P<place>[^,\n]{2,60}?)\s*[,.]\s*ng[aà]y", re.IGNORECASE)
"""The place before ", ngày" ("Làm tại:" of civil-status forms left out; "Hôm nay, ngày" of a
contract has none)."""
_SUBJECT_PREFIX = re.compile(r"^\W*(?:v\s*/\s*v|v[ae]\s+viec)\b")


def _field(name: str, raw: str, value: Any, quality: float, page: int | None,
           words: Sequence[Word], problems: Sequence[str] = ()) -> FieldValue:
    box = Box.enclosing(w.box for w in words) if words else None
    return FieldValue(name=name, raw=clean(raw), value=value,
                      confidence=round(max(0.0, min(1.0, quality * _confidence(words))), 4),
                      page=page, box=box,
                      problems=[*problems, *validate_value(name, value)],
                      method="handwriting" if any(w.handwritten for w in words) else "rule")


def _confidence(words: Sequence[Word]) -> float:
    """How sure the reading of ``words`` is: 0.5 + 0.5 × the printed words' mean OCR confidence
    (left out when every scored word is handwritten), times each handwritten word's probability."""
    printed = [w.confidence for w in words if not w.handwritten and w.confidence is not None]
    hand = [w.confidence for w in words if w.handwritten and w.confidence is not None]
    share = 1.0
    if printed or not hand:
        share = 0.5 + 0.5 * (sum(printed) / len(printed) if printed else DEFAULT_OCR_CONFIDENCE)
    return share * math.prod(hand)


def _lines(placed: Sequence[Placed]) -> list[tuple[int, Line]]:
    return [(p.page, line) for p in placed for line in p.block.lines]


def _number_fields(number: Sequence[Placed]) -> list[FieldValue]:
    """codeNumber, codeNotation and (court documents) caseNumber from the NUMBER zone."""
    for page, line in _lines(number):
        notation = parse_notation(line.text)
        if notation is None:
            continue
        slash = next((i for i, w in enumerate(line.words) if "/" in w.text), 0)
        head, tail = line.words[: slash + 1], line.words[slash:]
        found = [_field("codeNotation", " ".join(w.text for w in tail), notation.notation,
                        1.0 if len(notation.groups) > 1 else 0.7, page, tail)]
        number_words = [w for w in head if digits(w.text.split("/")[0] or "x")] or head
        problems = [] if notation.number else ["the number is blank or unreadable (handwritten?)"]
        found.append(_field("codeNumber", " ".join(w.text for w in head), notation.number,
                            1.0 if notation.number else 0.1, page, number_words, problems))
        case = parse_case_number(line.text)
        if case is not None:
            found.append(_field("caseNumber", line.text, str(case), 1.0, page, line.words))
        return found
    return []


def _place_date(lines: Sequence[tuple[int, Line]], vocabulary: dict[str, str]) -> list[FieldValue]:
    """place and issuedDate from the place-and-date line (court header date as a fallback)."""
    found = []
    for page, line in lines:
        if is_received_line(line):
            continue
        date = parse_date(line.text)
        if date is None:
            continue
        quality = 1.0 if date.complete else 0.6 if date.month else 0.3
        found.append(_field("issuedDate", line.text, date.iso(), quality, page, line.words))
        match = _PLACE.match(clean(line.text))
        if match and not is_court_date(line.text):
            place = restore_tones(match["place"].strip(), vocabulary)
            words = span_words(line.words, *match.span("place"))
            found.append(_field("place", match["place"], place, 0.9, page, words))
        return found
    return found


def _organ(organ: Sequence[Placed], vocabulary: dict[str, str]) -> list[FieldValue]:
    lines = _lines(organ)
    if not lines:
        return []
    texts = [known_organ_line(restore_tones(ln.text, vocabulary)) for _, ln in lines]
    words = [w for _, ln in lines for w in ln.words]
    return [_field("organName", "\n".join(ln.text for _, ln in lines), canonical_organ(
        "\n".join(texts)), 0.9, lines[0][0], words)]


def _subject(blocks: Sequence[Placed], page: int) -> list[FieldValue]:
    """The subject: SUBJECT zone, else the title lines after the type name."""
    lines = _lines(zone_blocks(blocks, Zone.SUBJECT, page))
    if not lines:
        lines = _lines(zone_blocks(blocks, Zone.TITLE, page))[1:]
    if not lines:
        return []
    raw = " ".join(ln.text for _, ln in lines)
    text = clean(raw)
    prefix = _SUBJECT_PREFIX.match(fold_aligned(text))
    if prefix:
        label = "V/v" if "/" in prefix[0] else "Về việc"
        text = label + text[prefix.end():]
    words = [w for _, ln in lines for w in ln.words]
    return [_field("subject", raw, text, 0.9, lines[0][0], words)]


def _is_name_line(line: Line) -> bool:
    letters = [w for w in line.text.split() if any(c.isalpha() for c in w)]
    return len(letters) >= 2 and upper_ratio(line.text) < 0.6


def _signer(blocks: Sequence[Placed], vocabulary: dict[str, str]) -> list[FieldValue]:
    signer = [p for p in blocks if p.block.zone == Zone.SIGNER]
    lines = _lines(signer)
    found = []
    titles = [(page, ln) for page, ln in lines if upper_ratio(ln.text) >= 0.6]
    cleaned = [t for _, ln in titles
               if (t := signer_title(restore_tones(_from_capital(ln.text), vocabulary)))]
    if cleaned:
        found.append(_field("signerTitle", "\n".join(ln.text for _, ln in titles),
                            " - ".join(cleaned), 0.8, titles[0][0],
                            [w for _, ln in titles for w in ln.words]))
    names = [(page, ln) for page, ln in lines if _is_name_line(ln)]
    if names:
        page, line = names[-1]
        found.append(_field("signer", line.text, normalize_name(line.text), 0.8, page,
                            line.words))
    return found


def _from_capital(text: str) -> str:
    """``text`` from its first upper-case word on (drops OCR noise such as ``==>»x``)."""
    words = text.split()
    start = next((i for i, w in enumerate(words) if w[:1].isupper() and w[:1].isalpha()), 0)
    return " ".join(words[start:])


def _stamp(blocks: Sequence[Placed], zone: Zone, name: str,
           levels: Sequence[str]) -> list[FieldValue]:
    for p in zone_blocks(blocks, zone):
        level = snap(p.block.text, [*levels, "HOẢ TỐC"], 0.75)
        if level:
            value = modern_tones(level) if level not in levels else level
            value = value if value in levels else "HỎA TỐC"
            return [_field(name, p.block.text, value, 0.9, p.page, p.block.words)]
    return []


def _recipients(blocks: Sequence[Placed]) -> list[FieldValue]:
    lines = _lines([p for p in blocks if p.block.zone in (Zone.RECIPIENTS, Zone.DISTRIBUTION)])
    items = []
    for _, line in lines:
        text = re.sub(r"^(?:kính gửi|nơi nhận)\s*:?", "", clean(line.text), flags=re.IGNORECASE)
        text = text.strip(" -–;.,:")
        if text:
            items.append(text)
    if not items:
        return []
    return [_field("recipients", "\n".join(ln.text for _, ln in lines), items, 0.7,
                   lines[0][0], [w for _, ln in lines for w in ln.words])]


Reader = Callable[[str], Any]
LABELLED: dict[Domain, dict[str, tuple[str, Reader]]] = {
    Domain.LAND: {
        "parcelNumber": (r"thua(?: dat)? so", lambda v: (re.match(r"\d+[a-z]?", v) or [None])[0]),
        "mapSheet": (r"to ban do(?: dia chinh)?(?: so)?",
                     lambda v: (re.match(r"\d+", v) or [None])[0]),
        "area": (r"dien tich", parse_area),
        "landUsePurpose": (r"muc dich su dung(?: dat)?", land_use_code),
        "certificateSerial": (r"(?:so phat hanh|so seri|giay chung nhan[^:]{0,60}so)",
                              parse_serial),
        "landAddress": (r"dia chi(?: thua dat)?", lambda v: v.strip(" .;") or None),
    },
    Domain.CIVIL_STATUS: {
        "personName": (r"ho,? (?:chu dem,? )?(?:va )?ten", lambda v: normalize_name(
            re.split(r"(?i)giới tính|gioi tinh", v)[0]) or None),
        "gender": (r"gioi tinh", lambda v: snap(v.split()[0] if v.split() else "", ["Nam", "Nữ"],
                                                0.6)),
        "birthDate": (r"(?:ngay,? thang,? nam sinh|sinh ngay)", lambda v: _iso(v)),
        "birthPlace": (r"noi sinh", lambda v: v.strip(" .;") or None),
        "deathDate": (r"(?:da chet vao luc|ngay chet)", lambda v: _iso(v)),
        "registrationDate": (r"ngay(?:,? thang,? nam)? dang ky", lambda v: _iso(v)),
        "bookNumber": (r"quyen so", lambda v: (re.match(r"\d+(?:/\d{4})?", v) or [None])[0]),
        "personalId": (r"(?:so dinh danh(?: ca nhan)?|cccd so|so cccd)",
                       lambda v: (re.match(r"\d{12}", v.replace(" ", "")) or [None])[0]),
    },
    Domain.JUDICIAL: {
        "judge": (r"tham phan\s*-?\s*chu toa phien toa",
                  lambda v: normalize_name(v.split(",")[0]) or None),
    },
}
PARTY_ROLES = ("bị cáo", "nguyên đơn", "bị đơn", "người khởi kiện", "người bị kiện")


def _iso(text: str) -> str | None:
    date = parse_date(text)
    return date.iso() if date else None


def _labelled(lines: Sequence[tuple[int, Line]], domain: Domain) -> list[FieldValue]:
    """Domain fields from ``<label>: <value>`` text anywhere in the body lines."""
    found: dict[str, FieldValue] = {}
    for name, (label, read) in LABELLED.get(domain, {}).items():
        pattern = re.compile(rf"(?<![a-z]){label}(?![a-z])\s*[:.]?\s*")
        for page, line in lines:
            text = clean(line.text)
            match = pattern.search(fold_aligned(text))
            if match is None or name in found:
                continue
            raw = text[match.end():]
            value = read(raw)
            if value is not None:
                words = span_words(line.words, match.end(), len(text)) or line.words
                found[name] = _field(name, raw, value, 0.8, page, words)
    return list(found.values())


def _parties(lines: Sequence[tuple[int, Line]]) -> list[FieldValue]:
    roles = {fold(r): r for r in PARTY_ROLES}
    items, used, page = [], [], None
    for line_page, line in lines:
        text = clean(line.text).lstrip("- ")
        head = fold(text).split(":")[0].strip()
        if head in roles and ":" in text:
            name = normalize_name(text.split(":", 1)[1].split(",")[0])
            items.append(f"{roles[head]}: {name}")
            used.extend(line.words)
            page = line_page if page is None else page
    return [_field("parties", "\n".join(items), items, 0.7, page, used)] if items else []


def extract(document: Document, domain: Domain | str | None = None) -> dict[str, FieldValue]:
    """Every field the rules find in ``document``, by name (``domain``: from the classifier
    when not given)."""
    pages = _field("numberOfPage", str(len(document.pages)), len(document.pages), 1.0, None, [])
    blocks, _copy = original_blocks(document)
    if not blocks:
        return {"numberOfPage": pages}
    page = blocks[0].page
    classification = document.classification or classify(document)
    domain = Domain(domain or classification.domain.label)
    vocabulary = tone_vocabulary([w.text for _, w in document.words()])
    found = _number_fields(zone_blocks(blocks, Zone.NUMBER, page))
    place_lines = _lines(zone_blocks(blocks, Zone.PLACE_DATE, page))
    found += _place_date(place_lines or _lines(zone_blocks(blocks, Zone.NUMBER, page)),
                         vocabulary)
    found += _organ(zone_blocks(blocks, Zone.ORGAN, page), vocabulary)
    found += _subject(blocks, page)
    found += _signer(blocks, vocabulary)
    found += _stamp(blocks, Zone.SECRECY, "secrecy", SECRECY_LEVELS)
    found += _stamp(blocks, Zone.URGENCY, "urgency", URGENCY_LEVELS)
    found += _recipients(blocks)
    form = classification.form
    found.append(_field("typeName", title_line(blocks) or form.label, form.label,
                        form.confidence, page, []))
    found.append(pages)
    body = _lines([p for p in blocks if p.block.zone in (Zone.BODY, None)])
    found += _labelled(body, domain)
    fields = {f.name: f for f in found}
    if domain == Domain.JUDICIAL:
        fields.update({f.name: f for f in _parties(body)})
        for source, target in (("organName", "court"), ("issuedDate", "judgmentDate")):
            if source in fields:
                fields[target] = fields[source].model_copy(update={"name": target})
    return fields


class RuleExtractor(Stage):
    """Pipeline stage: fills ``document.fields`` by :func:`extract`, keeping a field another
    stage already set with a higher confidence. Works on whole documents."""

    name = "rules"
    scope = "document"

    def __call__(self, document: Document) -> Document:
        for name, value in extract(document).items():
            current = document.fields.get(name)
            if current is None or current.confidence < value.confidence:
                document.fields[name] = value
        return document
