"""Labelled documents from the inputs a real archive has, in one record format.

The record format is the synthetic generator's manifest line (see ``docs/synth.md``): ``id``,
``source``, ``files`` (``pages`` images or a ``pdf``), the labels ``domain``/``typeName``/
``docType`` where known, and ``fields`` by name with ``raw``/``value`` and, where known, the
``page`` and pixel ``box``. Loaders:

* :func:`load_manifest` – the generator's ``manifest.jsonl`` (or a real backlog in that format);
* :func:`load_catalogue` – a TT05 catalogue export (xlsx or csv), one row per document, through a
  :class:`CatalogueMapping` of columns;
* :func:`load_folders` – ``root/<class>/<scan>`` trees, the folder naming a fine type, a domain,
  a TT05 code or a TT05 type name;
* :func:`load_label_studio` – a Label Studio JSON export of an OCR project (rectangles with
  transcriptions and field labels, a class choice).

:class:`OcrCache` reads scans through the pipeline's page stages and caches the OCR'd document by
file SHA-256 and pipeline settings.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PureWindowsPath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from archml.document import Block, Box, Document, DocumentSource, Line, Page, PageSource, Word
from archml.fields.dates import parse_date
from archml.fields.text import fold
from archml.pipeline import OCR_STAGES, Pipeline, PipelineConfig, single_threaded
from archml.taxonomy import DOC_TYPES_BY_ID, TYPE_NAMES, Domain, doc_type
from archml.workers import forkserver_context

WordSource = Literal["ground_truth", "ocr"]


class FieldLabel(BaseModel):
    """A known field value: as printed (``raw``), normalised (``value``), where it is."""

    model_config = ConfigDict(extra="ignore")

    raw: str | None = None
    value: Any = None
    page: int | None = None
    box: list[float] | None = None
    boxes: list[tuple[int, list[float]]] = Field(default_factory=list)
    method: str = "label"


class Record(BaseModel):
    """One labelled document (a manifest line; extra manifest keys are ignored)."""

    model_config = ConfigDict(extra="ignore", arbitrary_types_allowed=True)

    id: str
    source: str
    root: str = "."
    """Folder the paths in ``files`` and ``ground_truth`` are relative to."""
    files: dict[str, Any] = Field(default_factory=dict)
    ground_truth: str | None = None
    domain: str | None = None
    typeName: str | None = None  # noqa: N815 (TT05/manifest name)
    docType: str | None = None  # noqa: N815
    fields: dict[str, FieldLabel] = Field(default_factory=dict)
    document: Document | None = Field(default=None, exclude=True)
    """Words already known (Label Studio); otherwise read from ``ground_truth`` or OCR."""

    def path(self, relative: str) -> Path:
        return Path(self.root) / relative

    def scan_paths(self) -> list[Path]:
        """The scan files: the page images, else the PDF."""
        pages = self.files.get("pages") or []
        return [self.path(p) for p in pages] if pages else [self.path(self.files["pdf"])]


def with_type(record: Record, type_id: str) -> Record:
    """``record`` labelled with fine type ``type_id`` and the domain and form it implies."""
    t = doc_type(type_id)
    return record.model_copy(update={"docType": t.id, "domain": t.domain.value,
                                     "typeName": t.type_code})


def load_manifest(path: str | Path) -> list[Record]:
    """Records of a ``manifest.jsonl`` or a folder holding one (paths relative to it)."""
    path = Path(path)
    path = path / "manifest.jsonl" if path.is_dir() else path
    with path.open(encoding="utf-8") as fh:
        return [Record.model_validate({**json.loads(line), "root": str(path.parent)})
                for line in fh if line.strip()]


class CatalogueMapping(BaseModel):
    """Which catalogue column holds what. Headers are matched after ``after`` (TT05 exports
    repeat file-level headers such as ``Ngôn ngữ`` before the document-level ones)."""

    model_config = ConfigDict(extra="forbid")

    after: str | None = "Số thứ tự văn bản trong hồ sơ"
    path: str = "Đường dẫn file"
    type_name: str | None = "Tên loại văn bản"
    fields: dict[str, str] = Field(default_factory=lambda: {
        "codeNumber": "Số của văn bản", "codeNotation": "Ký hiệu của văn bản",
        "organName": "Tên cơ quan, tổ chức ban hành văn bản", "subject": "Trích yếu nội dung",
        "numberOfPage": "Số lượng trang của văn bản"})
    date: tuple[str, str, str] | str | None = ("Ngày văn bản", "Tháng văn bản", "Năm văn bản")
    """Day, month and year columns, or one column with the whole date."""
    domain: str | None = Domain.ADMINISTRATIVE.value
    """Domain of every row (catalogues are kept per fonds); ``None``: unknown."""


def _rows(path: Path) -> list[list[Any]]:
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return [list(r) for r in csv.reader(fh)]
    import openpyxl

    sheet = openpyxl.load_workbook(path, read_only=True, data_only=True).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _text(value: Any) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def type_code(name: str | None) -> str | None:
    """TT05 code of a typed type name (``Quyết định``, ``quyet dinh``) or code (``2``)."""
    if not name:
        return None
    if name.strip().isdigit():
        code = f"{int(name):02d}"
        return code if code in TYPE_NAMES else None
    by_name = {fold(v): k for k, v in TYPE_NAMES.items()}
    return by_name.get(fold(name))


def _catalogue_date(row: dict[str, Any], spec: tuple[str, str, str] | str | None) -> str | None:
    if spec is None:
        return None
    if isinstance(spec, str):
        parsed = parse_date(_text(row.get(spec)) or "")
        return parsed.iso() if parsed else None
    day, month, year = (_text(row.get(c)) for c in spec)
    parts = [f"{int(v):0{w}d}" if v and v.isdigit() else None
             for v, w in ((year, 4), (month, 2), (day, 2))]
    known = []
    for part in parts:  # a partial date stops at the first unknown part
        if part is None:
            break
        known.append(part)
    return "-".join(known) or None


def load_catalogue(path: str | Path, mapping: CatalogueMapping | None = None,
                   root: str | Path | None = None) -> list[Record]:
    """Records of a catalogue export; ``root`` (default: the catalogue's folder) is where the
    file paths (Windows or POSIX, leading separator or not) are resolved."""
    path, mapping = Path(path), mapping or CatalogueMapping()
    rows = _rows(path)
    header = [_text(h) or "" for h in rows[0]]
    start = header.index(mapping.after) if mapping.after in header else 0
    index = {h: i for i, h in reversed(list(enumerate(header))) if i >= start}
    records = []
    for n, values in enumerate(rows[1:], 1):
        row = {h: values[i] if i < len(values) else None for h, i in index.items()}
        file = _text(row.get(mapping.path))
        if not file:
            continue
        relative = PureWindowsPath(file).as_posix().lstrip("/") if "\\" in file \
            else file.lstrip("/")
        fields = {name: FieldLabel(value=_text(row.get(col)))
                  for name, col in mapping.fields.items()}
        fields["issuedDate"] = FieldLabel(value=_catalogue_date(row, mapping.date))
        code = type_code(_text(row.get(mapping.type_name))) if mapping.type_name else None
        fields["typeName"] = FieldLabel(value=code)
        records.append(Record(id=f"{path.stem}-{n}", source=path.name,
                              root=str(root or path.parent), files={"pdf": relative},
                              domain=mapping.domain, typeName=code, fields=fields))
    return records


SCAN_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


def load_folders(root: str | Path) -> list[Record]:
    """Records of ``root/<class>/<scan>``: ``<class>`` is a fine type id, a domain, a TT05
    code (``02``) or a type name (``Quyết định``)."""
    root = Path(root)
    records = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        labels = _folder_labels(folder.name)
        for scan in sorted(folder.rglob("*")):
            if scan.suffix.lower() in SCAN_SUFFIXES:
                rel = scan.relative_to(root).as_posix()
                key = "pdf" if scan.suffix.lower() == ".pdf" else "pages"
                records.append(Record(id=rel, source=root.name, root=str(root),
                                      files={key: rel if key == "pdf" else [rel]}, **labels))
    return records


def _folder_labels(name: str) -> dict[str, str | None]:
    if name in DOC_TYPES_BY_ID:
        t = DOC_TYPES_BY_ID[name]
        return {"docType": t.id, "domain": t.domain.value, "typeName": t.type_code}
    if name in {d.value for d in Domain}:
        return {"domain": name}
    code = type_code(name)
    if code is None:
        raise ValueError(f"folder {name!r} names no fine type, domain or TT05 type")
    return {"typeName": code}


def load_label_studio(path: str | Path, image_root: str | Path | None = None) -> list[Record]:
    """Records of a Label Studio JSON export of an OCR project: ``rectangle`` results with a
    ``textarea`` transcription become words; ``labels`` on the same region tag them with a
    field; a ``choices`` result names the fine type (or domain / TT05 type)."""
    path = Path(path)
    records = []
    for task in json.loads(path.read_text(encoding="utf-8")):
        results = task["annotations"][0]["result"] if task.get("annotations") else []
        regions: dict[str, dict[str, Any]] = {}
        labels: dict[str, str | None] = {}
        for item in results:
            value = item.get("value", {})
            if item["type"] == "choices":
                labels = _folder_labels(value["choices"][0])
                continue
            region = regions.setdefault(item["id"], {"size": (item.get("original_width", 1000),
                                                              item.get("original_height", 1000))})
            region.update(value)
        document, fields = _label_studio_document(task, list(regions.values()))
        image = str(task.get("data", {}).get("image") or task.get("data", {}).get("ocr", ""))
        name = image.rsplit("/", 1)[-1].split("?")[0]
        records.append(Record(id=str(task.get("id", name)), source=path.name,
                              root=str(image_root or path.parent), files={"pages": [name]},
                              fields=fields, document=document, **labels))
    return records


def _label_studio_document(task: dict[str, Any], regions: list[dict[str, Any]]
                           ) -> tuple[Document, dict[str, FieldLabel]]:
    width, height = regions[0]["size"] if regions else (1000, 1000)
    lines, fields = [], {}
    for region in sorted(regions, key=lambda r: (r.get("y", 0), r.get("x", 0))):
        text = " ".join(region.get("text", [])).strip()
        if not text or "x" not in region:
            continue
        x0, y0 = region["x"] * width / 100, region["y"] * height / 100
        x1, y1 = x0 + region["width"] * width / 100, y0 + region["height"] * height / 100
        tokens = text.split()
        step = (x1 - x0) / len(tokens)
        words = [Word(text=t, box=Box(x0 + i * step, y0, x0 + (i + 1) * step, y1))
                 for i, t in enumerate(tokens)]
        lines.append(Line.from_words(words))
        for name in region.get("labels", []):
            box = [x0, y0, x1, y1]
            label = fields.setdefault(name, FieldLabel(raw=text, value=text, page=0, box=box))
            if label.raw != text:
                label.raw = label.value = f"{label.raw}\n{text}"
            label.boxes.append((0, box))
    blocks = [Block.from_lines([ln]) for ln in lines]
    page = Page(index=0, width=int(width), height=int(height),
                source=PageSource(page_index=0, dpi=300, text_source="ocr"), blocks=blocks)
    digest = hashlib.sha256(json.dumps(task, sort_keys=True).encode()).hexdigest()
    source = DocumentSource(path=None, sha256=digest, mime="application/json", size_bytes=0,
                            n_pages=1)
    return Document(source=source, pages=[page]), fields


PACKAGE = Path(__file__).resolve().parents[1]
PAGE_CODE = ("io", "imaging", "ocr", "layout", "fillins", "models/handwriting", "document.py",
             "fields/text.py")
"""What the page stages run: archml's packages and files whose change changes a reading."""


def page_code_sha(root: Path = PACKAGE) -> str:
    """SHA-256 of the page stages' code and the fill-in reader's weights (:data:`PAGE_CODE`
    under the package folder ``root``)."""
    files = sorted(f for part in PAGE_CODE for f in ((root / part).rglob("*")
                                                     if (root / part).is_dir() else [root / part])
                   if f.is_file() and f.suffix != ".pyc")
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()


class OcrCache:
    """Documents read through the page stages of ``config``, cached as JSON in ``folder`` by
    the SHA-256 of the file bytes, of the page-stage settings and of the page stages' code
    (:func:`page_code_sha`: a new OCR or layout version reads the scans again; other pipeline
    settings, such as document stages or review thresholds, do not invalidate the cache)."""

    def __init__(self, folder: str | Path, config: PipelineConfig | None = None) -> None:
        self.folder = Path(folder)
        base = config or PipelineConfig()
        # the page stages only: no document model (whose path would end up in model metas)
        self.config = base.model_copy(update={"stages": [s for s in base.stages
                                                         if s in OCR_STAGES], "model": None})
        page = self.config.model_dump(mode="json", include={"read", "imaging", "ocr", "layout",
                                                            "stages"})
        self.settings = hashlib.sha256(json.dumps(page, sort_keys=True).encode()
                                       + page_code_sha().encode()).hexdigest()
        self._pipeline: Pipeline | None = None

    def key(self, path: Path) -> str:
        return hashlib.sha256(hashlib.sha256(path.read_bytes()).digest()
                              + self.settings.encode()).hexdigest()

    def read(self, path: str | Path) -> Document:
        path = Path(path)
        cached = self.folder / f"{self.key(path)}.json"
        if cached.exists():
            return Document.from_export(json.loads(cached.read_text(encoding="utf-8")))
        self._pipeline = self._pipeline or Pipeline(self.config)
        document = self._pipeline.read(path)
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(document.export(), ensure_ascii=False), encoding="utf-8")
        tmp.replace(cached)
        return document

    def fill(self, paths: Iterable[str | Path], jobs: int = 1) -> int:
        """Read the ``paths`` not cached yet, ``jobs`` processes side by side (one core each);
        returns how many were read."""
        missing = [Path(p) for p in dict.fromkeys(paths)
                   if not (self.folder / f"{self.key(Path(p))}.json").exists()]
        if jobs <= 1 or len(missing) <= 1:
            for path in missing:
                self.read(path)
            return len(missing)
        with ProcessPoolExecutor(jobs, mp_context=forkserver_context(),
                                 initializer=_init_cache_worker,
                                 initargs=(self.folder, self.config)) as pool:
            list(pool.map(_cache_read, missing))
        return len(missing)


_WORKER_CACHE: OcrCache | None = None


def _init_cache_worker(folder: Path, config: PipelineConfig) -> None:
    """One cache (one pipeline, engines loaded once) per worker process."""
    global _WORKER_CACHE
    single_threaded()
    _WORKER_CACHE = OcrCache(folder, config)


def _cache_read(path: Path) -> None:
    assert _WORKER_CACHE is not None, "worker not initialised"
    _WORKER_CACHE.read(path)


def needs_ocr(record: Record, words: WordSource) -> bool:
    """Whether ``record``'s words come from reading its scans."""
    return record.document is None and not (words == "ground_truth" and record.ground_truth)


def read_document(record: Record, words: WordSource, cache: OcrCache) -> Document:
    """The document of ``record``: its known words, its ground-truth tree or its OCR."""
    if record.document is not None:
        return record.document
    if not needs_ocr(record, words):
        data = json.loads(record.path(record.ground_truth).read_text(encoding="utf-8"))
        return Document.from_export(data)
    documents = [cache.read(p) for p in record.scan_paths()]
    pages = [p.model_copy(update={"index": i})
             for i, p in enumerate(pg for d in documents for pg in d.pages)]
    return documents[0].model_copy(update={"pages": pages})


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(p.capitalize() for p in rest)


def load_labels(path: str | Path) -> list[Record]:
    """Records of a ``labels.jsonl`` of hand-checked scans (``data/samples``): ``id`` (the scan
    is ``<id>.pdf`` beside it), ``form`` (type name), ``domain``, snake-case field values."""
    path = Path(path)
    renamed = {"organ_name": "organName", "pages": "numberOfPage"}
    records = []
    with path.open(encoding="utf-8") as fh:
        for row in map(json.loads, filter(str.strip, fh)):
            code = type_code(row.get("form"))
            fields = {renamed.get(k, _camel(k)): FieldLabel(value=v) for k, v in row.items()
                      if k not in ("id", "form", "domain", "scan_quality", "notes", "confidence")
                      and v not in (None, "")}
            records.append(Record(id=row["id"], source=path.parent.name, root=str(path.parent),
                                  files={"pdf": f"{row['id']}.pdf"}, domain=row.get("domain"),
                                  typeName=code, fields=fields))
    return records


def load_source(kind: str, path: str | Path, mapping: CatalogueMapping | None = None
                ) -> list[Record]:
    """Records of one input of ``kind`` (``manifest``, ``catalogue``, ``folders``,
    ``label_studio`` or ``labels``)."""
    if kind == "catalogue":
        return load_catalogue(path, mapping)
    loaders = {"manifest": load_manifest, "folders": load_folders,
               "label_studio": load_label_studio, "labels": load_labels}
    return loaders[kind](path)


def guess_kind(path: str | Path) -> str:
    """The loader for ``path``: a folder, ``*.xlsx``/``*.csv``, a Label Studio ``*.json``, a
    manifest or a ``labels.jsonl``."""
    path = Path(path)
    if path.is_dir():
        return "manifest" if (path / "manifest.jsonl").exists() else "folders"
    if path.suffix.lower() in (".xlsx", ".csv"):
        return "catalogue"
    if path.suffix.lower() == ".json":
        return "label_studio"
    first = json.loads(path.read_text(encoding="utf-8").split("\n", 1)[0])
    return "manifest" if "files" in first else "labels"
