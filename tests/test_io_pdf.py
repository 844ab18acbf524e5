"""archml.io on PDFs: hand-written ones (text layer, rotation, encryption) and the samples."""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from archml.document import Box, nfc
from archml.errors import CorruptInput, EmptyInput, EncryptedInput, ImageTooLarge, TooManyPages
from archml.io import ReadConfig, open_document, read

LETTER = "0 0 612 792"
HELLO = b"BT /F1 36 Tf 72 680 Td (HELLO WORLD) Tj ET"

# ---------------------------------------------------------------- a tiny PDF writer


def build_pdf(pages: list[tuple[str, bytes, str]], *, encrypt: Encryption | None = None) -> bytes:
    """A PDF of ``(mediabox, content stream, extra page entries)`` pages, Helvetica as /F1."""
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    kids = []
    number = 4
    for mediabox, content, extra in pages:
        page_id, content_id = number, number + 1
        number += 2
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [{mediabox}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R {extra} >>"
        ).encode()
        body = encrypt.stream(content_id, content) if encrypt else content
        objects[content_id] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body)
        kids.append(f"{page_id} 0 R")
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    trailer = b""
    if encrypt:
        objects[number] = encrypt.dictionary()
        trailer = b"/Encrypt %d 0 R /ID [<%s> <%s>]" % (
            number,
            encrypt.file_id.hex().encode(),
            encrypt.file_id.hex().encode(),
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, objects[num])
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[i] for i in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        trailer,
        xref,
    )
    return bytes(out)


def rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


class Encryption:
    """The PDF standard security handler, revision 2 (RC4, 40-bit), as in PDF 1.7 §7.6.3."""

    PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
    PERMISSIONS = -4

    def __init__(self, user: str, owner: str) -> None:
        self.file_id = hashlib.md5(b"archml test").digest()
        padded_user = (user.encode() + self.PAD)[:32]
        owner_key = hashlib.md5((owner.encode() + self.PAD)[:32]).digest()[:5]
        self.owner_entry = rc4(owner_key, padded_user)
        seed = padded_user + self.owner_entry + struct.pack("<i", self.PERMISSIONS) + self.file_id
        self.key = hashlib.md5(seed).digest()[:5]
        self.user_entry = rc4(self.key, self.PAD)

    def dictionary(self) -> bytes:
        return b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
            self.owner_entry.hex().encode(),
            self.user_entry.hex().encode(),
            self.PERMISSIONS,
        )

    def stream(self, number: int, data: bytes) -> bytes:
        object_key = hashlib.md5(self.key + number.to_bytes(3, "little") + b"\x00\x00").digest()
        return rc4(object_key[:10], data)


# ---------------------------------------------------------------- helpers


def ink_box(image: np.ndarray) -> Box:
    """The box around the dark pixels of a rendered page."""
    grey = image.mean(axis=2) if image.ndim == 3 else image
    ys, xs = np.nonzero(grey < 128)
    return Box(float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1))


def iou(a: Box, b: Box) -> float:
    inter = a.intersection_area(b)
    return inter / (a.area + b.area - inter)


def read_step(page) -> dict:
    return next(step.params for step in page.source.steps if step.name == "read")


# ---------------------------------------------------------------- text layer


@pytest.mark.parametrize(
    ("extra", "size", "rotation"),
    [
        ("", (612, 792), 0),
        ("/Rotate 90", (792, 612), 90),
        ("/CropBox [40 300 560 760]", (520, 460), 0),
        ("/Rotate 270 /CropBox [40 300 560 760]", (460, 520), 270),
    ],
)
def test_text_layer_boxes_land_on_the_ink(extra: str, size: tuple[int, int], rotation: int) -> None:
    data = build_pdf([(LETTER, HELLO, extra)])
    page = read(data, ReadConfig(dpi=72)).pages[0]
    assert (page.width, page.height) == size == page.image.shape[1::-1]
    assert [w.text for w in page.text_layer] == ["HELLO", "WORLD"]
    assert all(w.confidence is None for w in page.text_layer)
    words = Box.enclosing(w.box for w in page.text_layer)
    assert iou(words, ink_box(page.image)) > 0.85
    hello = page.text_layer[0].box
    crop = page.image[int(hello.y0) : int(hello.y1) + 1, int(hello.x0) : int(hello.x1) + 1]
    assert (crop < 128).mean() > 0.15  # the box holds ink, not blank paper
    assert read_step(page)["pdf_rotation"] == rotation


def test_boxes_scale_with_dpi() -> None:
    data = build_pdf([(LETTER, HELLO, "")])
    low = read(data, ReadConfig(dpi=72)).pages[0]
    high = read(data, ReadConfig(dpi=144)).pages[0]
    assert (high.width, high.height) == (1224, 1584)
    assert high.source.dpi == 144 and read_step(high)["dpi_assumed"] is False
    for a, b in zip(low.text_layer, high.text_layer, strict=True):
        assert np.allclose(np.array(b.box), 2 * np.array(a.box), atol=1.0)


def test_pages_without_text_have_no_text_layer() -> None:
    data = build_pdf([(LETTER, b"0 0 0 rg 100 100 200 200 re f", ""), (LETTER, HELLO, "")])
    with open_document(data) as reader:
        blank = reader.load_page(0)
    assert blank.text_layer is None and read_step(blank)["text_words"] == 0
    off = read(data, ReadConfig(dpi=36, text_layer=False)).pages[1]
    assert off.text_layer is None


# ---------------------------------------------------------------- bad PDFs


def test_encrypted_pdf(tmp_path: Path) -> None:
    data = build_pdf([(LETTER, HELLO, "")], encrypt=Encryption(user="secret", owner="boss"))
    unlocked = pdfium.PdfDocument(data, password="secret")  # a real, valid encrypted PDF
    assert "HELLO" in unlocked[0].get_textpage().get_text_range()
    path = tmp_path / "locked.pdf"
    path.write_bytes(data)
    with pytest.raises(EncryptedInput, match="password-protected") as caught:
        open_document(path)
    assert isinstance(caught.value, CorruptInput) and caught.value.source == str(path)
    assert str(caught.value).startswith(f"{path}: the PDF is password-protected")


def test_pdf_with_owner_password_only_opens() -> None:
    data = build_pdf([(LETTER, HELLO, "")], encrypt=Encryption(user="", owner="boss"))
    page = read(data, ReadConfig(dpi=36)).pages[0]
    assert [w.text for w in page.text_layer] == ["HELLO", "WORLD"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"%PDF-1.4\nthis is not a PDF body at all", CorruptInput),
        (build_pdf([(LETTER, HELLO, "")])[:200], CorruptInput),
        (build_pdf([]), EmptyInput),
    ],
)
def test_broken_and_empty_pdfs(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        read(data, name="upload.pdf")
    assert caught.value.source == "upload.pdf"


def test_page_limits_are_checked_before_rendering(tmp_path: Path) -> None:
    path = tmp_path / "three.pdf"
    path.write_bytes(build_pdf([(LETTER, HELLO, "")] * 3))
    with pytest.raises(TooManyPages, match="3 pages, more than the 2"):
        open_document(path, ReadConfig(max_pages=2))
    huge = build_pdf([("0 0 14400 14400", b"", ""), (LETTER, b"", "")])
    with open_document(huge) as reader:  # opening is cheap: nothing rendered yet
        assert reader.n_pages == 2
        with pytest.raises(ImageTooLarge, match="page 1 at 300 dpi"):
            reader.load_page(0)
        assert reader.load_page(1).width == 2550
    tiny = build_pdf([("0 0 1 1", b"", "")])
    with pytest.raises(ImageTooLarge, match="min_side"):
        read(tiny, ReadConfig(dpi=72))


def test_pdf_bytes_and_path_agree_and_file_is_untouched(tmp_path: Path) -> None:
    data = build_pdf([(LETTER, HELLO, ""), (LETTER, b"", "")])
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    path.chmod(0o444)
    mtime = path.stat().st_mtime_ns
    config = ReadConfig(dpi=36)
    from_path, from_bytes = read(path, config), read(data, config)
    assert from_path.source.sha256 == from_bytes.source.sha256 == hashlib.sha256(data).hexdigest()
    assert from_path.source.n_pages == 2 and from_path.source.mime == "application/pdf"
    for a, b in zip(from_path.pages, from_bytes.pages, strict=True):
        assert np.array_equal(a.image, b.image) and a.text_layer == b.text_layer
    assert path.read_bytes() == data and path.stat().st_mtime_ns == mtime


# ---------------------------------------------------------------- the bundled samples


def test_born_digital_sample_has_vietnamese_text_layer(samples_dir: Path) -> None:
    with open_document(samples_dir / "vbhc13.pdf", ReadConfig(dpi=50)) as reader:
        assert reader.n_pages == 2
        page = reader.load_page(0)
    words = [w.text for w in page.text_layer]
    assert all(w == nfc(w) for w in words)
    text = " ".join(words)
    assert "QUẢNG NGÃI" in text and "THÔNG BÁO" in text
    assert "542" in words  # typed into a form field, read by flattening it in memory
    assert read_step(page)["annotations_flattened"] > 0
    for word in page.text_layer:
        assert 0 <= word.box.x0 < word.box.x1 <= page.width
        assert 0 <= word.box.y0 < word.box.y1 <= page.height


def test_scanned_sample_renders_a4_at_300_dpi(samples_dir: Path) -> None:
    with open_document(samples_dir / "vbhc01.pdf") as reader:
        assert reader.n_pages == 2
        page = reader.load_page(0)
    assert page.image.shape == (page.height, page.width, 3) and page.image.dtype == np.uint8
    assert page.source.dpi == 300
    # its only text is a digital-signature box: no text layer, OCR reads the box from the render
    assert page.text_layer is None and read_step(page)["annotations_flattened"] == 0
    assert abs(page.width / 300 * 25.4 - 210) < 5 and abs(page.height / 300 * 25.4 - 297) < 5
    assert page.image.mean() > 150  # a page, not a black render


def test_every_sample_opens_with_its_page_count(samples_dir: Path, sample_labels: dict) -> None:
    for sample_id, label in sample_labels.items():
        path = samples_dir / f"{sample_id}.pdf"
        if path.exists():
            with open_document(path) as reader:
                assert reader.n_pages == label["pages"], sample_id


def test_annotations_flatten_in_a_pdf_without_forms(samples_dir: Path) -> None:
    """pypdfium2's page.flatten() refuses documents without a form environment; we don't."""
    path = next((samples_dir.parent / "catalogue").rglob("*.003.pdf"))
    pdf = pdfium.PdfDocument(path)
    assert pdf.get_formtype() == pdfium_c.FORMTYPE_NONE
    pdf.close()
    with open_document(path, ReadConfig(dpi=50)) as reader:
        page = reader.load_page(0)
    assert read_step(page)["annotations_flattened"] > 0
