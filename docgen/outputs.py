"""Where a batch's documents go: a folder (file by file) or a ``.zip`` (member by member).

Names are claimed unique (``张三.docx``, ``张三 (2).docx``), existing files are never written
over unless asked, and a zip is written beside its final name and moved into place only when
complete, so an interrupted batch never leaves half an archive.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import attrs

from docgen.errors import DocgenError, OutputError, Problem
from docgen.files import BATCH_FLUSH_AT_END, refuse_existing, write_atomic
from docgen.i18n import _, lazy
from docgen.zipout import UnseekableStream

__all__ = ["BatchResult", "Output", "RecordFailure", "failure", "worker_died"]

#: A record's failure as it crosses a process boundary: its message, its code and its problems,
#: texts already in the language they are shown in (plain strings: cheap to pickle).
RecordFailure = tuple[str, str, tuple[Problem, ...]]


def failure(exc: BaseException, message: str | None = None) -> RecordFailure:
    """*exc* as a record's :data:`RecordFailure`; *message* replaces ``str(exc)`` when given.

    An error that is not a :class:`~docgen.errors.DocgenError` is a file that could not be
    written (``OSError``: a full disk, a read-only folder): ``output.unwritable``.
    """
    if isinstance(exc, DocgenError):
        problems = tuple(Problem.from_dict(p.to_dict()) for p in exc.problems)
        return message or str(exc), exc.code, problems
    return message or str(exc), OutputError.default_code, ()


#: The code of a batch record whose worker process died rendering it.
WORKER_DIED_CODE = "render.worker_died"


def worker_died(label: str) -> RecordFailure:
    """The failure of the record *label* whose worker process died (out of memory, killed)."""
    error = _("the worker process rendering it died (out of memory, or killed)")
    return _("{where}: {message}", where=label, message=error), WORKER_DIED_CODE, ()


@attrs.define(frozen=True)
class BatchResult:
    """What happened to one record.

    Attributes:
        index: the record's position (from 0).
        label: where it came from (``row 5``, ``record 3``).
        path: the file written (or, for a zip, the member name), when it was written.
        error: the error message, when it failed.
        skipped: it was not rendered because its file already existed (``skip_existing``).
        stage: ``"render"`` (its ``.docx``) or ``"pdf"`` (its PDF, or the combined file):
            with ``format="pdf"`` the progress callback hears of both.
        code: the error's stable code (``data.unknown_key``, ``pdf.timeout``…; docs/errors.md),
            when it failed.
        problems: the error's separate problems (a code and a JSON-pointer path each), when
            it gathers several.
    """

    index: int
    label: str
    path: str | None = None
    error: str | None = None
    skipped: bool = False
    stage: str = "render"
    code: str | None = None
    problems: tuple[Problem, ...] = ()

    @classmethod
    def failed(
        cls, index: int, label: str, why: RecordFailure, stage: str = "render"
    ) -> BatchResult:
        """The result of a record that failed *why* (:func:`failure`)."""
        error, code, problems = why
        return cls(index, label, error=error, stage=stage, code=code, problems=problems)

    @property
    def ok(self) -> bool:
        """Written or skipped, not failed."""
        return self.error is None


class Output:
    """Where documents go: a folder (file by file) or a zip (member by member)."""

    def __init__(self, out: Path, *, overwrite: bool, skip_existing: bool) -> None:
        self.out = out
        self.is_zip = out.suffix.lower() == ".zip"
        self.overwrite = overwrite
        self.skip_existing = skip_existing and not self.is_zip
        self.taken: set[str] = set()
        self.present: frozenset[str] = frozenset()  # names in the folder before the batch
        self._zip: zipfile.ZipFile | None = None
        self._tmp: Path | None = None
        if self.is_zip:
            refuse_existing(out, overwrite=overwrite, expected=lazy("--overwrite"))
            out.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
            os.close(fd)
            self._tmp = Path(tmp)
            # Documents are already deflated: store them.  Written as a stream (no seeking back
            # to patch each member's header) through a large buffer: half the time per member.
            self._fh: BinaryIO = self._tmp.open("wb", buffering=1 << 20)
            self._zip = zipfile.ZipFile(UnseekableStream(self._fh), "w", zipfile.ZIP_STORED)
        else:
            out.mkdir(parents=True, exist_ok=True)
            # One listing instead of a stat per record: the parent's time per record is
            # time taken from the workers.  A file that appears later is still never
            # overwritten (write_atomic refuses it).
            self.present = frozenset(os.listdir(out))  # noqa: PTH208 - names, not paths

    def claim(self, name: str) -> str:
        """A unique name: ``张三.docx``, then ``张三 (2).docx`` (case-insensitively unique)."""
        stem, dot, suffix = name.rpartition(".")
        if not dot:
            stem, suffix = name, ""
        candidate, n = name, 1
        while candidate.lower() in self.taken:
            n += 1
            candidate = f"{stem} ({n}){dot}{suffix}"
        self.taken.add(candidate.lower())
        return candidate

    def exists(self, name: str) -> bool:
        """Whether the folder held *name* when the batch began."""
        return name in self.present

    def complete(self, name: str) -> bool:
        """Whether an existing output file is whole: a zip that reads, a PDF with its end."""
        path = self.out / name
        if name.lower().endswith(".pdf"):
            try:
                with path.open("rb") as f:
                    f.seek(max(0, path.stat().st_size - 64))
                    return b"%%EOF" in f.read()
            except OSError:
                return False
        return zipfile.is_zipfile(path)

    def write(self, name: str, data: bytes) -> str:
        """Write one document (a file, or a zip member); the path or member name written."""
        if self._zip is not None:
            try:
                self._zip.writestr(name, data)
            except OSError as exc:
                raise self._write_error(exc) from None
            return name
        return str(
            write_atomic(
                self.out / name, data, overwrite=self.overwrite, durable=not BATCH_FLUSH_AT_END
            )
        )

    def close(self, *, ok: bool) -> None:
        """Finish the zip and move it into place; after a failure, remove what was written."""
        if self._zip is None or self._tmp is None:
            return
        error = _attempt(self._zip.close)
        error = _attempt(self._fh.close) or error
        if ok and error is None:
            self._tmp.replace(self.out)
            return
        self._tmp.unlink(missing_ok=True)
        if ok and error is not None:
            raise self._write_error(error)

    def _write_error(self, exc: Exception) -> OutputError:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return OutputError(
            lazy("could not be written ({reason}); nothing of it was kept", reason=reason),
            where=str(self.out),
            expected=lazy("room on the disk and a folder docgen may write to"),
        )


def _attempt(finish: Callable[[], object]) -> Exception | None:
    """Run *finish*; the error of a full disk (or of a stream it broke) instead of raising it."""
    try:
        finish()
    except (OSError, ValueError) as exc:
        return exc
    return None
