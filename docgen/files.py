"""Writing files without ever leaving half of one, or overwriting one silently."""

from __future__ import annotations

import contextlib
import itertools
import os
from pathlib import Path

from docgen.errors import OutputExistsError

__all__ = ["BATCH_FLUSH_AT_END", "flush_to_disk", "refuse_existing", "write_atomic"]

# Temporary names are ``.NAME.PID-N.part``: unique per process and per write without
# tempfile's random names (which cost more than writing a small document).  ``next`` on a
# count is atomic in CPython, so threads never share one.
_COUNTER = itertools.count()
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def refuse_existing(path: str | os.PathLike[str], *, overwrite: bool) -> None:
    """Raise :class:`OutputExistsError` when *path* exists and *overwrite* is false."""
    if not overwrite and os.path.exists(path):
        raise OutputExistsError(
            "already exists; docgen does not overwrite files unless asked",
            where=os.fspath(path),
            expected="a new file name, or overwrite=True (--overwrite)",
        )


def write_atomic(
    path: str | os.PathLike[str], data: bytes, *, overwrite: bool = False, durable: bool = True
) -> Path:
    """Write *data* to *path*: to a temporary file beside it first, then moved into place.

    An interrupted write leaves no partial file and the previous file intact.  Without
    *overwrite* an existing file is never replaced, even one that appears while writing.
    ``durable=False`` skips the per-file ``fsync`` (a batch flushes once at its end instead:
    see :func:`flush_to_disk`).
    """
    # Plain strings and os functions, not pathlib: a batch writes thousands of small
    # files, and pathlib's parsing cost as much as the writing itself.
    target = os.fspath(path)
    refuse_existing(target, overwrite=overwrite)
    fd, tmp = _temporary(target)
    try:
        try:
            view = memoryview(data)
            while view:  # os.write may write less than asked
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # atomic, and fails if the name was taken meanwhile
            except FileExistsError:
                raise OutputExistsError(
                    "appeared while docgen was writing; it was left untouched",
                    where=target,
                    expected="a new file name, or overwrite=True",
                ) from None
            except OSError:  # file systems without hard links
                os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):  # gone when moved into place
            os.unlink(tmp)
    return Path(target)


def _temporary(target: str) -> tuple[int, str]:
    """A new, empty file beside *target* (open for writing), with the usual permissions.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     fd, tmp = _temporary(os.path.join(folder, "总结.docx"))
    ...     os.close(fd)
    ...     name = os.path.basename(tmp)
    ...     name.startswith(".总结.docx.") and name.endswith(".part")
    True
    """
    folder, name = os.path.split(target)
    while True:
        tmp = os.path.join(folder, f".{name}.{os.getpid()}-{next(_COUNTER)}.part")
        try:  # 0o666 less the umask, as any new file; O_EXCL: never an existing file
            return os.open(tmp, _NEW_FILE, 0o666), tmp
        except FileExistsError:  # left by a crashed process that had the same pid
            continue


def flush_to_disk() -> None:
    """Ask the OS to write every file written so far to disk (after a batch)."""
    sync = getattr(os, "sync", None)
    if sync is not None:  # POSIX; on Windows each batch file is written durably instead
        sync()


# Whether a batch may skip the per-file fsync and flush once at the end.
BATCH_FLUSH_AT_END = hasattr(os, "sync")
