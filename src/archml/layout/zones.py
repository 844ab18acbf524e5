"""Decree-30 zones: label every segment of a page and rebuild its blocks in reading order.

Reading order: page number; header left column (organ, number, công văn subject) then right
column (motto, place and date); secrecy/urgency marks; received stamp; title, subject,
recipients and body top to bottom; footer left (Nơi nhận) then right (signer); copy block;
page footer. Digital-signature stamps above the header join the received stamps.

Decisions: the type-name line(s) under the header ("QUYẾT ĐỊNH") are TITLE and the subject
lines under them ("Về việc ...") are SUBJECT, like the "V/v" subject of a công văn. A court
header's "Ngày: 10 - 3 - 2021" under the case number is the issue date: PLACE_DATE. The
court's "NHÂN DANH ..." lines are BODY. A page with no date in its header may carry it above the
signature (a right-hand "ngày … tháng … năm" line of the body or signer): PLACE_DATE. A
received stamp's "Số"/"Ngày" never reach NUMBER or PLACE_DATE: stamps are taken out before the
header is read.
"""

from __future__ import annotations

from collections.abc import Callable

from archml.document import Line, Page, Zone
from archml.layout import patterns, stamps
from archml.layout.blocks import Labelled, build_blocks
from archml.layout.config import LayoutConfig
from archml.layout.geometry import PageGeometry, centre_x, is_centred, measure, row_box
from archml.layout.regions import Regions, Row, find_regions
from archml.layout.text import upper_ratio

ESIGN_ZONE = Zone.DIGITAL_SIGNATURE
"""Zone of digital-signature stamps above the header ("Ký bởi ... Thời gian ký ..."): like a
received stamp, a date that is not the issue date."""


def assign_zones(page: Page, config: LayoutConfig | None = None) -> None:
    """Set ``Block.zone`` on the blocks of ``page``.

    The page's lines are re-read in reading order and regrouped so that each block holds one
    zone. Lines should already be single-column segments (see :func:`segment_lines`).
    """
    config = config or LayoutConfig()
    lines = [ln for ln in page.lines if ln.words]
    if not lines:
        page.blocks = []
        return
    geo = measure(lines, page.width, page.height, page.source.dpi)
    page.blocks = build_blocks(label_lines(lines, geo, config), geo, config)


def label_lines(lines: list[Line], geo: PageGeometry, config: LayoutConfig) -> list[Labelled]:
    """Every line with its zone, in reading order."""
    number, rest = stamps.take_page_number(lines, geo, config)
    received, rest = stamps.take_received_stamp(rest, geo, config)
    marks, rest = stamps.take_marks(rest)
    copy, rest = stamps.take_copy_block(rest, geo, config)
    footer, rest = stamps.take_page_footer(rest, geo, config)
    regions = find_regions(rest, geo, config)
    marks.sort(key=lambda item: item[0].box.y0)
    esign = any(patterns.is_esign(ln.text) for ln in regions.above)
    return _closing_date([
        *_all(number, Zone.PAGE_NUMBER, "page_number"),
        *([] if esign else _all(regions.above, Zone.BODY, "above")),
        *_header_left(regions.header_left),
        *_header_right(regions.header_right, regions.header_left),
        *(Labelled(ln, zone, "marks") for ln, zone in marks),
        *_all(_top_down(received), Zone.RECEIVED_STAMP, "received"),
        *(_all(_top_down(regions.above), ESIGN_ZONE, "esign") if esign else []),
        *_flow(regions, geo, config),
        *_all(regions.footer_left, Zone.DISTRIBUTION, "footer_left"),
        *_all(regions.footer_right, Zone.SIGNER, "footer_right"),
        *_all(_top_down(copy), Zone.COPY, "copy"),
        *_all(_top_down(footer), Zone.FOOTER, "footer"),
    ], geo)


def _closing_date(items: list[Labelled], geo: PageGeometry) -> list[Labelled]:
    """Forms without a header date (job descriptions, minutes) date themselves above the
    signature, civil-status forms with "Làm tại: …, ngày …", contracts with "Hôm nay, ngày …":
    with no PLACE_DATE yet, the first body or signer line of the right column (centred right
    of the text's centre, starting past its first third: not a full-width body line) that
    reads "ngày … tháng … năm", or is such a dated opening wherever it starts, becomes
    PLACE_DATE."""
    if any(item.zone == Zone.PLACE_DATE for item in items):
        return items
    at = next((i for i, item in enumerate(items)
               if item.zone in (Zone.BODY, Zone.SIGNER) and (
                   patterns.is_dated_opening(item.line.text)
                   or (_in_right_column(item.line, geo)
                       and patterns.is_place_date(item.line.text)))), None)
    if at is not None:
        items[at] = Labelled(items[at].line, Zone.PLACE_DATE, items[at].part)
    return items


def _in_right_column(line: Line, geo: PageGeometry) -> bool:
    return centre_x(line.box) >= geo.centre and line.box.x0 >= geo.left + geo.text_width / 3


def _all(lines: list[Line], zone: Zone, part: str) -> list[Labelled]:
    return [Labelled(ln, zone, part) for ln in lines]


def _top_down(lines: list[Line]) -> list[Line]:
    return sorted(lines, key=lambda ln: (ln.box.y0, ln.box.x0))


def _header_left(lines: list[Line]) -> list[Labelled]:
    """Organ lines, then the number; under it a court date or a công văn subject. Without a
    number line (OCR lost it), the organ ends at a court date."""
    index = _number_index(lines)
    if index is None:
        index = next((i for i, ln in enumerate(lines) if patterns.is_court_date(ln.text)),
                     len(lines))
        zones = [Zone.ORGAN] * index
    else:
        zones = [Zone.ORGAN] * index + [Zone.NUMBER]
    zones += [Zone.PLACE_DATE if patterns.is_court_date(ln.text) else Zone.SUBJECT
              for ln in lines[len(zones):]]
    return [Labelled(ln, zone, "header_left") for ln, zone in zip(lines, zones, strict=True)]


def _number_index(lines: list[Line]) -> int | None:
    for predicate in (patterns.is_number, patterns.has_notation):
        found = next((i for i, ln in enumerate(lines) if predicate(ln.text)), None)
        if found is not None:
            return found
    return None


def _header_right(lines: list[Line], left: list[Line]) -> list[Labelled]:
    """Motto lines, then the place and date (found by its words, or else as the right-hand
    line level with the number)."""
    index = next((i for i, ln in enumerate(lines) if patterns.is_place_date(ln.text)), None)
    number = _number_index(left)
    if index is None and number is not None:
        level = left[number].box
        index = next((i for i, ln in enumerate(lines)
                      if ln.box.vertical_overlap(level) > 0.5), None)
    if index is None:
        return _all(lines, Zone.MOTTO, "header_right")
    return [*_all(lines[:index], Zone.MOTTO, "header_right"),
            *_all(lines[index:], Zone.PLACE_DATE, "header_right")]


def _flow(regions: Regions, geo: PageGeometry, config: LayoutConfig) -> list[Labelled]:
    """Title, subject and recipients right under a header, then the body."""
    rows = regions.body
    title_end = subject_end = 0
    if regions.has_header and rows:
        if _is_title(rows[0], geo, config):
            title_end = _run(rows, 1, geo, config, _continues_title)
            subject_end = _run(rows, title_end, geo, config, _subject_accepts(config))
        elif patterns.is_subject(_text(rows[0])):
            subject_end = _run(rows, 0, geo, config, _subject_accepts(config))
    items = [Labelled(ln, Zone.TITLE if i < title_end else Zone.SUBJECT, "title")
             for i, row in enumerate(rows[:subject_end]) for ln in row]
    at = subject_end
    if regions.has_header and at < len(rows) and patterns.is_recipients(_text(rows[at]),
                                                                          config.fuzzy):
        at = _take_recipients(rows, at, items, config)
    return items + [Labelled(ln, Zone.BODY, "body") for row in rows[at:] for ln in row]


def _text(row: Row) -> str:
    return " ".join(ln.text for ln in row)


def _is_title(row: Row, geo: PageGeometry, config: LayoutConfig) -> bool:
    """A type name, or else a short centred upper-case line (not "NHÂN DANH" or "V/v")."""
    text = _text(row)
    if patterns.is_body_start(text, config.fuzzy) or patterns.is_subject(text):
        return False
    if patterns.is_type_name(text, config.fuzzy):
        return True
    return (len(row) == 1 and is_centred(row[0], geo, config.centre_tolerance)
            and upper_ratio(text) >= 0.8 and row[0].box.width < 0.6 * geo.text_width)


def _continues_title(row: Row) -> bool:
    """More of a long type name: upper case, and not an upper-case "VỀ VIỆC ..." subject."""
    text = _text(row)
    return upper_ratio(text) >= 0.8 and not patterns.is_subject(text)


def _subject_accepts(config: LayoutConfig) -> Callable[[Row], bool]:
    def accept(row: Row) -> bool:
        text = _text(row)
        return not (patterns.is_body_start(text, config.fuzzy)
                    or patterns.is_recipients(text, config.fuzzy))
    return accept


def _run(rows: list[Row], at: int, geo: PageGeometry, config: LayoutConfig,
         accept: Callable[[Row], bool]) -> int:
    """The end of the run of accepted rows from ``at``, each close under the row before it
    (at most ``max_subject_lines`` rows)."""
    end = at
    while end < len(rows) and end - at < config.max_subject_lines and accept(rows[end]):
        if end > 0 and (row_box(rows[end]).y0 - row_box(rows[end - 1]).y1
                        > config.title_gap * geo.line_height):
            break
        end += 1
    return end


def _take_recipients(rows: list[Row], at: int, items: list[Labelled],
                     config: LayoutConfig) -> int:
    """"Kính gửi" and the recipient lines indented under or beside it."""
    first = row_box(rows[at])
    end = at + 1
    while (end < len(rows) and end - at < config.max_recipient_lines
           and row_box(rows[end]).x0 >= first.x0 - 0.5 * first.height):
        end += 1
    items += [Labelled(ln, Zone.RECIPIENTS, "recipients") for row in rows[at:end] for ln in row]
    return end
