"""Land records: certificate (GCN), change-registration application, transfer contract,
land allocation/recovery decision, cadastral map extract."""

from __future__ import annotations

from dataclasses import dataclass

from archml.document import Zone
from archml.synth import data
from archml.synth.content import Sketch, Span, Table
from archml.synth.templates.common import Builder
from archml.synth.values import Person, Place, decimal_comma
from archml.taxonomy import LAND_USE_CODES

_RESIDENTIAL = ("ONT", "ODT", "CLN", "LUC", "BHK", "NTS", "RSX", "TMD", "SKC")


@dataclass(frozen=True)
class Parcel:
    number: str
    sheet: str
    area: float
    use: str
    place: Place


def _parcel(b: Builder) -> Parcel:
    s = b.s
    use = s.pick(_RESIDENTIAL) if s.chance(0.8) else s.pick(tuple(LAND_USE_CODES))
    area = round(float(s.rng.lognormal(5.2, 0.8)), 1)
    return Parcel(str(s.integer(1, 999)), str(s.integer(1, 60)), area, use, s.place())


def _parcel_lines(b: Builder, p: Parcel, holder: Person | None = None) -> None:
    """Form lines for a parcel, every value tagged."""
    b.label("Thửa đất số:", b.f("parcelNumber", p.number, bold=True), Span(";", glue=True),
            Span("Tờ bản đồ số:"), b.f("mapSheet", p.sheet, bold=True), Span(";", glue=True))
    b.label("Địa chỉ:", b.f("landAddress", p.place.address))
    b.label("Diện tích:", b.f("area", decimal_comma(p.area), p.area, bold=True), Span("m²"))
    use_text = LAND_USE_CODES[p.use] if b.s.chance(0.6) else p.use
    b.label("Mục đích sử dụng:", b.f("landUsePurpose", use_text, p.use))
    if holder is not None:
        b.label("Người sử dụng đất:", b.f("holderName", holder.name.upper(), holder.name,
                                          bold=True))


def _holder_line(b: Builder, label: str, holder: Person) -> None:
    b.label(label, Span(f"{holder.honorific}:"),
            b.f("holderName", holder.name.upper(), holder.name, bold=True),
            Span(f", năm sinh {holder.birth.year}, CCCD số: {b.s.personal_id(holder)}",
                 glue=True))


def _sign_place_date(b: Builder, place: str) -> None:
    b.para(*b.date_spans(b.s.issued, place), kind="right", zone=Zone.PLACE_DATE, italic=True)


def certificate(b: Builder) -> None:
    s = b.s
    organ = s.ubnd("district") if s.chance(0.6) else s.ubnd("province")
    holder = s.person(age=(25, 80))
    parcel = _parcel(b)
    b.motto_only()
    b.title(b.doc_type.title, size=3)
    b.para(Span("QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT", bold=True),
           kind="center", zone=Zone.TITLE)
    b.para(Span("I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất",
                bold=True), kind="left")
    _holder_line(b, "", holder)
    b.para(f"Địa chỉ thường trú: {s.place().address}", kind="left")
    b.para(Span("II. Thửa đất, nhà ở và tài sản khác gắn liền với đất", bold=True), kind="left")
    _parcel_lines(b, parcel)
    b.para(f"Hình thức sử dụng: {s.pick(('Sử dụng riêng', 'Sử dụng chung'))}", kind="left")
    b.para("Thời hạn sử dụng: Lâu dài", kind="left")
    b.para(f"Nguồn gốc sử dụng: {s.pick(data.text('land_origins'))}", kind="left")
    b.add(Sketch("III. Sơ đồ thửa đất", _edges(b)))
    b.para(b.f("organName", organ.name.replace(" - ", " "), organ.name),
           Span("chứng nhận quyền sử dụng đất cho người có tên tại trang 1."))
    _sign_place_date(b, organ.place)
    b.signer(organ, s.person())
    b.label("Số vào sổ cấp GCN:", b.f("registryNumber", s.registry_number(), bold=True))
    b.para(b.f("certificateSerial", s.certificate_serial(), bold=True), kind="right",
           zone=Zone.FOOTER, size=2)


def application(b: Builder) -> None:
    s = b.s
    holder = s.person(age=(25, 80))
    parcel = _parcel(b)
    office = s.land_office()
    b.motto_only()
    b.title(b.doc_type.title)
    b.para(Span("Kính gửi:"), b.f("recipients", office.lines[-1].capitalize(), [office.name]),
           kind="center", zone=Zone.RECIPIENTS)
    b.para(Span("I. PHẦN KÊ KHAI CỦA NGƯỜI ĐĂNG KÝ", bold=True), kind="left")
    _holder_line(b, "1. Người sử dụng đất:", holder)
    b.para(f"Địa chỉ: {s.place().address}", kind="left")
    b.para(Span("2. Giấy chứng nhận đã cấp:"), Span("Số vào sổ cấp GCN:"),
           b.f("registryNumber", s.registry_number()), kind="left")
    b.para(f"3. Nội dung biến động: {s.pick(data.text('land_reasons'))}.", kind="left")
    b.para("4. Thông tin thửa đất có thay đổi:", kind="left")
    use = LAND_USE_CODES[parcel.use]
    b.add(Table(("Thửa đất số", "Tờ bản đồ số", "Diện tích (m²)", "Mục đích sử dụng"),
                ((b.f("parcelNumber", parcel.number), b.f("mapSheet", parcel.sheet),
                  b.f("area", decimal_comma(parcel.area), parcel.area),
                  b.f("landUsePurpose", parcel.use if len(use) > 28 else use, parcel.use)),),
                (0.2, 0.2, 0.25, 0.35)))
    b.label("Địa chỉ thửa đất:", b.f("landAddress", parcel.place.address))
    b.para(b.sentences("land_sentences", (1, 2)))
    _sign_place_date(b, parcel.place.commune)
    b.signer(None, holder, titles=("NGƯỜI VIẾT ĐƠN",), seal=False)


def contract(b: Builder) -> None:
    s = b.s
    seller, buyer = s.person(age=(25, 80)), s.person(age=(25, 70))
    parcel = _parcel(b)
    b.motto_only()
    b.title(b.doc_type.title, size=2)
    b.para(Span("Hôm nay,"), *b.date_spans(s.issued, None),
           Span(f", tại Văn phòng công chứng {s.pick(data.load('places')['commune_names'])}",
                glue=True), Span("chúng tôi gồm có:"))
    _holder_line(b, "Bên chuyển nhượng (Bên A):", seller)
    b.para(f"Bên nhận chuyển nhượng (Bên B): {buyer.honorific} {buyer.name}, năm sinh "
           f"{buyer.birth.year}", kind="left")
    b.para(Span("Điều 1.", bold=True), Span("Quyền sử dụng đất chuyển nhượng"))
    _parcel_lines(b, parcel)
    b.label("Giấy chứng nhận số:", b.f("certificateSerial", s.certificate_serial()))
    price = s.integer(50, 9000) * 1_000_000
    b.para(Span("Điều 2.", bold=True),
           Span(f"Giá chuyển nhượng là {decimal_comma(price, 0)} đồng."))
    b.para(Span("Điều 3.", bold=True), Span(b.sentences("land_sentences", (1, 3))))
    b.signer(None, seller, titles=("BÊN CHUYỂN NHƯỢNG",), seal=False)
    b.para(Span("LỜI CHỨNG CỦA CÔNG CHỨNG VIÊN", bold=True), kind="heading")
    b.para(Span("Số công chứng:"), b.f("codeNumber", s.doc_number(), hand=b.fill.number),
           Span(", quyển số", glue=True),
           b.f("codeNotation", f"{s.integer(1, 9):02d}/{s.issued.year}/TP/CC-SCC/HĐGD"),
           kind="left")


def decision(b: Builder) -> None:
    s = b.s
    organ = s.ubnd("province") if s.new_era or s.chance(0.5) else s.ubnd("district")
    holder = s.person(age=(30, 80))
    parcel = _parcel(b)
    recover = s.chance(0.5)
    project = s.pick(data.text("land_projects"))
    subject = (f"Về việc {'thu hồi' if recover else 'giao'} đất để thực hiện dự án {project} "
               f"tại {parcel.place.commune_kind} {parcel.place.commune}")
    b.header(organ, s.doc_number(), f"QĐ-{organ.symbol}", s.issued)
    b.title("QUYẾT ĐỊNH", subject)
    b.para(Span(f"{organ.head} {organ.lines[-1]}", bold=True), kind="center")
    b.bases("land_bases")
    b.para(Span("QUYẾT ĐỊNH:"), kind="heading")
    b.para(Span("Điều 1.", bold=True),
           Span(f"{'Thu hồi' if recover else 'Giao'}"),
           b.f("area", decimal_comma(parcel.area), parcel.area), Span("m² đất của"),
           Span(f"{holder.honorific.lower()}"), b.f("holderName", holder.name),
           Span("tại thửa đất số"), b.f("parcelNumber", parcel.number), Span(", tờ bản đồ số",
                                                                                glue=True),
           b.f("mapSheet", parcel.sheet), Span(", loại đất", glue=True),
           b.f("landUsePurpose", parcel.use), Span(", địa chỉ", glue=True),
           b.f("landAddress", parcel.place.address), Span(".", glue=True))
    b.para(Span("Điều 2.", bold=True), Span(b.sentences("land_sentences", (1, 3))))
    b.para(Span("Điều 3.", bold=True), Span(b.sentences("sentences", (1, 2))))
    b.signer(organ, s.person(), distribution=b.distribution(organ, ("Như Điều 3;",)))


def map_extract(b: Builder) -> None:
    s = b.s
    organ = s.land_office()
    holder = s.person(age=(25, 80))
    parcel = _parcel(b)
    b.header(organ, s.doc_number(), f"TL-{organ.symbol}", s.issued)
    b.title(b.doc_type.title)
    _parcel_lines(b, parcel, holder)
    b.add(Sketch("Sơ đồ thửa đất", edges := _edges(b)))
    rows = []
    x, y = s.integer(1_100_000, 2_400_000), s.integer(500_000, 620_000)
    for i, edge in enumerate(edges, 1):
        rows.append((Span(str(i)), Span(decimal_comma(x + s.rng.random(), 2)),
                     Span(decimal_comma(y + s.rng.random(), 2)), Span(decimal_comma(edge, 2))))
        x, y = x + s.integer(-30, 30), y + s.integer(-30, 30)
    b.add(Table(("Điểm", "X (m)", "Y (m)", "Cạnh (m)"), tuple(rows), (0.12, 0.32, 0.32, 0.24)))
    b.signer(organ, s.person())


def _edges(b: Builder) -> tuple[float, ...]:
    return tuple(round(float(b.s.rng.uniform(5, 40)), 2) for _ in range(b.s.integer(4, 6)))


BUILDERS = {"giay_chung_nhan": certificate, "don_dang_ky_bien_dong": application,
            "hop_dong_chuyen_nhuong": contract, "quyet_dinh_giao_thu_hoi_dat": decision,
            "trich_luc_ban_do": map_extract}
