"""``archml batch``: classify a whole collection, resumably, with an audit trail.

Per document, in this order: the Result (and the gzip'd Document tree) is written atomically
and flushed to disk, the journal row is marked finished, the audit log gets a
``document.processed`` entry. A crash anywhere leaves each document either finished (exactly
one result) or not (processed again on the next run); a finished document whose audit entry was
lost to the crash gets it when the job resumes. Tables, review queue and report are rebuilt
from the journal and the result files at the end of every run, so they always agree.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from archml import __version__
from archml.archive.audit import AuditLog
from archml.archive.fixity import sha256_bytes, sha256_file
from archml.batch.collection import is_url, scan
from archml.batch.engines import Engine, EngineName, Processed
from archml.batch.journal import Journal, JournalEntry
from archml.batch.layout import OutputLayout
from archml.batch.report import write_report
from archml.batch.tables import write_tables
from archml.errors import ConfigError, ProcessingError
from archml.files import write_atomic
from archml.pipeline import PipelineConfig
from archml.result import Result


class BatchOptions(BaseModel):
    """How a batch runs (not what it computes: that is the :class:`PipelineConfig`)."""

    model_config = ConfigDict(extra="forbid")

    engine: EngineName = "local"
    jobs: int = Field(default=1, ge=1)
    """Worker processes (local) or actors (Ray)."""
    retry_failed: bool = False
    """Process documents that failed in an earlier run again."""
    ray_address: str | None = None
    """An existing Ray cluster (``ray://…`` or ``auto``); ``None`` starts a local one."""
    gpus_per_actor: float = Field(default=0.0, ge=0.0)
    """GPUs each Ray actor reserves (GPU nodes running GPU-built ONNX models)."""


@dataclass
class BatchSummary:
    """What a run did and where the collection stands."""

    out: Path
    documents: int
    """Documents in the journal (the whole collection so far)."""
    processed: int
    """Documents processed in this run."""
    pages: int
    failed: int
    needs_review: int
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0


Progress = Callable[[Processed], None]
Planned = Callable[[int, int], None]
"""Called once with (documents to process now, documents already finished)."""


def run_batch(source: str | Path, out: str | Path, config: PipelineConfig | None = None,
              options: BatchOptions | None = None, *, on_planned: Planned | None = None,
              on_processed: Progress | None = None) -> BatchSummary:
    """Process every document under ``source`` into ``out`` (see :mod:`archml.batch.layout`);
    rerunning with the same arguments resumes."""
    config = config or PipelineConfig()
    options = options or BatchOptions()
    if is_url(source) and options.engine == "local":
        raise ConfigError("the local engine reads local folders; use the Ray engine for URLs "
                          f"({source})")
    layout = OutputLayout(Path(out))
    layout.root.mkdir(parents=True, exist_ok=True)
    started = time.time()
    with Journal(layout.journal) as journal:
        _check_settings(journal, source, config)
        journal.add(scan(source, known=journal.known_hash))
        if options.retry_failed:
            journal.retry_failed()
        audit = AuditLog(layout.audit)
        _recover_audit(layout, journal, audit)
        todo = journal.unfinished()
        if on_planned:
            on_planned(len(todo), len(journal.entries()) - len(todo))
        audit.append("batch.started", source=str(source), engine=options.engine,
                     jobs=options.jobs, settings_sha256=_settings_hash(config),
                     to_process=len(todo))
        processed = pages = 0
        engine = _engine(config, options)
        try:
            journal.begin(e.key for e in todo)
            for done in engine.run(e.item for e in todo):
                _record(layout, journal, audit, _checked(done, config))
                processed += 1
                pages += done.pages
                if on_processed:
                    on_processed(done)
        finally:
            engine.close()
        seconds = time.time() - started
        summary = _finish(layout, journal, audit, source, config, options, started)
    return BatchSummary(out=layout.root, documents=summary["documents"], processed=processed,
                        pages=pages, failed=summary["counts"].get("failed", 0),
                        needs_review=summary["needs_review"], seconds=seconds,
                        counts=summary["counts"])


def _engine(config: PipelineConfig, options: BatchOptions) -> Engine:
    if options.engine == "ray":
        from archml.batch.ray_engine import RayEngine

        return RayEngine(config, actors=options.jobs, address=options.ray_address,
                         gpus_per_actor=options.gpus_per_actor)
    from archml.batch.local import LocalEngine

    return LocalEngine(config, jobs=options.jobs)


def _settings_hash(config: PipelineConfig) -> str:
    return hashlib.sha256(config.model_dump_json().encode()).hexdigest()


def _check_settings(journal: Journal, source: str | Path, config: PipelineConfig) -> None:
    """A folder holds one collection read with one configuration: refuse to mix."""
    wanted = {"source": str(source), "settings_sha256": _settings_hash(config)}
    for name, value in wanted.items():
        known = journal.get_meta(name)
        if known is None:
            journal.set_meta(name, value)
        elif known != value:
            raise ConfigError(f"{journal.path.parent} was started with another {name.split('_')[0]}"
                              f" ({known}); resume with the same one or use a new --out folder")


def _checked(done: Processed, config: PipelineConfig) -> Processed:
    """An error Result when the file changed between hashing and reading."""
    found = done.result.source.sha256
    if done.result.status == "ok" and found != done.item.sha256:
        error = ProcessingError(f"the file changed while the batch ran (SHA-256 {found} "
                                f"≠ {done.item.sha256})", source=done.item.uri)
        done.result = Result.from_error(error, done.item.uri, done.result.provenance)
        done.document = None
    return done


def _record(layout: OutputLayout, journal: Journal, audit: AuditLog, done: Processed) -> None:
    key, result = done.item.key, done.result
    payload = result.model_dump_json(indent=1).encode()
    document_sha = None
    if done.document is not None:
        packed = gzip.compress(json.dumps(done.document, ensure_ascii=False).encode(), mtime=0)
        write_atomic(layout.document(key), packed, durable=True)
        document_sha = sha256_bytes(packed)
    write_atomic(layout.result(key), payload, durable=True)
    result_sha = sha256_bytes(payload)
    error = result.error
    journal.finish(key, status="done" if result.status == "ok" else "failed", pages=done.pages,
                   result_sha256=result_sha, seconds=done.seconds,
                   error_type=error.type if error else None,
                   error_message=error.message if error else None)
    audit.append("document.processed", **_compact(
        key=key, source_sha256=done.item.sha256, result_sha256=result_sha,
        document_sha256=document_sha, status=result.status,
        error_type=error.type if error else None, pages=done.pages,
        model=result.provenance.model))


def _compact(**details: Any) -> dict[str, Any]:
    return {k: v for k, v in details.items() if v is not None}


def _recover_audit(layout: OutputLayout, journal: Journal, audit: AuditLog) -> None:
    """Audit entries for documents finished just before a crash took their entry with it."""
    audited = {entry["details"].get("key") for entry in _audit_entries(layout.audit)
               if entry.get("event") == "document.processed"}
    for entry in journal.entries("done", "failed"):
        if entry.key not in audited:
            audit.append("document.processed", key=entry.key, source_sha256=entry.sha256,
                         result_sha256=entry.result_sha256, status=(
                             "ok" if entry.status == "done" else "error"),
                         pages=entry.pages, recovered=True)


def _audit_entries(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def load_results(layout: OutputLayout, entries: list[JournalEntry]) -> list[tuple[str, Result]]:
    """The finished documents' Results, each checked against its journal checksum."""
    results = []
    for entry in entries:
        if entry.status not in ("done", "failed"):
            continue
        payload = layout.result(entry.key).read_bytes()
        if sha256_bytes(payload) != entry.result_sha256:
            raise ProcessingError(f"{layout.result(entry.key)} does not match the journal's "
                                  "checksum: it was changed after the batch wrote it")
        results.append((entry.key, Result.model_validate_json(payload)))
    return results


def _finish(layout: OutputLayout, journal: Journal, audit: AuditLog, source: str | Path,
            config: PipelineConfig, options: BatchOptions, started: float) -> dict[str, Any]:
    entries = journal.entries()
    results = load_results(layout, entries)
    outputs = write_tables(layout, results)
    counts = journal.counts()
    manifest: dict[str, Any] = {
        "archml_version": __version__, "source": str(source), "options": options.model_dump(),
        "settings": config.model_dump(mode="json"), "settings_sha256": _settings_hash(config),
        "documents": len(entries), "counts": counts,
        "pages": sum(e.pages for e in entries),
        "needs_review": sum(r.needs_review for _, r in results),
        "run": {"started": started, "finished": time.time()},
    }
    write_report(layout.report, entries, [r for _, r in results], title=f"archml batch: {source}",
                 started=started, summary=manifest)
    outputs["report.html"] = str(layout.report)
    checksums = {name: sha256_file(path) for name, path in sorted(outputs.items())}
    last = audit.append("batch.finished", counts=counts, outputs=checksums)
    manifest["outputs"] = checksums
    manifest["audit"] = {"entries": last.seq + 1, "head": last.hash}
    write_atomic(layout.manifest, json.dumps(manifest, ensure_ascii=False, indent=1),
                 durable=True)
    return manifest

