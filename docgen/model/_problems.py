"""cattrs' exception groups → one :class:`~docgen.errors.DataError` naming every problem.

Each problem gets its field path in the data (``sections[1].title``), what was expected and
what was found; an unknown key gets the closest known one ("did you mean sections?").
The DataError also lists them as :class:`~docgen.errors.Problem` items for programs, each with
its code (``data.wrong_type``, ``data.unknown_key``, ``data.missing``…) and its path as a JSON
pointer (``/sections/1/title``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import attrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from docgen.errors import DataError, DocgenError, Problem, Text, pointer
from docgen.i18n import lazy, lazy_join
from docgen.model._structure import _data_keys, _did_you_mean, _what

#: A model error's code → the code of the same problem in a data file.
_DATA_CODES = {
    "model.invalid": "data.invalid",
    "model.wrong_type": "data.wrong_type",
    "model.unknown_field": "data.unknown_key",
    "convention.invalid": "data.invalid",
}


@attrs.frozen
class _Problem:
    path: str
    message: Text
    expected: Text | None = None
    found: Text | None = None
    code: str = "data.invalid"

    def public(self) -> Problem:
        """The problem as programs see it, its path a JSON pointer."""
        return Problem(self.code, pointer(self.path), self.message, self.expected, self.found)

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
        code = _DATA_CODES.get(exc.code, exc.code)
        message, _where, expected, found = exc.fields()
        yield _Problem(_place(path, exc.where), message, expected, found, code)
    elif isinstance(exc, KeyError):
        yield _Problem(path, lazy("is required"), expected=_what(type_), code="data.missing")
    else:  # pragma: no cover - a bug in a hook; keep whatever it says
        yield _Problem(
            path, lazy("could not be read ({kind}: {exc})", kind=type(exc).__name__, exc=exc)
        )


def _unknown_keys(exc: ForbiddenExtraKeysError, path: str) -> Iterator[_Problem]:
    allowed = _data_keys(exc.cl)
    for name in sorted(exc.extra_fields, key=str):
        yield _Problem(
            _key(path, name),
            lazy("is not a known key{did_you_mean}", did_you_mean=_did_you_mean(name, allowed)),
            expected=lazy("one of {allowed}", allowed=", ".join(allowed)),
            code="data.unknown_key",
        )


def _data_error(source: str, problems: list[_Problem]) -> DataError:
    listed = tuple(p.public() for p in problems)
    codes = {p.code for p in problems}
    code = codes.pop() if len(codes) == 1 else "data.invalid"
    if len(problems) == 1:
        (p,) = problems
        where = f"{source}: {p.path}" if p.path else source
        return DataError(
            p.message, where=where, expected=p.expected, found=p.found, code=code, problems=listed
        )
    lines = lazy_join("\n", problems, prefix="  ")  # each problem in the language shown
    return DataError(
        lazy("has {n} problems:\n{lines}", n=len(problems), lines=lines),
        where=source,
        code=code,
        problems=listed,
    )
