"""Template: a ``.docx`` (plus an optional ``template.toml`` manifest), compiled once.

Loading reads the package, applies the manifest's faces and sizes to the Word styles,
preprocesses each part's XML so Jinja can read tags Word has split across runs, and compiles
the Jinja source of every part.  A :class:`Template` is immutable: render it as often as you
like, from as many threads or processes as you like.
"""

from __future__ import annotations

import contextvars
import functools
import math
import os
import re
import sys
import time
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import jinja2
import jinja2.meta
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment
from lxml import etree
from markupsafe import Markup, escape

from docgen import _docxtpl, registry, tables
from docgen.body import BlockView, BodyWriter, RoleStyle, clean_text, rich_markup
from docgen.cn.dates import DATE_STYLES
from docgen.cn.numbering import NumberingScheme
from docgen.cn.typography import font_size
from docgen.errors import (
    ConventionError,
    DocgenError,
    PackageError,
    RenderError,
    TemplateError,
    TemplateSyntaxError,
    UnknownFilterError,
)
from docgen.filters import FILTERS
from docgen.model import Image, Paragraph
from docgen.ooxml import (
    DOCUMENT,
    NS,
    Package,
    W,
    parse_xml,
    read_styles,
    set_style_fonts,
    text_width_twips,
    update_fields_on_open,
    visible_text,
)
from docgen.zipout import Member, deflate

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "DEFAULT_STYLE_IDS",
    "MAX_INT_BITS",
    "MAX_OUTPUT",
    "MAX_TEXT",
    "MISSING",
    "RENDER_TIMEOUT",
    "ROLES",
    "WRITER",
    "CollectingUndefined",
    "CompiledPart",
    "FieldSpec",
    "Manifest",
    "Template",
    "TimeUp",
    "builtin_dir",
    "make_environment",
]

ROLES = (
    "title",
    "heading1",
    "heading2",
    "heading3",
    "heading4",
    "body",
    "list_bullet",
    "list_number",
    "table_text",
    "caption",
    "signature",
    "attachment",
)
"""The roles a template maps to Word styles; the body slot writes each with its style."""

# Style ids tried, in order, for a role when the manifest does not name one.
DEFAULT_STYLE_IDS: dict[str, tuple[str, ...]] = {
    "title": ("Title",),
    "heading1": ("Heading1", "1"),
    "heading2": ("Heading2", "2"),
    "heading3": ("Heading3", "3"),
    "heading4": ("Heading4", "4"),
    "body": ("BodyText", "Normal"),
    "list_bullet": ("ListBullet", "BodyText", "Normal"),
    "list_number": ("ListNumber", "BodyText", "Normal"),
    "table_text": ("TableText", "Normal"),
    "caption": ("Caption", "Normal"),
    "signature": ("Signature", "BodyText", "Normal"),
    "attachment": ("Attachment", "BodyText", "Normal"),
}
_FALLBACK_EAST_ASIA = "宋体"
_FALLBACK_LATIN = "Times New Roman"


def builtin_dir() -> Path:
    """The folder holding the built-in templates (inside the wheel, or the source tree)."""
    return registry._builtin_dir()


# Compiled templates by (docx path, name, mtimes): loading by name again costs nothing.
_CACHE: dict[tuple[str, str, int, int], Template] = {}
_CACHE_SIZE = 32


# --- the manifest ---------------------------------------------------------------------------


@attrs.define(frozen=True)
class FontSpec:
    """Faces and size of one role, as the manifest names them."""

    east_asia: str | None = None
    latin: str | None = None
    size_pt: float | None = None


@attrs.define(frozen=True)
class FieldSpec:
    """A field a template needs beyond the report (``doc_number`` for 公文, say).

    The data supplies it in ``extra`` (or as a keyword of :func:`docgen.render`); when it does
    not, ``default`` is used, and a field without a default is an error naming it.
    """

    description: str = ""
    default: Any = None
    required: bool = True
    example: Any = None


def _fields(data: Any, where: str) -> dict[str, FieldSpec]:
    if not isinstance(data, Mapping):
        raise TemplateError("must be a table of fields", where=f"{where}: fields", found=repr(data))
    out = {}
    for name, spec in data.items():
        if not str(name).isidentifier():
            raise TemplateError(
                "is not a name a template can use",
                where=f"{where}: fields",
                expected="letters, digits and _",
                found=repr(name),
            )
        table = spec if isinstance(spec, Mapping) else {"default": spec}
        unknown = set(table) - {"description", "default", "required", "example"}
        if unknown:
            raise TemplateError(
                "has unknown keys",
                where=f"{where}: fields.{name}",
                expected="description, default, required, example",
                found=", ".join(sorted(unknown)),
            )
        out[str(name)] = FieldSpec(
            description=str(table.get("description", "")),
            default=table.get("default"),
            required=bool(table.get("required", "default" not in table)),
            example=table.get("example", table.get("default")),
        )
    return out


@attrs.define(frozen=True)
class Manifest:
    """What ``template.toml`` says about a template.

    >>> m = Manifest.from_mapping({"name": "notice", "numbering": "GBT9704",
    ...                            "fonts": {"body": {"east_asia": "仿宋", "size": "三号"}}})
    >>> m.fonts["body"].size_pt
    16.0
    """

    name: str
    display_name: str = ""
    description: str = ""
    numbering: str = "SCHOOL"
    date_style: str = "year_month"  # the signature's date, when the data does not say
    styles: Mapping[str, str] = attrs.field(factory=dict)
    fonts: Mapping[str, FontSpec] = attrs.field(factory=dict)
    fields: Mapping[str, FieldSpec] = attrs.field(factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], where: str = "template.toml") -> Manifest:
        """Build a manifest from parsed TOML, naming the key of any wrong value."""

        def text(key: str, value: Any) -> str:
            if not isinstance(value, str):
                raise TemplateError("must be text", where=f"{where}: {key}", found=f"{value!r}")
            return value

        known = {
            "name",
            "display_name",
            "description",
            "numbering",
            "date_style",
            "styles",
            "fonts",
            "fields",
        }
        unknown = sorted(set(data) - known)
        if unknown:
            raise TemplateError(
                "has unknown keys",
                where=where,
                expected=", ".join(sorted(known)),
                found=", ".join(unknown),
            )
        name = text("name", data.get("name", ""))
        numbering = text("numbering", data.get("numbering", "SCHOOL"))
        try:
            NumberingScheme.preset(numbering)
        except ConventionError as exc:
            raise TemplateError(
                "names an unknown numbering scheme",
                where=f"{where}: numbering",
                expected=exc.expected,
                found=repr(numbering),
            ) from None

        def not_one_of(message: str, key: str, choices: Sequence[str], value: str) -> TemplateError:
            expected = ", ".join(choices)
            return TemplateError(
                message, where=f"{where}: {key}", expected=expected, found=repr(value)
            )

        date_style = text("date_style", data.get("date_style", "year_month"))
        if date_style not in DATE_STYLES:
            raise not_one_of("names an unknown date style", "date_style", DATE_STYLES, date_style)
        styles = {}
        for role, sid in dict(data.get("styles", {})).items():
            if role not in ROLES:
                raise not_one_of("maps an unknown role", f"styles.{role}", ROLES, role)
            styles[role] = text(f"styles.{role}", sid)
        fonts = {}
        for role, spec in dict(data.get("fonts", {})).items():
            if role not in ROLES:
                raise not_one_of("names fonts for an unknown role", f"fonts.{role}", ROLES, role)
            if not isinstance(spec, Mapping):
                raise TemplateError(
                    "must be a table",
                    where=f"{where}: fonts.{role}",
                    expected='{ east_asia = "仿宋", latin = "Times New Roman", size = "三号" }',
                    found=repr(spec),
                )
            size = spec.get("size")
            try:
                size_pt = (
                    font_size(size)
                    if isinstance(size, str)
                    else (float(size) if isinstance(size, (int, float)) else None)
                )
            except ConventionError as exc:
                raise TemplateError(
                    "has an unknown 字号",
                    where=f"{where}: fonts.{role}.size",
                    expected=exc.expected,
                    found=repr(size),
                ) from None
            fonts[role] = FontSpec(
                text(f"fonts.{role}.east_asia", spec["east_asia"]) if "east_asia" in spec else None,
                text(f"fonts.{role}.latin", spec["latin"]) if "latin" in spec else None,
                size_pt,
            )
        return cls(
            name=name,
            display_name=text("display_name", data.get("display_name", "")),
            description=text("description", data.get("description", "")),
            numbering=numbering,
            date_style=date_style,
            styles=styles,
            fonts=fonts,
            fields=_fields(data.get("fields", {}), where),
        )

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """Read ``template.toml``; a syntax error names the file and line."""
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise TemplateError("is not valid TOML", where=str(path), found=str(exc)) from None
        return cls.from_mapping(data, str(path))


# --- the Jinja environment ------------------------------------------------------------------


# Sequences a value could hold that docxtpl's post-processing would rewrite (its ``{_{``
# escapes become ``{{``) or read as a marker (the vmerge marker's private-use character).  In a
# printed value they are written as character references, which XML readers read back as the
# characters themselves, so the value's text survives exactly.
_REWRITTEN = re.compile("(?<=[{}%])_(?=[{}%])|\ue000")  # overlapping: {_{_{ has two
_REFERENCE = {"_": "&#95;", "\ue000": "&#57344;"}


def _protect(xml: str) -> Markup:
    """*xml* with what docxtpl's post-processing would rewrite written as references.

    >>> str(_protect("{_{_{"))
    '{&#95;{&#95;{'
    """
    if not _REWRITTEN.search(xml):
        return Markup(xml)
    return Markup(_REWRITTEN.sub(lambda m: _REFERENCE[m.group(0)], xml))


def _finalize(value: Any) -> Any:
    r"""Applied to every ``{{ }}`` value before escaping.

    None prints as nothing.  Text is cleaned of characters XML cannot hold, and its newlines
    become paragraph breaks (docxtpl's ``\\a`` marker, resolved after render) — never soft
    breaks.  A Paragraph (or a block in a loop) prints its runs with their emphasis.  User
    text is printed literally: ``{{ 7*7 }}`` in a value stays ``{{ 7*7 }}``.  Functions,
    classes, modules and Jinja's own objects are never printed (their text would show
    Python's internals): the sandbox refuses them.
    """
    if value is None:
        return ""
    if isinstance(value, jinja2.Undefined):
        return value  # printing it records the name (CollectingUndefined)
    block = value.block if isinstance(value, BlockView) else value
    if isinstance(block, Image):
        return _picture(block)
    if isinstance(block, Paragraph):
        markup = rich_markup(block.runs, "template value")
    elif isinstance(value, BlockView):
        markup = value.rich()
    elif hasattr(value, "__html__"):
        markup = str(value.__html__())
    elif (
        callable(value)
        or isinstance(value, types.ModuleType)
        or type(value).__module__.split(".")[0] == "jinja2"
    ):
        raise SecurityError(
            f"a template cannot print a {type(value).__name__}, only the data's values"
        )
    else:
        text = value if isinstance(value, str) else str(value)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        markup = str(escape(clean_text(text, "template value").replace("\n", "\a")))
    return _protect(markup)


WRITER: contextvars.ContextVar[BodyWriter | None] = contextvars.ContextVar(
    "docgen_writer", default=None
)
"""During a render: the body writer pictures printed by a tag are written with."""

MISSING: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "docgen_missing", default=None
)
"""During a render: the list the names of undefined variables are collected in."""


def _undefined_name(u: jinja2.Undefined) -> str:
    obj = u._undefined_obj
    name = u._undefined_name
    if obj is jinja2.utils.missing:
        return str(name)
    if obj is None:
        return f"{name} (of an empty value)"
    return f"{name} (of a {type(obj).__name__})"


class CollectingUndefined(jinja2.StrictUndefined):
    """StrictUndefined that records every missing name, so one error can list them all.

    During a render, printing, iterating or testing an undefined value records its name and
    goes on with an empty value (the renderer then raises one error naming every missing
    variable); anything else (arithmetic, comparison) records it and stops the render.
    Outside a render it is exactly StrictUndefined.
    """

    __slots__ = ()

    def _record(self) -> bool:
        missing = MISSING.get()
        if missing is None:
            return False
        missing.append(_undefined_name(self))
        return True

    def __str__(self) -> str:  # type: ignore[override]
        if not self._record():
            self._fail_with_undefined_error()
        return ""

    def __iter__(self) -> Any:
        if not self._record():
            self._fail_with_undefined_error()
        return iter(())

    def __bool__(self) -> bool:  # type: ignore[override]
        if not self._record():
            self._fail_with_undefined_error()
        return False

    def __len__(self) -> int:  # type: ignore[override]
        if not self._record():
            self._fail_with_undefined_error()
        return 0


def _image_filter(value: Image | bytes, width_cm: float | None = None) -> Image:
    """``{{ photo|image(3) }}``: a picture from the data, placed inline at a width in cm.

    Only pictures the data gives (an :class:`~docgen.Image`, or bytes) can be placed: a
    template cannot name a file to read.
    """
    if isinstance(value, Image):
        return attrs.evolve(value, width_cm=width_cm or value.width_cm)
    if isinstance(value, (bytes, bytearray)):
        return Image(bytes(value), width_cm=width_cm)
    raise RenderError(
        "can only place pictures the data gives",
        where="image filter",
        expected="a docgen.Image or the picture's bytes",
        found=f"{type(value).__name__}",
    )


def _picture(image: Image) -> Markup:
    """A picture printed by a tag.

    Closes the tag's text and run, adds the picture's run, and reopens a run for whatever
    follows the tag.
    """
    writer = WRITER.get()
    if writer is None:  # pragma: no cover - only rendered inside docgen.render
        return Markup("")
    run = writer.inline_image(image, "template value")
    return Markup(f'</w:t></w:r>{run}<w:r><w:t xml:space="preserve">')


# --- the sandbox's limits -------------------------------------------------------------------
#
# Jinja's sandbox keeps a template away from Python's internals, files and imports, but (as its
# documentation says) not from exhausting memory or time.  docgen adds both: the operators,
# methods and filters that can build a big value in one step are checked before they run (and
# their results after), every part's output is capped, and :func:`docgen.render` stops a render
# that takes longer than RENDER_TIMEOUT.

RENDER_TIMEOUT = 60.0
"""Seconds a render may take (default 60) before :class:`~docgen.errors.RenderTimeoutError`.

Per call: ``render(..., timeout=…)``; for the process: set this, or the environment variable
``DOCGEN_RENDER_TIMEOUT``.  0 turns the limit off.
"""

MAX_TEXT = 10_000_000
"""The most characters (or items) one template expression may build: ``'x' * n``, ``~``, …"""

MAX_INT_BITS = 100_000
"""The largest integer (in bits, about 30,000 digits) one template expression may build."""

MAX_OUTPUT = 100_000_000
"""The most characters one part (``word/document.xml``, a header, …) may render to."""

DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "docgen_deadline", default=None
)
"""During a render: the :func:`time.monotonic` time its template must be done by."""


class TimeUp(BaseException):
    """Raised inside a render whose time is up; :func:`docgen.render` reports it.

    A BaseException, so no ``except Exception`` in Jinja or a filter swallows it.
    """


def _check_deadline() -> None:
    deadline = DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise TimeUp


_LOOP_CHECK = 256  # loop iterations between two looks at the clock


_SIZED = (str, bytes, list, tuple)
_STR_WIDTH = frozenset({"center", "ljust", "rjust", "zfill"})
_PERCENT_FIELD = re.compile(r"%[^a-zA-Z%]*[a-zA-Z%]")
_BRACE_FIELD = re.compile(r"{[^{}]*(?:{[^{}]*}[^{}]*)*}")


def _too_big(what: str, size: float) -> SecurityError:
    return SecurityError(
        f"{what} would build a value of {size:,.0f} characters or items, more than the "
        f"{MAX_TEXT:,} a template may build"
    )


def _checked(value: Any, what: str) -> Any:
    """*value*, when it is within the limits; else the render stops."""
    if isinstance(value, _SIZED) and len(value) > MAX_TEXT:
        raise _too_big(what, len(value))
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise SecurityError(
            f"{what} would build a number of {value.bit_length():,} bits, more than the "
            f"{MAX_INT_BITS:,} a template may build"
        )
    return value


def _longest(values: Iterable[Any]) -> int:
    return max((len(v) for v in values if isinstance(v, _SIZED)), default=0)


def _width_size(text: str, name: str, args: Sequence[Any]) -> float:
    width = next((a for a in args if isinstance(a, int)), 0)
    return len(text) + width * (text.count("\n") + 1 if name == "indent" else 1)


def _tabs_size(text: str, name: str, args: Sequence[Any]) -> float:
    return len(text) + next((a for a in args if isinstance(a, int)), 8) * text.count("\t")


def _replace_size(text: str, name: str, args: Sequence[Any]) -> float:
    if len(args) < 2:
        return 0
    old, new = str(args[0]), str(args[1])
    count = text.count(old) if old else len(text) + 1
    return len(text) + count * max(0, len(new) - len(old))


def _join_size(text: str, name: str, args: Sequence[Any]) -> float:
    if not args or not isinstance(args[0], (list, tuple)):
        return 0
    return len(text) * len(args[0]) + sum(len(i) for i in args[0] if isinstance(i, str))


def _format_size(text: str, name: str, args: Sequence[Any]) -> float:
    """About how long formatting *args* into *text* (``%`` or ``str.format``) makes it."""
    values = list(args[0]) if name == "%" and args and isinstance(args[0], tuple) else list(args)
    if values and isinstance(values[0], Mapping) and name in {"%", "format_map"}:
        values = list(values[0].values())
    found = (_PERCENT_FIELD if name == "%" else _BRACE_FIELD).findall(text)
    widths = [int(d) for field in found for d in re.findall(r"\d+", field)]
    size = len(text) + len(found) * _longest(values) + sum(widths)
    if any("*" in field or field.count("{") > 1 for field in found):  # widths from the args
        size += len(found) * max((v for v in values if isinstance(v, int)), default=0)
    return size


# str method (or the filter doing its work) → about how long it makes the text.
_STR_SIZE: dict[str, Callable[[str, str, Sequence[Any]], float]] = {
    "center": _width_size,
    "ljust": _width_size,
    "rjust": _width_size,
    "zfill": _width_size,
    "indent": _width_size,
    "expandtabs": _tabs_size,
    "replace": _replace_size,
    "join": _join_size,
    "format": _format_size,
    "format_map": _format_size,
    "%": _format_size,
}


def _str_op_size(text: str, name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> float:
    """About how long a ``str`` method (or the filter doing its work) makes *text*."""
    size = _STR_SIZE.get(name)
    return size(text, name, [*args, *kwargs.values()]) if size else 0


def _repeat_size(left: Any, right: Any) -> float:
    if isinstance(left, _SIZED) and isinstance(right, int):
        return len(left) * right
    if isinstance(right, _SIZED) and isinstance(left, int):
        return len(right) * left
    return 0


def _int_bits(operator: str, left: Any, right: Any) -> float:
    """About how many bits ``left operator right`` has, for two integers."""
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right)):
        return 0
    if operator == "*":
        return int(left.bit_length()) + int(right.bit_length())
    if right > 0 and abs(left) > 1:
        return float(right * math.log2(abs(left)))
    return 0


def _precheck_binop(operator: str, left: Any, right: Any) -> None:
    what = f"the operator {operator}"
    size: float = 0
    if operator == "*":
        size = _repeat_size(left, right)
    elif operator == "+" and isinstance(left, _SIZED) and isinstance(right, _SIZED):
        size = len(left) + len(right)
    elif operator == "%" and isinstance(left, str):
        size = _format_size(left, "%", (right,))
    if size > MAX_TEXT:
        raise _too_big(what, size)
    if operator in {"*", "**"} and _int_bits(operator, left, right) > MAX_INT_BITS + 1:
        raise SecurityError(
            f"{what} would build a number of more than the {MAX_INT_BITS:,} bits a template "
            "may build"
        )


def _limited_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """*func* with its arguments checked before it runs and its result after."""
    passes_arg = getattr(func, "jinja_pass_arg", None) is not None
    # docgen's own filters cannot take a missing value; Jinja's handle it (``default`` needs it)
    own = name in FILTERS or name == "image"
    method = {"format": "%"}.get(name, name)
    what = f"the filter {name}"

    def run(*args: Any, **kwargs: Any) -> Any:
        _check_deadline()
        values = args[1:] if passes_arg else args
        if own:  # a missing name given to cn_date & co. is reported as missing, with the rest
            for value in (*values, *kwargs.values()):
                if isinstance(value, jinja2.Undefined):
                    return value
        if values and isinstance(values[0], str):
            rest = values[1:] if method != "%" else (values[1:] or (kwargs,),)
            size = _str_op_size(values[0], method, rest, {} if method == "%" else kwargs)
            if size > MAX_TEXT:
                raise _too_big(what, size)
        elif name == "join" and values and isinstance(values[0], (list, tuple)):
            size = _str_op_size(str(values[1]) if len(values) > 1 else "", "join", values[:1], {})
            if size > MAX_TEXT:
                raise _too_big(what, size)
        return _checked(func(*args, **kwargs), what)

    return functools.update_wrapper(run, func)


def _refuse_loading(name: str) -> str:
    raise SecurityError(
        f"cannot load the template {name!r}: {{% include %}}, {{% import %}} and "
        "{% extends %} are not available, a docgen template is one .docx"
    )


class _CodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` so its result is checked against :data:`MAX_TEXT`."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:  # noqa: N802 - Jinja's name
        self.write("environment.checked_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with limits on what one template can build.

    ``*``, ``**``, ``+`` and ``%``, the ``str`` methods and the filters that build text are
    checked before they run, against :data:`MAX_TEXT` and :data:`MAX_INT_BITS`, and every
    value they build after; a part's output is capped at :data:`MAX_OUTPUT`; an unsafe
    attribute (``__class__``, ``_private``) is an error, not an undefined value; there is no
    loader, so ``{% include %}``, ``{% import %}`` and ``{% extends %}`` fail cleanly; and
    every ``{% for %}`` loop, call and filter looks at the render's :data:`DEADLINE`.
    """

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """Run a binary operator once its result is known to fit the limits."""
        _precheck_binop(operator, left, right)
        return _checked(
            super().call_binop(context, operator, left, right), f"the operator {operator}"
        )

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Call a function or method from a template, checking what ``str`` methods build."""
        _check_deadline()
        target = getattr(obj, "__wrapped__", obj)  # str.format comes wrapped by the sandbox
        owner = getattr(target, "__self__", None)
        name = getattr(target, "__name__", "a function")
        if isinstance(owner, str):
            size = _str_op_size(owner, name, args, kwargs)
            if size > MAX_TEXT:
                raise _too_big(f"the method {name}", size)
        return _checked(super().call(context, obj, *args, **kwargs), f"calling {name}")

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        """Refuse an unsafe attribute at once (Jinja would hand back an undefined value)."""
        raise SecurityError(
            f"access to the attribute {attribute!r} of {type(obj).__name__!r} values is not allowed"
        )

    @staticmethod
    def checked_loop(iterable: Iterable[Any]) -> Iterable[Any]:
        """What a ``{% for %}`` loops over, looking at the clock every few iterations."""
        _check_deadline()
        for count, item in enumerate(iterable, start=1):
            if not count % _LOOP_CHECK:
                _check_deadline()
            yield item

    def checked_concat(self, value: str) -> str:
        """The result of ``~``, once it is known to fit :data:`MAX_TEXT`."""
        result: str = _checked(value, "the operator ~")
        return result

    @staticmethod
    def concat(pieces: Iterable[str]) -> str:
        """Join a part's output (or a block's), stopping at :data:`MAX_OUTPUT` characters."""
        joined: list[str] = []
        batch: list[str] = []
        size = 0
        for piece in pieces:
            size += len(piece)
            if size > MAX_OUTPUT:
                raise SecurityError(
                    f"the output would be longer than the {MAX_OUTPUT:,} characters a part "
                    "may render to"
                )
            batch.append(piece)
            if len(batch) >= 4096:
                _check_deadline()
                joined.append("".join(batch))
                batch.clear()
        joined.append("".join(batch))
        return "".join(joined)


def make_environment() -> SandboxedEnvironment:
    """The sandboxed Jinja environment every docgen template is compiled in."""
    env = _Sandbox(
        undefined=CollectingUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
        loader=jinja2.FunctionLoader(_refuse_loading),
    )
    env.globals.pop("lipsum", None)  # a function whose globals are a classic escape route
    env.filters.update(FILTERS)
    env.filters["image"] = _image_filter
    env.filters = {name: _limited_filter(name, f) for name, f in env.filters.items()}
    return env


_ENV = make_environment()


# --- compiling ------------------------------------------------------------------------------


@attrs.define(frozen=True)
class CompiledPart:
    """One part's preprocessed XML and its compiled Jinja template."""

    name: str
    lines: tuple[str, ...]
    template: jinja2.Template
    variables: frozenset[str] = frozenset()  # the top-level names the part uses

    def paragraph_text(self, lineno: int | None) -> str:
        """The visible text of the paragraph at a Jinja line number (one paragraph a line)."""
        if not lineno or lineno > len(self.lines):
            return ""
        return visible_text(self.lines[lineno - 1])[:80]


_TAG = re.compile(r"{{|{%|{#")
_REPORT_NAMES = frozenset(
    {"body", "signature_block", "sections", "intro", "closing", "full_title", "report"}
)
_NUMBERING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_NUMBERING_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"
_IMAGE_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
}


def _docgen_abstract_nums(bullet_id: int, number_id: int, indent: int) -> str:
    """Two list definitions docgen numbers its lists with: a bullet and （1）-style numbers."""
    lvl = (
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        '<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="{left}" w:hanging="{hang}"/></w:pPr>{rpr}</w:lvl>'
    )
    bullet = lvl.format(
        fmt="bullet",
        text="●",
        left=indent * 2,
        hang=indent // 2 + indent // 4,
        rpr='<w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体" '
        'w:hint="eastAsia"/><w:sz w:val="16"/></w:rPr>',
    )
    number = lvl.format(fmt="decimal", text="（%1）", left=indent * 2, hang=indent, rpr="")
    return (
        f'<w:abstractNum w:abstractNumId="{bullet_id}"><w:multiLevelType w:val="singleLevel"/>'
        f"{bullet}</w:abstractNum>"
        f'<w:abstractNum w:abstractNumId="{number_id}"><w:multiLevelType w:val="singleLevel"/>'
        f"{number}</w:abstractNum>"
    )


@attrs.define(frozen=True, eq=False)
class Template:
    """A compiled template.  Build it with :meth:`load`; render it with :func:`docgen.render`.

    Attributes:
        name: the template's name (manifest name, or the file's stem).
        source: where it was loaded from (a path or ``<bytes>``).
        manifest: what ``template.toml`` says (defaults when there is none).
        scheme: the heading numbering scheme the body slot uses.
        roles: role → style id and faces, for the body slot.
    """

    name: str
    source: str
    manifest: Manifest
    scheme: NumberingScheme
    roles: Mapping[str, RoleStyle]
    package: Package
    compiled: Mapping[str, CompiledPart]
    static: Mapping[str, bytes]
    text_width: int
    list_ids: tuple[int, int, int]  # bullet abstract, number abstract, first free numId
    first_rid: int
    frozen: Mapping[str, Member]  # parts no render changes, compressed once
    data: bytes = attrs.field(repr=False)  # the .docx as loaded (sent to worker processes)

    # -- loading --

    @classmethod
    def load(
        cls,
        source: str | os.PathLike[str] | Template,
        *,
        template_dirs: Sequence[str | os.PathLike[str]] = (),
        max_unpacked: int | None = None,
    ) -> Template:
        """Load and compile a template.

        *source* is a ``.docx`` path, a folder holding ``template.docx`` (and optionally
        ``template.toml``), or a name looked up along the chain described in
        :mod:`docgen.registry`: ``template_dirs``, then ``DOCGEN_TEMPLATE_PATH``, then
        templates registered by installed packages, then the built-ins.  A compiled template
        is cached until its files change, so loading by name again is cheap.

        A ``.docx`` that would unpack to more than *max_unpacked* bytes is refused (default
        200 MB: :data:`docgen.ooxml.MAX_UNPACKED`, or ``DOCGEN_MAX_UNPACKED_MB``).

        Raises:
            TemplateNotFoundError: no such file, folder or template name.
            TemplateError: the manifest or the Jinja source is wrong (the message names the
                file, the part and the paragraph).
            PackageError: the ``.docx`` is not a valid Word package.
        """
        if isinstance(source, Template):
            return source
        found = registry.find(source, template_dirs)
        stamp = (
            str(found.docx),
            found.name,
            found.docx.stat().st_mtime_ns,
            found.manifest.stat().st_mtime_ns if found.manifest else 0,
        )
        cached = _CACHE.get(stamp)
        if cached is not None:
            return cached
        manifest = Manifest.read(found.manifest) if found.manifest else None
        if manifest is not None and not manifest.name:
            manifest = attrs.evolve(manifest, name=found.name)
        if manifest is None and found.name != found.docx.stem:
            manifest = Manifest(name=found.name)
        template = cls.from_bytes(
            found.docx.read_bytes(),
            source=str(found.docx),
            manifest=manifest,
            max_unpacked=max_unpacked,
        )
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[stamp] = template
        return template

    @classmethod
    def from_bytes(
        cls,
        data: bytes,
        *,
        source: str = "<bytes>",
        manifest: Manifest | None = None,
        max_unpacked: int | None = None,
    ) -> Template:
        """Compile a template from the bytes of a ``.docx``.

        Raises:
            PackageError: the bytes are not a valid, reasonable Word package (the message
                names *source* and the part).
            TemplateError: a part's Jinja source is wrong.
        """
        try:
            return cls._compile(data, source, manifest, max_unpacked)
        except PackageError as exc:
            if exc.where and exc.where.startswith(source):
                raise
            raise PackageError(
                exc.message,
                where=f"{source} ({exc.where})" if exc.where else source,
                expected=exc.expected,
                found=exc.found,
            ) from None

    @classmethod
    def _compile(
        cls, data: bytes, source: str, manifest: Manifest | None, max_unpacked: int | None
    ) -> Template:
        package = Package.from_bytes(data, source, max_unpacked=max_unpacked)
        for part in package.templated_parts():  # well-formed, no DTD, not absurdly deep
            parse_xml(package.parts[part], part)
        name = manifest.name if manifest and manifest.name else Path(source).stem
        manifest = manifest or Manifest(name=name)
        static: dict[str, bytes] = {}

        # Styles: apply the manifest's faces, then resolve each role.
        styles_xml = package.parts.get("word/styles.xml")
        infos = read_styles(styles_xml)
        role_ids: dict[str, str] = {}
        for role in ROLES:
            sid = manifest.styles.get(role)
            if sid is None:
                sid = next((c for c in DEFAULT_STYLE_IDS[role] if c in infos), "Normal")
            role_ids[role] = sid
        if styles_xml is not None:
            fonts = {
                role_ids[r]: (f.east_asia, f.latin, f.size_pt) for r, f in manifest.fonts.items()
            }
            static["word/styles.xml"] = set_style_fonts(styles_xml, fonts)
            infos = read_styles(static["word/styles.xml"])
        roles = {}
        for role, sid in role_ids.items():
            info = infos.get(sid)
            roles[role] = RoleStyle(
                sid,
                (info.east_asia if info else None) or _FALLBACK_EAST_ASIA,
                (info.latin if info else None) or _FALLBACK_LATIN,
                (info.size_pt if info else None) or 10.5,
            )

        list_ids, first_rid = cls._prepare_package(package, static, roles["body"].indent_twips)
        compiled = {}
        env = _ENV
        for part in package.templated_parts():
            xml = package.parts[part].decode("utf-8")
            if not _TAG.search(xml):
                continue
            compiled[part] = _compile_part(env, part, xml, source)
        width, _ = text_width_twips(package.parts["word/document.xml"])
        # Every part no render changes, compressed now, once (see docgen.zipout).
        frozen = {
            part: deflate(part, static.get(part, blob))
            for part, blob in package.parts.items()
            if part not in compiled
        }
        return cls(
            name,
            source,
            manifest,
            NumberingScheme.preset(manifest.numbering),
            roles,
            package,
            compiled,
            static,
            width,
            list_ids,
            first_rid,
            frozen,
            data,
        )

    @staticmethod
    def _prepare_package(
        package: Package, static: dict[str, bytes], indent: int
    ) -> tuple[tuple[int, int, int], int]:
        """Add docgen's list definitions and picture content types once, at compile time."""
        parts = package.parts
        rels_name = "word/_rels/document.xml.rels"
        rels = (
            parse_xml(parts[rels_name], rels_name)
            if rels_name in parts
            else etree.Element(f"{{{NS['rel']}}}Relationships", nsmap={None: NS["rel"]})
        )
        rel_ids = [int(m) for r in rels for m in re.findall(r"\d+", r.get("Id", ""))]
        first_rid = max(rel_ids, default=0) + 1
        ct = parse_xml(parts["[Content_Types].xml"], "[Content_Types].xml")
        defaults = {d.get("Extension", "").lower() for d in ct.findall(f"{{{NS['ct']}}}Default")}
        for ext, mime in _IMAGE_TYPES.items():
            if ext not in defaults:
                el = etree.Element(f"{{{NS['ct']}}}Default", Extension=ext, ContentType=mime)
                ct.insert(0, el)

        numbering_name = "word/numbering.xml"
        if numbering_name in parts:
            num_root = parse_xml(parts[numbering_name], numbering_name)
        else:
            num_root = etree.Element(f"{W}numbering", nsmap={"w": NS["w"]})
            etree.SubElement(
                rels,
                f"{{{NS['rel']}}}Relationship",
                Id=f"rId{first_rid}",
                Type=_NUMBERING_REL,
                Target="numbering.xml",
            )
            first_rid += 1
            etree.SubElement(
                ct,
                f"{{{NS['ct']}}}Override",
                PartName="/word/numbering.xml",
                ContentType=_NUMBERING_CT,
            )
            parts[numbering_name] = b""  # placeholder so the part is written in order
        abstract_ids = [
            int(a.get(f"{W}abstractNumId", "0")) for a in num_root.findall(f"{W}abstractNum")
        ]
        num_ids = [int(n.get(f"{W}numId", "0")) for n in num_root.findall(f"{W}num")]
        bullet = max(abstract_ids, default=-1) + 1
        number = bullet + 1
        new = etree.fromstring(
            f'<w:x xmlns:w="{NS["w"]}">{_docgen_abstract_nums(bullet, number, indent)}</w:x>'
        )
        first_num = num_root.find(f"{W}num")
        for el in list(new):
            if first_num is not None:
                first_num.addprevious(el)
            else:
                num_root.append(el)
        static[numbering_name] = etree.tostring(
            num_root, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        static[rels_name] = etree.tostring(
            rels, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        static["[Content_Types].xml"] = etree.tostring(
            ct, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        settings = parts.get("word/settings.xml")
        if settings is not None and _has_toc(parts[DOCUMENT]):
            static["word/settings.xml"] = update_fields_on_open(settings)
        return (bullet, number, max(num_ids, default=0) + 1), first_rid

    @property
    def variables(self) -> frozenset[str]:
        """Every top-level name the template's parts use."""
        return frozenset().union(*(part.variables for part in self.compiled.values()))

    @property
    def uses_report(self) -> bool:
        """Whether the template is written for a :class:`~docgen.Report`.

        It is when it places the body or the signature block, or loops over sections;
        otherwise it takes plain data.
        """
        return bool(self.variables & _REPORT_NAMES)

    def render(self, data: Any, **options: Any) -> Any:
        """Render *data* (a :class:`~docgen.Report` or a mapping); see :func:`docgen.render`."""
        from docgen.render import render  # noqa: PLC0415 - render sits on top of template

        return render(data, self, **options)


def _has_toc(document_xml: bytes) -> bool:
    """Whether the document holds a table of contents (a TOC field or a TOC content control)."""
    return bool(
        re.search(rb"<w:instrText[^>]*>\s*TOC\b", document_xml)
        or re.search(rb'<w:fldSimple [^>]*w:instr="\s*TOC\b', document_xml)
        or b'w:docPartGallery w:val="Table of Contents"' in document_xml
    )


def _compile_part(env: SandboxedEnvironment, part: str, xml: str, source: str) -> CompiledPart:
    """Preprocess one part (docxtpl's tag merging) and compile it, one paragraph a line."""
    src = tables.mark_vmerge(_docxtpl.preprocess(xml))
    lines = tuple(src.splitlines())
    try:
        tree = env.parse(src)
        variables = frozenset(jinja2.meta.find_undeclared_variables(tree))
        for loop in tree.find_all(nodes.For):  # every loop looks at the clock (DEADLINE)
            loop.iter = nodes.Call(
                nodes.EnvironmentAttribute("checked_loop"), [loop.iter], [], None, None
            )
        template = env.from_string(tree)
    except jinja2.TemplateSyntaxError as exc:
        text = CompiledPart(part, lines, env.from_string("")).paragraph_text(exc.lineno)
        where = f"{source} ({part}), paragraph “{text}”"
        filt = re.match(r"No filter named '([^']+)'", exc.message or "")
        if filt:
            raise UnknownFilterError(
                f"uses the filter '{filt.group(1)}', which docgen does not provide",
                where=where,
                expected=f"one of Jinja's filters or {', '.join(FILTERS)}",
                found=filt.group(1),
            ) from None
        raise TemplateSyntaxError(
            f"has a Jinja syntax error: {exc.message}",
            where=where,
            expected="tags as Jinja writes them: {{ name }}, {% if … %}…{% endif %}",
        ) from None
    except (RecursionError, MemoryError, SyntaxError) as exc:  # Python cannot compile it
        raise TemplateSyntaxError(
            "is too deeply nested to compile",
            where=f"{source} ({part})",
            expected="tags nested at most a few dozen deep",
            found=type(exc).__name__,
        ) from None
    except DocgenError:  # pragma: no cover - defensive
        raise
    return CompiledPart(part, lines, template, variables)
