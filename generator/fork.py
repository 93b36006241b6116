"""Two pieces of work at once: one here, one in a forked process that inherits what it reads.

The site's pages and the Word documents are built from one large view; pickling it to a worker
would cost more than the work. A forked child inherits it instead, through a module global set
just before the fork, and sends back only its result (plain strings and bytes).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

A = TypeVar("A")
B = TypeVar("B")

# The work the forked child runs: inherited at fork, never pickled.
_THERE: Callable[[], Any] | None = None


def can_fork() -> bool:
    """A second process is worth it: Linux's fork, and more than one core."""
    return ("fork" in multiprocessing.get_all_start_methods() and sys.platform == "linux"
            and (os.cpu_count() or 1) > 1)


def _run_there() -> Any:
    assert _THERE is not None
    return _THERE()


def both(here: Callable[[], A], there: Callable[[], B], parallel: bool = True) -> tuple[A, B]:
    """Run `here` in this process and `there` in a forked one at the same time (one after the
    other when `parallel` is false or the machine cannot fork); the results are the same."""
    global _THERE
    if not (parallel and can_fork()):
        return here(), there()
    before, _THERE = _THERE, there  # `here` may fork again (nested), so restore, not clear
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
            other = pool.submit(_run_there)
            a = here()
            b: B = other.result()
    finally:
        _THERE = before
    return a, b
