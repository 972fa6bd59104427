"""Writing files without ever leaving half of one, or overwriting one silently."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from docgen.errors import OutputExistsError

__all__ = ["BATCH_FLUSH_AT_END", "flush_to_disk", "refuse_existing", "write_atomic"]

# The process umask, read once (reading it means setting it, so not on every save).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def refuse_existing(path: Path, *, overwrite: bool) -> None:
    """Raise :class:`OutputExistsError` when *path* exists and *overwrite* is false."""
    if not overwrite and path.exists():
        raise OutputExistsError(
            "already exists; docgen does not overwrite files unless asked",
            where=str(path),
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
    target = Path(path)
    refuse_existing(target, overwrite=overwrite)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    # mkstemp makes the file private (0600); a saved document gets the usual permissions
    tmp.chmod(0o666 & ~_UMASK)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        if overwrite:
            tmp.replace(target)
        else:
            try:
                os.link(tmp, target)  # atomic, and fails if the name was taken meanwhile
            except FileExistsError:
                raise OutputExistsError(
                    "appeared while docgen was writing; it was left untouched",
                    where=str(target),
                    expected="a new file name, or overwrite=True",
                ) from None
            except OSError:  # file systems without hard links
                tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def flush_to_disk() -> None:
    """Ask the OS to write every file written so far to disk (after a batch)."""
    sync = getattr(os, "sync", None)
    if sync is not None:  # POSIX; on Windows each batch file is written durably instead
        sync()


# Whether a batch may skip the per-file fsync and flush once at the end.
BATCH_FLUSH_AT_END = hasattr(os, "sync")
