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

__all__ = [
    "MEMORY_SETTING",
    "POLL",
    "WORKER_MEMORY_MB",
    "exit_with_parent",
    "limit_memory",
    "start_worker",
]

POLL = 0.5
"""Seconds between two looks at whether the parent process is still there."""

WORKER_MEMORY_MB = 2048
"""Megabytes of memory a worker may take beyond what it started with (0: no limit)."""

MEMORY_SETTING = "DOCGEN_WORKER_MEMORY_MB"


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


def limit_memory() -> None:
    """Let this worker grow by at most ``DOCGEN_WORKER_MEMORY_MB`` (2048) megabytes.

    An operating-system limit (``RLIMIT_AS``, the soft one) on top of the sandbox's: a job that
    would take more fails with :class:`MemoryError` in its own worker, and costs only itself.
    The limit counts from what the worker holds when it starts (a worker forked from a large
    program starts large).  Only where the platform has it (Linux, macOS).
    """
    try:
        import resource  # noqa: PLC0415 - POSIX only
    except ImportError:  # pragma: no cover - Windows
        return
    setting = os.environ.get(MEMORY_SETTING, "").strip()
    budget = int(setting) if setting.isdigit() else WORKER_MEMORY_MB
    if budget <= 0:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + budget * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or limit < soft:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:
    """Bytes of address space this process holds now (Linux; 0 where it cannot be read)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:  # noqa: PTH123 - a proc file
            pages = int(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def start_worker() -> None:
    """A worker's initializer: it ends with its parent and grows within its memory limit."""
    exit_with_parent()
    limit_memory()
