"""Compiled templates kept on disk, so a new process renders without compiling again.

Compiling a template (reading its package, applying the manifest's faces, docxtpl's tag
merging, Jinja's parsing and code generation) costs more than rendering it.  A program that
renders once per process (``docgen render`` in a script, a job runner) would pay it every
time, so a compiled template is stored in a cache folder and read back by the next process:
its parts, and the Python code Jinja generated for each (as :mod:`marshal` data, the way
Jinja's own bytecode caches and Python's ``__pycache__`` keep code).

An entry's key covers the template's bytes, its manifest's, where it was found, the size
limit it was accepted under, docgen's own code (its module files' sizes and times), Python's
and Jinja's versions, so a changed template, a docgen upgrade or another Python never reads a
stale entry.  The folder is ``$DOCGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/docgen`` (or
``~/.cache/docgen``; ``%LOCALAPPDATA%\\docgen`` on Windows); ``DOCGEN_CACHE_DIR=off`` turns
the cache off.  It holds at most :data:`MAX_ENTRIES` entries.  A cache that cannot be read or
written is skipped: the template is compiled as if there were none.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

__all__ = ["CACHE_ENV", "MAX_ENTRIES", "cache_dir", "entry_key", "read_entry", "write_entry"]

CACHE_ENV = "DOCGEN_CACHE_DIR"
MAX_ENTRIES = 64
"""The most compiled templates the cache folder keeps (the oldest are removed)."""

_OFF = frozenset({"", "0", "off", "no", "none", "false"})
_SUFFIX = ".docgen-{kind}"


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off (``DOCGEN_CACHE_DIR=off``)."""
    setting = os.environ.get(CACHE_ENV)
    if setting is not None:
        return None if setting.strip().lower() in _OFF else Path(setting)
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "docgen"


@functools.cache
def _code_stamp() -> bytes:
    """Docgen's code as compiling sees it: module sizes and times, Python's and Jinja's versions."""
    import jinja2  # noqa: PLC0415 - loaded by the compiler anyway

    here = Path(__file__).parent
    files = []
    for folder in (here, here / "cn"):
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".py"):
                    st = entry.stat()
                    files.append(f"{folder.name}/{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    stamp = [sys.version, jinja2.__version__, *sorted(files)]
    return "\n".join(stamp).encode("utf-8")


def entry_key(*pieces: bytes | str) -> str:
    """The key of a compiled template made from *pieces* by this docgen, Python and Jinja."""
    digest = hashlib.sha256(_code_stamp())
    for piece in pieces:
        data = piece.encode("utf-8") if isinstance(piece, str) else piece
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def read_entry(key: str, kind: str = "template") -> object | None:
    """The object of *kind* stored under *key*, or None (no entry, cache off, unreadable)."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / (key + _SUFFIX.format(kind=kind))
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        value: object = pickle.loads(data)  # noqa: S301 - written by docgen itself, keyed by content
    except Exception:  # noqa: BLE001 - a damaged entry: compile again and replace it
        path.unlink(missing_ok=True)
        return None
    return value


def write_entry(key: str, value: object, kind: str = "template") -> None:
    """Store *value* of *kind* under *key*, atomically; an unwritable folder is skipped."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".part", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            Path(tmp).replace(folder / (key + _SUFFIX.format(kind=kind)))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder)
    except OSError:
        return


def _mtime(path: Path) -> int:
    return path.stat().st_mtime_ns


def _prune(folder: Path) -> None:
    entries = sorted(
        folder.glob("*" + _SUFFIX.format(kind="*")), key=lambda p: p.stat().st_mtime_ns
    )
    for old in entries[: max(0, len(entries) - MAX_ENTRIES)]:
        old.unlink(missing_ok=True)
