"""Court case numbers ``<n>/<yyyy>/<code>`` (judgments, decisions, case acceptances).

Codes seen on Vietnamese court documents (``shared/domain`` §3.3):

- ``HS-ST`` domain-stage; ``HSPT`` joined without a hyphen;
- ``QĐST-HNGĐ``, ``TLST-DS``, ``QĐXXST-HS``: an act (QĐ quyết định, TL thụ lý, QĐXX đưa vụ án
  ra xét xử) with its stage, then the domain; ``QĐ-PT``: an act and a stage only.

Codes are matched longest first (``HNGĐ`` before ``HC``/``DS``, ``QĐXX`` before ``QĐ``,
``GĐT`` before ``TT``), on folded upper case so ``HNGD`` (OCR without the bar) reads as ``HNGĐ``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from archml.fields.text import clean, fold

CASE_DOMAINS = {
    "HNGĐ": "hôn nhân và gia đình", "KDTM": "kinh doanh, thương mại", "HS": "hình sự",
    "DS": "dân sự", "LĐ": "lao động", "HC": "hành chính", "KT": "kinh tế",
}
CASE_STAGES = {"GĐT": "giám đốc thẩm", "ST": "sơ thẩm", "PT": "phúc thẩm", "TT": "tái thẩm"}
CASE_ACTS = {"QĐXX": "quyết định đưa vụ án ra xét xử", "QĐ": "quyết định", "TL": "thụ lý"}

CaseLayout = Literal["domain-stage", "joined", "act-domain", "act-stage"]


def _table(codes: dict[str, str]) -> list[tuple[str, str]]:
    """(folded upper key, canonical code), longest first."""
    return sorted(((fold(c).upper(), c) for c in codes), key=lambda kc: -len(kc[0]))


_DOMAINS, _STAGES, _ACTS = _table(CASE_DOMAINS), _table(CASE_STAGES), _table(CASE_ACTS)
_CASE = re.compile(r"(?P<n>\d{1,6})\s*/\s*(?P<y>\d{4})\s*/\s*"
                   r"(?P<code>[A-ZĐ]{2,8}(?:\s*-\s*[A-ZĐ]{2,6})?)(?![A-Za-zĐđ])")


@dataclass(frozen=True)
class CaseNumber:
    number: str
    year: str
    domain: str | None
    stage: str | None
    act: str | None = None
    layout: CaseLayout = "domain-stage"

    @property
    def code(self) -> str:
        """The code after the year, written the way it was printed."""
        act, stage, domain = self.act or "", self.stage or "", self.domain or ""
        match self.layout:
            case "domain-stage":
                return f"{domain}-{stage}"
            case "joined":
                return f"{domain}{stage}"
            case "act-domain":
                return f"{act}{stage}-{domain}"
            case "act-stage":
                return f"{act}-{stage}"

    def __str__(self) -> str:
        return f"{self.number}/{self.year}/{self.code}"


def _prefix(token: str, table: list[tuple[str, str]]) -> tuple[str | None, str]:
    """The longest code of ``table`` that starts ``token``, and what follows it."""
    for key, code in table:
        if token.startswith(key):
            return code, token[len(key):]
    return None, token


def _whole(token: str, table: list[tuple[str, str]]) -> str | None:
    code, rest = _prefix(token, table)
    return code if not rest else None


def parse_case_code(code: str) -> tuple[str | None, str | None, str | None, CaseLayout] | None:
    """(domain, stage, act, layout) of a case code such as ``HS-ST`` or ``QĐST-HNGĐ``."""
    tokens = [fold(t).upper() for t in re.split(r"\s*-\s*", clean(code).strip())]
    if len(tokens) == 1:
        domain, rest = _prefix(tokens[0], _DOMAINS)
        stage = _whole(rest, _STAGES)
        return (domain, stage, None, "joined") if domain and stage else None
    if len(tokens) != 2:
        return None
    first, second = tokens
    domain, stage = _whole(first, _DOMAINS), _whole(second, _STAGES)
    if domain and stage:
        return domain, stage, None, "domain-stage"
    act, rest = _prefix(first, _ACTS)
    if act is None:
        return None
    if not rest and stage:
        return None, stage, act, "act-stage"
    act_stage = _whole(rest, _STAGES) if rest else None
    domain = _whole(second, _DOMAINS)
    if domain and (act_stage or not rest):
        return domain, act_stage, act, "act-domain"
    return None


def parse_case_number(text: str) -> CaseNumber | None:
    """The first case number in ``text`` (``Bản án số: 19/2021/HS-ST`` → 19, 2021, HS, ST)."""
    for match in _CASE.finditer(clean(text)):
        parsed = parse_case_code(match["code"])
        if parsed is not None:
            domain, stage, act, layout = parsed
            return CaseNumber(match["n"], match["y"], domain, stage, act, layout)
    return None


def format_case_number(case: CaseNumber) -> str:
    """``19/2021/HS-ST``: the canonical spelling (``Đ``, no spaces)."""
    return str(case)
