"""Batches: a record file in, a zip of documents out, with progress while it runs.

A batch reads its records in a worker (a spreadsheet can unpack to far more than its upload),
then renders them with :func:`docgen.render_many` through the service's worker pool, into a
zip in a temporary folder of its own.  The zip holds one document per record that rendered and
``report.json``, the per-record report.  The folder is removed when the response has been sent,
or — for a background job — when the job expires.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import shutil
import string
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Protocol, TypeVar

import attrs

from docgen.batch import BatchResult, render_many
from docgen.errors import DocgenError
from docgen.i18n import lazy
from docgen.model import Report
from docgen.template import Template
from docgen.web.errors import RequestError, ServiceError, internal_error_body
from docgen.web.pool import GRACE, JobFailed
from docgen.web.settings import Settings
from docgen.web.work import RECORD_SUFFIXES, read_records_job

__all__ = [
    "OUTPUTS",
    "REPORT_NAME",
    "BatchJob",
    "BatchWorkers",
    "JobStore",
    "check_pattern",
    "run_batch",
]

#: The per-record report inside every batch zip.
REPORT_NAME = "report.json"
#: What a batch's documents may be: Word, PDF or PDF/A (``render_many(format=...)``).
OUTPUTS = ("docx", "pdf", "pdfa")
_T = TypeVar("_T")
_JOB_ID = frozenset(string.ascii_letters + string.digits + "-_")
log = logging.getLogger("docgen.web")


def check_pattern(pattern: str | None, *, has_title: bool) -> str:
    """The file-name pattern for a batch: fields only (``{student.name}``), ending ``.docx``.

    Format specifications and conversions (``{name:>999999}``, ``{name!r}``) are refused: a
    pattern comes from a request.

    >>> check_pattern("{student.class}-{student.name}", has_title=False)
    '{student.class}-{student.name}.docx'
    >>> check_pattern(None, has_title=True), check_pattern("", has_title=False)
    ('{title}.docx', '{n}.docx')
    """
    if not pattern:
        return "{title}.docx" if has_title else "{n}.docx"
    if len(pattern) > 200:
        raise RequestError(
            lazy("is too long"),
            where="name",
            expected=lazy("at most 200 characters"),
            found=str(len(pattern)),
        )
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise RequestError(
            lazy("is not a file-name pattern: {exc}", exc=exc),
            where="name",
            expected=lazy("text with fields in braces, e.g. {student.class}-{student.name}.docx"),
            found=repr(pattern),
        ) from None
    for _, field, spec, conversion in parts:
        if field is not None and (spec or conversion or not field):
            raise RequestError(
                lazy("may hold only plain fields"),
                where="name",
                expected=lazy("fields such as {student.name} or {n}, without : or !"),
                found=repr(pattern),
            )
    return pattern if pattern.lower().endswith(".docx") else pattern + ".docx"


class BatchWorkers(Protocol):
    """Where a batch runs: the service's worker pool, or a Dask cluster.

    :class:`~docgen.web.pool.WorkerPool` and :class:`~docgen.web.cluster.DaskCluster`.
    """

    async def run(self, fn: Callable[..., _T], *args: Any, timeout: float | None = None) -> _T:
        """Run ``fn(*args)`` on a worker within *timeout* seconds (reading the records)."""
        ...

    def time_limited(self, seconds: float) -> Executor:
        """An executor for :func:`docgen.render_many` (rendering and PDFs)."""
        ...

    def abandon(self, executor: Executor) -> None:
        """Stop what a batch that passed its limit left running on *executor*."""
        ...


@attrs.define
class BatchJob:
    """One batch: its progress while it runs, its zip when done.

    ``state`` goes ``queued`` → ``reading`` → ``rendering`` → ``done`` (or ``failed``).
    """

    template: Template
    upload: bytes = attrs.field(repr=False)
    suffix: str
    upload_name: str
    pattern: str | None
    options: Mapping[str, Any]
    output: str = "docx"  # the documents' format: one of OUTPUTS
    id: str = attrs.field(factory=lambda: secrets.token_urlsafe(18))
    state: str = "queued"
    total: int = 0
    done: int = 0
    failed: int = 0
    records: list[dict[str, Any]] = attrs.field(factory=list)
    error: dict[str, Any] | None = None
    status: int = 200
    folder: Path = attrs.field(factory=lambda: Path(tempfile.mkdtemp(prefix="docgen-web-batch-")))
    finished: float | None = None

    @property
    def zip_path(self) -> Path:
        """Where the zip is written."""
        return self.folder / "documents.zip"

    @property
    def written(self) -> int:
        """Documents in the zip."""
        return sum(1 for r in self.records if r["error"] is None)

    def progress(self, base: str) -> dict[str, Any]:
        """The job as ``GET /api/batch/{job}`` shows it (*base*: the API's URL prefix)."""
        return {
            "job": self.id,
            "state": self.state,
            "template": self.template.name,
            "total": self.total,
            "done": self.done,
            "failed": self.failed,
            "failures": [r for r in self.records if r["error"] is not None],
            "download": f"{base}/batch/{self.id}/download" if self.state == "done" else None,
            "error": self.error,
        }

    def remove(self) -> None:
        """Delete the job's folder (uploads, zip)."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def fail(self, status: int, body: dict[str, Any]) -> None:
        """End the job with an error (its zip, if any, deleted)."""
        self.state, self.status, self.error = "failed", status, body
        self.finished = time.monotonic()
        self.zip_path.unlink(missing_ok=True)


async def run_batch(
    job: BatchJob, pool: BatchWorkers, settings: Settings, turn: asyncio.Semaphore | None = None
) -> None:
    """Run *job* to its end; every outcome, errors included, is recorded on the job.

    With *turn*, the job waits for it first (``queued``): batches run one after another.
    """
    try:
        if turn is None:
            await _run(job, pool, settings)
        else:
            async with turn:
                await _run(job, pool, settings)
    except JobFailed as exc:
        job.fail(exc.status, exc.body)
    except RequestError as exc:
        job.fail(exc.status, exc.to_dict())
    except ServiceError as exc:
        job.fail(exc.status, exc.to_dict())
    except DocgenError as exc:
        job.fail(422, exc.to_dict())
    except BrokenProcessPool:  # its workers were replaced after another request's time limit
        died = ServiceError(
            lazy("stopped: a worker process died while rendering it"),
            where=lazy("worker"),
            expected=lazy("the batch again"),
            code="service.worker_died",
        )
        job.fail(died.status, died.to_dict())
    except Exception:  # a bug: logged, and the job says no more than that
        incident = uuid.uuid4().hex[:12]
        log.exception("incident %s: batch %s failed", incident, job.id)
        job.fail(
            500,
            internal_error_body(incident),
        )
    finally:
        job.upload = b""


async def _run(job: BatchJob, pool: BatchWorkers, settings: Settings) -> None:
    job.state = "reading"
    rows = await pool.run(
        read_records_job,
        job.upload,
        job.suffix,
        job.upload_name,
        job.template.uses_report,
        settings.batch_max_records,
    )
    job.upload = b""
    if not rows:
        raise RequestError(
            lazy("holds no records"),
            where=job.upload_name,
            expected=lazy("a header row and one row per document"),
            code="batch.no_records",
        )
    if len(rows) > settings.batch_max_records:
        raise RequestError(
            lazy("holds more records than this service renders in one batch"),
            status=413,
            where=job.upload_name,
            expected=lazy(
                "at most {batch_max_records:,} records",
                batch_max_records=settings.batch_max_records,
            ),
            found=lazy("{n:,}", n=len(rows)),
            code="request.too_large",
        )
    first = rows[0][1]
    has_title = first is not None and (
        hasattr(first, "title") or (isinstance(first, Mapping) and "title" in first)
    )
    pattern = check_pattern(job.pattern, has_title=has_title)
    job.total = len(rows)
    failed_early = {label: error for label, record, error in rows if record is None}
    # every record goes to render_many, so {n} is its place in the file; one that could not
    # become a report goes as an empty mapping, which fails (no title) without touching a file
    records: list[tuple[str, Report | dict[str, Any]]] = [
        (label, {} if record is None else record) for label, record, _ in rows
    ]
    job.state = "rendering"
    deadline = time.monotonic() + settings.batch_timeout

    def tick(result: BatchResult) -> None:
        job.done += 1
        if not result.ok:
            job.failed += 1
        if time.monotonic() > deadline:
            raise ServiceError(
                lazy(
                    "took longer than the service's limit of {batch_timeout:g} s",
                    batch_timeout=settings.batch_timeout,
                ),
                status=504,
                where="batch",
                expected=lazy(
                    "fewer records (done {done} of {total})", done=job.done, total=job.total
                ),
                code="service.timeout",
            )

    executor = pool.time_limited(settings.batch_timeout)
    try:
        results = await asyncio.wait_for(
            asyncio.to_thread(
                render_many,
                job.template,
                records,
                job.zip_path,
                name=pattern,
                executor=executor,
                progress=tick,
                format=job.output,
                **job.options,
            ),
            settings.batch_timeout + GRACE,
        )
    except asyncio.TimeoutError:
        pool.abandon(executor)
        raise ServiceError(
            lazy(
                "took longer than the service's limit of {batch_timeout:g} s",
                batch_timeout=settings.batch_timeout,
            ),
            status=504,
            where="batch",
            expected=lazy("fewer records"),
            code="service.timeout",
        ) from None
    finally:
        executor.shutdown(wait=False)  # the batch's own tasks left (a cluster's); the pool stays
    for r in results:
        early = failed_early.get(r.label)
        error, code, problems = early or (r.error, r.code, r.problems)
        job.records.append(
            {
                "record": r.label,
                "file": None if error else r.path,
                "error": error,
                "code": code,
                "problems": [p.to_dict() for p in problems],
            }
        )
    if job.written == 0:
        first_error = next(r for r in job.records if r["error"])
        nothing = RequestError(
            lazy("wrote no document: every record failed"),
            where=str(first_error["record"]),
            expected=lazy("records the template can render"),
            found=first_error["error"],
            code="batch.all_failed",
        )
        job.fail(422, {**nothing.to_dict(), "failures": job.records})
        return
    report = {
        "template": job.template.name,
        "records": job.total,
        "written": job.written,
        "failed": job.total - job.written,
        "results": job.records,
    }
    with zipfile.ZipFile(job.zip_path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(REPORT_NAME, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    job.failed = job.total - job.written
    job.state = "done"
    job.finished = time.monotonic()


class JobStore:
    """The background batch jobs of one service, kept until ``ttl`` seconds after they end."""

    def __init__(self, ttl: float, *, limit: int = 16) -> None:
        self.ttl = ttl
        self.limit = limit
        self.jobs: dict[str, BatchJob] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self._turn: asyncio.Semaphore | None = None

    @property
    def turn(self) -> asyncio.Semaphore:
        """Taken by each batch while it runs, so batches run one after another."""
        if self._turn is None:
            self._turn = asyncio.Semaphore(1)
        return self._turn

    def purge(self) -> None:
        """Forget the jobs that ended more than ``ttl`` seconds ago, and delete their files."""
        now = time.monotonic()
        for job_id, job in list(self.jobs.items()):
            if job.finished is not None and now - job.finished > self.ttl:
                job.remove()
                del self.jobs[job_id]

    def start(self, job: BatchJob, pool: BatchWorkers, settings: Settings) -> None:
        """Run *job* in the background."""
        self.purge()
        if sum(1 for j in self.jobs.values() if j.finished is None) >= self.limit:
            job.remove()
            raise ServiceError(
                lazy("has too many batches running"),
                where=lazy("service"),
                expected=lazy("a batch again when one of the running ones has finished"),
                found=lazy("{limit} batches", limit=self.limit),
                code="service.busy",
            )
        self.jobs[job.id] = job
        task = asyncio.create_task(run_batch(job, pool, settings, self.turn))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def get(self, job_id: str) -> BatchJob:
        """The job *job_id*.

        Raises:
            RequestError: no such job (404) — never started, or expired.
        """
        self.purge()
        job = self.jobs.get(job_id) if set(job_id) <= _JOB_ID else None
        if job is None:
            raise RequestError(
                lazy("is no batch job of this service (finished jobs are kept for a while only)"),
                status=404,
                where=lazy("job {job!r}", job=job_id[:40]),
                expected=lazy("the job id POST /api/batch returned"),
                code="batch.not_found",
            )
        return job

    async def close(self) -> None:
        """Stop every job and delete every job's files."""
        for task in list(self.tasks):
            task.cancel()
        for job in self.jobs.values():
            job.remove()
        self.jobs.clear()
        self._turn = None


def record_suffix(filename: str | None, given: str | None) -> str:
    """The record file's kind, from ``format`` or the upload's name (``.csv``, ``.xlsx`` …)."""
    suffix = "." + given.lower().lstrip(".") if given else Path(filename or "").suffix.lower()
    if suffix not in RECORD_SUFFIXES:
        raise RequestError(
            lazy("is not a kind of record file docgen reads"),
            status=415,
            where=lazy("file {name}", name=repr(filename)) if filename else lazy("file"),
            expected=lazy("{allowed} (or format=csv …)", allowed=", ".join(RECORD_SUFFIXES)),
            found=repr(suffix) if suffix else lazy("no suffix"),
            code="request.unsupported_type",
        )
    return suffix
