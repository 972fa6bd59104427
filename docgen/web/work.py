"""The work done in render processes: rendering, page previews, imports, reading spreadsheets.

Each job is a plain function of picklable arguments that :class:`~docgen.web.pool.WorkerPool`
runs in a worker process under a time limit (:func:`run_limited`), so a slow or hostile input
costs one worker for a bounded time and never the server.  Nothing here opens a path that came
from a request: templates are found by *name* in docgen's registry, pictures arrive as ``data:``
URLs, and uploads are written by the server into a temporary folder under names it chooses.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs
import yaml

from docgen import registry
from docgen.errors import DocgenError, DocgenWarning, TemplateNotFoundError, Text
from docgen.files import safe_filename
from docgen.i18n import lazy, use_language
from docgen.importers import ImportResult, import_file, import_markdown, import_text
from docgen.loaders import dump_report, load_data, load_report
from docgen.model import Image, Report, map_images, report_from_mapping
from docgen.outputs import RecordFailure, failure
from docgen.pdf import PdfError
from docgen.records import read_records
from docgen.rendering import render
from docgen.starter import starter_yaml
from docgen.template import Template
from docgen.web.errors import RequestError, ServiceError, status_of

__all__ = [
    "IMPORT_SUFFIXES",
    "RECORD_SUFFIXES",
    "Example",
    "Failure",
    "ImportJob",
    "RecordRow",
    "RenderJob",
    "Rendered",
    "check_template_name",
    "example_for",
    "find_template",
    "import_job",
    "load_template",
    "read_records_job",
    "render_job",
    "run_limited",
    "template_preview_job",
]

_T = TypeVar("_T")

#: What ``/api/import`` reads, by suffix (``.doc``/``.wps``/``.rtf``/``.odt`` need LibreOffice).
IMPORT_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".docx", ".doc", ".wps", ".rtf", ".odt")
#: What ``/api/batch`` reads, by suffix.
RECORD_SUFFIXES = (".csv", ".xlsx", ".json", ".yaml", ".yml")

#: Example data files named otherwise than their template.
_EXAMPLE_FILES: Mapping[str, str] = {"work-summary": "party-branch-summary.yaml"}

_INSTALL_POPPLER = (
    "poppler-utils' pdftoppm on PATH (Debian/Ubuntu: apt-get install poppler-utils; "
    "Windows: the poppler binaries)"
)

# --- time limits ---------------------------------------------------------------------------


class _Deadline(BaseException):
    """Raised in a worker when its job's time is up (a BaseException: nothing swallows it)."""


_deadline: float | None = None  # time.monotonic() at which the current job must stop


def remaining(default: float) -> float:
    """Seconds left for the current job (at least one), or *default* outside a limited job."""
    if _deadline is None:
        return default
    return max(1.0, _deadline - time.monotonic())


def _on_alarm(signum: int, frame: object) -> None:
    if _deadline is not None:  # an alarm after the job ended (a late one) is ignored
        raise _Deadline


class _CancelWatch:
    """Ends the current job when the service asks: a thread looks for the job's cancel file.

    The service creates the file when the request's client has gone; the thread then
    interrupts the main thread (SIGALRM, as the time limit does), and the worker is free for
    the next job at once instead of at the job's end.
    """

    POLL = 0.1

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.asked = False
        self._done = threading.Event()
        self._main = threading.main_thread().ident or 0
        self._thread = threading.Thread(target=self._watch, name="docgen-cancel", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._done.wait(self.POLL):
            if self.path.exists():
                self.asked = True
                signal.pthread_kill(self._main, signal.SIGALRM)
                return

    def stop(self) -> None:
        """Stop looking (before the alarm handler is put back: no signal comes after this)."""
        self._done.set()
        self._thread.join()


@attrs.frozen
class Failure:
    """A job's docgen error, as the HTTP status and JSON body the API returns."""

    status: int
    body: Mapping[str, Any]


def run_limited(
    seconds: float,
    fn: Callable[..., _T],
    *args: Any,
    cancel: str | None = None,
    language: str | None = None,
) -> _T | Failure:
    """Run ``fn(*args)`` for at most *seconds*; a docgen error becomes a :class:`Failure`.

    Where the platform has ``SIGALRM`` (Linux, macOS) an interval timer interrupts the job in
    the worker, which then takes the next job; elsewhere the pool's own deadline (a little
    later) replaces the worker.  The job also ends early, a 499 :class:`Failure`, when the
    file *cancel* appears (its client has gone).  Any other exception is a bug and travels
    to the caller.  Messages (errors, warnings) are in *language*, the request's.
    """
    with use_language(language):
        return _run_limited(seconds, fn, *args, cancel=cancel)


def _run_limited(
    seconds: float, fn: Callable[..., _T], *args: Any, cancel: str | None
) -> _T | Failure:
    global _deadline  # noqa: PLW0603 - one job at a time per worker process
    alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    previous: Any = None
    watch: _CancelWatch | None = None
    _deadline = time.monotonic() + seconds
    if alarm:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        if cancel is not None and hasattr(signal, "pthread_kill"):
            watch = _CancelWatch(cancel)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DocgenWarning)  # each job returns its own warnings
            result = fn(*args)
        if alarm:  # disarmed inside the try: an alarm that fires now is still caught below
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Deadline:
        if watch is not None and watch.asked:
            error = ServiceError(
                lazy("was given up by its client and stopped"),
                status=499,
                where=lazy("request"),
                expected=lazy("a client that waits for the answer"),
                code="service.client_gone",
            )
        else:
            error = ServiceError(
                lazy(
                    "took longer than the service's limit of {seconds:g} s and was stopped",
                    seconds=seconds,
                ),
                status=504,
                where=lazy("render time"),
                expected=lazy("a smaller document or batch, or a longer --timeout"),
                code="service.timeout",
            )
        return Failure(error.status, error.to_dict())
    except DocgenError as exc:
        return Failure(status_of(exc), exc.to_dict())
    else:
        return result
    finally:
        _deadline = None  # from here a late alarm is ignored
        if watch is not None:
            watch.stop()
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


# --- templates, found by name only ---------------------------------------------------------


def check_template_name(name: object, where: str = "template") -> str:
    r"""*name* when it can only be a template's name, never a path.

    >>> check_template_name("work-summary")
    'work-summary'
    >>> check_template_name("../../etc/passwd")
    Traceback (most recent call last):
    ...
    docgen.web.errors.RequestError: template: is not a template name; expected a name such as work-summary (letters, digits, - _ .; no / \ or ..); found '../../etc/passwd'
    """  # noqa: E501
    if not isinstance(name, str) or not name:
        raise RequestError(
            lazy("must be a template name"),
            status=400 if isinstance(name, str) else 422,
            where=where,
            expected=lazy("a name such as work-summary"),
            found=repr(name),
            code="request.bad_template_name",
        )
    if any(bad in name for bad in ("/", "\\", "..")) or not registry.valid_name(name):
        raise RequestError(
            lazy("is not a template name"),
            status=400,
            where=where,
            expected=lazy("a name such as work-summary (letters, digits, - _ .; no / \\ or ..)"),
            found=repr(name[:80]),
            code="request.bad_template_name",
        )
    return name


def find_template(name: object, template_dirs: tuple[str, ...]) -> registry.TemplateSource:
    """The template a *name* means, looked up only among the registry's templates.

    Raises:
        RequestError: *name* is no template name (400).
        TemplateNotFoundError: no template has that name (404); the message lists them.
    """
    checked = check_template_name(name)
    found = registry.sources(template_dirs)
    for source in found:
        if source.name == checked:
            return source
    raise TemplateNotFoundError(
        lazy("is not a template this service knows"),
        where=lazy("template {name}", name=repr(checked)),
        expected=lazy("one of {allowed}", allowed=", ".join(sorted({s.name for s in found}))),
    )


def load_template(name: object, template_dirs: tuple[str, ...]) -> Template:
    """The compiled template *name* (cached by docgen until its files change)."""
    source = find_template(name, template_dirs)
    # the path is the registry's own, never a request's
    return Template.load(source.location)


# --- pictures: data: URLs in, data: URLs out -----------------------------------------------

_MAGIC = (
    (b"\x89PNG", "image/png"),
    (b"\xff\xd8", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"BM", "image/bmp"),
)


def _mime(data: bytes) -> str:
    return next((mime for magic, mime in _MAGIC if data.startswith(magic)), "image/png")


def images_to_data_urls(report: Report, *, read_files: bool = False) -> Report:
    """Pictures as ``data:`` URLs, so the report can travel as JSON and come back.

    With *read_files*, pictures given by path (in the server's own example files) are read.
    """

    def to_url(image: Image, where: str) -> Image:
        data = image.source
        if isinstance(data, str):
            if not read_files or data.startswith("data:"):
                return image
            data = Path(data).read_bytes()
        url = f"data:{_mime(data)};base64,{base64.b64encode(data).decode('ascii')}"
        return attrs.evolve(image, source=url)

    return map_images(report, to_url)


def report_json(report: Report) -> dict[str, Any]:
    """*report* in the data-file format, as JSON data (pictures as ``data:`` URLs)."""
    data: dict[str, Any] = json.loads(dump_report(images_to_data_urls(report), "json"))
    return data


# --- rendering -----------------------------------------------------------------------------


@attrs.frozen
class RenderJob:
    """One document to render: the template's name, the data, and what to make of it.

    ``output`` is ``docx``, ``pdf`` or ``png`` (page images for a preview).
    """

    template: str
    template_dirs: tuple[str, ...]
    data: Mapping[str, Any]
    numbering: str | None = None
    normalize_punctuation: bool = False
    output: str = "docx"
    filename: str | None = None
    pages: int = 8
    dpi: int = 80


@attrs.frozen
class Rendered:
    """A rendered document (``content``) or its pages (``pages``, PNG), with its file name."""

    filename: str
    media_type: str
    content: bytes = b""
    pages: tuple[bytes, ...] = ()
    more_pages: bool = False
    warnings: tuple[str, ...] = ()
    template: str = ""


_MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "png": "image/png",
}


def _file_name(requested: str | None, data: Report | Mapping[str, Any], template: str) -> str:
    if requested:
        stem = re.sub(r"\.(docx|pdf)$", "", requested.strip(), flags=re.IGNORECASE)
    elif isinstance(data, Report):
        stem = data.title
    else:
        title = data.get("title")
        stem = title if isinstance(title, str) and title.strip() else template
    return safe_filename(stem[:80] + ".docx").removesuffix(".docx")


def render_job(job: RenderJob) -> Rendered:
    """Render *job*: the data is a report for a template written for reports, else plain."""
    template = load_template(job.template, job.template_dirs)
    data: Report | dict[str, Any]
    if template.uses_report:
        data = report_from_mapping(job.data, source="data", allow_files=False)
    else:
        data = dict(job.data)
    doc = render(
        data,
        template,
        numbering=job.numbering,
        normalize_punctuation=job.normalize_punctuation,
    )
    stem = _file_name(job.filename, data, template.name)
    content = doc.to_bytes() if job.output == "docx" else doc.to_pdf(timeout=remaining(180))
    pages: tuple[bytes, ...] = ()
    more = False
    if job.output == "png":
        shown, more = pdf_pages(content, pages=job.pages, dpi=job.dpi)
        pages, content = tuple(shown), b""
    suffix = ".docx" if job.output == "docx" else ".pdf"
    return Rendered(
        stem + suffix,
        _MEDIA[job.output],
        content,
        pages,
        more,
        tuple(doc.warnings),
        template.name,
    )


def pdf_pages(pdf: bytes, *, pages: int, dpi: int) -> tuple[list[bytes], bool]:
    """The first *pages* pages of a PDF as PNG (through ``pdftoppm``), and whether more exist.

    Raises:
        PdfError: ``pdftoppm`` is missing or fails.
    """
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise PdfError(
            lazy("pdftoppm is needed for page previews and was not found"),
            where="PATH",
            expected=_INSTALL_POPPLER,
            code="preview.pdftoppm_missing",
        )
    with tempfile.TemporaryDirectory(prefix="docgen-web-pages-") as tmp:
        work = Path(tmp)
        (work / "document.pdf").write_bytes(pdf)
        command = [tool, "-png", "-r", str(dpi), "-f", "1", "-l", str(pages + 1)]
        command += [str(work / "document.pdf"), str(work / "page")]
        try:
            # pdftoppm and files the server wrote itself: nothing from a request reaches a shell
            done = subprocess.run(  # noqa: S603
                command,
                capture_output=True,
                timeout=remaining(120),
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise PdfError(
                lazy("pdftoppm took too long"), where="preview", code="preview.timeout"
            ) from None
        except OSError as exc:
            raise PdfError(
                lazy("pdftoppm could not be started: {exc}", exc=exc),
                where=tool,
                expected=_INSTALL_POPPLER,
                code="preview.pdftoppm_missing",
            ) from None
        files = sorted(work.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if done.returncode != 0 or not files:
            detail = done.stderr.decode("utf-8", "replace").strip()[:300]
            raise PdfError(
                lazy("pdftoppm could not draw the pages"),
                where="preview",
                found=lazy(
                    "exit code {returncode}: {value}",
                    returncode=done.returncode,
                    value=detail or "no output",
                ),
                code="preview.failed",
            )
        images = [f.read_bytes() for f in files]
    return images[:pages], len(images) > pages


# --- examples and template previews --------------------------------------------------------


@attrs.frozen
class Example:
    """A template's example data: where it comes from, its YAML text, and the data itself."""

    source: str
    text: str
    data: Report | dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        """The data as JSON (a report in the data-file format; pictures as ``data:`` URLs)."""
        if isinstance(self.data, Report):
            return report_json(images_to_data_urls(self.data, read_files=True))
        plain: dict[str, Any] = json.loads(json.dumps(self.data, ensure_ascii=False, default=str))
        return plain


def example_for(template: Template, examples_dir: str | None) -> Example:
    """The example data for *template*.

    ``examples_dir/NAME.yaml`` when there is one, else the starting data ``docgen new`` writes.
    """
    if examples_dir is not None:
        names = [f"{template.name}.yaml", _EXAMPLE_FILES.get(template.name)]
        for name in filter(None, names):
            path = Path(examples_dir) / name
            if path.is_file():
                data: Report | dict[str, Any] = (
                    load_report(path) if template.uses_report else load_data(path)
                )
                return Example(f"examples/{name}", path.read_text(encoding="utf-8"), data)
    text = starter_yaml(template)
    parsed = yaml.safe_load(text)
    if template.uses_report:
        return Example("starter", text, report_from_mapping(parsed, source="starter data"))
    return Example("starter", text, dict(parsed))


def template_preview_job(
    name: str, template_dirs: tuple[str, ...], examples_dir: str | None, dpi: int
) -> bytes:
    """Page 1 of *name* rendered from its example data, as PNG."""
    template = load_template(name, template_dirs)
    doc = render(example_for(template, examples_dir).data, template)
    pages, _ = pdf_pages(doc.to_pdf(timeout=remaining(180)), pages=1, dpi=dpi)
    return pages[0]


# --- imports and record files --------------------------------------------------------------


def _scrubbed(error: DocgenError, path: str, name: str) -> DocgenError:
    """*error* with the server's temporary *path* replaced by the upload's *name*."""
    clean = copy.copy(error)
    for field in ("message", "where", "expected", "found"):
        value = getattr(clean, field)
        if isinstance(value, str):
            setattr(clean, field, value.replace(path, name))
    clean.args = (str(clean._format()),)
    return clean


@attrs.frozen
class ImportJob:
    """Text (pasted) or an uploaded file to read into a report.

    ``kind`` is ``text`` or ``markdown`` for pasted text (in ``text``), else the upload's
    suffix (``.docx``, ``.txt`` …) with its bytes in ``content``.
    """

    kind: str
    name: str
    text: str = ""
    content: bytes = b""
    normalize_punctuation: bool = False


def import_job(job: ImportJob) -> dict[str, Any]:
    """Read *job* into a report: ``{"report": data-file JSON, "warnings": [...]}``."""
    result: ImportResult
    if job.kind in {"text", "markdown"}:
        reader = import_text if job.kind == "text" else import_markdown
        result = reader(job.text, source=job.name, normalize_punctuation=job.normalize_punctuation)
    else:
        with tempfile.TemporaryDirectory(prefix="docgen-web-import-") as tmp:
            path = Path(tmp) / f"upload{job.kind}"  # a name the server chose, never the user's
            path.write_bytes(job.content)
            try:
                result = import_file(
                    path,
                    normalize_punctuation=job.normalize_punctuation,
                    timeout=remaining(180),
                )
            except DocgenError as exc:
                raise _scrubbed(exc, str(path), job.name) from None
            warnings_: list[Text] = [w.replace(str(path), job.name) for w in result.warnings]
            result = ImportResult(result.report, warnings_)
    return {"report": report_json(result.report), "warnings": list(result.warnings)}


#: One record of a batch: its label (``row 5``), the record (a report for a template written
#: for reports), or the error that stopped it from becoming one.
RecordRow = tuple[str, "Report | dict[str, Any] | None", "RecordFailure | None"]


def read_records_job(
    content: bytes, suffix: str, name: str, as_reports: bool, limit: int | None = None
) -> list[RecordRow]:
    """The records of an uploaded ``.csv``/``.xlsx``/``.json``/``.yaml``.

    Read in a worker: a spreadsheet can unpack to far more than its upload.  For a template
    written for reports each record becomes a :class:`Report` here, its pictures checked by
    ``allow_files=False`` (a record file never names a file for the server to read).  At most
    *limit* records are read, counted while reading (a small workbook can hold millions).
    """
    with tempfile.TemporaryDirectory(prefix="docgen-web-records-") as tmp:
        path = Path(tmp) / f"records{suffix}"  # a name the server chose, never the user's
        path.write_bytes(content)
        try:
            records = read_records(path, limit=limit)
        except DocgenError as exc:
            raise _scrubbed(exc, str(path), name) from None
    if not as_reports:
        return [(label, record, None) for label, record in records]
    return [_as_report(label, record) for label, record in records]


def _as_report(label: str, record: dict[str, Any]) -> RecordRow:
    try:
        return label, report_from_mapping(record, source=label, allow_files=False), None
    except DocgenError as exc:
        return label, None, failure(exc)
