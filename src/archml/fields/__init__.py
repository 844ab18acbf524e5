"""The field layer: Vietnamese parsers, normalisers and validators, OCR-aware matching, and the
Decree-30 rule extractor and rule classifier (see ``docs/fields.md``)."""

from archml.fields.cases import CaseNumber, format_case_number, parse_case_number
from archml.fields.classify import RuleClassifier, classify
from archml.fields.dates import PartialDate, format_date, parse_date
from archml.fields.notation import Notation, format_notation, parse_notation
from archml.fields.rules import RuleExtractor, extract
from archml.fields.validate import validate_fields, validate_value

__all__ = [
    "CaseNumber", "Notation", "PartialDate", "RuleClassifier", "RuleExtractor", "classify",
    "extract", "format_case_number", "format_date", "format_notation", "parse_case_number",
    "parse_date", "parse_notation", "validate_fields", "validate_value",
]
