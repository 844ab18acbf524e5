"""Field labels → BIO tags on a document's words.

Two ways, one result (:class:`Alignment`):

* :func:`tag_by_boxes` – exact: fields whose pixel boxes are known (the generator's ground truth
  with its own words) tag the words their boxes cover;
* :func:`align_values` – weak: values typed in a catalogue (or known without boxes) are searched
  among OCR words, OCR-tolerantly (:func:`archml.fields.text.find_span`: case, tone marks and
  OCR confusions do not matter), dates in every written form, notations without their spaces
  and slashes. The search runs in the layout block that best contains the value, so it stays
  fast on long documents. Each field gets a quality (match score) or a reason it was not found.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from archml.document import Box, Document, Word
from archml.features import IGNORE, DocWords, page_order
from archml.fields.dates import format_date, parse_date
from archml.fields.notation import normalize_symbol
from archml.fields.text import contains, digits, find_span, match_key
from archml.layout.text import levenshtein
from archml.taxonomy import FIELDS_BY_NAME
from archml.training.data import FieldLabel

MIN_SCORE = 0.75
"""Lowest match score (0–1) a weak label is accepted at."""
DATE_STYLES = ("vietnamese", "numeric", "court", "words")


BLANK = "blank in the labels"


@dataclass
class Alignment:
    """Per-word tag ids, per-field match quality, and why unmatched fields were not found."""

    tags: list[int]
    quality: dict[str, float] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Whether every labelled value was placed, so an untagged word is known to be
        outside every field (a value not found may hide under any ``O``)."""
        return all(why == BLANK for why in self.missing.values())

    def training_tags(self) -> list[int]:
        """The tags to learn from: untagged words count as ``O`` only when complete, else
        they are left out of the loss (:data:`IGNORE`), so a missed value does not teach ``O``."""
        return list(self.tags) if self.complete else [t if t else IGNORE for t in self.tags]


def _tag(tags: list[int], start: int, end: int, name: str, index: dict[str, int]) -> None:
    if f"B-{name}" not in index:
        return
    tags[start] = index[f"B-{name}"]
    for i in range(start + 1, end):
        tags[i] = index[f"I-{name}"]


def tag_by_boxes(document: Document, labels: dict[str, FieldLabel], index: dict[str, int],
                 order: str = "first_last", min_share: float = 0.5) -> Alignment:
    """Tags from field boxes: a word belongs to the field whose box covers the largest share
    (at least ``min_share``) of it; consecutive words of a field form one B/I run."""
    owners: list[str | None] = []
    for page_index in page_order(len(document.pages), order):
        page = document.pages[page_index]
        pieces = [(name, Box(*box)) for name, label in labels.items() if f"B-{name}" in index
                  for page_no, box in (label.boxes or ([(label.page, label.box)]
                                                       if label.box else []))
                  if page_no == page_index]
        for word in (w for w in page.words if w.text.strip()):
            share: dict[str, float] = {}
            for name, box in pieces:
                covered = box.intersection_area(word.box) / max(word.box.area, 1e-6)
                share[name] = max(covered, share.get(name, 0.0))
            best = max(share, key=share.__getitem__, default=None)
            owners.append(best if best is not None and share[best] >= min_share else None)
    tags = [0] * len(owners)
    quality, previous = {}, None
    for i, name in enumerate(owners):
        if name is not None:
            tags[i] = index[f"{'I' if name == previous else 'B'}-{name}"]
            quality[name] = 1.0
        previous = name
    missing = {name: "no box on the page" for name in labels
               if f"B-{name}" in index and name not in quality}
    return Alignment(tags, quality, missing)


def candidates(name: str, label: FieldLabel) -> list[str]:
    """The ways ``label`` may be printed: its raw text, and its value in the field's forms."""
    found = [label.raw] if label.raw else []
    value = "" if label.value is None else str(label.value).strip()
    if not value:
        return [c for c in found if c.strip()]
    spec = FIELDS_BY_NAME.get(name)
    if spec is not None and spec.value_type == "date":
        date = parse_date(value)
        found += [format_date(date, s) for s in DATE_STYLES] if date else []
    elif name == "codeNotation":
        found.append(normalize_symbol(value))
    elif name == "codeNumber":
        found.append(str(int(value)) if value.isdigit() else value)
    else:
        found.append(value.replace("\n", " "))
    return list(dict.fromkeys(c for c in found if c.strip()))


def _number_word(number: str, words: Sequence[Word]) -> int | None:
    """The word carrying document number ``number``: ``86`` before ``/…`` or ``86/QĐ``."""
    for i, word in enumerate(words):
        head = word.text.split("/")[0].split(":")[-1]
        read = digits(head) if head else None
        followed = "/" in word.text or (i + 1 < len(words) and words[i + 1].text.startswith("/"))
        if read is not None and read.lstrip("0") == number.lstrip("0") and followed:
            return i
    return None


def _notation_word(symbol: str, words: Sequence[Word]) -> tuple[int, int, float] | None:
    """The words holding notation ``symbol`` after a ``/`` (``86/QĐ-UBND``, ``/QĐ -UBND``):
    a word with a slash and up to two words after it, joined without spaces."""
    key = match_key(symbol)
    best = None
    for i, word in enumerate(words):
        if "/" not in word.text:
            continue
        for end in range(i + 1, min(i + 4, len(words) + 1)):
            joined = "".join(w.text for w in words[i:end])
            tail = match_key(normalize_symbol(joined.split("/", 1)[1]))
            score = 1.0 - levenshtein(key, tail) / max(len(key), len(tail), 1)
            if best is None or score > best[2]:
                best = (i, end, score)
    return best


def _search(name: str, texts: list[str], words: Sequence[Word]) -> tuple[int, int, float] | None:
    """The best ``(start, end, score)`` of any candidate text among ``words``."""
    best = None
    for text in texts:
        if name == "codeNumber":
            i = _number_word(text, words)
            hit = (i, i + 1, 1.0) if i is not None else None
        elif name == "codeNotation":
            hit = _notation_word(text, words)
        else:
            span = find_span(text, words, threshold=0.0)
            hit = (span.start, span.end, span.score) if span else None
        if hit is not None and (best is None or hit[2] > best[2]):
            best = hit
    return best


def align_values(words: DocWords, labels: dict[str, FieldLabel],
                 index: dict[str, int]) -> Alignment:
    """Tags from field values searched among ``words`` (see the module doc)."""
    tags = [0] * len(words)
    alignment = Alignment(tags)
    if not len(words):
        alignment.missing = {n: "no words (blank page or OCR failed)" for n in labels
                             if f"B-{n}" in index}
        return alignment
    nodes = [Word(text=t, box=Box(*map(float, b))) for t, b in zip(words.texts, words.boxes,
                                                                   strict=True)]
    ends = (int(words.pages[0]), int(words.pages.max()))
    block_ids = np.unique(words.blocks[np.isin(words.pages, ends)])
    block_text = {b: " ".join(words.texts[i] for i in np.flatnonzero(words.blocks == b))
                  for b in block_ids}
    used = np.zeros(len(words), dtype=bool)
    # notation first: it owns the word it shares with the number
    for name in sorted(labels, key=lambda n: n != "codeNotation"):
        if f"B-{name}" not in index:
            continue
        texts = candidates(name, labels[name])
        if not texts:
            alignment.missing[name] = ("unreadable value" if labels[name].value not in (None, "")
                                       else BLANK)
            continue
        hit = _best_hit(name, texts, nodes, words.blocks, block_text)
        if hit is None or hit[2] < MIN_SCORE:
            score = f"{hit[2]:.2f} at {' '.join(words.texts[hit[0]:hit[1]])!r}" if hit else "none"
            alignment.missing[name] = f"not found in the OCR text (best match {score})"
            continue
        start, end, score = hit
        free = [i for i in range(start, end) if not used[i]]
        if not free:
            alignment.missing[name] = "its words already belong to another field"
            continue
        _tag(tags, free[0], free[-1] + 1, name, index)
        used[free[0]:free[-1] + 1] = True
        alignment.quality[name] = round(score, 3)
    return alignment


def _best_hit(name: str, texts: list[str], nodes: list[Word], blocks: np.ndarray,
              block_text: dict[int, str]) -> tuple[int, int, float] | None:
    """Search the two blocks that best contain a candidate (all words for short codes)."""
    if name in ("codeNumber", "codeNotation"):
        positions = np.flatnonzero(np.isin(blocks, list(block_text)))
        hit = _search(name, texts, [nodes[i] for i in positions])
        return (int(positions[hit[0]]), int(positions[hit[1] - 1]) + 1, hit[2]) if hit else None
    ranked = sorted(block_text, key=lambda b: -max(contains(block_text[b], t) for t in texts))
    best = None
    for b in ranked[:2]:
        positions = np.flatnonzero(blocks == b)
        lo, hi = int(positions[0]), int(positions[-1]) + 1
        hit = _search(name, texts, nodes[lo:hi])
        if hit is not None and (best is None or hit[2] > best[2]):
            best = (hit[0] + lo, hit[1] + lo, hit[2])
    return best


_REASON = re.compile(r"\(best match [^)]*\)")


def report(alignments: Iterable[Alignment]) -> list[dict[str, object]]:
    """Per field: values, found, mean quality, and the not-found reasons with their counts."""
    found: dict[str, list[float]] = {}
    reasons: dict[str, Counter[str]] = {}
    for a in alignments:
        for name, q in a.quality.items():
            found.setdefault(name, []).append(q)
        for name, why in a.missing.items():
            reasons.setdefault(name, Counter())[_REASON.sub("", why).strip()] += 1
    rows = []
    for name in sorted(set(found) | set(reasons)):
        hits, why = found.get(name, []), reasons.get(name, Counter())
        rows.append({"field": name, "labelled": len(hits) + sum(why.values()),
                     "found": len(hits),
                     "quality": round(float(np.mean(hits)), 3) if hits else None,
                     "not_found": dict(why)})
    return rows


def report_markdown(rows: list[dict[str, object]]) -> str:
    """:func:`report` rows as a Markdown table."""
    lines = ["| field | labelled | found | mean quality | not found (why) |",
             "|---|---:|---:|---:|---|"]
    for r in rows:
        why = "; ".join(f"{k} ×{v}" for k, v in r["not_found"].items()) or "–"  # type: ignore[union-attr]
        quality = "–" if r["quality"] is None else f"{r['quality']:.2f}"
        lines.append(f"| {r['field']} | {r['labelled']} | {r['found']} | {quality} | {why} |")
    return "\n".join(lines)
