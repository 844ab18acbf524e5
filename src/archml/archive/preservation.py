"""The PREMIS records of a package: its agents, one file object and three events per document
(digitisation, metadata extraction, fixity check) and the package creation event.

Identifiers are UUIDv5 in :data:`ID_NAMESPACE` from the content (the source's SHA-256, the
package ``OBJID``), so a rebuild gives the same ones. Times are ISO 8601 in Vietnam time.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from archml import __version__
from archml.archive.pdfa import FORMAT_NAME, PRONOM_KEY
from archml.archive.premis import DIGITISATION_EVENT, Agent, Event, FileObject
from archml.result import Result

ID_NAMESPACE = uuid.UUID("5f3c2a4e-9b7d-5e21-8c1a-4a6f0d2b7e93")
"""UUIDv5 namespace of every identifier archml puts in a package."""
VIETNAM = timezone(timedelta(hours=7))


def content_id(name: str) -> str:
    """The UUIDv5 of ``name`` in :data:`ID_NAMESPACE`."""
    return str(uuid.uuid5(ID_NAMESPACE, name))


def vietnam_time(iso: str | None = None) -> str:
    """An ISO 8601 time (UTC when it has no offset; now when ``None``) at ``+07:00``."""
    moment = datetime.fromisoformat(iso) if iso else datetime.now(VIETNAM)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Agents:
    """archml (the software) and the person who ran the digitisation."""

    software: Agent
    operator: Agent

    @classmethod
    def of(cls, operator: str) -> Agents:
        return cls(Agent(content_id(f"agent:software:archml:{__version__}"), "archml",
                         "software", __version__),
                   Agent(content_id(f"agent:person:{operator}"), operator, "person"))

    @property
    def all(self) -> tuple[Agent, Agent]:
        return self.software, self.operator


@dataclass(frozen=True)
class PackagedFile:
    """A document's data file in a package, and where it came from."""

    key: str
    result: Result
    id: str
    href: str
    sha256: str
    size: int
    source_sha256: str
    pages: int
    dpi: float


def file_records(files: Sequence[PackagedFile], representation: str, agents: Agents,
                 checked_at: str) -> tuple[list[FileObject], list[Event]]:
    """One PREMIS file object and its three events per packaged file."""
    objects, events = [], []
    run = (agents.software.id, "executing program")
    for f in files:
        prov = f.result.provenance
        when = vietnam_time(prov.created)
        ocr = " ".join(v for v in (prov.ocr_engine, prov.ocr_version) if v) or "none"
        model = " ".join(prov.model.get(k, "") for k in ("id", "version")).strip() \
            if prov.model else "none (rules only)"
        ids = [content_id(f"{f.id}/{name}") for name in ("digitisation", "extraction", "fixity")]
        events += [
            Event(ids[0], DIGITISATION_EVENT, when,
                  f"Số hóa (digitisation): {f.pages} page(s) at {f.dpi:g} dpi, page images "
                  f"with the OCR text layer ({ocr}) as {FORMAT_NAME}; source {f.key}, "
                  f"SHA-256 {f.source_sha256}",
                  agents=((agents.operator.id, "implementer"), run),
                  objects=((f.id, "outcome"),)),
            Event(ids[1], "metadata extraction", when,
                  f"Classification and TT05 field extraction by archml {prov.archml_version}, "
                  f"model {model}, taxonomy {prov.taxonomy_version}, OCR {ocr}, stages "
                  + (" → ".join(prov.stages) or "none"),
                  notes=tuple(f"needs review: {r}" for r in f.result.review_reasons),
                  agents=(run,), objects=((f.id, "source"),)),
            Event(ids[2], "fixity check", checked_at,
                  f"SHA-256 of the source {f.key} checked against the batch Result before "
                  "packaging", notes=(f"SHA-256 {f.source_sha256}",),
                  agents=(run,), objects=((f.id, "source"),)),
        ]
        objects.append(FileObject(f.id, f.href, f.sha256, f.size, "PDF/A", "2b", PRONOM_KEY,
                                  ("archml", __version__), f.key, representation, tuple(ids)))
    return objects, events


def creation_event(objid: str, representation: str, detail: str, agents: Agents,
                   created: str) -> Event:
    """The ``information package creation`` event of package ``objid``."""
    return Event(content_id(f"{objid}/creation"), "information package creation", created,
                 detail, agents=((agents.software.id, "executing program"),
                                 (agents.operator.id, "implementer")),
                 objects=((representation, "outcome"),))
