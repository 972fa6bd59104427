"""Errors as JSON: every exception a route raises becomes the body of ``DocgenError.to_dict()``.

:data:`EXCEPTION_HANDLERS` is what :func:`docgen.web.factory.create_app` installs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from docgen.errors import DocgenError, Problem, pointer
from docgen.web.errors import RequestError, status_of
from docgen.web.pool import JobFailed

__all__ = ["EXCEPTION_HANDLERS"]


async def _docgen_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DocgenError)
    headers = {"Retry-After": "5"} if status_of(exc) == 503 else None
    return JSONResponse(exc.to_dict(), status_code=status_of(exc), headers=headers)


async def _job_failed(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, JobFailed)
    return JSONResponse(exc.body, status_code=exc.status)


#: The code of an error Starlette itself answers with (no such route, a method it lacks).
_HTTP_CODES = {404: "request.not_found", 405: "request.method_not_allowed"}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if isinstance(exc.detail, dict) and "error" in exc.detail:
        body = exc.detail
    else:
        body = RequestError(
            str(exc.detail).rstrip(".").lower() if exc.detail else "cannot be served",
            status=exc.status_code,
            where=f"{request.method} {request.url.path}",
            code=_HTTP_CODES.get(exc.status_code),
        ).to_dict()
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for item in exc.errors():
        loc = [str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path")]
        problems.append((".".join(loc) or "request", str(item.get("msg", "is not valid"))))
    listed = tuple(
        Problem(_VALIDATION_CODE, "" if w == "request" else pointer(w), m[:1].lower() + m[1:])
        for w, m in problems
    )
    where, message = problems[0] if problems else ("request", "is not valid")
    if len(problems) > 1:
        message = f"has {len(problems)} problems: " + "; ".join(f"{w}: {m}" for w, m in problems)
        where = "request"
    error = RequestError(
        message[:1].lower() + message[1:], where=where, code=_VALIDATION_CODE, problems=listed
    )
    return JSONResponse(error.to_dict(), status_code=422)


#: A form field or path part that FastAPI found missing or of the wrong kind.
_VALIDATION_CODE = "request.invalid"


#: Exception class → its handler, as the app installs them.
EXCEPTION_HANDLERS: Mapping[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
    DocgenError: _docgen_error,
    JobFailed: _job_failed,
    StarletteHTTPException: _http_error,
    RequestValidationError: _validation_error,
}
