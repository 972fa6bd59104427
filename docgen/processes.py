"""Processes docgen starts end with the process that started them.

A worker of ``docgen batch --workers 2`` or of ``docgen serve`` waits for work on a pipe its
parent shares with every sibling, so when the parent is killed (``kill -9``, a crashed
service) the pipe never closes and the worker would wait forever.  :func:`exit_with_parent`,
run in the worker's initializer, ends the worker as soon as its parent is gone: on Linux the
kernel sends it ``SIGKILL`` (``PR_SET_PDEATHSIG``); everywhere, a daemon thread looks at the
parent's process id every :data:`POLL` seconds and ends the worker when it has changed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

__all__ = ["POLL", "exit_with_parent"]

POLL = 0.5
"""Seconds between two looks at whether the parent process is still there."""


def exit_with_parent() -> None:
    """End this process when the process that started it ends (see the module's docstring)."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the line above  # pragma: no cover
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="docgen-parent", daemon=True).start()


def _watch(parent: int) -> None:
    while True:
        time.sleep(POLL)
        if os.getppid() != parent:
            os._exit(1)
