"""Recognise input formats by their magic bytes, never by file name."""

from __future__ import annotations

import codecs

PDF = "application/pdf"
TIFF = "image/tiff"
PNG = "image/png"
JPEG = "image/jpeg"
SUPPORTED_MIMES = frozenset({PDF, TIFF, PNG, JPEG})

SNIFF_BYTES = 1024
"""How many leading bytes :func:`sniff_mime` looks at (PDF readers accept ``%PDF-`` anywhere in
the first kilobyte)."""

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"II+\x00", TIFF),  # BigTIFF
    (b"MM\x00+", TIFF),
)

_OTHER_KINDS: tuple[tuple[bytes, int, str], ...] = (
    (b"PK\x03\x04", 0, "a ZIP archive or an Office document (DOCX, XLSX, ODT)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "an old Office document (DOC, XLS)"),
    (b"GIF8", 0, "a GIF image"),
    (b"BM", 0, "a BMP image"),
    (b"WEBP", 8, "a WebP image"),
    (b"ftypheic", 4, "a HEIC photo"),
    (b"ftypmif1", 4, "a HEIF photo"),
    (b"ftypavif", 4, "an AVIF image"),
    (b"\x00\x00\x00\x0cjP  ", 0, "a JPEG 2000 image"),
    (b"\xff\x4f\xff\x51", 0, "a JPEG 2000 codestream"),
    (b"AT&TFORM", 0, "a DjVu document"),
    (b"{\\rtf", 0, "an RTF document"),
    (b"Rar!", 0, "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7-Zip archive"),
    (b"\x1f\x8b", 0, "a gzip archive"),
)


def sniff_mime(head: bytes) -> str | None:
    """The MIME type of a supported input from its first bytes, or ``None``.

    Recognises PDF, TIFF (classic and BigTIFF), PNG and JPEG. Pass at least
    :data:`SNIFF_BYTES` bytes; never raises, whatever the bytes.
    """
    head = bytes(head[:SNIFF_BYTES])
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    if b"%PDF-" in head:
        return PDF
    return None


def describe_unsupported(head: bytes) -> str:
    """A short phrase naming what an unsupported input looks like, for error messages."""
    head = bytes(head[:SNIFF_BYTES])
    for magic, offset, kind in _OTHER_KINDS:
        if head[offset : offset + len(magic)] == magic:
            return kind
    text = head.lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html")):
        return "a web page (HTML)"
    if text.startswith(b"<?xml"):
        return "an XML file"
    if head and _looks_like_text(head):
        return "a text file"
    return "a file of an unknown kind"


def _looks_like_text(head: bytes) -> bool:
    try:  # incremental: a multi-byte character cut off at the end of ``head`` is fine
        decoded = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in "\r\n\t" for ch in decoded)
