"""PDF/A-2b from :mod:`archml.pdfwriter` output, by an incremental update of our own.

PDFium's API cannot add what PDF/A needs beyond PDFium's own output, so :func:`to_pdfa` appends
one update section to the file (ISO 32000-1 §7.5.6; PDF/A allows incremental updates) with:

* the XMP metadata stream (``pdfaid:part`` 2, ``pdfaid:conformance`` B, title, producer,
  creator tool and ``xmpMM:DocumentID``), uncompressed, referenced as the catalog's ``/Metadata``;
* an sRGB output intent (``/S /GTS_PDFA1``) with its ICC profile (LittleCMS's built-in sRGB
  through Pillow, header date pinned so the bytes never change);
* a document information dictionary that says what the XMP says;
* ``/CIDToGIDMap /Identity`` on PDFium's CIDFontType2 fonts (PDF/A requires the entry; Identity
  is the PDF default, so the text is unchanged);
* a trailer keeping the first ``/ID`` and setting the second to the MD5 of the final file.

The font is embedded by PDFium and the page images are plain DeviceRGB/DeviceGray, which the
output intent covers. Conformance has been checked structurally only: veraPDF is not available
here (see ``docs/packages.md``). Same pages and title give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from functools import cache

from lxml import etree
from PIL import ImageCms

from archml import __version__
from archml.pdfwriter import PageContent, write_pdf

PDFA_PART = 2
PDFA_CONFORMANCE = "B"
FORMAT_NAME = "PDF/A-2b"
PRONOM_KEY = "fmt/477"
"""PRONOM id of PDF/A-2b."""
OUTPUT_CONDITION = "sRGB IEC61966-2.1"

_NS = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
       "dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/",
       "pdf": "http://ns.adobe.com/pdf/1.3/", "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
       "pdfaid": "http://www.aiim.org/pdfa/ns/id/"}
_PACKET_BEGIN = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'.encode()
_PACKET_END = b'\n<?xpacket end="w"?>'
_TAIL = re.compile(rb"trailer\s*<<(?P<trailer>.*?)>>\s*startxref\s*(?P<xref>\d+)\s*%%EOF\s*\Z",
                   re.S)
_DICT_OBJECT = re.compile(rb"(\d+) 0 obj\s*(<<.*>>)\s*endobj\s*", re.S)
_ICC_DATE = slice(24, 36)
_PINNED_DATE = bytes.fromhex("07d0 0001 0001 0000 0000 0000")
"""2000-01-01 00:00:00, in place of the time LittleCMS writes into the profile header."""


class PdfAError(RuntimeError):
    """PDFium's output is not laid out as :func:`to_pdfa` expects (a bug, not bad input)."""


def write_pdfa(pages: Iterable[PageContent], *, title: str, document_id: str,
               jpeg_quality: int | None = None) -> bytes:
    """The two-layer PDF/A-2b of ``pages`` (image + invisible OCR words), as bytes."""
    buffer = io.BytesIO()
    write_pdf(pages, buffer, mode="image+text", jpeg_quality=jpeg_quality)
    return to_pdfa(buffer.getvalue(), title=title, document_id=document_id)


def to_pdfa(pdf: bytes, *, title: str, document_id: str) -> bytes:
    """``pdf`` (written by :func:`archml.pdfwriter.write_pdf`) with a PDF/A-2b update appended;
    ``document_id`` goes to ``xmpMM:DocumentID`` (e.g. ``"uuid:…"``)."""
    tail = _TAIL.search(pdf)
    if tail is None or b"/Prev" in tail["trailer"]:
        raise PdfAError("expected one classic cross-reference section and trailer")
    trailer, startxref = tail["trailer"], int(tail["xref"])
    root = _ref(trailer, b"Root")
    size = _int(trailer, rb"/Size\s+(\d+)")
    info = _ref(trailer, b"Info", required=False) or size
    first_id = re.search(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>", trailer)
    if first_id is None:
        raise PdfAError("PDFium's trailer has no /ID")
    objects = _dict_objects(pdf, startxref)
    metadata, profile = max(size, info + 1), max(size, info + 1) + 1
    creator = f"archml {__version__}"
    updates = {
        root: _extend(objects[root], b"/Metadata %d 0 R/OutputIntents[<</Type/OutputIntent"
                      b"/S/GTS_PDFA1/OutputConditionIdentifier(%s)/RegistryName"
                      b"(http://www.color.org)/Info(%s)/DestOutputProfile %d 0 R>>]"
                      % (metadata, OUTPUT_CONDITION.encode(), OUTPUT_CONDITION.encode(),
                         profile)),
        info: b"<</Title%s/Creator%s/Producer%s>>" % (
            _pdf_text(title), _pdf_text(creator), _pdf_text("PDFium")),
        metadata: _stream(b"/Type/Metadata/Subtype/XML",
                          _xmp(title=title, creator=creator, document_id=document_id)),
        profile: _stream(b"/N 3", srgb_profile()),
    }
    for number, body in objects.items():
        if b"/CIDFontType2" in body and b"/CIDToGIDMap" not in body:
            updates[number] = _extend(body, b"/CIDToGIDMap/Identity")
    return _append_update(pdf, updates, root=root, info=info, prev=startxref,
                          size=max(size, profile + 1), first_id=first_id[1])


@cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile (LittleCMS's, ICC v4, display class) with a fixed header date."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[_ICC_DATE] = _PINNED_DATE
    return bytes(data)


def _xmp(*, title: str, creator: str, document_id: str) -> bytes:
    """The XMP packet: the PDF/A identification and what the info dictionary says."""
    rdf, x = f"{{{_NS['rdf']}}}", f"{{{_NS['x']}}}"
    meta = etree.Element(x + "xmpmeta", nsmap={"x": _NS["x"]})
    rdf_root = etree.SubElement(meta, rdf + "RDF", nsmap={"rdf": _NS["rdf"]})

    def description(prefix: str) -> etree._Element:
        return etree.SubElement(rdf_root, rdf + "Description", {rdf + "about": ""},
                                nsmap={prefix: _NS[prefix]})

    def prop(prefix: str, name: str, value: str) -> None:
        etree.SubElement(description(prefix), f"{{{_NS[prefix]}}}{name}").text = value

    titles = etree.SubElement(etree.SubElement(description("dc"), f"{{{_NS['dc']}}}title"),
                              rdf + "Alt")
    item = etree.SubElement(titles, rdf + "li",
                            {"{http://www.w3.org/XML/1998/namespace}lang": "x-default"})
    item.text = title
    prop("dc", "format", "application/pdf")
    prop("pdf", "Producer", "PDFium")
    prop("xmp", "CreatorTool", creator)
    prop("xmpMM", "DocumentID", document_id)
    prop("pdfaid", "part", str(PDFA_PART))
    prop("pdfaid", "conformance", PDFA_CONFORMANCE)
    return _PACKET_BEGIN + etree.tostring(meta, encoding="UTF-8") + _PACKET_END


def _dict_objects(pdf: bytes, startxref: int) -> dict[int, bytes]:
    """Object number → dictionary of every object that is a plain dictionary (no stream)."""
    end = pdf.find(b"trailer", startxref)
    tokens = pdf[startxref:end].split()
    if not tokens or tokens[0] != b"xref":
        raise PdfAError("expected a classic cross-reference table")
    offsets: dict[int, int] = {}
    i = 1
    while i < len(tokens):
        first, count = int(tokens[i]), int(tokens[i + 1])
        for n in range(count):
            offset, _, kind = tokens[i + 2 + 3 * n: i + 5 + 3 * n]
            if kind == b"n":
                offsets[first + n] = int(offset)
        i += 2 + 3 * count
    bounds = [*sorted(offsets.values()), startxref]
    objects = {}
    for number, offset in offsets.items():
        following = bounds[bounds.index(offset) + 1]
        if pdf.find(b"endstream", offset, following) >= 0:
            continue
        match = _DICT_OBJECT.fullmatch(pdf, offset, following)
        if match and int(match[1]) == number:
            objects[number] = match[2]
    return objects


def _append_update(pdf: bytes, updates: dict[int, bytes], *, root: int, info: int, prev: int,
                   size: int, first_id: bytes) -> bytes:
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\r\n")
    offsets = {}
    for number in sorted(updates):
        offsets[number] = len(out)
        out += b"%d 0 obj\r\n%s\r\nendobj\r\n" % (number, updates[number])
    xref = len(out)
    out += b"xref\r\n"
    for number in sorted(offsets):
        out += b"%d 1\r\n%010d 00000 n\r\n" % (number, offsets[number])
    blank = b"0" * 32
    out += (b"trailer\r\n<</Size %d/Root %d 0 R/Info %d 0 R/Prev %d/ID[<%s><%s>]>>\r\n"
            b"startxref\r\n%d\r\n%%%%EOF\r\n" % (size, root, info, prev, first_id, blank, xref))
    digest = hashlib.md5(out, usedforsecurity=False).hexdigest().upper().encode()
    at = out.rindex(b"<" + blank + b">")
    out[at + 1: at + 33] = digest
    return bytes(out)


def _stream(entries: bytes, data: bytes) -> bytes:
    return b"<<%s/Length %d>>stream\r\n%s\r\nendstream" % (entries, len(data), data)


def _extend(dictionary: bytes, entries: bytes) -> bytes:
    """``<<…>>`` with ``entries`` added before its closing ``>>``."""
    return dictionary[:-2] + entries + b">>"


def _pdf_text(text: str) -> bytes:
    """A PDF text string: UTF-16BE with byte-order mark, as a hex string."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _ref(trailer: bytes, key: bytes, *, required: bool = True) -> int:
    match = re.search(rb"/" + key + rb"\s+(\d+)\s+0\s+R", trailer)
    if match is None:
        if required:
            raise PdfAError(f"PDFium's trailer has no /{key.decode()}")
        return 0
    return int(match[1])


def _int(trailer: bytes, pattern: bytes) -> int:
    match = re.search(pattern, trailer)
    if match is None:
        raise PdfAError(f"PDFium's trailer lacks {pattern!r}")
    return int(match[1])
