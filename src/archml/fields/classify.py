"""Transparent rule classifier: title line, notation abbreviation and domain keywords →
domain, TT05 form (``typeName``) and fine document type.

- **Form.** The title line (``QUYẾT ĐỊNH``, OCR ``QUYÉT ĐỊNH``) is snapped to the TT05 type names
  and the printed titles of :data:`~archml.taxonomy.DOC_TYPES`; the notation's type abbreviation
  (``QĐ-UBND`` → 02) is a second vote, and a notation without one makes a công văn (22). Votes
  that agree add up.
- **Domain.** Folded keywords (``giao đất``, ``khai sinh``, ``bị cáo``, ...) count three times in
  the title and subject, a quarter in the body (at most five body hits, so the body alone never
  outweighs the administrative prior of 1.5); a court case number counts as a title hit.
- **Fine type.** A specific printed title (``GIẤY CHỨNG NHẬN KẾT HÔN``) decides; else the domain
  and form pick it (land + 02 → quyết định giao/thu hồi đất, judicial + bản án + ``HS`` → bản án
  hình sự, administrative + 14 → báo cáo).
"""

from __future__ import annotations

from archml.document import Classification, Document, Prediction, Zone
from archml.fields.cases import parse_case_number
from archml.fields.notation import CONG_VAN, OTHER, parse_notation
from archml.fields.reading import Placed, original_blocks, zone_text
from archml.fields.text import fold, similarity
from archml.stages import Stage
from archml.taxonomy import DOC_TYPES, TYPE_NAMES, Domain

KEYWORDS: dict[Domain, tuple[str, ...]] = {
    Domain.LAND: ("quyen su dung dat", "giao dat", "thu hoi dat", "cho thue dat", "thua dat",
                  "to ban do", "muc dich su dung dat", "dat dai", "dia chinh", "bien dong dat"),
    Domain.CIVIL_STATUS: ("khai sinh", "khai tu", "ket hon", "ho tich", "trich luc",
                          "tinh trang hon nhan", "giay chung tu", "giay bao tu"),
    Domain.JUDICIAL: ("toa an", "ban an", "bi cao", "nguyen don", "bi don", "hoi dong xet xu",
                      "tham phan", "vu an", "xet xu", "nhan danh"),
}
TITLE_WEIGHT, BODY_WEIGHT, BODY_HITS, ADMINISTRATIVE_PRIOR = 3.0, 0.25, 5, 1.5
_TITLES: dict[str, str] = {name.upper(): code for code, name in TYPE_NAMES.items()}
_SPECIFIC = {t.title: t for t in DOC_TYPES if t.title and t.title.upper() not in _TITLES
             and t.title not in ("BẢN ÁN",)}
_CASE_TYPES = {"HS": "judicial.ban_an_hinh_su", "DS": "judicial.ban_an_dan_su",
               "HNGĐ": "judicial.ban_an_hon_nhan_gia_dinh"}


def title_line(blocks: list[Placed]) -> str:
    """The first line of the title zone of the first page (``QUYẾT ĐỊNH``)."""
    text = zone_text(blocks, Zone.TITLE, blocks[0].page if blocks else 0)
    return text.split("\n")[0] if text else ""


def _head(title: str, name: str) -> str:
    """As many words of ``title`` as ``name`` has."""
    return " ".join(title.split()[: len(name.split())])


def _ranked(scores: dict[str, float]) -> Prediction:
    """Scores as a prediction: each score over the total (at least 1, so a single weak vote
    keeps a weak confidence)."""
    total = max(1.0, sum(scores.values()))
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    top = [(label, round(score / total, 4)) for label, score in ranked[:5]]
    return Prediction(label=top[0][0], confidence=top[0][1], top_k=top)


def form_scores(title: str, notation_type: str | None) -> dict[str, float]:
    """Votes for each ``typeName`` code from the title line and the notation's type."""
    scores: dict[str, float] = {}
    if title:
        names = {**_TITLES, **{t: d.type_code for t, d in _SPECIFIC.items()}, "BẢN ÁN": OTHER}
        best = max(names, key=lambda n: similarity(n, _head(title, n)))
        score = similarity(best, _head(title, best))
        if score >= 0.75:
            scores[names[best]] = score
    if notation_type:
        weight = 0.5 if notation_type == CONG_VAN and scores else 0.9
        scores[notation_type] = scores.get(notation_type, 0.0) + weight
    return scores or {OTHER: 0.3}


def domain_scores(head: str, body: str, has_case_number: bool) -> dict[str, float]:
    """Keyword votes for each domain (see the module doc)."""
    scores = {Domain.ADMINISTRATIVE.value: ADMINISTRATIVE_PRIOR}
    head, body = fold(head), fold(body)
    for domain, words in KEYWORDS.items():
        in_head = sum(head.count(w) for w in words)
        in_body = min(BODY_HITS, sum(body.count(w) for w in words))
        score = TITLE_WEIGHT * in_head + BODY_WEIGHT * in_body
        if domain == Domain.JUDICIAL and has_case_number:
            score += TITLE_WEIGHT
        if score:
            scores[domain.value] = score
    return scores


def doc_type_for(domain: str, form: str, title: str, case_domain: str | None) -> str | None:
    """The fine class from the title, domain and form (``None`` when none fits)."""
    if title:
        specific = max(_SPECIFIC, key=lambda t: similarity(t, _head(title, t)))
        if similarity(specific, _head(title, specific)) >= 0.8:
            return _SPECIFIC[specific].id
    if domain == Domain.JUDICIAL and form == OTHER and case_domain in _CASE_TYPES:
        return _CASE_TYPES[case_domain]
    candidates = [t for t in DOC_TYPES if t.domain == domain and t.type_code == form]
    return candidates[0].id if candidates else None


def classify(document: Document) -> Classification:
    """Domain, form and fine type of ``document`` by the rules of the module doc."""
    blocks, _ = original_blocks(document)
    page = blocks[0].page if blocks else 0
    title = title_line(blocks)
    number = zone_text(blocks, Zone.NUMBER, page)
    notation = parse_notation(number) if number else None
    case = parse_case_number(number) if number else None
    form = _ranked(form_scores(title, notation.type_code if notation else None))
    head = "\n".join(zone_text(blocks, z, page) for z in (Zone.TITLE, Zone.SUBJECT))
    body = "\n".join(p.block.text for p in blocks if p.block.zone == Zone.BODY)
    domain = _ranked(domain_scores(head, body, case is not None))
    fine = doc_type_for(domain.label, form.label, title, case.domain if case else None)
    doc_type = Prediction(label=fine, confidence=round(min(domain.confidence,
                                                           form.confidence), 4)) if fine else None
    return Classification(domain=domain, form=form, doc_type=doc_type, method="rule")


class RuleClassifier(Stage):
    """Pipeline stage: sets ``document.classification`` by :func:`classify` (whole documents)."""

    name = "rule_classifier"
    scope = "document"

    def __call__(self, document: Document) -> Document:
        document.classification = classify(document)
        return document
