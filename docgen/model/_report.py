"""Sections, the signature and the whole report; copies with their text or pictures changed."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from docgen.cn.calendar import Term
from docgen.cn.dates import DATE_STYLES, parse_date
from docgen.errors import ConventionError, ValidationError
from docgen.i18n import lazy
from docgen.model._blocks import (
    Block,
    BulletList,
    Image,
    NumberedList,
    Paragraph,
    Table,
    _to_blocks,
)
from docgen.model._checks import _build, _fail, _optional_text, _text, _tuple_of


def _to_section(item: Any, where: str) -> Section:
    if isinstance(item, str):
        return Section(item)
    return _build(Section, item, where)


def _section_blocks(value: Any) -> tuple[Block, ...]:
    return _to_blocks("Section.blocks")(value)


def _subsections(value: Any) -> tuple[Section, ...]:
    return _tuple_of(_to_section, "Section.subsections")(value)


@attrs.define(frozen=True)
class Section:
    """A numbered section: a title without its number, blocks, and nested subsections.

    The template's numbering scheme adds 一、/（一）/1、 when rendering, so sections can be
    moved or inserted and renumber themselves.

    >>> s = Section("重在实践，落实发展规划", subsections=[Section("迎接新优质学校中期评审")])
    >>> s.depth
    2
    """

    title: str = attrs.field(validator=_text)
    blocks: tuple[Block, ...] = attrs.field(factory=tuple, converter=_section_blocks)
    subsections: tuple[Section, ...] = attrs.field(factory=tuple, converter=_subsections)

    @property
    def depth(self) -> int:
        """How many heading levels this section uses (itself included)."""
        return 1 + max((s.depth for s in self.subsections), default=0)

    def walk(self) -> Iterator[Section]:
        """This section and every subsection, depth first."""
        yield self
        for sub in self.subsections:
            yield from sub.walk()


def _to_date(value: Any) -> _dt.date | None:
    if value is None:
        return None
    if not isinstance(value, (str, _dt.date)):
        raise _fail("Signature.date", lazy("a date"), value)
    try:
        return parse_date(value, where="Signature.date")[0]
    except ConventionError as exc:
        message, where, expected, found = exc.fields()
        raise ValidationError(message, where=where, expected=expected, found=found) from None


@attrs.define(frozen=True)
class Signature:
    """The signature block: organisation, optional person, and the date.

    ``date_style`` is one of :data:`docgen.cn.DATE_STYLES`, or None for the template's own
    (``date_style`` in its ``template.toml``: summaries and plans sign with ``year_month``,
    2014年1月; notices, minutes and 公文 with ``long``, 2014年1月15日).

    ``date`` is a date or its text in any form :func:`docgen.cn.dates.parse_date` reads, the
    same forms a data file may use:

    >>> Signature("徐汇区东二小学党支部", date="2014-01").date
    datetime.date(2014, 1, 1)
    >>> Signature("徐汇区东二小学党支部", date="2014年1月15日").date
    datetime.date(2014, 1, 15)
    """

    org: str = attrs.field(validator=_text)
    name: str | None = attrs.field(default=None, validator=_optional_text)
    date: _dt.date | None = attrs.field(default=None, converter=_to_date)
    date_style: str | None = attrs.field(default=None)

    @date_style.validator
    def _check_style(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and value not in DATE_STYLES:
            raise ValidationError(
                lazy("is not a date style"),
                where="Signature.date_style",
                expected=" / ".join(DATE_STYLES),
                found=repr(value),
            )


def _to_signature(value: Any) -> Signature | None:
    if value is None or isinstance(value, Signature):
        return value
    if isinstance(value, str):
        return Signature(value)
    return _build(Signature, value, "signature")


def _to_term(value: Any) -> Term | None:
    if value is None or isinstance(value, Term):
        return value
    if isinstance(value, str):
        return Term.parse(value)
    if isinstance(value, Mapping):
        return _build(Term, value, "term")
    raise _fail("Report.term", lazy("a Term or a name such as 2013学年第一学期"), value)


def _to_texts(field: str) -> Callable[[Any], tuple[str, ...]]:
    def one(item: Any, where: str) -> str:
        if not isinstance(item, str):
            raise _fail(where, lazy("text"), item)
        return item

    inner = _tuple_of(one, field)

    def converter(value: Any) -> tuple[str, ...]:
        return (value,) if isinstance(value, str) else inner(value)

    return converter


def _to_extra(value: Any) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _fail("Report.extra", lazy("a mapping of names to values"), value)
    for key in value:
        if not isinstance(key, str) or not key.isidentifier():
            raise _fail(
                "Report.extra", lazy("names usable in a template (letters, digits, _)"), key
            )
    return dict(value)


def _intro(value: Any) -> tuple[Block, ...]:
    return _to_blocks("intro")(value)


def _sections(value: Any) -> tuple[Section, ...]:
    return _tuple_of(_to_section, "sections")(value)


def _closing(value: Any) -> tuple[Block, ...]:
    return _to_blocks("closing")(value)


def _attachments(value: Any) -> tuple[str, ...]:
    return _to_texts("attachments")(value)


@attrs.define(frozen=True)
class Report:
    """A whole document: what a template renders.

    >>> r = Report("2013学年第一学期党支部工作小结", status="初稿",
    ...            sections=[Section("围绕主题，开展学习活动")])
    >>> r.full_title
    '2013学年第一学期党支部工作小结（初稿）'
    """

    title: str = attrs.field(validator=_text)
    status: str | None = attrs.field(default=None, validator=_optional_text)
    intro: tuple[Block, ...] = attrs.field(factory=tuple, converter=_intro)
    sections: tuple[Section, ...] = attrs.field(factory=tuple, converter=_sections)
    closing: tuple[Block, ...] = attrs.field(factory=tuple, converter=_closing)
    signature: Signature | None = attrs.field(default=None, converter=_to_signature)
    term: Term | None = attrs.field(default=None, converter=_to_term)
    attachments: tuple[str, ...] = attrs.field(factory=tuple, converter=_attachments)
    extra: Mapping[str, Any] = attrs.field(factory=dict, converter=_to_extra)
    #: The template the data was written for (``template: official`` in a data file): a
    #: name, a ``.docx`` or a template folder.  :func:`docgen.render` uses it when no
    #: template is given; an explicit one wins.  Not printed.
    template: str | None = attrs.field(default=None, validator=_optional_text)

    @property
    def full_title(self) -> str:
        """The title with its status in full-width brackets: 工作小结（初稿）."""
        return f"{self.title}（{self.status}）" if self.status else self.title

    @property
    def depth(self) -> int:
        """How many heading levels the report uses."""
        return max((s.depth for s in self.sections), default=0)

    def walk(self) -> Iterator[Section]:
        """Every section and subsection, depth first."""
        for s in self.sections:
            yield from s.walk()


def blocks_of(value: Sequence[Any] | str, field: str = "blocks") -> tuple[Block, ...]:
    """Convert text or a list of block-like values to blocks (``field`` names the place)."""
    return _to_blocks(field)(value)


def map_text(
    report: Report,
    fn: Callable[[str], str],
    *,
    runs: Callable[[list[str]], list[str]] | None = None,
) -> Report:
    """A copy of *report* with *fn* applied to every piece of visible text.

    Used for punctuation normalization; the structure is untouched.  *runs*, when given, maps
    the texts of a paragraph's runs together (a mark in a run of its own may need its
    neighbours), one text per run; other texts (titles, captions, names) get *fn*.

    >>> map_text(Report("小结(初稿)"), str.upper).title
    '小结(初稿)'
    """

    def para(p: Paragraph) -> Paragraph:
        texts = runs([r.text for r in p.runs]) if runs else [fn(r.text) for r in p.runs]
        return attrs.evolve(
            p, runs=tuple(attrs.evolve(r, text=t) for r, t in zip(p.runs, texts, strict=True))
        )

    def opt(value: str | None) -> str | None:
        return fn(value) if value is not None else None

    def block(b: Block) -> Block:
        if isinstance(b, Paragraph):
            return para(b)
        if isinstance(b, (BulletList, NumberedList)):
            return attrs.evolve(b, items=tuple(para(p) for p in b.items))
        if isinstance(b, Table):
            rows = tuple(
                tuple(attrs.evolve(c, content=tuple(para(p) for p in c.content)) for c in row)
                for row in b.rows
            )
            return attrs.evolve(b, rows=rows, caption=opt(b.caption))
        if isinstance(b, Image):
            return attrs.evolve(b, caption=opt(b.caption))
        return b

    def section(s: Section) -> Section:
        return attrs.evolve(
            s,
            title=fn(s.title),
            blocks=tuple(block(b) for b in s.blocks),
            subsections=tuple(section(x) for x in s.subsections),
        )

    sig = report.signature
    return attrs.evolve(
        report,
        title=fn(report.title),
        status=opt(report.status),
        intro=tuple(block(b) for b in report.intro),
        sections=tuple(section(s) for s in report.sections),
        closing=tuple(block(b) for b in report.closing),
        signature=attrs.evolve(sig, org=fn(sig.org), name=opt(sig.name)) if sig else None,
        attachments=tuple(fn(a) for a in report.attachments),
    )


def map_images(report: Report, fn: Callable[[Image, str], Image]) -> Report:
    """*report* with every picture replaced by ``fn(picture, field path)``.

    >>> r = Report("题", intro=[Image(b"png")], sections=[Section("一", blocks=[Image(b"jpg")])])
    >>> seen = []
    >>> _ = map_images(r, lambda image, where: seen.append(where) or image)
    >>> seen
    ['intro[0]', 'sections[0].blocks[0]']
    """

    def blocks(items: tuple[Block, ...], where: str) -> tuple[Block, ...]:
        return tuple(
            fn(b, f"{where}[{i}]") if isinstance(b, Image) else b for i, b in enumerate(items)
        )

    def section(s: Section, where: str) -> Section:
        return attrs.evolve(
            s,
            blocks=blocks(s.blocks, f"{where}.blocks"),
            subsections=tuple(
                section(sub, f"{where}.subsections[{i}]") for i, sub in enumerate(s.subsections)
            ),
        )

    return attrs.evolve(
        report,
        intro=blocks(report.intro, "intro"),
        sections=tuple(section(s, f"sections[{i}]") for i, s in enumerate(report.sections)),
        closing=blocks(report.closing, "closing"),
    )
