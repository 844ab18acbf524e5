"""TT05 archival information packages (archml.archive.package) built from a real batch output
folder: layout, XSD validity, EAD_doc values and flags, PREMIS fixity and events, PDF/A-2b
structure and its text layer, determinism, changed sources, untouched originals."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
import typer
from lxml import etree
from typer.testing import CliRunner

from archml import __version__
from archml.archive.ead import DOC_ELEMENTS, REVIEW_PREFIX, tt05_date
from archml.archive.package import PackageReport, build_packages
from archml.archive.package_cli import package_command
from archml.archive.pages import replay_geometry
from archml.archive.validation import SCHEMA_DIR, validate_package
from archml.batch.layout import OutputLayout
from archml.document import Document, Page, PageSource, Word, nfc
from archml.errors import CorruptInput
from archml.imaging import ImagingConfig, ImagingStage
from archml.io import ReadConfig, open_document
from archml.pipeline import Pipeline, PipelineConfig
from archml.result import Result

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
KEYS = ("hs1/vbhc01.pdf", "hs1/vbhc18.pdf", "hs2/vbhc10.pdf")
FLAGGED_KEY = "hs1/vbhc18.pdf"
"""Its Result is edited as a reader might have left it: codeNumber flagged, subject missing."""
DPI = 200
HYPHEN_JOIN = "\ufffe"
"""What PDFium's text extraction puts for a line-final hyphen it takes for hyphenation."""
PREMIS = {"premis": "http://www.loc.gov/premis/v3"}
METS = {"mets": "http://www.loc.gov/METS/", "xlink": "http://www.w3.org/1999/xlink"}


@dataclass(frozen=True)
class Built:
    out: Path
    sources: Path
    report: PackageReport
    hashes_before: dict[str, str]
    hashes_after: dict[str, str]


def make_batch_output(root: Path) -> tuple[Path, Path]:
    """A batch output folder (results/, documents/, batch.json) of three samples in two hồ sơ
    folders, written as :mod:`archml.batch.layout` describes; (output folder, sources)."""
    sources, out = root / "collection", root / "out"
    layout = OutputLayout(out)
    pipeline = Pipeline(PipelineConfig(model=None, read=ReadConfig(dpi=DPI)))
    for key in KEYS:
        source = sources / key
        source.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLES / Path(key).name, source)
        document = pipeline.read(source)
        result = pipeline.result(document)
        if key == FLAGGED_KEY:
            number = result.fields["codeNumber"]
            number.needs_review, number.problems = True, ["doctored for the test"]
            del result.fields["subject"]
            result.needs_review = True
            result.review_reasons += ["field codeNumber: doctored for the test",
                                      "field subject not found"]
        layout.result(key).parent.mkdir(parents=True, exist_ok=True)
        layout.result(key).write_text(result.model_dump_json(), encoding="utf-8")
        layout.document(key).parent.mkdir(parents=True, exist_ok=True)
        layout.document(key).write_bytes(gzip.compress(
            json.dumps(document.export(), ensure_ascii=False).encode(), mtime=0))
    layout.manifest.write_text(json.dumps({"source": str(sources.resolve())}))
    return out, sources


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("package")
    out, sources = make_batch_output(root)
    before = _hashes(sources)
    report = build_packages(out, "aip-hoso", root / "packages", operator="Nguyễn Văn An")
    return Built(out, sources, report, before, _hashes(sources))


def _result(built: Built, key: str) -> Result:
    return Result.model_validate_json(OutputLayout(built.out).result(key).read_bytes())


def _document(built: Built, key: str) -> Document:
    return Document.from_export(json.loads(gzip.decompress(
        OutputLayout(built.out).document(key).read_bytes())))


def _documents_of(package: Path) -> dict[str, Path]:
    """Document key → its PDF in ``package`` (from PREMIS originalName)."""
    rep = package / "representations" / "rep1"
    tree = etree.parse(str(rep / "metadata" / "preservation" / "PREMIS_rep1.xml"))
    return {obj.findtext("premis:originalName", namespaces=PREMIS):
            rep / obj.findtext(".//premis:contentLocationValue", namespaces=PREMIS)
            for obj in tree.iterfind("premis:object", PREMIS)}


def _ead_doc(pdf: Path) -> etree._ElementTree:
    rep = pdf.parents[1]
    return etree.parse(str(rep / "metadata" / "descriptive" / f"EAD_doc_{pdf.stem}.xml"))


def _all_documents(built: Built) -> dict[str, Path]:
    return {k: v for p in built.report.packages for k, v in _documents_of(p.path).items()}


# --- layout and validity ---------------------------------------------------------------------

def test_one_package_per_hoso_in_the_circulars_layout(built: Built) -> None:
    report = built.report
    assert report.ok and report.documents == 3
    assert {p.code: p.documents for p in report.packages} == {
        "hs1": ("hs1/vbhc01.pdf", "hs1/vbhc18.pdf"), "hs2": ("hs2/vbhc10.pdf",)}
    for package in report.packages:
        assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", package.objid)
        assert package.path.name == package.objid.replace(":", "_")
        files = {p.relative_to(package.path).as_posix() for p in package.path.rglob("*")
                 if p.is_file()}
        n = len(package.documents)
        stems = [f"{package.code}.{i}" for i in range(1, n + 1)]
        assert files == {
            "METS.xml", "review.csv", "metadata/descriptive/EAD.xml",
            "metadata/preservation/PREMIS.xml", "representations/rep1/METS.xml",
            "representations/rep1/metadata/preservation/PREMIS_rep1.xml",
            *(f"representations/rep1/data/{s}.pdf" for s in stems),
            *(f"representations/rep1/metadata/descriptive/EAD_doc_{s}.xml" for s in stems),
            *(f"schemas/{x}" for x in ("METS.xsd", "xlink.xsd", "PREMIS.xsd", "EAD.xsd",
                                       "EAD_doc.xsd"))}
        root = etree.parse(str(package.path / "METS.xml")).getroot()
        assert root.get("OBJID") == package.objid and root.get("TYPE") == "AIP_hoso"
    assert not list(built.report.dest.glob(".archml-package-*"))


def test_every_xml_file_validates_against_the_shipped_schemas(built: Built) -> None:
    for package in built.report.packages:
        assert validate_package(package.path) == {}
        schemas = package.path / "schemas"
        assert (schemas / "EAD.xsd").read_bytes() == (SCHEMA_DIR / "EAD_hoso.xsd").read_bytes()
        for name in ("METS.xsd", "PREMIS.xsd", "EAD_doc.xsd", "xlink.xsd"):
            assert (schemas / name).read_bytes() == (SCHEMA_DIR / name).read_bytes()
        for xml, xsd in (("METS.xml", "METS.xsd"), ("metadata/descriptive/EAD.xml", "EAD.xsd"),
                         ("metadata/preservation/PREMIS.xml", "PREMIS.xsd")):
            schema = etree.XMLSchema(etree.parse(str(schemas / xsd)))
            schema.assertValid(etree.parse(str(package.path / xml)))


def test_schemas_reject_what_the_circular_forbids(built: Built) -> None:
    pdf = next(iter(_all_documents(built).values()))
    schema = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "EAD_doc.xsd")))
    for element, bad in (("issuedDate", "2025-01-16"), ("typeName", "33"),
                         ("codeNumber", "1" * 12), ("mode", "04")):
        tree = _ead_doc(pdf)
        tree.getroot().find(element).text = bad
        assert not schema.validate(tree), element
    tree = _ead_doc(pdf)
    tree.getroot().remove(tree.getroot().find("docCode"))
    assert not schema.validate(tree)


# --- descriptive metadata --------------------------------------------------------------------

def test_ead_doc_values_are_the_result_fields(built: Built) -> None:
    for key, pdf in _all_documents(built).items():
        result, root = _result(built, key), _ead_doc(pdf).getroot()
        elements = [e.tag for e in root if isinstance(e.tag, str)]
        assert elements == [e for e in DOC_ELEMENTS if e in elements]  # AIP element order
        assert root.findtext("typeName") == result.classification.form.label
        for name in ("codeNumber", "codeNotation", "organName", "subject"):
            field = result.fields.get(name)
            assert (root.findtext(name) or None) == (field.value if field else None), name
        assert root.findtext("issuedDate") == tt05_date(result.fields["issuedDate"].value)
        assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", root.findtext("issuedDate"))
        assert root.findtext("numberOfPage") == str(result.source.pages)
        code, ordinal = pdf.stem.rsplit(".", 1)
        assert root.findtext("arcFileCode") == code
        assert root.findtext("docOrdinal") == ordinal
        assert root.findtext("docCode") == f"{code}.{int(ordinal):07d}"
        assert root.findtext("confidenceLevel") == "02" and root.findtext("language") == "01"


def test_flagged_fields_are_commented_and_listed_in_review_csv(built: Built) -> None:
    pdf = _all_documents(built)[FLAGGED_KEY]
    root = _ead_doc(pdf).getroot()
    flagged = {}
    for node in root:
        if isinstance(node, etree._Comment) and node.text.strip().startswith(REVIEW_PREFIX):
            element = node.getnext()
            flagged[element.tag] = (element.text or "", node.text)
    assert flagged["codeNumber"][0] == _result(built, FLAGGED_KEY).fields["codeNumber"].value
    assert "doctored for the test" in flagged["codeNumber"][1]
    assert flagged["subject"][0] == "" and "not found" in flagged["subject"][1]
    package = pdf.parents[3]
    with (package / "review.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    listed = {(r["document"], r["element"]) for r in rows}
    assert {(FLAGGED_KEY, "codeNumber"), (FLAGGED_KEY, "subject"), ("", "maintenance"),
            ("", "paperFileCode"), ("", "title")} <= listed
    assert {(f.key or "", f.element) for f in built.report.flagged
            if f.package == package.name} == listed


def test_hoso_ead_summarises_its_documents(built: Built) -> None:
    package = next(p for p in built.report.packages if p.code == "hs1")
    ead = etree.parse(str(package.path / "metadata" / "descriptive" / "EAD.xml")).getroot()
    dates = sorted(_result(built, k).fields["issuedDate"].value for k in package.documents)
    assert ead.findtext("startDate") == tt05_date(dates[0])
    assert ead.findtext("endDate") == tt05_date(dates[-1])
    assert ead.findtext("totalDoc") == "2"
    assert ead.findtext("numberOfPage") == str(sum(_result(built, k).source.pages
                                                   for k in package.documents))
    assert ead.findtext("title") == "hs1" and ead.findtext("arcFileCode") == "hs1"


# --- preservation metadata -------------------------------------------------------------------

def test_premis_fixity_is_the_sha256_of_the_packaged_bytes(built: Built) -> None:
    for package in built.report.packages:
        rep = package.path / "representations" / "rep1"
        tree = etree.parse(str(rep / "metadata" / "preservation" / "PREMIS_rep1.xml"))
        objects = tree.findall("premis:object", PREMIS)
        assert len(objects) == len(package.documents)
        for obj in objects:
            data = (rep / obj.findtext(".//premis:contentLocationValue", namespaces=PREMIS)
                    ).read_bytes()
            fixity = obj.find(".//premis:fixity", PREMIS)
            assert fixity.findtext("premis:messageDigestAlgorithm", namespaces=PREMIS) \
                == "SHA-256"
            assert fixity.findtext("premis:messageDigest", namespaces=PREMIS) \
                == hashlib.sha256(data).hexdigest()
            assert obj.findtext(".//premis:size", namespaces=PREMIS) == str(len(data))
            assert obj.findtext(".//premis:formatRegistryKey", namespaces=PREMIS) == "fmt/477"
        for mets, base in ((package.path / "METS.xml", package.path),
                           (rep / "METS.xml", rep)):  # every METS reference too
            for node in etree.parse(str(mets)).iter(f"{{{METS['mets']}}}*"):
                if node.get("CHECKSUM"):
                    href = node.get(f"{{{METS['xlink']}}}href") or node[0].get(
                        f"{{{METS['xlink']}}}href")
                    data = (base / href).read_bytes()
                    assert node.get("CHECKSUM") == hashlib.sha256(data).hexdigest(), href
                    assert node.get("SIZE") == str(len(data))


def test_premis_records_digitisation_extraction_and_agents(built: Built) -> None:
    for package in built.report.packages:
        rep = package.path / "representations" / "rep1"
        tree = etree.parse(str(rep / "metadata" / "preservation" / "PREMIS_rep1.xml"))
        events = {}
        for event in tree.iterfind("premis:event", PREMIS):
            events.setdefault(event.findtext("premis:eventType", namespaces=PREMIS), []).append(
                event)
        n = len(package.documents)
        assert {k: len(v) for k, v in events.items()} == {
            "transfer": n, "metadata extraction": n, "fixity check": n}
        for event in events["transfer"]:  # TT05 records digitisation as "transfer"
            assert "digitisation" in event.findtext(".//premis:eventDetail", namespaces=PREMIS)
            assert event.findtext("premis:eventDateTime", namespaces=PREMIS).endswith("+07:00")
        for event in events["metadata extraction"]:
            detail = event.findtext(".//premis:eventDetail", namespaces=PREMIS)
            assert f"archml {__version__}" in detail and "model none (rules only)" in detail
        agents = {a.findtext("premis:agentName", namespaces=PREMIS):
                  a.findtext("premis:agentType", namespaces=PREMIS)
                  for a in tree.iterfind("premis:agent", PREMIS)}
        assert agents == {"archml": "software", "Nguyễn Văn An": "person"}
        linked = {o.findtext("premis:objectIdentifier/premis:objectIdentifierValue",
                             namespaces=PREMIS) for o in tree.iterfind("premis:object", PREMIS)}
        for event in events["transfer"]:
            assert event.findtext(".//premis:linkingObjectIdentifierValue",
                                  namespaces=PREMIS) in linked
        package_premis = etree.parse(str(package.path / "metadata/preservation/PREMIS.xml"))
        assert package_premis.findtext(".//premis:eventType", namespaces=PREMIS) \
            == "information package creation"


# --- PDF/A with the OCR text layer -----------------------------------------------------------

def _pdf_object(data: bytes, number: int) -> bytes:
    """The last definition of object ``number`` (an incremental update overrides)."""
    starts = [m.end() for m in re.finditer(rb"(?<![0-9])%d 0 obj" % number, data)]
    assert starts, number
    return data[starts[-1]: data.index(b"endobj", starts[-1])]


def _trailer(data: bytes) -> bytes:
    return data[data.rindex(b"trailer"): data.rindex(b"startxref")]


def test_pdfa_structure(built: Built) -> None:
    for key, pdf in _all_documents(built).items():
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-1.7") and b"/Encrypt" not in data
        trailer = _trailer(data)
        assert re.search(rb"/ID\[<[0-9A-F]{32}><[0-9A-F]{32}>\]", trailer)
        startxref = int(data[data.rindex(b"startxref") + 9:].split()[0])
        assert data[startxref:].startswith(b"xref")
        for number, offset in re.findall(rb"(\d+) 1\r\n(\d{10}) 00000 n", data[startxref:]):
            assert data[int(offset):].startswith(number + b" 0 obj")  # the update's xref
        catalog = _pdf_object(data, int(re.search(rb"/Root (\d+) 0 R", trailer)[1]))
        metadata = _pdf_object(data, int(re.search(rb"/Metadata (\d+) 0 R", catalog)[1]))
        xmp = metadata[metadata.index(b"stream\r\n") + 8: metadata.rindex(b"endstream")]
        description = etree.fromstring(xmp[xmp.index(b"<x:xmpmeta"): xmp.rindex(b">") + 1])
        aid = {"pdfaid": "http://www.aiim.org/pdfa/ns/id/"}
        assert description.findtext(".//pdfaid:part", namespaces=aid) == "2"
        assert description.findtext(".//pdfaid:conformance", namespaces=aid) == "B"
        assert b"/OutputIntents[<</Type/OutputIntent/S/GTS_PDFA1" in catalog
        icc = _pdf_object(data, int(re.search(rb"/DestOutputProfile (\d+) 0 R", catalog)[1]))
        profile = icc[icc.index(b"stream\r\n") + 8:]
        assert b"/N 3" in icc and profile[36:40] == b"acsp" and profile[16:20] == b"RGB "
        font = re.findall(rb"<<[^\r\n]*/Subtype/CIDFontType2[^\r\n]*>>", data)[-1]
        assert b"/CIDToGIDMap/Identity" in font
        descriptor = _pdf_object(data, int(re.search(rb"/FontDescriptor (\d+) 0 R", font)[1]))
        assert b"/FontFile2" in descriptor  # the font program is embedded
        document = _document(built, key)
        with pdfium.PdfDocument(data) as opened:
            assert len(opened) == len(document.pages)
            for page, truth in zip(opened, document.pages, strict=True):
                text = page.get_textpage().get_text_range().replace(HYPHEN_JOIN, "- ")
                assert Counter(text.split()) == Counter(nfc(w.text) for w in truth.words)


def test_text_layer_lands_on_the_words(built: Built) -> None:
    """Reading the PDF/A back at the page dpi gives the document's words in their boxes, and
    the page image is the one the boxes were read from (the processed page's geometry)."""
    deskewed = 0
    for key, pdf in _all_documents(built).items():
        document = _document(built, key)
        with open_document(pdf, ReadConfig(dpi=DPI)) as packaged, \
                open_document(built.sources / key, ReadConfig(dpi=DPI)) as source:
            for truth in document.pages:
                page = packaged.load_page(truth.index)
                assert (page.width, page.height) == (truth.width, truth.height)
                found = page.text_layer or []
                for word in truth.words:
                    assert _lands(word, found), (key, truth.index, word)
                processed = source.load_page(truth.index)
                deskewed += processed.image.shape[:2] != (truth.height, truth.width)
                ImagingStage(ImagingConfig()).process_page(processed)
                assert _ink_iou(page.image, processed.image) > 0.95
    assert deskewed  # some page was cropped or deskewed, so geometry mattered


def _lands(word: Word, found: list[Word]) -> bool:
    """``word`` was read back with its text in its box. PDFium takes a line-final hyphen for
    hyphenation and drops it (``STC-`` reads back as ``STC``, its box ends before the hyphen);
    such a word must still start where it starts and be as high as it is."""
    text = nfc(word.text)
    for w in found:
        if w.text == text and _close(w.box, word.box, text):
            return True
        if text.endswith("-") and w.text.replace(HYPHEN_JOIN, "-").rstrip("-") == text[:-1] \
                and _close((w.box.x0, w.box.y0, w.box.y1), (word.box.x0, word.box.y0,
                                                             word.box.y1), text[:-1]):
            return True
    return False


def _close(got: tuple[float, ...], want: tuple[float, ...], text: str) -> bool:
    pairs = list(zip(got, want, strict=True))
    if text in ("-", "–", ".", ",") and len(pairs) == 4:  # flat ink: only x is placed exactly
        pairs = [pairs[0], pairs[2]]
    return max(abs(a - b) for a, b in pairs) <= 1.5


def _ink_iou(a: np.ndarray, b: np.ndarray) -> float:
    ink_a = (a.mean(axis=2) if a.ndim == 3 else a) < 128
    ink_b = (b.mean(axis=2) if b.ndim == 3 else b) < 128
    return float((ink_a & ink_b).sum() / max(1, (ink_a | ink_b).sum()))


def test_replayed_geometry_matches_the_imaging_stage() -> None:
    """Crop, quarter turn and deskew replayed from the records give the stage's geometry."""
    with open_document(SAMPLES / "vbhc10.pdf", ReadConfig(dpi=100)) as reader:
        image = reader.load_page(0).image
    raw = np.pad(np.rot90(image), ((30, 30), (40, 40), (0, 0)))  # sideways, on a dark bed
    page = Page(index=0, width=raw.shape[1], height=raw.shape[0],
                source=PageSource(page_index=0, dpi=100), image=raw.copy())
    ImagingStage(ImagingConfig()).process_page(page)
    steps = {s.name: s.params for s in page.source.steps}
    assert steps["orientation"]["rotation"] == 90 and steps["border_crop"]["box"][0] > 0
    replayed = replay_geometry(raw, page.source.steps)
    assert replayed.shape[:2] == page.image.shape[:2]
    assert _ink_iou(replayed, page.image) > 0.95


def test_pdfa_passes_pikepdfs_pdfa_2b_validator(built: Built) -> None:
    from pikepdf import pdfa  # the [dev] extra: an independent PDF/A-2b check

    for pdf in _all_documents(built).values():
        report = pdfa.validate_written(pdf, "2b")
        assert report.passed, [str(f) for f in report.findings]


# --- determinism, failures, originals --------------------------------------------------------

def test_rebuilding_gives_the_same_ids_and_files(built: Built, tmp_path: Path) -> None:
    again = build_packages(built.out, "aip-hoso", tmp_path, operator="Nguyễn Văn An")
    assert [p.objid for p in again.packages] == [p.objid for p in built.report.packages]
    for first, second in zip(built.report.packages, again.packages, strict=True):
        for relative in ("representations/rep1/data", "representations/rep1/metadata/"
                                                      "descriptive"):
            assert _hashes(first.path / relative) == _hashes(second.path / relative)
    # into the same folder: the package is replaced, not duplicated
    rebuilt = build_packages(built.out, "aip-hoso", tmp_path, operator="Nguyễn Văn An")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.path.name for p in rebuilt.packages)


def test_originals_are_never_modified(built: Built) -> None:
    assert built.hashes_after == built.hashes_before
    assert all(p.stat().st_size for p in built.sources.rglob("*.pdf"))


def test_changed_source_is_reported_and_the_rest_packaged(built: Built, tmp_path: Path) -> None:
    out, sources = tmp_path / "out", tmp_path / "collection"
    shutil.copytree(built.out, out)
    shutil.copytree(built.sources, sources)
    (out / "batch.json").write_text(json.dumps({"source": str(sources)}))
    with (sources / "hs1/vbhc01.pdf").open("ab") as handle:
        handle.write(b"\n% edited after the batch\n")
    failed = Result.from_error(CorruptInput("cannot be decoded", source="hs2/broken.pdf"))
    OutputLayout(out).result("hs2/broken.pdf").write_text(failed.model_dump_json())
    report = build_packages(out, "aip-hoso", tmp_path / "packages")
    assert report.errors["hs1/vbhc01.pdf"].type == "FixityMismatch"
    assert report.errors["hs2/broken.pdf"].type == "CorruptInput"
    assert {k for p in report.packages for k in p.documents} == {
        "hs1/vbhc18.pdf", "hs2/vbhc10.pdf"}
    for package in report.packages:
        assert validate_package(package.path) == {}
    app = typer.Typer()
    app.command()(package_command)
    runner = CliRunner()
    result = runner.invoke(app, [str(out), "--as", "aip-hoso", "--dest", str(tmp_path / "cli")])
    assert result.exit_code == 1, result.output
    assert "FixityMismatch" in result.output
    assert runner.invoke(app, [str(tmp_path), "--as", "aip-hoso", "--dest",
                               str(tmp_path / "x")]).exit_code == 2


def test_loose_documents_make_one_aip_tailieu(built: Built, tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(package_command)
    result = CliRunner().invoke(app, [str(built.out), "--as", "aip-tailieu", "--dest",
                                      str(tmp_path), "--operator", "Trần Thị B"])
    assert result.exit_code == 0, result.output
    (package,) = tmp_path.iterdir()
    assert validate_package(package) == {}
    root = etree.parse(str(package / "METS.xml")).getroot()
    assert root.get("TYPE") == "AIP_tailieu"
    ead = etree.parse(str(package / "metadata" / "descriptive" / "EAD.xml")).getroot()
    assert [e.tag for e in ead if isinstance(e.tag, str)] == [
        "arcFileCode", "title", "source", "description"]
    pdfs = sorted(p.name for p in (package / "representations/rep1/data").iterdir())
    assert pdfs == ["collection.1.pdf", "collection.2.pdf", "collection.3.pdf"]


def test_a_folder_that_is_not_a_batch_output_is_refused(tmp_path: Path) -> None:
    from archml.errors import ConfigError

    with pytest.raises(ConfigError, match="not an archml batch output"):
        build_packages(tmp_path, "aip-hoso", tmp_path / "dest")
    with pytest.raises(ConfigError, match="unknown package kind"):
        build_packages(tmp_path, "sip-hoso", tmp_path / "dest")


@pytest.mark.parametrize(("iso", "tt05"), [("2025-01-16", "16/01/2025"), ("2025-01", "01/2025"),
                                          ("2025", "2025"), ("16/01/2025", None)])
def test_dates_in_the_circulars_format(iso: str, tt05: str | None) -> None:
    assert tt05_date(iso) == tt05
