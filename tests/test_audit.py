"""The hash-chained audit log: appends, reopening, tamper detection and ``archml audit``."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from archml.archive.audit import (
    GENESIS,
    AuditLog,
    anchor_path,
    canonical_json,
    entry_hash,
    repair_torn_tail,
    verify,
)
from archml.archive.audit_cli import audit_app
from archml.archive.fixity import sha256_bytes, sha256_file
from archml.errors import AuditLogCorrupt, InputNotFound

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "vbhc01.pdf"


def test_fixity_streams_any_chunk_size() -> None:
    expected = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert sha256_file(SAMPLE) == expected
    assert sha256_file(SAMPLE, chunk_size=7) == expected
    assert sha256_bytes(b"") == hashlib.sha256(b"").hexdigest()
    with pytest.raises(ValueError, match="chunk_size"):
        sha256_file(SAMPLE, chunk_size=0)


def make_log(path: Path, n: int = 6) -> list[bytes]:
    """A real log of ``n`` document events; returns its lines."""
    log = AuditLog(path)
    for i in range(n):
        log.append("document.processed", key=f"Hồ sơ/{i:02d}.pdf",
                   source_sha256=sha256_file(SAMPLE), result_sha256=sha256_bytes(bytes([i])),
                   model={"id": "default", "sha256": "ab" * 32})
    return path.read_bytes().splitlines(keepends=True)


@pytest.fixture()
def log(tmp_path: Path) -> tuple[Path, list[bytes]]:
    path = tmp_path / "audit.jsonl"
    return path, make_log(path)


def test_entries_are_canonical_and_chained(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    entries = [json.loads(line) for line in lines]
    assert [e["seq"] for e in entries] == list(range(6))
    assert entries[0]["prev"] == GENESIS
    for before, entry, line in zip([None, *entries], entries, lines, strict=False):
        assert line == canonical_json(entry) + b"\n"
        assert entry["hash"] == entry_hash(entry)
        assert before is None or entry["prev"] == before["hash"]
    assert entries[0]["details"]["key"] == "Hồ sơ/00.pdf"
    assert "Hồ sơ".encode() in lines[0]  # UTF-8, not \\u escapes
    actor = entries[0]["actor"]
    assert actor["pid"] == os.getpid() and actor["host"] and actor["user"] and actor["archml"]
    assert json.loads(anchor_path(path).read_text()) == {"count": 6,
                                                         "head": entries[-1]["hash"]}


def test_reopening_continues_the_chain(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    reopened = AuditLog(path, actor={"user": "lưu trữ viên", "role": "archivist"})
    assert (reopened.count, reopened.head) == (6, json.loads(lines[-1])["hash"])
    entry = reopened.append("batch.finished", counts={"done": 6})
    assert (entry.seq, entry.prev) == (6, json.loads(lines[-1])["hash"])
    assert entry.actor["user"] == "lưu trữ viên" and entry.actor["role"] == "archivist"
    assert entry.actor["pid"] == os.getpid()
    assert json.loads(path.read_bytes().splitlines()[-1]) == entry.to_dict()
    report = verify(path)
    assert report.ok and report.entries == 7 and report.head == entry.hash


def test_details_that_are_not_json_write_nothing(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    audit = AuditLog(path)
    with pytest.raises(TypeError):
        audit.append("document.processed", pages={1, 2})
    with pytest.raises(ValueError):
        audit.append("document.processed", confidence=float("nan"))
    assert path.read_bytes().splitlines(keepends=True) == lines
    assert verify(path).ok


def test_threads_and_processes_do_not_interleave(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    script = ("import sys; from archml.archive.audit import AuditLog\n"
              "log = AuditLog(sys.argv[1])\n"
              "for i in range(20): log.append('process', i=i, who=sys.argv[2])\n")
    children = [subprocess.Popen([sys.executable, "-c", script, str(path), str(n)])
                for n in range(2)]
    threads = [threading.Thread(target=lambda: [AuditLog(path).append("thread", i=i)
                                                for i in range(15)]) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [child.wait(timeout=120) for child in children] == [0, 0]
    report = verify(path)
    assert report.ok, report.problems
    assert report.entries == 70


def test_refuses_to_append_to_a_damaged_tail(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    path.write_bytes(b"".join(lines[:-1]) + lines[-1][:50])  # an interrupted write
    with pytest.raises(AuditLogCorrupt, match="incomplete"):
        AuditLog(path)
    path.write_bytes(b"".join(lines[:-1]) + lines[-1].replace(b"05.pdf", b"99.pdf"))
    with pytest.raises(AuditLogCorrupt, match="does not match its hash"):
        AuditLog(path)
    path.write_bytes(b"".join(lines[:-1]))  # the last entry removed: the anchor disagrees
    with pytest.raises(AuditLogCorrupt, match="anchor") as caught:
        AuditLog(path)
    assert caught.value.code == "audit_log_corrupt"
    assert path.read_bytes() == b"".join(lines[:-1])


def test_repair_cuts_an_interrupted_write_and_logs_it(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    assert repair_torn_tail(path) is None  # a complete log: nothing to do
    torn = lines[-1][:50]
    path.write_bytes(b"".join(lines) + torn)  # the 7th append died mid-write
    with pytest.raises(AuditLogCorrupt, match="incomplete"):
        AuditLog(path)
    tail = repair_torn_tail(path)
    assert tail is not None and tail.saved_to.read_bytes() == torn  # kept, not deleted
    assert tail.size == 50 and tail.sha256 == sha256_bytes(torn)
    kept = path.read_bytes().splitlines(keepends=True)
    assert kept[:6] == lines
    repaired = json.loads(kept[6])
    assert repaired["event"] == "audit.repaired" and repaired["details"] == {
        "torn_file": tail.saved_to.name, "torn_bytes": 50, "torn_sha256": tail.sha256}
    report = verify(path)
    assert report.ok and report.entries == 7
    assert AuditLog(path).append("document.processed", key="next").seq == 7


def test_repair_refuses_a_log_with_other_damage(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    damaged = [*lines[:2], *lines[3:]]  # an entry removed: evidence, not a repair
    path.write_bytes(b"".join(damaged) + b'{"seq": 6')
    before = path.read_bytes()
    with pytest.raises(AuditLogCorrupt, match="1 problem"):
        repair_torn_tail(path)
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*.torn-*")) and not list(path.parent.glob(".*.check"))
    result = CliRunner().invoke(audit_app, ["repair", str(path)])
    assert result.exit_code == 1 and path.read_bytes() == before


def test_cli_repair(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    runner = CliRunner()
    nothing = runner.invoke(audit_app, ["repair", str(path.parent)])
    assert nothing.exit_code == 0 and "nothing to repair" in nothing.output
    path.write_bytes(b"".join(lines) + b'{"seq": 6, "ti')
    repaired = runner.invoke(audit_app, ["repair", str(path)])
    assert repaired.exit_code == 0 and "repaired: 14 bytes" in repaired.output
    assert runner.invoke(audit_app, ["verify", str(path)]).exit_code == 0
    assert runner.invoke(audit_app, ["repair", str(path / "missing")]).exit_code == 2


def test_an_anchor_left_behind_by_a_crash_is_brought_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    make_log(path, n=3)
    stale = anchor_path(path).read_bytes()
    AuditLog(path).append("document.processed", key="x")
    anchor_path(path).write_bytes(stale)  # died after the fsync, before the anchor update
    assert not verify(path).ok
    assert AuditLog(path).count == 4
    assert verify(path).ok


def save(path: Path, lines: list[bytes], *, anchor: bool = True) -> Path:
    """A tampered copy of the log beside ``path`` (with its anchor unless told otherwise)."""
    copy = path.with_name("tampered.jsonl")
    copy.write_bytes(b"".join(lines))
    if anchor:
        shutil.copy(anchor_path(path), anchor_path(copy))
    else:
        anchor_path(copy).unlink(missing_ok=True)
    return copy


def changed(line: bytes, *, rehash: bool, details: dict | None = None, **fields: object
            ) -> bytes:
    """``line`` with some fields (and details) changed, its hash recomputed or left stale."""
    entry = json.loads(line)
    entry["details"].update(details or {})
    entry.update(fields)
    if rehash:
        entry["hash"] = entry_hash(entry)
    return canonical_json(entry) + b"\n"


def found(path: Path, *, count: int | None = None, head: str | None = None
          ) -> list[tuple[str, int | None, int | None]]:
    """(kind, line, seq) of each problem :func:`verify` reports."""
    return [(p.kind, p.line, p.seq) for p in verify(path, count=count, head=head).problems]


def test_intact_log_verifies(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    report = verify(path)
    assert report.ok and report.entries == 6 and report.problems == []
    assert report.anchor is not None
    assert report.head == json.loads(lines[-1])["hash"] == report.anchor.head


def test_edited_entry(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    forged = changed(lines[2], rehash=False, details={"result_sha256": "0" * 64})
    assert found(save(path, [*lines[:2], forged, *lines[3:]])) == [("edited", 3, 2)]


def test_edited_and_rehashed_entry_breaks_the_next_link(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    forged = changed(lines[2], rehash=True, details={"result_sha256": "0" * 64})
    copy = save(path, [*lines[:2], forged, *lines[3:]])
    assert found(copy) == [("edited", 3, 2)]
    assert "re-hashed" in verify(copy).problems[0].message


def test_edited_and_rehashed_last_entry_differs_from_the_anchor(
        log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    forged = changed(lines[5], rehash=True, event="document.skipped")
    assert found(save(path, [*lines[:5], forged])) == [("edited", 6, 5)]


def test_deleted_entry(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    copy = save(path, [*lines[:2], *lines[3:]])
    assert found(copy) == [("deleted", 3, 2)]
    assert "entry seq 2" in verify(copy).problems[0].message


def test_deleted_last_entry_is_caught_by_the_anchor(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    assert found(save(path, lines[:5])) == [("truncated", 6, 5)]
    unanchored = save(path, lines[:4], anchor=False)
    assert verify(unanchored).ok  # a shorter chain is a valid chain: hence the anchor
    assert found(unanchored, count=6) == [("truncated", 5, 4)]


def test_anchor_recorded_elsewhere_catches_a_rewritten_sidecar(
        log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    recorded = json.loads(anchor_path(path).read_text())
    copy = save(path, lines[:4])
    anchor_path(copy).write_text(json.dumps({"count": 4, "head": json.loads(lines[3])["hash"]}))
    assert verify(copy).ok
    assert found(copy, count=recorded["count"], head=recorded["head"]) == [("truncated", 5, 4)]
    assert [p.kind for p in verify(copy, head=recorded["head"]).problems] == ["truncated"]


def test_swapped_entries(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    copy = save(path, [*lines[:2], lines[3], lines[2], *lines[4:]])
    assert found(copy) == [("reordered", 3, 3)]
    assert "belongs after seq 2 (line 4)" in verify(copy).problems[0].message
    far = save(path, [lines[0], lines[4], lines[2], lines[3], lines[1], lines[5]])
    assert found(far) == [("reordered", 2, 4), ("reordered", 5, 1)]


def test_inserted_entries(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    forged = changed(lines[2], rehash=True, details={"key": "giả mạo.pdf"})
    assert found(save(path, [*lines[:3], forged, *lines[3:]])) == [("inserted", 4, 2)]
    assert found(save(path, [*lines[:3], lines[2], *lines[3:]])) == [("inserted", 4, 2)]
    appended = changed(lines[5], rehash=True, seq=6, prev=json.loads(lines[5])["hash"])
    assert found(save(path, [*lines, appended])) == [("inserted", 7, 6)]
    stray = changed(lines[1], rehash=True, seq=40, prev="1" * 64)
    assert found(save(path, [*lines[:3], stray, *lines[3:]], anchor=False)) == [
        ("inserted", 4, 40)]


def test_malformed_lines(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    garbled = save(path, [*lines[:3], b"{\"seq\": 3, garbage\n", *lines[4:]])
    assert found(garbled) == [("malformed", 4, 3)]
    unreadable = save(path, [*lines[:3], b"\xff\xfe\n", *lines[4:]])
    assert found(unreadable) == [("malformed", 4, None)]
    assert "presumably seq 3" in verify(unreadable).problems[0].message
    cut = save(path, [*lines[:5], lines[5][:40]])
    assert found(cut) == [("malformed", 6, None)]
    assert "incomplete" in verify(cut).problems[0].message


def test_several_problems_at_once_are_each_named(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    edited = changed(lines[1], rehash=False, details={"key": "khác.pdf"})
    copy = save(path, [lines[0], edited, lines[3], lines[2], lines[5]])
    assert found(copy) == [("edited", 2, 1), ("reordered", 3, 3), ("deleted", 5, 4)]


def test_damaged_anchor_is_a_problem(log: tuple[Path, list[bytes]]) -> None:
    path, _ = log
    anchor_path(path).write_text("{\"count\": \"many\"}")
    report = verify(path)
    assert [(p.kind, p.line) for p in report.problems] == [("anchor", None)]
    with pytest.raises(AuditLogCorrupt, match="anchor is damaged"):
        AuditLog(path)


def test_missing_log(tmp_path: Path) -> None:
    with pytest.raises(InputNotFound):
        verify(tmp_path / "nowhere.jsonl")


def test_cli_verify_exit_codes(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    runner = CliRunner()
    intact = runner.invoke(audit_app, ["verify", str(path)])
    assert intact.exit_code == 0, intact.output
    assert f"OK: 6 entries, head {json.loads(lines[-1])['hash']}" in intact.output
    by_folder = runner.invoke(audit_app, ["verify", str(path.parent)])  # OUT/audit.jsonl
    assert by_folder.exit_code == 0 and "OK: 6 entries" in by_folder.output
    copy = save(path, [*lines[:2], *lines[3:]])
    broken = runner.invoke(audit_app, ["verify", str(copy)])
    assert broken.exit_code == 1
    assert "deleted" in broken.output and "FAILED: 1 problem" in broken.output
    recorded = runner.invoke(audit_app, ["verify", str(path), "--count", "7"])
    assert recorded.exit_code == 1 and "truncated" in recorded.output
    missing = runner.invoke(audit_app, ["verify", str(path.parent / "empty")])
    assert missing.exit_code == 2


def test_cli_as_a_subcommand_in_a_real_process(log: tuple[Path, list[bytes]]) -> None:
    path, lines = log
    program = ("import typer\nfrom archml.archive.audit_cli import audit_app\n"
               "app = typer.Typer()\napp.add_typer(audit_app, name='audit')\napp()\n")
    run = [sys.executable, "-c", program, "audit", "verify"]
    intact = subprocess.run([*run, str(path)], capture_output=True, text=True, timeout=120)
    assert intact.returncode == 0, intact.stderr
    assert "OK: 6 entries" in intact.stdout
    swapped = save(path, [*lines[:2], lines[3], lines[2], *lines[4:]])
    broken = subprocess.run([*run, str(swapped)], capture_output=True, text=True, timeout=120)
    assert broken.returncode == 1 and "reordered" in broken.stdout
    assert isinstance(audit_app, typer.Typer)
