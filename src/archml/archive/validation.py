"""XSD validation of the XML files in a TT05 package, against the schemas archml ships.

``schemas/`` beside this module holds archml's own XSDs (the circular's are not public in
machine-readable form; ``docs/packages.md`` says how they differ). Each package carries copies
under ``<package>/schemas/``, named as the circular names them (``EAD.xsd`` is the hồ sơ or the
loose-document header schema, whichever the package is).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from archml.errors import ProcessingError

SCHEMA_DIR = Path(__file__).with_name("schemas")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)

PACKAGE_SCHEMAS: dict[str, dict[str, str]] = {
    "aip-hoso": {"METS.xsd": "METS.xsd", "xlink.xsd": "xlink.xsd", "PREMIS.xsd": "PREMIS.xsd",
                 "EAD.xsd": "EAD_hoso.xsd", "EAD_doc.xsd": "EAD_doc.xsd"},
    "aip-tailieu": {"METS.xsd": "METS.xsd", "xlink.xsd": "xlink.xsd", "PREMIS.xsd": "PREMIS.xsd",
                    "EAD.xsd": "EAD_tailieu.xsd", "EAD_doc.xsd": "EAD_doc.xsd"},
}
"""Per package kind: file name under ``<package>/schemas/`` → shipped schema file."""


@cache
def schema(name: str) -> etree.XMLSchema:
    """The shipped schema ``name`` (e.g. ``"EAD_doc.xsd"``), parsed once."""
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name), _PARSER))


def problems(document: etree._ElementTree | bytes, schema_name: str) -> list[str]:
    """Why ``document`` does not validate against ``schema_name``; empty when it does."""
    tree = etree.ElementTree(etree.fromstring(document, _PARSER)) \
        if isinstance(document, bytes) else document
    checker = schema(schema_name)
    if checker.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in checker.error_log]


def check(document: bytes, schema_name: str, label: str) -> None:
    """Raise :class:`~archml.errors.ProcessingError` when ``document`` is invalid."""
    found = problems(document, schema_name)
    if found:
        raise ProcessingError(f"{label} does not validate against {schema_name}: "
                              + "; ".join(found[:3]))


def package_schema_names(package: Path) -> dict[str, str]:
    """Each XML file of ``package`` (relative path) → the shipped schema it must satisfy."""
    kind = "aip-hoso" if _is_hoso(package) else "aip-tailieu"
    shipped = PACKAGE_SCHEMAS[kind]
    names = {"METS.xml": shipped["METS.xsd"],
             "metadata/descriptive/EAD.xml": shipped["EAD.xsd"],
             "metadata/preservation/PREMIS.xml": shipped["PREMIS.xsd"]}
    for rep in sorted((package / "representations").iterdir()):
        base = rep.relative_to(package).as_posix()
        names[f"{base}/METS.xml"] = shipped["METS.xsd"]
        for path in sorted((rep / "metadata" / "descriptive").glob("EAD_doc_*.xml")):
            names[path.relative_to(package).as_posix()] = shipped["EAD_doc.xsd"]
        for path in sorted((rep / "metadata" / "preservation").glob("PREMIS_*.xml")):
            names[path.relative_to(package).as_posix()] = shipped["PREMIS.xsd"]
    return names


def validate_package(package: str | Path) -> dict[str, list[str]]:
    """Validate every XML file of a package folder; file → problems, only files with some.

    A missing file is a problem too. ``{}`` means the whole package is valid.
    """
    package = Path(package)
    if not (package / "METS.xml").is_file() or not (package / "representations").is_dir():
        return {"METS.xml": ["not a package: METS.xml or representations/ is missing"]}
    report: dict[str, list[str]] = {}
    for relative, schema_name in package_schema_names(package).items():
        path = package / relative
        if not path.is_file():
            report[relative] = ["missing"]
            continue
        try:
            found = problems(etree.parse(str(path), _PARSER), schema_name)
        except etree.XMLSyntaxError as exc:
            found = [f"not well-formed XML: {exc}"]
        if found:
            report[relative] = found
    return report


def _is_hoso(package: Path) -> bool:
    root = etree.parse(str(package / "METS.xml"), _PARSER).getroot()
    return root.get("TYPE") == "AIP_hoso"
