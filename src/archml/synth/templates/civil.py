"""Civil-status records (TT 04/2020/TT-BTP forms): birth, marriage, death, marital status,
registration application."""

from __future__ import annotations

from datetime import date

from archml.document import Zone
from archml.synth import data
from archml.synth.content import Header, Para, Span
from archml.synth.templates.common import Builder
from archml.synth.values import Organ, Person, Place, date_words


def _register_header(b: Builder, organ: Organ, day: date) -> None:
    """Organ and motto, with ``Số:`` (registration number) and ``Quyển số:`` under the organ."""
    year = day.year
    number = f"{b.s.integer(1, 400)}/{year}" if b.s.chance(0.6) else str(b.s.integer(1, 400))
    book = f"{b.s.integer(1, 3):02d}/{year}"
    under = (Para((Span("Số:"), b.f("registrationNumber", number, hand=b.fill.number)),
                  "center", Zone.NUMBER),
             Para((Span("Quyển số:"), b.f("bookNumber", book)), "center", Zone.NUMBER))
    b.add(Header(b.organ_paras(organ), under, ()))


def _dmy(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _committee(place: Place) -> str:
    """``"Ủy ban nhân dân xã Tịnh Khê"`` as written in running text."""
    return f"Ủy ban nhân dân {place.commune_kind} {place.commune}"


def _authority(b: Builder, place: Place) -> None:
    b.label("Nơi đăng ký:", b.f("registeringAuthority", _committee(place)))
    b.label("Ngày, tháng, năm đăng ký:",
            b.f("registrationDate", _dmy(b.s.issued), b.s.issued.isoformat()))


def _person_lines(b: Builder, p: Person, label: str, *, tag_birth: bool = True) -> None:
    b.label(label, b.f("personName", p.name.upper(), p.name, bold=True))
    birth = (b.f("birthDate", _dmy(p.birth), p.birth.isoformat()) if tag_birth
             else Span(_dmy(p.birth)))
    b.label("Ngày, tháng, năm sinh:", birth)
    b.para(f"ghi bằng chữ: {date_words(p.birth)}", kind="left", italic=True)
    b.label("Giới tính:", b.f("gender", p.gender), Span(f"Dân tộc: {b.s.ethnic()}"),
            Span("Quốc tịch: Việt Nam"))


def birth(b: Builder) -> None:
    s = b.s
    place = s.place()
    organ = s.ubnd("commune", place)
    child = s.person(age=(0, 1))
    _register_header(b, organ, s.issued)
    b.title(b.doc_type.title, size=3)
    _person_lines(b, child, "Họ, chữ đệm, tên:")
    b.label("Nơi sinh:", b.f("birthPlace", f"{s.pick(data.text('hospitals'))}, {place.address}"))
    b.para(f"Quê quán: {s.place(same_province=False).address}", kind="left")
    b.label("Số định danh cá nhân:", b.f("personalId", s.personal_id(child)))
    for who in ("mẹ", "cha"):
        parent = s.person("Nữ" if who == "mẹ" else "Nam", age=(18, 45))
        b.para(f"Họ, chữ đệm, tên người {who}: {parent.name.upper()}", kind="left")
        b.para(f"Năm sinh: {parent.birth.year}; Dân tộc: Kinh; Quốc tịch: Việt Nam", kind="left")
    _authority(b, place)
    b.signer(organ, s.person())


def marriage(b: Builder) -> None:
    s = b.s
    place = s.place()
    organ = s.ubnd("commune", place)
    husband, wife = s.person("Nam", age=(20, 40)), s.person("Nữ", age=(18, 38))
    _register_header(b, organ, s.issued)
    b.title(b.doc_type.title, size=3)
    b.label("Họ, chữ đệm, tên chồng:", b.f("personName", husband.name.upper(), husband.name,
                                           bold=True))
    b.label("Ngày, tháng, năm sinh:", b.f("birthDate", _dmy(husband.birth),
                                          husband.birth.isoformat()))
    b.para(f"Dân tộc: {s.ethnic()}; Quốc tịch: Việt Nam; Nơi cư trú: {s.place().address}",
           kind="left")
    b.label("Họ, chữ đệm, tên vợ:", b.f("spouseName", wife.name.upper(), wife.name, bold=True))
    b.para(f"Ngày, tháng, năm sinh: {_dmy(wife.birth)}; Dân tộc: {s.ethnic()}; Quốc tịch: "
           "Việt Nam", kind="left")
    b.para(f"Nơi cư trú: {s.place().address}", kind="left")
    b.label("Số định danh cá nhân:", b.f("personalId", s.personal_id(husband)))
    _authority(b, place)
    b.signer(organ, s.person())


def death(b: Builder) -> None:
    s = b.s
    place = s.place()
    organ = s.ubnd("commune", place)
    person = s.person(age=(40, 95))
    died = s.before(0, 1)
    _register_header(b, organ, s.issued)
    b.title(b.doc_type.title, size=3)
    b.para(Span("(BẢN SAO)", italic=True), kind="center", zone=Zone.TITLE)
    _person_lines(b, person, "Họ, chữ đệm, tên:")
    b.label("Số định danh cá nhân:", b.f("personalId", s.personal_id(person)))
    b.para(Span(f"Đã chết vào lúc: {s.integer(0, 23):02d} giờ {s.integer(0, 59):02d} phút,"),
           b.f("deathDate", f"ngày {died.day:02d} tháng {died.month} năm {died.year}",
               died.isoformat()), kind="left")
    b.para(f"Nơi chết: {s.pick(data.text('death_places'))}", kind="left")
    b.para(f"Nguyên nhân chết: {s.pick(data.text('death_causes'))}", kind="left")
    _authority(b, place)
    b.signer(organ, s.person())


def marital_status(b: Builder) -> None:
    s = b.s
    place = s.place()
    organ = s.ubnd("commune", place)
    person = s.person(age=(18, 60))
    b.header(organ, s.doc_number(), "XNTTHN", s.issued)
    b.title(b.doc_type.title)
    b.para(f"{_committee(place)} xác nhận:")
    _person_lines(b, person, "Họ, chữ đệm, tên:")
    b.label("Số định danh cá nhân:", b.f("personalId", s.personal_id(person)))
    b.para(f"Nơi cư trú: {place.address}", kind="left")
    status = s.pick(("Chưa đăng ký kết hôn với ai.", "Đã ly hôn, hiện tại chưa đăng ký kết hôn "
                     "với ai.", "Có vợ/chồng đã chết, hiện tại chưa đăng ký kết hôn với ai."))
    b.para(f"Tình trạng hôn nhân: {status}", kind="left")
    b.para(b.sentences("civil_sentences", (1, 2)))
    b.signer(organ, s.person())


def application(b: Builder) -> None:
    s = b.s
    place = s.place()
    applicant, child = s.person(age=(20, 45)), s.person(age=(0, 1))
    b.motto_only()
    b.title(b.doc_type.title)
    b.para(Span("Kính gửi:"), b.f("registeringAuthority", _committee(place)),
           kind="center", zone=Zone.RECIPIENTS)
    b.para(f"Họ, chữ đệm, tên người yêu cầu: {applicant.name.upper()}", kind="left")
    b.para(f"Nơi cư trú: {place.address}", kind="left")
    b.para("Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:", kind="left")
    _person_lines(b, child, "Họ, chữ đệm, tên:")
    b.label("Nơi sinh:", b.f("birthPlace", f"{s.pick(data.text('hospitals'))}, {place.address}"))
    b.para(b.sentences("civil_sentences", (1, 1)))
    b.para(Span("Làm tại:"), *b.date_spans(s.issued, place.commune), kind="right",
           zone=Zone.PLACE_DATE, italic=True)
    b.signer(None, applicant, titles=("NGƯỜI YÊU CẦU",), seal=False)


BUILDERS = {"trich_luc_khai_sinh": birth, "giay_chung_nhan_ket_hon": marriage,
            "trich_luc_khai_tu": death, "xac_nhan_tinh_trang_hon_nhan": marital_status,
            "to_khai_ho_tich": application}
