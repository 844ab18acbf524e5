"""The taxonomy is consistent with TT05 and Decree 30 and exports a usable JSON Schema."""

from __future__ import annotations

import re

import pytest

from archml.taxonomy import (
    DOC_TYPES,
    FIELDS,
    TYPE_ABBREVIATIONS,
    TYPE_NAMES,
    Domain,
    doc_type,
    fields_for,
    fields_json_schema,
)


def test_type_codes_are_the_tt05_list() -> None:
    assert list(TYPE_NAMES) == [f"{i:02d}" for i in range(1, 33)]
    assert TYPE_NAMES["22"] == "Công văn" and TYPE_NAMES["32"] == "Khác"
    assert set(TYPE_ABBREVIATIONS.values()) <= set(TYPE_NAMES)
    # Decree 30: every administrative type but công văn and thư công has an abbreviation
    assert set(TYPE_NAMES) - set(TYPE_ABBREVIATIONS.values()) == {"22", "29", "30", "31", "32"}


def test_fine_types_cover_every_domain_with_valid_codes() -> None:
    assert len(DOC_TYPES) >= 18 and len({t.id for t in DOC_TYPES}) == len(DOC_TYPES)
    for domain in Domain:
        assert [t for t in DOC_TYPES if t.domain == domain]
    for t in DOC_TYPES:
        assert t.id.startswith(f"{t.domain.value}.") and t.type_code in TYPE_NAMES
        assert t.title == t.title.upper()
    assert doc_type("administrative.cong_van").type_name == "Công văn"
    with pytest.raises(KeyError, match="unknown document type"):
        doc_type("land.nothing")


def test_fields_apply_by_domain() -> None:
    names = {f.name for f in fields_for("land")}
    assert {"codeNumber", "parcelNumber", "landUsePurpose"} <= names
    assert "caseNumber" not in names and "caseNumber" in {f.name for f in fields_for("judicial")}
    assert len({f.name for f in FIELDS}) == len(FIELDS)


def test_json_schema_lists_every_field_with_its_codes() -> None:
    schema = fields_json_schema()
    assert list(schema["properties"]) == [f.name for f in FIELDS]
    assert "ODT" in schema["properties"]["landUsePurpose"]["enum"]
    date = re.compile(schema["properties"]["issuedDate"]["pattern"])
    assert date.match("2024-03-05") and date.match("2010-01") and not date.match("05/03/2024")
