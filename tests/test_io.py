"""archml.io on images built here: formats, DPI, orientation, limits and typed errors."""

from __future__ import annotations

import hashlib
import io
import pickle
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pydantic import ValidationError

from archml.document import Document
from archml.errors import (
    CorruptInput,
    EmptyInput,
    ImageTooLarge,
    InputError,
    InputTooLarge,
    TooManyPages,
    UnsupportedInput,
)
from archml.io import (
    NDARRAY_MIME,
    PIL_MIME,
    SUPPORTED_MIMES,
    SUPPORTED_SUFFIXES,
    InputNotFound,
    ReadConfig,
    iter_inputs,
    open_document,
    read,
    sniff_mime,
)

# ---------------------------------------------------------------- helpers


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def page_image(width: int = 120, height: int = 90, seed: int = 0) -> np.ndarray:
    """RGB noise with a dark block in the top-left corner, to tell orientations apart."""
    pixels = np.random.default_rng(seed).integers(100, 255, (height, width, 3), dtype=np.uint8)
    pixels[:10, :20] = 0
    return pixels


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` × ``height`` grey pixels but holds no pixel data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def read_step(page) -> dict:
    return next(step.params for step in page.source.steps if step.name == "read")


# ---------------------------------------------------------------- config, sniffing, walking


def test_read_config_defaults_and_validation() -> None:
    config = ReadConfig()
    assert (config.dpi, config.max_pages, config.max_side, config.min_side) == (
        300,
        5000,
        40_000,
        8,
    )
    assert config.max_file_bytes == 1 << 30 and config.max_image_pixels == 250_000_000
    for bad in (
        {"dpi": 0},
        {"max_pages": 0},
        {"min_side": 100, "max_side": 50},
        {"max_file_bytes": -1},
        {"unknown": 1},
    ):
        with pytest.raises(ValidationError):
            ReadConfig(**bad)


@pytest.mark.parametrize(
    ("head", "mime"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\xef\xbb\xbf  junk before %PDF-1.4", "application/pdf"),
        (b"II*\x00\x08\x00", "image/tiff"),
        (b"MM\x00*\x00\x00", "image/tiff"),
        (b"II+\x00", "image/tiff"),
        (b"\x89PNG\r\n\x1a\n\x00", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a", None),
        (b"PK\x03\x04", None),
        (b"", None),
    ],
)
def test_sniff_mime(head: bytes, mime: str | None) -> None:
    assert sniff_mime(head) == mime


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048))
def test_sniff_mime_never_raises(head: bytes) -> None:
    assert sniff_mime(head) in SUPPORTED_MIMES | {None}


def test_iter_inputs_walks_folders_in_order_and_keeps_named_files(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for rel in [
        "b.pdf",
        "a.TIF",
        "sub/z.jpeg",
        "sub/c.PNG",
        "sub/deep/x.jpg",
        "notes.txt",
        ".DS_Store",
        "._a.pdf",
        ".hidden/y.pdf",
        "sub/scan.tiff",
    ]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"x")
    named = tmp_path / "readme.docx"
    named.write_bytes(b"x")
    missing = tmp_path / "missing.pdf"
    found = list(iter_inputs([root, named, missing, root / "b.pdf"]))
    rel = [p.relative_to(root).as_posix() for p in found[:6]]
    assert rel == ["a.TIF", "b.pdf", "sub/c.PNG", "sub/scan.tiff", "sub/z.jpeg", "sub/deep/x.jpg"]
    assert found[6:] == [named, missing]  # kept to fail on their own; b.pdf not repeated
    assert found == list(iter_inputs([str(root), named, missing]))
    assert {".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg"} == SUPPORTED_SUFFIXES


# ---------------------------------------------------------------- pixels and metadata


def test_modes_become_grey_or_rgb(tmp_path: Path) -> None:
    rgb = page_image()
    grey = rgb[..., 0].copy()
    bitonal = Image.fromarray(grey).convert("1")
    rgba = np.dstack([rgb, np.full(grey.shape, 255, np.uint8)])
    rgba[:5, :5, 3] = 0  # transparent corner → white paper, not black
    palette = Image.fromarray(grey).convert("P")  # grey palette stays grey
    cases = [
        (encode(Image.fromarray(rgb), "PNG"), (90, 120, 3)),
        (encode(Image.fromarray(grey), "PNG"), (90, 120)),
        (encode(bitonal, "TIFF", compression="group4"), (90, 120)),
        (encode(Image.fromarray(rgba), "PNG"), (90, 120, 3)),
        (encode(palette, "PNG"), (90, 120)),
        (encode(Image.fromarray(grey.astype(np.uint16) * 257), "PNG"), (90, 120)),
    ]
    for data, shape in cases:
        page = read(data).pages[0]
        assert page.image.shape == shape and page.image.dtype == np.uint8
        assert (page.width, page.height) == (120, 90)
    assert set(np.unique(read(cases[2][0]).pages[0].image)) <= {0, 255}
    assert (read(cases[3][0]).pages[0].image[:5, :5] == 255).all()
    assert np.array_equal(read(cases[5][0]).pages[0].image, grey)


@pytest.mark.parametrize(("fmt", "dpi"), [("PNG", 200), ("PNG", 300), ("JPEG", 600), ("TIFF", 400)])
def test_dpi_from_metadata(fmt: str, dpi: int) -> None:
    page = read(encode(Image.fromarray(page_image()), fmt, dpi=(dpi, dpi))).pages[0]
    assert page.source.dpi == dpi
    step = read_step(page)
    assert step["dpi_assumed"] is False and step["format"] == fmt


def test_dpi_assumed_when_missing_or_implausible() -> None:
    plain = read(encode(Image.fromarray(page_image()), "PNG")).pages[0]
    absurd = read(encode(Image.fromarray(page_image()), "TIFF", dpi=(5, 5))).pages[0]
    camera = read(encode(Image.new("L", (5000, 8), 255), "PNG", dpi=(72, 72))).pages[0]
    for page in (plain, absurd, camera):
        step = read_step(page)
        assert page.source.dpi == 300 and step["dpi_assumed"] is True
        assert step["dpi_assumed_reason"]
    assert read_step(absurd)["dpi_metadata"] == [5, 5]
    assert ReadConfig(assumed_dpi=200).assumed_dpi == 200


def test_fax_resolution_resampled_to_square_pixels() -> None:
    fax = Image.fromarray(page_image(204, 98)[..., 0]).convert("1")
    page = read(encode(fax, "TIFF", dpi=(204, 98))).pages[0]
    assert page.source.dpi == 204
    assert (page.width, page.height) == (204, 204)
    assert read_step(page)["resampled_to"] == [204, 204]
    kept = read(encode(fax, "TIFF", dpi=(204, 98)), ReadConfig(square_pixels=False)).pages[0]
    assert (kept.width, kept.height) == (204, 98)


def test_multipage_tiff(tmp_path: Path) -> None:
    frames = [Image.fromarray(page_image(100 + 10 * i, 80, seed=i)) for i in range(3)]
    frames[1] = frames[1].convert("L")
    path = tmp_path / "scan.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(300, 300))
    with open_document(path) as reader:
        assert reader.n_pages == 3 and reader.source.n_pages == 3
        assert reader.source.mime == "image/tiff"
        pages = [reader.load_page(i) for i in (2, 0, 1)]
    assert [p.width for p in pages] == [120, 100, 110]
    assert [p.index for p in pages] == [2, 0, 1]
    assert pages[2].image.ndim == 2 and pages[0].image.ndim == 3
    assert all(p.source.page_index == p.index and p.source.file == str(path) for p in pages)
    assert read_step(pages[0])["frame"] == 2
    with pytest.raises(TooManyPages, match="more than 2 pages"):
        open_document(path, ReadConfig(max_pages=2))


def test_exif_orientation_is_applied_and_recorded() -> None:
    stored = page_image(120, 90)  # dark block top-left
    exif = Image.Exif()
    exif[0x0112] = 6  # display rotated 90° clockwise
    page = read(encode(Image.fromarray(stored), "JPEG", exif=exif, quality=95)).pages[0]
    assert (page.width, page.height) == (90, 120)
    assert page.source.rotation == 90
    assert page.image[:10, -10:].mean() < 40  # the block is now top-right
    assert page.image[:10, :10].mean() > 100
    step = next(s for s in page.source.steps if s.name == "exif_orientation")
    assert step.params == {"orientation": 6, "rotation": 90, "mirrored": False}


def test_read_records_and_round_trips(tmp_path: Path) -> None:
    path = write(tmp_path / "p.png", encode(Image.fromarray(page_image()), "PNG"))
    document = read(path)
    assert isinstance(document, Document)
    step = read_step(document.pages[0])
    assert step["original_size"] == [120, 90] and step["mode"] == "RGB"
    assert document.pages[0].source.steps[0].seconds is not None
    assert Document.from_export(document.export()) == document


# ---------------------------------------------------------------- identity and read-only originals


def test_bytes_and_path_give_the_same_document(tmp_path: Path) -> None:
    data = encode(Image.fromarray(page_image()), "JPEG", dpi=(300, 300))
    path = write(tmp_path / "photo.jpg", data)
    from_path, from_bytes = read(path), read(data)
    from_view = read(memoryview(bytearray(data)), name="upload.jpg")
    expected = hashlib.sha256(data).hexdigest()
    for document in (from_path, from_bytes, from_view):
        assert document.source.sha256 == expected
        assert document.source.size_bytes == len(data) and document.source.mime == "image/jpeg"
        assert np.array_equal(document.pages[0].image, from_path.pages[0].image)
    assert from_path.source.path == str(path) and from_bytes.source.path is None
    assert from_view.source.path == "upload.jpg" == from_view.pages[0].source.file


def test_originals_are_never_written(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 3
    path = write(tmp_path / "scan.jpg", encode(Image.fromarray(page_image()), "JPEG", exif=exif))
    path.chmod(0o444)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    document = read(path)
    document.pages[0].image[:] = 0
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before

    array = page_image()
    snapshot = array.copy()
    page = read(array).pages[0]
    page.image[:] = 7
    assert np.array_equal(array, snapshot)


# ---------------------------------------------------------------- in-memory images


@pytest.mark.parametrize(
    ("array", "shape"),
    [
        (np.zeros((20, 30), np.uint8), (20, 30)),
        (np.zeros((20, 30, 1), np.uint8), (20, 30)),
        (np.zeros((20, 30, 3), np.uint8), (20, 30, 3)),
        (np.zeros((20, 30, 4), np.uint8), (20, 30, 3)),
        (np.ones((20, 30), bool), (20, 30)),
        (np.full((20, 30), 65535, np.uint16), (20, 30)),
        (np.zeros((40, 60, 3), np.uint8)[::2, ::2], (20, 30, 3)),
    ],
)
def test_arrays(array: np.ndarray, shape: tuple[int, ...]) -> None:
    with open_document(array, name="camera-0") as reader:
        page = reader.load_page(0)
        assert reader.source.mime == NDARRAY_MIME and reader.source.path == "camera-0"
    assert page.image.shape == shape and page.image.dtype == np.uint8
    assert page.image.flags.c_contiguous and page.source.dpi == 300
    if array.dtype != np.uint8:
        assert page.image.max() == 255
    if shape == (20, 30, 3) and array.shape[-1] == 4:  # alpha 0: laid over white
        assert (page.image == 255).all()


def test_array_hash_is_of_shape_dtype_and_bytes() -> None:
    a = np.arange(600, dtype=np.uint8).reshape(20, 30)
    assert read(a).source.sha256 == read(a.copy()).source.sha256
    assert read(a).source.sha256 != read(a.reshape(30, 20)).source.sha256


@pytest.mark.parametrize(
    ("array", "error"),
    [
        (np.zeros((20, 30), np.float64), UnsupportedInput),
        (np.zeros((20, 30, 5), np.uint8), UnsupportedInput),
        (np.zeros((2, 20, 30, 3), np.uint8), UnsupportedInput),
        (np.zeros(30, np.uint8), UnsupportedInput),
        (np.zeros((4, 300), np.uint8), ImageTooLarge),
    ],
)
def test_bad_arrays(array: np.ndarray, error: type[InputError]) -> None:
    with pytest.raises(error) as caught:
        open_document(array)
    assert caught.value.source == "<array>"


def test_pil_images(tmp_path: Path) -> None:
    image = Image.fromarray(page_image())
    document = read(image)
    assert document.source.mime == PIL_MIME
    assert np.array_equal(document.pages[0].image, page_image())
    path = tmp_path / "two.tif"
    image.save(path, save_all=True, append_images=[image.convert("L")])
    with Image.open(path) as opened:
        opened.seek(1)
        document = read(opened)
        assert opened.tell() == 1  # the caller's frame position is left as it was
    assert document.source.n_pages == 2 and document.pages[1].image.ndim == 2


# ---------------------------------------------------------------- bad inputs → typed errors


def test_missing_file_is_an_input_error_and_a_file_not_found_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pdf"
    with pytest.raises(InputNotFound) as caught:
        open_document(missing)
    assert isinstance(caught.value, FileNotFoundError) and isinstance(caught.value, InputError)
    assert str(caught.value).startswith(f"{missing}: the file does not exist")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is InputNotFound and copy.source == str(missing)


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        (b"", EmptyInput, "empty"),
        (b"hello, this is a note", UnsupportedInput, "text file"),
        (b"GIF89a\x01\x00\x01\x00", UnsupportedInput, "GIF"),
        (b"PK\x03\x04" + bytes(100), UnsupportedInput, "Office"),
        (bytes(range(256)), UnsupportedInput, "unknown kind"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), CorruptInput, "damaged"),
        (b"II*\x00" + b"\xff" * 64, CorruptInput, "damaged"),
    ],
)
def test_bad_files(tmp_path: Path, data: bytes, error: type[InputError], words: str) -> None:
    path = write(tmp_path / "input.pdf", data)  # the suffix is not believed
    with pytest.raises(error, match=words) as caught:
        read(path)
    assert caught.value.source == str(path) and str(caught.value).startswith(str(path))


def test_folder_and_unsupported_suffix(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedInput, match="folder"):
        open_document(tmp_path)
    png = write(tmp_path / "scan.dat", encode(Image.fromarray(page_image()), "PNG"))
    assert read(png).pages[0].width == 120  # content decides, not the name


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_images_raise(tmp_path: Path, fmt: str) -> None:
    data = encode(Image.fromarray(page_image(300, 200)), fmt)
    path = write(tmp_path / f"cut.{fmt.lower()}", data[: len(data) * 2 // 3])
    with open_document(path) as reader, pytest.raises(CorruptInput, match="damaged or incomplete"):
        reader.load_page(0)


def test_file_size_limit_checked_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path / "big.png", encode(Image.fromarray(page_image()), "PNG"))
    with pytest.raises(InputTooLarge, match="max_file_bytes"):
        open_document(path, ReadConfig(max_file_bytes=100))
    with pytest.raises(InputTooLarge):
        open_document(path.read_bytes(), ReadConfig(max_file_bytes=100))


def test_decompression_bombs_and_absurd_sizes() -> None:
    with pytest.raises(ImageTooLarge):  # 400 Mpx declared by a 60-byte file
        read(png_header(20_000, 20_000))
    white = encode(Image.new("L", (3000, 3000), 255), "PNG")  # ~10 KB, 9 Mpx
    with pytest.raises(ImageTooLarge, match="max_image_pixels"):
        read(white, ReadConfig(max_image_pixels=1_000_000))
    with pytest.raises(ImageTooLarge, match="max_side"):
        read(png_header(50_000, 10))
    with pytest.raises(ImageTooLarge, match="min_side"):
        read(encode(Image.new("L", (4, 4)), "PNG"))


_MAGICS = [b"%PDF-1.4\n", b"II*\x00", b"MM\x00*", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b""]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_MAGICS), st.binary(max_size=600))
def test_garbage_raises_only_input_errors(magic: bytes, body: bytes) -> None:
    config = ReadConfig(dpi=36, max_image_pixels=4_000_000)
    try:
        document = read(magic + body, config)
    except InputError:
        return
    assert all(p.image is not None for p in document.pages)


def test_reader_guards_page_index_and_close(tmp_path: Path) -> None:
    reader = open_document(encode(Image.fromarray(page_image()), "PNG"))
    assert reader.n_pages == 1
    with pytest.raises(IndexError):
        reader.load_page(1)
    reader.close()
    with pytest.raises(ValueError, match="closed"):
        reader.load_page(0)
    with pytest.raises(TypeError):
        open_document(12345)  # type: ignore[arg-type]
