"""The report model: typed, validated sections and blocks (pure data, no Word XML, no files).

A :class:`Report` is what a school writes every term: a title, an optional status such as
初稿, an intro, numbered sections with subsections, closing paragraphs and a signature.
Values are checked when an object is built; a wrong value raises
:class:`~docgen.errors.ValidationError` naming the field path and what was found:

>>> Section(3)
Traceback (most recent call last):
...
docgen.errors.ValidationError: Section.title: must be text; found 3 (an int)

Plain strings are accepted wherever a block is expected and become :class:`Paragraph`:

>>> Section("围绕主题，开展学习活动", blocks=["在本学期活动中，……"]).blocks[0].text
'在本学期活动中，……'
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar, Union

import attrs

from docgen.cn.calendar import Term
from docgen.cn.dates import DATE_STYLES, parse_date
from docgen.errors import ConventionError, DocgenError, ValidationError

__all__ = [
    "Block",
    "BulletList",
    "Cell",
    "Image",
    "NumberedList",
    "PageBreak",
    "Paragraph",
    "Report",
    "Run",
    "Section",
    "Signature",
    "Table",
    "map_text",
]

_T = TypeVar("_T")


def _article(value: object) -> str:
    name = type(value).__name__
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def _fail(where: str, expected: str, value: object) -> ValidationError:
    return ValidationError(
        f"must be {expected}", where=where, found=f"{value!r} ({_article(value)})"
    )


def _where(inst: object, attribute: attrs.Attribute[Any]) -> str:
    return f"{type(inst).__name__}.{attribute.name}"


def _text(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise _fail(_where(inst, attribute), "text", value)


def _optional_text(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _text(inst, attribute, value)


def _positive_number(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise _fail(_where(inst, attribute), "a positive number", value)


def _positive_int(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _fail(_where(inst, attribute), "a whole number from 1", value)


def _tuple_of(convert: Callable[[Any, str], _T], field: str) -> Callable[[Any], tuple[_T, ...]]:
    """A converter turning any iterable (not a string) into a tuple, converting each item.

    Errors raised while converting item *i* get ``field[i]`` prefixed to their place.
    """

    def converter(value: Any) -> tuple[_T, ...]:
        if value is None:
            return ()
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
            raise _fail(field, "a list", value)
        out: list[_T] = []
        for i, item in enumerate(value):
            out.append(convert(item, f"{field}[{i}]"))
        return tuple(out)

    return converter


def _nest(where: str, exc: DocgenError) -> ValidationError:
    """Re-raise *exc* with its place prefixed by *where* (``sections[1]`` + ``.title``)."""
    inner = exc.where or ""
    if "." in inner:  # "Section.title" -> ".title"
        inner = inner[inner.index(".") :]
    return ValidationError(
        exc.message, where=f"{where}{inner}", expected=exc.expected, found=exc.found
    )


def _build(cls: type[_T], item: Any, where: str) -> _T:
    """Build *cls* from an instance, a mapping of its fields, or (for blocks) a string."""
    if isinstance(item, cls):
        return item
    try:
        if isinstance(item, Mapping):
            return cls(**item)
    except (ValidationError, ConventionError) as exc:
        raise _nest(where, exc) from None
    except TypeError as exc:
        raise ValidationError(
            f"has fields {cls.__name__} does not know ({exc})",
            where=where,
            expected=f"the fields of {cls.__name__}: "
            + ", ".join(a.name for a in attrs.fields(cls)),  # type: ignore[arg-type]
        ) from None
    raise _fail(where, f"a {cls.__name__} or a mapping of its fields", item)


# --- inline runs and blocks ------------------------------------------------------------------


@attrs.define(frozen=True)
class Run:
    """A piece of text inside a paragraph with its own emphasis.

    ``emphasis`` is the Chinese 着重号: a dot under each character (``w:em w:val="dot"``).

    >>> Run("重点", bold=True).bold
    True
    """

    text: str = attrs.field(validator=_text)
    bold: bool = False
    italic: bool = False
    underline: bool = False
    emphasis: bool = False


def _to_run(item: Any, where: str) -> Run:
    if isinstance(item, str):
        return Run(item)
    return _build(Run, item, where)


def _to_runs(value: Any) -> tuple[Run, ...]:
    if isinstance(value, str):
        return (Run(value),)
    return _tuple_of(_to_run, "Paragraph.runs")(value)


@attrs.define(frozen=True)
class Paragraph:
    """A paragraph of body text: one string, or runs with their own emphasis.

    >>> Paragraph("学习的目的是为了内化。").text
    '学习的目的是为了内化。'
    >>> Paragraph(["依托", Run("德育平台", bold=True)]).text
    '依托德育平台'

    ``style`` names a role of the template (``body``, ``note``…) or a Word style id; ``None``
    means the template's body style.  ``indent=False`` drops the two-character first-line
    indent of body text.
    """

    runs: tuple[Run, ...] = attrs.field(converter=_to_runs)
    style: str | None = attrs.field(default=None, validator=_optional_text)
    indent: bool = True

    @property
    def text(self) -> str:
        """The paragraph's visible text."""
        return "".join(r.text for r in self.runs)

    def __str__(self) -> str:
        return self.text


def _to_paragraph(item: Any, where: str) -> Paragraph:
    if isinstance(item, str):
        return Paragraph(item)
    if isinstance(item, Mapping) and "text" in item and "runs" not in item:
        item = {"runs": item["text"], **{k: v for k, v in item.items() if k != "text"}}
    return _build(Paragraph, item, where)


def _bullet_items(value: Any) -> tuple[Paragraph, ...]:
    return _tuple_of(_to_paragraph, "BulletList.items")(value)


@attrs.define(frozen=True)
class BulletList:
    """An unordered list; each item is one paragraph.

    >>> BulletList(["备课", "上课"]).items[1].text
    '上课'
    """

    items: tuple[Paragraph, ...] = attrs.field(converter=_bullet_items)


def _numbered_items(value: Any) -> tuple[Paragraph, ...]:
    return _tuple_of(_to_paragraph, "NumberedList.items")(value)


@attrs.define(frozen=True)
class NumberedList:
    """An ordered list.  Each list restarts at ``start`` unless ``continue_previous`` is set.

    ``level`` numbers the items with that level of the template's :class:`NumberingScheme`
    (``level=3`` in ``SCHOOL`` gives （1）（2）…); ``None`` numbers them with the template's Word
    list style (Word's own numbering, restarting per list).

    >>> NumberedList(["上好课", "带好班"], level=3).level
    3
    """

    items: tuple[Paragraph, ...] = attrs.field(converter=_numbered_items)
    level: int | None = attrs.field(default=None)
    start: int = attrs.field(default=1, validator=_positive_int)
    continue_previous: bool = False

    @level.validator
    def _check_level(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            _positive_int(self, attribute, value)


def _cell_content(value: Any) -> tuple[Paragraph, ...]:
    if isinstance(value, str):
        return (Paragraph(value),)
    return _tuple_of(_to_paragraph, "Cell.content")(value)


@attrs.define(frozen=True)
class Cell:
    """A table cell; ``colspan``/``rowspan`` merge it with its neighbours.

    >>> Cell("合计", colspan=2).colspan
    2
    """

    content: tuple[Paragraph, ...] = attrs.field(converter=_cell_content)
    colspan: int = attrs.field(default=1, validator=_positive_int)
    rowspan: int = attrs.field(default=1, validator=_positive_int)

    @property
    def text(self) -> str:
        """The cell's visible text, paragraphs joined by newlines."""
        return "\n".join(p.text for p in self.content)


def _to_cell(item: Any, where: str) -> Cell:
    if isinstance(item, (str, Paragraph)):
        return Cell((item,) if isinstance(item, Paragraph) else item)
    if isinstance(item, (int, float)) and not isinstance(item, bool):
        return Cell(str(item))
    if isinstance(item, Mapping) and "text" in item and "content" not in item:
        item = {"content": item["text"], **{k: v for k, v in item.items() if k != "text"}}
    return _build(Cell, item, where)


def _to_row(item: Any, where: str) -> tuple[Cell, ...]:
    return _tuple_of(_to_cell, where)(item)


def _table_rows(value: Any) -> tuple[tuple[Cell, ...], ...]:
    return _tuple_of(_to_row, "Table.rows")(value)


@attrs.define(frozen=True)
class Table:
    """A table: rows of cells, the first ``header_rows`` repeated on each page and bold.

    Column widths are in centimetres; without them the columns share the text width.
    A cell spanning columns or rows is written once, at its top-left position.

    >>> t = Table([["姓名", "评语"], ["张三", "认真"]], widths_cm=[3, 12], caption="表1 学生评语")
    >>> t.columns
    2
    """

    rows: tuple[tuple[Cell, ...], ...] = attrs.field(converter=_table_rows)
    header_rows: int = attrs.field(default=1)
    widths_cm: tuple[float, ...] | None = attrs.field(
        default=None, converter=attrs.converters.optional(tuple)
    )
    caption: str | None = attrs.field(default=None, validator=_optional_text)

    @header_rows.validator
    def _check_header_rows(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _fail("Table.header_rows", "a whole number from 0", value)

    @widths_cm.validator
    def _check_widths(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None:
            return
        widths: tuple[Any, ...] = value  # type: ignore[assignment]
        for i, w in enumerate(widths):
            if isinstance(w, bool) or not isinstance(w, (int, float)) or w <= 0:
                raise _fail(f"Table.widths_cm[{i}]", "a positive number of centimetres", w)
        if len(value) != self.columns:  # type: ignore[arg-type]
            raise ValidationError(
                "needs one width per column",
                where="Table.widths_cm",
                expected=f"{self.columns} widths",
                found=f"{len(value)}",  # type: ignore[arg-type]
            )

    def __attrs_post_init__(self) -> None:
        if not self.rows:
            raise ValidationError("needs at least one row", where="Table.rows", found="[]")
        self.grid()  # validates the spans

    @property
    def columns(self) -> int:
        """The number of grid columns (the widest row, counting spans)."""
        return max((len(g) for g in self.grid()), default=0)

    def grid(self) -> list[list[tuple[Cell, bool] | None]]:
        """The table as a full grid: ``(cell, is_origin)`` at every position a cell covers.

        Raises ValidationError when spans overlap or rows have different widths.
        """
        grid: list[list[tuple[Cell, bool] | None]] = [[] for _ in self.rows]
        for r, row in enumerate(self.rows):
            col = 0
            for cell in row:
                while col < len(grid[r]) and grid[r][col] is not None:
                    col += 1
                if r + cell.rowspan > len(self.rows):
                    raise ValidationError(
                        "spans past the last row",
                        where=f"Table.rows[{r}]",
                        expected=f"rowspan ≤ {len(self.rows) - r}",
                        found=f"{cell.rowspan}",
                    )
                for dr in range(cell.rowspan):
                    line = grid[r + dr]
                    while len(line) < col + cell.colspan:
                        line.append(None)
                    for dc in range(cell.colspan):
                        if line[col + dc] is not None:
                            raise ValidationError(
                                "has overlapping merged cells",
                                where=f"Table.rows[{r + dr}]",
                                found=f"two cells at column {col + dc + 1}",
                            )
                        line[col + dc] = (cell, dr == 0 and dc == 0)
                col += cell.colspan
        widths = {len(line) for line in grid}
        if len(widths) > 1 or any(c is None for line in grid for c in line):
            raise ValidationError(
                "has rows of different widths",
                where="Table.rows",
                expected="every row to cover the same number of columns (counting spans)",
                found=f"rows covering {sorted(widths)} columns",
            )
        return grid


def _image_source(value: Any) -> str | bytes:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, (str, os.PathLike)):
        return os.fspath(value)
    raise _fail("Image.source", "a file path or the image's bytes", value)


@attrs.define(frozen=True)
class Image:
    """A picture (PNG, JPEG, GIF or BMP), from a file path or bytes, with an optional caption.

    The file is read when the report is rendered, not when the object is built.

    >>> Image("logo.png", width_cm=4, caption="图1 校徽").width_cm
    4
    """

    source: str | bytes = attrs.field(converter=_image_source)
    width_cm: float | None = attrs.field(default=None, validator=_positive_number)
    caption: str | None = attrs.field(default=None, validator=_optional_text)

    @property
    def path(self) -> Path | None:
        """The file path, when the image comes from a file."""
        return Path(self.source) if isinstance(self.source, str) else None


@attrs.define(frozen=True)
class PageBreak:
    """Start a new page."""


Block = Union[Paragraph, BulletList, NumberedList, Table, Image, PageBreak]  # noqa: UP007 - runtime alias on 3.10
_BLOCK_TYPES: dict[str, type[Any]] = {
    "paragraph": Paragraph,
    "bullet_list": BulletList,
    "numbered_list": NumberedList,
    "table": Table,
    "image": Image,
    "page_break": PageBreak,
}


def _to_block(item: Any, where: str) -> Block:
    if isinstance(item, (Paragraph, BulletList, NumberedList, Table, Image, PageBreak)):
        return item
    if isinstance(item, str):
        return Paragraph(item)
    if isinstance(item, Mapping):
        kind = item.get("type", "paragraph")
        cls = _BLOCK_TYPES.get(kind) if isinstance(kind, str) else None
        if cls is None:
            raise ValidationError(
                "has an unknown block type",
                where=f"{where}.type",
                expected=" / ".join(_BLOCK_TYPES),
                found=repr(kind),
            )
        fields = {k: v for k, v in item.items() if k != "type"}
        if cls is Paragraph:
            return _to_paragraph(fields, where)
        return _build(cls, fields, where)  # type: ignore[no-any-return]
    raise _fail(
        where, "a block (text, Paragraph, BulletList, NumberedList, Table, Image, PageBreak)", item
    )


def _to_blocks(field: str) -> Callable[[Any], tuple[Block, ...]]:
    inner = _tuple_of(_to_block, field)

    def converter(value: Any) -> tuple[Block, ...]:
        return (Paragraph(value),) if isinstance(value, str) else inner(value)

    return converter


# --- sections, signature, report -------------------------------------------------------------


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
        raise _fail("Signature.date", "a date", value)
    try:
        return parse_date(value, where="Signature.date")[0]
    except ConventionError as exc:
        raise ValidationError(
            exc.message, where=exc.where, expected=exc.expected, found=exc.found
        ) from None


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
                "is not a date style",
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
    raise _fail("Report.term", "a Term or a name such as 2013学年第一学期", value)


def _to_texts(field: str) -> Callable[[Any], tuple[str, ...]]:
    def one(item: Any, where: str) -> str:
        if not isinstance(item, str):
            raise _fail(where, "text", item)
        return item

    inner = _tuple_of(one, field)

    def converter(value: Any) -> tuple[str, ...]:
        return (value,) if isinstance(value, str) else inner(value)

    return converter


def _to_extra(value: Any) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _fail("Report.extra", "a mapping of names to values", value)
    for key in value:
        if not isinstance(key, str) or not key.isidentifier():
            raise _fail("Report.extra", "names usable in a template (letters, digits, _)", key)
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


def map_text(report: Report, fn: Callable[[str], str]) -> Report:
    """A copy of *report* with *fn* applied to every piece of visible text.

    Used for punctuation normalization; the structure is untouched.

    >>> map_text(Report("小结(初稿)"), str.upper).title
    '小结(初稿)'
    """

    def para(p: Paragraph) -> Paragraph:
        return attrs.evolve(p, runs=tuple(attrs.evolve(r, text=fn(r.text)) for r in p.runs))

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
