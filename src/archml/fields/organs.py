"""Issuing organs: canonical form, known abbreviations, and names after the 2025 reorganisation.

The canonical form is upper case, NFC, with modern tone placement (``UỶ`` → ``ỦY``, ``HOÀ`` →
``HÒA``: Decree 30's spelling) and the organ lines joined with ``" - "`` (parent first), as in the
labels: ``ỦY BAN NHÂN DÂN - TỈNH QUẢNG NGÃI``. Abbreviations (``UBND``, ``HĐND``, ``TAND``, ...)
expand to their full names, so ``UBND tỉnh Quảng Ngãi`` and the printed header compare equal.

From 2025 ministries and provincial departments were merged (Nghị quyết 176/2025/QH15 and the
provincial resolutions) and, from 01/7/2025, district courts became regional courts
(``TAND khu vực 1 - Hà Nội``, Nghị quyết 81/2025/UBTVQH15). :func:`successor` maps an old
department or ministry name to the body that took it over; archival scans keep the old names.
"""

from __future__ import annotations

import re
import unicodedata

from archml.fields.text import clean, fold, snap

ABBREVIATIONS: dict[str, str] = {
    "UBND": "ỦY BAN NHÂN DÂN", "HĐND": "HỘI ĐỒNG NHÂN DÂN", "TAND": "TÒA ÁN NHÂN DÂN",
    "VKSND": "VIỆN KIỂM SÁT NHÂN DÂN", "UBMTTQVN": "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM",
    "MTTQ": "MẶT TRẬN TỔ QUỐC", "BCĐ": "BAN CHỈ ĐẠO", "BQL": "BAN QUẢN LÝ",
    "SGDĐT": "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "STNMT": "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
    "STC": "SỞ TÀI CHÍNH", "SNV": "SỞ NỘI VỤ", "SYT": "SỞ Y TẾ", "BNV": "BỘ NỘI VỤ",
    "VPĐKĐĐ": "VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI", "CCATVSTP": "CHI CỤC AN TOÀN VỆ SINH THỰC PHẨM",
    "ATVSTP": "AN TOÀN VỆ SINH THỰC PHẨM", "TP": "THÀNH PHỐ", "TX": "THỊ XÃ",
}
"""Organ abbreviations seen in headers and notations → full upper-case names."""

SIGNER_TITLES = (
    "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "CHÁNH VĂN PHÒNG",
    "PHÓ CHÁNH VĂN PHÒNG", "BỘ TRƯỞNG", "THỨ TRƯỞNG", "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG",
    "CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "TRƯỞNG BAN",
    "PHÓ TRƯỞNG BAN", "CHÁNH ÁN", "PHÓ CHÁNH ÁN", "THẨM PHÁN", "THẨM PHÁN - CHỦ TỌA PHIÊN TÒA",
    "VIỆN TRƯỞNG", "HIỆU TRƯỞNG", "BÍ THƯ", "CHỦ NHIỆM", "THỦ TRƯỞNG", "TỔNG GIÁM ĐỐC",
    "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "HỘI ĐỒNG XÉT XỬ", "THƯỜNG TRỰC HĐND",
)
"""Signing titles and the bodies signed for (``TM. ỦY BAN NHÂN DÂN``), as printed."""
AUTHORITIES = ("TM.", "KT.", "TL.", "TUQ.", "Q.")
"""Decree-30 signing-authority prefixes: thay mặt, ký thay, thừa lệnh, thừa ủy quyền, quyền."""

SUCCESSORS: dict[str, str] = {
    "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG": "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
    "BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN": "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
    "BỘ KẾ HOẠCH VÀ ĐẦU TƯ": "BỘ TÀI CHÍNH",
    "BỘ GIAO THÔNG VẬN TẢI": "BỘ XÂY DỰNG",
    "BỘ THÔNG TIN VÀ TRUYỀN THÔNG": "BỘ KHOA HỌC VÀ CÔNG NGHỆ",
    "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI": "BỘ NỘI VỤ",
    "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG": "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
    "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN": "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
    "SỞ KẾ HOẠCH VÀ ĐẦU TƯ": "SỞ TÀI CHÍNH",
    "SỞ GIAO THÔNG VẬN TẢI": "SỞ XÂY DỰNG",
    "SỞ THÔNG TIN VÀ TRUYỀN THÔNG": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI": "SỞ NỘI VỤ",
}
"""2025 mergers of ministries and provincial departments: old name → the body that took it over
(unconfirmed against the official resolutions; see docs/fields.md)."""

_OLD_TONES = re.compile(r"(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![\w])")
_REGIONAL_COURT = re.compile(
    r"^(?:TAND|TÒA ÁN NHÂN DÂN)\s+KHU VỰC\s+(?P<n>\d{1,3})\s*[-–,]\s*(?P<province>.+)$")
_SPACED_DASH = re.compile(r"\s*[-–—]\s*")


def modern_tones(text: str) -> str:
    """Tone marks on the first vowel of open ``oa``/``oe``/``uy`` (``UỶ`` → ``ỦY``, ``hoà`` →
    ``hòa``), as Decree 30 writes them; ``quý`` and closed syllables (``hoàn``) are unchanged."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _OLD_TONES.sub(r"\1\3\2", decomposed))


def expand(text: str) -> str:
    """``text`` with every known abbreviation written out (``UBND tỉnh`` → ``ỦY BAN NHÂN DÂN
    tỉnh``); abbreviations only count as whole words in upper case."""
    def full(match: re.Match[str]) -> str:
        return ABBREVIATIONS.get(match[0], match[0])
    return re.sub(r"(?<!\w)[A-ZĐ]{2,9}(?!\w)", full, text)


def canonical_organ(text: str) -> str:
    """The canonical form of an organ name; lines (or ``-``-joined parts) joined with ``" - "``."""
    lines = [clean(line) for line in re.split(r"\n", text) if clean(line)]
    joined = " - ".join(lines)
    upper = modern_tones(expand(clean(joined))).upper()
    return _SPACED_DASH.sub(" - ", upper).strip(" -")


def known_organ_line(line: str, threshold: float = 0.85) -> str:
    """An organ header line snapped to a known full name when OCR misspelt it (``ÚY BAN NHÂN
    DÂN`` → ``ỦY BAN NHÂN DÂN``); other lines unchanged."""
    return snap(line, tuple(ABBREVIATIONS.values()), threshold) or line


def signer_title(line: str, threshold: float = 0.8) -> str:
    """A signing-authority line in canonical form: ``KT, CHÚ TỊCH`` → ``KT. CHỦ TỊCH``; empty
    for OCR noise (fewer than four letters and no known title)."""
    text = clean(line)
    match = re.match(r"^(TM|KT|TL|TUQ|Q)\s*[.,:]\s*", text)
    prefix = f"{match[1]}. " if match else ""
    rest = text[match.end():] if match else text
    known = snap(rest, SIGNER_TITLES, threshold)
    if known is None and sum(c.isalpha() for c in rest) < 4:
        return ""
    return prefix + (known or modern_tones(rest).upper())


def same_organ(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` name the same organ (abbreviations, case, tones, dashes aside)."""
    def key(t: str) -> str:
        return re.sub(r"[\W_]+", "", fold(canonical_organ(t)))
    return key(a) == key(b)


def successor(name: str) -> str | None:
    """The body that took over ``name`` in the 2025 reorganisation, or ``None``."""
    canonical = canonical_organ(name)
    for old, new in SUCCESSORS.items():
        if canonical == old or canonical.startswith(old + " "):
            return new + canonical[len(old):]
    return None


def regional_court(name: str) -> tuple[int, str] | None:
    """(number, province) of a post-2025 regional court: ``TAND khu vực 1 - Hà Nội`` → (1,
    ``HÀ NỘI``); ``None`` for other names."""
    match = _REGIONAL_COURT.match(modern_tones(clean(name)).upper())
    return (int(match["n"]), match["province"].strip()) if match else None
