"""Data files → :class:`~docgen.model.Report`: YAML, JSON and TOML, with errors that point.

This is the one module that reads report data from disk.  A file is read as UTF-8, parsed
(``yaml.safe_load``, ``json``, ``tomllib``) and structured into the attrs model by one
module-level ``cattrs`` converter.  Every problem found on the way becomes one
:class:`~docgen.errors.DataError` naming the file, the field path, what was expected and what
was found; several problems are listed together, one per line::

    examples/x.yaml: sections[1].title: must be text; found 3 (an int)

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

Relative image paths in a file are relative to that file's folder.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import difflib
import functools
import json
import os
import re
import sys
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, get_args, get_origin

import attrs
import cattrs
import yaml
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from docgen.cn.calendar import Term
from docgen.cn.dates import parse_date
from docgen.cn.typography import display_width
from docgen.errors import ConventionError, DataError, DocgenError, ValidationError
from docgen.model import (
    Block,
    BulletList,
    Cell,
    Image,
    NumberedList,
    PageBreak,
    Paragraph,
    Report,
    Run,
    Section,
    Signature,
    Table,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

__all__ = [
    "BLOCK_TYPES",
    "FORMATS",
    "dump_report",
    "load_data",
    "load_report",
    "report_from_mapping",
]

#: Data formats by file suffix.
FORMATS: Mapping[str, str] = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}

#: The block a mapping in a blocks list stands for, by its ``type:``.
BLOCK_TYPES: Mapping[str, type[Any]] = {
    "paragraph": Paragraph,
    "bullet_list": BulletList,
    "numbered_list": NumberedList,
    "table": Table,
    "image": Image,
    "page_break": PageBreak,
}
_BLOCK_NAMES: Mapping[type[Any], str] = {cls: name for name, cls in BLOCK_TYPES.items()}

_Hook = Callable[[Any, Any], Any]

# --- how values are described in messages ----------------------------------------------------

_BLOCK_WHAT = f"a block: text, or a mapping with type: {' / '.join(BLOCK_TYPES)}"

#: What each class is, in words, for "must be …" messages.
_WHAT: Mapping[Any, str] = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    _dt.date: "a date such as 2014-01-15 or 2014-01",
    Block: _BLOCK_WHAT,
    Report: "a mapping of report fields (title:, sections:, …)",
    Section: "a section: its title, or a mapping with title: (and blocks:, subsections:)",
    Paragraph: "a paragraph: text, or a mapping with text:",
    Run: "a run: text, or a mapping with text: (and bold:, italic:, underline:, emphasis:)",
    Cell: "a cell: text, a number, or a mapping with text: (and colspan:, rowspan:)",
    Signature: "a signature: the organisation's name, or a mapping with org: (and name:, date:)",
    Term: "a term such as 2013学年第一学期, or a mapping with year: and number:",
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
_PLURAL: Mapping[Any, str] = {
    str: "texts",
    float: "numbers",
    Block: "blocks",
    Section: "sections",
    Paragraph: "paragraphs",
    Run: "runs",
    Cell: "cells",
    tuple[Cell, ...]: "rows, each a list of cells",
}

#: Item types for which a single string stands for a one-item list.
_SINGLE_STRING_LISTS: frozenset[Any] = frozenset({Block, Run, Paragraph, str})


def _what(type_: Any) -> str:
    if type_ in _WHAT:
        return _WHAT[type_]
    if get_origin(type_) is tuple:
        return "a list"
    if attrs.has(type_):
        return f"a mapping with {', '.join(_data_keys(type_))}"
    return getattr(type_, "__name__", str(type_))


def _data_keys(cls: type[Any]) -> list[str]:
    """The keys a mapping for *cls* may have in a data file."""
    keys = ["type"] if cls in _BLOCK_NAMES else []
    keys += list(_ALIASES.get(cls, {}))
    return keys + [a.name for a in attrs.fields(cls)]


def _found(value: object) -> str:
    """``3 (an int)``, ``'abc' (a str)``, ``a list of 2 items``: the value a user wrote."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, Mapping):
        keys = ", ".join(map(str, list(value)[:5])) + (", …" if len(value) > 5 else "")
        return f"a mapping with keys {keys}" if value else "an empty mapping"
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, _dt.date):
        return f"{value.isoformat()} (a date)"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "…" + text[-1]
    name = type(value).__name__
    return f"{text} ({'an' if name[:1] in 'aeiou' else 'a'} {name})"


def _mismatch(expected: str, value: object) -> ValidationError:
    quoted = None
    # YAML reads 3, 3.5 and 2014-01-15 as a number or a date; quotes keep them text.
    numeric = isinstance(value, (int, float, _dt.date)) and not isinstance(value, bool)
    if expected == "text" and numeric:
        shown = value.isoformat() if isinstance(value, _dt.date) else value
        quoted = f'"{shown}" in quotes'
    return ValidationError(f"must be {expected}", expected=quoted, found=_found(value))


# --- structuring: the cattrs converter and its hooks ------------------------------------------

_converter = cattrs.Converter(
    forbid_extra_keys=True,
    omit_if_default=True,  # dump_report writes only what differs from the defaults
    unstruct_collection_overrides={tuple: list},  # YAML and JSON know lists, not tuples
)


def _text(value: Any, _: Any) -> str:
    if isinstance(value, str):
        return value
    raise _mismatch("text", value)


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
            "is not a date", expected=_WHAT[_dt.date], found=_found(value)
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
            f"is not a block type{_did_you_mean(kind, BLOCK_TYPES)}",
            where=".type",
            expected=" / ".join(BLOCK_TYPES),
            found=_found(kind),
        )
    fields = {k: v for k, v in value.items() if k != "type"}
    return _converter.structure(fields, cls)  # type: ignore[no-any-return]


def _did_you_mean(word: object, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


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
            raise _mismatch(f"a list of {_PLURAL.get(item_type, 'items')}", value)
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
                "can only be a paragraph here",
                where=".type",
                expected="paragraph (list items and table cells hold paragraphs)",
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
                "is not a term name", expected=exc.expected, found=_found(value)
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
                    f"has both {alias}: and {field}:", expected="one of them", found="both"
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


# --- errors: cattrs' exception groups → one DataError ------------------------------------------


@attrs.frozen
class _Problem:
    path: str
    message: str
    expected: str | None = None
    found: str | None = None

    def __str__(self) -> str:
        return str(
            DocgenError(
                self.message, where=self.path or None, expected=self.expected, found=self.found
            )
        )


def _key(path: str, name: object) -> str:
    return f"{path}.{name}" if path else str(name)


_CLASS_PREFIX = re.compile(r"[A-Z]\w*")


def _place(path: str, where: str | None) -> str:
    """Join the path cattrs knows with a model error's own place (``Table.rows[2]``)."""
    if not where:
        return path
    prefix = _CLASS_PREFIX.match(where)
    if prefix:  # "Table.rows[2]" → ".rows[2]": the class is already named by the path
        where = where[prefix.end() :]
    if where.startswith("."):
        return _key(path, where[1:])
    return path + where if where.startswith("[") or not path else _key(path, where)


def _problems(exc: BaseException, path: str = "", type_: Any = None) -> Iterator[_Problem]:
    """Every problem inside *exc*, with its field path (``sections[1].title``)."""
    if isinstance(exc, ClassValidationError):
        with_notes, others = exc.group_exceptions()
        for sub, note in with_notes:
            yield from _problems(sub, _key(path, note.name), note.type)
        for sub in others:
            yield from _problems(sub, path, exc.cl)
    elif isinstance(exc, IterableValidationError):
        items, others = exc.group_exceptions()
        for sub, item in items:
            yield from _problems(sub, f"{path}[{item.index}]", item.type)
        for sub in others:
            yield from _problems(sub, path, type_)
    elif isinstance(exc, ForbiddenExtraKeysError):
        yield from _unknown_keys(exc, path)
    elif isinstance(exc, DocgenError):
        yield _Problem(_place(path, exc.where), exc.message, exc.expected, exc.found)
    elif isinstance(exc, KeyError):
        yield _Problem(path, "is required", expected=_what(type_))
    else:  # pragma: no cover - a bug in a hook; keep whatever it says
        yield _Problem(path, f"could not be read ({type(exc).__name__}: {exc})")


def _unknown_keys(exc: ForbiddenExtraKeysError, path: str) -> Iterator[_Problem]:
    allowed = _data_keys(exc.cl)
    for name in sorted(exc.extra_fields, key=str):
        yield _Problem(
            _key(path, name),
            f"is not a known key{_did_you_mean(name, allowed)}",
            expected=f"one of {', '.join(allowed)}",
        )


def _data_error(source: str, problems: list[_Problem]) -> DataError:
    if len(problems) == 1:
        (p,) = problems
        where = f"{source}: {p.path}" if p.path else source
        return DataError(p.message, where=where, expected=p.expected, found=p.found)
    lines = "\n".join(f"  {p}" for p in problems)
    return DataError(f"has {len(problems)} problems:\n{lines}", where=source)


# --- reading ------------------------------------------------------------------------------------


def report_from_mapping(
    data: Mapping[str, Any],
    *,
    source: str = "<data>",
    base_dir: str | os.PathLike[str] | None = None,
    allow_files: bool = True,
) -> Report:
    """Build a :class:`Report` from plain data (parsed YAML/JSON/TOML, or an HTTP request).

    *source* names the data in error messages.  A picture's ``source`` is a file path or the
    picture itself as a ``data:`` URL (``data:image/png;base64,…``), which becomes its bytes.
    With *base_dir*, relative paths are taken relative to it (``load_report`` passes the data
    file's folder).  ``allow_files=False`` refuses file paths: pass it for data from
    someone else (a request, an upload), which must not name files on your machine to read.

    >>> report = report_from_mapping({
    ...     "title": "2013学年第一学期党支部工作小结",
    ...     "term": "2013学年第一学期",
    ...     "sections": [{"title": "围绕主题，开展学习活动", "blocks": ["在本学期活动中，……"]}],
    ...     "signature": {"org": "徐汇区东二小学党支部", "date": "2014-01"},
    ... })
    >>> report.sections[0].blocks[0].text, report.signature.date
    ('在本学期活动中，……', datetime.date(2014, 1, 1))
    >>> report_from_mapping({"title": "小结", "sectoins": []}, source="x.yaml")
    Traceback (most recent call last):
    ...
    docgen.errors.DataError: x.yaml: sectoins: is not a known key (did you mean sections?);
      expected one of title, status, intro, sections, closing, signature, term, attachments, extra
    >>> photo = {"type": "image", "source": "/etc/passwd"}
    >>> report_from_mapping({"title": "题", "intro": [photo]}, source="request", allow_files=False)
    Traceback (most recent call last):
    ...
    docgen.errors.DataError: request: intro[0].source: is a file path, and this data may not
      name files; expected the picture itself as a data: URL (data:image/png;base64,…);
      found '/etc/passwd'
    """
    if not isinstance(data, Mapping):
        raise DataError(
            "must hold a mapping of report fields at the top level",
            where=source,
            expected="keys such as title:, sections:",
            found=_found(data),
        )
    try:
        report: Report = _converter.structure(data, Report)
    except (BaseValidationError, DocgenError) as exc:
        raise _data_error(source, list(_problems(exc))) from None
    return map_images(
        report, functools.partial(_picture, source=source, base=base_dir, files=allow_files)
    )


_DATA_URL = re.compile(r"data:([\w.+-]+/[\w.+-]+)?((?:;[\w=.+-]+)*),(.*)", re.DOTALL)


def _picture(
    image: Image, where: str, *, source: str, base: str | os.PathLike[str] | None, files: bool
) -> Image:
    """A picture of data: a ``data:`` URL decoded, a path checked or made absolute."""
    if not isinstance(image.source, str):
        return image
    place = f"{source}: {where}.source"
    match = _DATA_URL.fullmatch(image.source.strip())
    if match is None:
        if not files:
            raise DataError(
                "is a file path, and this data may not name files",
                where=place,
                expected="the picture itself as a data: URL (data:image/png;base64,…)",
                found=repr(image.source[:80]),
            )
        if base is None or Path(image.source).is_absolute():
            return image
        return attrs.evolve(image, source=str(Path(base) / image.source))
    try:
        if ";base64" in match[2].lower():
            data = base64.b64decode(re.sub(r"\s+", "", match[3]), validate=True)
        else:
            data = urllib.parse.unquote_to_bytes(match[3])
    except (binascii.Error, ValueError):
        raise DataError(
            "is not a valid data: URL",
            where=place,
            expected="data:image/png;base64, followed by the picture's bytes in base64",
            found=repr(image.source[:40] + "…"),
        ) from None
    return attrs.evolve(image, source=data)


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


def load_report(
    path: str | os.PathLike[str] | IO[str] | IO[bytes],
    *,
    format: str | None = None,  # noqa: A002 - the name users know from the CLI's --format
) -> Report:
    """Read a report from a YAML, JSON or TOML file (or an open stream with ``format=``).

    The format comes from the suffix (``.yaml``/``.yml``, ``.json``, ``.toml``) unless
    *format* is given.  Any problem raises one :class:`~docgen.errors.DataError` naming the
    file and, for syntax errors, the line and column.
    """
    data, source, base_dir = _read_data(path, format)
    return report_from_mapping(data, source=source, base_dir=base_dir)


def load_data(
    path: str | os.PathLike[str] | IO[str] | IO[bytes],
    *,
    format: str | None = None,  # noqa: A002 - the name users know from the CLI's --format
) -> dict[str, Any]:
    """Read a plain mapping (for a template written for plain data) from YAML, JSON or TOML.

    Errors are those of :func:`load_report`; the top level must be a mapping.
    """
    data, source, _ = _read_data(path, format)
    if not isinstance(data, Mapping):
        raise DataError(
            "holds no mapping of names to values",
            where=source,
            expected="name: value pairs at the top level",
            found=type(data).__name__,
        )
    return dict(data)


def _read_data(
    path: str | os.PathLike[str] | IO[str] | IO[bytes],
    format: str | None,  # noqa: A002
) -> tuple[Any, str, Path | None]:
    base_dir: Path | None = None
    if hasattr(path, "read"):
        name = getattr(path, "name", None)
        source = name if isinstance(name, str) else "<stream>"
        fmt = _format(format, source, None)
        raw: str | bytes = path.read()
    else:
        source = os.fspath(path)
        file = Path(source)
        try:
            raw = file.read_bytes()
        except FileNotFoundError:
            raise DataError(
                "no such file", where=source, expected="the path of a YAML, JSON or TOML data file"
            ) from None
        except IsADirectoryError:
            raise DataError("is a folder, not a data file", where=source) from None
        except OSError as exc:
            raise DataError(f"cannot be read ({exc.strerror})", where=source) from None
        fmt = _format(format, source, file.suffix)
        base_dir = file.parent
    text = _decode(raw, source)
    if not text.strip():
        raise DataError("is empty", where=source, expected="report data such as title: …")
    data = _parse(text, fmt, source)
    if data is None:
        raise DataError(
            "is empty (it holds only comments)",
            where=source,
            expected="report data such as title: …",
        )
    return data, source, base_dir


def _format(given: str | None, source: str, suffix: str | None) -> str:
    if given is not None:
        fmt = FORMATS.get("." + given.lower().lstrip("."))
        if fmt is None:
            raise DataError(
                "unknown data format",
                where=source,
                expected="yaml, json or toml",
                found=repr(given),
            )
        return fmt
    if suffix is None:
        raise DataError(
            "needs format= to be read from a stream",
            where=source,
            expected="format='yaml', 'json' or 'toml'",
        )
    fmt = FORMATS.get(suffix.lower())
    if fmt is None:
        raise DataError(
            "has a suffix docgen does not read" if suffix else "has no suffix to tell its format",
            where=source,
            expected=" or ".join(FORMATS) + ", or format=",
            found=repr(suffix) if suffix else None,
        )
    return fmt


def _decode(raw: str | bytes, source: str) -> str:
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")  # Notepad on Windows writes a BOM
    except UnicodeDecodeError as exc:
        guess = ""
        try:
            raw.decode("gb18030")
            guess = "; it looks like GBK/GB18030 text"
        except UnicodeDecodeError:
            pass
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"is not UTF-8 text (line {line}){guess}",
            where=source,
            expected="a file saved as UTF-8 (另存为 → 编码 UTF-8)",
        ) from None


def _parse(text: str, fmt: str, source: str) -> Any:
    try:
        if fmt == "yaml":
            return _parse_yaml(text, source)
        if fmt == "json":
            return json.loads(text)
        return tomllib.loads(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            line, column = mark.line + 1, mark.column + 1
        else:  # a reader error: a character YAML does not allow
            position = getattr(exc, "position", 0)
            line = text.count("\n", 0, position) + 1
            column = position - (text.rfind("\n", 0, position) + 1) + 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if "\\t" in problem or "\t" in problem:
            problem += " (YAML indents with spaces, not tabs)"
        raise _syntax_error(source, "YAML", problem, text, line, column) from None
    except json.JSONDecodeError as exc:
        raise _syntax_error(source, "JSON", exc.msg, text, exc.lineno, exc.colno) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        if at is None:
            raise DataError(f"is not valid TOML: {message}", where=source) from None
        problem = message[: at.start()]
        raise _syntax_error(source, "TOML", problem, text, int(at[1]), int(at[2])) from None


def _parse_yaml(text: str, source: str) -> Any:
    try:
        return yaml.safe_load(text)
    except (ValueError, OverflowError) as exc:
        # PyYAML raises a bare ValueError for a value that looks like a date but is none
        # (2014-13-01); compose the text again to find where it is.
        loader = yaml.SafeLoader("")
        nodes = _scalar_nodes(yaml.compose(text, Loader=yaml.SafeLoader))
        node = next((n for n in nodes if not _constructs(loader, n)), None)
        if node is None:  # pragma: no cover - no other value makes PyYAML raise ValueError
            raise DataError(f"is not valid YAML: {exc}", where=source) from None
        mark = node.start_mark
        problem = f"{node.value!r} looks like a date but is not one ({exc})"
        raise _syntax_error(source, "YAML", problem, text, mark.line + 1, mark.column + 1) from None


def _constructs(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool:
    try:
        loader.construct_object(node)
    except (ValueError, OverflowError):
        return False
    return True


def _scalar_nodes(node: yaml.Node | None) -> Iterator[yaml.ScalarNode]:
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalar_nodes(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalar_nodes(key)
            yield from _scalar_nodes(value)


def _syntax_error(
    source: str, kind: str, problem: str, text: str, line: int, column: int
) -> DataError:
    """A syntax error showing the line and a caret under the column."""
    lines = text.splitlines()
    shown = ""
    if 1 <= line <= len(lines):
        content = lines[line - 1]
        shown = f"\n    {content}\n    {' ' * display_width(content[: column - 1])}^"
    return DataError(
        f"is not valid {kind}: {problem}{shown}", where=f"{source}, line {line}, column {column}"
    )


# --- dumping ------------------------------------------------------------------------------------


class _Row(list[Any]):
    """A list written on one line in YAML when it is short: a table row, list items, widths."""


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
                data["rows"] = [_Row(row) for row in data["rows"]]
            elif field in data:
                data[field] = _Row(data[field])
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


class _Dumper(yaml.SafeDumper):
    """Safe YAML with multi-line text as ``|`` blocks, easier to edit than escaped newlines."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if any(c in value for c in "\x85\u2028\u2029"):
        style: str | None = '"'  # line breaks to YAML 1.1, kept only when escaped
    else:
        style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_row(dumper: yaml.SafeDumper, value: _Row) -> yaml.SequenceNode:
    one_line = all(isinstance(v, (str, int, float)) and "\n" not in str(v) for v in value)
    widths = [display_width(str(v)) + 2 for v in value]
    flow = one_line and max(widths, default=0) <= 20 and sum(widths) <= 60
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Row, _represent_row)


def _json_value(value: Any) -> Any:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        raise DataError(
            "cannot be written as JSON",
            where="Image.source",
            expected="an image file path",
            found="the image's bytes",
        )
    raise TypeError(f"{type(value).__name__} is not JSON data")


def dump_report(
    report: Report,
    format: str = "yaml",  # noqa: A002 - matches load_report(format=)
) -> str:
    """The report as a clean, editable YAML or JSON data file (defaults left out).

    ``report_from_mapping(yaml.safe_load(dump_report(r))) == r`` for every report *r*.

    >>> from docgen.model import Signature
    >>> print(dump_report(Report("小结", sections=[Section("学习", blocks=["文本"])],
    ...                          signature=Signature("东二小学党支部"))), end="")
    title: 小结
    sections:
    - title: 学习
      blocks:
      - 文本
    signature:
      org: 东二小学党支部
    >>> print(dump_report(Report("小结", closing=["完"]), format="json"))
    {
      "title": "小结",
      "closing": [
        "完"
      ]
    }
    """
    data = _converter.unstructure(report)
    fmt = FORMATS.get("." + format.lower().lstrip("."))
    if fmt == "yaml":
        return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=_json_value) + "\n"
    raise DataError(
        "cannot be written in this format",
        where="dump_report(format)",
        expected="yaml or json",
        found=repr(format),
    )
