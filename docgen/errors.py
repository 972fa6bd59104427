"""The errors docgen raises for anything a user can cause.

Every error is a :class:`DocgenError`.  Each carries *where* the problem is (a file, a field
path such as ``sections[1].title``, or a template place such as ``word/document.xml``), *what*
was expected and what was *found*, so the message alone tells a newcomer what to fix.
Subclasses also inherit a builtin (``ValueError``, ``LookupError``, ``FileExistsError``) so
callers can catch the builtin they already expect.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ConventionError",
    "DataError",
    "DocgenError",
    "DocgenWarning",
    "OutputError",
    "OutputExistsError",
    "PackageError",
    "RenderError",
    "RenderTimeoutError",
    "TemplateError",
    "TemplateNotFoundError",
    "TemplateSyntaxError",
    "UndefinedVariableError",
    "UnknownFilterError",
    "ValidationError",
]


class DocgenError(Exception):
    """Root of every error a user of docgen can cause.

    Args:
        message: what went wrong, in one sentence.
        where: the file, field path or template place it concerns.
        expected: what docgen expected there.
        found: what it found instead.
    """

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        expected: str | None = None,
        found: str | None = None,
    ) -> None:
        self.message = message
        self.where = where
        self.expected = expected
        self.found = found
        super().__init__(self._format())

    def _format(self) -> str:
        parts = [f"{self.where}: {self.message}" if self.where else self.message]
        if self.expected is not None:
            parts.append(f"expected {self.expected}")
        if self.found is not None:
            parts.append(f"found {self.found}")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, str | None]:
        """The error as a JSON-ready mapping (for ``--json`` output and the HTTP API)."""
        return {
            "error": type(self).__name__,
            "message": self.message,
            "where": self.where,
            "expected": self.expected,
            "found": self.found,
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


class ValidationError(DocgenError, ValueError):
    """A report object built with a value of the wrong type or shape."""


class DataError(DocgenError, ValueError):
    """A data file (YAML, JSON, TOML) that cannot be read into a report."""


class TemplateError(DocgenError):
    """A template that cannot be loaded, compiled or rendered."""


class TemplateNotFoundError(TemplateError, LookupError):
    """No template by that name or at that path."""


class TemplateSyntaxError(TemplateError):
    """A Jinja syntax error inside a template part."""


class UnknownFilterError(TemplateError):
    """A template uses a filter that docgen does not provide."""


class UndefinedVariableError(TemplateError):
    """A template uses variables the data does not supply; all are listed at once.

    ``found`` always names them (``missing class (of a dict), teacher``).
    """

    found: str

    def __init__(
        self, message: str, *, found: str, where: str | None = None, expected: str | None = None
    ) -> None:
        super().__init__(message, where=where, expected=expected, found=found)


class RenderError(TemplateError):
    """Rendering failed for a reason other than the template's syntax or variables."""


class RenderTimeoutError(RenderError, TimeoutError):
    """Rendering took longer than its time limit (a template loop that does not end, say)."""


class PackageError(DocgenError, ValueError):
    """A ``.docx`` package that is not a valid Word document (not a zip, parts missing, bad XML)."""


class OutputExistsError(DocgenError, FileExistsError):
    """Saving would overwrite an existing file without ``overwrite=True``."""


class OutputError(DocgenError, OSError):
    """An output file could not be written (a full disk, a folder that cannot be written)."""


class DocgenWarning(UserWarning):
    """Something docgen changed in the user's data to keep the document valid.

    For example it removed a character XML cannot hold; the render still succeeds.
    """
