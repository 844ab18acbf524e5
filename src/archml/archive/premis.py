"""PREMIS 3.0 preservation metadata: objects with SHA-256 fixity, events, agents.

Plain records in, one ``<premis:premis>`` tree out, in the element order of ``premis.xsd`` 3.0
(and of archml's subset, ``schemas/PREMIS.xsd``). Identifiers are UUIDs (type ``UUID``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

PREMIS_NS = "http://www.loc.gov/premis/v3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_P = f"{{{PREMIS_NS}}}"

DIGITISATION_EVENT = "transfer"
"""Circular 05/2025 records digitisation as a PREMIS event of type ``transfer`` (§1.7)."""


@dataclass(frozen=True)
class Agent:
    id: str
    name: str
    type: str
    """``software``, ``person`` or ``organization``."""
    version: str | None = None


@dataclass(frozen=True)
class FileObject:
    """A file of the package: its identity, location, fixity and format."""

    id: str
    href: str
    """Location relative to the PREMIS file's representation (``data/x.pdf``)."""
    sha256: str
    size: int
    format_name: str
    format_version: str | None = None
    pronom: str | None = None
    application: tuple[str, str] | None = None
    """(name, version) of the program that created the file."""
    original_name: str | None = None
    representation: str | None = None
    """Identifier of the representation the file belongs to."""
    events: tuple[str, ...] = ()


@dataclass(frozen=True)
class Representation:
    id: str
    href: str
    events: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    datetime: str
    """ISO 8601 with its UTC offset."""
    detail: str
    outcome: str = "success"
    notes: tuple[str, ...] = ()
    agents: tuple[tuple[str, str], ...] = ()
    """(agent id, role) pairs."""
    objects: tuple[tuple[str, str], ...] = ()
    """(object id, role) pairs."""


def premis(objects: Sequence[FileObject | Representation], events: Sequence[Event],
           agents: Sequence[Agent], *, schema_location: str) -> etree._Element:
    """The ``<premis:premis version="3.0">`` tree of ``objects``, ``events`` and ``agents``."""
    root = etree.Element(_P + "premis", {"version": "3.0",
                                         f"{{{XSI_NS}}}schemaLocation":
                                             f"{PREMIS_NS} {schema_location}"},
                         nsmap={"premis": PREMIS_NS, "xsi": XSI_NS})
    for obj in objects:
        _object(root, obj)
    for event in events:
        _event(root, event)
    for agent in agents:
        _agent(root, agent)
    return root


def _object(root: etree._Element, obj: FileObject | Representation) -> None:
    kind = "file" if isinstance(obj, FileObject) else "representation"
    node = _sub(root, "object", **{f"{{{XSI_NS}}}type": f"premis:{kind}"})
    _pair(node, "objectIdentifier", "UUID", obj.id)
    if isinstance(obj, FileObject):
        characteristics = _sub(node, "objectCharacteristics")
        _sub(characteristics, "compositionLevel", "0")
        fixity = _sub(characteristics, "fixity")
        _sub(fixity, "messageDigestAlgorithm", "SHA-256")
        _sub(fixity, "messageDigest", obj.sha256)
        _sub(fixity, "messageDigestOriginator", "archml")
        _sub(characteristics, "size", str(obj.size))
        fmt = _sub(characteristics, "format")
        designation = _sub(fmt, "formatDesignation")
        _sub(designation, "formatName", obj.format_name)
        if obj.format_version:
            _sub(designation, "formatVersion", obj.format_version)
        if obj.pronom:
            registry = _sub(fmt, "formatRegistry")
            _sub(registry, "formatRegistryName", "PRONOM")
            _sub(registry, "formatRegistryKey", obj.pronom)
        if obj.application:
            application = _sub(characteristics, "creatingApplication")
            _sub(application, "creatingApplicationName", obj.application[0])
            _sub(application, "creatingApplicationVersion", obj.application[1])
        if obj.original_name:
            _sub(node, "originalName", obj.original_name)
    location = _sub(_sub(node, "storage"), "contentLocation")
    _sub(location, "contentLocationType", "URI")
    _sub(location, "contentLocationValue", obj.href)
    if isinstance(obj, FileObject) and obj.representation:
        relationship = _sub(node, "relationship")
        _sub(relationship, "relationshipType", "structural")
        _sub(relationship, "relationshipSubType", "is included in")
        _pair(relationship, "relatedObjectIdentifier", "UUID",
              obj.representation)
    for event in obj.events:
        _pair(node, "linkingEventIdentifier", "UUID", event)


def _event(root: etree._Element, event: Event) -> None:
    node = _sub(root, "event")
    _pair(node, "eventIdentifier", "UUID", event.id)
    _sub(node, "eventType", event.type)
    _sub(node, "eventDateTime", event.datetime)
    _sub(_sub(node, "eventDetailInformation"), "eventDetail", event.detail)
    outcome = _sub(node, "eventOutcomeInformation")
    _sub(outcome, "eventOutcome", event.outcome)
    for note in event.notes:
        _sub(_sub(outcome, "eventOutcomeDetail"), "eventOutcomeDetailNote", note)
    for agent, role in event.agents:
        link = _pair(node, "linkingAgentIdentifier", "UUID", agent)
        _sub(link, "linkingAgentRole", role)
    for obj, role in event.objects:
        link = _pair(node, "linkingObjectIdentifier", "UUID", obj)
        _sub(link, "linkingObjectRole", role)


def _agent(root: etree._Element, agent: Agent) -> None:
    node = _sub(root, "agent")
    _pair(node, "agentIdentifier", "UUID", agent.id)
    _sub(node, "agentName", agent.name)
    _sub(node, "agentType", agent.type)
    if agent.version:
        _sub(node, "agentVersion", agent.version)


def _pair(parent: etree._Element, name: str, kind: str, value: str) -> etree._Element:
    """``<name><nameType>kind</nameType><nameValue>value</nameValue></name>``."""
    node = _sub(parent, name)
    _sub(node, f"{name}Type", kind)
    _sub(node, f"{name}Value", value)
    return node


def _sub(parent: etree._Element, name: str, text: str | None = None,
         **attributes: str) -> etree._Element:
    node = etree.SubElement(parent, _P + name, attributes)
    if text is not None:
        node.text = text
    return node
