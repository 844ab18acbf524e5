"""Jobs on disk: one sqlite file holds every job, its documents' bytes until they are read,
and their results, so a restarted server carries on where it stopped.

A job is a list of items (documents). Items go ``queued`` → ``running`` → ``done`` (with a
Result, ``status="error"`` for a document that failed); :meth:`JobStore.recover` puts items
left ``running`` by a stopped server back in the queue. A job is ``done`` when all its items
are. A job is deleted, results and all, when its owner asks (:meth:`JobStore.delete`) or when
it has been done longer than the retention period (:meth:`JobStore.purge`). Each call opens its
own connection, so the store may be used from any thread.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from archml.api.uploads import Upload

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, key TEXT NOT NULL,
  state TEXT NOT NULL, options TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (
  job_seq INTEGER NOT NULL REFERENCES jobs(seq), idx INTEGER NOT NULL, name TEXT,
  mime TEXT NOT NULL, size INTEGER NOT NULL, data BLOB, state TEXT NOT NULL, result TEXT,
  PRIMARY KEY (job_seq, idx));
CREATE INDEX IF NOT EXISTS items_state ON items(state, job_seq, idx);
"""


@dataclass(frozen=True)
class Claimed:
    """An item taken from the queue: what a worker needs to read it."""

    job_id: str
    job_seq: int
    index: int
    name: str | None
    data: bytes
    options: dict[str, Any]


def _now(before: timedelta = timedelta(0)) -> str:
    """A UTC timestamp (``before`` ago); the fixed format sorts as text in time order."""
    return (datetime.now(UTC) - before).isoformat(timespec="milliseconds")


class JobStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            yield db
        finally:
            db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def create(self, key: str, uploads: Sequence[Upload], options: dict[str, Any]) -> str:
        """Store a new queued job; returns its id."""
        job_id, now = uuid.uuid4().hex, _now()
        with self._transaction() as db:
            seq = db.execute("INSERT INTO jobs (id, key, state, options, created, updated) "
                             "VALUES (?, ?, 'queued', ?, ?, ?)",
                             (job_id, key, json.dumps(options), now, now)).lastrowid
            db.executemany("INSERT INTO items (job_seq, idx, name, mime, size, data, state) "
                           "VALUES (?, ?, ?, ?, ?, ?, 'queued')",
                           [(seq, i, u.name, u.mime, len(u.data), u.data)
                            for i, u in enumerate(uploads)])
        return job_id

    def recover(self) -> int:
        """Requeue items a stopped server left running; returns how many."""
        with self._transaction() as db:
            return db.execute("UPDATE items SET state = 'queued' WHERE state = 'running'"
                              ).rowcount

    def claim(self) -> Claimed | None:
        """Take the oldest queued item (oldest job first) and mark it running."""
        with self._transaction() as db:
            row = db.execute(
                "SELECT j.id, j.seq, i.idx, i.name, i.data, j.options FROM items i "
                "JOIN jobs j ON j.seq = i.job_seq WHERE i.state = 'queued' "
                "ORDER BY i.job_seq, i.idx LIMIT 1").fetchone()
            if row is None:
                return None
            job_id, seq, index, name, data, options = row
            db.execute("UPDATE items SET state = 'running' WHERE job_seq = ? AND idx = ?",
                       (seq, index))
            db.execute("UPDATE jobs SET state = 'running', updated = ? WHERE seq = ?",
                       (_now(), seq))
        return Claimed(job_id, seq, index, name, data, json.loads(options))

    def finish(self, job_seq: int, index: int, result: dict[str, Any]) -> None:
        """Store an item's result, drop its bytes, and close the job after its last item."""
        with self._transaction() as db:
            db.execute("UPDATE items SET state = 'done', result = ?, data = NULL "
                       "WHERE job_seq = ? AND idx = ?",
                       (json.dumps(result, ensure_ascii=False), job_seq, index))
            left = db.execute("SELECT COUNT(*) FROM items WHERE job_seq = ? AND state != 'done'",
                              (job_seq,)).fetchone()[0]
            db.execute("UPDATE jobs SET state = ?, updated = ? WHERE seq = ?",
                       ("running" if left else "done", _now(), job_seq))

    def delete(self, job_id: str, key: str) -> bool:
        """Delete a job, its documents and its results, if ``key`` owns it; an item being read
        finishes into nothing."""
        with self._transaction() as db:
            row = db.execute("SELECT seq FROM jobs WHERE id = ? AND key = ?",
                             (job_id, key)).fetchone()
            if row is not None:
                self._drop(db, [row[0]])
        return row is not None

    def purge(self, older_than: timedelta) -> int:
        """Delete the jobs done for longer than ``older_than``; returns how many."""
        with self._transaction() as db:
            seqs = [seq for (seq,) in db.execute(
                "SELECT seq FROM jobs WHERE state = 'done' AND updated < ?", (_now(older_than),))]
            self._drop(db, seqs)
        return len(seqs)

    @staticmethod
    def _drop(db: sqlite3.Connection, seqs: list[int]) -> None:
        for table, column in (("items", "job_seq"), ("jobs", "seq")):
            db.executemany(f"DELETE FROM {table} WHERE {column} = ?", [(s,) for s in seqs])

    def unfinished(self) -> int:
        with self._connect() as db:
            return db.execute("SELECT COUNT(*) FROM jobs WHERE state != 'done'").fetchone()[0]

    def get(self, job_id: str, key: str) -> dict[str, Any] | None:
        """A job and its items (results included) as JSON, if ``key`` owns it."""
        with self._connect() as db:
            job = db.execute("SELECT seq, state, created, updated FROM jobs "
                             "WHERE id = ? AND key = ?", (job_id, key)).fetchone()
            if job is None:
                return None
            seq, state, created, updated = job
            items = db.execute("SELECT idx, name, size, state, result FROM items "
                               "WHERE job_seq = ? ORDER BY idx", (seq,)).fetchall()
        entries = [{"index": idx, "name": name, "size_bytes": size, "state": item_state,
                    "result": json.loads(result) if result else None}
                   for idx, name, size, item_state, result in items]
        done = [e["result"] for e in entries if e["state"] == "done"]
        return {"id": job_id, "state": state, "created": created, "updated": updated,
                "progress": {"total": len(entries), "done": len(done),
                             "failed": sum(r["status"] == "error" for r in done)},
                "items": entries}
