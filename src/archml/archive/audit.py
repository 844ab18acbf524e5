"""An append-only, hash-chained audit log of processing events, stored as JSON lines.

Each line is one entry: ``seq`` (0, 1, 2 …), ``time`` (UTC, ISO 8601), ``event``, ``actor``
(user, host, pid, archml version), ``details`` (any JSON: source key and SHA-256, output
SHA-256, model id and checksum …), ``prev`` (the previous entry's hash, :data:`GENESIS` for the
first) and ``hash``: the SHA-256 of the entry's canonical JSON without ``hash`` (sorted keys, no
spaces, UTF-8 without ``\\u`` escapes). Changing, removing, reordering or inserting an entry
breaks the chain, and :func:`verify` names what happened and on which line.

Removing the *last* entries leaves a valid, shorter chain. So after every append the log
atomically rewrites its anchor ``<log>.head`` (``{"count": n, "head": hash}``), which
:func:`verify` checks. Whoever can rewrite the log can rewrite its anchor too: record the head
somewhere else as well (a batch copies it into ``batch.json``, an archive into its hand-over
record) and check against that copy (``archml audit verify LOG --count N --head HASH``).

Appends take an exclusive ``flock`` on the log, read its last entry and write one line, so
processes and threads that share a log cannot interleave or fork the chain. A write cut short
(power loss, full disk) leaves a last line without its newline, and the log refuses appends
until :func:`repair_torn_tail` (``archml audit repair``) moves that line aside and records so.
"""

from __future__ import annotations

import fcntl
import getpass
import json
import os
import re
import socket
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, Literal

from archml import __version__
from archml.archive.fixity import sha256_bytes
from archml.errors import AuditLogCorrupt, InputNotFound
from archml.files import write_atomic

GENESIS = "0" * 64
"""The ``prev`` of the first entry."""

FIELDS = ("seq", "time", "event", "actor", "details", "prev", "hash")

ProblemKind = Literal["edited", "deleted", "reordered", "truncated", "inserted", "malformed",
                      "anchor"]

_BLOCK = 1 << 16
_SEQ = re.compile(rb'"seq"\s*:\s*(\d+)')
_HEX64 = re.compile(r"[0-9a-f]{64}")


def canonical_json(value: Any) -> bytes:
    """The bytes an entry is hashed and stored as: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def entry_hash(entry: Mapping[str, Any]) -> str:
    """SHA-256 of an entry's canonical JSON, leaving out its ``hash``."""
    return sha256_bytes(canonical_json({k: v for k, v in entry.items() if k != "hash"}))


def anchor_path(log: str | os.PathLike[str]) -> Path:
    """Where the anchor of ``log`` lives: ``<log>.head``."""
    log = Path(log)
    return log.with_name(log.name + ".head")


def default_actor() -> dict[str, Any]:
    """Who appends: login name, host name (no network lookup), process id, archml version."""
    return {"user": _user(), "host": socket.gethostname(), "pid": os.getpid(),
            "archml": __version__}


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment nor the password database
        return str(os.getuid())


@dataclass(frozen=True)
class AuditEntry:
    """One line of the log."""

    seq: int
    time: str
    event: str
    actor: dict[str, Any]
    details: dict[str, Any]
    prev: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> bytes:
        """The entry as stored: canonical JSON and a newline."""
        return canonical_json(self.to_dict()) + b"\n"

    @classmethod
    def from_dict(cls, data: Any) -> AuditEntry:
        """Check the fields' presence and types; raises ``ValueError`` naming what is wrong."""
        if not isinstance(data, dict):
            raise ValueError(f"an entry is a JSON object, not {type(data).__name__}")
        missing = [name for name in FIELDS if name not in data]
        if missing:
            raise ValueError("missing " + ", ".join(missing))
        if not _is_count(data["seq"]):
            raise ValueError(f"seq is not a count: {data['seq']!r}")
        for name, kind in (("time", str), ("event", str), ("actor", dict), ("details", dict),
                           ("prev", str), ("hash", str)):
            if not isinstance(data[name], kind):
                raise ValueError(f"{name} is not a JSON {kind.__name__}")
        return cls(**{name: data[name] for name in FIELDS})


@dataclass(frozen=True)
class Anchor:
    """What a log should end with: its number of entries and the last entry's hash."""

    count: int | None = None
    head: str | None = None


def read_anchor(path: str | os.PathLike[str]) -> Anchor | None:
    """The anchor file at ``path`` (``None`` when there is none); ``ValueError`` if damaged."""
    path = Path(path)
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or set(data) != {"count", "head"} \
            or not _is_count(data["count"]) or not _is_sha256(data["head"]):
        raise ValueError(f'{path.name} is not {{"count": n, "head": sha256}}')
    return Anchor(count=data["count"], head=data["head"])


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_sha256(value: Any) -> bool:
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None


def _last_line(handle: BinaryIO) -> bytes:
    """The file's last line, with its newline when it has one; ``b""`` for an empty file."""
    position = handle.seek(0, os.SEEK_END)
    tail = b""
    while position > 0:
        step = min(_BLOCK, position)
        position -= step
        handle.seek(position)
        tail = handle.read(step) + tail
        cut = tail.rfind(b"\n", 0, len(tail) - 1)
        if cut >= 0:
            return tail[cut + 1:]
    return tail


def _parse(raw: bytes) -> tuple[dict[str, Any], AuditEntry]:
    """A line's JSON object and its entry; ``ValueError`` when it is neither."""
    data = json.loads(raw.decode("utf-8"))
    return data, AuditEntry.from_dict(data)


class AuditLog:
    """An audit log file opened for appending.

    Opening an existing log checks its last entry (complete, well-formed, matching its hash)
    and its anchor, and raises :class:`~archml.errors.AuditLogCorrupt` if either is damaged:
    nothing is chained onto a log that was cut or changed. ``actor`` entries override those of
    :func:`default_actor`.
    """

    def __init__(self, path: str | os.PathLike[str], actor: dict[str, Any] | None = None
                 ) -> None:
        self.path = Path(path)
        self.anchor_path = anchor_path(self.path)
        self._actor = dict(actor or {})
        with self._locked() as handle:
            self._last = self._tail(handle)
            self._check_anchor()

    @property
    def count(self) -> int:
        """Entries in the log, as of this process's last read or append."""
        return 0 if self._last is None else self._last.seq + 1

    @property
    def head(self) -> str:
        """Hash of the last entry (:data:`GENESIS` while the log is empty)."""
        return GENESIS if self._last is None else self._last.hash

    def append(self, event: str, **details: Any) -> AuditEntry:
        """Chain one entry onto the log, flush it to disk, then update the anchor.
        ``details`` must be JSON (``TypeError``/``ValueError`` otherwise, nothing written)."""
        if not event:
            raise ValueError("an audit event needs a name")
        with self._locked() as handle:
            last = self._tail(handle)
            entry = self._entry(event, details, last)
            handle.write(entry.line())
            handle.flush()
            os.fsync(handle.fileno())
            self._write_anchor(entry)
        self._last = entry
        return entry

    def _entry(self, event: str, details: dict[str, Any], last: AuditEntry | None
               ) -> AuditEntry:
        body = {"seq": 0 if last is None else last.seq + 1,
                "time": datetime.now(UTC).isoformat(timespec="microseconds"),
                "event": event, "actor": {**default_actor(), **self._actor},
                "details": details, "prev": GENESIS if last is None else last.hash}
        return AuditEntry(**json.loads(canonical_json(body)), hash=entry_hash(body))

    @contextmanager
    def _locked(self) -> Iterator[BinaryIO]:
        """The log opened for appending under an exclusive lock (one per open, so threads of
        one process exclude each other too)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a+b") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield handle
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _tail(self, handle: BinaryIO) -> AuditEntry | None:
        """The last entry, checked; ``None`` for an empty log."""
        raw = _last_line(handle)
        if not raw:
            return None
        if not raw.endswith(b"\n"):
            raise self._corrupt("its last line is incomplete (an interrupted write? `archml "
                                "audit repair` cuts it off and records that)")
        try:
            data, entry = _parse(raw)
        except ValueError as exc:
            raise self._corrupt(f"its last line is not an audit entry ({exc})") from exc
        if entry_hash(data) != entry.hash:
            raise self._corrupt("its last entry does not match its hash: it was changed")
        return entry

    def _check_anchor(self) -> None:
        """The log must end where its anchor says, or one entry later when the process died
        between an append and the anchor update (the anchor is then brought up to date)."""
        try:
            anchor = read_anchor(self.anchor_path)
        except ValueError as exc:
            raise self._corrupt(f"its anchor is damaged ({exc})") from exc
        if anchor is None or (anchor.count, anchor.head) == (self.count, self.head):
            return
        last = self._last
        if last is not None and last.seq == anchor.count and last.prev == anchor.head:
            self._write_anchor(last)
            return
        raise self._corrupt(f"it holds {self.count} entries (head {self.head}) but its anchor "
                            f"{self.anchor_path.name} records {anchor.count} (head "
                            f"{anchor.head}): entries were removed or changed")

    def _write_anchor(self, last: AuditEntry) -> None:
        anchor = {"count": last.seq + 1, "head": last.hash}
        write_atomic(self.anchor_path, json.dumps(anchor) + "\n", durable=True)

    def _corrupt(self, why: str) -> AuditLogCorrupt:
        return AuditLogCorrupt(f"refusing to append to the audit log: {why}; run `archml audit "
                               "verify` to see what happened", source=str(self.path))


@dataclass(frozen=True)
class TornTail:
    """An interrupted write cut off the end of a log by :func:`repair_torn_tail`."""

    saved_to: Path
    size: int
    sha256: str


def repair_torn_tail(path: str | os.PathLike[str]) -> TornTail | None:
    """Cut an interrupted write (a last line without its newline) off a log whose entries
    before it are intact, keep the cut bytes in ``<log>.torn-<UTC time>``, and chain an
    ``audit.repaired`` entry naming them. ``None`` when the log ends with a complete line.
    Raises :class:`~archml.errors.AuditLogCorrupt`, changing nothing, when anything else is
    wrong (an edited, removed or reordered entry is evidence, not something to repair)."""
    path = Path(path)
    if not path.is_file():
        raise InputNotFound(f"no audit log at {path}", source=str(path))
    with path.open("r+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            content = handle.read()
            if not content or content.endswith(b"\n"):
                return None
            keep = content.rfind(b"\n") + 1
            _check_prefix(path, content[:keep])
            torn = content[keep:]
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            saved = path.with_name(f"{path.name}.torn-{stamp}")
            write_atomic(saved, torn, durable=True)
            handle.truncate(keep)
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    tail = TornTail(saved_to=saved, size=len(torn), sha256=sha256_bytes(torn))
    AuditLog(path).append("audit.repaired", torn_file=saved.name, torn_bytes=tail.size,
                          torn_sha256=tail.sha256)
    return tail


def _check_prefix(path: Path, prefix: bytes) -> None:
    """Raise unless ``prefix`` (the log without its torn line) verifies against the log's
    anchor."""
    try:
        anchor = read_anchor(anchor_path(path))
    except ValueError as exc:
        raise AuditLogCorrupt(f"not repaired: its anchor is damaged ({exc})",
                              source=str(path)) from exc
    check = path.with_name(f".{path.name}.{os.getpid()}.check")
    try:
        check.write_bytes(prefix)
        report = verify(check, count=anchor.count if anchor else None,
                        head=anchor.head if anchor else None)
    finally:
        check.unlink(missing_ok=True)
    if not report.ok:
        raise AuditLogCorrupt("not repaired: besides its torn last line the log has "
                              f"{len(report.problems)} problem(s); run `archml audit verify`",
                              source=str(path))


@dataclass(frozen=True)
class AuditProblem:
    """One finding of :func:`verify`. ``line`` is 1-based (``None`` for the anchor file)."""

    line: int | None
    seq: int | None
    kind: ProblemKind
    message: str


@dataclass
class AuditReport:
    """What :func:`verify` found."""

    path: Path
    entries: int
    """Lines read that hold an entry (malformed lines not counted)."""
    head: str | None
    """Hash of the last entry read."""
    anchor: Anchor | None
    """The count and head the log was checked against (``None``: no anchor, so a removed
    tail cannot be seen)."""
    problems: list[AuditProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Record:
    """What verification needs of one well-formed line."""

    line: int
    seq: int
    prev: str
    hash: str
    intact: bool
    """The content still matches the stored hash."""


class _Verifier:
    """Reads a log once and classifies everything wrong with it (see :func:`verify`)."""

    def __init__(self, path: Path, anchor: Anchor | None) -> None:
        self.path = path
        self.anchor = anchor
        self.problems: list[AuditProblem] = []
        self.records: list[_Record] = []
        self.filled: dict[int, int] = {}
        """Seq a malformed line stands for → its line (read from the line or presumed)."""
        self.lines = 0
        self.last_seq = -1
        self.inserted: set[int] = set()

    def run(self) -> list[AuditProblem]:
        self._read()
        genuine = self._anchored_inserts(self.records)
        genuine = self._duplicate_inserts(genuine)
        genuine = self._reordered(genuine)
        self._edited_in_place(genuine)
        self._gaps(genuine)
        self._links(genuine)
        self._head(genuine)
        return sorted(self.problems, key=lambda p: (p.line or 0, p.seq or 0))

    def _add(self, line: int | None, seq: int | None, kind: ProblemKind, message: str) -> None:
        self.problems.append(AuditProblem(line, seq, kind, message))

    def _read(self) -> None:
        with self.path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                self.lines = number
                self._read_line(number, raw)

    def _read_line(self, number: int, raw: bytes) -> None:
        if not raw.endswith(b"\n"):
            return self._malformed(number, raw, "incomplete last line (an interrupted write?)")
        if not raw.strip():
            return self._malformed(number, raw, "blank line")
        try:
            data, entry = _parse(raw)
        except ValueError as exc:
            return self._malformed(number, raw, f"not an audit entry: {exc}")
        self.records.append(_Record(number, entry.seq, entry.prev, entry.hash,
                                    entry_hash(data) == entry.hash))
        self.last_seq = entry.seq
        return None

    def _malformed(self, number: int, raw: bytes, why: str) -> None:
        found = _SEQ.search(raw)
        self.last_seq = int(found[1]) if found else self.last_seq + 1
        self.filled.setdefault(self.last_seq, number)
        if not found:
            why += f" (presumably seq {self.last_seq})"
        self._add(number, self.last_seq if found else None, "malformed", why)

    def _edited_in_place(self, records: list[_Record]) -> None:
        for r in records:
            if not r.intact:
                self._add(r.line, r.seq, "edited",
                          "content no longer matches its hash: changed after it was written")

    def _anchored_inserts(self, records: list[_Record]) -> list[_Record]:
        """Entries beyond the anchored count (or after the anchored head) were added later."""
        count = self._anchored_count()
        if count is None:
            return records
        for r in records:
            if r.seq >= count:
                self._insert(r, f"entry seq {r.seq} lies beyond the anchored {count} entries: "
                                "added after the log was anchored (or the process died before "
                                "updating the anchor)")
        return [r for r in records if r.seq < count]

    def _anchored_count(self) -> int | None:
        if self.anchor is None:
            return None
        if self.anchor.count is not None:
            return self.anchor.count
        at = [r.seq for r in self.records if r.hash == self.anchor.head]
        return at[0] + 1 if at else None

    def _duplicate_inserts(self, records: list[_Record]) -> list[_Record]:
        """Of several entries with one seq, keep the one the chain runs through."""
        by_seq: dict[int, list[_Record]] = defaultdict(list)
        for r in records:
            by_seq[r.seq].append(r)
        hashes_by_seq = {seq: {r.hash for r in group} for seq, group in by_seq.items()}
        children = {(r.seq, r.prev) for r in records}
        for seq, group in by_seq.items():
            if len(group) < 2:
                continue
            before = {GENESIS} if seq == 0 else hashes_by_seq.get(seq - 1, set())
            keep = max(group, key=lambda r: ((seq + 1, r.hash) in children, r.prev in before,
                                             r.intact, -r.line))
            for r in group:
                if r is not keep:
                    self._insert(r, f"a second entry with seq {seq}: the chain runs through "
                                    f"line {keep.line}")
        return [r for r in records if r.line not in self.inserted]

    def _insert(self, r: _Record, message: str) -> None:
        self.inserted.add(r.line)
        self._add(r.line, r.seq, "inserted", message)

    def _reordered(self, records: list[_Record]) -> list[_Record]:
        """Entries off the longest run of rising seqs were moved, or forged when nothing in the
        log links to them nor they to it."""
        keep = _rising(records)
        kept = {r.line for r in keep}
        seqs = [r.seq for r in keep]
        hashes = {r.hash for r in records} | {GENESIS}
        linked = {r.prev for r in records}
        for r in records:
            if r.line in kept:
                continue
            if r.prev not in hashes and r.hash not in linked:
                self._insert(r, f"entry seq {r.seq} is out of place and chained to nothing in "
                                "the log: forged")
                continue
            self._add(r.line, r.seq, "reordered", _misplaced(r, keep, seqs))
        return [r for r in records if r.line not in self.inserted]

    def _gaps(self, records: list[_Record]) -> None:
        """Seqs missing between entries were deleted; missing after the last, truncated."""
        at = dict(self.filled) | {r.seq: r.line for r in records}
        present = sorted(at)
        last = present[-1] if present else -1
        expected = 0
        for seq in present:
            if seq > expected:
                self._add(at[seq], expected, "deleted",
                          f"{_entries(expected, seq - 1)} missing before this line: deleted")
            expected = seq + 1
        count = self._anchored_count()
        if count is not None and last < count - 1:
            self._add(self.lines + 1, last + 1, "truncated",
                      f"the log ends at seq {last} (line {self.lines}) but its anchor records "
                      f"{count} entries: {_entries(last + 1, count - 1)} removed from the end")

    def _links(self, records: list[_Record]) -> None:
        """An intact entry must name the hash of the intact entry before it."""
        by_seq = {r.seq: r for r in records}
        for r in records:
            if not r.intact:
                continue
            if r.seq == 0 and r.prev != GENESIS:
                self._add(r.line, 0, "edited", "the first entry does not start from the "
                                               "genesis value: it was replaced")
            before = by_seq.get(r.seq - 1)
            if before is not None and before.intact and r.prev != before.hash:
                self._add(before.line, before.seq, "edited",
                          f"changed and re-hashed: entry seq {r.seq} (line {r.line}) was "
                          f"chained to {r.prev[:12]}…, this entry now hashes to "
                          f"{before.hash[:12]}…")

    def _head(self, records: list[_Record]) -> None:
        """The last entry must carry the anchored head."""
        if self.anchor is None or self.anchor.head is None:
            return
        count = self._anchored_count()
        if count is None:
            self._add(self.lines + 1, None, "truncated",
                      f"no entry has the anchored head {self.anchor.head[:12]}…: the tail was "
                      "removed or its last entry changed")
            return
        last = max(records, key=lambda r: r.seq, default=None)
        if last is not None and last.seq == count - 1 and last.intact \
                and last.hash != self.anchor.head:
            self._add(last.line, last.seq, "edited",
                      f"the last entry hashes to {last.hash[:12]}…, not the anchored head "
                      f"{self.anchor.head[:12]}…: it was changed and re-hashed (or the chain "
                      "rewritten)")


def _rising(records: list[_Record]) -> list[_Record]:
    """A longest subsequence (file order) of strictly rising seqs (patience sorting)."""
    tails: list[int] = []
    ends: list[int] = []
    back: list[int] = []
    for i, r in enumerate(records):
        k = bisect_left(tails, r.seq)
        if k == len(tails):
            tails.append(r.seq)
            ends.append(i)
        else:
            tails[k], ends[k] = r.seq, i
        back.append(ends[k - 1] if k else -1)
    run: list[_Record] = []
    i = ends[-1] if ends else -1
    while i >= 0:
        run.append(records[i])
        i = back[i]
    return run[::-1]


def _misplaced(r: _Record, keep: list[_Record], seqs: list[int]) -> str:
    """Where a moved entry belongs among the entries in order (``keep``, whose ``seqs`` rise)."""
    k = bisect_left(seqs, r.seq)
    if k == 0:
        return f"entry seq {r.seq} is out of order: it belongs first"
    before = keep[k - 1]
    return (f"entry seq {r.seq} is out of order: it belongs after seq {before.seq} "
            f"(line {before.line})")


def _entries(first: int, last: int) -> str:
    """``entry seq 4`` or ``3 entries (seq 4–6)``."""
    if first == last:
        return f"entry seq {first}"
    return f"{last - first + 1} entries (seq {first}–{last})"


def verify(path: str | os.PathLike[str], *, count: int | None = None,
           head: str | None = None) -> AuditReport:
    """Check a log's chain and name each problem (edited, deleted, reordered, inserted,
    truncated, malformed, anchor). ``count`` and ``head`` are what the log should end with, as
    recorded elsewhere (give either or both); without them the ``<log>.head`` anchor is used
    when there is one. Raises :class:`~archml.errors.InputNotFound` when ``path`` is not a
    file."""
    path = Path(path)
    if not path.is_file():
        raise InputNotFound(f"no audit log at {path}", source=str(path))
    problems: list[AuditProblem] = []
    anchor = _expected(path, count, head, problems)
    verifier = _Verifier(path, anchor)
    problems += verifier.run()
    last = max(verifier.records, key=lambda r: r.line, default=None)
    return AuditReport(path=path, entries=len(verifier.records),
                       head=None if last is None else last.hash, anchor=anchor,
                       problems=problems)


def _expected(path: Path, count: int | None, head: str | None,
              problems: list[AuditProblem]) -> Anchor | None:
    """The given count and head, or else those of the anchor file (never a mix: the file may
    have been rewritten along with the log)."""
    if count is not None or head is not None:
        return Anchor(count=count, head=None if head is None else head.lower())
    try:
        return read_anchor(anchor_path(path))
    except ValueError as exc:
        problems.append(AuditProblem(None, None, "anchor", f"damaged anchor: {exc}"))
        return None
