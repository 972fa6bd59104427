"""The service's errors and the HTTP status each docgen error gets.

Every error the API returns is JSON with the fields of :meth:`docgen.DocgenError.to_dict`:
``code`` (stable, for programs: ``data.wrong_type``, ``auth.no_token``…; docs/errors.md lists
them), ``error`` (the class), ``message``, ``where`` (a field path such as
``data: sections[1].title``, a template place, or a part of the request), ``expected``,
``found`` and ``problems`` (one item per problem when there are several).  A user's mistake is
a 4xx; a limit of the service (busy, too slow, LibreOffice missing) a 503 or 504; only a bug in
docgen is a 500, and its body says no more than that.
"""

from __future__ import annotations

from typing import Any

from docgen.errors import (
    DocgenError,
    PackageError,
    Problem,
    TemplateError,
    TemplateNotFoundError,
    Text,
)
from docgen.i18n import _
from docgen.pdf import PdfError

__all__ = [
    "INTERNAL_CODE",
    "AuthError",
    "RequestError",
    "ServiceError",
    "error_body",
    "internal_error_body",
    "status_of",
]


class _HttpStatusError(DocgenError):
    """A docgen error that carries its HTTP status (``status=``, else the class's default)."""

    default_status = 422

    def __init__(
        self,
        message: Text,
        *,
        status: int | None = None,
        where: Text | None = None,
        expected: Text | None = None,
        found: Text | None = None,
        code: str | None = None,
        problems: tuple[Problem, ...] = (),
    ) -> None:
        self.status = self.default_status if status is None else status
        super().__init__(
            message, where=where, expected=expected, found=found, code=code, problems=problems
        )


class RequestError(_HttpStatusError, ValueError):
    """The request itself is wrong: not JSON, a missing or unknown field, a bad template name.

    Args:
        status: the HTTP status (400 malformed, 404 unknown, 413 too large, 415 wrong type,
            422 well-formed but wrong).
    """

    default_code = "request.invalid"
    default_status = 422


class AuthError(RequestError, PermissionError):
    """No bearer token (401), or the wrong one (403), where the service requires one."""

    default_code = "auth.refused"


class ServiceError(_HttpStatusError, RuntimeError):
    """A limit of the service: every worker busy (503), a time limit (504), a worker died."""

    default_code = "service.busy"
    default_status = 503


def status_of(error: DocgenError) -> int:
    """The HTTP status for a docgen error.

    >>> from docgen.errors import DataError
    >>> status_of(DataError("x")), status_of(TemplateNotFoundError("x")), status_of(PdfError("x"))
    (422, 404, 503)
    """
    if isinstance(error, _HttpStatusError):
        return error.status
    if isinstance(error, TemplateNotFoundError):
        return 404
    if isinstance(error, PdfError):  # LibreOffice missing or failing: the server's side
        return 503
    if isinstance(error, (TemplateError, PackageError)):
        return 422
    return 422  # DataError, ValidationError, ConventionError: the data is wrong


def error_body(error: DocgenError) -> dict[str, Any]:
    """The JSON body for *error*: exactly :meth:`~docgen.DocgenError.to_dict`."""
    return error.to_dict()


#: The code of a bug in docgen (an HTTP 500, the CLI's ``InternalError``).
INTERNAL_CODE = "internal.error"


def internal_error_body(incident: str) -> dict[str, Any]:
    """The JSON body for a bug: no details, only the incident the server's log names.

    >>> internal_error_body("3f2a")["where"]
    'incident 3f2a'
    """
    return {
        "code": INTERNAL_CODE,
        "error": "InternalError",
        "message": _("docgen failed unexpectedly; the server's log has the details"),
        "where": _("incident {incident}", incident=incident),
        "expected": None,
        "found": None,
        "problems": [],
    }
