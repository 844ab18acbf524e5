"""Result: built from annotated documents and errors, published schema, listings."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import archml
from archml.document import (
    Box,
    Classification,
    Document,
    DocumentSource,
    FieldValue,
    Page,
    PageSource,
    Prediction,
)
from archml.errors import EmptyInput
from archml.result import Result, schema_text
from archml.tabular import CATALOGUE_COLUMNS, to_csv
from archml.visualize import draw_page

DOCS = Path(__file__).resolve().parents[1] / "docs"


def document(form_confidence: float = 0.9, **fields: FieldValue) -> Document:
    return Document(
        source=DocumentSource(path="a.pdf", sha256="ab" * 32, mime="application/pdf",
                              size_bytes=10, n_pages=1),
        classification=Classification(
            domain=Prediction(label="administrative", confidence=0.95),
            form=Prediction(label="02", confidence=form_confidence, top_k=[("02", 0.9)]),
            doc_type=Prediction(label="administrative.quyet_dinh", confidence=0.9)),
        fields=fields)


def field(name: str, value: object, confidence: float = 0.9, **kw: object) -> FieldValue:
    return FieldValue(name=name, raw=str(value), value=value, confidence=confidence, page=0,
                      box=Box(1, 2, 3, 4), **kw)


COMPLETE = {"codeNumber": field("codeNumber", "86"),
            "codeNotation": field("codeNotation", "QĐ-UBND"),
            "issuedDate": field("issuedDate", "2025-01-16"),
            "organName": field("organName", "ỦY BAN NHÂN DÂN - TỈNH QUẢNG NGÃI"),
            "subject": field("subject", "Về việc bổ nhiệm")}


def test_confident_complete_document_needs_no_review() -> None:
    result = Result.from_document(document(**COMPLETE))
    assert result.status == "ok" and not result.needs_review and result.review_reasons == []
    assert result.classification is not None
    assert result.classification.form.name == "Quyết định"
    assert result.classification.doc_type.name == "Quyết định"
    assert result.fields["codeNumber"].box == Box(1, 2, 3, 4)


def test_low_confidence_problems_and_missing_fields_are_flagged_with_reasons() -> None:
    fields = dict(COMPLETE, issuedDate=field("issuedDate", "2025-01", 0.4,
                                             problems=["the day is missing"]))
    del fields["subject"]
    result = Result.from_document(document(form_confidence=0.3, **fields))
    assert result.needs_review and result.fields["issuedDate"].needs_review
    reasons = " | ".join(result.review_reasons)
    assert "form confidence 0.30" in reasons and "the day is missing" in reasons
    assert "subject not found" in reasons


def test_error_result_keeps_the_typed_error() -> None:
    result = Result.from_error(EmptyInput("the file is empty", source="x.pdf"))
    assert result.status == "error" and result.needs_review
    assert result.error is not None and result.error.type == "EmptyInput"
    assert result.source.path == "x.pdf"


def test_published_schema_is_current_and_validates_results() -> None:
    assert (DOCS / "result.schema.json").read_text(encoding="utf-8") == schema_text(), \
        "regenerate docs/result.schema.json with archml.result.schema_text()"
    data = json.loads(Result.from_document(document(**COMPLETE)).model_dump_json())
    assert Result.model_validate(data) == Result.model_validate_json(json.dumps(data))
    assert set(json.loads(schema_text())["properties"]) == set(data)


def test_csv_uses_the_catalogue_headings_and_opens_in_excel() -> None:
    text = to_csv(["a.pdf"], [Result.from_document(document(**COMPLETE))])
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert list(rows[0]) == list(CATALOGUE_COLUMNS)
    assert rows[0]["Số của văn bản"] == "86" and rows[0]["Năm văn bản"] == "2025"
    assert rows[0]["Tên loại văn bản"] == "Quyết định"


def test_process_accepts_every_input_kind_and_process_many_keeps_going(
        samples_dir: Path) -> None:
    pipeline = archml.Pipeline()
    path = samples_dir / "vbhc13.pdf"
    from_path = pipeline.process(path)
    from_bytes = pipeline.process(path.read_bytes())
    assert from_path.source.sha256 == from_bytes.source.sha256
    assert from_path.fields["codeNotation"].value == from_bytes.fields["codeNotation"].value
    image = np.full((400, 300, 3), 255, np.uint8)
    assert pipeline.process(Image.fromarray(image)).status == "ok"
    results = list(pipeline.process_many([b"", path]))
    assert [r.status for r in results] == ["error", "ok"]
    assert results[0].error is not None and results[0].error.type == "EmptyInput"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "archml", *args], capture_output=True,
                          text=True, timeout=600)


def test_classify_cli_writes_one_result_per_input_and_prints_the_table(
        samples_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7 broken")
    proc = run_cli("classify", str(samples_dir / "vbhc13.pdf"), str(bad), "--out",
                   str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert "vbhc13.pdf" in proc.stdout and "Thông báo" in proc.stdout and "error" in proc.stdout
    result = Result.model_validate_json((tmp_path / "out" / "vbhc13.json").read_text("utf-8"))
    assert result.fields["codeNotation"].value == "TB-UBND"
    failed = Result.model_validate_json((tmp_path / "out" / "broken.json").read_text("utf-8"))
    assert failed.status == "error" and failed.error.type == "CorruptInput"
    jsonl = run_cli("classify", str(samples_dir / "vbhc13.pdf"), "--format", "jsonl")
    assert Result.model_validate_json(jsonl.stdout.splitlines()[0]).status == "ok"


@pytest.mark.parametrize("page", ["1", "9"])
def test_show_writes_the_page_or_refuses_a_page_that_does_not_exist(
        samples_dir: Path, tmp_path: Path, page: str) -> None:
    out = tmp_path / "page.png"
    proc = run_cli("show", str(samples_dir / "vbhc13.pdf"), "--out", str(out), "--page", page)
    if page == "9":
        assert proc.returncode == 2 and "between 1 and 2" in proc.stderr
        return
    assert proc.returncode == 0, proc.stderr
    assert Image.open(out).size == (2481, 3509)  # A4 at 300 dpi, the page the boxes refer to


def test_draw_page_outlines_each_field_box_on_its_page() -> None:
    doc = document(codeNumber=field("codeNumber", "86"))
    doc.fields["codeNumber"].box = Box(100, 100, 300, 160)
    doc.pages = [Page(index=0, width=600, height=800, source=PageSource(page_index=0, dpi=100),
                      image=np.full((800, 600, 3), 255, np.uint8))]
    drawn = np.asarray(draw_page(doc, 0)).astype(int)
    red = (drawn[..., 0] > 180) & (drawn[..., 1] < 80) & (drawn[..., 2] < 80)
    assert red[100:160, 100:103].all() and red[100:160, 297:300].all()
    assert red[90:100, 100:200].any()  # the label above the box
    assert not red[400:].any()
