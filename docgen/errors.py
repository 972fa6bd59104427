"""The errors docgen raises for anything a user can cause.

Every error is a :class:`DocgenError`.  Each carries *where* the problem is (a file, a field
path such as ``sections[1].title``, or a template place such as ``word/document.xml``), *what*
was expected and what was *found*, so the message alone tells a newcomer what to fix.
Subclasses also inherit a builtin (``ValueError``, ``LookupError``, ``FileExistsError``) so
callers can catch the builtin they already expect.

For programs, every error also carries a stable :attr:`~DocgenError.code` (``data.wrong_type``,
``template.not_found``, ``pdf.timeout``…; docs/errors.md lists them all): each class has a
default code, and a raise site names a more specific one where a class covers several
situations.  An error gathering several problems (a data file with a wrong type in one place
and an unknown key in another) lists them in :attr:`~DocgenError.problems`, each with its own
code and a JSON-pointer path (``/sections/1/title``).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, ClassVar

__all__ = [
    "ConventionError",
    "DataError",
    "DocgenError",
    "DocgenWarning",
    "OutputError",
    "OutputExistsError",
    "PackageError",
    "Problem",
    "RenderError",
    "RenderTimeoutError",
    "TemplateError",
    "TemplateNotFoundError",
    "TemplateSyntaxError",
    "UndefinedVariableError",
    "UnknownFilterError",
    "ValidationError",
]


_PATH_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def pointer(path: str) -> str:
    """A field path (``sections[1].title``) as a JSON pointer (``/sections/1/title``).

    >>> pointer("sections[1].subsections[0].title"), pointer(""), pointer("extra.a/b")
    ('/sections/1/subsections/0/title', '', '/extra/a~1b')
    """
    parts = (index or key for index, key in _PATH_PART.findall(path))
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


@dataclasses.dataclass(frozen=True)
class Problem:
    """One of several problems an error gathers: a wrong type here, an unknown key there.

    Args:
        code: the problem's stable code (``data.wrong_type``, ``data.unknown_key``…).
        path: where, as a JSON pointer into the data (``/sections/1/title``; ``""``: the top).
        message: what went wrong there.
        expected: what docgen expected there.
        found: what it found instead.
    """

    code: str
    path: str
    message: str
    expected: str | None = None
    found: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """The problem as a JSON-ready mapping."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        """The problem :meth:`to_dict` gave (from another process, say)."""
        return cls(
            code=str(data.get("code")),
            path=str(data.get("path") or ""),
            message=str(data.get("message")),
            expected=data.get("expected"),
            found=data.get("found"),
        )


class DocgenError(Exception):
    """Root of every error a user of docgen can cause.

    Args:
        message: what went wrong, in one sentence.
        where: the file, field path or template place it concerns.
        expected: what docgen expected there.
        found: what it found instead.
        code: a stable code for programs, more specific than the class's
            :attr:`default_code` (``data.unknown_key`` rather than ``data.invalid``).
        problems: the separate problems, when the error gathers several.
    """

    #: The code of an error of this class when its raise site names no other.
    default_code: ClassVar[str] = "docgen.error"

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        expected: str | None = None,
        found: str | None = None,
        code: str | None = None,
        problems: tuple[Problem, ...] = (),
    ) -> None:
        self.message = message
        self.where = where
        self.expected = expected
        self.found = found
        #: The error's stable code (docs/errors.md lists every one).
        self.code = code or self.default_code
        #: The separate problems, each with its code and path, when the error gathers several.
        self.problems = tuple(problems)
        super().__init__(self._format())

    def _format(self) -> str:
        parts = [f"{self.where}: {self.message}" if self.where else self.message]
        if self.expected is not None:
            parts.append(f"expected {self.expected}")
        if self.found is not None:
            parts.append(f"found {self.found}")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The error as a JSON-ready mapping (for ``--json-errors`` output and the HTTP API).

        >>> DataError("is not text", where="x.yaml: title", code="data.wrong_type").to_dict()
        ... # doctest: +NORMALIZE_WHITESPACE
        {'code': 'data.wrong_type', 'error': 'DataError', 'message': 'is not text',
         'where': 'x.yaml: title', 'expected': None, 'found': None, 'problems': []}
        """
        return {
            "code": self.code,
            "error": type(self).__name__,
            "message": self.message,
            "where": self.where,
            "expected": self.expected,
            "found": self.found,
            "problems": [p.to_dict() for p in self.problems],
        }

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (to or from a worker process) with every field, and without calling __init__:
        # a subclass may require keywords (UndefinedVariableError's found=) that args lacks.
        return (_unpickle, (type(self), self.args), self.__dict__)


def _unpickle(cls: type[DocgenError], args: tuple[Any, ...]) -> DocgenError:
    error = cls.__new__(cls)
    error.args = args
    return error


class ConventionError(DocgenError, ValueError):
    """A value the Chinese-conventions functions (:mod:`docgen.cn`) cannot take."""

    default_code = "convention.invalid"


class ValidationError(DocgenError, ValueError):
    """A report object built with a value of the wrong type or shape."""

    default_code = "model.invalid"


class DataError(DocgenError, ValueError):
    """A data file (YAML, JSON, TOML) that cannot be read into a report."""

    default_code = "data.invalid"


class TemplateError(DocgenError):
    """A template that cannot be loaded, compiled or rendered."""

    default_code = "template.invalid"


class TemplateNotFoundError(TemplateError, LookupError):
    """No template by that name or at that path."""

    default_code = "template.not_found"


class TemplateSyntaxError(TemplateError):
    """A Jinja syntax error inside a template part."""

    default_code = "template.syntax"


class UnknownFilterError(TemplateError):
    """A template uses a filter that docgen does not provide."""

    default_code = "template.unknown_filter"


class UndefinedVariableError(TemplateError):
    """A template uses variables the data does not supply; all are listed at once.

    ``found`` always names them (``missing class (of a dict), teacher``).
    """

    default_code = "template.missing_variable"

    found: str

    def __init__(
        self,
        message: str,
        *,
        found: str,
        where: str | None = None,
        expected: str | None = None,
        code: str | None = None,
        problems: tuple[Problem, ...] = (),
    ) -> None:
        super().__init__(
            message, where=where, expected=expected, found=found, code=code, problems=problems
        )


class RenderError(TemplateError):
    """Rendering failed for a reason other than the template's syntax or variables."""

    default_code = "render.failed"


class RenderTimeoutError(RenderError, TimeoutError):
    """Rendering took longer than its time limit (a template loop that does not end, say)."""

    default_code = "render.timeout"


class PackageError(DocgenError, ValueError):
    """A ``.docx`` package that is not a valid Word document (not a zip, parts missing, bad XML)."""

    default_code = "package.invalid"


class OutputExistsError(DocgenError, FileExistsError):
    """Saving would overwrite an existing file without ``overwrite=True``."""

    default_code = "output.exists"


class OutputError(DocgenError, OSError):
    """An output file could not be written (a full disk, a folder that cannot be written)."""

    default_code = "output.unwritable"


class DocgenWarning(UserWarning):
    """Something docgen changed in the user's data to keep the document valid.

    For example it removed a character XML cannot hold; the render still succeeds.
    """
