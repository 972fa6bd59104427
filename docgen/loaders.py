"""Data files ↔ :class:`~docgen.model.Report`: YAML, JSON and TOML, with errors that point.

This is the one module that reads report data from disk.  A file is read as UTF-8 and parsed
(``yaml.safe_load``, ``json``, ``tomllib``); a syntax error names the line and column and shows
the line with a caret.  The mapping is then structured by
:func:`docgen.model.report_from_mapping`, the one place that turns data into report classes
(its docstring lists the data format).  Every problem found on the way becomes one
:class:`~docgen.errors.DataError` naming the file, the field path, what was expected and what
was found; several problems are listed together, one per line::

    examples/x.yaml: sections[1].title: must be text; found 3 (an int)

Relative image paths in a file are relative to that file's folder.  :func:`dump_report` writes
a report back as a clean YAML or JSON data file.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import attrs
import yaml

from docgen.cn.typography import display_width
from docgen.errors import DataError
from docgen.files import decode_text, toml_module
from docgen.i18n import lazy
from docgen.limits import DATA_NODES_SETTING, MAX_DATA_DEPTH, data_node_limit
from docgen.model import (
    BLOCK_TYPES,
    InlineList,
    Report,
    map_images,
    report_from_mapping,
    report_to_mapping,
    template_in_data,
)

__all__ = [
    "BLOCK_TYPES",
    "FORMATS",
    "DataFile",
    "dump_report",
    "load_data",
    "load_report",
    "map_images",
    "parse_data",
    "read_data_file",
    "report_from_mapping",
]

#: Data formats by file suffix.
FORMATS: Mapping[str, str] = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}


# --- reading ------------------------------------------------------------------------------------


@attrs.define(frozen=True)
class DataFile:
    """A data file read and parsed once, before anyone knows which template it is for.

    The CLI reads the file, takes the template it names (``template: official``) unless
    ``-t`` says otherwise, and then reads the data as that template needs: a
    :meth:`report`, or :meth:`plain` data.
    """

    data: Any
    source: str
    base_dir: Path | None = None

    @property
    def template(self) -> str | None:
        """The template the data names (a path made relative to the file), or None."""
        named = self.data.get("template") if isinstance(self.data, Mapping) else None
        if not isinstance(named, str) or not named.strip():
            return None
        return template_in_data(named.strip(), source=self.source, base_dir=self.base_dir)

    def report(self) -> Report:
        """The data as a :class:`~docgen.Report` (errors as for :func:`load_report`)."""
        return report_from_mapping(self.data, source=self.source, base_dir=self.base_dir)

    def plain(self) -> dict[str, Any]:
        """The data as a plain mapping, for a template written for plain data."""
        if not isinstance(self.data, Mapping):
            raise DataError(
                lazy("holds no mapping of names to values"),
                where=self.source,
                expected=lazy("name: value pairs at the top level"),
                found=type(self.data).__name__,
                code="data.wrong_type",
            )
        return dict(self.data)


def read_data_file(
    path: str | os.PathLike[str] | IO[str] | IO[bytes],
    *,
    format: str | None = None,  # noqa: A002 - the name users know from the CLI's --format
) -> DataFile:
    """Read and parse a YAML, JSON or TOML file (or an open stream with ``format=``).

    Errors are those of :func:`load_report`: a missing or empty file, a syntax error with
    its line and column.
    """
    data, source, base_dir = _read_data(path, format)
    return DataFile(data, source, base_dir)


def load_report(
    path: str | os.PathLike[str] | IO[str] | IO[bytes],
    *,
    format: str | None = None,  # noqa: A002 - the name users know from the CLI's --format
) -> Report:
    """Read a report from a YAML, JSON or TOML file (or an open stream with ``format=``).

    The format comes from the suffix (``.yaml``/``.yml``, ``.json``, ``.toml``) unless
    *format* is given.  Any problem raises one :class:`~docgen.errors.DataError` naming the
    file and, for syntax errors, the line and column.  A ``template:`` the file names is
    kept in :attr:`Report.template <docgen.Report.template>`, a path made relative to the
    file's folder.
    """
    return read_data_file(path, format=format).report()


def load_data(
    path: str | os.PathLike[str] | IO[str] | IO[bytes],
    *,
    format: str | None = None,  # noqa: A002 - the name users know from the CLI's --format
) -> dict[str, Any]:
    """Read a plain mapping (for a template written for plain data) from YAML, JSON or TOML.

    Errors are those of :func:`load_report`; the top level must be a mapping.
    """
    return read_data_file(path, format=format).plain()


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
                lazy("no such file"),
                where=source,
                expected=lazy("the path of a YAML, JSON or TOML data file"),
                code="data.not_found",
            ) from None
        except IsADirectoryError:
            raise DataError(
                lazy("is a folder, not a data file"), where=source, code="data.unreadable"
            ) from None
        except OSError as exc:
            raise DataError(
                lazy("cannot be read ({strerror})", strerror=exc.strerror),
                where=source,
                code="data.unreadable",
            ) from None
        fmt = _format(format, source, file.suffix)
        base_dir = file.parent
    text = _decode(raw, source)
    if not text.strip():
        raise DataError(
            lazy("is empty"),
            where=source,
            expected=lazy("report data such as title: …"),
            code="data.empty",
        )
    data = parse_data(text, fmt, source)
    if data is None:
        raise DataError(
            lazy("is empty (it holds only comments)"),
            where=source,
            expected=lazy("report data such as title: …"),
            code="data.empty",
        )
    return data, source, base_dir


def _format(given: str | None, source: str, suffix: str | None) -> str:
    if given is not None:
        fmt = FORMATS.get("." + given.lower().lstrip("."))
        if fmt is None:
            raise DataError(
                lazy("unknown data format"),
                where=source,
                expected=lazy("yaml, json or toml"),
                found=repr(given),
                code="data.format",
            )
        return fmt
    if suffix is None:
        raise DataError(
            lazy("needs format= to be read from a stream"),
            where=source,
            expected=lazy("format='yaml', 'json' or 'toml'"),
            code="argument.invalid",
        )
    fmt = FORMATS.get(suffix.lower())
    if fmt is None:
        raise DataError(
            lazy("has a suffix docgen does not read")
            if suffix
            else lazy("has no suffix to tell its format"),
            where=source,
            expected=lazy("{formats}, or format=", formats=" or ".join(FORMATS)),
            found=repr(suffix) if suffix else None,
            code="data.format",
        )
    return fmt


def _decode(raw: str | bytes, source: str) -> str:
    """The text of a data file (docgen's one policy: :func:`docgen.files.decode_text`)."""
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    return decode_text(raw, source)


def parse_data(text: str, fmt: str, source: str) -> Any:
    """Text in *fmt* (``yaml``, ``json``, ``toml``) → data, within the limits; *source* names it.

    Raises:
        DataError: a syntax error (file, line, column and the line itself), data nested too
            deep, YAML aliases standing for too many values, a value YAML cannot build.
    """
    try:
        if fmt == "yaml":
            data = _parse_yaml(text, source)
        elif fmt == "json":
            data = json.loads(text)
        else:
            data = _parse_toml(text, source)
    except RecursionError:
        raise _too_deep(source, fmt.upper()) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            line, column = mark.line + 1, mark.column + 1
        else:  # a reader error: a character YAML does not allow
            position = getattr(exc, "position", 0)
            line = text.count("\n", 0, position) + 1
            column = position - (text.rfind("\n", 0, position) + 1) + 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if "\\t" in problem or "\t" in problem or "tab character" in problem:
            problem += " (YAML indents with spaces, not tabs)"
        raise _syntax_error(source, "YAML", problem, text, line, column) from None
    except json.JSONDecodeError as exc:
        raise _syntax_error(source, "JSON", exc.msg, text, exc.lineno, exc.colno) from None
    if fmt != "yaml":  # YAML is measured on its nodes, before its values are built
        _check_depth(data, source, fmt.upper())
    return data


# libyaml's parser where PyYAML has it (ten times faster than the pure-Python one), with the
# same safe constructors.
_YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_toml(text: str, source: str) -> Any:
    """*text* read as TOML (the reader is imported here: most data files are YAML)."""
    tomllib = toml_module()
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        if at is None:
            raise DataError(
                lazy("is not valid TOML: {message}", message=message),
                where=source,
                code="data.syntax",
            ) from None
        problem = message[: at.start()]
        raise _syntax_error(source, "TOML", problem, text, int(at[1]), int(at[2])) from None


def _parse_yaml(text: str, source: str) -> Any:
    loader = _YAML_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_yaml_size(node, source)  # before aliases are expanded into values
        try:
            return loader.construct_document(node)
        except (ValueError, OverflowError) as exc:
            raise _unconstructable(node, exc, text, source) from None
    finally:
        loader.dispose()


def _unconstructable(root: yaml.Node, exc: Exception, text: str, source: str) -> DataError:
    """The error for a value PyYAML could not build, at the node that holds it.

    PyYAML raises a bare ValueError for a value that looks like a date but is none
    (2014-13-01), or an integer of more digits than Python reads: find the node.
    """
    loader = yaml.SafeLoader("")
    node = next((n for n in _scalar_nodes(root) if not _constructs(loader, n)), None)
    if node is None:  # pragma: no cover - no other value makes PyYAML raise ValueError
        return DataError(
            lazy("is not valid YAML: {exc}", exc=exc), where=source, code="data.syntax"
        )
    mark = node.start_mark
    if "digits" in str(exc):  # Python reads integers of at most 4,300 digits
        problem = f"{node.value[:20]}… is a number of {len(node.value):,} digits, too many to read"
    else:
        problem = f"{node.value!r} looks like a date but is not one ({exc})"
    return _syntax_error(source, "YAML", problem, text, mark.line + 1, mark.column + 1)


def _check_yaml_size(root: yaml.Node, source: str) -> None:
    """Refuse a YAML document nested too deep, or whose aliases expand to too many values.

    A 600-byte file of aliases to aliases (``&a [*b, *b, …]``) stands for hundreds of
    millions of values; counted on the parsed nodes, where each alias is one shared node,
    the count costs as little as the file.
    """
    limit, depth_limit = data_node_limit(), MAX_DATA_DEPTH
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    on_path: set[int] = set()
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[key] > limit:
                raise DataError(
                    lazy(
                        "stands for more than {limit:,} values (its aliases repeat lists and "
                        "tables inside each other)",
                        limit=limit,
                    ),
                    where=f"{source}, line {node.start_mark.line + 1}",
                    expected=lazy(
                        "a smaller document, or a higher limit in {DATA_NODES_SETTING}",
                        DATA_NODES_SETTING=DATA_NODES_SETTING,
                    ),
                    found=lazy("{sizes:,} values or more", sizes=sizes[key]),
                    code="data.too_large",
                )
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise DataError(
                lazy("holds an alias that contains itself"),
                where=f"{source}, line {node.start_mark.line + 1}",
                expected=lazy("aliases (*name) to values defined before them, not around them"),
                code="data.syntax",
            )
        if depth > depth_limit:
            raise _too_deep(source, "YAML")
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend(
            (child, depth + 1, False) for child in _children(node) if id(child) not in sizes
        )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _too_deep(source: str, kind: str) -> DataError:
    return DataError(
        lazy(
            "is nested deeper than the {MAX_DATA_DEPTH} levels docgen reads",
            MAX_DATA_DEPTH=MAX_DATA_DEPTH,
        ),
        where=source,
        expected=lazy(
            "{kind} data nested at most {MAX_DATA_DEPTH} lists or tables deep (the "
            "environment variable DOCGEN_MAX_DATA_DEPTH changes the limit)",
            kind=kind,
            MAX_DATA_DEPTH=MAX_DATA_DEPTH,
        ),
        code="data.too_large",
    )


def _check_depth(data: Any, source: str, kind: str) -> None:
    """Refuse JSON or TOML data nested deeper than :data:`~docgen.limits.MAX_DATA_DEPTH`."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DATA_DEPTH:
            raise _too_deep(source, kind)
        if isinstance(value, Mapping):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _constructs(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool:
    try:
        loader.construct_object(node)
    except (ValueError, OverflowError):
        return False
    return True


def _scalar_nodes(root: yaml.Node) -> Iterator[yaml.ScalarNode]:
    """Every scalar node under *root*, each once (an alias is one node, however often used)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            yield node
        else:
            stack.extend(reversed(_children(node)))


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
        lazy("is not valid {kind}: {problem}{shown}", kind=kind, problem=problem, shown=shown),
        where=f"{source}, line {line}, column {column}",
        code="data.syntax",
    )


# --- dumping ------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Safe YAML with multi-line text as ``|`` blocks, easier to edit than escaped newlines."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if any(c in value for c in "\x85\u2028\u2029"):
        style: str | None = '"'  # line breaks to YAML 1.1, kept only when escaped
    else:
        style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_row(dumper: yaml.SafeDumper, value: InlineList) -> yaml.SequenceNode:
    one_line = all(isinstance(v, (str, int, float)) and "\n" not in str(v) for v in value)
    widths = [display_width(str(v)) + 2 for v in value]
    flow = one_line and max(widths, default=0) <= 20 and sum(widths) <= 60
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(InlineList, _represent_row)


def _json_value(value: Any) -> Any:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        raise DataError(
            lazy("cannot be written as JSON"),
            where="Image.source",
            expected=lazy("an image file path"),
            found=lazy("the image's bytes"),
        )
    raise TypeError(f"{type(value).__name__} is not JSON data")


def dump_report(
    report: Report,
    format: str = "yaml",  # noqa: A002 - matches load_report(format=)
) -> str:
    """The report as a clean, editable YAML or JSON data file (defaults left out).

    ``report_from_mapping(yaml.safe_load(dump_report(r))) == r`` for every report *r*.

    >>> from docgen.model import Section, Signature
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
    data = report_to_mapping(report)
    fmt = FORMATS.get("." + format.lower().lstrip("."))
    if fmt == "yaml":
        return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=_json_value) + "\n"
    raise DataError(
        lazy("cannot be written in this format"),
        where="dump_report(format)",
        expected=lazy("yaml or json"),
        found=repr(format),
        code="argument.invalid",
    )
