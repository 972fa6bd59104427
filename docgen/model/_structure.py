"""Plain data (parsed YAML, JSON, TOML, a request) → report classes: one cattrs converter.

The data format (keys are the model's field names; ``text:`` is accepted for a paragraph's
or a cell's text):

- top level: ``title`` (required), ``status``, ``term``, ``intro``, ``sections``, ``closing``,
  ``signature``, ``attachments``, ``extra``.  Unknown keys are errors.
- ``sections``: a list of mappings ``{title, blocks, subsections}``; a plain string is a
  section with only a title.
- blocks (``intro``, ``closing``, ``blocks``): a list whose items are a plain string (a
  paragraph) or a mapping with ``type:`` ``paragraph`` (the default), ``bullet_list``,
  ``numbered_list``, ``table``, ``image`` or ``page_break``.  A single string is one paragraph.
- paragraph: ``text`` (a string, or a list of runs) or ``runs``, ``style``, ``indent``; a run is
  a string or ``{text, bold, italic, underline, emphasis}``.
- ``bullet_list``: ``items``; ``numbered_list``: ``items``, ``level``, ``start``,
  ``continue_previous``; ``image``: ``source``, ``width_cm``, ``caption``.
- ``table``: ``rows`` (a list of rows, each a list of cells), ``header_rows``, ``widths_cm``,
  ``caption``; a cell is a string, a number, nothing (an empty cell), or
  ``{text, colspan, rowspan}``.
- dates: ``2014-01-15``, ``2014-01`` (the 1st), ``2014/1/15``, ``2014年1月15日``,
  ``二〇一四年一月十五日``: any form :func:`docgen.cn.dates.parse_date` reads.
- ``term``: a name such as ``2013学年第一学期`` or ``{year: 2013, number: 1, start: 2013-09-02}``.
- ``signature``: the organisation's name, or ``{org, name, date, date_style}``.
- ``extra``: a free mapping of names to values, seen by templates as ``extra.NAME``.

Each hook raises on the first problem in its value; lists and classes collect their items'
problems (as cattrs exception groups, which :mod:`docgen.model._problems` turns into one
:class:`~docgen.errors.DataError`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from docgen.cn.calendar import Term
from docgen.cn.dates import parse_date
from docgen.errors import ConventionError, DocgenError, Text, ValidationError
from docgen.i18n import lazy, lazy_ngettext
from docgen.model._blocks import (
    BLOCK_TYPES,
    Block,
    BulletList,
    Cell,
    Image,
    NumberedList,
    PageBreak,
    Paragraph,
    Run,
    Table,
)
from docgen.model._checks import _article
from docgen.model._report import Report, Section, Signature

_BLOCK_NAMES: Mapping[type[Any], str] = {cls: name for name, cls in BLOCK_TYPES.items()}

_Hook = Callable[[Any, Any], Any]

# --- how values are described in messages ----------------------------------------------------

_BLOCK_WHAT = lazy("a block: text, or a mapping with type: {types}", types=" / ".join(BLOCK_TYPES))

#: What each class is, in words, for "must be …" messages.
_WHAT: Mapping[Any, Text] = {
    str: lazy("text"),
    int: lazy("a whole number"),
    float: lazy("a number"),
    bool: lazy("true or false"),
    _dt.date: lazy("a date such as 2014-01-15 or 2014-01"),
    Block: _BLOCK_WHAT,
    Report: lazy("a mapping of report fields (title:, sections:, …)"),
    Section: lazy("a section: its title, or a mapping with title: (and blocks:, subsections:)"),
    Paragraph: lazy("a paragraph: text, or a mapping with text:"),
    Run: lazy("a run: text, or a mapping with text: (and bold:, italic:, underline:, emphasis:)"),
    Cell: lazy("a cell: text, a number, or a mapping with text: (and colspan:, rowspan:)"),
    Signature: lazy(
        "a signature: the organisation's name, or a mapping with org: (and name:, date:)"
    ),
    Term: lazy("a term such as 2013学年第一学期, or a mapping with year: and number:"),
}

#: Data-file keys that stand for a field (the alias first in "allowed keys" lists).
_ALIASES: Mapping[type[Any], Mapping[str, str]] = {
    Paragraph: {"text": "runs"},
    Cell: {"text": "content"},
}

#: The field a plain string fills, for classes that accept one.
_SHORTHANDS: Mapping[type[Any], str] = {
    Section: "title",
    Signature: "org",
    Run: "text",
    Paragraph: "text",
    Cell: "text",
}

#: What a list holds, in words, for "must be a list of …" messages.
_PLURAL: Mapping[Any, Text] = {
    str: lazy("texts"),
    float: lazy("numbers"),
    Block: lazy("blocks"),
    Section: lazy("sections"),
    Paragraph: lazy("paragraphs"),
    Run: lazy("runs"),
    Cell: lazy("cells"),
    tuple[Cell, ...]: lazy("rows, each a list of cells"),
}

#: Item types for which a single string stands for a one-item list.
_SINGLE_STRING_LISTS: frozenset[Any] = frozenset({Block, Run, Paragraph, str})


def _what(type_: Any) -> Text:
    if type_ in _WHAT:
        return _WHAT[type_]
    if get_origin(type_) is tuple:
        return lazy("a list")
    if attrs.has(type_):
        return lazy("a mapping with {keys}", keys=", ".join(_data_keys(type_)))
    return str(getattr(type_, "__name__", type_))


def _data_keys(cls: type[Any]) -> list[str]:
    """The keys a mapping for *cls* may have in a data file."""
    keys = ["type"] if cls in _BLOCK_NAMES else []
    keys += list(_ALIASES.get(cls, {}))
    return keys + [a.name for a in attrs.fields(cls)]


def _found(value: object) -> Text:
    """``3 (an int)``, ``'abc' (a str)``, ``a list of 2 items``: the value a user wrote."""
    if value is None:
        return lazy("nothing (an empty value)")
    if isinstance(value, Mapping):
        keys = ", ".join(map(str, list(value)[:5])) + (", …" if len(value) > 5 else "")
        return lazy("a mapping with keys {keys}", keys=keys) if value else lazy("an empty mapping")
    if isinstance(value, (list, tuple)):
        return lazy_ngettext("a list of {n} item", "a list of {n} items", len(value))
    if isinstance(value, _dt.date):
        return lazy("{date} (a date)", date=value.isoformat())
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "…" + text[-1]
    return lazy("{value} ({article})", value=text, article=_article(value))


def _mismatch(expected: Text, value: object) -> ValidationError:
    quoted = None
    # YAML reads 3, 3.5 and 2014-01-15 as a number or a date; quotes keep them text.
    numeric = isinstance(value, (int, float, _dt.date)) and not isinstance(value, bool)
    if expected is _WHAT[str] and numeric:
        shown = value.isoformat() if isinstance(value, _dt.date) else value
        quoted = lazy('"{shown}" in quotes', shown=shown)
    return ValidationError(
        lazy("must be {expected}", expected=expected),
        expected=quoted,
        found=_found(value),
        code="model.wrong_type",
    )


# --- structuring: the cattrs converter and its hooks ------------------------------------------

_converter = cattrs.Converter(
    forbid_extra_keys=True,
    omit_if_default=True,  # dump_report writes only what differs from the defaults
    unstruct_collection_overrides={tuple: list},  # YAML and JSON know lists, not tuples
)


def _text(value: Any, _: Any) -> str:
    if isinstance(value, str):
        return value
    raise _mismatch(_WHAT[str], value)


def _bool(value: Any, _: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise _mismatch(_WHAT[bool], value)


def _int(value: Any, _: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise _mismatch(_WHAT[int], value)


def _number(value: Any, _: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value  # an int stays an int, so it is written back as it was
    raise _mismatch(_WHAT[float], value)


def _date(value: Any, _: Any) -> _dt.date:
    if not isinstance(value, (str, _dt.date)):
        raise _mismatch(_WHAT[_dt.date], value)
    try:
        return parse_date(value)[0]
    except ConventionError:
        raise ValidationError(
            lazy("is not a date"), expected=_WHAT[_dt.date], found=_found(value)
        ) from None


def _image_source(value: Any, _: Any) -> str | bytes:
    if isinstance(value, (str, bytes)):
        return value
    raise _mismatch("the image's file path", value)


def _extra(value: Any, _: Any) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return dict(value)  # the model checks that the names suit a template
    raise _mismatch("a mapping of names to values", value)


def _block(value: Any, _: Any) -> Block:
    if isinstance(value, (Paragraph, BulletList, NumberedList, Table, Image, PageBreak)):
        return value
    if isinstance(value, str):
        return _converter.structure(value, Paragraph)
    if not isinstance(value, Mapping):
        raise _mismatch(_BLOCK_WHAT, value)
    kind = value.get("type", "paragraph")
    cls = BLOCK_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValidationError(
            lazy(
                "is not a block type{did_you_mean}", did_you_mean=_did_you_mean(kind, BLOCK_TYPES)
            ),
            where=".type",
            expected=" / ".join(BLOCK_TYPES),
            found=_found(kind),
        )
    fields = {k: v for k, v in value.items() if k != "type"}
    return _converter.structure(fields, cls)  # type: ignore[no-any-return]


def _did_you_mean(word: object, choices: Iterable[str]) -> Text:
    import difflib  # noqa: PLC0415 - only for a "did you mean" hint, not on every render

    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return lazy(" (did you mean {close}?)", close=close[0]) if close else ""


def _add_note(exc: Exception, note: str) -> None:
    # Exception.add_note arrives in Python 3.11; cattrs reads __notes__ either way.
    setattr(exc, "__notes__", [*getattr(exc, "__notes__", ()), note])  # noqa: B010


def _is_variadic_tuple(type_: Any) -> bool:
    args = get_args(type_)
    return get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _structure_item(item: Any, type_: Any) -> tuple[Any, Exception | None]:
    try:
        return _converter.structure(item, type_), None
    except Exception as exc:  # noqa: BLE001 - the caller collects it, with the item's index
        return None, exc


def _tuple_hook(type_: Any) -> _Hook:
    """``tuple[X, ...]`` from a list, every item's error collected with its index."""
    item_type = get_args(type_)[0]
    single_ok = item_type in _SINGLE_STRING_LISTS

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        if value is None:  # `blocks:` left empty in YAML
            return ()
        if isinstance(value, str) and single_ok:
            value = [value]
        if not isinstance(value, (list, tuple)):
            plural = _PLURAL.get(item_type, lazy("items"))
            raise _mismatch(lazy("a list of {items}", items=plural), value)
        items: list[Any] = []
        errors: list[Exception] = []
        for i, item in enumerate(value):
            structured, error = _structure_item(item, item_type)
            items.append(structured)
            if error is not None:
                _add_note(error, IterableValidationNote(f"item {i}", i, item_type))
                errors.append(error)
        if errors:
            raise IterableValidationError(f"While structuring {type_!r}", errors, type_)
        return tuple(items)

    return structure


def _prepare_paragraph(value: Any) -> Any:
    if isinstance(value, Mapping) and "type" in value:
        if value["type"] != "paragraph":
            raise ValidationError(
                lazy("can only be a paragraph here"),
                where=".type",
                expected=lazy("paragraph (list items and table cells hold paragraphs)"),
                found=_found(value["type"]),
            )
        return {k: v for k, v in value.items() if k != "type"}
    return value


def _prepare_cell(value: Any) -> Any:
    if value is None:
        return {"content": ""}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"content": str(value)}
    if isinstance(value, Mapping) and "text" not in value and "content" not in value:
        return {**value, "content": ""}  # an empty merged cell: {colspan: 2}
    return value


def _prepare_term(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return Term.parse(value)
        except DocgenError as exc:
            raise ValidationError(
                lazy("is not a term name"), expected=exc.expected, found=_found(value)
            ) from None
    return value


#: Per-class steps run before the shorthand and alias rules.
_PREPARE: Mapping[type[Any], Callable[[Any], Any]] = {
    Paragraph: _prepare_paragraph,
    Cell: _prepare_cell,
    Term: _prepare_term,
}


def _class_hook(cls: type[Any]) -> _Hook:
    """An attrs class from a mapping of its fields (or the shorthand the class accepts)."""
    fields_fn = make_dict_structure_fn(cls, _converter)
    prepare = _PREPARE.get(cls)
    shorthand = _SHORTHANDS.get(cls)
    aliases = _ALIASES.get(cls, {})

    def structure(value: Any, _: Any) -> Any:
        if prepare is not None:
            value = prepare(value)
        if isinstance(value, cls):
            return value
        if shorthand is not None and isinstance(value, str):
            value = {shorthand: value}
        if not isinstance(value, Mapping):
            raise _mismatch(_what(cls), value)
        data = dict(value)
        shown: dict[str, str] = {}  # field → the key the user wrote, for error paths
        for alias, field in aliases.items():
            if alias in data and field in data:
                raise ValidationError(
                    lazy("has both {alias}: and {field}:", alias=alias, field=field),
                    expected=lazy("one of them"),
                    found=lazy("both"),
                )
            if field not in data:
                shown[field] = alias
                if alias in data:
                    data[field] = data.pop(alias)
        try:
            return fields_fn(data, cls)
        except ClassValidationError as exc:
            _rename_notes(exc, shown)
            raise

    return structure


def _rename_notes(exc: ClassValidationError, names: Mapping[str, str]) -> None:
    for sub, note in exc.group_exceptions()[0]:
        if note.name in names:
            notes = getattr(sub, "__notes__", [])
            renamed = AttributeValidationNote(str(note), names[note.name], note.type)
            setattr(sub, "__notes__", [renamed if n is note else n for n in notes])  # noqa: B010


_converter.register_structure_hook(str, _text)
_converter.register_structure_hook(bool, _bool)
_converter.register_structure_hook(int, _int)
_converter.register_structure_hook(float, _number)
_converter.register_structure_hook(_dt.date, _date)
_converter.register_structure_hook(str | bytes, _image_source)
_converter.register_structure_hook(Block, _block)
_converter.register_structure_hook_func(lambda t: t == Mapping[str, Any], _extra)
_converter.register_structure_hook_factory(_is_variadic_tuple, _tuple_hook)
_converter.register_structure_hook_factory(attrs.has, _class_hook)
