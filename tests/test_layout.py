"""Layout on hand-built pages: column segments, reading order, blocks and Decree-30 zones.

Pages are A4 at 300 dpi. ``seg(text, x, y)`` lays words out from ``x`` at 26 px a character;
``line(...)`` joins segments into one OCR line, the way Tesseract joins the two header columns.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archml.document import Block, Box, Line, Page, PageSource, Word, Zone
from archml.layout import (
    LayoutConfig,
    LayoutStage,
    assign_zones,
    fold,
    lines_from_words,
    partial_similarity,
    segment_lines,
    split_line,
)
from archml.layout.patterns import is_number, is_place_date, stamp_zone
from archml.layout.text import levenshtein
from archml.stages import STAGES

W, H = 2480, 3508
CHAR, SPACE, HEIGHT = 26, 16, 50
CENTRE = 1280
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
BODY = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa",
        "đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền",
        "địa phương ngày 22 tháng 11 năm 2019 và các văn bản hướng dẫn thi hành hiện nay;")


def seg(text: str, x: float, y: float, height: float = HEIGHT) -> list[Word]:
    words = []
    for token in text.split():
        width = CHAR * len(token)
        words.append(Word(text=token, box=Box(x, y, x + width, y + height), confidence=0.9))
        x += width + SPACE
    return words


def centred(text: str, y: float) -> list[Word]:
    return seg(text, CENTRE - (CHAR * len(text)) / 2, y)


def line(*segments: list[Word]) -> Line:
    return Line.from_words([w for s in segments for w in s])


def page(*lines: Line, index: int = 0) -> Page:
    blocks = [Block.from_lines(list(lines))] if lines else []
    return Page(index=index, width=W, height=H, blocks=blocks,
                source=PageSource(page_index=index, dpi=300))


def laid_out(*lines: Line, config: LayoutConfig | None = None) -> Page:
    result = page(*lines)
    LayoutStage(config).process_page(result)
    return result


def header(number: str = "Số: 86/QĐ-UBND",
           date: str = "Quảng Ngãi, ngày 16 tháng 01 năm 2025") -> list[Line]:
    return [
        line(seg("ỦY BAN NHÂN DÂN", 450, 200), seg(MOTTO, 1300, 200)),
        line(seg("TỈNH QUẢNG NGÃI", 470, 265), seg("Độc lập - Tự do - Hạnh phúc", 1450, 265)),
        line(seg(number, 480, 360), seg(date, 1240, 360)),
    ]


def body(y: float) -> list[Line]:
    return [line(seg(text, 500 if i == 0 else 350, y + 75 * i)) for i, text in enumerate(BODY)]


def footer(y: float) -> list[Line]:
    return [
        line(seg("Nơi nhận:", 350, y), seg("TM. ỦY BAN NHÂN DÂN", 1450, y)),
        line(seg("- Như Điều 3;", 360, y + 60), seg("CHỦ TỊCH", 1620, y + 70)),
        line(seg("- Lưu: VT, NC.", 360, y + 120)),
        line(seg("Nguyễn Hoàng Giang", 1500, y + 400)),
    ]


def decision() -> list[Line]:
    return [
        *header(),
        line(centred("QUYẾT ĐỊNH", 470)),
        line(centred("Về việc bổ nhiệm vào ngạch Thanh tra viên và xếp lương", 540)),
        line(centred("đối với ông Bạch Đăng Ngọc", 610)),
        line(centred("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", 730)),
        *body(820),
        *footer(2600),
    ]


def zones(result: Page) -> list[Zone | None]:
    return [b.zone for b in result.blocks]


def test_header_columns_are_split_and_read_left_then_right() -> None:
    result = laid_out(*decision())
    assert zones(result)[:4] == [Zone.ORGAN, Zone.NUMBER, Zone.MOTTO, Zone.PLACE_DATE]
    assert result.zone_text(Zone.ORGAN) == "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI"
    assert result.zone_text(Zone.MOTTO) == ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                                            "Độc lập - Tự do - Hạnh phúc")
    assert result.zone_text(Zone.NUMBER) == "Số: 86/QĐ-UBND"
    assert result.zone_text(Zone.PLACE_DATE) == "Quảng Ngãi, ngày 16 tháng 01 năm 2025"


def test_title_subject_body_and_footer() -> None:
    result = laid_out(*decision())
    assert zones(result)[4:] == [Zone.TITLE, Zone.SUBJECT, Zone.BODY, Zone.BODY,
                                 Zone.DISTRIBUTION, Zone.SIGNER, Zone.SIGNER]
    assert result.zone_text(Zone.TITLE) == "QUYẾT ĐỊNH"
    assert result.zone_text(Zone.SUBJECT).startswith("Về việc bổ nhiệm")
    assert result.zone_text(Zone.DISTRIBUTION) == "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT, NC."
    assert result.zone_text(Zone.SIGNER) == "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Hoàng Giang"
    assert result.zone_blocks(Zone.BODY)[1].text.startswith("Căn cứ")
    assert len(result.zone_blocks(Zone.BODY)[1].lines) == 3


def test_a_rule_read_as_a_dash_between_the_columns_does_not_end_the_header() -> None:
    """OCR reads the short rule under an organ's name (or a speck of a noisy scan) as ``-`` or
    ``:``; centred between the columns, such a mark is no title."""
    first, *rest = decision()
    marked = line(*[[w] for w in first.words], seg("-", CENTRE - 10, 235))
    result = laid_out(marked, *rest)
    assert result.zone_text(Zone.NUMBER) == "Số: 86/QĐ-UBND"
    assert result.zone_text(Zone.PLACE_DATE) == "Quảng Ngãi, ngày 16 tháng 01 năm 2025"
    assert result.zone_text(Zone.TITLE) == "QUYẾT ĐỊNH"


def test_a_word_ocr_made_of_noise_between_the_columns_does_not_end_the_header() -> None:
    first, second, *rest = decision()
    noise = [w.model_copy(update={"confidence": 0.0}) for w in seg("TiT", CENTRE - 40, 270)]
    result = laid_out(first, line(*[[w] for w in second.words], noise), *rest)
    assert result.zone_text(Zone.NUMBER) == "Số: 86/QĐ-UBND"
    assert result.zone_text(Zone.TITLE) == "QUYẾT ĐỊNH"
    sure = [w.model_copy(update={"confidence": 0.9}) for w in noise]  # read with confidence
    assert not laid_out(first, line(*[[w] for w in second.words], sure), *rest).zone_blocks(
        Zone.NUMBER)  # a centred word ends the header before the number, as a title would


def test_a_motto_row_run_across_both_columns_still_starts_the_header() -> None:
    """OCR sometimes reads the organ's name and the motto as one line across the page."""
    _, *rest = decision()
    merged = line(seg(f"ỦY BAN NHÂN DÂN&{MOTTO}", 450, 200))  # glued: one centred segment
    result = laid_out(merged, *rest)
    assert result.zone_text(Zone.NUMBER) == "Số: 86/QĐ-UBND"
    assert result.zone_text(Zone.PLACE_DATE) == "Quảng Ngãi, ngày 16 tháng 01 năm 2025"
    assert result.zone_text(Zone.TITLE) == "QUYẾT ĐỊNH"


def test_number_and_date_with_a_narrow_gap_are_split_by_their_text() -> None:
    number = seg("Số: 1906 /SGDĐT-CTrTT", 420, 360)
    date = seg("Hà Nội, ngày 05 tháng 01 năm 2020", number[-1].box.x1 + 80, 360)
    result = laid_out(*header()[:2], line(number, date), line(centred("CÔNG ĐIỆN", 470)),
                      *body(600))
    assert result.zone_text(Zone.NUMBER) == "Số: 1906 /SGDĐT-CTrTT"
    assert result.zone_text(Zone.PLACE_DATE) == "Hà Nội, ngày 05 tháng 01 năm 2020"
    assert result.zone_text(Zone.TITLE) == "CÔNG ĐIỆN"


def test_ocr_garbled_labels_are_still_read() -> None:
    result = laid_out(*header("S6: 86 /QĐ-UBND", "Quảng Ngãi, ngay l6 thang 01 nam 2025"),
                      line(centred("QUYÉT ĐỊNH", 470)), *body(600))
    assert result.zone_text(Zone.NUMBER) == "S6: 86 /QĐ-UBND"
    assert result.zone_text(Zone.PLACE_DATE).startswith("Quảng Ngãi, ngay")
    assert result.zone_text(Zone.TITLE) == "QUYÉT ĐỊNH"


def test_received_stamp_over_the_body_is_not_the_issue_date() -> None:
    stamp = [
        line(seg("TRUNG TÂM CÔNG BÁO", 40, 700, 40)),
        line(seg("ĐẾN", 60, 760, 70)),
        line(seg("Số: 2770", 40, 840, 40), seg(BODY[0], 500, 830)),
        line(seg("Ngày: 04/4/18", 40, 905, 40), seg(BODY[1], 350, 905)),
    ]
    result = laid_out(*header(), line(centred("CHỈ THỊ", 470)),
                      line(centred("Về việc tăng cường công tác quản lý", 540)), *stamp,
                      line(seg(BODY[2], 350, 980)))
    received = result.zone_text(Zone.RECEIVED_STAMP)
    assert all(part in received for part in ("ĐẾN", "Số: 2770", "Ngày: 04/4/18", "TRUNG TÂM"))
    assert result.zone_text(Zone.PLACE_DATE) == "Quảng Ngãi, ngày 16 tháng 01 năm 2025"
    assert result.zone_text(Zone.NUMBER) == "Số: 86/QĐ-UBND"
    assert result.zone_text(Zone.BODY).split("\n") == list(BODY)


def test_received_stamp_in_the_header_is_not_the_issue_date() -> None:
    stamp = [line(seg("CV ĐẾN Số: 2770", 1500, 440, 40)), line(seg("Ngày: 04/4/18", 1500, 490, 40))]
    result = laid_out(*header(), *stamp, line(centred("QUYẾT ĐỊNH", 600)), *body(700))
    assert result.zone_text(Zone.RECEIVED_STAMP) == "CV ĐẾN Số: 2770\nNgày: 04/4/18"
    assert result.zone_text(Zone.PLACE_DATE) == "Quảng Ngãi, ngày 16 tháng 01 năm 2025"


def test_copy_block_after_the_end() -> None:
    copy = [
        line(seg("VĂN PHÒNG UBND TỈNH", 350, 3150), seg("SAO Y", 1600, 3150)),
        line(seg("Số: 12/SY-VP", 380, 3215),
             seg("Quảng Ngãi, ngày 20 tháng 01 năm 2025", 1240, 3215)),
        line(seg("Nơi nhận:", 350, 3290), seg("TL. CHỦ TỊCH", 1550, 3290)),
    ]
    result = laid_out(*decision(), *copy)
    assert result.zone_text(Zone.COPY).split("\n") == [
        "VĂN PHÒNG UBND TỈNH", "SAO Y", "Số: 12/SY-VP",
        "Quảng Ngãi, ngày 20 tháng 01 năm 2025", "Nơi nhận:", "TL. CHỦ TỊCH"]
    assert result.zone_text(Zone.NUMBER) == "Số: 86/QĐ-UBND"
    assert "Nguyễn Hoàng Giang" in result.zone_text(Zone.SIGNER)
    assert zones(result)[-1] == Zone.COPY


def test_cong_van_subject_and_recipients() -> None:
    result = laid_out(
        *header("Số: 574/UBND-KTTH", "Quảng Ngãi, ngày 04 tháng 02 năm 2025"),
        line(seg("V/v đăng ký bổ sung nội dung", 420, 430)),
        line(seg("trình HĐND tỉnh", 500, 490)),
        line(seg("Kính gửi: Thường trực HĐND tỉnh", 900, 650)),
        *body(780), *footer(1200))
    assert result.zone_text(Zone.SUBJECT) == "V/v đăng ký bổ sung nội dung\ntrình HĐND tỉnh"
    assert result.zone_text(Zone.RECIPIENTS) == "Kính gửi: Thường trực HĐND tỉnh"
    assert result.zone_blocks(Zone.TITLE) == []
    assert zones(result)[:5] == [Zone.ORGAN, Zone.NUMBER, Zone.SUBJECT, Zone.MOTTO,
                                 Zone.PLACE_DATE]


def test_recipient_list_ends_at_the_body() -> None:
    result = laid_out(*header(), line(centred("BÁO CÁO", 470)),
                      line(centred("Tình hình cải cách thủ tục hành chính", 540)),
                      line(seg("Kính gửi:", 750, 680)),
                      line(seg("- Văn phòng Chính phủ;", 980, 740)),
                      line(seg("- Bộ Nội vụ.", 980, 800)), *body(900))
    assert result.zone_text(Zone.RECIPIENTS) == "Kính gửi:\n- Văn phòng Chính phủ;\n- Bộ Nội vụ."
    assert result.zone_text(Zone.SUBJECT) == "Tình hình cải cách thủ tục hành chính"
    assert result.zone_text(Zone.BODY).startswith("Căn cứ")


def test_secrecy_and_urgency_stamps() -> None:
    result = laid_out(*header(), line(seg("MẬT", 200, 440)), line(seg("HỎA TỐC", 200, 520)),
                      line(centred("CHỈ THỊ", 600)),
                      line(seg("Khẩn trương tổ chức rà soát, kiểm tra, đánh giá toàn bộ công trình",
                               350, 700)))
    assert result.zone_text(Zone.SECRECY) == "MẬT"
    assert result.zone_text(Zone.URGENCY) == "HỎA TỐC"
    assert result.zone_text(Zone.BODY).startswith("Khẩn trương")
    assert [stamp_zone(t) for t in ("TỐI MẬT", "THƯỢNG KHẨN", "HOẢ TỐC", "Khẩn")] == [
        Zone.SECRECY, Zone.URGENCY, Zone.URGENCY, None]


def test_court_judgment_header() -> None:
    result = laid_out(
        line(seg("TÒA ÁN NHÂN DÂN", 450, 200), seg(MOTTO, 1300, 200)),
        line(seg("TỈNH LẠNG SƠN", 480, 265), seg("Độc lập - Tự do - Hạnh phúc", 1450, 265)),
        line(seg("Bản án số: 19/2021/HS-ST", 400, 340)),
        line(seg("Ngày: 10 - 3 - 2021", 470, 405)),
        line(centred("NHÂN DANH", 520)),
        line(centred("NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 585)),
        *body(700))
    assert result.zone_text(Zone.NUMBER) == "Bản án số: 19/2021/HS-ST"
    assert result.zone_text(Zone.PLACE_DATE) == "Ngày: 10 - 3 - 2021"
    assert result.zone_text(Zone.ORGAN) == "TÒA ÁN NHÂN DÂN\nTỈNH LẠNG SƠN"
    assert result.zone_blocks(Zone.TITLE) == []
    assert result.zone_text(Zone.BODY).startswith("NHÂN DANH\nNƯỚC CỘNG HÒA")


def test_court_date_without_a_readable_number_line() -> None:
    result = laid_out(
        line(seg("TÒA ÁN NHÂN DÂN", 450, 200), seg(MOTTO, 1300, 200)),
        line(seg("TỈNH LẠNG SƠN", 480, 265), seg("Độc lập - Tự do - Hạnh phúc", 1450, 265)),
        line(seg("Ngày: 10 - 3 - 2021", 470, 405)),  # OCR lost the "Bản án số" line
        line(seg("V/v: Tranh chấp về thừa kế tài sản", 400, 470)),
        line(centred("NHÂN DANH", 560)),
        *body(700))
    assert result.zone_text(Zone.PLACE_DATE) == "Ngày: 10 - 3 - 2021"
    assert result.zone_text(Zone.ORGAN) == "TÒA ÁN NHÂN DÂN\nTỈNH LẠNG SƠN"
    assert result.zone_text(Zone.SUBJECT) == "V/v: Tranh chấp về thừa kế tài sản"


@pytest.mark.parametrize("dated", ["Làm tại: Thọ Lập, ngày 05 tháng 3 năm 2025",
                                   "Hôm nay, ngày 12 tháng 7 năm 2016, tại Văn phòng công chứng"])
def test_a_forms_dated_opening_is_its_place_and_date_wherever_it_starts(dated: str) -> None:
    """Civil-status forms and contracts have no header date; their "Làm tại: …, ngày …" or
    "Hôm nay, ngày …" line is the date even when it starts left of the centre."""
    result = laid_out(line(centred(MOTTO, 200)), line(centred("Độc lập - Tự do - Hạnh phúc", 265)),
                      line(centred("TỜ KHAI ĐĂNG KÝ KHAI SINH", 360)), *body(450),
                      line(seg(dated, 900, 700)))
    assert result.zone_text(Zone.PLACE_DATE) == dated
    assert "ngày 19 tháng 6 năm 2015" in result.zone_text(Zone.BODY)  # a date in a sentence


def test_a_closing_date_starting_just_left_of_the_centre_is_the_date() -> None:
    """Land forms date themselves above the signature in the right column, the line often
    starting a little left of the text's centre; full-width body lines with dates stay body."""
    dated = "Bình Đại, ngày 08 tháng 10 năm 2011"
    result = laid_out(line(centred(MOTTO, 200)), line(centred("Độc lập - Tự do - Hạnh phúc", 265)),
                      line(centred("ĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI", 360)), *body(450),
                      line(seg(dated, CENTRE - 60, 700)))
    assert result.zone_text(Zone.PLACE_DATE) == dated
    assert "ngày 19 tháng 6 năm 2015" in result.zone_text(Zone.BODY)


def test_page_without_header_is_body_only() -> None:
    result = laid_out(line(seg("2. Giám đốc Sở Giao thông vận tải", 500, 300)), *body(380),
                      *body(700))
    assert set(zones(result)) == {Zone.BODY}
    assert result.text.split("\n")[0] == "2. Giám đốc Sở Giao thông vận tải"


def test_garbled_motto_still_starts_a_header_above_a_number() -> None:
    garbled = [line(seg("ỦY BAN NHÂN DÂN", 450, 200), seg("CÔ HÔ XÁ HI CH NGHlA VT NM", 1300, 200)),
               line(seg("TỈNH QUẢNG NGÃI", 470, 265), seg("Đc Iâp - T đ - Hnh phc", 1450, 265)),
               header()[2]]
    result = laid_out(*garbled, line(centred("QUYẾT ĐỊNH", 470)), *body(600))
    assert zones(result)[:4] == [Zone.ORGAN, Zone.NUMBER, Zone.MOTTO, Zone.PLACE_DATE]


def test_upper_case_columns_without_a_number_are_no_header() -> None:
    result = laid_out(line(seg("DANH SÁCH ĐƠN VỊ", 450, 200), seg("GHI CHÚ", 1700, 200)),
                      line(seg("SỞ TÀI CHÍNH", 450, 265), seg("BÁO CÁO", 1700, 265)), *body(400))
    assert set(zones(result)) == {Zone.BODY}


def test_page_number_of_a_later_page() -> None:
    result = laid_out(line(seg("2", 1270, 150)), *body(300), *footer(600))
    assert zones(result)[0] == Zone.PAGE_NUMBER
    assert result.zone_text(Zone.PAGE_NUMBER) == "2"
    assert Zone.SIGNER in zones(result)


def test_digital_signature_above_the_header_is_kept_out() -> None:
    esign = [line(seg("Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi", 1900, 20, 30)),
             line(seg("Thời gian ký: 17/01/2025 13:33:13", 1900, 60, 30)),
             line(seg("TRUNG TÂM CÔNG BÁO", 1250, 40, 35))]
    result = laid_out(*esign, *decision())
    assert zones(result)[:4] == [Zone.ORGAN, Zone.NUMBER, Zone.MOTTO, Zone.PLACE_DATE]
    assert "Ký bởi" in result.zone_text(Zone.DIGITAL_SIGNATURE)
    assert "17/01/2025" not in result.zone_text(Zone.PLACE_DATE)


def test_page_footer_contacts() -> None:
    result = laid_out(*body(300), line(seg("Địa chỉ: 52 Hùng Vương, TP Quảng Ngãi", 350, 3300)),
                      line(seg("Điện thoại: 0255 3822 000; Email: vp@quangngai.gov.vn", 350, 3360)))
    assert result.zone_text(Zone.FOOTER).startswith("Địa chỉ:")
    assert len(result.zone_text(Zone.FOOTER).split("\n")) == 2


def test_empty_page_has_no_blocks() -> None:
    result = laid_out()
    assert result.blocks == []
    assert result.source.steps[-1].name == "layout"
    assert result.source.steps[-1].params == {"zones": {}}
    noise = laid_out(line(seg(".^ |", 300, 300)))
    assert noise.blocks == []


def test_stage_records_zone_counts_and_is_registered() -> None:
    result = laid_out(*decision())
    step = result.source.steps[-1]
    assert step.name == "layout" and step.seconds is not None
    assert step.params["zones"]["body"] == 2 and step.params["zones"]["organ"] == 1
    assert STAGES.get("layout") is LayoutStage
    assert Page.from_export(result.export()) == result


def test_assign_zones_on_segmented_lines() -> None:
    raw = page(*decision())
    raw.blocks = [Block.from_lines(segment_lines(raw.blocks, H, LayoutConfig()))]
    assign_zones(raw)
    assert raw.zone_text(Zone.NUMBER) == "Số: 86/QĐ-UBND"
    assert all(b.zone is not None for b in raw.blocks)


def test_split_line_at_wide_gaps_only() -> None:
    merged = line(seg("ỦY BAN NHÂN DÂN", 450, 200), seg("CỘNG HÒA", 1100, 200))
    assert [s.text for s in split_line(merged, 2.0)] == ["ỦY BAN NHÂN DÂN", "CỘNG HÒA"]
    assert [s.text for s in split_line(merged, 20.0)] == ["ỦY BAN NHÂN DÂN CỘNG HÒA"]


def test_regrouped_words_make_lines_again() -> None:
    words = [w for ln in decision() for w in ln.words]
    one_per_line = page(*(Line.from_words([w]) for w in words))
    regrouped = lines_from_words(words)
    assert regrouped[0].text == "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    LayoutStage(LayoutConfig(regroup_lines=True)).process_page(one_per_line)
    assert one_per_line.zone_text(Zone.NUMBER) == "Số: 86/QĐ-UBND"
    assert one_per_line.zone_text(Zone.TITLE) == "QUYẾT ĐỊNH"


def test_text_helpers() -> None:
    assert fold("Số: 15/QĐ-BNV, ngày Đến") == "so: 15/qd-bnv, ngay den"
    assert partial_similarity("qd-ubnd", "so:86/qd-ubnd") == 1.0
    assert partial_similarity("qd-ubnd", "so:86/qdð-ubnd") >= 0.85
    assert partial_similarity("abc", "xyz") == 0.0
    assert is_number("S6: 86/QĐ-UBND") and is_number("Sé: 12/UBND-VX")
    assert not is_number("Sở Y tế tỉnh")
    assert is_place_date("Hà Nội, ngày 05 tháng 01 năm 2020")
    assert is_place_date("Quảng Ngãi, ngày⁄{§' thảng 01 nam 2025")
    assert not is_place_date("Căn cứ Luật Thanh tra số 11/2022/QH15")


def _edit_distances(needle: str, haystack: str, *, substring: bool) -> list[int]:
    """The last row of the textbook edit-distance table (free start in ``haystack`` when
    ``substring``): the reference the fast implementations are checked against."""
    previous = [0 if substring else j for j in range(len(haystack) + 1)]
    for i, cn in enumerate(needle, 1):
        current = [i]
        for j, ch in enumerate(haystack, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (cn != ch)))
        previous = current
    return previous


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abđươ ạ-", max_size=12), st.text(alphabet="abđươ ạ-", max_size=40))
def test_fuzzy_matching_equals_the_textbook_tables(needle: str, haystack: str) -> None:
    assert levenshtein(needle, haystack) == _edit_distances(needle, haystack,
                                                           substring=False)[-1]
    expected = (1.0 if not needle else
                max(0.0, 1 - min(_edit_distances(needle, haystack, substring=True))
                    / len(needle)))
    assert partial_similarity(needle, haystack) == pytest.approx(expected)
