"""``archml audit``: check an audit log's hash chain, or cut an interrupted last write off it
(see :mod:`archml.archive.audit`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from archml.archive.audit import AuditReport, repair_torn_tail, verify
from archml.batch.layout import OutputLayout
from archml.errors import AuditLogCorrupt

audit_app = typer.Typer(no_args_is_help=True, add_completion=False,
                        help="Check or repair the hash-chained audit log of a batch.")

EXIT_OK, EXIT_PROBLEMS, EXIT_MISSING = 0, 1, 2


@audit_app.callback()
def main() -> None:
    """Check or repair the hash-chained audit log of a batch."""


@audit_app.command("verify")
def verify_command(
    path: Annotated[Path, typer.Argument(help="An audit log, or a batch output folder "
                                              "(its audit.jsonl is checked).")],
    count: Annotated[int | None, typer.Option(
        "--count", min=0, help="Entries the log should hold, as recorded elsewhere "
                                "(default: its .head anchor).")] = None,
    head: Annotated[str | None, typer.Option(
        "--head", help="Hash of its last entry, e.g. from batch.json (default: its .head "
                       "anchor).")
    ] = None,
) -> None:
    """Check every entry's hash and link; exit 0 when intact, 1 with problems, 2 when missing."""
    console = Console(highlight=False)
    log = _log_file(path)
    report = verify(log, count=count, head=head)
    _print(console, report)
    raise typer.Exit(EXIT_OK if report.ok else EXIT_PROBLEMS)


@audit_app.command("repair")
def repair_command(
    path: Annotated[Path, typer.Argument(help="An audit log, or a batch output folder.")],
) -> None:
    """Cut an interrupted last write off a log that is otherwise intact (the bytes are kept
    beside it and the repair is logged); exit 0 when repaired or nothing to do, 1 when the log
    has other problems (nothing changed), 2 when missing."""
    console = Console(highlight=False)
    log = _log_file(path)
    try:
        torn = repair_torn_tail(log)
    except AuditLogCorrupt as exc:
        Console(stderr=True).print(str(exc), soft_wrap=True)
        raise typer.Exit(EXIT_PROBLEMS) from exc
    if torn is None:
        console.print(f"nothing to repair: {log} ends with a complete entry", soft_wrap=True)
    else:
        console.print(f"repaired: {torn.size} bytes of an interrupted write moved to "
                      f"{torn.saved_to} (sha256 {torn.sha256}); the repair is logged",
                      soft_wrap=True)


def _log_file(path: Path) -> Path:
    """``path``, or the audit log of the batch folder ``path``; exit 2 when there is none."""
    log = OutputLayout(path).audit if path.is_dir() else path
    if not log.is_file():
        Console(stderr=True).print(f"no audit log at {log}")
        raise typer.Exit(EXIT_MISSING)
    return log


def _print(console: Console, report: AuditReport) -> None:
    if report.anchor is None:
        console.print("note: no anchor (.head file, --count, --head): entries removed from the "
                      "end cannot be detected", soft_wrap=True)
    if report.ok:
        console.print(f"OK: {report.entries} entries, head {report.head or '(empty log)'}",
                      soft_wrap=True)
        return
    console.print(_table(report))
    console.print(f"FAILED: {len(report.problems)} problem(s) in {report.path} "
                  f"({report.entries} entries read)", soft_wrap=True)


def _table(report: AuditReport) -> Table:
    table = Table(title=f"Audit log problems: {report.path}")
    for name, justify in (("line", "right"), ("seq", "right"), ("kind", "left"),
                          ("problem", "left")):
        table.add_column(name, justify=justify, overflow="fold")
    for p in report.problems:
        table.add_row("" if p.line is None else str(p.line), "" if p.seq is None else str(p.seq),
                      p.kind, p.message)
    return table
