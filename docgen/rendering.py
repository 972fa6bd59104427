"""Report + Template → Document.

:func:`render` builds the context a template sees (:mod:`docgen.context`), renders every
compiled part in the sandbox, finishes each in one pass over its tree
(:mod:`docgen.postrender`), and assembles the new package: unchanged parts are copied as
compiled, changed parts written, pictures and list numbering added.
"""

from __future__ import annotations

import contextlib
import os
import re
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2

from docgen.body import BodyWriter
from docgen.cn.numbering import NumberingScheme
from docgen.context import (
    ContextPaths,
    data_context,
    pointer_key,
    prepare_report,
    read_images,
    unused_extra,
)
from docgen.errors import (
    ConventionError,
    DocgenError,
    DocgenWarning,
    Problem,
    RenderError,
    RenderTimeoutError,
    UndefinedVariableError,
    UnknownFilterError,
    pointer,
)
from docgen.files import refuse_existing, write_atomic
from docgen.i18n import Message, lazy, lazy_join, use_language
from docgen.listnumbering import ListNumbering
from docgen.model import Report
from docgen.pictures import Media, image_info
from docgen.postrender import add_numbering, add_relationships, finish_part
from docgen.registry import DEFAULT_TEMPLATE
from docgen.sandbox import BUILT, TimeUp, deadline, time_limit
from docgen.template import CompiledPart, Template
from docgen.values import BLOCKS, MISSING, OWNERS, WRITER, Flattened, PrintedBlocks
from docgen.zipout import deflate, write_zip

__all__ = ["Document", "refuse_unknown_keywords", "render", "unused_extra_allowed"]


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
        from docgen.converter import convert_to_pdf  # noqa: PLC0415 - LibreOffice when asked

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


# --- rendering parts -----------------------------------------------------------------------


def _template_line(exc: BaseException) -> int | None:
    """The template line (= paragraph) an exception was raised at, from its traceback."""
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == "<template>":
            line = lineno
    return line


def _in_paragraph(template: Template, part: CompiledPart, exc: BaseException) -> Message:
    """Where *exc* was raised: the template, its part and the Word paragraph's own text."""
    return lazy(
        "{template} ({part}), paragraph “{text}”",
        template=template.source,
        part=part.name,
        text=part.paragraph_text(_template_line(exc)),
    )


def _render_part(
    part: CompiledPart,
    template: Template,
    ctx: Mapping[str, Any],
    missing: list[str | Message],
    places: list[Message],
    printed: PrintedBlocks,
) -> bytes:
    before = len(missing)
    try:
        out = part.template.render(ctx)
    except jinja2.UndefinedError as exc:
        # An undefined value used in arithmetic or a comparison stops the part; report it with
        # every name collected so far.
        name = re.sub(r"^'([^']+)' is undefined$", r"\1", str(exc))
        missing.append(name)
        places.extend(_where_used(part, n) for n in missing[before:-1])
        paragraph = part.paragraph_text(_template_line(exc))
        places.append(
            lazy(
                "{name} (in {part}, paragraph “{paragraph}”)",
                name=name,
                part=part.name,
                paragraph=paragraph,
            )
        )
        return b""
    except jinja2.exceptions.SecurityError as exc:
        raise RenderError(
            lazy("uses something the sandbox forbids: {exc}", exc=exc),
            where=_in_paragraph(template, part, exc),
            expected=lazy(
                "only the data's values, Jinja's tags and filters and docgen's filters, "
                "within the sandbox's limits (no Python internals, files or imports)"
            ),
            code="render.unsafe",
        ) from None
    except jinja2.TemplateRuntimeError as exc:
        where = _in_paragraph(template, part, exc)
        if "No filter named" in str(exc):
            raise UnknownFilterError(
                str(exc), where=where, expected=lazy("one of Jinja's filters or docgen's")
            ) from None
        raise RenderError(
            lazy("failed: {exc}", exc=exc),
            where=where,
            expected=lazy("a template that renders this data"),
        ) from None
    except DocgenError as exc:
        where = _in_paragraph(template, part, exc)
        if exc.where and "[" in exc.where:  # a field path from the body writer
            raise
        message, inner, expected, found = exc.fields()
        raise RenderError(
            lazy("a filter failed: {message} ({where})", message=message, where=inner)
            if inner
            else lazy("a filter failed: {message}", message=message),
            where=where,
            expected=expected,
            found=found,
            code="render.bad_value",
        ) from None
    except (
        TypeError,
        ValueError,
        ArithmeticError,
        AttributeError,
        LookupError,
        RecursionError,
    ) as exc:
        raise RenderError(
            lazy("failed: {kind}: {exc}", kind=type(exc).__name__, exc=exc),
            where=_in_paragraph(template, part, exc),
            expected=lazy("values of the types the template's tags and filters work on"),
        ) from None
    except MemoryError:
        raise RenderError(
            lazy("ran out of memory"),
            where=f"{template.source} ({part.name})",
            expected=lazy(
                "smaller data, or more memory for docgen's workers (DOCGEN_WORKER_MEMORY_MB)"
            ),
            code="render.out_of_memory",
        ) from None
    if len(missing) > before:
        places.extend(_where_used(part, name) for name in missing[before:])
    finished = finish_part(out, part.name, literal_breaks=part.literal_breaks, blocks=printed)
    for block in printed.take_flattened():
        _warn_flattened(block, part, template)
    return finished


def _warn_flattened(block: Flattened, part: CompiledPart, template: Template) -> None:
    """Say that a table or list printed among other text became lines of text."""
    warnings.warn(
        DocgenWarning(
            lazy(
                "{where} (a {kind}) is printed by a tag among other text in {template} "
                "({part}), paragraph “{paragraph}”, so it became lines of text: a {kind} "
                "cannot stand inside a paragraph; put {{{{p b.xml }}}} (or {{{{ b }}}}) in a "
                "paragraph of its own to write it whole",
                where=block.where,
                kind=_KINDS.get(block.kind, block.kind),
                template=repr(template.name),
                part=part.name,
                paragraph=part.run_text(block.line),
            )
        ),
        stacklevel=2,
    )


#: The kinds of block a warning names, translated when shown.
_KINDS = {"table": lazy("table"), "list": lazy("list")}


def _where_used(part: CompiledPart, name: str | Message) -> Message:
    """``name`` in ``part``, paragraph “…”: the first paragraph whose tags mention the name."""
    key = str(name.params["name"]) if isinstance(name, Message) else name.split(" (of ", 1)[0]
    for line in part.lines:
        for tag in _TAGS.findall(line):
            if key in tag:
                paragraph = part.paragraph_text(part.lines.index(line) + 1)
                return lazy(
                    "{name} (in {part}, tag {tag}, paragraph “{paragraph}”)",
                    name=name,
                    part=part.name,
                    tag=tag.strip(),
                    paragraph=paragraph,
                )
    return lazy("{name} (in {part})", name=name, part=part.name)


_TAGS = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)


# --- render ---------------------------------------------------------------------------------


def render(
    data: Report | Mapping[str, Any],
    template: str | os.PathLike[str] | Template | None = None,
    *,
    numbering: NumberingScheme | str | None = None,
    normalize_punctuation: bool = False,
    template_dirs: Sequence[str | os.PathLike[str]] = (),
    timeout: float | None = None,
    filters: Mapping[str, Callable[..., Any]] | None = None,
    **extra: Any,
) -> Document:
    """Render a report (or a plain mapping) with a template.

    Args:
        data: a :class:`~docgen.Report`, or a mapping for a plain docxtpl-style template.
        template: a built-in name (``"work-summary"``), a ``.docx`` path, a template folder,
            or a loaded :class:`~docgen.Template`.  Default: the one the report names
            (:attr:`Report.template <docgen.Report.template>`, ``template:`` in its data
            file), else ``work-summary``; :attr:`Document.template` says which was used.
        numbering: a :class:`~docgen.cn.NumberingScheme` or preset name overriding the
            template's scheme (``"GBT9704"``, ``"SCHOOL"``, ``"DECIMAL"``).
        normalize_punctuation: make half-width , ; : ? ! ( ) " next to Chinese text full-width.
        template_dirs: folders searched for a template *name* before ``DOCGEN_TEMPLATE_PATH``,
            installed packages' templates and the built-ins (see :mod:`docgen.registry`).
        timeout: seconds the template's parts may take to render.  Default: no limit
            (``docgen.limits.RENDER_TIMEOUT``), unless the ``DOCGEN_RENDER_TIMEOUT``
            environment variable sets one; 0 for none.  The limit is kept by the template's
            own loops, calls and filters, which stop there (never in your code); Python code
            of your data (a generator that never ends) is not interrupted — render in a
            process of its own (:func:`docgen.render_many` workers) to bound that too.
        filters: Jinja filters of your own, name → function (``{"grade": grade}`` for
            ``{{ score|grade }}``), sandboxed as docgen's are; installed packages add theirs
            through the ``docgen.filters`` entry point group.
        **extra: more names for the template (they win over the report's ``extra``).  A
            name the template does not use raises :class:`TypeError` naming it, so a
            misspelled option (``numberng=``) is not silently ignored.

    Raises:
        TypeError: a keyword that is neither an option nor a name the template uses.
        UndefinedVariableError: the template uses names the data does not supply (all listed).
        TemplateError: the template is wrong (syntax, unknown filter, sandbox).
        RenderError: a value could not be written (a picture that is not one, …), or the
            template did something the sandbox forbids.
        RenderTimeoutError: the template took longer than *timeout* to render.
    """
    limit = time_limit(timeout)
    tpl = Template.load(
        chosen_template(template, data), template_dirs=template_dirs, filters=filters
    )
    refuse_unknown_keywords("render", extra, tpl)
    if isinstance(numbering, str):
        scheme = NumberingScheme.preset(numbering)
    else:
        scheme = numbering or tpl.scheme
    media = Media(tpl.first_rid)
    bullet, number, first_num = tpl.list_ids
    lists = ListNumbering(first_num, bullet, number)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        if isinstance(data, Report):
            data = prepare_report(data, tpl.manifest, normalize=normalize_punctuation)
            _warn_unused(unused_extra(data, tpl.manifest, tpl.variables), tpl)
        writer = BodyWriter(
            tpl.roles,
            scheme,
            text_width=tpl.text_width,
            media=media,
            numbering=lists,
            image_info=image_info,
            images=read_images(data, extra),
        )
        ctx = data_context(
            data,
            scheme,
            writer,
            tpl.manifest,
            normalize=normalize_punctuation,
            extra=extra,
            template_name=tpl.name,
        )
        report_extra = frozenset(data.extra) if isinstance(data, Report) else None
        rendered = _render_parts(tpl, ctx, writer, limit, report_extra)
    caught = [str(w.message) for w in seen]
    for w in seen:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return Document(_assemble(tpl, rendered, lists, media), tpl.name, caught)


def chosen_template(
    template: str | os.PathLike[str] | Template | None, data: object
) -> str | os.PathLike[str] | Template:
    """The template to render *data* with: the one given, else the report's, else the default.

    >>> chosen_template(None, Report("通知", template="notice"))
    'notice'
    >>> chosen_template("official", Report("通知", template="notice"))
    'official'
    >>> chosen_template(None, {"title": "题"})
    'work-summary'
    """
    if template is not None:
        return template
    if isinstance(data, Report) and data.template is not None:
        return data.template
    return DEFAULT_TEMPLATE


class _UnusedExtraWarning(DocgenWarning):
    """An ``extra`` field the template leaves out (a class of its own: filtered in any language)."""


@contextlib.contextmanager
def unused_extra_allowed() -> Iterator[None]:
    """A ``with`` block in which :func:`render` does not warn of unused ``extra`` fields."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=_UnusedExtraWarning)
        yield


def _warn_unused(names: list[str], template: Template) -> None:
    """Say which of the report's ``extra`` fields *template* leaves out of the document."""
    if names:
        listed = ", ".join(f"extra.{name}" for name in names)
        warnings.warn(
            _UnusedExtraWarning(
                lazy(
                    "{fields}: not used by the template {template}, so not in the document "
                    "(another template, or a misspelled field name?)",
                    fields=listed,
                    template=repr(template.name),
                )
            ),
            stacklevel=3,
        )


_KEYWORDS = ("numbering", "normalize_punctuation", "template_dirs", "timeout", "filters")


def refuse_unknown_keywords(function: str, names: Mapping[str, Any], template: Template) -> None:
    """Raise :class:`TypeError` for a keyword *template* does not use (a misspelling).

    :func:`render` passes its extra keywords to the template as names; one the template
    never uses is almost always a misspelled option (``numberng=``), which would otherwise
    change nothing without a word.  Options of :func:`render` among *names* pass.
    """
    unknown = sorted(set(names) - template.variables - set(_KEYWORDS))
    if not unknown:
        return
    name = unknown[0]
    import difflib  # noqa: PLC0415 - only for a "did you mean" hint, not on every render

    close = difflib.get_close_matches(name, [*_KEYWORDS, *sorted(template.variables)], n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise TypeError(
        f"{function}() got an unexpected keyword argument {name!r}{hint}: it is neither an "
        f"option of {function}() nor a name the template {template.name!r} uses"
    )


def _render_parts(
    tpl: Template,
    ctx: Mapping[str, Any],
    writer: BodyWriter,
    limit: float,
    report_extra: frozenset[str] | None = None,
) -> dict[str, bytes]:
    """Every compiled part rendered and finished, within *limit* seconds (0: no limit).

    *report_extra*: the ``extra`` names of the report rendered (``None``: plain data), so a
    missing name's problem gives the path the data file would write it at.
    """
    missing: list[str | Message] = []
    places: list[Message] = []
    owners: dict[int, object] = {}
    token = MISSING.set(missing)
    owners_token = OWNERS.set(owners)
    writer_token = WRITER.set(writer)
    built_token = BUILT.set([0])
    printed = PrintedBlocks()
    blocks_token = BLOCKS.set(printed)
    current = next(iter(tpl.compiled), "")
    rendered = {}
    try:
        with deadline(limit):
            for name, part in tpl.compiled.items():
                current = name
                rendered[name] = _render_part(part, tpl, ctx, missing, places, printed)
    except TimeUp:
        raise RenderTimeoutError(
            lazy("took longer than {limit:g} s to render and was stopped", limit=limit),
            where=f"{tpl.source} ({current})",
            expected=lazy(
                "a template whose loops end; for a longer render pass render(timeout=…) "
                "or set DOCGEN_RENDER_TIMEOUT (0: no limit)"
            ),
        ) from None
    except ConventionError as exc:
        raise RenderError(
            lazy("a value could not be formatted: {exc}", exc=exc),
            where=tpl.source,
            expected=exc.expected,
            found=exc.found,
            code="render.bad_value",
        ) from None
    finally:
        MISSING.reset(token)
        OWNERS.reset(owners_token)
        WRITER.reset(writer_token)
        BUILT.reset(built_token)
        BLOCKS.reset(blocks_token)
    if missing:
        unique = list(dict.fromkeys(places))
        where_each: dict[tuple[str, str, str | None], list[Message]] = {}
        with use_language("en"):  # the data path is read from the name's English form
            english = [str(name) for name in missing]
        found_in = ContextPaths(ctx)
        for i, (name, place) in enumerate(zip(english, places, strict=True)):
            path, variable = _data_path(tpl, name, ctx, report_extra, found_in(owners.get(i)))
            if place not in where_each.setdefault((name, path, variable), []):
                where_each[name, path, variable].append(place)
        problems = tuple(
            Problem(
                "template.missing_variable",
                path,
                lazy_join("; ", used)
                if variable is None
                else lazy(
                    "{places}; {variable} is a variable of the template (a loop's, say): "
                    "the path names it, as the item of the data it stands for is not known",
                    places=lazy_join("; ", used),
                    variable=repr(variable),
                ),
            )
            for (_name, path, variable), used in where_each.items()
        )
        raise UndefinedVariableError(
            lazy(
                "uses {n} name(s) the data does not supply: {places}",
                n=len(dict.fromkeys(missing)),
                places=lazy_join("; ", unique),
            ),
            where=tpl.source,
            expected=lazy("every variable the template uses to be in the data"),
            found=lazy("missing {names}", names=lazy_join(", ", dict.fromkeys(missing))),
            problems=problems,
        )
    return rendered


def _data_path(
    tpl: Template,
    name: str,
    ctx: Mapping[str, Any],
    report_extra: frozenset[str] | None,
    owner_path: str | None = None,
) -> tuple[str, str | None]:
    """Where a missing *name* would be in the data, and the template variable it hangs on.

    The first is a JSON pointer (``/extra/recipients``); the second the template's own
    variable the path starts from when that variable is not a name in the data (else None).
    A missing key of a mapping (``name (of a dict)``) is placed under the value it was looked
    up on, where that value is in the data (*owner_path*: ``{{ s.name }}`` in
    ``{% for s in sections %}`` gives ``/sections/2/name``); else under the expression a tag
    reads it from (``student.name`` → ``/student/name``).  A report's own names (``title``)
    are at the top, any other of its names under ``/extra``.  A loop variable whose item is
    not found in the data stays as the template names it (``/s/name``), and is returned.
    """
    key, _, owner = name.partition(" (of ")
    if owner and owner_path is not None:
        root = owner_path[1:].split("/", 1)[0]
        in_extra = report_extra is not None and root in report_extra
        return ("/extra" if in_extra else "") + owner_path + pointer_key(key), None
    expr = key
    if owner:
        reading = re.compile(rf"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\.{re.escape(key)}\b")
        for part in tpl.compiled.values():
            tags = (tag for line in part.lines for tag in _TAGS.findall(line))
            found = next((m[1] for tag in tags if (m := reading.search(tag))), None)
            if found:
                expr = f"{found}.{key}"
                break
    root = expr.split(".", 1)[0]
    in_extra = report_extra is not None and (
        root in report_extra or (root not in ctx and root in tpl.variables)
    )
    variable = root if owner and root not in ctx and root not in tpl.variables else None
    return ("/extra" if in_extra else "") + pointer(expr), variable


def _assemble(
    tpl: Template, rendered: Mapping[str, bytes], lists: ListNumbering, media: Media
) -> bytes:
    """The new package: the template's parts, the rendered ones, list numbering, pictures."""
    replaced = dict(rendered)
    media.keep_referenced(rendered.values())  # a picture written but never printed: left out
    if lists.nums:
        name = "word/numbering.xml"
        replaced[name] = add_numbering(tpl.static[name], lists.xml())
    if media.items:
        name = "word/_rels/document.xml.rels"
        replaced[name] = add_relationships(tpl.static[name], media.targets())
    members = [
        deflate(name, replaced[name]) if name in replaced else tpl.frozen[name]
        for name in tpl.package.parts
    ]
    members.extend(deflate(name, blob) for name, blob in media.parts())
    return write_zip(members)
