"""Court records: criminal, civil and family judgments, court decisions, criminal-record
certificates (phiếu lý lịch tư pháp)."""

from __future__ import annotations

from archml.document import Zone
from archml.synth import data
from archml.synth.content import FieldTruth, Header, Para, Span
from archml.synth.templates.common import Builder
from archml.synth.values import NATIONAL_NAME, Organ, Person

_KINDS = {"ban_an_hinh_su": ("HS", "hình sự"), "ban_an_dan_su": ("DS", "dân sự"),
          "ban_an_hon_nhan_gia_dinh": ("HNGĐ", "hôn nhân và gia đình")}


def _court_header(b: Builder, court: Organ, label: str, case: str, dated: bool,
                  subject: str | None) -> None:
    """Court left (``organName`` = ``court``), case number and ``Ngày: 10 - 3 - 2021`` under it."""
    day = b.s.issued
    under = [Para((Span(label), b.f("caseNumber", case, hand=b.fill.number)), "center",
                  Zone.NUMBER)]
    right: tuple[Para, ...] = ()
    if dated:
        text = (f"{day.day} - {day.month} - {day.year}" if b.s.chance(0.5)
                else f"{day.day:02d}-{day.month:02d}-{day.year}")
        under.append(Para((Span("Ngày:"), b.f("judgmentDate", text, day.isoformat())), "center",
                          Zone.PLACE_DATE))
    else:
        right = (Para(tuple(b.date_spans(day, court.place, field="judgmentDate")), "center",
                      Zone.PLACE_DATE, italic=True),)
    if subject:
        under.append(Para((Span("V/v:"), b.f("subject", subject)), "center", Zone.SUBJECT,
                          size=-1))
    b.add(Header(b.organ_paras(court), tuple(under), right))
    b.values["court"] = FieldTruth(court.name, same_as="organName")
    b.values["issuedDate"] = FieldTruth(day.isoformat(), same_as="judgmentDate")


def _panel(b: Builder, court: Organ, judge: Person) -> None:
    b.para("NHÂN DANH", kind="heading")
    b.para(Span(NATIONAL_NAME, bold=True), kind="center")
    b.para(Span(court.name.replace(" - ", " "), bold=True), kind="center")
    b.para("- Thành phần Hội đồng xét xử sơ thẩm gồm có:", kind="left")
    b.para(Span(f"Thẩm phán - Chủ tọa phiên tòa: {judge.honorific}"), b.f("judge", judge.name),
           kind="left")
    b.para(f"Các Hội thẩm nhân dân: {b.s.person().honorific} {b.s.person().name}; "
           f"{b.s.person().honorific} {b.s.person().name}.", kind="left")
    b.para(f"- Thư ký phiên tòa: {b.s.person().honorific} {b.s.person().name}.", kind="left")


def _party(b: Builder, role: str, p: Person) -> str:
    b.para(Span(f"{role}:", bold=True), Span(f"{p.name}, sinh năm {p.birth.year}; nơi cư trú: "
                                             f"{b.s.place().address}; nghề nghiệp: "
                                             f"{b.s.pick(data.text('occupations'))}."))
    return f"{role}: {p.name}"


def judgment(b: Builder, key: str) -> None:
    s = b.s
    code, kind = _KINDS[key]
    court = s.court("appeal" if s.chance(0.2) else "first")
    stage = "PT" if court.lines[0] == "TÒA ÁN NHÂN DÂN" else "ST"
    case = f"{s.integer(1, 250):02d}/{s.issued.year}/{code}-{stage}"
    dispute = (None if code == "HS" else
               s.pick(data.text("civil_disputes" if code == "DS" else "family_disputes")))
    judge = s.person()
    _court_header(b, court, "Bản án số:", case, True, dispute)
    b.title("BẢN ÁN" if s.chance(0.5) else "")
    _panel(b, court, judge)
    b.para(f"Ngày {s.issued.day:02d} tháng {s.issued.month} năm {s.issued.year}, tại trụ sở "
           f"{court.name.replace(' - ', ' ').title()} xét xử {'sơ' if stage == 'ST' else 'phúc'} "
           f"thẩm công khai vụ án {kind} thụ lý số {s.integer(1, 300):02d}/{s.issued.year}/"
           f"TLST-{code}.")
    if code == "HS":
        crime, article = s.pick(data.text("crimes"))
        parties = [_party(b, "Bị cáo", s.person(age=(18, 60)))]
        b.para(f"Bị Viện kiểm sát truy tố về tội “{crime}” theo Điều {article} Bộ luật Hình sự.")
    else:
        plaintiff = s.person(age=(20, 70))
        defendant = s.person("Nữ" if plaintiff.gender == "Nam" else "Nam", age=(20, 70))
        parties = [_party(b, "Nguyên đơn", plaintiff), _party(b, "Bị đơn", defendant)]
    b.known("parties", parties)
    for heading in ("NỘI DUNG VỤ ÁN", "NHẬN ĐỊNH CỦA TÒA ÁN"):
        b.para(heading, kind="heading")
        b.paragraphs("judicial_sentences", (2, 4))
    b.para("QUYẾT ĐỊNH:", kind="heading")
    b.paragraphs("judicial_sentences", (2, 3), numbered=True)
    b.signer(court, judge, titles=("TM. HỘI ĐỒNG XÉT XỬ", "THẨM PHÁN - CHỦ TỌA PHIÊN TÒA"),
             distribution=("Viện kiểm sát nhân dân;", "Các đương sự;", "Lưu hồ sơ vụ án."))


def court_decision(b: Builder) -> None:
    s = b.s
    court = s.court()
    title, code = s.pick(data.text("court_decisions"))
    case = f"{s.integer(1, 250):02d}/{s.issued.year}/{code}"
    judge = s.person()
    _court_header(b, court, "Số:", case, False, None)
    b.title("QUYẾT ĐỊNH")
    b.para(Span(title.removeprefix("QUYẾT ĐỊNH "), bold=True), kind="center", zone=Zone.SUBJECT)
    b.para(Span(court.name.replace(" - ", " "), bold=True), kind="center")
    b.bases()
    b.para(Span(f"Thẩm phán: {judge.honorific}"), b.f("judge", judge.name), kind="left")
    parties = [_party(b, "Nguyên đơn", s.person()), _party(b, "Bị đơn", s.person())]
    b.known("parties", parties)
    b.para("QUYẾT ĐỊNH:", kind="heading")
    b.paragraphs("judicial_sentences", (2, 3), numbered=True)
    b.signer(court, judge, titles=("THẨM PHÁN",),
             distribution=("Các đương sự;", "VKSND cùng cấp;", "Lưu hồ sơ vụ án."))


def record_certificate(b: Builder) -> None:
    s = b.s
    if s.chance(0.7):
        organ = Organ((f"UBND {s.province_kind.upper()} {s.province_name.upper()}",
                       "SỞ TƯ PHÁP"), "STP", s.province_name, "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    else:
        organ = Organ(("BỘ TƯ PHÁP", "TRUNG TÂM LÝ LỊCH TƯ PHÁP QUỐC GIA"), "TTLLTPQG", "Hà Nội",
                      "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    person = s.person(age=(18, 70))
    b.header(organ, s.doc_number(), f"{organ.symbol}-LLTP", s.issued)
    b.title(b.doc_type.title)
    b.para(Span(f"Số {s.pick(('1', '2'))}", bold=True), kind="center", zone=Zone.TITLE)
    b.para(Span("Họ và tên:"), b.f("parties", person.name.upper(), [person.name], bold=True),
           kind="left")
    b.para(f"Giới tính: {person.gender}; Ngày, tháng, năm sinh: {person.birth.day:02d}/"
           f"{person.birth.month:02d}/{person.birth.year}", kind="left")
    b.para(f"Nơi sinh: {s.place(same_province=False).address}", kind="left")
    b.para(f"Quốc tịch: Việt Nam; Số định danh cá nhân: {s.personal_id(person)}", kind="left")
    b.para(f"Nơi cư trú: {s.place().address}", kind="left")
    b.para(Span("TÌNH TRẠNG ÁN TÍCH:", bold=True), Span("Không có án tích."), kind="left")
    b.para(Span("THÔNG TIN VỀ VIỆC CẤM ĐẢM NHIỆM CHỨC VỤ:", bold=True),
           Span("Không bị cấm đảm nhiệm chức vụ, thành lập, quản lý doanh nghiệp."), kind="left")
    b.signer(organ, s.person())


BUILDERS = {"ban_an_hinh_su": lambda b: judgment(b, "ban_an_hinh_su"),
            "ban_an_dan_su": lambda b: judgment(b, "ban_an_dan_su"),
            "ban_an_hon_nhan_gia_dinh": lambda b: judgment(b, "ban_an_hon_nhan_gia_dinh"),
            "quyet_dinh_toa_an": court_decision, "phieu_ly_lich_tu_phap": record_certificate}
