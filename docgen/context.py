"""What a template sees: a report as names, section views, the body and signature slots.

:func:`report_context` turns a :class:`~docgen.Report` into the names a template uses (see
DESIGN "Context a template sees"); :func:`data_context` does it for a report or a plain
mapping, and fills the manifest's fields.  :mod:`docgen.rendering` renders with it and
:mod:`docgen.inspect` checks templates against it, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
from markupsafe import Markup

from docgen.body import BodyWriter
from docgen.cn.dates import format_date
from docgen.cn.numbering import NumberingScheme
from docgen.cn.typography import normalize_punctuation as _normalize
from docgen.errors import DataError, Problem, RenderError, pointer
from docgen.files import read_picture
from docgen.i18n import lazy
from docgen.manifest import Manifest
from docgen.model import Block, Image, Paragraph, Report, Run, Section, Signature, map_text
from docgen.values import BlockView

__all__ = [
    "ContextPaths",
    "SectionView",
    "SignatureView",
    "apply_fields",
    "data_context",
    "pointer_key",
    "prepare_report",
    "read_images",
    "report_context",
    "unused_extra",
]


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


class _Slot:
    """A slot written when a template first prints it.

    A template that loops over the sections itself and never prints ``body`` adds none of
    the body's pictures or lists to the package; one that prints it writes it where it
    stands, in document order with the blocks its loops write.
    """

    __slots__ = ("_write", "_xml")

    def __init__(self, write: Callable[[], str]) -> None:
        self._write = write
        self._xml: str | None = None

    def __html__(self) -> str:
        if self._xml is None:
            self._xml = self._write()
        return self._xml

    def __str__(self) -> str:
        return self.__html__()


def report_context(
    report: Report, scheme: NumberingScheme, writer: BodyWriter, *, slots: bool = True
) -> dict[str, Any]:
    """The names a template sees for a report (see DESIGN "Context a template sees").

    *slots*: write the ``body`` and ``signature_block`` slots (:mod:`docgen.inspect`, which
    only looks at names and values, leaves them empty).
    """
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
        body=_Slot(lambda: writer.body(report)) if slots else Markup(""),
        signature_block=_Slot(lambda: writer.signature(report.signature)) if slots else Markup(""),
    )
    return ctx


def prepare_report(report: Report, manifest: Manifest, *, normalize: bool) -> Report:
    """*report* as a render writes it: one newline form, the template's signature date style.

    Every text field gets ``"\\n"`` for line breaks whatever the data's origin (``"\\r\\n"``,
    ``"\\r"``), and with *normalize* full-width punctuation next to Chinese text.
    """
    report = map_text(report, _normalize_text if normalize else _newlines)
    sig = report.signature
    if sig is not None and sig.date_style is None:  # the template's own date style
        report = attrs.evolve(report, signature=attrs.evolve(sig, date_style=manifest.date_style))
    return report


def data_context(
    data: Report | Mapping[str, Any],
    scheme: NumberingScheme,
    writer: BodyWriter,
    manifest: Manifest,
    *,
    normalize: bool,
    extra: Mapping[str, Any],
    template_name: str,
) -> dict[str, Any]:
    """The names a template sees for *data* (prepared by :func:`prepare_report` if a report).

    *extra* names win over the report's own; the manifest's fields not given get their
    defaults (:func:`apply_fields`).
    """
    if isinstance(data, Report):
        ctx = report_context(data, scheme, writer)
    elif isinstance(data, Mapping):
        if normalize:
            ctx = {k: _normalize(v) if isinstance(v, str) else v for k, v in data.items()}
        else:
            ctx = dict(data)
    else:
        raise RenderError(
            lazy("cannot be rendered"),
            where="data",
            expected=lazy("a docgen.Report or a mapping of names to values"),
            found=lazy("{kind}", kind=type(data).__name__),
            code="argument.invalid",
        )
    ctx.update(extra)
    apply_fields(manifest, ctx, template_name, report=isinstance(data, Report))
    return ctx


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
        lazy("cannot be rendered"),
        where="data",
        expected=lazy("a docgen.Report or a mapping of names to values"),
        found=lazy("{kind}", kind=type(data).__name__),
        code="argument.invalid",
    )


# Values that never hold a picture: the walk below does not look inside them.
_NO_PICTURES = (str, bytes, int, float, Paragraph, Run)


def read_images(*data: Any) -> dict[str, bytes]:
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
                images[value.source] = read_picture(value.source, f"{where}.source")
        elif isinstance(value, Mapping):
            for key, item in value.items():
                visit(item, f"{where}.{key}" if where else str(key))
        elif isinstance(value, (list, tuple)):
            for n, item in enumerate(value):
                visit(item, f"{where}[{n}]")
        elif attrs.has(type(value)):
            for field in attrs.fields(type(value)):
                visit(getattr(value, field.name), f"{where}.{field.name}" if where else field.name)

    for value in data:
        visit(value, "")
    return images


def apply_fields(
    manifest: Manifest, ctx: dict[str, Any], template_name: str, *, report: bool = True
) -> None:
    """Fill the manifest's fields from their defaults.

    A required field that is missing or blank (an empty spreadsheet cell, whitespace only)
    is an error naming it and what it is for; so is a blank part of one whose example is a
    mapping (``student.name`` of ``student = {name, class}``).  A *report*'s fields are named
    as the data file writes them (``extra.doc_number``), plain data's as its keys or
    spreadsheet columns (``student.name``).
    """
    missing: list[tuple[str, str]] = []  # (field path, its label)
    for name, spec in manifest.fields.items():
        optional = spec.default is not None or not spec.required
        if name not in ctx:
            if optional:
                ctx[name] = spec.default
            else:
                missing.append(_field_label(name, spec.description, "", report=report))
        elif not optional:
            missing.extend(
                _field_label(blank, spec.description, " is blank", report=report)
                for blank in _blank_parts(name, ctx[name], spec.example)
            )
    if missing:
        place = (
            lazy("under extra: in the data file")
            if report
            else lazy("in the spreadsheet column or data-file key of that name")
        )
        expected = lazy("a value for each, {place} (or a keyword of render())", place=place)
        raise DataError(
            lazy(
                "needs {n} field(s) the data does not give: {fields}",
                n=len(missing),
                fields=", ".join(label for _, label in missing),
            ),
            where=f"template {template_name}",
            expected=expected,
            code="data.missing",
            problems=tuple(
                Problem("data.missing", pointer(path), label, expected) for path, label in missing
            ),
        )


def _field_label(name: str, description: str, state: str, *, report: bool) -> tuple[str, str]:
    """The field's path as the data writes it, and its label (``extra.doc_number (文号)``)."""
    path = f"extra.{name}" if report else name
    return path, path + state + (f" ({description})" if description else "")


def _blank_parts(name: str, value: Any, example: Any) -> list[str]:
    """*name* if *value* is blank, else the parts of it its mapping *example* has and it lacks."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return [name]
    if isinstance(example, Mapping) and isinstance(value, Mapping):
        return [
            blank
            for key, part in example.items()
            for blank in _blank_parts(f"{name}.{key}", value.get(key), part)
        ]
    return []


def unused_extra(report: Report, manifest: Manifest, variables: frozenset[str]) -> list[str]:
    """The names in *report*'s ``extra`` that a template using *variables* never prints.

    A template that reads ``extra`` or ``report`` as a whole may use any of them: none are
    named then.

    >>> from docgen.manifest import Manifest
    >>> unused_extra(Report("t", extra={"doc_number": "1", "school": "x"}), Manifest("t"),
    ...              frozenset({"school", "body"}))
    ['doc_number']
    """
    if variables & {"extra", "report"}:
        return []
    return sorted(name for name in report.extra if name not in variables | manifest.fields.keys())


class ContextPaths:
    """Where a value of the render's context is in the data, as a JSON pointer, by identity.

    Looks through mappings, lists and tuples and docgen's views of a report (its sections'
    ``subsections``), breadth first and at most :attr:`LIMIT` values, once for all owners.
    """

    LIMIT = 200_000

    def __init__(self, ctx: Mapping[str, Any]) -> None:
        self.ctx = ctx
        self.paths: dict[int, str] | None = None

    def _walk(self) -> dict[int, str]:
        paths: dict[int, str] = {}
        queue: list[tuple[object, str]] = [
            (value, pointer_key(str(key))) for key, value in self.ctx.items()
        ]
        for value, path in queue:  # grows as it goes: breadth first
            if len(queue) > self.LIMIT:
                break
            if isinstance(value, (str, bytes, int, float)) or value is None:
                continue
            paths.setdefault(id(value), path)
            if isinstance(value, Mapping):
                queue.extend((v, path + pointer_key(str(k))) for k, v in value.items())
            elif isinstance(value, (list, tuple)):
                queue.extend((v, f"{path}/{i}") for i, v in enumerate(value))
            elif isinstance(value, SectionView):
                queue.append((value.subsections, path + "/subsections"))
        return paths

    def __call__(self, owner: object) -> str | None:
        """The pointer of *owner* (the loop item a missing name was looked up on), if found."""
        if owner is None:
            return None
        if self.paths is None:
            self.paths = self._walk()
        return self.paths.get(id(owner))


def pointer_key(key: str) -> str:
    """One key of a JSON pointer, escaped: ``a/b`` → ``/a~1b``."""
    return "/" + key.replace("~", "~0").replace("/", "~1")
