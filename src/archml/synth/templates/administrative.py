"""The ten Decree-30 administrative forms."""

from __future__ import annotations

from archml.document import Zone
from archml.synth import data
from archml.synth.content import Para, Span, Table
from archml.synth.templates.common import Builder
from archml.taxonomy import TYPE_ABBREVIATIONS

_ABBR = {code: abbr for abbr, code in TYPE_ABBREVIATIONS.items() if abbr != "QyĐ"}
_TITLED = {"quyet_dinh", "to_trinh", "bao_cao", "thong_bao", "ke_hoach", "bien_ban",
           "giay_moi", "chi_thi", "hop_dong"}


def build(b: Builder, key: str, body: list[str] | None = None) -> None:
    """Fill ``b`` with one administrative document of fine type ``key``; ``body`` replaces
    the sampled body paragraphs."""
    s = b.s
    organ = s.admin_organ()
    code = b.doc_type.type_code
    notation = (f"{_ABBR[code]}-{organ.symbol}" if code in _ABBR
                else f"{organ.symbol}-{s.pick(data.load('organs')['drafting_units'])}")
    subject = s.pick(data.text("admin_subjects"))
    if key in _TITLED:
        b.header(organ, s.doc_number(), notation, s.issued)
        b.title(b.doc_type.title, _subject_line(key, subject))
    else:  # công văn: "V/v ..." under the number (box 5b), then "Kính gửi"
        vv = Para((Span("V/v"), b.f("subject", subject)), "center", Zone.SUBJECT, size=-1)
        b.header(organ, s.doc_number(), notation, s.issued, subject_under=vv)
    if key in ("cong_van", "to_trinh", "bao_cao", "giay_moi"):
        to = s.pick(data.text("distribution")).rstrip(";")
        b.para(Span("Kính gửi:"), Span(to), kind="center", zone=Zone.RECIPIENTS)
        b.known("recipients", [to])
    if body is not None:
        for text in body:
            b.para(text)
    else:
        _BODIES[key](b)
    first = ("Như Điều 3;",) if key == "quyet_dinh" else ("Như trên;",)
    b.signer(organ, s.person(), distribution=b.distribution(organ, first))


def _subject_line(key: str, subject: str) -> str:
    if key in ("quyet_dinh", "to_trinh"):
        return f"Về việc {subject}"
    return subject[0].upper() + subject[1:]


def _decision(b: Builder) -> None:
    b.bases()
    b.para(Span("QUYẾT ĐỊNH:"), kind="heading")
    for i in range(1, b.s.integer(3, 5)):
        b.para(Span(f"Điều {i}.", bold=True), Span(b.sentences("sentences", (1, 4))))


def _sections(b: Builder) -> None:
    b.paragraphs("sentences", (2, 3))
    for heading in ("I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG", "III. TỔ CHỨC THỰC HIỆN"):
        b.para(Span(heading, bold=True), kind="left")
        b.paragraphs("sentences", (1, 3), numbered=True)


def _report(b: Builder) -> None:
    b.paragraphs("sentences", (1, 3))
    rows = b.s.sample(data.text("report_rows"), b.s.integer(3, 6))
    table = []
    for i, row in enumerate(rows, 1):
        last, now = b.s.integer(10, 4000), b.s.integer(10, 4000)
        table.append((Span(str(i)), Span(row), Span(f"{last:,}".replace(",", ".")),
                      Span(f"{now:,}".replace(",", ".")), Span(f"{100 * now / last:.1f}")))
    b.add(Table(("TT", "Chỉ tiêu", "Năm trước", "Năm nay", "Tỷ lệ (%)"), tuple(table),
                (0.07, 0.45, 0.16, 0.16, 0.16)))
    b.paragraphs("sentences", (2, 5), numbered=True)


def _plain(b: Builder) -> None:
    b.paragraphs("sentences", (3, 7))


def _minutes(b: Builder) -> None:
    event = b.s.pick(data.text("meeting_events"))
    b.para(f"Hôm nay, vào lúc {b.s.integer(7, 16)} giờ {b.s.integer(0, 5) * 10:02d} phút, tại "
           f"{b.s.pick(data.text('venues'))}, tổ chức {event.lower()}.")
    b.para(Span("I. THÀNH PHẦN THAM DỰ", bold=True), kind="left")
    for role in ("Chủ trì", "Thư ký", "Thành viên"):
        b.para(f"- {role}: {b.s.person().honorific} {b.s.person().name}", kind="left")
    b.para(Span("II. NỘI DUNG", bold=True), kind="left")
    b.paragraphs("sentences", (2, 5), numbered=True)


def _invitation(b: Builder) -> None:
    b.para(f"{b.s.pick(data.text('meeting_events'))} với nội dung như sau:")
    day = b.s.day_between(b.s.issued, b.s.issued.replace(day=28))
    b.para(Span(f"1. Thời gian: {b.s.integer(7, 15)} giờ 00, ngày {day.day:02d}/{day.month:02d}"
                f"/{day.year}.", bold=True), kind="left")
    b.para(f"2. Địa điểm: {b.s.pick(data.text('venues'))}.", kind="left")
    b.para(f"3. Thành phần: {b.sentences('distribution', (2, 3))}", kind="left")
    b.paragraphs("sentences", (1, 2))


def _contract(b: Builder) -> None:
    b.bases()
    for side in ("BÊN A", "BÊN B"):
        p = b.s.person()
        b.para(Span(f"{side}:", bold=True), Span(f"{p.honorific} {p.name}"), kind="left")
        b.para(f"Địa chỉ: {b.s.place().address}", kind="left")
    for i in range(1, b.s.integer(3, 5)):
        b.para(Span(f"Điều {i}.", bold=True), Span(b.sentences("sentences", (1, 3))))


_BODIES = {"quyet_dinh": _decision, "chi_thi": _plain, "cong_van": _plain, "to_trinh": _plain,
           "thong_bao": _plain, "bao_cao": _report, "ke_hoach": _sections, "bien_ban": _minutes,
           "giay_moi": _invitation, "hop_dong": _contract}
