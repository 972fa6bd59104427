"""Word ``.docx``: blocks assembled from what the body walker read — tables, lists, captions.

The walker (:mod:`docgen.importers._docx`) reads paragraphs and cells in document order; here
a table's rows of cells become a rectangular :class:`~docgen.model.Table`, consecutive list
paragraphs a :class:`~docgen.model.BulletList` or :class:`~docgen.model.NumberedList`, and a
``图1``/``表1`` line the caption of its picture or table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs
from lxml import etree

from docgen.errors import DocgenError
from docgen.i18n import lazy
from docgen.importers._paragraphs import _Item, _Para, _Warn
from docgen.model import BulletList, Cell, Image, NumberedList, Paragraph, Table
from docgen.ooxml import W, local_name

# Elements that wrap rows or cells without being one: content controls and custom XML.
_WRAPPERS = ("sdt", "customXml")


@attrs.define
class _CellBuf:
    """A cell being read: its paragraphs and how far it spans."""

    content: list[Paragraph]
    colspan: int = 1
    rowspan: int = 1


def _unwrapped(el: etree._Element, tag: str) -> Iterator[etree._Element]:
    """The children of *el* named *tag*, looking through content controls and custom XML."""
    for child in el:
        name = local_name(child)
        if name == tag:
            yield child
        elif name == "sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _unwrapped(content, tag)
        elif name == "customXml":
            yield from _unwrapped(child, tag)


def _rows_of(tbl: etree._Element) -> Iterator[etree._Element]:
    """The rows of a table, those inside a (repeating-section) content control too."""
    return _unwrapped(tbl, "tr")


def _cells_of(tr: etree._Element) -> Iterator[etree._Element]:
    """The cells of a row, those inside content controls and custom XML too."""
    return _unwrapped(tr, "tc")


def _make_table(rows: list[list[_CellBuf]], header_rows: int, warn: _Warn) -> Table:
    """A Table from its rows of cells, padded with empty cells to a rectangle."""

    def build(*, spans: bool) -> Table:
        occupied: list[set[int]] = [set() for _ in rows]
        for r, row in enumerate(rows):
            col = 0
            for cell in row:
                while col in occupied[r]:
                    col += 1
                for below in occupied[r : r + (cell.rowspan if spans else 1)]:
                    below.update(range(col, col + cell.colspan))
                col += cell.colspan
        width = max(max(o, default=0) + 1 for o in occupied)
        return Table(
            [
                [
                    Cell(
                        c.content,
                        colspan=c.colspan,
                        rowspan=min(c.rowspan, len(rows) - r) if spans else 1,
                    )
                    for c in row
                ]
                + [Cell("") for _ in range(width - len(occupied[r]))]
                for r, row in enumerate(rows)
            ],
            header_rows=min(header_rows, len(rows)),
        )

    try:
        return build(spans=True)
    except DocgenError:
        warn(lazy("a table's merged cells do not fit its grid; its vertical merges were undone"))
        return build(spans=False)


def _caption_of(item: _Item, prefix: str) -> str | None:
    if not isinstance(item, _Para):
        return None
    text = item.text.strip()
    if item.role == "caption" or (
        re.match(rf"{prefix}\s*[0-9一二三四五六七八九十]", text) and len(text) <= 40
    ):
        return text
    return None


def _same_list(item: _Item, first: _Para) -> bool:
    return (
        isinstance(item, _Para)
        and item.list_kind == first.list_kind
        and item.list_id == first.list_id
    )


def _group(items: list[_Item]) -> list[_Item]:
    """Word list paragraphs → BulletList/NumberedList; captions → Image/Table captions."""
    out: list[_Item] = []
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, _Para) and item.list_kind is not None:
            j = i
            while j < len(items) and _same_list(items[j], item):
                j += 1
            paras = [Paragraph(p.runs) for p in items[i:j] if isinstance(p, _Para)]
            out.append(
                BulletList(paras)
                if item.list_kind == "bullet"
                else NumberedList(paras, start=item.list_start)
            )
            i = j
            continue
        if (
            isinstance(item, Image)
            and i + 1 < len(items)
            and (cap := _caption_of(items[i + 1], "图"))
        ):
            out.append(attrs.evolve(item, caption=cap))
            i += 2
            continue
        if (
            isinstance(item, Table)
            and out
            and (cap := _caption_of(out[-1], "表"))
            and item.caption is None
        ):
            out[-1] = attrs.evolve(item, caption=cap)
            i += 1
            continue
        out.append(item)
        i += 1
    return out


def _has_text(items: list[_Item]) -> bool:
    """Whether any paragraph, list item or table cell among *items* holds visible text."""
    for item in items:
        if isinstance(item, (_Para, Paragraph)) and item.text.strip():
            return True
        if isinstance(item, (BulletList, NumberedList)) and any(p.text.strip() for p in item.items):
            return True
        if isinstance(item, Table) and any(c.text.strip() for row in item.rows for c in row):
            return True
    return False
