"""Text patterns of Decree-30 components, tolerant to diacritics, case and common OCR errors.

Every predicate takes raw (OCR) text and matches on :func:`~archml.layout.text.fold`-ed text,
so "Số:", "SỐ:", "S6:" and "Sé:" all read as the number label, and "ngay"/"thang"/"nam" as
the date words. Keyword matches are fuzzy (``fuzzy`` = minimal similarity).
"""

from __future__ import annotations

import re

from archml.document import Zone
from archml.layout.text import fold, levenshtein, partial_similarity, prefix_similarity, upper_ratio

_TOKENS = re.compile(r"[a-z0-9]+")
_NUMBER_LABEL = re.compile(
    r"^\W*(?:(?:ban\s*an|quyet\s*dinh|bao\s*cao|thong\s*bao)\s+)?"  # court / typed labels
    r"s[o0-9e]?\s*(?:[:;.,]|\d)"  # "Số:", OCR "S6:", "Sé:", "So." or "Số 12"
)
_NOTATION = re.compile(r"/\s*(?:\d{4}\s*/\s*)?[A-ZĐÐ][A-Za-zĐđÐ0-9]*\s*-\s*[A-ZĐÐ]|/\s*[A-ZĐÐ]{2,}")
_COURT_DATE = re.compile(r"^\W*ngay\s*[:.]?\s*[\dol]{1,2}\s*[-/.]\s*[\dol]{1,2}\s*[-/.]\s*\d{2,4}")
_AUTHORITY = re.compile(r"^\W*(?:TM|KT|TL|TUQ|Q)\s*[.,:]\s*\S")
_CONTACT = re.compile(r"\b(?:dia chi|dien thoai|dt|fax|e-?mail|website)\s*:|www\.|@\w")
_ESIGN = re.compile(r"ky boi|thoi gian k|\+07[:.]?00|\d{1,2}:\d{2}:\d{2}|\.gov\.vn")
_DATED_OPENING = re.compile(r"^\W*(?:lam\s*tai|hom\s*nay)\b")
_SUBJECT = re.compile(r"^\W*(?:v\s*/\s*v|v[ae]\s+viec|ve\s)")

MOTTO_LINES = ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc")
TYPE_NAMES = (
    "nghi quyet", "quyet dinh", "chi thi", "quy che", "quy dinh", "thong cao", "thong bao",
    "huong dan", "chuong trinh", "ke hoach", "phuong an", "de an", "du an", "bao cao",
    "bien ban", "to trinh", "hop dong", "cong dien", "ban ghi nho", "ban thoa thuan",
    "giay uy quyen", "giay moi", "giay gioi thieu", "giay nghi phep", "phieu gui",
    "phieu chuyen", "phieu bao", "thu cong", "ban an", "giay chung nhan", "trich luc",
    "to khai", "giay khai sinh", "giay chung tu", "giay bao tu", "giay xac nhan",
)
SIGNER_TITLES = (
    "chu tich", "giam doc", "bo truong", "thu truong", "chanh van phong", "truong phong",
    "truong ban", "cuc truong", "vien truong", "chanh an", "tham phan", "hieu truong",
    "tong giam doc", "bi thu", "chu nhiem", "thu tuong",
)
SECRECY = ("mat", "toi mat", "tuyet mat")
URGENCY = ("khan", "thuong khan", "hoa toc")
BODY_STARTS = ("can cu", "kinh gui", "xet de nghi", "theo de nghi", "thuc hien", "nhan danh")
COPY_MARKS = ("sao y", "sao luc", "trich sao")


def letters(text: str) -> str:
    """Folded words of ``text`` joined by single spaces, punctuation dropped."""
    return " ".join(_TOKENS.findall(fold(text)))


def _starts_with(text: str, phrases: tuple[str, ...], fuzzy: float) -> bool:
    bare = letters(text)
    return any(prefix_similarity(bare, p) >= fuzzy for p in phrases)


def is_number(text: str) -> bool:
    """A number line: "Số: 15/QĐ-BNV", "Bản án số: 19/2021/HS-ST" (OCR-garbled label allowed)."""
    return bool(_NUMBER_LABEL.match(fold(text)))


def has_notation(text: str) -> bool:
    """Holds a ký hiệu such as "/QĐ-UBND", "/2021/HS-ST" or "/UBND-VX" (case-sensitive)."""
    return bool(_NOTATION.search(text))


def is_place_date(text: str) -> bool:
    """A "..., ngày 05 tháng 01 năm 2020" line: two of the three date words, in order."""
    words = _TOKENS.findall(fold(text))
    found = 0
    for key in ("ngay", "thang", "nam"):
        hits = [i for i, w in enumerate(words)
                if w == key or (len(key) > 3 and abs(len(w) - len(key)) <= 1
                                and levenshtein(w, key) <= 1)]
        if hits:
            found += 1
            words = words[hits[0] + 1:]
    return found >= 2


def is_dated_opening(text: str) -> bool:
    """A form's own place and date: "Làm tại: Thọ Lập, ngày 05 tháng 3 năm 2025" (civil-status
    forms) or "Hôm nay, ngày 12 tháng 7 năm 2016, tại ..." (contracts)."""
    return bool(_DATED_OPENING.match(fold(text))) and is_place_date(text)


def is_court_date(text: str) -> bool:
    """The court header date "Ngày: 10 - 3 - 2021"."""
    return bool(_COURT_DATE.match(fold(text)))


def is_motto(text: str, fuzzy: float = 0.75) -> bool:
    """"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" or "Độc lập - Tự do - Hạnh phúc" (or most of it)."""
    bare = letters(text)
    if len(bare) < 8:
        return False
    return any(partial_similarity(bare, m) >= fuzzy or partial_similarity(m, bare) >= fuzzy
               for m in MOTTO_LINES)


def is_type_name(text: str, fuzzy: float = 0.75) -> bool:
    """Starts with a document type name: QUYẾT ĐỊNH, CHỈ THỊ, TỜ TRÌNH, BÁO CÁO, ..."""
    return _starts_with(text, TYPE_NAMES, max(fuzzy, 0.8)) and upper_ratio(text) >= 0.6


def is_subject(text: str) -> bool:
    """A subject line: "V/v ...", "Về việc ...", "Về ..." (OCR "Và việc")."""
    return bool(_SUBJECT.match(fold(text)))


def is_recipients(text: str, fuzzy: float = 0.75) -> bool:
    return _starts_with(text, ("kinh gui",), fuzzy)


def is_distribution(text: str, fuzzy: float = 0.75) -> bool:
    return _starts_with(text, ("noi nhan",), fuzzy)


def is_body_start(text: str, fuzzy: float = 0.75) -> bool:
    """Opens the body: "Căn cứ", "Kính gửi", "Xét đề nghị", "NHÂN DANH", ... (capitalised:
    "thực hiện" in lower case continues a subject line)."""
    first = next((ch for ch in text if ch.isalpha()), "")
    return first.isupper() and _starts_with(text, BODY_STARTS, max(fuzzy, 0.85))


def is_signer(text: str, fuzzy: float = 0.75) -> bool:
    """Authority or title of a signer: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "GIÁM ĐỐC"."""
    if _AUTHORITY.match(text):
        return True
    return upper_ratio(text) >= 0.6 and _starts_with(
        text, (*SIGNER_TITLES, *(f"pho {t}" for t in SIGNER_TITLES)), max(fuzzy, 0.85))


def stamp_zone(text: str) -> Zone | None:
    """SECRECY or URGENCY when the whole text is such a stamp (MẬT, KHẨN, HỎA TỐC, ...)."""
    if upper_ratio(text) < 0.6:
        return None
    bare = letters(text).removeprefix("do ")
    if bare in SECRECY:
        return Zone.SECRECY
    if bare in URGENCY:
        return Zone.URGENCY
    return None


def is_copy_mark(text: str) -> bool:
    """"SAO Y", "SAO LỤC", "TRÍCH SAO" (also "SAO Y BẢN CHÍNH")."""
    return upper_ratio(text) >= 0.6 and letters(text).startswith(COPY_MARKS)


def is_received_word(word: str) -> bool:
    """The upper-case "ĐẾN" of a received stamp (not the common word "đến")."""
    core = word.strip(".,:;|!\"'()[]")
    return fold(core) == "den" and upper_ratio(core) == 1.0


def is_contact(text: str) -> bool:
    """Address / phone / fax / e-mail / website of the page footer (ô 13)."""
    return bool(_CONTACT.search(fold(text)))


def is_esign(text: str) -> bool:
    """Text of a digital-signature stamp: "Ký bởi: ...", "Thời gian ký: ...", "+07:00"."""
    return bool(_ESIGN.search(fold(text)))


def is_page_number(text: str) -> bool:
    """A lone page number such as "2" or "- 2 -"."""
    return bool(re.fullmatch(r"\W*\d{1,3}\W*", text.strip()))
