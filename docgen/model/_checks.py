"""The checks and conversions report classes run on the values they are built with.

Validators raise :class:`~docgen.errors.ValidationError` naming ``Class.field`` and the value
found; converters turn lists into tuples, item by item, prefixing ``field[i]`` to an item's
errors.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import attrs

from docgen.errors import ConventionError, DocgenError, Text, ValidationError
from docgen.i18n import lazy

_T = TypeVar("_T")


def _article(value: object) -> Text:
    name = type(value).__name__
    return (
        lazy("an {kind}", kind=name) if name[:1].lower() in "aeiou" else lazy("a {kind}", kind=name)
    )


def _fail(where: str, expected: Text, value: object) -> ValidationError:
    return ValidationError(
        lazy("must be {expected}", expected=expected),
        where=where,
        found=lazy("{value!r} ({article})", value=value, article=_article(value)),
        code="model.wrong_type",
    )


def _where(inst: object, attribute: attrs.Attribute[Any]) -> str:
    return f"{type(inst).__name__}.{attribute.name}"


def _text(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise _fail(_where(inst, attribute), lazy("text"), value)


def _optional_text(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _text(inst, attribute, value)


def _positive_number(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not _is_positive_number(value):
        raise _fail(_where(inst, attribute), lazy("a positive number"), value)


def _is_positive_number(value: object) -> bool:
    """A real, finite number above 0 (not a bool, NaN or infinity).

    >>> [_is_positive_number(v) for v in (3, 2.5, 0, -1, True, float("nan"), float("inf"))]
    [True, True, False, False, False, False, False]
    """
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def _positive_int(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _fail(_where(inst, attribute), lazy("a whole number from 1"), value)


def _tuple_of(convert: Callable[[Any, str], _T], field: str) -> Callable[[Any], tuple[_T, ...]]:
    """A converter turning any iterable (not a string) into a tuple, converting each item.

    Errors raised while converting item *i* get ``field[i]`` prefixed to their place.
    """

    def converter(value: Any) -> tuple[_T, ...]:
        if value is None:
            return ()
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
            raise _fail(field, lazy("a list"), value)
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
    message, _, expected, found = exc.fields()
    return ValidationError(
        message,
        where=f"{where}{inner}",
        expected=expected,
        found=found,
        code=exc.code if isinstance(exc, ValidationError) else None,
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
            lazy("has fields {kind} does not know ({exc})", kind=cls.__name__, exc=exc),
            where=where,
            expected=lazy(
                "the fields of {kind}: {fields}",
                kind=cls.__name__,
                fields=", ".join(a.name for a in attrs.fields(cls)),  # type: ignore[arg-type]
            ),
            code="model.unknown_field",
        ) from None
    raise _fail(where, lazy("a {kind} or a mapping of its fields", kind=cls.__name__), item)
