"""Document-type templates: one builder per fine class of :data:`archml.taxonomy.DOC_TYPES`."""

from __future__ import annotations

from collections.abc import Callable

from archml.synth.content import DocContent
from archml.synth.templates import administrative, civil, judicial, land
from archml.synth.templates.common import Builder, Fill
from archml.synth.values import Sampler
from archml.taxonomy import DOC_TYPES, Domain, doc_type

_BY_DOMAIN: dict[Domain, dict[str, Callable[[Builder], None]]] = {
    Domain.LAND: land.BUILDERS, Domain.CIVIL_STATUS: civil.BUILDERS,
    Domain.JUDICIAL: judicial.BUILDERS,
}

TYPE_IDS: tuple[str, ...] = tuple(t.id for t in DOC_TYPES)


def build(type_id: str, sampler: Sampler, fill: Fill, body: list[str] | None = None) -> DocContent:
    """The content of one document of fine class ``type_id``.

    ``body`` (administrative types only) replaces the sampled body paragraphs.
    """
    dt = doc_type(type_id)
    b = Builder(dt, sampler, fill)
    key = type_id.split(".", 1)[1]
    if dt.domain == Domain.ADMINISTRATIVE:
        administrative.build(b, key, body)
    else:
        if body is not None:
            raise ValueError("body= is only supported for administrative types")
        _BY_DOMAIN[dt.domain][key](b)
    if "typeName" not in b.values:
        b.known("typeName", dt.type_code)
    b.known("language", "01")
    return b.done()


__all__ = ["TYPE_IDS", "Fill", "build"]
