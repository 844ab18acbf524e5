"""Value lists and the sampler that fills one Decree-30 administrative document with content.

Everything here is plain text: no geometry, no fonts. :func:`sample_decree30` draws one
:class:`Decree30Content` from a seeded :class:`numpy.random.Generator`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np


@dataclass(frozen=True)
class Organ:
    """An issuing body: its header lines (parent first), symbol, place and head's titles."""

    lines: tuple[str, ...]
    symbol: str
    place: str
    head: str
    deputy: str
    collective: str | None = None  # "ỦY BAN NHÂN DÂN": signs "TM. ..." for the collective


@dataclass(frozen=True)
class DocType:
    name: str  # upper-case type name printed as the title; "" for a công văn
    code: str  # symbol part of the number, e.g. "QĐ"


ORGANS: tuple[Organ, ...] = (
    Organ(("ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"), "UBND", "Quảng Ngãi", "CHỦ TỊCH",
          "PHÓ CHỦ TỊCH", "ỦY BAN NHÂN DÂN"),
    Organ(("ỦY BAN NHÂN DÂN", "THÀNH PHỐ ĐÀ NẴNG"), "UBND", "Đà Nẵng", "CHỦ TỊCH",
          "PHÓ CHỦ TỊCH", "ỦY BAN NHÂN DÂN"),
    Organ(("ỦY BAN NHÂN DÂN", "HUYỆN BÌNH SƠN"), "UBND", "Bình Sơn", "CHỦ TỊCH",
          "PHÓ CHỦ TỊCH", "ỦY BAN NHÂN DÂN"),
    Organ(("ỦY BAN NHÂN DÂN", "XÃ TỊNH KHÊ"), "UBND", "Tịnh Khê", "CHỦ TỊCH", "PHÓ CHỦ TỊCH",
          "ỦY BAN NHÂN DÂN"),
    Organ(("UBND TỈNH QUẢNG NGÃI", "SỞ NỘI VỤ"), "SNV", "Quảng Ngãi", "GIÁM ĐỐC",
          "PHÓ GIÁM ĐỐC"),
    Organ(("UBND THÀNH PHỐ HÀ NỘI", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"), "SGDĐT", "Hà Nội", "GIÁM ĐỐC",
          "PHÓ GIÁM ĐỐC"),
    Organ(("UBND TỈNH BÌNH ĐỊNH", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"), "STNMT", "Bình Định",
          "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    Organ(("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI"), "VPĐKĐĐ", "Quy Nhơn",
          "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    Organ(("UBND HUYỆN SƠN TỊNH", "PHÒNG TƯ PHÁP"), "PTP", "Sơn Tịnh", "TRƯỞNG PHÒNG",
          "PHÓ TRƯỞNG PHÒNG"),
    Organ(("BỘ NỘI VỤ",), "BNV", "Hà Nội", "BỘ TRƯỞNG", "THỨ TRƯỞNG"),
    Organ(("BỘ NỘI VỤ", "CỤC VĂN THƯ VÀ LƯU TRỮ NHÀ NƯỚC"), "VTLTNN", "Hà Nội", "CỤC TRƯỞNG",
          "PHÓ CỤC TRƯỞNG"),
    Organ(("UBND THÀNH PHỐ HỒ CHÍ MINH", "SỞ TƯ PHÁP"), "STP", "Thành phố Hồ Chí Minh",
          "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
)

DOC_TYPES: tuple[DocType, ...] = (
    DocType("QUYẾT ĐỊNH", "QĐ"),
    DocType("CHỈ THỊ", "CT"),
    DocType("THÔNG BÁO", "TB"),
    DocType("KẾ HOẠCH", "KH"),
    DocType("BÁO CÁO", "BC"),
    DocType("TỜ TRÌNH", "TTr"),
    DocType("", ""),  # công văn: no type name, "V/v ..." under the number
)

SUBJECTS: tuple[str, ...] = (
    "bổ nhiệm vào ngạch Thanh tra viên và xếp lương đối với ông Bạch Đăng Ngọc",
    "phê duyệt kế hoạch sử dụng đất năm 2025 của huyện Bình Sơn",
    "tăng cường công tác phòng, chống thiên tai trong mùa mưa bão năm 2024",
    "thu hồi đất để thực hiện dự án nâng cấp, mở rộng tuyến đường tỉnh 623B",
    "giao chỉ tiêu biên chế công chức trong cơ quan hành chính năm 2025",
    "tổ chức kỳ thi tuyển dụng viên chức ngành giáo dục năm học 2024 - 2025",
    "cấp Giấy chứng nhận quyền sử dụng đất cho hộ gia đình, cá nhân",
    "chấn chỉnh công tác văn thư, lưu trữ tại các cơ quan, đơn vị",
    "triển khai thực hiện thủ tục hành chính trên môi trường điện tử",
    "kiện toàn Hội đồng thẩm định bảng giá đất của tỉnh",
    "đăng ký khai sinh, kết hôn, khai tử trên địa bàn xã năm 2024",
    "điều chỉnh quy hoạch chi tiết xây dựng khu dân cư Bắc Sông Vệ",
)

BASES: tuple[str, ...] = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
    "Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024",
    "Căn cứ Luật Cán bộ, công chức ngày 13 tháng 11 năm 2008",
    "Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014",
    "Căn cứ Luật Lưu trữ ngày 21 tháng 6 năm 2024",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư",
    "Căn cứ Nghị định số 138/2020/NĐ-CP ngày 27 tháng 11 năm 2020 của Chính phủ quy định về "
    "tuyển dụng, sử dụng và quản lý công chức",
    "Căn cứ Thông tư số 02/2007/TT-BNV ngày 25 tháng 5 năm 2007 của Bộ trưởng Bộ Nội vụ hướng dẫn "
    "xếp lương khi nâng ngạch, chuyển ngạch",
)

SENTENCES: tuple[str, ...] = (
    "Trong thời gian qua, các cấp, các ngành đã có nhiều cố gắng trong lãnh đạo, chỉ đạo, "
    "điều hành và tổ chức thực hiện nhiệm vụ được giao.",
    "Tuy nhiên, bên cạnh những kết quả đạt được vẫn còn một số tồn tại, hạn chế cần sớm khắc phục.",
    "Giao Sở Nội vụ chủ trì, phối hợp với các cơ quan liên quan hướng dẫn, kiểm tra "
    "việc thực hiện.",
    "Thủ trưởng các sở, ban, ngành và Chủ tịch Ủy ban nhân dân các huyện chịu trách "
    "nhiệm thi hành.",
    "Quyết định này có hiệu lực thi hành kể từ ngày ký.",
    "Thời gian tính nâng bậc lương lần sau được tính kể từ ngày 01 tháng 9 năm 2023.",
    "Đề nghị các cơ quan, đơn vị báo cáo kết quả thực hiện về Ủy ban nhân dân tỉnh trước ngày 15 "
    "tháng 12 năm 2024.",
    "Kinh phí thực hiện được bố trí từ nguồn ngân sách nhà nước theo phân cấp hiện hành.",
    "Tăng cường công tác tuyên truyền, phổ biến, giáo dục pháp luật đến cán bộ và Nhân dân.",
    "Rà soát, thống kê đầy đủ hồ sơ, tài liệu có giá trị lưu trữ vĩnh viễn để nộp "
    "vào Lưu trữ lịch sử.",
    "Ủy ban nhân dân cấp xã có trách nhiệm niêm yết công khai danh sách tại trụ sở và nhà văn hóa "
    "thôn.",
    "Người sử dụng đất có trách nhiệm kê khai đăng ký biến động đất đai trong thời hạn 30 ngày.",
    "Diện tích đất thu hồi là 2.456,8 m² thuộc thửa đất số 125, tờ bản đồ số 14, xã Bình Thạnh.",
    "Giá đất cụ thể được xác định theo phương pháp so sánh và được Hội đồng thẩm định thông qua.",
    "Công chức được bổ nhiệm vào ngạch chuyên viên, mã số 01.003, bậc 5/9, hệ số lương 3,66.",
    "Các trường hợp đăng ký khai sinh quá hạn phải được xác minh đầy đủ trước khi giải quyết.",
    "Ủy ban nhân dân tỉnh yêu cầu các đơn vị nghiêm túc triển khai, không để xảy ra sai sót.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị kịp thời báo "
    "cáo để xem xét.",
    "Chủ động xây dựng phương án ứng phó, bảo đảm an toàn tính mạng và tài sản của Nhân dân.",
    "Kiểm tra, đánh giá hiện trạng các công trình cầu, cống, đường giao thông trước mùa mưa bão.",
    "Bố trí lực lượng trực ban 24/24 giờ, thường xuyên theo dõi diễn biến thời tiết.",
    "Hồ sơ đề nghị gồm đơn đăng ký, bản sao giấy tờ tùy thân và văn bản ủy quyền nếu có.",
    "Thời hạn giải quyết thủ tục không quá 10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
    "Văn phòng Đăng ký đất đai cập nhật, chỉnh lý hồ sơ địa chính và cơ sở dữ liệu đất đai.",
    "Giao Sở Tài chính thẩm định, tham mưu bố trí kinh phí bảo đảm tiến độ thực hiện.",
    "Việc tiếp nhận và trả kết quả được thực hiện tại Trung tâm Phục vụ hành chính công.",
    "Năm 2024, toàn tỉnh đã giải quyết 12.587 hồ sơ đúng hạn, đạt tỷ lệ 98,6%.",
    "Công tác cải cách hành chính được quan tâm chỉ đạo, đạt được nhiều kết quả tích cực.",
    "Chỉ số hài lòng của người dân, doanh nghiệp đối với sự phục vụ của cơ quan hành chính tăng.",
    "Thực hiện nghiêm quy định về chế độ báo cáo định kỳ và đột xuất theo yêu cầu của cấp trên.",
    "Tổ chức lấy ý kiến cộng đồng dân cư về phương án bồi thường, hỗ trợ và tái định cư.",
    "Các hộ gia đình bị ảnh hưởng được hỗ trợ ổn định đời sống và chuyển đổi nghề nghiệp.",
    "Ban Chỉ huy phòng, chống thiên tai cấp huyện tổng hợp tình hình thiệt hại, báo cáo kịp thời.",
    "Đối với hồ sơ chưa đủ điều kiện, cơ quan tiếp nhận phải hướng dẫn bằng văn bản một lần.",
    "Sở Giáo dục và Đào tạo hướng dẫn các trường xây dựng kế hoạch năm học phù hợp thực tiễn.",
    "Người đứng đầu cơ quan chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân tỉnh về kết quả.",
    "Lập danh mục hồ sơ, tài liệu hết giá trị và đề xuất hủy theo đúng quy trình hiện hành.",
    "Ông Nguyễn Văn Hùng, sinh năm 1978, thường trú tại thôn Phú Lộc, xã Tịnh Khê.",
    "Bà Trần Thị Mỹ Dung được giao quyền sử dụng đất ở với diện tích 150 m² tại thửa số 87.",
    "Trưởng các phòng, ban chuyên môn căn cứ chức năng, nhiệm vụ được giao tổ chức thực hiện.",
    "Kết quả kiểm tra cho thấy phần lớn các đơn vị đã chấp hành tốt quy định về văn thư, lưu trữ.",
    "Đề nghị Ủy ban nhân dân tỉnh xem xét, phê duyệt để làm cơ sở triển khai thực hiện.",
)

NAMES: tuple[str, ...] = (
    "Nguyễn Hoàng Giang", "Trần Thị Bích Ngọc", "Lê Quang Minh", "Phạm Quốc Hùng",
    "Võ Thị Thu Hà", "Đặng Văn Phúc", "Huỳnh Ngọc Sơn", "Bùi Thị Lan Anh", "Đỗ Tấn Lộc",
    "Ngô Đức Thắng", "Dương Thị Kim Oanh", "Hồ Sỹ Nguyên",
)

DISTRIBUTION: tuple[str, ...] = (
    "Thường trực Tỉnh ủy;", "Thường trực HĐND tỉnh;", "CT, các PCT UBND tỉnh;",
    "Các sở, ban, ngành tỉnh;", "UBND các huyện, thị xã, thành phố;", "Sở Nội vụ;",
    "Sở Tài chính;", "Cổng thông tin điện tử tỉnh;", "VPUB: CVP, PCVP;", "Báo Quảng Ngãi;",
)

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph; ``kind`` picks its typography in the layout."""

    text: str
    kind: str = "normal"  # "normal" | "basis" (italic Căn cứ line) | "heading" (bold, centred)


@dataclass(frozen=True)
class Decree30Content:
    """The text of one Decree-30 page, box by box (Phụ lục I)."""

    organ: tuple[str, ...]
    number: str
    place_date: str
    title: str  # type name, "" for a công văn
    subject: str
    authority: str | None  # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ..." above the body of a decision
    recipients: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]
    signer: tuple[str, ...]  # authority and title lines
    signer_name: str
    distribution: tuple[str, ...]


def vietnamese_date(place: str, day: date) -> str:
    """``"Hà Nội, ngày 05 tháng 01 năm 2020"``: leading zero for days < 10 and months 1–2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _pick(rng: np.random.Generator, items: tuple, k: int | None = None):
    if k is None:
        return items[int(rng.integers(len(items)))]
    return [items[i] for i in rng.choice(len(items), size=k, replace=False)]


def sample_decree30(rng: np.random.Generator, body: list[str] | None = None) -> Decree30Content:
    """Random but plausible content; ``body`` replaces the sampled body paragraphs."""
    organ: Organ = _pick(rng, ORGANS)
    doc_type: DocType = _pick(rng, DOC_TYPES)
    issued = date(2015, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 11)))
    number = int(rng.integers(1, 3000))
    code = f"{doc_type.code}-{organ.symbol}" if doc_type.code else f"{organ.symbol}-VP"
    subject = _pick(rng, SUBJECTS)
    deputy = bool(rng.random() < 0.4)
    if organ.collective:
        signer = (f"KT. {organ.head}", organ.deputy) if deputy else (
            f"TM. {organ.collective}", organ.head)
    else:
        signer = (f"KT. {organ.head}", organ.deputy) if deputy else (organ.head,)
    issuer = " ".join(organ.lines) if organ.collective else organ.lines[-1]
    is_decision = doc_type.code == "QĐ"
    paragraphs = [Paragraph(p) for p in body] if body is not None else _sample_body(rng, doc_type)
    distribution = [*_pick(rng, DISTRIBUTION, int(rng.integers(2, 5))), f"Lưu: VT, {organ.symbol}."]
    if is_decision:
        distribution.insert(0, "Như Điều 3;")
    return Decree30Content(
        organ=organ.lines,
        number=f"Số: {number:02d}/{code}",
        place_date=vietnamese_date(organ.place, issued),
        title=doc_type.name,
        subject=f"Về việc {subject}" if doc_type.name else f"V/v {subject}",
        authority=f"{organ.head} {issuer}" if is_decision else None,
        recipients=() if doc_type.name else (f"Kính gửi: {_pick(rng, DISTRIBUTION)[:-1]}",),
        paragraphs=tuple(paragraphs),
        signer=signer,
        signer_name=_pick(rng, NAMES),
        distribution=tuple(f"- {item}" for item in distribution),
    )


def _sample_body(rng: np.random.Generator, doc_type: DocType) -> list[Paragraph]:
    """A body long enough to fill a page; the layout stops at the signer block."""
    paragraphs: list[Paragraph] = []
    if doc_type.code == "QĐ":
        bases = _pick(rng, BASES, int(rng.integers(2, 4)))
        paragraphs += [Paragraph(b + ";", "basis") for b in bases[:-1]]
        paragraphs += [Paragraph(bases[-1] + ".", "basis"), Paragraph("QUYẾT ĐỊNH:", "heading")]
        articles = ("Điều 1. ", "Điều 2. ", "Điều 3. ", "Điều 4. ")
        for prefix in articles:
            sentences = _pick(rng, SENTENCES, int(rng.integers(1, 4)))
            paragraphs.append(Paragraph(prefix + " ".join(sentences)))
        return paragraphs
    for i in range(8):
        sentences = _pick(rng, SENTENCES, int(rng.integers(1, 4)))
        prefix = f"{i}. " if doc_type.code in ("KH", "BC") and i > 0 else ""
        paragraphs.append(Paragraph(prefix + " ".join(sentences)))
    return paragraphs
