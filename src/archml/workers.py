"""How archml starts worker processes.

Workers are forked from a forkserver: a clean process (no inherited threads or engine handles)
that imports the pipeline once, so each worker starts without importing everything again. This
module stays light (standard library only) so that the command line can start the server before
it imports anything heavy.
"""

from __future__ import annotations

import multiprocessing as mp
from multiprocessing import forkserver
from multiprocessing.context import ForkServerContext

PRELOAD = "archml.pipeline"


def forkserver_context() -> ForkServerContext:
    """The workers' start method with its server running (cheap when it already runs)."""
    context = mp.get_context("forkserver")
    context.set_forkserver_preload([PRELOAD])
    forkserver.ensure_running()
    return context
