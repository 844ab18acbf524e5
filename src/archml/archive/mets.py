"""METS 1.12 structure files of a TT05 package, laid out as E-ARK CSIP 2 lays them out.

The package ``METS.xml`` points at the hồ sơ metadata (``dmdSec``), the package PREMIS
(``amdSec``), the schemas, ``review.csv`` and the representation's own ``METS.xml`` (``mptr``).
The representation ``METS.xml`` points at one ``EAD_doc`` per document, its PREMIS and the data
files. Every reference carries the file's size and SHA-256.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
CSIP_PROFILE = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
_M = f"{{{METS_NS}}}"


@dataclass(frozen=True)
class FileRef:
    """A file the METS points at: XML ID, location relative to the METS file, and fixity."""

    id: str
    href: str
    mimetype: str
    size: int
    sha256: str
    created: str


@dataclass(frozen=True)
class MetsAgent:
    name: str
    type: str
    """``INDIVIDUAL``, ``ORGANIZATION`` or ``OTHER``."""
    othertype: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class DocumentFiles:
    """One document of a representation: its ``EAD_doc`` and its data file."""

    ordinal: int
    label: str
    metadata: FileRef
    data: FileRef


def package_mets(*, objid: str, type_: str, label: str, created: str,
                 agents: Sequence[MetsAgent], ead: FileRef, premis: FileRef,
                 schemas: Sequence[FileRef], review: FileRef,
                 representation: FileRef) -> etree._Element:
    """The package (root) ``METS.xml``."""
    root = _root(objid, type_, label, created, agents, "schemas")
    _md_sec(root, "dmdSec", ead, "OTHER", "TT05 EAD", created)
    _md_sec(_sub(root, "amdSec", ID="amd"), "digiprovMD", premis, "PREMIS", None, created)
    files = _sub(root, "fileSec")
    _file_group(files, "Schemas", schemas)
    _file_group(files, "Review", [review])
    _file_group(files, "Representations/rep1", [representation])
    top = _sub(_sub(root, "structMap", TYPE="PHYSICAL", LABEL="CSIP"), "div", ID="div-package",
               LABEL=objid)
    _sub(top, "div", LABEL="Metadata", DMDID=ead.id, ADMID=premis.id)
    _file_div(top, "Schemas", schemas)
    _file_div(top, "Review", [review])
    rep = _sub(top, "div", LABEL="Representations/rep1")
    _sub(rep, "mptr", _location(representation.href))
    return root


def representation_mets(*, objid: str, label: str, created: str, agents: Sequence[MetsAgent],
                        documents: Sequence[DocumentFiles], premis: FileRef) -> etree._Element:
    """The representation's ``METS.xml`` (``representations/rep1/METS.xml``)."""
    root = _root(objid, "Representation", label, created, agents, "../../schemas")
    for doc in documents:
        _md_sec(root, "dmdSec", doc.metadata, "OTHER", "TT05 EAD_doc", created)
    _md_sec(_sub(root, "amdSec", ID="amd"), "digiprovMD", premis, "PREMIS", None, created)
    group = _sub(_sub(root, "fileSec"), "fileGrp", USE="Data")
    for doc in documents:
        _file(group, doc.data, DMDID=doc.metadata.id, ADMID=premis.id)
    top = _sub(_sub(root, "structMap", TYPE="PHYSICAL", LABEL="CSIP"), "div", ID="div-rep1",
               LABEL="rep1")
    _sub(top, "div", LABEL="Metadata", DMDID=" ".join(d.metadata.id for d in documents),
         ADMID=premis.id)
    data = _sub(top, "div", LABEL="Data")
    for doc in documents:
        div = _sub(data, "div", ORDER=str(doc.ordinal), LABEL=doc.label, DMDID=doc.metadata.id)
        _sub(div, "fptr", FILEID=doc.data.id)
    return root


def _root(objid: str, type_: str, label: str, created: str, agents: Sequence[MetsAgent],
          schemas: str) -> etree._Element:
    root = etree.Element(_M + "mets", {
        "OBJID": objid, "LABEL": label, "TYPE": type_, "PROFILE": CSIP_PROFILE,
        f"{{{XSI_NS}}}schemaLocation": f"{METS_NS} {schemas}/METS.xsd "
                                       f"{XLINK_NS} {schemas}/xlink.xsd"},
        nsmap={"mets": METS_NS, "xlink": XLINK_NS, "xsi": XSI_NS})
    header = _sub(root, "metsHdr", CREATEDATE=created, RECORDSTATUS="NEW")
    for agent in agents:
        attributes = {"ROLE": "CREATOR", "TYPE": agent.type}
        if agent.othertype:
            attributes["OTHERTYPE"] = agent.othertype
        node = _sub(header, "agent", **attributes)
        _sub(node, "name").text = agent.name
        if agent.note:
            _sub(node, "note").text = agent.note
    return root


def _md_sec(parent: etree._Element, section: str, ref: FileRef, mdtype: str,
            othermdtype: str | None, created: str) -> None:
    attributes = {**_location(ref.href), "MDTYPE": mdtype, **_fixity(ref)}
    if othermdtype:
        attributes["OTHERMDTYPE"] = othermdtype
    _sub(_sub(parent, section, ID=ref.id, CREATED=created), "mdRef", attributes)


def _file_group(parent: etree._Element, use: str, refs: Sequence[FileRef]) -> None:
    group = _sub(parent, "fileGrp", USE=use)
    for ref in refs:
        _file(group, ref)


def _file(group: etree._Element, ref: FileRef, **links: str) -> None:
    node = _sub(group, "file", ID=ref.id, **_fixity(ref), **links)
    _sub(node, "FLocat", _location(ref.href))


def _file_div(parent: etree._Element, label: str, refs: Sequence[FileRef]) -> None:
    div = _sub(parent, "div", LABEL=label)
    for ref in refs:
        _sub(div, "fptr", FILEID=ref.id)


def _location(href: str) -> dict[str, str]:
    return {"LOCTYPE": "URL", f"{{{XLINK_NS}}}type": "simple", f"{{{XLINK_NS}}}href": href}


def _fixity(ref: FileRef) -> dict[str, str]:
    return {"MIMETYPE": ref.mimetype, "SIZE": str(ref.size), "CREATED": ref.created,
            "CHECKSUM": ref.sha256, "CHECKSUMTYPE": "SHA-256"}


def _sub(parent: etree._Element, name: str, attributes: dict[str, str] | None = None,
         **more: str) -> etree._Element:
    return etree.SubElement(parent, _M + name, {**(attributes or {}), **more})
