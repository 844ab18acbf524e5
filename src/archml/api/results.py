"""Results as the API returns them: the library's :class:`Result`, the secrecy policy applied,
fields filtered on request, and the document tree (OCR words and zones) when asked for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from archml.api.errors import ApiError
from archml.errors import ArchmlError
from archml.result import Result
from archml.taxonomy import FIELDS_BY_NAME

SECRECY_FIELD = "secrecy"


class ApiResult(Result):
    """The library's Result; with ``?ocr=include``, also the document tree."""

    document: dict[str, Any] | None = Field(
        default=None, description="The Document export (pages, blocks, lines, words, zones); "
                                  "only with ?ocr=include.")


@dataclass(frozen=True)
class Options:
    """What a client asked for: a subset of fields, and the OCR tree or not."""

    fields: frozenset[str] | None = None
    ocr: bool = False

    @classmethod
    def parse(cls, fields: str | None, ocr: Literal["include", "exclude"] | None) -> Options:
        """From ``?fields=a,b`` and ``?ocr=include``; unknown field names are a 422."""
        names = None
        if fields is not None:
            names = frozenset(n.strip() for n in fields.split(",") if n.strip())
            unknown = sorted(names - FIELDS_BY_NAME.keys())
            if unknown:
                raise ApiError(422, "unknown_field", f"unknown field(s) {', '.join(unknown)}; "
                               "see GET /v1/models for the field catalogue")
        return cls(fields=names, ocr=ocr == "include")

    def as_json(self) -> dict[str, Any]:
        return {"fields": sorted(self.fields) if self.fields is not None else None,
                "ocr": self.ocr}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Options:
        names = data.get("fields")
        return cls(fields=frozenset(names) if names is not None else None,
                   ocr=bool(data.get("ocr")))


class SecretDocument(ArchmlError):
    """A document with a secrecy stamp, refused by the ``refuse`` policy."""

    code = "secret_document"

    def __init__(self, level: str, sha256: str | None) -> None:
        super().__init__(f"the document carries the secrecy stamp '{level}' (độ mật) and this "
                         f"server refuses secret documents (SHA-256 {sha256})")

    def api_error(self) -> ApiError:
        return ApiError(451, self.code, self.message, kind=type(self).__name__)


def shape(outcome: dict[str, Any], options: Options, policy: Literal["flag", "refuse"],
          ) -> dict[str, Any]:
    """The response body for a worker's outcome (raises :class:`SecretDocument`)."""
    result = outcome["result"]
    secrecy = result["fields"].get(SECRECY_FIELD)
    if secrecy is not None:
        level = str(secrecy.get("value") or secrecy.get("raw"))
        if policy == "refuse":
            raise SecretDocument(level, result["source"].get("sha256"))
        result["needs_review"] = True
        result["review_reasons"].append(f"secret document (độ mật: {level}): handle it under "
                                        "the secrecy rules")
    if options.fields is not None:
        result["fields"] = {k: v for k, v in result["fields"].items() if k in options.fields}
    if options.ocr:
        result["document"] = outcome["document"]
    return result
