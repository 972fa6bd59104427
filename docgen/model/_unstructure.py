"""A :class:`~docgen.model.Report` → plain data, the inverse of ``report_from_mapping``.

Defaults are left out and values take their shortest data form (a paragraph of one plain run
is its text), so a data file written from a report is clean to edit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
from cattrs.gen import make_dict_unstructure_fn

from docgen.cn.calendar import Term
from docgen.errors import DocgenError
from docgen.model._blocks import BulletList, Cell, NumberedList, Paragraph, Run, Table
from docgen.model._report import Report
from docgen.model._structure import _BLOCK_NAMES, _converter


class InlineList(list[Any]):
    """A list a data file may write on one line (YAML's flow style): rows, list items, widths."""


def _compact_run(data: dict[str, Any]) -> Any:
    return data["text"] if data.keys() == {"text"} else data


def _as_text(field: str) -> Callable[[dict[str, Any]], Any]:
    """Write *field* under the ``text:`` alias: one plain string, or the list as it is."""

    def compact(data: dict[str, Any]) -> Any:
        value = data[field]
        if len(value) == 1 and isinstance(value[0], str):
            value = value[0]
        data = {"text": value, **{k: v for k, v in data.items() if k != field}}
        return data["text"] if data.keys() == {"text"} and isinstance(value, str) else data

    return compact


def _rows(*fields: str) -> Callable[[dict[str, Any]], Any]:
    def mark(data: dict[str, Any]) -> Any:
        for field in fields:
            if field == "rows":
                data["rows"] = [InlineList(row) for row in data["rows"]]
            elif field in data:
                data[field] = InlineList(data[field])
        return data

    return mark


#: How each class is written more compactly than a mapping of all its fields.
_COMPACT: Mapping[type[Any], Callable[[dict[str, Any]], Any]] = {
    Run: _compact_run,
    Paragraph: _as_text("runs"),
    Cell: _as_text("content"),
    Table: _rows("rows", "widths_cm"),
    BulletList: _rows("items"),
    NumberedList: _rows("items"),
    Report: _rows("attachments"),
}


def _unstructure_hook(cls: type[Any]) -> Callable[[Any], Any]:
    fields_fn = make_dict_unstructure_fn(cls, _converter, _cattrs_omit_if_default=True)
    compact = _COMPACT.get(cls, dict)
    kind = _BLOCK_NAMES.get(cls)

    def unstructure(obj: Any) -> Any:
        data = compact(fields_fn(obj))
        if kind is not None and kind != "paragraph":
            return {"type": kind, **data}
        return data

    return unstructure


def _unstructure_term(term: Term) -> Any:
    name = str(term)
    try:
        plain = term.start is None and Term.parse(name) == term
    except DocgenError:  # a year before 1000 has no name Term.parse reads
        plain = False
    if plain:
        return name
    data: dict[str, Any] = {"year": term.year, "number": term.number}
    return data if term.start is None else {**data, "start": term.start}


_converter.register_unstructure_hook(Term, _unstructure_term)
_converter.register_unstructure_hook_factory(attrs.has, _unstructure_hook)


def report_to_mapping(report: Report) -> dict[str, Any]:
    """*report* as plain data (dicts, lists, str, numbers, dates), defaults left out.

    Short lists a writer may put on one line (table rows, list items, widths) are
    :class:`InlineList`.  ``report_from_mapping(report_to_mapping(r)) == r`` for every report.

    >>> from docgen.model import Section
    >>> report_to_mapping(Report("小结", sections=[Section("学习", blocks=["文本"])]))
    {'title': '小结', 'sections': [{'title': '学习', 'blocks': ['文本']}]}
    """
    data: dict[str, Any] = _converter.unstructure(report)
    if "template" in data:  # first, as a data file names it
        data = {"template": data.pop("template"), **data}
    return data
