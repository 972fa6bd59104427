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

Messages are in the user's language (:mod:`docgen.i18n`): a raise site passes
:func:`~docgen.i18n.lazy` messages, kept untranslated until the error is shown, so the text
follows the language active when it is printed or turned into JSON.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, ClassVar

from docgen.i18n import Message, _, text

#: What a raise site may pass as a message, a place, what was expected or found: text, or a
#: :class:`~docgen.i18n.Message` translated when shown.
Text = str | Message

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
    message: Text
    expected: Text | None = None
    found: Text | None = None

    def to_dict(self) -> dict[str, str | None]:
        """The problem as a JSON-ready mapping, its texts in the current language."""
        return {f.name: text(getattr(self, f.name)) for f in dataclasses.fields(self)}

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
        message: Text,
        *,
        where: Text | None = None,
        expected: Text | None = None,
        found: Text | None = None,
        code: str | None = None,
        problems: tuple[Problem, ...] = (),
    ) -> None:
        # kept as given (a lazy Message stays one): translated each time they are read
        self._message = message
        self._where = where
        self._expected = expected
        self._found = found
        #: The error's stable code (docs/errors.md lists every one).
        self.code = code or self.default_code
        #: The separate problems, each with its code and path, when the error gathers several.
        self.problems = tuple(problems)
        super().__init__(self._format())

    @property
    def message(self) -> str:
        """What went wrong, in the current language."""
        return str(self._message)

    @message.setter
    def message(self, value: Text) -> None:
        self._message = value

    @property
    def where(self) -> str | None:
        """The file, field path or template place, in the current language."""
        return None if self._where is None else str(self._where)

    @where.setter
    def where(self, value: Text | None) -> None:
        self._where = value

    @property
    def expected(self) -> str | None:
        """What docgen expected, in the current language."""
        return None if self._expected is None else str(self._expected)

    @expected.setter
    def expected(self, value: Text | None) -> None:
        self._expected = value

    @property
    def found(self) -> str | None:
        """What docgen found instead, in the current language."""
        return None if self._found is None else str(self._found)

    @found.setter
    def found(self, value: Text | None) -> None:
        self._found = value

    def fields(self) -> tuple[Text, Text | None, Text | None, Text | None]:
        """message, where, expected and found as given: a lazy message not yet translated."""
        return self._message, self._where, self._expected, self._found

    def _format(self) -> str:
        where, message = self.where, self.message
        parts = [_("{where}: {message}", where=where, message=message) if where else message]
        if self._expected is not None:
            parts.append(_("expected {expected}", expected=self.expected))
        if self._found is not None:
            parts.append(_("found {found}", found=self.found))
        # TRANSLATORS: between the parts of an error: "x.yaml: is not text; expected …"
        return _("; ").join(parts)

    def __str__(self) -> str:
        return self._format()

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

    def __init__(
        self,
        message: Text,
        *,
        found: Text,
        where: Text | None = None,
        expected: Text | None = None,
        code: str | None = None,
        problems: tuple[Problem, ...] = (),
    ) -> None:
        super().__init__(
            message, where=where, expected=expected, found=found, code=code, problems=problems
        )

    @property
    def found(self) -> str:
        """The missing variables (``missing class (of a dict), teacher``)."""
        return str(self._found)

    @found.setter
    def found(self, value: Text | None) -> None:
        self._found = value


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
