"""Report + Template → Document.

:func:`render` builds the context a template sees (the report's fields, numbered section
views, the ``body`` and ``signature_block`` slots), renders every compiled part in the
sandbox, and assembles the new package: unchanged parts are copied, changed parts written,
pictures and list numbering added.
"""

from __future__ import annotations

import ctypes
import itertools
import math
import os
import re
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs
import jinja2
from docx.image.image import Image as _DocxImage
from markupsafe import Markup

from docgen import _docxtpl, tables
from docgen import template as _template
from docgen.body import BlockView, BodyWriter, ListNumbering, Media
from docgen.cn.dates import format_date
from docgen.cn.numbering import NumberingScheme
from docgen.cn.typography import normalize_punctuation as _normalize
from docgen.errors import (
    ConventionError,
    DataError,
    DocgenError,
    RenderError,
    RenderTimeoutError,
    UndefinedVariableError,
    UnknownFilterError,
)
from docgen.files import refuse_existing, write_atomic
from docgen.model import Block, Image, Paragraph, Report, Run, Section, Signature, map_text
from docgen.pdf import convert_to_pdf
from docgen.template import DEADLINE, MISSING, WRITER, CompiledPart, Template, TimeUp
from docgen.zipout import deflate, write_zip

__all__ = ["Document", "SectionView", "render"]


# --- the result -----------------------------------------------------------------------------


class Document:
    """A rendered document: its bytes, and where it came from.

    Attributes:
        template: the name of the template it was rendered with.
        warnings: what docgen changed in the data to keep the document valid.
    """

    def __init__(self, data: bytes, template: str, warnings: Sequence[str] = ()) -> None:
        self._data = data
        self.template = template
        self.warnings = tuple(warnings)

    def to_bytes(self) -> bytes:
        """The ``.docx`` package as bytes."""
        return self._data

    def save(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write the document to *path* atomically.

        The bytes go to a temporary file beside *path* first and are moved into place only
        when complete, so an interrupted save never leaves half a file, and an existing file
        stays intact unless ``overwrite=True``.

        Raises:
            OutputExistsError: *path* exists and ``overwrite`` is false.
        """
        return write_atomic(path, self._data, overwrite=overwrite)

    def to_pdf(self, *, pdfa: bool = False, timeout: float = 180) -> bytes:
        """The document as PDF (through LibreOffice; ``pdfa=True`` for PDF/A-2b).

        Raises:
            PdfError: LibreOffice is missing (the message says how to install it), failed,
                or took longer than *timeout* seconds.
        """
        return convert_to_pdf(self._data, pdfa=pdfa, timeout=timeout, name=self.template)

    def save_pdf(
        self,
        path: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        pdfa: bool = False,
        timeout: float = 180,
    ) -> Path:
        """Convert to PDF and write it to *path* atomically (see :meth:`save`, :meth:`to_pdf`)."""
        target = Path(path)
        refuse_existing(target, overwrite=overwrite)  # before a long conversion, not after
        return write_atomic(target, self.to_pdf(pdfa=pdfa, timeout=timeout), overwrite=overwrite)


# --- what a template sees -------------------------------------------------------------------


@attrs.define(frozen=True)
class SectionView:
    """A section as a template loop sees it: numbered, with its label."""

    label: str
    number: int
    level: int
    title: str
    blocks: tuple[Any, ...]
    subsections: tuple[SectionView, ...]

    @property
    def heading(self) -> str:
        """Label and title together: 一、围绕主题，开展学习活动."""
        return self.label + self.title


def _block_views(blocks: Sequence[Block], writer: BodyWriter, where: str) -> tuple[BlockView, ...]:
    return tuple(BlockView(b, writer, f"{where}[{i}]") for i, b in enumerate(blocks))


def _section_views(
    sections: Sequence[Section],
    scheme: NumberingScheme,
    writer: BodyWriter,
    level: int = 1,
    parents: tuple[int, ...] = (),
    where: str = "sections",
) -> tuple[SectionView, ...]:
    views = []
    for i, s in enumerate(sections, start=1):
        label = scheme.label(level, i, parents=parents) if level <= scheme.depth else ""
        place = f"{where}[{i - 1}]"
        views.append(
            SectionView(
                label,
                i,
                level,
                s.title,
                _block_views(s.blocks, writer, f"{place}.blocks"),
                _section_views(
                    s.subsections, scheme, writer, level + 1, (*parents, i), f"{place}.subsections"
                ),
            )
        )
    return tuple(views)


@attrs.define(frozen=True)
class SignatureView:
    """The signature as a template sees it, with the date already formatted."""

    org: str
    name: str | None
    date: Any
    date_text: str

    def __str__(self) -> str:
        return self.org


def _signature_view(sig: Signature | None) -> SignatureView | None:
    if sig is None:
        return None
    return SignatureView(
        sig.org,
        sig.name,
        sig.date,
        format_date(sig.date, sig.date_style or "year_month") if sig.date else "",
    )


def _image_info(blob: bytes) -> tuple[int, int, float, float, str]:
    img = _DocxImage.from_blob(blob)
    return img.px_width, img.px_height, img.horz_dpi, img.vert_dpi, img.ext


# Values that never hold a picture: the walk below does not look inside them.
_NO_PICTURES = (str, bytes, int, float, Paragraph, Run)


def _read_images(data: Any) -> dict[str, bytes]:
    """Read every picture the data names from disk (the renderer's one file access).

    Only paths the data gives as :class:`~docgen.Image` are read — a template can never name
    a file to open.
    """
    images: dict[str, bytes] = {}
    seen: set[int] = set()

    def visit(value: Any, where: str) -> None:
        if id(value) in seen or value is None or isinstance(value, _NO_PICTURES):
            return
        seen.add(id(value))
        if isinstance(value, Image):
            if isinstance(value.source, str) and value.source not in images:
                try:
                    images[value.source] = Path(value.source).read_bytes()
                except OSError as exc:
                    raise RenderError(
                        "cannot be read",
                        where=f"{where}.source ({value.source})",
                        expected="a readable picture file",
                        found=exc.strerror or type(exc).__name__,
                    ) from None
        elif isinstance(value, Mapping):
            for key, item in value.items():
                visit(item, f"{where}.{key}" if where else str(key))
        elif isinstance(value, (list, tuple)):
            for n, item in enumerate(value):
                visit(item, f"{where}[{n}]")
        elif attrs.has(type(value)):
            for field in attrs.fields(type(value)):
                visit(getattr(value, field.name), f"{where}.{field.name}" if where else field.name)

    visit(data, "")
    return images


def report_context(report: Report, scheme: NumberingScheme, writer: BodyWriter) -> dict[str, Any]:
    """The names a template sees for a report (see DESIGN "Context a template sees")."""
    ctx: dict[str, Any] = dict(report.extra)
    ctx.update(
        report=report,
        title=report.title,
        status=report.status,
        full_title=report.full_title,
        intro=_block_views(report.intro, writer, "intro"),
        sections=_section_views(report.sections, scheme, writer),
        closing=_block_views(report.closing, writer, "closing"),
        signature=_signature_view(report.signature),
        term=report.term,
        attachments=report.attachments,
        extra=report.extra,
        numbering=scheme,
        body=Markup(writer.body(report)),
        signature_block=Markup(writer.signature(report.signature)),
    )
    return ctx


# --- rendering parts -----------------------------------------------------------------------


def _template_line(exc: BaseException) -> int | None:
    """The template line (= paragraph) an exception was raised at, from its traceback."""
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == "<template>":
            line = lineno
    return line


def _render_part(
    part: CompiledPart,
    template: Template,
    ctx: Mapping[str, Any],
    missing: list[str],
    places: list[str],
) -> str:
    before = len(missing)
    try:
        out = part.template.render(ctx)
    except jinja2.UndefinedError as exc:
        # An undefined value used in arithmetic or a comparison stops the part; report it with
        # every name collected so far.
        name = re.sub(r"^'([^']+)' is undefined$", r"\1", str(exc))
        missing.append(name)
        places.extend(_where_used(part, n) for n in missing[before:-1])
        places.append(
            f"{name} (in {part.name}, paragraph “{part.paragraph_text(_template_line(exc))}”)"
        )
        return ""
    except jinja2.exceptions.SecurityError as exc:
        raise RenderError(
            f"uses something the sandbox forbids: {exc}",
            where=f"{template.source} ({part.name}), paragraph "
            f"“{part.paragraph_text(_template_line(exc))}”",
            expected="only the data's values, Jinja's tags and filters and docgen's filters, "
            "within the sandbox's limits (no Python internals, files or imports)",
        ) from None
    except jinja2.TemplateRuntimeError as exc:
        where = (
            f"{template.source} ({part.name}), paragraph "
            f"“{part.paragraph_text(_template_line(exc))}”"
        )
        if "No filter named" in str(exc):
            raise UnknownFilterError(
                str(exc), where=where, expected="one of Jinja's filters or docgen's"
            ) from None
        raise RenderError(
            f"failed: {exc}", where=where, expected="a template that renders this data"
        ) from None
    except DocgenError as exc:
        where = (
            f"{template.source} ({part.name}), paragraph "
            f"“{part.paragraph_text(_template_line(exc))}”"
        )
        if exc.where and "[" in exc.where:  # a field path from the body writer
            raise
        raise RenderError(
            f"a filter failed: {exc.message}" + (f" ({exc.where})" if exc.where else ""),
            where=where,
            expected=exc.expected,
            found=exc.found,
        ) from None
    except (
        TypeError,
        ValueError,
        ArithmeticError,
        AttributeError,
        LookupError,
        RecursionError,
        MemoryError,
    ) as exc:
        raise RenderError(
            f"failed: {type(exc).__name__}: {exc}",
            where=f"{template.source} ({part.name}), paragraph "
            f"“{part.paragraph_text(_template_line(exc))}”",
            expected="values of the types the template's tags and filters work on",
        ) from None
    if len(missing) > before:
        places.extend(_where_used(part, name) for name in missing[before:])
    return tables.apply_vmerge(_line_breaks(_docxtpl.postprocess(out)), part.name)


_NEWLINE_IN_TEXT = re.compile(r"(<w:t(?:\s[^>]*)?>)([^<]*[\r\n][^<]*)(?=</w:t>)")


def _line_breaks(xml: str) -> str:
    """A newline left inside a ``<w:t>`` (a heading's, a caption's) as a Word line break.

    docxtpl turns them into ``<w:br/>`` only in a part that also holds a tab or a paragraph
    break; Word shows a bare newline as a space.
    """
    if "\n" not in xml and "\r" not in xml:
        return xml

    def split(m: re.Match[str]) -> str:
        text = m.group(2).replace("\r\n", "\n").replace("\r", "\n")
        return m.group(1) + text.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')

    return _NEWLINE_IN_TEXT.sub(split, xml)


# --- the time limit -------------------------------------------------------------------------

_T = TypeVar("_T")


def _time_limit(timeout: float | None) -> float:
    """The limit in seconds: *timeout*, else DOCGEN_RENDER_TIMEOUT, else RENDER_TIMEOUT."""
    if timeout is not None:
        return timeout
    setting = os.environ.get("DOCGEN_RENDER_TIMEOUT", "").strip()
    if not setting:
        return _template.RENDER_TIMEOUT
    try:
        return float(setting)
    except ValueError:
        raise RenderError(
            "is not a number of seconds",
            where="the environment variable DOCGEN_RENDER_TIMEOUT",
            expected="a number of seconds, such as 120 (0: no limit)",
            found=repr(setting),
        ) from None


_GRACE = 1.0  # seconds the watchdog leaves the template's own checks before it steps in
_REFIRE = 0.05  # seconds between two attempts to stop a render whose time is up
_MAX_FIRES = 100  # attempts before the watchdog gives up on a render (it stopped anyway)


class _Watchdog:
    """One daemon thread that enforces the time limit of renders that overrun it.

    A template stops itself when its time is up: every ``{% for %}`` loop, call and filter
    looks at :data:`~docgen.template.DEADLINE`.  Should it not (Python code of the data's
    running on), the watchdog raises :class:`~docgen.template.TimeUp` asynchronously in the
    rendering thread (any thread: the main one, a worker's, an executor's) :data:`_GRACE`
    seconds later, between two Python bytecodes, wherever it is.  One thread serves every
    render, so a limit costs a dictionary entry, not a thread.
    """

    def __init__(self) -> None:
        self._reset()
        if hasattr(os, "register_at_fork"):  # POSIX: a forked worker starts afresh
            os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._cond = threading.Condition()
        # token → (deadline, thread id, exceptions raised so far)
        self._deadlines: dict[int, tuple[float, int, int]] = {}
        self._fired: set[int] = set()
        self._tokens = itertools.count()
        self._thread: threading.Thread | None = None
        # When the watching thread wakes next (inf: it sleeps until told).  A render whose
        # deadline comes later needs no wake-up call: the thread looks at every deadline when
        # it wakes.  With one limit for every render that is nearly always the case, so a
        # render costs a dictionary entry, not a thread switch (which cost 40-150 µs here).
        self._wake = math.inf

    def arm(self, seconds: float) -> int:
        """Start the clock for the calling thread; the token disarms it."""
        with self._cond:
            token = next(self._tokens)
            deadline = time.monotonic() + seconds
            self._deadlines[token] = (deadline, threading.get_ident(), 0)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._watch, name="docgen-render-timeout", daemon=True
                )
                self._thread.start()
            elif deadline < self._wake:
                self._cond.notify()
        return token

    def disarm(self, token: int) -> None:
        """Stop the clock; an exception raised too late to be delivered is taken back.

        The exception may strike while this runs: then it runs again, until the token is gone
        and nothing is pending.
        """
        while True:
            try:
                with self._cond:
                    self._deadlines.pop(token, None)
                    if token in self._fired:
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(
                            ctypes.c_ulong(threading.get_ident()), None
                        )
                        self._fired.discard(token)
            except TimeUp:
                continue
            return

    def _watch(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                for token, (deadline, thread, fires) in list(self._deadlines.items()):
                    if deadline > now:
                        continue
                    self._fired.add(token)
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(
                        ctypes.c_ulong(thread), ctypes.py_object(TimeUp)
                    )
                    # Raised inside a finalizer (a generator closed by the garbage collector,
                    # a __del__), the exception is ignored: raise it again until the render
                    # is over.
                    if fires + 1 < _MAX_FIRES:
                        self._deadlines[token] = (now + _REFIRE, thread, fires + 1)
                    else:
                        del self._deadlines[token]
                soonest = min((d for d, _, _ in self._deadlines.values()), default=math.inf)
                self._wake = soonest
                self._cond.wait(None if math.isinf(soonest) else max(0.0, soonest - now))


_WATCHDOG = _Watchdog()


def _within(seconds: float, work: Callable[[], _T]) -> _T:
    """Run *work* in this thread, raising :class:`~docgen.template.TimeUp` after *seconds*."""
    if not seconds > 0 or math.isinf(seconds):
        return work()
    deadline = DEADLINE.set(time.monotonic() + seconds)
    token = _WATCHDOG.arm(seconds + _GRACE)
    try:
        return work()
    finally:
        _WATCHDOG.disarm(token)
        DEADLINE.reset(deadline)


def _where_used(part: CompiledPart, name: str) -> str:
    """``name`` in ``part``, paragraph “…”: the first paragraph whose tags mention the name."""
    key = name.split(" (of ", 1)[0]
    for line in part.lines:
        for tag in _TAGS.findall(line):
            if key in tag:
                return (
                    f"{name} (in {part.name}, tag {tag.strip()}, paragraph "
                    f"“{part.paragraph_text(part.lines.index(line) + 1)}”)"
                )
    return f"{name} (in {part.name})"


_TAGS = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)


# --- render ---------------------------------------------------------------------------------


def render(
    data: Report | Mapping[str, Any],
    template: str | os.PathLike[str] | Template = "work-summary",
    *,
    numbering: NumberingScheme | str | None = None,
    normalize_punctuation: bool = False,
    template_dirs: Sequence[str | os.PathLike[str]] = (),
    timeout: float | None = None,
    **extra: Any,
) -> Document:
    """Render a report (or a plain mapping) with a template.

    Args:
        data: a :class:`~docgen.Report`, or a mapping for a plain docxtpl-style template.
        template: a built-in name (``"work-summary"``), a ``.docx`` path, a template folder,
            or a loaded :class:`~docgen.Template`.
        numbering: a :class:`~docgen.cn.NumberingScheme` or preset name overriding the
            template's scheme (``"GBT9704"``, ``"SCHOOL"``, ``"DECIMAL"``).
        normalize_punctuation: make half-width , ; : ? ! ( ) " next to Chinese text full-width.
        template_dirs: folders searched for a template *name* before ``DOCGEN_TEMPLATE_PATH``,
            installed packages' templates and the built-ins (see :mod:`docgen.registry`).
        timeout: seconds the template's parts may take to render (default 60:
            ``docgen.template.RENDER_TIMEOUT``, or the ``DOCGEN_RENDER_TIMEOUT`` environment
            variable; 0 for no limit).
        **extra: more names for the template (they win over the report's ``extra``).

    Raises:
        UndefinedVariableError: the template uses names the data does not supply (all listed).
        TemplateError: the template is wrong (syntax, unknown filter, sandbox).
        RenderError: a value could not be written (a picture that is not one, …), or the
            template did something the sandbox forbids.
        RenderTimeoutError: the template took longer than *timeout* to render.
    """
    limit = _time_limit(timeout)
    tpl = Template.load(template, template_dirs=template_dirs)
    if isinstance(numbering, str):
        scheme = NumberingScheme.preset(numbering)
    else:
        scheme = numbering or tpl.scheme
    media = Media(tpl.first_rid)
    bullet, number, first_num = tpl.list_ids
    lists = ListNumbering(first_num, bullet, number)
    caught: list[str] = []
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        if isinstance(data, Report):
            # one newline, "\n", whatever the data's origin ("\r\n", "\r"), in every field
            data = map_text(data, _normalize_text if normalize_punctuation else _newlines)
            sig = data.signature
            if sig is not None and sig.date_style is None:  # the template's own date style
                data = attrs.evolve(
                    data, signature=attrs.evolve(sig, date_style=tpl.manifest.date_style)
                )
        writer = BodyWriter(
            tpl.roles,
            scheme,
            text_width=tpl.text_width,
            media=media,
            numbering=lists,
            image_info=_image_info,
            images=_read_images((data, extra)),
        )
        ctx = _context(data, scheme, writer, normalize=normalize_punctuation)
        ctx.update(extra)
        _apply_fields(tpl, ctx)
        missing: list[str] = []
        places: list[str] = []
        token = MISSING.set(missing)
        writer_token = WRITER.set(writer)
        current = [next(iter(tpl.compiled), "")]

        def render_parts() -> dict[str, bytes]:
            out = {}
            for name, part in tpl.compiled.items():
                current[0] = name
                out[name] = _render_part(part, tpl, ctx, missing, places).encode("utf-8")
            return out

        try:
            rendered = _within(limit, render_parts)
        except TimeUp:
            raise RenderTimeoutError(
                f"took longer than {limit:g} s to render and was stopped",
                where=f"{tpl.source} ({current[0]})",
                expected="a template whose loops end; for a longer render pass "
                "render(timeout=…) or set DOCGEN_RENDER_TIMEOUT (0: no limit)",
            ) from None
        except ConventionError as exc:
            raise RenderError(
                f"a value could not be formatted: {exc}",
                where=tpl.source,
                expected=exc.expected,
                found=exc.found,
            ) from None
        finally:
            MISSING.reset(token)
            WRITER.reset(writer_token)
        caught.extend(str(w.message) for w in seen)
    for w in seen:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if missing:
        unique = list(dict.fromkeys(places))
        raise UndefinedVariableError(
            f"uses {len(dict.fromkeys(missing))} name(s) the data does not supply: "
            + "; ".join(unique),
            where=tpl.source,
            expected="every variable the template uses to be in the data",
            found="missing " + ", ".join(dict.fromkeys(missing)),
        )
    return Document(_assemble(tpl, rendered, lists, media), tpl.name, caught)


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _normalize_text(text: str) -> str:
    return _normalize(_newlines(text))


def _context(
    data: Report | Mapping[str, Any],
    scheme: NumberingScheme,
    writer: BodyWriter,
    *,
    normalize: bool,
) -> dict[str, Any]:
    if isinstance(data, Report):
        return report_context(data, scheme, writer)
    if isinstance(data, Mapping):
        if normalize:
            return {k: _normalize(v) if isinstance(v, str) else v for k, v in data.items()}
        return dict(data)
    raise RenderError(
        "cannot be rendered",
        where="data",
        expected="a docgen.Report or a mapping of names to values",
        found=f"{type(data).__name__}",
    )


def _assemble(
    tpl: Template, rendered: Mapping[str, bytes], lists: ListNumbering, media: Media
) -> bytes:
    """The new package: the template's parts, the rendered ones, list numbering, pictures."""
    replaced = dict(rendered)
    if lists.nums:
        num_xml = tpl.static["word/numbering.xml"]
        replaced["word/numbering.xml"] = num_xml.replace(
            b"</w:numbering>", lists.xml().encode("utf-8") + b"</w:numbering>"
        )
    added = []
    if media.items:
        rels_name = "word/_rels/document.xml.rels"
        rels = "".join(
            f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/image" Target="media/docgen{n}.{ext}"/>'
            for n, (rid, _, ext) in enumerate(media.items, start=1)
        )
        replaced[rels_name] = tpl.static[rels_name].replace(
            b"</Relationships>", rels.encode("utf-8") + b"</Relationships>"
        )
        added = [
            (f"word/media/docgen{n}.{ext}", blob)
            for n, (_, blob, ext) in enumerate(media.items, start=1)
        ]
    members = [
        deflate(name, replaced[name]) if name in replaced else tpl.frozen[name]
        for name in tpl.package.parts
    ]
    members.extend(deflate(name, blob) for name, blob in added)
    return write_zip(members)


def _apply_fields(tpl: Template, ctx: dict[str, Any]) -> None:
    """Fill the manifest's fields from their defaults.

    A required field that is missing is an error naming it (``extra.doc_number``) and what it
    is for.
    """
    missing = []
    for name, spec in tpl.manifest.fields.items():
        if name in ctx:
            continue
        if spec.default is not None or not spec.required:
            ctx[name] = spec.default
        else:
            missing.append(f"extra.{name}" + (f" ({spec.description})" if spec.description else ""))
    if missing:
        raise DataError(
            f"needs {len(missing)} field(s) the data does not give: " + ", ".join(missing),
            where=f"template {tpl.name}",
            expected="each field under extra: in the data file (or as a keyword of render())",
        )
