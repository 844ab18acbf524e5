"""The document tree: JSON round-trip (property-based) and the geometry helpers."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from archml.document import (
    Block,
    Box,
    Classification,
    Document,
    DocumentSource,
    FieldValue,
    Line,
    Page,
    PageSource,
    Prediction,
    StepRecord,
    Word,
    Zone,
)

coords = st.floats(min_value=0, max_value=10_000, allow_nan=False, allow_infinity=False)
texts = st.text(min_size=1, max_size=12)
confidences = st.none() | st.floats(min_value=0, max_value=1, allow_nan=False)


@st.composite
def boxes(draw) -> Box:
    x0, y0 = draw(coords), draw(coords)
    return Box(x0, y0, x0 + draw(coords), y0 + draw(coords))


words = st.builds(Word, text=texts, box=boxes(), confidence=confidences)
lines = st.builds(Line, words=st.lists(words, max_size=4), box=boxes())
blocks = st.builds(Block, lines=st.lists(lines, max_size=3), box=boxes(),
                   zone=st.none() | st.sampled_from(list(Zone)))
json_scalars = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=8)
steps = st.builds(StepRecord, name=st.sampled_from(["read", "deskew", "ocr"]),
                  params=st.dictionaries(st.text(min_size=1, max_size=6), json_scalars, max_size=3),
                  seconds=st.none() | st.floats(0, 100, allow_nan=False))


unit = st.floats(0, 1, allow_nan=False)
predictions = st.builds(Prediction, label=texts, confidence=unit,
                        top_k=st.lists(st.tuples(texts, unit), max_size=3))
classes = st.builds(Classification, domain=predictions, form=predictions,
                    doc_type=st.none() | predictions, method=st.sampled_from(["rule", "model"]))
field_data = json_scalars | st.floats(-1e6, 1e6, allow_nan=False) | st.lists(json_scalars,
                                                                               max_size=3)


def field_values() -> st.SearchStrategy[FieldValue]:
    return st.builds(FieldValue, name=texts, raw=st.text(max_size=20), value=field_data,
                     confidence=unit, page=st.none() | st.integers(0, 5),
                     box=st.none() | boxes(), problems=st.lists(st.text(max_size=10), max_size=2))


@st.composite
def pages(draw, index: int = 0) -> Page:
    source = PageSource(
        file=draw(st.none() | st.text(max_size=20)), page_index=index,
        dpi=draw(st.floats(50, 1200, allow_nan=False)),
        rotation=draw(st.sampled_from([0, 90, 180, 270])),
        deskew_angle=draw(st.floats(-15, 15, allow_nan=False)),
        text_source=draw(st.sampled_from(["none", "ocr", "text_layer"])),
        steps=draw(st.lists(steps, max_size=3)))
    return Page(index=index, width=draw(st.integers(1, 20_000)),
                height=draw(st.integers(1, 20_000)), source=source,
                blocks=draw(st.lists(blocks, max_size=3)))


@st.composite
def documents(draw) -> Document:
    n = draw(st.integers(0, 3))
    page_list = [draw(pages(index=i)) for i in range(n)]
    source = DocumentSource(path=draw(st.none() | st.text(max_size=30)), sha256="ab" * 32,
                            mime="application/pdf", size_bytes=draw(st.integers(0, 10**9)),
                            n_pages=n)
    fields = draw(st.dictionaries(st.sampled_from(["codeNumber", "issuedDate", "parties"]),
                                  field_values(), max_size=3))
    fields = {name: value.model_copy(update={"name": name}) for name, value in fields.items()}
    return Document(source=source, pages=page_list, classification=draw(st.none() | classes),
                    fields=fields)


@settings(max_examples=60, deadline=None)
@given(documents())
def test_export_round_trips_through_json(document: Document) -> None:
    exported = document.export()
    text = json.dumps(exported, ensure_ascii=False)
    rebuilt = Document.from_export(json.loads(text))
    assert rebuilt == document
    assert rebuilt.export() == exported


def test_export_is_plain_json_and_omits_working_buffers() -> None:
    page = Page(index=0, width=10, height=20, source=PageSource(page_index=0, dpi=300),
                image=np.zeros((20, 10), np.uint8),
                text_layer=[Word(text="x", box=Box(0, 0, 1, 1))])
    exported = page.export()
    assert "image" not in exported and "text_layer" not in exported
    assert Page.from_export(json.loads(json.dumps(exported))) == page


def test_every_node_kind_round_trips_alone() -> None:
    word = Word(text="Quyết", box=Box(1, 2, 30, 12), confidence=0.9)
    line = Line.from_words([word, Word(text="định", box=Box(35, 2, 60, 14))])
    block = Block.from_lines([line], zone=Zone.TITLE)
    for node in (word, line, block):
        assert type(node).from_export(node.export()) == node
    assert line.box == Box(1, 2, 60, 14)
    assert block.text == "Quyết định"
    assert line.confidence == pytest.approx(0.9)


def test_text_and_zone_views() -> None:
    def block(text: str, y: float, zone: Zone | None) -> Block:
        return Block.from_lines([Line.from_words([Word(text=text, box=Box(0, y, 50, y + 10))])],
                                zone=zone)

    page = Page(index=0, width=100, height=100, source=PageSource(page_index=0, dpi=200),
                blocks=[block("Số:", 0, Zone.NUMBER), block("86/QĐ-UBND", 20, Zone.NUMBER),
                        block("Điều 1.", 40, Zone.BODY)])
    assert page.zone_text(Zone.NUMBER) == "Số:\n86/QĐ-UBND"
    assert page.zone_text(Zone.SIGNER) == ""
    assert [w.text for w in page.words] == ["Số:", "86/QĐ-UBND", "Điều 1."]


def test_box_geometry() -> None:
    a, b = Box(0, 0, 10, 10), Box(5, 5, 20, 20)
    assert a.union(b) == Box(0, 0, 20, 20)
    assert a.intersection_area(b) == 25
    assert a.vertical_overlap(Box(100, 5, 120, 10)) == pytest.approx(1.0)
    assert Box(0, 0, 10, 10).vertical_overlap(Box(0, 20, 10, 30)) == 0
    assert Box(50, 100, 150, 200).normalized(200, 400) == (250, 250, 750, 500)
    assert Box(-5, 0, 500, 10).normalized(100, 100) == (0, 0, 1000, 100)
    with pytest.raises(ValueError, match="at least one"):
        Box.enclosing([])


def test_invalid_values_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Word(text="x", box=Box(0, 0, 1, 1), confidence=1.5)
    with pytest.raises(ValidationError):
        Page(index=0, width=0, height=10, source=PageSource(page_index=0, dpi=300))
    with pytest.raises(ValidationError):
        PageSource(page_index=0, dpi=300, unknown_field=1)
