"""The ``archml`` command (``python -m archml`` and the ``archml`` script).

Commands that run pages in worker processes (``ocr``, ``classify``, ``batch`` with ``--jobs`` > 1)
get their forkserver started first, so that it imports the pipeline while this process imports
the command line: the two imports overlap instead of following one another.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

WORKER_COMMANDS = frozenset({"ocr", "classify", "batch"})


def requested_jobs(argv: Sequence[str]) -> int:
    """The ``--jobs``/``-j`` value in ``argv`` (1 when absent or not a number)."""
    for i, arg in enumerate(argv):
        value: str | None = None
        if arg in ("--jobs", "-j") and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--jobs="):
            value = arg.split("=", 1)[1]
        elif arg.startswith("-j") and arg[2:].isdigit():
            value = arg[2:]
        if value is not None:
            return int(value) if value.isdigit() else 1
    return 1


def runs_local_workers(argv: Sequence[str]) -> bool:
    """Whether ``argv`` runs pages in local worker processes (a Ray batch does not)."""
    return bool(WORKER_COMMANDS & set(argv)) and requested_jobs(argv) > 1 and "ray" not in argv


def prestart_workers(argv: Sequence[str]) -> bool:
    """Start the worker forkserver now when ``argv`` asks for worker processes."""
    if not runs_local_workers(argv):
        return False
    from archml.workers import forkserver_context

    forkserver_context()
    return True


def main() -> None:
    prestart_workers(sys.argv[1:])
    from archml.cli import app

    app(prog_name="archml")


if __name__ == "__main__":
    main()
