"""The batch HTML report: real Results of bundled samples, synthetic journal rows around them."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from archml.batch.journal import JournalEntry, Status
from archml.batch.report import (
    histogram,
    keyed_results,
    reason_group,
    throughput,
    write_report,
)
from archml.errors import CorruptInput
from archml.pipeline import Pipeline, PipelineConfig
from archml.result import Result
from archml.taxonomy import TYPE_NAMES

T0 = 1_750_000_000.0
BROKEN = "/kho/Hồ sơ/hỏng & <cũ>.pdf"
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr"}
SVG_LEAVES = {"rect", "line"}  # written self-closed


class Page(HTMLParser):
    """What the tests look at: tag balance, headline numbers, charts, links, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.svgs = 0
        self.svg_titles = 0
        self.links: list[str] = []
        self.attributes: list[str] = []
        self.texts: list[str] = []
        self.classes: list[str] = []
        self.stats: dict[str, str] = {}
        self.charset: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.attributes += [f"{name}={value}" for name, value in attrs]
        self.classes.append(found.get("class") or "")
        if tag == "meta":
            self.charset = found.get("charset")
        if tag == "svg":
            self.svgs += 1
        if tag == "title" and self.stack and self.stack[-1] == "svg":
            self.svg_titles += 1
        if tag == "a":
            self.links.append(found.get("href") or "")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SVG_LEAVES:
            self.errors.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unexpected </{tag}>")

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self.classes[-1:] == ["label"] and self.stack[-1:] == ["div"]:
            value = self.texts[-2] if len(self.texts) > 1 else ""
            self.stats[data] = value

    @property
    def text(self) -> str:
        return " ".join(self.texts)


def parse(path: Path) -> Page:
    source = path.read_text(encoding="utf-8")
    page = Page()
    page.feed(source)
    page.close()
    assert page.errors == [] and page.stack == [], (page.errors, page.stack)
    assert page.charset == "utf-8"
    for forbidden in ("http://", "https://", "<script", "<link", "<img", "src=", "url(",
                      "@import", "<iframe", "<object"):
        assert forbidden not in source.lower(), forbidden
    return page


@pytest.fixture(scope="module")
def results(samples_dir: Path) -> list[Result]:
    pipeline = Pipeline(PipelineConfig(model=None))
    read = [pipeline.process(samples_dir / name) for name in ("vbhc13.pdf", "vbhc01.pdf")]
    error = CorruptInput("tệp PDF bị hỏng, không đọc được", source=BROKEN)
    return [*read, Result.from_error(error, BROKEN, pipeline.provenance())]


def entry(key: str, uri: str, sha256: str, status: Status, **values: object) -> JournalEntry:
    return JournalEntry(key=key, uri=uri, sha256=sha256, size=1000, mtime=T0 - 3600,
                        status=status, **values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def entries(results: list[Result]) -> list[JournalEntry]:
    thong_bao, quyet_dinh, error = results
    return [
        entry("2025/thông báo.pdf", str(thong_bao.source.path), str(thong_bao.source.sha256),
              "done", pages=thong_bao.source.pages, seconds=1.5, finished=T0 + 30),
        entry("2025/vbhc01.pdf", str(quyet_dinh.source.path), str(quyet_dinh.source.sha256),
              "done", pages=quyet_dinh.source.pages, seconds=4.0, finished=T0 + 200),
        entry("Hồ sơ/hỏng & <cũ>.pdf", BROKEN, "cd" * 32, "failed", seconds=0.1,
              finished=T0 + 201, error_type=error.error.type if error.error else None,
              error_message=error.error.message if error.error else None),
        entry("z/chưa xong.pdf", "/kho/z/chưa xong.pdf", "ef" * 32, "pending"),
    ]


def test_results_are_matched_to_journal_rows(entries: list[JournalEntry],
                                             results: list[Result]) -> None:
    keys = [key for key, _ in keyed_results(entries, results)]
    assert keys == ["2025/thông báo.pdf", "2025/vbhc01.pdf", "Hồ sơ/hỏng & <cũ>.pdf"]
    moved = results[0].model_copy(update={"source": results[0].source.model_copy(
        update={"path": "/elsewhere/renamed.pdf"})})
    assert keyed_results(entries, [moved]) == [("2025/thông báo.pdf", moved)]  # by SHA-256
    assert keyed_results([], [moved]) == [(None, moved)]


def test_report(tmp_path: Path, entries: list[JournalEntry], results: list[Result]) -> None:
    path = tmp_path / "report.html"
    summary = {"documents": 4, "run": {"started": T0, "finished": T0 + 300},
               "settings": {"model": None, "review_threshold": 0.6}}
    write_report(path, entries, results, title="archml batch: Kho lưu trữ <tỉnh>",
                 started=T0, summary=summary)
    page = parse(path)
    needs_review = sum(r.needs_review for r in results)
    pages = sum(e.pages for e in entries)
    assert needs_review >= 1
    assert page.stats["documents"] == "4"
    assert page.stats["pages"] == str(pages)
    assert page.stats["failed"] == "1"
    assert page.stats["needs review"] == str(needs_review)
    assert page.stats["not finished"] == "1"
    assert page.stats["total time"] == "3 min 21 s"
    assert page.stats["pages/s"] == f"{pages / 201:.2f}"
    text = page.text
    assert "archml batch: Kho lưu trữ <tỉnh>" in text  # escaped, shown as written
    assert "Quyết định" in text
    for result in results[:2]:
        form = result.classification.form if result.classification else None
        assert form is not None and f"{form.label} {TYPE_NAMES[form.label]}" in text
    assert "2025-06-15T15:06:40+00:00" in text  # run.started
    assert page.svgs == 9 == page.svg_titles  # 3 class, 3 confidence, throughput, failure, review
    assert "CorruptInput" in text and "tệp PDF bị hỏng, không đọc được" in text
    assert "Hồ sơ/hỏng & <cũ>.pdf" in text
    queued = [key for key, r in keyed_results(entries, results) if r.needs_review]
    assert page.links == [f"results/{quote(key)}.json" for key in sorted(queued)]
    assert "the document could not be processed" in text


def test_report_of_one_document(tmp_path: Path, entries: list[JournalEntry],
                                results: list[Result]) -> None:
    path = tmp_path / "one.html"
    write_report(path, entries[:1], results[:1], title="một tài liệu")
    page = parse(path)
    assert page.stats["documents"] == "1" and page.stats["failed"] == "0"
    assert page.stats["pages/s"] == f"{entries[0].pages / 1.5:.2f}"  # 1.5 s, no run start
    assert "No document failed." in page.text
    assert page.svgs == 7 + (1 if results[0].needs_review else 0)


def test_report_of_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    write_report(path, [], [], title="trống")
    page = parse(path)
    assert page.stats["documents"] == "0" and page.stats["pages"] == "0"
    assert page.stats["pages/s"] == "–"
    assert page.svgs == 0
    for note in ("No document was classified.", "No document has finished yet.",
                 "No document failed.", "No document needs review."):
        assert note in page.text


def test_throughput_bins_keep_every_page() -> None:
    finished = [entry(f"d{i}", f"/d{i}", "00" * 32, "done", pages=3, seconds=2.0,
                      finished=T0 + i * 600) for i in range(19)]  # three hours
    minutes, start, rates = throughput(finished)
    assert minutes == 5 and len(rates) <= 60
    assert start <= T0 - 2.0 and start % 60 == 0
    assert sum(rates) * minutes == pytest.approx(3 * 19)
    minutes, _, rates = throughput(finished[:1])
    assert (minutes, rates) == (1, [3.0])


def test_histogram_edges() -> None:
    assert histogram([0.0, 0.05, 0.1, 0.95, 1.0], bins=10, lo=0.0, hi=1.0) == [
        2, 1, 0, 0, 0, 0, 0, 0, 0, 2]


def test_review_reasons_are_grouped_without_particulars() -> None:
    assert reason_group("field signer: not Vietnamese syllables: Nzấñyên") == (
        "field signer: not Vietnamese syllables")
    assert reason_group("form confidence 0.41 is below 0.60") == "form low confidence"
    assert reason_group("field subject: confidence 0.32") == "field subject: low confidence"
    assert reason_group("field issuedDate not found") == "field issuedDate not found"
