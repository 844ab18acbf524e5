"""`archml batch` end to end: real files, Tesseract, worker processes, sqlite journal, audit log."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from PIL import Image, ImageDraw, ImageFont

from archml.archive.audit import verify
from archml.batch.collection import scan
from archml.batch.job import BatchOptions, load_results, run_batch
from archml.batch.journal import Journal
from archml.batch.layout import OutputLayout
from archml.batch.review import register_clashes, review_queue
from archml.errors import ConfigError, ProcessingError
from archml.pipeline import OCR_STAGES, Pipeline, PipelineConfig
from archml.result import Result
from test_result import COMPLETE, document, field

FONT = "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"
BOLD = "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf"
CONFIG = PipelineConfig(model=None, stages=[*OCR_STAGES, "rule_classifier", "rules"])


def letter(number: int) -> Image.Image:
    """The Decree-30 header of a decision: organ and motto, number and date, title."""
    font, bold = ImageFont.truetype(FONT, 40), ImageFont.truetype(BOLD, 40)
    image = Image.new("L", (2480, 800), 255)
    draw = ImageDraw.Draw(image)
    for xy, text, face in (
            ((150, 150), "ỦY BAN NHÂN DÂN", bold), ((150, 200), "HUYỆN ĐÔNG ANH", bold),
            ((1250, 150), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold),
            ((1420, 200), "Độc lập - Tự do - Hạnh phúc", bold),
            ((180, 300), f"Số: {number:02d}/QĐ-UBND", font),
            ((1300, 300), f"Đông Anh, ngày {number:02d} tháng 3 năm 2021", font),
            ((1060, 500), "QUYẾT ĐỊNH", bold), ((900, 560), "Về việc giao đất", bold)):
        draw.text(xy, text, font=face, fill=0)
    return image


def make_collection(root: Path, n: int) -> Path:
    for folder in ("hoso-a", "hoso-b"):
        (root / folder).mkdir(parents=True)
    for i in range(n):
        folder = root / ("hoso-a" if i % 2 else "hoso-b")
        letter(i + 1).save(folder / f"doc{i:02d}.png", dpi=(300, 300))
    (root / "hoso-a" / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj garbage")
    (root / "empty.jpg").write_bytes(b"")
    return root


def digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def keys_of(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    source = make_collection(tmp_path_factory.mktemp("collection"), 4)
    before = digest(source)
    out = tmp_path_factory.mktemp("out")
    summary = run_batch(source, out, CONFIG, BatchOptions(jobs=2))
    assert (summary.documents, summary.processed, summary.failed) == (6, 6, 2)
    return source, out, before


def test_every_document_gets_one_result_and_the_tables_agree(finished) -> None:
    source, out, before = finished
    layout = OutputLayout(out)
    keys = keys_of(source)
    results = {p.relative_to(layout.results_dir).as_posix().removesuffix(".json")
               for p in layout.results_dir.rglob("*.json")}
    assert results == keys
    lines = [Result.model_validate_json(x) for x in layout.results_jsonl.read_text().splitlines()]
    assert sorted(Path(r.source.path).relative_to(source).as_posix() for r in lines) == sorted(keys)
    table = pq.read_table(layout.results_parquet).to_pylist()
    assert sorted(row["key"] for row in table) == sorted(keys)
    ok = {row["key"]: row for row in table if row["status"] == "ok"}
    assert ok["hoso-b/doc00.png"]["field.codeNumber"] == "01"
    assert ok["hoso-a/doc01.png"]["form"] == "02"  # Quyết định
    assert ok["hoso-a/doc01.png"]["field.issuedDate"] == "2021-03-02"
    errors = {row["key"]: row["error_type"] for row in table if row["status"] == "error"}
    assert errors == {"hoso-a/broken.pdf": "CorruptInput", "empty.jpg": "EmptyInput"}
    with layout.catalogue_csv.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["Đường dẫn file"] for r in rows) == sorted(keys)
    assert {r["Số của văn bản"] for r in rows} >= {"01", "02", "03", "04"}
    assert digest(source) == before, "originals must never be modified"


def test_review_queue_report_manifest_and_audit(finished) -> None:
    source, out, _ = finished
    layout = OutputLayout(out)
    queue = [json.loads(x) for x in layout.review_jsonl.read_text().splitlines()]
    assert {q["key"] for q in queue if q["kind"] == "error"} == {"hoso-a/broken.pdf", "empty.jpg"}
    html = layout.report.read_text(encoding="utf-8")
    assert "CorruptInput" in html and "<svg" in html
    manifest = json.loads(layout.manifest.read_text())
    assert manifest["documents"] == 6 and manifest["counts"] == {"done": 4, "failed": 2}
    for name, checksum in manifest["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == checksum
    report = verify(layout.audit, count=manifest["audit"]["entries"],
                    head=manifest["audit"]["head"])
    assert report.ok, report.problems
    events = [json.loads(x) for x in layout.audit.read_text().splitlines()]
    processed = [e["details"]["key"] for e in events if e["event"] == "document.processed"]
    assert sorted(processed) == sorted(keys_of(source))
    for entry in Journal(layout.journal).entries():
        result = layout.result(entry.key).read_bytes()
        assert hashlib.sha256(result).hexdigest() == entry.result_sha256


def test_rerun_processes_only_new_or_changed_documents(tmp_path: Path) -> None:
    source = make_collection(tmp_path / "src", 2)
    out = tmp_path / "out"
    assert run_batch(source, out, CONFIG).processed == 4
    assert run_batch(source, out, CONFIG).processed == 0
    letter(9).save(source / "hoso-a" / "doc01.png", dpi=(300, 300))  # changed
    letter(7).save(source / "new.png", dpi=(300, 300))  # new
    again = run_batch(source, out, CONFIG)
    assert (again.processed, again.documents) == (2, 5)
    result = Result.model_validate_json(OutputLayout(out).result("hoso-a/doc01.png").read_text())
    assert result.fields["codeNumber"].value == "09"
    assert run_batch(source, out, CONFIG, BatchOptions(retry_failed=True)).processed == 2


def test_other_settings_or_a_tampered_result_are_refused(tmp_path: Path) -> None:
    source = make_collection(tmp_path / "src", 1)
    out = tmp_path / "out"
    run_batch(source, out, CONFIG)
    with pytest.raises(ConfigError, match="settings"):
        run_batch(source, out, CONFIG.updated({"review_threshold": 0.9}))
    layout = OutputLayout(out)
    path = layout.result("hoso-b/doc00.png")
    path.write_text(path.read_text().replace('"01"', '"02"'))
    with pytest.raises(ProcessingError, match="changed after the batch"):
        load_results(layout, Journal(layout.journal).entries())


def _finished_rows(journal: Path) -> int:
    try:
        with sqlite3.connect(journal) as db:
            return db.execute("SELECT COUNT(*) FROM documents WHERE status IN "
                              "('done', 'failed')").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_sigkill_mid_run_then_resume_gives_exactly_one_result_each(tmp_path: Path) -> None:
    source = make_collection(tmp_path / "src", 10)
    out = tmp_path / "out"
    config = tmp_path / "config.json"
    config.write_text(CONFIG.model_dump_json())
    command = [sys.executable, "-m", "archml", "batch", str(source), "--out", str(out),
               "--jobs", "2", "--config", str(config)]
    proc = subprocess.Popen(command, start_new_session=True, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while _finished_rows(out / "journal.sqlite") < 4 and time.monotonic() < deadline:
        assert proc.poll() is None, "the batch ended before it could be killed"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the command and its worker processes, mid-run
    proc.wait()
    killed_at = _finished_rows(out / "journal.sqlite")
    assert 4 <= killed_at < 12

    resumed = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming" in resumed.stderr
    layout = OutputLayout(out)
    keys = keys_of(source)
    entries = Journal(layout.journal).entries()
    assert {e.key for e in entries} == keys and all(e.status in ("done", "failed")
                                                    for e in entries)
    files = [p for p in layout.results_dir.rglob("*") if p.is_file()]
    assert sorted(p.relative_to(layout.results_dir).as_posix() for p in files) == sorted(
        f"{k}.json" for k in keys), "exactly one result file per document, no leftovers"
    lines = layout.results_jsonl.read_text().splitlines()
    assert len(lines) == len(keys)
    for entry in entries:
        assert hashlib.sha256(layout.result(entry.key).read_bytes()).hexdigest() == \
            entry.result_sha256
    events = [json.loads(x) for x in layout.audit.read_text().splitlines()]
    processed = [e["details"]["key"] for e in events if e["event"] == "document.processed"]
    assert sorted(processed) == sorted(keys), "one audit entry per document"
    check = subprocess.run([sys.executable, "-m", "archml", "audit", "verify", str(out)],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0 and "OK" in check.stdout, check.stdout + check.stderr


def test_a_finished_document_whose_audit_entry_was_lost_gets_one_on_resume(
        tmp_path: Path) -> None:
    """The crash window between the journal commit and the audit append."""
    source = make_collection(tmp_path / "src", 1)
    out = tmp_path / "out"
    run_batch(source, out, CONFIG)
    letter(5).save(source / "late.png", dpi=(300, 300))
    layout = OutputLayout(out)
    journal = Journal(layout.journal)
    journal.add(scan(source, known=journal.known_hash))
    result = Pipeline(CONFIG).process(source / "late.png")
    payload = result.model_dump_json(indent=1).encode()
    layout.result("late.png").write_bytes(payload)
    journal.finish("late.png", status="done", pages=1, seconds=1.0,
                   result_sha256=hashlib.sha256(payload).hexdigest())
    journal.close()

    assert run_batch(source, out, CONFIG).processed == 0
    events = [json.loads(x) for x in layout.audit.read_text().splitlines()]
    late = [e for e in events if e["details"].get("key") == "late.png"]
    assert len(late) == 1 and late[0]["details"]["recovered"] is True
    assert verify(layout.audit).ok


def test_a_batch_packages_into_valid_tt05_aips_and_the_audit_log_records_it(
        tmp_path: Path) -> None:
    from archml.archive.package import build_packages
    from archml.archive.validation import validate_package

    source = make_collection(tmp_path / "src", 2)
    out = tmp_path / "out"
    run_batch(source, out, CONFIG)
    report = build_packages(out, "aip-hoso", tmp_path / "pkg", operator="Trần Thị Bình")
    assert sorted(len(p.documents) for p in report.packages) == [1, 1]  # hoso-a, hoso-b
    assert {key: e.type for key, e in report.errors.items()} == {
        "hoso-a/broken.pdf": "CorruptInput", "empty.jpg": "EmptyInput"}
    for package in report.packages:
        assert validate_package(package.path) == {}
        assert len(list(package.path.rglob("*.pdf"))) == 1
    events = [json.loads(x) for x in OutputLayout(out).audit.read_text().splitlines()]
    assert events[-1]["event"] == "package.built"
    assert {p["objid"] for p in events[-1]["details"]["packages"]} == {
        p.objid for p in report.packages}
    assert verify(OutputLayout(out).audit).ok


def test_one_number_twice_in_a_register_is_queued_for_review() -> None:
    """Two documents of one organ with the same notation, year and number: one number is
    misread (or the document is there twice). Another year, organ or number is no clash."""
    def result(number: str, date: str = "2025-01-16", organ: str = "UBND TỈNH QUẢNG NGÃI",
               **drop: None) -> Result:
        fields = {**COMPLETE, "codeNumber": field("codeNumber", number, 0.55),
                  "issuedDate": field("issuedDate", date),
                  "organName": field("organName", organ)}
        return Result.from_document(document(**{k: v for k, v in fields.items()
                                                if k not in drop}))

    results = [("a.pdf", result("14")), ("b.pdf", result("014")),  # the same number
               ("c.pdf", result("14", date="2024-03-02")), ("d.pdf", result("24")),
               ("e.pdf", result("14", organ="UBND XÃ TỊNH KỲ")),
               ("f.pdf", result("14", codeNotation=None))]
    clashes = register_clashes(results)
    assert [(c.key, c.what, c.value, c.confidence) for c in clashes] == [
        ("a.pdf", "codeNumber", "14", 0.55), ("b.pdf", "codeNumber", "014", 0.55)]
    assert "b.pdf" in clashes[0].reason and "a.pdf" in clashes[1].reason
    queue = review_queue(iter(results))
    assert queue[-2:] == clashes  # after each document's own items
