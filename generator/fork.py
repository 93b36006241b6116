"""Two pieces of work at once: one here, one in a forked process that inherits what it reads.

The site's pages and the Word documents are built from one large view; pickling it to a worker
would cost more than the work. A forked child inherits it instead, through a module global set
just before the fork, and sends back only its result (plain strings and bytes).

`apart` runs one piece of work in a forked child for its memory's sake: what the work allocates
leaves with the child, so that the processes that run after it (MkDocs, Pagefind) do not run
beside a process still holding every report it read.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import traceback
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


class ChildFailed(Exception):
    """The work run `apart` failed in a way that cannot be sent back (its traceback is the message)."""


def apart(work: Callable[[], A]) -> A:
    """Run `work` in a forked child and return its result (pickled back); on a platform without
    fork, here. An exception it raises is raised here (or ChildFailed, if it cannot be sent)."""
    if not ("fork" in multiprocessing.get_all_start_methods() and sys.platform == "linux"):
        return work()
    sys.stdout.flush()
    sys.stderr.flush()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        code = 0
        try:
            os.close(read)
            try:
                outcome: tuple[str, Any] = ("done", work())
            except BaseException as e:  # noqa: BLE001 - sent to the parent, which raises it
                outcome = ("raised", e)
            try:
                data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - an exception that cannot be pickled
                data = pickle.dumps(("failed", traceback.format_exc()))
            with os.fdopen(write, "wb") as out:
                out.write(data)
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001 - the child must not run on in the caller's code
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as src:
        data = src.read()
    os.waitpid(pid, 0)
    if not data:
        raise ChildFailed("the forked process ended without a result")
    try:
        kind, value = pickle.loads(data)
    except Exception as e:  # noqa: BLE001 - e.g. an exception whose arguments do not rebuild it
        raise ChildFailed(f"the forked process's result cannot be read: {e!r}") from e
    if kind == "raised":
        raise value
    if kind == "failed":
        raise ChildFailed(value)
    return value  # type: ignore[no-any-return]
