"""Inline runs and the blocks of body text: paragraphs, lists, tables, pictures, page breaks."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Union

import attrs

from docgen.errors import ValidationError
from docgen.i18n import lazy
from docgen.limits import MAX_TABLE_COLUMNS
from docgen.model._checks import (
    _build,
    _fail,
    _is_positive_number,
    _optional_text,
    _positive_int,
    _positive_number,
    _text,
    _tuple_of,
    _where,
)


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

    @colspan.validator
    def _check_colspan(self, attribute: attrs.Attribute[Any], value: int) -> None:
        if value > MAX_TABLE_COLUMNS:
            raise _fail(
                _where(self, attribute),
                f"at most {MAX_TABLE_COLUMNS} (a Word table has at most "
                f"{MAX_TABLE_COLUMNS} columns)",
                value,
            )

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


def _widths(value: Iterable[float] | None) -> tuple[float, ...] | None:
    # Typed, unlike attrs.converters.optional(tuple): mypy's attrs plugin gives Table.__init__
    # this parameter's type, so Table(widths_cm=[3, 12]) type-checks.
    if value is None:
        return None
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise _fail("Table.widths_cm", lazy("a list of widths in centimetres"), value)
    return tuple(value)


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
    widths_cm: tuple[float, ...] | None = attrs.field(default=None, converter=_widths)
    caption: str | None = attrs.field(default=None, validator=_optional_text)

    @header_rows.validator
    def _check_header_rows(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _fail("Table.header_rows", lazy("a whole number from 0"), value)

    @widths_cm.validator
    def _check_widths(
        self, attribute: attrs.Attribute[Any], value: tuple[object, ...] | None
    ) -> None:
        if value is None:
            return
        for i, w in enumerate(value):
            if not _is_positive_number(w):
                raise _fail(f"Table.widths_cm[{i}]", lazy("a positive number of centimetres"), w)
        if len(value) != self.columns:
            raise ValidationError(
                lazy("needs one width per column"),
                where="Table.widths_cm",
                expected=lazy("{columns} widths", columns=self.columns),
                found=lazy("{n}", n=len(value)),
            )

    def __attrs_post_init__(self) -> None:
        if not self.rows:
            raise ValidationError(
                lazy("needs at least one row"), where="Table.rows", found=lazy("[]")
            )
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
                if col + cell.colspan > MAX_TABLE_COLUMNS:
                    raise ValidationError(
                        lazy("is wider than a Word table can be"),
                        where=f"Table.rows[{r}]",
                        expected=lazy(
                            "at most {MAX_TABLE_COLUMNS} columns, counting colspan",
                            MAX_TABLE_COLUMNS=MAX_TABLE_COLUMNS,
                        ),
                        found=lazy("{n} columns", n=col + cell.colspan),
                    )
                if r + cell.rowspan > len(self.rows):
                    raise ValidationError(
                        lazy("spans past the last row"),
                        where=f"Table.rows[{r}]",
                        expected=lazy("rowspan ≤ {n}", n=len(self.rows) - r),
                        found=lazy("{rowspan}", rowspan=cell.rowspan),
                    )
                for dr in range(cell.rowspan):
                    line = grid[r + dr]
                    while len(line) < col + cell.colspan:
                        line.append(None)
                    for dc in range(cell.colspan):
                        if line[col + dc] is not None:
                            raise ValidationError(
                                lazy("has overlapping merged cells"),
                                where=f"Table.rows[{r + dr}]",
                                found=lazy("two cells at column {n}", n=col + dc + 1),
                            )
                        line[col + dc] = (cell, dr == 0 and dc == 0)
                col += cell.colspan
        widths = {len(line) for line in grid}
        if len(widths) > 1 or any(c is None for line in grid for c in line):
            raise ValidationError(
                lazy("has rows of different widths"),
                where="Table.rows",
                expected=lazy("every row to cover the same number of columns (counting spans)"),
                found=lazy("rows covering {sorted} columns", sorted=sorted(widths)),
            )
        return grid


def _image_source(value: Any) -> str | bytes:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, (str, os.PathLike)):
        return os.fspath(value)
    raise _fail("Image.source", lazy("a file path or the image's bytes"), value)


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

#: The block a mapping in a blocks list stands for, by its ``type:``.
BLOCK_TYPES: Mapping[str, type[Any]] = {
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
        cls = BLOCK_TYPES.get(kind) if isinstance(kind, str) else None
        if cls is None:
            raise ValidationError(
                lazy("has an unknown block type"),
                where=f"{where}.type",
                expected=" / ".join(BLOCK_TYPES),
                found=repr(kind),
            )
        fields = {k: v for k, v in item.items() if k != "type"}
        if cls is Paragraph:
            return _to_paragraph(fields, where)
        return _build(cls, fields, where)  # type: ignore[no-any-return]
    raise _fail(
        where,
        lazy("a block (text, Paragraph, BulletList, NumberedList, Table, Image, PageBreak)"),
        item,
    )


def _to_blocks(field: str) -> Callable[[Any], tuple[Block, ...]]:
    inner = _tuple_of(_to_block, field)

    def converter(value: Any) -> tuple[Block, ...]:
        return (Paragraph(value),) if isinstance(value, str) else inner(value)

    return converter
