"""``archml package OUT --as aip-hoso|aip-tailieu --dest PKG``: the command around
:func:`archml.archive.package.build_packages`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

from archml.errors import ConfigError

if TYPE_CHECKING:
    from archml.archive.package import PackageReport

PackageKind = Literal["aip-hoso", "aip-tailieu"]
EXIT_OK, EXIT_SOME_FAILED, EXIT_NOT_A_BATCH = 0, 1, 2


def package_command(
    out_dir: Annotated[Path, typer.Argument(help="A batch output folder (`archml batch`).")],
    kind: Annotated[PackageKind, typer.Option(
        "--as", help="aip-hoso: one package per hồ sơ (folder of documents); aip-tailieu: "
                     "one package of loose documents.")],
    dest: Annotated[Path, typer.Option("--dest", help="Folder the packages are written to.")],
    operator: Annotated[str | None, typer.Option(
        help="Who ran the digitisation, for PREMIS (default: the login name).")] = None,
) -> None:
    """Build Circular 05/2025 archival information packages (PDF/A-2b with the OCR text layer,
    EAD/EAD_doc, PREMIS, METS, XSDs, review.csv). Exit 0 when every document was packaged,
    1 when some were not, 2 when OUT_DIR is not a batch output."""
    err = Console(stderr=True)
    try:
        from archml.archive.package import build_packages  # lxml: the [batch] extra
    except ImportError as exc:
        err.print(f"[red]archml package needs lxml ({exc}): pip install 'archml[batch]'[/red]")
        raise typer.Exit(EXIT_NOT_A_BATCH) from None
    console = Console(highlight=False)
    try:
        report = build_packages(out_dir, kind, dest, operator=operator)
    except ConfigError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(EXIT_NOT_A_BATCH) from None
    console.print(summary_table(report))
    if report.errors:
        console.print(errors_table(report))
    console.print(f"{len(report.packages)} package(s), {report.documents} document(s), "
                  f"{len(report.flagged)} flagged value(s) (see review.csv), "
                  f"{len(report.errors)} not packaged → {report.dest}")
    raise typer.Exit(EXIT_SOME_FAILED if report.errors else EXIT_OK)


def summary_table(report: PackageReport) -> Table:
    """Packages written: folder, hồ sơ code, documents, flagged values."""
    table = Table("package", "hồ sơ", "documents", "flagged", title=f"archml package "
                  f"({report.kind})", title_justify="left")
    for package in report.packages:
        table.add_row(package.path.name, package.code, str(len(package.documents)),
                      str(package.flagged))
    return table


def errors_table(report: PackageReport) -> Table:
    """Documents not packaged, with the error."""
    table = Table("document", "error", "message", title="not packaged", title_justify="left")
    for key, error in sorted(report.errors.items()):
        table.add_row(key, f"[red]{error.type}[/red]", error.message)
    return table
