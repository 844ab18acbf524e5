"""The HTML report of a batch: one self-contained file an archivist opens in any browser.

Headline numbers, class distributions (domain, TT05 form, fine type), confidence histograms,
throughput over time, failures by error type and the review queue. Archives run air-gapped, so
the page has no scripts and refers to nothing outside itself: charts are inline SVG drawn here,
styles are inline, every text is escaped. Review rows link to ``results/<key>.json`` beside it.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any
from urllib.parse import quote

from archml.batch.journal import JournalEntry
from archml.files import write_atomic
from archml.result import Result

MAX_ROWS = 500
"""Rows shown per table; the rest are counted (review.csv and the journal hold them all)."""

TOP_REASONS = 15
_BIN_MINUTES = (1, 2, 5, 10, 15, 30, 60, 120, 240, 360, 720, 1440, 10080)
_MAX_BINS = 60
_CSS = """
body{font-family:"DejaVu Sans","Noto Sans",Arial,sans-serif;margin:2em;color:#222;max-width:70em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
.stats{display:flex;flex-wrap:wrap;gap:1em}
.stat{border:1px solid #ccc;border-radius:4px;padding:.5em 1em;min-width:7em}
.stat .value{font-size:1.6em;font-weight:bold}.stat .label{color:#555}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.2em .5em;
text-align:left;vertical-align:top}td.num{text-align:right}
svg{display:block;margin:1em 0}svg text{font-size:12px;fill:#222}
.bar{fill:#4a7ab5}.fail{fill:#c0504d}.axis{stroke:#888}.note{color:#555}
"""


def write_report(path: str | os.PathLike[str], entries: Sequence[JournalEntry],
                 results: Sequence[Result], *, title: str, started: float | None = None,
                 summary: dict[str, Any] | None = None) -> None:
    """Write the report of a batch to ``path`` (atomically). ``entries`` are the journal's
    rows, ``results`` the finished documents' Results (matched to rows by source path, then
    SHA-256), ``started`` the run's start (Unix time), ``summary`` the manifest's values."""
    page = render_report(entries, results, title=title, started=started, summary=summary)
    write_atomic(path, page, durable=True)


def render_report(entries: Sequence[JournalEntry], results: Sequence[Result], *, title: str,
                  started: float | None = None, summary: dict[str, Any] | None = None) -> str:
    """The report as one HTML string."""
    keyed = keyed_results(entries, results)
    sections = [
        _headline(entries, results, started),
        _run_table(summary) if summary else "",
        _classes(results),
        _confidences(results),
        _throughput_section(entries, started),
        _failures(entries, keyed),
        _review(keyed),
    ]
    return _page(title, sections)


def keyed_results(entries: Sequence[JournalEntry], results: Sequence[Result]
                  ) -> list[tuple[str | None, Result]]:
    """Each Result with its journal key (``None`` when no row matches it)."""
    by_path = {e.uri: e.key for e in entries} | {e.key: e.key for e in entries}
    by_sha: dict[str, str] = {}
    for e in entries:
        by_sha.setdefault(e.sha256, e.key)
    return [(by_path.get(r.source.path or "") or by_sha.get(r.source.sha256 or ""), r)
            for r in results]


# --- page ---------------------------------------------------------------------------------

def _page(title: str, sections: Iterable[str]) -> str:
    created = datetime.now(UTC).isoformat(timespec="seconds")
    body = "\n".join(s for s in sections if s)
    return (f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            f"<h1>{escape(title)}</h1>\n<p class=\"note\">Written {created} by archml.</p>\n"
            f"{body}\n</body>\n</html>\n")


def _section(heading: str, *parts: str) -> str:
    return f"<section>\n<h2>{escape(heading)}</h2>\n" + "\n".join(parts) + "\n</section>"


def _note(text: str) -> str:
    return f'<p class="note">{escape(text)}</p>'


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], *, total: int | None = None
           ) -> str:
    """A table of pre-escaped cells (numbers right-aligned); ``total`` notes cut rows."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    shown = list(rows)
    body = "".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>\n" for row in shown)
    more = ("" if total is None or total <= len(shown)
            else _note(f"… and {total - len(shown)} more not shown."))
    return f"<table>\n<tr>{head}</tr>\n{body}</table>{more}"


def _cell(html: str) -> str:
    numeric = re.fullmatch(r"[\d.,%]+", html) is not None
    return f'<td class="num">{html}</td>' if numeric else f"<td>{html}</td>"


# --- charts -------------------------------------------------------------------------------

def svg_bar_chart(items: Sequence[tuple[str, float]], *, title: str, css_class: str = "bar",
                  width: int = 720, label_width: int = 300) -> str:
    """Horizontal bars, one per ``(label, value)``, labels left and values right of the bar."""
    row, top = 22, 8
    height = top * 2 + row * len(items)
    scale = (width - label_width - 70) / (max((v for _, v in items), default=0) or 1)
    parts = [_svg_open(width, height, title)]
    for i, (label, value) in enumerate(items):
        y = top + i * row
        length = max(value * scale, 1 if value else 0)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(_shorten(label, 44))}</text>"
            f'<rect class="{css_class}" x="{label_width}" y="{y + 3}" width="{length:.1f}" '
            f'height="{row - 6}"/>'
            f'<text x="{label_width + length + 5:.1f}" y="{y + 15}">{_number(value)}</text>')
    return "\n".join([*parts, "</svg>"])


def svg_column_chart(values: Sequence[float], labels: Sequence[str], *, title: str,
                     width: int = 720, height: int = 220) -> str:
    """Vertical columns over a labelled axis (at most about twelve labels are written)."""
    left, bottom, top = 50, 34, 12
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = max(values, default=0) or 1
    step = plot_w / max(len(values), 1)
    every = max(1, math.ceil(len(labels) / 12))
    parts = [_svg_open(width, height, title),
             f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
             f'y2="{top + plot_h}"/>',
             f'<text x="{left - 6}" y="{top + 10}" text-anchor="end">{_number(peak)}</text>',
             f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>']
    for i, value in enumerate(values):
        bar_h = plot_h * value / peak
        x = left + i * step
        parts.append(f'<rect class="bar" x="{x + 1:.1f}" y="{top + plot_h - bar_h:.1f}" '
                     f'width="{max(step - 2, 1):.1f}" height="{bar_h:.1f}">'
                     f"<title>{escape(labels[i])}: {_number(value)}</title></rect>")
        if i % every == 0:
            parts.append(f'<text x="{x + step / 2:.1f}" y="{top + plot_h + 16}" '
                         f'text-anchor="middle">{escape(labels[i])}</text>')
    return "\n".join([*parts, "</svg>"])


def svg_histogram(values: Sequence[float], *, title: str, bins: int = 10, lo: float = 0.0,
                  hi: float = 1.0) -> str:
    """Counts of ``values`` in ``bins`` equal bins over ``[lo, hi]``."""
    counts = histogram(values, bins=bins, lo=lo, hi=hi)
    width = (hi - lo) / bins
    labels = [f"{lo + i * width:.1f}–{lo + (i + 1) * width:.1f}" for i in range(bins)]
    return svg_column_chart(counts, labels, title=title)


def histogram(values: Iterable[float], *, bins: int, lo: float, hi: float) -> list[int]:
    """How many values fall in each bin; ``hi`` itself counts in the last bin."""
    counts = [0] * bins
    for value in values:
        index = int((value - lo) / (hi - lo) * bins)
        counts[min(max(index, 0), bins - 1)] += 1
    return counts


def _svg_open(width: int, height: int, title: str) -> str:
    return (f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>')


def _chart(title: str, svg: str) -> str:
    return f"<h3>{escape(title)}</h3>\n{svg}"


# --- sections -----------------------------------------------------------------------------

def _headline(entries: Sequence[JournalEntry], results: Sequence[Result],
              started: float | None) -> str:
    finished = [e for e in entries if e.finished is not None]
    pages = sum(e.pages for e in entries)
    span = _span(finished, started)
    stats = [("documents", str(len(entries))), ("pages", str(pages)),
             ("failed", str(sum(e.status == "failed" for e in entries))),
             ("needs review", str(sum(r.needs_review for r in results))),
             ("not finished", str(len(entries) - len(finished))),
             ("total time", _duration(span[1] - span[0]) if span else "–"),
             ("pages/s", f"{pages / (span[1] - span[0]):.2f}"
              if span and span[1] > span[0] else "–"),
             ("processing time", _duration(sum(e.seconds or 0.0 for e in entries)))]
    cards = "".join(f'<div class="stat"><div class="value">{escape(value)}</div>'
                    f'<div class="label">{escape(label)}</div></div>' for label, value in stats)
    return _section("Summary", f'<div class="stats">{cards}</div>')


def _span(finished: Sequence[JournalEntry], started: float | None
          ) -> tuple[float, float] | None:
    """First start and last finish over the finished documents (and the run's start)."""
    if not finished:
        return None
    starts = [e.finished - (e.seconds or 0.0) for e in finished if e.finished is not None]
    if started is not None:
        starts.append(started)
    return min(starts), max(e.finished for e in finished if e.finished is not None)


def _run_table(summary: dict[str, Any]) -> str:
    rows = [(escape(name), escape(_format(name, value)))
            for name, value in _flatten(summary) if not isinstance(value, dict | list)]
    return _section("Run", _table(("setting", "value"), rows))


def _flatten(values: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """``(name, value)`` pairs, one level of nested dicts spelled ``outer.inner``."""
    pairs: list[tuple[str, Any]] = []
    for name, value in values.items():
        if isinstance(value, dict) and not prefix:
            pairs += _flatten(value, f"{name}.")
        else:
            pairs.append((prefix + name, value))
    return pairs


def _format(name: str, value: Any) -> str:
    if name.rsplit(".", 1)[-1] in ("started", "finished") and isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC).isoformat(timespec="seconds")
    return str(value)


def _classes(results: Sequence[Result]) -> str:
    classified = [r.classification for r in results if r.classification is not None]
    if not classified:
        return _section("Classes", _note("No document was classified."))
    domains = Counter(c.domain.name or c.domain.label for c in classified)
    forms = Counter(f"{c.form.label} {c.form.name or ''}".strip() for c in classified)
    types = Counter((c.doc_type.name or c.doc_type.label) if c.doc_type else "(no fine type)"
                    for c in classified)
    charts = [("Domain", domains), ("TT05 form (typeName)", forms), ("Fine document type", types)]
    return _section("Classes", *(_chart(name, svg_bar_chart(counts.most_common(), title=name))
                                 for name, counts in charts))


def _confidences(results: Sequence[Result]) -> str:
    classified = [r.classification for r in results if r.classification is not None]
    series = [("Domain confidence", [c.domain.confidence for c in classified]),
              ("Form confidence", [c.form.confidence for c in classified]),
              ("Field confidence", [f.confidence for r in results for f in r.fields.values()])]
    parts = [_chart(f"{name} ({len(values)})", svg_histogram(values, title=name)) if values
             else _note(f"{name}: no values.") for name, values in series]
    return _section("Confidence", *parts)


def _throughput_section(entries: Sequence[JournalEntry], started: float | None) -> str:
    finished = [e for e in entries if e.finished is not None]
    if not finished:
        return _section("Throughput", _note("No document has finished yet."))
    minutes, start, rates = throughput(finished, started)
    labels = [datetime.fromtimestamp(start + i * minutes * 60, UTC).strftime("%H:%M")
              for i in range(len(rates))]
    title = f"Pages per minute (UTC, {minutes} min bins)"
    return _section("Throughput", _chart(title, svg_column_chart(rates, labels, title=title)))


def throughput(finished: Sequence[JournalEntry], started: float | None = None
               ) -> tuple[int, float, list[float]]:
    """Pages per minute over time from the documents' finish times: the bin width in minutes
    (chosen for at most sixty bins), the first bin's start (Unix time) and each bin's rate."""
    span = _span(finished, started)
    assert span is not None, "throughput needs finished documents"
    start = math.floor(span[0] / 60) * 60
    minutes = next((m for m in _BIN_MINUTES if (span[1] - start) / (m * 60) < _MAX_BINS),
                   _BIN_MINUTES[-1])
    pages = [0.0] * (int((span[1] - start) // (minutes * 60)) + 1)
    for e in finished:
        assert e.finished is not None
        pages[int((e.finished - start) // (minutes * 60))] += e.pages
    return minutes, start, [p / minutes for p in pages]


def _failures(entries: Sequence[JournalEntry],
              keyed: Sequence[tuple[str | None, Result]]) -> str:
    failed = [(e.key, *_error_of(e, keyed)) for e in entries if e.status == "failed"]
    if not failed:
        return _section("Failures", _note("No document failed."))
    by_type = Counter(kind for _, kind, _ in failed)
    chart = svg_bar_chart(by_type.most_common(), title="Failures by error type", css_class="fail")
    rows = [(escape(kind), escape(key), escape(message))
            for key, kind, message in sorted(failed, key=lambda f: (f[1], f[0]))[:MAX_ROWS]]
    return _section("Failures", _chart("Failures by error type", chart),
                    _table(("error type", "document", "message"), rows, total=len(failed)))


def _error_of(entry: JournalEntry, keyed: Sequence[tuple[str | None, Result]]
              ) -> tuple[str, str]:
    """Error type and message of a failed document, from its row or else its Result."""
    error = next((r.error for key, r in keyed if key == entry.key and r.error), None)
    kind = entry.error_type or (error.type if error else "unknown")
    return kind, entry.error_message or (error.message if error else "")


def _review(keyed: Sequence[tuple[str | None, Result]]) -> str:
    queue = [(key, r) for key, r in keyed if r.needs_review]
    if not queue:
        return _section("Review queue", _note("No document needs review."))
    reasons = Counter(group for _, r in queue for group in {reason_group(x)
                                                            for x in r.review_reasons})
    top = reasons.most_common(TOP_REASONS)
    chart = svg_bar_chart(top, title="Top review reasons (documents)")
    rows = [_review_row(key, r) for key, r in sorted(queue, key=lambda q: q[0] or "")]
    return _section("Review queue",
                    _note(f"{len(queue)} documents need review; "
                          f"{len(reasons)} kinds of reason."),
                    _chart("Top review reasons (documents)", chart),
                    _table(("document", "form", "form confidence", "reasons"), rows[:MAX_ROWS],
                           total=len(rows)))


def reason_group(reason: str) -> str:
    """A review reason without its document's particulars: ``field signer: not Vietnamese
    syllables: Nzấñyên`` → ``field signer: not Vietnamese syllables``, confidences → ``low``."""
    reason = re.sub(r"confidence \d+(\.\d+)? is below \d+(\.\d+)?", "low confidence", reason)
    reason = re.sub(r"confidence \d+(\.\d+)?", "low confidence", reason)
    return ": ".join(reason.split(": ")[:2])


def _review_row(key: str | None, result: Result) -> tuple[str, str, str, str]:
    name = key or result.source.path or "?"
    link = (f'<a href="results/{escape(quote(key))}.json">{escape(name)}</a>' if key
            else escape(name))
    c = result.classification
    form = escape(f"{c.form.label} {c.form.name or ''}".strip()) if c else "–"
    confidence = f"{c.form.confidence:.2f}" if c else "–"
    return link, form, confidence, escape("; ".join(result.review_reasons))


# --- numbers ------------------------------------------------------------------------------

def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


__all__ = ["histogram", "keyed_results", "reason_group", "render_report", "svg_bar_chart",
           "svg_column_chart", "svg_histogram", "throughput", "write_report"]
