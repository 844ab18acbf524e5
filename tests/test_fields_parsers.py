"""Property tests of every field parser (format → parse → format round-trips, no crash on
arbitrary Unicode) and the table of tricky strings from ``shared/domain``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archml.fields.cases import (
    CASE_ACTS,
    CASE_DOMAINS,
    CASE_STAGES,
    CaseNumber,
    format_case_number,
    parse_case_number,
)
from archml.fields.dates import STYLES, PartialDate, format_date, parse_date
from archml.fields.land import (
    find_land_fields,
    format_area,
    land_use_code,
    parse_area,
    parse_serial,
)
from archml.fields.names import format_name, name_problems, normalize_name
from archml.fields.notation import Notation, format_notation, parse_notation
from archml.fields.numwords import int_to_words, words_to_int
from archml.fields.organs import (
    canonical_organ,
    modern_tones,
    regional_court,
    same_organ,
    successor,
)
from archml.fields.text import contains, digits, find_span, match_key, similarity
from archml.fields.validate import validate_fields, validate_value
from archml.taxonomy import FIELDS, TYPE_ABBREVIATIONS

ANY_TEXT = st.text(max_size=80)


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)))
    known = draw(st.sampled_from(["ymd", "ym", "y"]))
    return PartialDate(day.year, day.month if "m" in known else None,
                       day.day if known == "ymd" else None)


@given(partial_dates(), st.sampled_from(STYLES))
def test_date_round_trip(date: PartialDate, style: str) -> None:
    assert parse_date(format_date(date, style)) == date


@given(st.integers(0, 999_999))
def test_number_words_round_trip(n: int) -> None:
    assert words_to_int(int_to_words(n)) == n


_GROUP = st.from_regex(r"[A-ZĐ][A-ZĐ0-9]{1,7}", fullmatch=True)


@st.composite
def notations(draw: st.DrawFn) -> Notation:
    first = draw(st.sampled_from(sorted(TYPE_ABBREVIATIONS)) | _GROUP)
    rest = draw(st.lists(_GROUP, min_size=1, max_size=2))
    number = draw(st.none() | st.from_regex(r"[0-9]{1,5}", fullmatch=True))
    year = draw(st.none() | st.integers(1945, 2099).map(str))
    return Notation(number=number, year=year, groups=(first, *rest))


@given(notations())
def test_notation_round_trip(notation: Notation) -> None:
    text = format_notation(notation)
    assert format_notation(parse_notation(text)) == text


@st.composite
def case_numbers(draw: st.DrawFn) -> CaseNumber:
    layout = draw(st.sampled_from(["domain-stage", "joined", "act-domain", "act-stage"]))
    domain = None if layout == "act-stage" else draw(st.sampled_from(sorted(CASE_DOMAINS)))
    stage = draw(st.sampled_from(sorted(CASE_STAGES)))
    act = draw(st.sampled_from(sorted(CASE_ACTS))) if layout.startswith("act") else None
    return CaseNumber(str(draw(st.integers(1, 9999))), str(draw(st.integers(1990, 2099))),
                      domain, stage, act, layout)


@given(case_numbers())
def test_case_number_round_trip(case: CaseNumber) -> None:
    assert parse_case_number(format_case_number(case)) == case


@given(st.decimals(0, 10_000_000, places=2, allow_nan=False, allow_infinity=False))
def test_area_round_trip(area: Decimal) -> None:
    text = format_area(float(area))
    assert parse_area(text) == pytest.approx(float(area))
    assert format_area(parse_area(text)) == text


_SYLLABLES = st.sampled_from(["Nguyễn", "Trần", "Văn", "Thị", "Hoàng", "Giang", "Ngọc", "Căng",
                              "Phùng", "Tô", "Long", "Đăng", "Bửu", "Thủy", "Huyền"])


@given(st.lists(_SYLLABLES, min_size=2, max_size=4).map(" ".join), st.booleans())
def test_name_round_trip(name: str, upper: bool) -> None:
    assert normalize_name(format_name(name, upper)) == normalize_name(name)
    assert not name_problems(normalize_name(name))


@given(ANY_TEXT)
@settings(max_examples=150)
def test_parsers_never_crash(text: str) -> None:
    parse_date(text)
    parse_notation(text)
    parse_case_number(text)
    parse_area(text)
    parse_serial(text)
    land_use_code(text)
    find_land_fields(text)
    normalize_name(text)
    canonical_organ(text)
    successor(text)
    regional_court(text)
    words_to_int(text)
    digits(text)
    match_key(text)
    assert 0.0 <= similarity(text, "QUYẾT ĐỊNH") <= 1.0
    assert 0.0 <= contains(text, "Số") <= 1.0


@given(st.sampled_from([f.name for f in FIELDS]),
       st.none() | ANY_TEXT | st.integers() | st.floats() | st.lists(ANY_TEXT, max_size=3))
@settings(max_examples=150)
def test_validators_never_raise(name: str, value: object) -> None:
    assert all(isinstance(p, str) for p in validate_value(name, value))
    validate_fields({name: value, "codeNotation": value, "typeName": value})


# The tricky strings of shared/domain/vietnamese-standards.md, as a table.
DATES = [
    ("ngày 05 tháng 3 năm 2024", "2024-03-05"),
    ("05/3/2024", "2024-03-05"),
    ("Ngày: 10 - 3 - 2021", "2021-03-10"),
    ("Ngày 26-01-2018", "2018-01-26"),
    ("ngày mười lăm tháng ba năm hai nghìn không trăm mười chín", "2019-03-15"),
    ("Ngày mười lăm, tháng ba, năm hai nghìn không trăm mười chín", "2019-03-15"),
    ("ngày    tháng 01 năm 2010", "2010-01"),  # handwritten gap
    ("Hà Nội, ngày ..... tháng ..... năm 2020", "2020"),
    ("Quảng Ngãi, ngày⁄{ệ tháng 01 năm 2025", "2025-01"),  # OCR of a handwritten day
    ("Quảng Ngãi, ngày Ø3 tháng 4 năm 2018", "2018-04-03"),  # OCR digit look-alike
    ("NGAY 05 THANG 01 NAM 2020", "2020-01-05"),  # tone marks dropped
    ("Ngàv 4 tháng 2 năm 2010", "2010-02-04"),  # OCR read the "y" of "ngày" as "v"
    ("ngy 12 thang 3 nâm 2016", "2016-03-12"),  # a letter lost, a wrong tone
    ("ngày năm tháng năm năm hai nghìn", "2000-05-05"),  # "năm" = five and "year"
    ("Ngày: 04/4/18", "2018-04-04"),  # received stamp, two-digit year
    ("06.11.2024 09:27:05 +07:00", "2024-11-06"),  # digital-signature stamp
    ("ngày 42 tháng 02 năm 2018", "2018-02"),  # impossible day → unknown
    ("Số: 05/2025/TT-BNV", None),  # a number, not a date
]


@pytest.mark.parametrize(("text", "iso"), DATES)
def test_tricky_dates(text: str, iso: str | None) -> None:
    parsed = parse_date(text)
    assert (parsed.iso() if parsed else None) == iso


NOTATIONS = [
    # text, number, codeNotation, typeName code
    ("Số: 1906 /SGDĐT-CTrTT", "1906", "SGDĐT-CTrTT", "22"),  # công văn rule, space before /
    ("Số: 04/QĐ-BCĐ138", "04", "QĐ-BCĐ138", "02"),
    ("Số: 86 /QĐÐ-UBND", "86", "QĐ-UBND", "02"),  # Tesseract's Ð and a doubled Đ
    ("Số: 24 /TTr -UBND", "24", "TTr-UBND", "15"),  # stray space inside the notation
    ("Số: 05/2025/TT-BNV", "05", "2025/TT-BNV", "32"),  # normative: year kept, not admin
    ("Số: 12/UBND-VX", "12", "UBND-VX", "22"),
    ("Số: 15/QD-BNV", "15", "QĐ-BNV", "02"),  # Đ read as D
    ("Số: 12/HD-UBND", "12", "HD-UBND", "08"),  # HD is hướng dẫn, never hợp đồng
    ("Số: 23/HĐ-ATTP", "23", "HĐ-ATTP", "21"),
    ("Số: 10/QyĐ-UBND", "10", "QyĐ-UBND", "05"),
    ("Số:       /QĐ-UBND", None, "QĐ-UBND", "02"),  # number left blank
    ("Só: $†4/UBND-KTTH", None, "UBND-KTTH", "22"),  # unreadable handwritten number
    ("/ QĐ-CCATVSTP", None, "QĐ-CCATVSTP", "02"),  # catalogue cell with a leading slash
    ("Số: 08/2018/QĐST-HNGĐ", "08", "2018/QĐST-HNGĐ", "02"),  # court decision
    ("Bản án số: 19/2021/HS-ST", "19", "2021/HS-ST", "32"),
    ("Số: 01/SY-UBND", "01", "SY-UBND", None),  # SAO Y block: a copy, no type
]


@pytest.mark.parametrize(("text", "number", "notation", "type_code"), NOTATIONS)
def test_tricky_notations(text: str, number: str | None, notation: str,
                          type_code: str | None) -> None:
    parsed = parse_notation(text)
    assert (parsed.number, parsed.notation, parsed.type_code) == (number, notation, type_code)


def test_copy_abbreviations() -> None:
    assert parse_notation("Số: 01/SY-UBND").copy_form == "Bản sao y"
    assert parse_notation("Số: 02/TrS-VP").copy_form == "Bản trích sao"
    assert parse_notation("Số: 03/SL-VP").copy_form == "Bản sao lục"


CASES = [
    ("Bản án số: 19/2021/HS-ST", "HS", "ST", None),
    ("17/2018/HSPT", "HS", "PT", None),
    ("08/2018/QĐST-HNGĐ", "HNGĐ", "ST", "QĐ"),  # longest code first: HNGĐ, not HC or DS
    ("5/2019/HNGD-ST", "HNGĐ", "ST", None),  # Đ read as D
    ("5/2019/HC-ST", "HC", "ST", None),
    ("06/2021/TLST-DS", "DS", "ST", "TL"),
    ("23/2021/QĐXXST-HS", "HS", "ST", "QĐXX"),  # QĐXX before QĐ
    ("12/2020/QĐ-PT", None, "PT", "QĐ"),
    ("3/2010/KDTM-GĐT", "KDTM", "GĐT", None),
]


@pytest.mark.parametrize(("text", "domain", "stage", "act"), CASES)
def test_tricky_case_numbers(text: str, domain: str | None, stage: str, act: str | None) -> None:
    case = parse_case_number(text)
    assert (case.domain, case.stage, case.act) == (domain, stage, act)


def test_not_a_case_number() -> None:
    assert parse_case_number("Số: 05/2025/TT-BNV") is None


@pytest.mark.parametrize(("a", "b"), [
    ("UỶ BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI", "ỦY BAN NHÂN DÂN - TỈNH QUẢNG NGÃI"),  # UỶ vs ỦY
    ("UBND tỉnh Quảng Ngãi", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"),
    ("TAND huyện Lệ Thủy", "Tòa án nhân dân huyện Lệ Thuỷ"),
])
def test_same_organ(a: str, b: str) -> None:
    assert same_organ(a, b)


def test_tone_placement() -> None:
    assert modern_tones("CỘNG HOÀ, UỶ BAN, quý, hoàn, Thuỷ") == "CỘNG HÒA, ỦY BAN, quý, hoàn, Thủy"


def test_reorganisation() -> None:
    assert successor("Sở Tài nguyên và Môi trường") == "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"
    assert successor("Sở Nội vụ") is None
    assert regional_court("TAND khu vực 1 - Hà Nội") == (1, "HÀ NỘI")


@pytest.mark.parametrize(("text", "expected"), [
    ("NGUYỄN TÂN BỬU", "Nguyễn Tân Bửu"),
    ('"Trân Ngọc Căng', "Trân Ngọc Căng"),  # OCR mark at the edge
    ("Ông: Nguyễn Văn An", "Nguyễn Văn An"),
    ("Họ và tên: NGUYỄN VĂN A", "Nguyễn Văn A"),
    ("Bà Nguyễn Minh Huyền", "Nguyễn Minh Huyền"),
    ("NGUY0N THỊ HOA", "Nguyon Thị Hoa"),  # 0 inside a word is a letter
])
def test_names(text: str, expected: str) -> None:
    assert normalize_name(text) == expected


def test_land() -> None:
    assert parse_area("Diện tích: 82,5 m²") == 82.5
    assert parse_area("7.700m²") == 7700
    assert parse_area("612.5 m2") == 612.5
    assert land_use_code("Mục đích sử dụng: Đất ở tại đô thị") == "ODT"
    assert land_use_code("ONT") == "ONT"
    assert land_use_code("Đất Cơ sở giáo dục và đào tạo") == "DGD"
    assert parse_serial("Giấy chứng nhận số AI 821557") == "AI 821557"
    assert find_land_fields("thửa đất số 70, tờ bản đồ số 19, số vào sổ cấp GCN: H00681 do") == {
        "parcelNumber": "70", "mapSheet": "19", "registryNumber": "H00681"}


def test_validators() -> None:
    assert validate_value("issuedDate", "2025-02-30")
    assert validate_value("issuedDate", "2999-01-01")
    assert not validate_value("issuedDate", "2010-01")
    assert validate_value("codeNotation", "QĐ - UBND")
    assert not validate_value("codeNotation", "2025/TT-BNV")
    assert validate_value("personalId", "12345")
    problems = validate_fields({"codeNotation": "QĐ-UBND", "typeName": "22"})
    assert "Quyết định" in problems["typeName"][0]


def test_fuzzy_span() -> None:
    from archml.document import Box, Word

    texts = ["Kính", "gửi", ":", "Thường", "trực", "HĐND", "tinh", "Quang", "Ngai", "."]
    words = [Word(text=t, box=Box(i * 10, 0, i * 10 + 8, 10)) for i, t in enumerate(texts)]
    span = find_span("tỉnh Quảng Ngãi", words)
    assert (span.start, span.end) == (6, 9)
    assert span.box(words) == Box(60, 0, 88, 10)
