"""The batch journal: one sqlite row per source document, so a job resumes where it stopped.

A document is finished once its row says ``done`` (a Result) or ``failed`` (an error Result);
its result file was written atomically before the row changed, so after a crash (even
``kill -9``) every finished row has exactly one result and every other row is processed again.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from archml.batch.engines import WorkItem

Status = Literal["pending", "running", "done", "failed"]
FINISHED: tuple[Status, ...] = ("done", "failed")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    key TEXT PRIMARY KEY,
    uri TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime REAL NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending',
    pages INTEGER NOT NULL DEFAULT 0,
    result_sha256 TEXT,
    error_type TEXT,
    error_message TEXT,
    seconds REAL,
    finished REAL,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class JournalEntry:
    """One source document as the journal knows it."""

    key: str
    uri: str
    sha256: str
    size: int
    mtime: float
    status: Status
    pages: int = 0
    result_sha256: str | None = None
    """SHA-256 of the result file (``results/<key>.json``)."""
    error_type: str | None = None
    error_message: str | None = None
    seconds: float | None = None
    """Wall seconds spent on the document."""
    finished: float | None = None
    """Unix time the document finished."""
    attempts: int = 0

    @property
    def item(self) -> WorkItem:
        return WorkItem(key=self.key, uri=self.uri, sha256=self.sha256, size=self.size,
                        mtime=self.mtime)


class Journal:
    """A sqlite journal (WAL, synchronous commits) of a batch output folder."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def add(self, items: Iterable[WorkItem]) -> int:
        """Record new documents as pending; a known key whose content changed starts over.
        Returns how many documents are new or changed."""
        changed = 0
        with self._transaction() as db:
            for item in items:
                row = db.execute("SELECT sha256 FROM documents WHERE key = ?",
                                 (item.key,)).fetchone()
                if row is not None and row[0] == item.sha256:
                    db.execute("UPDATE documents SET uri = ?, mtime = ? WHERE key = ?",
                               (item.uri, item.mtime, item.key))
                    continue
                db.execute("INSERT OR REPLACE INTO documents (key, uri, sha256, size, mtime) "
                           "VALUES (?, ?, ?, ?, ?)",
                           (item.key, item.uri, item.sha256, item.size, item.mtime))
                changed += 1
        return changed

    def known_hash(self, key: str, size: int, mtime: float) -> str | None:
        """The SHA-256 recorded for ``key`` if the file still has that size and time."""
        row = self._db.execute("SELECT sha256 FROM documents WHERE key = ? AND size = ? "
                               "AND mtime = ?", (key, size, mtime)).fetchone()
        return None if row is None else row[0]

    def begin(self, keys: Iterable[str]) -> None:
        """Mark documents as handed to an engine (counts an attempt each)."""
        with self._transaction() as db:
            db.executemany("UPDATE documents SET status = 'running', attempts = attempts + 1 "
                           "WHERE key = ?", ((key,) for key in keys))

    def finish(self, key: str, *, status: Status, pages: int, result_sha256: str,
               seconds: float, error_type: str | None = None,
               error_message: str | None = None) -> None:
        """Mark ``key`` finished (call after its result file is in place)."""
        if status not in FINISHED:
            raise ValueError(f"finish() takes one of {FINISHED}, not {status!r}")
        with self._transaction() as db:
            db.execute("UPDATE documents SET status = ?, pages = ?, result_sha256 = ?, "
                       "error_type = ?, error_message = ?, seconds = ?, finished = ? "
                       "WHERE key = ?", (status, pages, result_sha256, error_type,
                                         error_message, seconds, time.time(), key))

    def retry_failed(self) -> int:
        """Send failed documents back to pending; returns how many."""
        with self._transaction() as db:
            return db.execute("UPDATE documents SET status = 'pending' "
                              "WHERE status = 'failed'").rowcount

    def entries(self, *statuses: Status) -> list[JournalEntry]:
        """Documents in key order, all of them or those with the given statuses."""
        query = "SELECT * FROM documents"
        if statuses:
            query += f" WHERE status IN ({', '.join('?' * len(statuses))})"
        cursor = self._db.execute(query + " ORDER BY key", statuses)
        names = [c[0] for c in cursor.description]
        return [JournalEntry(**dict(zip(names, row, strict=True))) for row in cursor]

    def unfinished(self) -> list[JournalEntry]:
        return self.entries("pending", "running")

    def counts(self) -> dict[str, int]:
        rows = self._db.execute("SELECT status, COUNT(*) FROM documents GROUP BY status")
        return dict(rows)

    def get_meta(self, name: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, name: str, value: str) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
