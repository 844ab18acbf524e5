"""Circular 05/2025 archival information packages (``AIP_hoso``, ``AIP_tailieu``) from a batch
output folder: ``archml package OUT --as aip-hoso|aip-tailieu --dest PKG``.

``aip-hoso`` makes one package per hồ sơ, i.e. per folder of document keys (keys at the
collection root form one hồ sơ); ``aip-tailieu`` one package of all documents as loose
documents. Each package (layout in ``docs/packages.md``) holds, per document, a PDF/A-2b with
the page images and the OCR words as invisible text, and its ``EAD_doc``; the hồ sơ ``EAD``,
PREMIS (SHA-256 fixity, digitisation, extraction and fixity-check events, agents), METS, the
XSDs, and ``review.csv`` listing every flagged value. Every XML file is validated before it is
written. A source whose SHA-256 differs from its Result's is not packaged
(:class:`~archml.errors.FixityMismatch`); the other documents are. Packages are built in a
hidden folder and renamed into place, and ids are UUIDv5 from the content, so rebuilding gives
the same ``OBJID``\\s. Sources are only ever read.
"""

from __future__ import annotations

import csv
import getpass
import io
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from archml import __version__
from archml.archive.audit import AuditLog
from archml.archive.batchout import BatchOutput
from archml.archive.ead import Metadata, ead_doc, ead_hoso, ead_tailieu
from archml.archive.fixity import sha256_bytes, sha256_file
from archml.archive.mets import (
    DocumentFiles,
    FileRef,
    MetsAgent,
    package_mets,
    representation_mets,
)
from archml.archive.pages import page_contents
from archml.archive.pdfa import write_pdfa
from archml.archive.premis import Representation, premis
from archml.archive.preservation import (
    Agents,
    PackagedFile,
    content_id,
    creation_event,
    file_records,
    vietnam_time,
)
from archml.archive.validation import PACKAGE_SCHEMAS, SCHEMA_DIR, check
from archml.document import nfc
from archml.errors import ArchmlError, ConfigError, FixityMismatch, ProcessingError
from archml.io import ReadConfig
from archml.result import ErrorInfo

PACKAGE_TYPES: dict[str, str] = {"aip-hoso": "AIP_hoso", "aip-tailieu": "AIP_tailieu"}
REVIEW_COLUMNS = ("file", "document", "element", "value", "reason")
_CODE_LENGTH = 92
"""Longest hồ sơ code: ``docCode`` adds ``.`` and a 7-digit ordinal within String(100)."""


@dataclass(frozen=True)
class FlaggedField:
    """A value written into a package that a person should check."""

    package: str
    file: str
    """The metadata file, relative to the package folder."""
    key: str | None
    """The document's key; ``None`` for the hồ sơ (package) metadata."""
    element: str
    value: str
    reason: str


@dataclass(frozen=True)
class PackageInfo:
    objid: str
    path: Path
    code: str
    """The hồ sơ code (``arcFileCode``)."""
    documents: tuple[str, ...]
    flagged: int


@dataclass
class PackageReport:
    """What :func:`build_packages` did."""

    kind: str
    dest: Path
    packages: list[PackageInfo] = field(default_factory=list)
    flagged: list[FlaggedField] = field(default_factory=list)
    errors: dict[str, ErrorInfo] = field(default_factory=dict)
    """Document key → why it was not packaged."""

    @property
    def documents(self) -> int:
        return sum(len(p.documents) for p in self.packages)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Group:
    """The documents of one package."""

    code: str
    title: str
    title_reason: str | None
    keys: tuple[tuple[int, str], ...]
    """(ordinal, key) pairs."""


@dataclass(frozen=True)
class _Packed:
    """One document written into a package folder."""

    ordinal: int
    stem: str
    ead: Metadata
    ead_file: FileRef
    pdf_file: FileRef
    file: PackagedFile


class _ResultFailed(Exception):
    """The batch could not process the document: its Result carries the error."""

    def __init__(self, error: ErrorInfo) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass(frozen=True)
class _Context:
    batch: BatchOutput
    kind: str
    created: str
    agents: Agents


def build_packages(out_dir: str | Path, kind: str, dest: str | Path, *,
                   operator: str | None = None) -> PackageReport:
    """Build the ``kind`` packages of the batch output ``out_dir`` under ``dest``.

    Raises :class:`~archml.errors.ConfigError` when ``out_dir`` is not a batch output or
    ``kind`` is unknown; problems with single documents are reported, not raised.
    """
    if kind not in PACKAGE_TYPES:
        raise ConfigError(f"unknown package kind {kind!r}; use one of "
                          + ", ".join(PACKAGE_TYPES))
    batch = BatchOutput.open(out_dir)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    context = _Context(batch, kind, vietnam_time(), Agents.of(operator or _user()))
    report = PackageReport(kind, dest)
    for group in _groups(batch, kind):
        _build_package(context, group, dest, report)
    _audit(batch, report)
    return report


def _audit(batch: BatchOutput, report: PackageReport) -> None:
    """Record the packaging in the batch's audit log (when the batch has one)."""
    if not batch.layout.audit.exists():
        return
    packages = [{"objid": p.objid, "path": str(p.path), "documents": len(p.documents),
                 "mets_sha256": sha256_file(p.path / "METS.xml")} for p in report.packages]
    AuditLog(batch.layout.audit).append(
        "package.built", kind=report.kind, dest=str(report.dest), packages=packages,
        errors={key: error.type for key, error in report.errors.items()})


def _groups(batch: BatchOutput, kind: str) -> list[_Group]:
    keys = batch.keys()
    collection = batch.collection_name
    if kind == "aip-tailieu":
        return [_Group(_code(collection), collection, None, tuple(enumerate(keys, 1)))]
    folders: dict[str, list[str]] = {}
    for key in keys:
        folders.setdefault(key.rpartition("/")[0], []).append(key)
    return [_Group(_code(folder.replace("/", ".") or collection),
                   folder.rpartition("/")[2] or collection,
                   "taken from the folder name; set the hồ sơ title",
                   tuple(enumerate(members, 1)))
            for folder, members in sorted(folders.items())]


def _build_package(context: _Context, group: _Group, dest: Path,
                   report: PackageReport) -> None:
    work = Path(tempfile.mkdtemp(prefix=".archml-package-", dir=dest))
    try:
        packed = []
        for ordinal, key in group.keys:
            try:
                packed.append(_pack_document(context, group, ordinal, key, work))
            except ArchmlError as exc:
                report.errors[key] = ErrorInfo(**{k: v or "" for k, v in exc.export().items()
                                                  if k != "source"})
            except _ResultFailed as failed:
                report.errors[key] = failed.error
        if packed:
            report.packages.append(_finish_package(context, group, packed, work, dest, report))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _pack_document(context: _Context, group: _Group, ordinal: int, key: str,
                   work: Path) -> _Packed:
    """Check the source, write the document's PDF/A and ``EAD_doc`` into ``work``."""
    batch = context.batch
    result = batch.result(key)
    if result.status != "ok" or result.error is not None:
        raise _ResultFailed(result.error or ErrorInfo(type="ProcessingError",
                                                      code=ProcessingError.code,
                                                      message="the batch could not read it"))
    source = batch.source(key, result)
    found = sha256_file(source)
    if found != result.source.sha256:
        raise FixityMismatch(f"the source changed since the batch read it (SHA-256 {found}, "
                             f"the Result says {result.source.sha256})", source=key)
    stem = f"{group.code}.{ordinal}"
    file_id = content_id(f"file:{found}")
    ead = ead_doc(result, arc_file_code=group.code, doc_code=f"{group.code}.{ordinal:07d}",
                  ordinal=ordinal,
                  review_threshold=float(result.provenance.settings.get("review_threshold",
                                                                        0.6)))
    ead_data = ead.to_bytes()
    ead_href = f"metadata/descriptive/EAD_doc_{stem}.xml"
    check(ead_data, "EAD_doc.xsd", ead_href)
    document = batch.document(key)
    read = ReadConfig.model_validate(result.provenance.settings.get("read", {}))
    try:
        pdf = write_pdfa(page_contents(source, document, read),
                         title=ead.text("subject") or stem, document_id=f"uuid:{file_id}")
    except ArchmlError:
        raise
    except Exception as exc:  # a library failure on odd input: report it, package the rest
        raise ProcessingError(f"the PDF/A could not be written: {type(exc).__name__}: {exc}",
                              source=key) from exc
    rep = work / "representations" / "rep1"
    ead_file = _write(rep, ead_href, ead_data, f"dmd-{ordinal}", "text/xml", context.created)
    pdf_file = _write(rep, f"data/{stem}.pdf", pdf, f"file-{ordinal}", "application/pdf",
                      context.created)
    return _Packed(ordinal, stem, ead, ead_file, pdf_file, PackagedFile(
        key, result, file_id, pdf_file.href, pdf_file.sha256, pdf_file.size, found,
        len(document.pages), document.pages[0].source.dpi if document.pages else 0.0))


def _finish_package(context: _Context, group: _Group, packed: Sequence[_Packed], work: Path,
                    dest: Path, report: PackageReport) -> PackageInfo:
    """Write the package-level files into ``work`` and move it to its ``OBJID`` folder."""
    kind, created = context.kind, context.created
    objid = "urn:uuid:" + content_id(
        "\n".join([kind, group.code, *sorted(p.file.source_sha256 for p in packed)]))
    folder = objid.replace(":", "_")
    rep_id = content_id(f"{objid}/rep1")
    rep = work / "representations" / "rep1"
    agents = _mets_agents(context.agents)

    objects, events = file_records([p.file for p in packed], rep_id, context.agents, created)
    rep_premis = _xml(rep, "metadata/preservation/PREMIS_rep1.xml", "digiprov-premis",
                      premis(objects, events, context.agents.all,
                             schema_location="../../../../schemas/PREMIS.xsd"),
                      "PREMIS.xsd", created)
    rep_mets = _xml(work, "representations/rep1/METS.xml", "file-rep1-mets", representation_mets(
        objid=f"urn:uuid:{rep_id}", label=group.title, created=created, agents=agents,
        documents=[DocumentFiles(p.ordinal, p.stem, p.ead_file, p.pdf_file) for p in packed],
        premis=rep_premis), "METS.xsd", created)

    if kind == "aip-hoso":
        ead = ead_hoso([p.ead for p in packed], arc_file_code=group.code, title=group.title,
                       title_reason=group.title_reason)
    else:
        ead = ead_tailieu(arc_file_code=group.code, title=group.title,
                          source=context.batch.collection_name)
    ead_ref = _xml(work, "metadata/descriptive/EAD.xml", "dmd-ead", ead.root,
                   PACKAGE_SCHEMAS[kind]["EAD.xsd"], created)
    creation = creation_event(
        objid, rep_id, f"{PACKAGE_TYPES[kind]} built by archml {__version__} from the batch "
        f"output {context.batch.layout.root.resolve().name}: {len(packed)} document(s)",
        context.agents, created)
    package_premis = _xml(work, "metadata/preservation/PREMIS.xml", "digiprov-premis",
                          premis([Representation(rep_id, "representations/rep1",
                                                 (creation.id,))], [creation],
                                 context.agents.all, schema_location="../../schemas/PREMIS.xsd"),
                          "PREMIS.xsd", created)
    schemas = [_write(work, f"schemas/{name}", (SCHEMA_DIR / shipped).read_bytes(),
                      f"schema-{i}", "text/xml", created)
               for i, (name, shipped) in enumerate(sorted(PACKAGE_SCHEMAS[kind].items()), 1)]

    flagged = [FlaggedField(folder, ead_ref.href, None, f.element, f.value, f.reason)
               for f in ead.flags]
    flagged += [FlaggedField(folder, f"representations/rep1/{p.ead_file.href}", p.file.key,
                             f.element, f.value, f.reason) for p in packed for f in p.ead.flags]
    review = _write(work, "review.csv", _review_csv(flagged), "file-review", "text/csv",
                    created)
    _xml(work, "METS.xml", "mets", package_mets(
        objid=objid, type_=PACKAGE_TYPES[kind], label=group.title, created=created,
        agents=agents, ead=ead_ref, premis=package_premis, schemas=schemas, review=review,
        representation=rep_mets), "METS.xsd", created)

    final = dest / folder
    _move_into_place(work, final)
    report.flagged.extend(flagged)
    return PackageInfo(objid, final, group.code, tuple(p.file.key for p in packed),
                       len(flagged))


def _mets_agents(agents: Agents) -> list[MetsAgent]:
    return [MetsAgent(agents.software.name, "OTHER", "SOFTWARE",
                      f"VERSION={agents.software.version}"),
            MetsAgent(agents.operator.name, "INDIVIDUAL")]


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown operator"


def _code(name: str) -> str:
    """A hồ sơ code usable in file names: letters, digits, ``.``, ``-`` and ``_``."""
    return re.sub(r"[^\w.-]+", "_", nfc(name)).strip("._")[:_CODE_LENGTH] or "hoso"


def _write(base: Path, href: str, data: bytes, id_: str, mimetype: str,
           created: str) -> FileRef:
    """Write ``data`` to ``base/href``; its METS reference."""
    path = base / href
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return FileRef(id_, href, mimetype, len(data), sha256_bytes(data), created)


def _xml(base: Path, href: str, id_: str, root: etree._Element, schema_name: str,
         created: str) -> FileRef:
    """Validate the tree ``root`` against ``schema_name``, then write it."""
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    check(data, schema_name, href)
    return _write(base, href, data, id_, "text/xml", created)


def _review_csv(flags: Sequence[FlaggedField]) -> bytes:
    """``review.csv``: UTF-8 with a byte-order mark, so Excel shows Vietnamese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(REVIEW_COLUMNS)
    for f in flags:
        writer.writerow((f.file, f.key or "", f.element, f.value, f.reason))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _move_into_place(work: Path, final: Path) -> None:
    """Rename ``work`` to ``final``, replacing an earlier build of the same package."""
    if final.exists():
        old = final.with_name(f".{final.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        final.rename(old)
        work.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        work.rename(final)


__all__ = ["PACKAGE_TYPES", "FlaggedField", "PackageInfo", "PackageReport", "build_packages"]
