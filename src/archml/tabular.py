"""Results as rows: the console table, JSON/JSON-lines listings, and a CSV in the document-level
column layout of a TT05 catalogue, so an archivist can open it in Excel next to their own."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from rich.table import Table

from archml.result import Result

ListingFormat = Literal["table", "json", "jsonl", "csv"]

CATALOGUE_COLUMNS: dict[str, str] = {
    "Tên loại văn bản": "form",
    "Số của văn bản": "codeNumber",
    "Ký hiệu của văn bản": "codeNotation",
    "Ngày văn bản": "day",
    "Tháng văn bản": "month",
    "Năm văn bản": "year",
    "Tên cơ quan, tổ chức ban hành văn bản": "organName",
    "Trích yếu nội dung": "subject",
    "Ngôn ngữ": "language",
    "Số lượng trang của văn bản": "numberOfPage",
    "Lĩnh vực": "domain",
    "Loại tài liệu chi tiết": "doc_type",
    "Độ tin cậy": "confidence",
    "Cần kiểm tra": "needs_review",
    "Lý do kiểm tra": "review_reasons",
    "Đường dẫn file": "file",
}
"""CSV heading → value. Headings follow the archive's catalogue (``Tên loại văn bản`` …
``Đường dẫn file``); domain, fine type, confidence and review columns are archml's own."""

_LANGUAGES = {"01": "Tiếng Việt", "02": "Tiếng Anh", "03": "Tiếng Pháp", "04": "Tiếng Nga",
              "05": "Tiếng Trung", "09": "Hán Nôm"}


def _value(result: Result, name: str) -> str:
    field = result.fields.get(name)
    if field is None or field.value is None:
        return ""
    if isinstance(field.value, list):
        return "; ".join(str(v) for v in field.value)
    return str(field.value)


def summary(name: str, result: Result) -> dict[str, str]:
    """The values of one result by :data:`CATALOGUE_COLUMNS` key."""
    c = result.classification
    date = _value(result, "issuedDate").split("-")
    year, month, day = [*date, "", "", ""][:3]
    confidence = min((c.domain.confidence, c.form.confidence)) if c else 0.0
    language = _value(result, "language")
    return {
        "file": name,
        "form": (c.form.name or c.form.label) if c else "",
        "codeNumber": _value(result, "codeNumber"),
        "codeNotation": _value(result, "codeNotation"),
        "day": day, "month": month, "year": year,
        "organName": _value(result, "organName"),
        "subject": _value(result, "subject"),
        "language": _LANGUAGES.get(language, language),
        "numberOfPage": _value(result, "numberOfPage") or str(result.source.pages or ""),
        "domain": c.domain.name or c.domain.label if c else "",
        "doc_type": (c.doc_type.label if c and c.doc_type else ""),
        "confidence": f"{confidence:.2f}" if c else "",
        "needs_review": "có" if result.needs_review else "không",
        "review_reasons": "; ".join(result.review_reasons)
        if result.status == "ok" else (result.error.message if result.error else ""),
    }


def to_csv(names: Sequence[str], results: Sequence[Result]) -> str:
    """UTF-8 CSV with a byte-order mark (Excel then reads Vietnamese correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CATALOGUE_COLUMNS)
    for name, result in zip(names, results, strict=True):
        row = summary(name, result)
        writer.writerow(row[key] for key in CATALOGUE_COLUMNS.values())
    return "\ufeff" + buffer.getvalue()


def to_json(names: Sequence[str], results: Sequence[Result]) -> str:
    return json.dumps([r.model_dump(mode="json") for r in results], ensure_ascii=False,
                      indent=1) + "\n"


def to_jsonl(names: Sequence[str], results: Sequence[Result]) -> str:
    return "".join(r.model_dump_json() + "\n" for r in results)


LISTINGS: dict[str, Callable[[Sequence[str], Sequence[Result]], str]] = {
    "json": to_json, "jsonl": to_jsonl, "csv": to_csv}


def results_table(names: Sequence[str], results: Sequence[Result]) -> Table:
    """A console table: file, domain, form, number/notation, date, organ, subject, confidence,
    review flag."""
    table = Table("file", "domain", "form", "số / ký hiệu", "date", "organ", "subject", "conf.",
                  "review", title="archml classify", title_justify="left")
    for name, result in zip(names, results, strict=True):
        row = summary(Path(name).name, result)
        if result.status == "error":
            table.add_row(row["file"], "[red]error[/red]", "", "", "", "",
                          row["review_reasons"], "", "[red]yes[/red]")
            continue
        number = "/".join(v for v in (row["codeNumber"], row["codeNotation"]) if v)
        table.add_row(row["file"], row["domain"], row["form"], number,
                      _value(result, "issuedDate"), row["organName"].split(" - ")[-1],
                      _short(row["subject"]), row["confidence"],
                      "[yellow]yes[/yellow]" if result.needs_review else "no")
    return table


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
