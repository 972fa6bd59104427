"""Many documents from one template: ``render_many``.

The template is compiled once and reused for every record — in this process, or in each
worker process (compiled once per process, then cached).  Parallel work goes through
:mod:`concurrent.futures`: ``workers=N`` runs a process pool, ``executor=`` takes any
``Executor`` a user already runs (a Dask or Ray executor, say).  The calling process names
every file (so a name is never used twice) and sends records to the workers in chunks; workers
write each file atomically into a folder (an interrupted batch leaves no partial file), or
return the documents for the calling process to add to a ``.zip``.  At most a few chunks per
worker are in flight, so memory stays flat however long the batch.
"""

from __future__ import annotations

import gc
import glob
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence, Sized
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, NamedTuple

import attrs

from docgen.errors import DataError, DocgenError, OutputExistsError
from docgen.files import (
    BATCH_FLUSH_AT_END,
    flush_to_disk,
    name_from_pattern,
    refuse_existing,
    write_atomic,
)
from docgen.i18n import current_language, lazy, use_language
from docgen.manifest import Manifest
from docgen.model import Report, report_from_mapping
from docgen.outputs import BatchResult, Output, RecordFailure, failure, worker_died
from docgen.printing import FORMATS, combined_output, pdf_stage
from docgen.processes import exit_with_parent, limit_memory
from docgen.rendering import refuse_unknown_keywords, render, unused_extra_allowed
from docgen.sandbox import TimeUp, hard_stop_after, install_hard_stop, owned_process_limit
from docgen.template import Template

__all__ = ["BatchResult", "render_many"]


# --- work that may run in another process -----------------------------------------------------


@attrs.define(frozen=True)
class _Recipe:
    """Everything a worker process needs to compile the template (and a key to cache it)."""

    key: str
    data: bytes
    source: str
    manifest: Manifest
    # the template was accepted here, perhaps under a raised max_unpacked=: a worker accepts
    # exactly its size, whatever the worker's own default limit
    max_unpacked: int
    filters: Mapping[str, Callable[..., Any]]  # the caller's own: importable functions


_WORKER_TEMPLATES: dict[str, Template] = {}


def _install(recipe: _Recipe) -> None:
    """A worker's initializer: compile the batch's template once, before any record.

    Chunks then carry only the recipe's key, not the template's bytes.  Under ``fork`` the
    parent has already put its compiled template here, and the worker inherits it.  A docgen
    process: it keeps a hard stop, a memory limit, and ends with the batch (killed or not).
    """
    exit_with_parent()
    limit_memory()
    install_hard_stop()
    _template_for(recipe)


def _template_for(recipe: _Recipe | str) -> Template:
    if isinstance(recipe, str):  # a key: installed by _install
        return _WORKER_TEMPLATES[recipe]
    template = _WORKER_TEMPLATES.get(recipe.key)
    if template is None:
        template = Template.from_bytes(
            recipe.data,
            source=recipe.source,
            manifest=recipe.manifest,
            max_unpacked=recipe.max_unpacked,
            filters=recipe.filters,
        )
        _WORKER_TEMPLATES.clear()  # one template per batch: keep memory flat
        _WORKER_TEMPLATES[recipe.key] = template
    return template


def _render_record(
    recipe: _Recipe | Template | str, record: Any, label: str, options: Mapping[str, Any]
) -> bytes:
    """Render one record (in this process or a worker); errors name the record's label."""
    if isinstance(recipe, Template):  # in the caller's process: the library's own limit
        return _render_one(recipe, record, label, options)
    # In a worker process (one docgen started, or the caller's executor's): the template's
    # own checks keep the limit (PROCESS_TIMEOUT unless one is set), and a hard stop a second
    # later ends Python code that does not return.
    limit = owned_process_limit(options.get("timeout"))
    try:
        with hard_stop_after(limit):
            return _render_one(_template_for(recipe), record, label, {**options, "timeout": limit})
    except TimeUp:  # the hard stop struck outside the template's parts
        raise DataError(
            lazy("took longer than {limit:g} s to render and was stopped", limit=limit),
            where=label,
            expected=lazy("a record and template that render within the time limit (timeout=…)"),
            code="render.timeout",
        ) from None


def _render_one(template: Template, record: Any, label: str, options: Mapping[str, Any]) -> bytes:
    try:
        if isinstance(record, Mapping) and template.uses_report:
            record = report_from_mapping(record, source=label)
        with unused_extra_allowed():  # a record's fields often name its file ({extra.klass})
            return render(record, template, **options).to_bytes()
    except DocgenError as exc:
        # the whole error as the message, still in the language it will be shown in
        error = lazy("{error}", error=exc)
        raise DataError(error, where=label, code=exc.code, problems=exc.problems) from None


# --- the batch ---------------------------------------------------------------------------------


class _Job(NamedTuple):
    """One record of a chunk sent to a worker (a tuple: pickled in 2.9 µs, an attrs class 3.9)."""

    position: int  # the record's index in the batch
    label: str
    file_name: str
    record: Any
    overwrite: bool = False  # replace an existing file
    existed: bool = False  # the file existed before the batch began


_Done = tuple[int, "str | None", "bytes | None", "RecordFailure | None"]  # index, path, data, error

_MAX_CHUNK = 128  # records per chunk sent to a worker
_MIN_CHUNK = 4
_MAX_CHUNK_BYTES = 8 * 1024 * 1024  # documents per chunk returned for a zip, in bytes


def _render_chunk(
    recipe: _Recipe | Template | str,
    jobs: Sequence[_Job],
    options: Mapping[str, Any],
    folder: str | None,
    overwrite: bool,
    language: str | None = None,
) -> list[_Done]:
    """Render a chunk of records, in this process or in a worker process.

    Into *folder* when given (returning paths), else returning the documents' bytes (for a
    zip); errors in *language* (the caller's).
    """
    with use_language(language):  # in a worker too
        done: list[_Done] = []
        for job in jobs:
            try:
                data = _render_record(recipe, job.record, job.label, options)
            except DocgenError as exc:
                done.append((job.position, None, None, failure(exc)))
                continue
            if folder is None:
                done.append((job.position, None, data, None))
                continue
            try:
                target = Path(folder) / job.file_name
                path = write_atomic(
                    target,
                    data,
                    overwrite=overwrite or job.overwrite,
                    durable=not BATCH_FLUSH_AT_END,
                )
                done.append((job.position, str(path), None, None))
            except DocgenError as exc:  # the file exists (or appeared meanwhile)
                done.append((job.position, None, None, failure(exc, f"{job.label}: {exc}")))
            except OSError as exc:  # a full disk, a read-only folder: this record fails
                message = f"{job.label}: {job.file_name}: {exc}"
                done.append((job.position, None, None, failure(exc, message)))
        return done


class _Runner:
    """One batch in progress.

    Records go to workers in chunks (so a process round trip is paid per chunk, not per
    record); workers write the files themselves, or return the bytes for a zip.  At most a
    few chunks per worker are in flight, so memory stays flat.
    """

    def __init__(
        self,
        tpl: Template,
        output: Output,
        *,
        workers: int,
        executor: Executor | None,
        on_error: str,
        progress: Callable[[BatchResult], None] | None,
        options: Mapping[str, Any],
        total: int | None,
    ) -> None:
        self.output = output
        self.workers = workers
        self.own_pool = executor is None and workers > 1
        key = hashlib.sha256(tpl.data).hexdigest() + repr(tpl.manifest) + repr(tpl.filters)
        # worker processes compile the template from its bytes, once each
        with zipfile.ZipFile(io.BytesIO(tpl.data)) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
        self.full = _Recipe(key, tpl.data, tpl.source, tpl.manifest, unpacked, tpl.filters)
        self.recipe: _Recipe | Template | str = tpl if executor is None else self.full
        self.pool: Executor | None = executor
        if self.own_pool:
            # Our own workers get the template once, from the pool's initializer (forked
            # workers inherit the parent's compiled one from here); chunks carry the key.
            _WORKER_TEMPLATES[key] = tpl
            self.recipe = key
            self.pool = self.new_pool(workers)
        self.lanes = workers if self.own_pool else (os.cpu_count() or 2)
        self.total = total
        self.queued = 0  # records sent to workers so far
        self.limit = 3 * self.lanes  # chunks in flight
        self.doc_bytes = 0  # the largest document returned so far (for a zip)
        self.on_error = on_error
        self.progress = progress
        self.options = options
        self.results: dict[int, BatchResult] = {}
        self.labels: dict[int, str] = {}
        self.chunk: list[_Job] = []
        self.pending: dict[Future[list[_Done]], list[_Job]] = {}
        self.suspects: list[_Job] = []
        self.stopped = False

    def new_pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, initializer=_install, initargs=(self.full,))

    @property
    def folder(self) -> str | None:
        return None if self.output.is_zip else str(self.output.out)

    def finish(self, result: BatchResult) -> None:
        self.results[result.index] = result
        if self.progress is not None:
            self.progress(result)
        if result.error is not None and self.on_error == "stop":
            self.stopped = True

    def record_done(self, jobs: Sequence[_Job], done: Sequence[_Done]) -> None:
        names = {job.position: job for job in jobs}
        for index, written, data, failed in done:
            job = names[index]
            path, error = written, failed
            if error is None and data is not None:
                self.doc_bytes = max(self.doc_bytes, len(data))
                try:
                    path = self.output.write(job.file_name, data)
                except OSError as exc:
                    error = failure(exc, f"{job.label}: {job.file_name}: {exc}")
            if error is None:
                self.finish(BatchResult(index, job.label, path=path))
            else:
                self.finish(BatchResult.failed(index, job.label, error))

    def add(self, index: int, label: str, record: Any, pattern: str) -> None:
        try:
            file_name = self.output.claim(name_from_pattern(pattern, record, index + 1, label))
        except DocgenError as exc:
            self.finish(BatchResult.failed(index, label, failure(exc)))
            return
        if self.output.skip_existing and self.output.exists(file_name):
            path = str(self.output.out / file_name)
            if self.output.complete(file_name):
                self.finish(BatchResult(index, label, path=path, skipped=True))
            else:  # e.g. cut short by a power loss before the batch's final flush
                error = (
                    f"{label}: {path} exists but is not a complete document; delete it "
                    "(or use --overwrite) and run the batch again"
                )
                self.finish(
                    BatchResult.failed(index, label, (error, OutputExistsError.default_code, ()))
                )
            return
        existed = self.output.exists(file_name)
        self.chunk.append(_Job(index, label, file_name, record, self.output.overwrite, existed))
        if len(self.chunk) >= self.chunk_size() or (
            # a zip's documents come back to this process: keep the bytes in flight bounded
            self.doc_bytes and len(self.chunk) * self.doc_bytes >= _MAX_CHUNK_BYTES
        ):
            self.flush()

    def chunk_size(self) -> int:
        """Records per chunk: large at first, smaller towards the end of a known total.

        A chunk's round trip costs the calling process about 0.1 ms of CPU, taken from the
        workers when there are as many cores as workers: so up to _MAX_CHUNK records at a
        time.  Towards the end, a share of what is left (guided scheduling), so the workers
        finish together rather than one waiting for the other's last large chunk.
        """
        if self.pool is None:
            return 1
        if self.total is None:
            return _MAX_CHUNK // 4
        left = self.total - self.queued
        return max(_MIN_CHUNK, min(_MAX_CHUNK, left // (2 * self.lanes)))

    def flush(self) -> None:
        jobs, self.chunk = self.chunk, []
        if not jobs:
            return
        self.queued += len(jobs)
        if self.pool is None:
            self.record_done(
                jobs,
                _render_chunk(self.recipe, jobs, self.options, self.folder, self.output.overwrite),
            )
            return
        while len(self.pending) >= self.limit:
            self.collect(block=True)
        self.submit(jobs)
        self.collect(block=False)

    def submit(self, jobs: list[_Job], pool: Executor | None = None) -> None:
        pool = pool or self.pool
        assert pool is not None
        args = (self.recipe, jobs, self.options, self.folder, self.output.overwrite)
        try:
            future = self.start(pool, args)
        except BrokenProcessPool:
            if not self.own_pool:
                raise
            pool.shutdown(wait=False)
            self.pool = pool = self.new_pool(self.workers)
            future = self.start(pool, args)
        self.pending[future] = jobs

    def start(self, pool: Executor, args: tuple[Any, ...]) -> Future[list[_Done]]:
        """``pool.submit`` of a chunk; our own pool forks its workers on the first one.

        Objects the workers inherit are frozen out of the garbage collector's sight while they
        fork (as the gc module advises): a worker's collector then never walks the inherited
        heap, which would copy its pages one by one (a 50 ms stall per worker, measured).
        """
        args = (*args, current_language())
        if not self.own_pool:
            return pool.submit(_render_chunk, *args)
        gc.freeze()
        try:
            return pool.submit(_render_chunk, *args)
        finally:
            gc.unfreeze()

    def collect(self, *, block: bool) -> None:
        if not self.pending:
            return
        ready, _ = wait(
            list(self.pending), return_when=FIRST_COMPLETED, timeout=None if block else 0
        )
        for future in ready:
            jobs = self.pending.pop(future)
            try:
                done = future.result()
            except BrokenProcessPool:
                # A dead worker breaks the whole pool and fails every chunk in flight.  Their
                # records are tried again later, each alone in a process of its own, so only
                # the record that kills its worker fails.
                self.remove_partial(jobs)
                if self.own_pool and len(jobs) + len(self.suspects) < 10_000:
                    self.suspects.extend(jobs)
                    continue
                done = [(job.position, None, None, worker_died(job.label)) for job in jobs]
            self.record_done(jobs, done)

    def remove_partial(self, jobs: Sequence[_Job]) -> None:
        """Delete the temporary files of workers killed while writing (never a real file)."""
        if self.folder is None:
            return
        for job in jobs:
            for leftover in Path(self.folder).glob(f".{glob.escape(job.file_name)}.*.part"):
                leftover.unlink(missing_ok=True)

    def retry_suspects(self) -> None:
        """Render each record that was in flight when a worker died, alone."""
        for suspect in self.suspects:
            # its worker may have written the file before dying: that file is ours to replace
            job = suspect._replace(overwrite=suspect.overwrite or not suspect.existed)
            with self.new_pool(1) as alone:
                future = alone.submit(
                    _render_chunk,
                    self.recipe,
                    [job],
                    self.options,
                    self.folder,
                    self.output.overwrite,
                    current_language(),
                )
                try:
                    done = future.result()
                except BrokenProcessPool:
                    self.remove_partial([job])
                    done = [(job.position, None, None, worker_died(job.label))]
            self.record_done([job], done)
        self.suspects.clear()

    def close(self) -> None:
        for future in self.pending:
            future.cancel()
        if self.own_pool and self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            _WORKER_TEMPLATES.pop(self.full.key, None)


def render_many(
    template: str | os.PathLike[str] | Template,
    records: Iterable[Report | Mapping[str, Any] | tuple[str, Report | Mapping[str, Any]]],
    out: str | os.PathLike[str],
    *,
    name: str = "{title}.docx",
    workers: int = 1,
    executor: Executor | None = None,
    on_error: str = "continue",
    overwrite: bool = False,
    skip_existing: bool = False,
    progress: Callable[[BatchResult], None] | None = None,
    template_dirs: Sequence[str | os.PathLike[str]] = (),
    format: str = "docx",  # noqa: A002 - the name users know from the CLI's --format
    **options: Any,
) -> list[BatchResult]:
    """Render every record with one template into a folder, a ``.zip``, or one combined file.

    Args:
        template: a template name, path or :class:`~docgen.Template`.
        records: reports or mappings (a mapping becomes a report when the template is
            written for reports); ``(label, record)`` pairs name where each came from.
        out: a folder, or a path ending in ``.zip``; or one file for all records, as Word's
            mail merge gives: ``.docx`` (each record a section starting on a new page, its
            page numbers from 1) or ``.pdf`` (that document as one PDF).
        name: the file-name pattern: fields of the record (``{title}``,
            ``{student.name}``, ``{extra.klass}``) and ``{n}``, its number from 1.  Names
            are made safe for every OS and unique.
        workers: processes to render in (1 renders here).
        executor: any :class:`concurrent.futures.Executor` to render in instead.
        on_error: ``"continue"`` (report the record, go on) or ``"stop"``.
        overwrite: replace existing files (otherwise an existing file is that record's error).
        skip_existing: leave records whose file exists alone (to finish an interrupted batch).
        progress: called with each record's result as it completes.
        template_dirs: folders searched for a template name (see :mod:`docgen.registry`).
        format: ``"docx"``, ``"pdf"`` or ``"pdfa"`` (PDF/A-2b): one PDF per record, named as
            the ``.docx`` would be, converted by a warm LibreOffice pool of *workers* lanes
            (or through *executor*, in chunks).  *progress* hears of each record twice, with
            ``stage="render"`` and ``stage="pdf"``; the results are the PDFs'.
        **options: passed to :func:`docgen.render` (``numbering``, ``normalize_punctuation``,
            ``filters`` — importable functions when workers or *executor* render); a
            misspelled one raises :class:`TypeError` before anything is written.

    Returns:
        One :class:`BatchResult` per record attempted, in record order.
    """
    if on_error not in {"continue", "stop"}:
        raise DataError(
            lazy("is not a choice"),
            where="on_error",
            expected=lazy("continue or stop"),
            found=repr(on_error),
            code="argument.invalid",
        )
    tpl = Template.load(template, template_dirs=template_dirs, filters=options.pop("filters", None))
    refuse_unknown_keywords("render_many", options, tpl)
    target = Path(out)
    if format not in FORMATS:
        raise DataError(
            lazy("is not an output format"),
            where="format",
            expected=", ".join(FORMATS),
            code="argument.invalid",
        )
    if format != "docx" or target.suffix.lower() in {".docx", ".pdf"}:
        return _print_ready(
            tpl,
            records,
            target,
            format,
            name,
            workers,
            executor,
            on_error,
            overwrite,
            skip_existing,
            progress,
            options,
        )
    output = Output(target, overwrite=overwrite, skip_existing=skip_existing)
    runner = _Runner(
        tpl,
        output,
        workers=workers,
        executor=executor,
        on_error=on_error,
        progress=progress,
        options=options,
        total=len(records) if isinstance(records, Sized) else None,
    )
    completed = False
    try:
        for index, item in enumerate(records):
            if runner.stopped:
                break
            label, record = item if isinstance(item, tuple) else (f"record {index + 1}", item)
            runner.add(index, label, record, name)
        runner.flush()
        while runner.pending:
            runner.collect(block=True)
        runner.retry_suspects()
        completed = True
    finally:
        runner.close()
        output.close(ok=completed)
        flush_to_disk()
    return [runner.results[i] for i in sorted(runner.results)]


def _print_ready(
    tpl: Template,
    records: Iterable[Any],
    target: Path,
    format: str,  # noqa: A002
    name: str,
    workers: int,
    executor: Executor | None,
    on_error: str,
    overwrite: bool,
    skip_existing: bool,
    progress: Callable[[BatchResult], None] | None,
    options: Mapping[str, Any],
) -> list[BatchResult]:
    """Render into a private folder, then make PDFs or the combined file (:mod:`printing`)."""
    combined = target.suffix.lower() in {".docx", ".pdf"}
    if combined:
        refuse_existing(target, overwrite=overwrite)  # before the batch, not after
    else:  # a zip that exists is refused now
        output = Output(target, overwrite=overwrite, skip_existing=skip_existing)
    stem = name[: -len(".docx")] if name.lower().endswith(".docx") else name
    stem = stem[: -len(".pdf")] if stem.lower().endswith(".pdf") else stem
    drafts_name = "{n}.docx" if combined else stem + ".docx"  # one file: the names are private
    with tempfile.TemporaryDirectory(prefix="docgen-batch-") as drafts_dir:
        # an executor's workers may run on other machines: they send the drafts back as
        # bytes (a zip), never into a folder of this one
        drafts_out = Path(drafts_dir) / "drafts.zip" if executor is not None else drafts_dir
        drafts = render_many(
            tpl,
            records,
            drafts_out,
            name=drafts_name,
            workers=workers,
            executor=executor,
            on_error=on_error,
            progress=progress,
            **options,
        )
        if executor is not None:
            drafts = _unpacked(drafts, Path(drafts_dir), Path(drafts_out))
        pdfa = format == "pdfa"
        if combined:
            return combined_output(
                drafts, target, overwrite=overwrite, pdfa=pdfa, progress=progress
            )
        completed = False
        try:
            results = pdf_stage(
                drafts, output, pdfa=pdfa, lanes=workers, executor=executor, progress=progress
            )
            completed = True
        finally:
            output.close(ok=completed)
    return results


def _unpacked(drafts: list[BatchResult], folder: Path, archive: Path) -> list[BatchResult]:
    """The drafts of a zip unpacked into *folder*, their paths pointing there."""
    if not archive.exists():  # every record failed
        return drafts
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(folder)  # names docgen made: safe, unique, no folders
    archive.unlink()
    return [d if d.path is None else attrs.evolve(d, path=str(folder / d.path)) for d in drafts]
