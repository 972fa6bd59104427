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
from docgen.i18n import _, current_language, lazy
from docgen.web.errors import RequestError, status_of
from docgen.web.http import describe
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

#: Starlette's own texts (lower-cased, as the body shows them), translated when shown.
_HTTP_TEXTS = {
    "not found": lazy("not found"),
    "method not allowed": lazy("method not allowed"),
    "cannot be served": lazy("cannot be served"),
}

#: pydantic's common error types, as msgids that read exactly as pydantic's own English
#: (``{placeholders}`` from the error's ``ctx``); under English pydantic's text is kept as is.
_PYDANTIC = {
    "missing": lazy("Field required"),
    "string_type": lazy("Input should be a valid string"),
    "int_type": lazy("Input should be a valid integer"),
    "int_parsing": lazy("Input should be a valid integer, unable to parse string as an integer"),
    "float_type": lazy("Input should be a valid number"),
    "float_parsing": lazy("Input should be a valid number, unable to parse string as a number"),
    "bool_type": lazy("Input should be a valid boolean"),
    "bool_parsing": lazy("Input should be a valid boolean, unable to interpret input"),
    "dict_type": lazy("Input should be a valid dictionary"),
    "model_type": lazy("Input should be a valid dictionary or instance of {class_name}"),
    "model_attributes_type": lazy(
        "Input should be a valid dictionary or object to extract fields from"
    ),
    "list_type": lazy("Input should be a valid list"),
    "json_invalid": lazy("JSON decode error"),
    "json_type": lazy("JSON input should be string, bytes or bytearray"),
    "extra_forbidden": lazy("Extra inputs are not permitted"),
    "literal_error": lazy("Input should be {expected}"),
    "enum": lazy("Input should be {expected}"),
    "string_too_short": lazy("String should have at least {min_length} characters"),
    "string_too_long": lazy("String should have at most {max_length} characters"),
    "too_short": lazy(
        "{field_type} should have at least {min_length} items after validation, not {actual_length}"
    ),
    "too_long": lazy(
        "{field_type} should have at most {max_length} items after validation, not {actual_length}"
    ),
    "greater_than": lazy("Input should be greater than {gt}"),
    "greater_than_equal": lazy("Input should be greater than or equal to {ge}"),
    "less_than": lazy("Input should be less than {lt}"),
    "less_than_equal": lazy("Input should be less than or equal to {le}"),
    "string_pattern_mismatch": lazy("String should match pattern '{pattern}'"),
    "value_error": lazy("Value error, {error}"),
    "assertion_error": lazy("Assertion failed, {error}"),
    "none_required": lazy("Input should be None"),
    "int_from_float": lazy("Input should be a valid integer, got a number with a fractional part"),
    "int_parsing_size": lazy("Unable to parse input string as an integer, exceeded maximum size"),
    "finite_number": lazy("Input should be a finite number"),
    "multiple_of": lazy("Input should be a multiple of {multiple_of}"),
    "string_unicode": lazy(
        "Input should be a valid string, unable to parse raw data as a unicode string"
    ),
    "string_sub_type": lazy("Input should be a string, not an instance of a subclass of str"),
    "string_not_ascii": lazy("String should contain only ASCII characters"),
    "bytes_type": lazy("Input should be a valid bytes"),
    "tuple_type": lazy("Input should be a valid tuple"),
    "set_type": lazy("Input should be a valid set"),
    "frozen_set_type": lazy("Input should be a valid frozenset"),
    "iterable_type": lazy("Input should be iterable"),
    "invalid_key": lazy("Keys should be strings"),
    "dataclass_type": lazy("Input should be a dictionary or an instance of {class_name}"),
    "union_tag_invalid": lazy(
        "Input tag '{tag}' found using {discriminator} does not match any of the expected tags: "
        "{expected_tags}"
    ),
    "union_tag_not_found": lazy("Unable to extract tag using discriminator {discriminator}"),
    "date_type": lazy("Input should be a valid date"),
    "date_parsing": lazy("Input should be a valid date in the format YYYY-MM-DD, {error}"),
    "date_from_datetime_parsing": lazy("Input should be a valid date or datetime, {error}"),
    "date_from_datetime_inexact": lazy(
        "Datetimes provided to dates should have zero time - e.g. be exact dates"
    ),
    "datetime_type": lazy("Input should be a valid datetime"),
    "datetime_parsing": lazy("Input should be a valid datetime, {error}"),
    "datetime_from_date_parsing": lazy("Input should be a valid datetime or date, {error}"),
    "time_type": lazy("Input should be a valid time"),
    "time_parsing": lazy("Input should be in a valid time format, {error}"),
    "url_type": lazy("URL input should be a string or URL"),
    "url_parsing": lazy("Input should be a valid URL, {error}"),
    "url_syntax_violation": lazy("Input violated strict URL syntax rules, {error}"),
    "url_too_long": lazy("URL should have at most {max_length} characters"),
    "url_scheme": lazy("URL scheme should be {expected_schemes}"),
    "uuid_type": lazy("UUID input should be a string, bytes or UUID object"),
    "uuid_parsing": lazy("Input should be a valid UUID, {error}"),
    "decimal_parsing": lazy("Input should be a valid decimal"),
    "recursion_loop": lazy("Recursion error - cyclic reference detected"),
}

#: The error types whose ``input`` is not the refused value (a missing field: its parent).
_NO_INPUT = frozenset({"missing", "missing_argument", "missing_keyword_only_argument"})


def _pydantic_message(item: Mapping[str, Any]) -> str:
    """The message of one pydantic error: its own English, or the translation of its type.

    A type docgen has no translation for reads, under Chinese, as a Chinese sentence naming
    the type; the problem's ``expected`` then keeps pydantic's English (:func:`_expected`).
    """
    english = str(item["msg"]) if "msg" in item else _("is not valid")
    kind = str(item.get("type", ""))
    if current_language() == "en":
        return english
    template = _PYDANTIC.get(kind)
    if template is not None:
        ctx = {key: str(value) for key, value in (item.get("ctx") or {}).items()}
        try:
            return _(template.msgid, **ctx)
        except (KeyError, IndexError, ValueError):  # a ctx this template does not know
            pass
    # TRANSLATORS: a request's field refused by a check docgen has no words for; {type} is the
    # check's name (pydantic's error type, such as "bytes_too_long")
    return _("is not what this field accepts (check {type})", type=kind or "?")


def _expected(item: Mapping[str, Any]) -> str | None:
    """The English pydantic gave, as ``expected``, when the message cannot say it in Chinese."""
    if current_language() == "en" or str(item.get("type", "")) in _PYDANTIC:
        return None
    return str(item["msg"]) if "msg" in item else None


def _found(item: Mapping[str, Any]) -> str | None:
    """The value a request gave where pydantic refused it, described (``3 (an int)``)."""
    if "input" not in item or str(item.get("type", "")) in _NO_INPUT:
        return None
    return str(describe(item["input"]))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if isinstance(exc.detail, dict) and "error" in exc.detail:
        body = exc.detail
    else:
        body = RequestError(
            _http_text(str(exc.detail).rstrip(".").lower() if exc.detail else "cannot be served"),
            status=exc.status_code,
            where=f"{request.method} {request.url.path}",
            code=_HTTP_CODES.get(exc.status_code),
        ).to_dict()
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


def _http_text(text: str) -> Any:
    return _HTTP_TEXTS.get(text, text)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    listed_ = []
    for item in exc.errors():
        loc = [str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path")]
        where_, message_ = ".".join(loc), _pydantic_message(item)
        problems.append((where_, message_))
        listed_.append(
            Problem(
                _VALIDATION_CODE,
                pointer(where_) if where_ else "",
                message_[:1].lower() + message_[1:],
                expected=_expected(item),
                found=_found(item),
            )
        )
    listed = tuple(listed_)
    where, message = problems[0] if problems else ("", _("is not valid"))
    if len(problems) > 1:
        message = _(
            "has {n} problems: {problems}",
            n=len(problems),
            problems=_("; ").join(
                _("{where}: {message}", where=w or _("request"), message=m) for w, m in problems
            ),
        )
        where = ""
    only = listed[0] if len(listed) == 1 else None
    error = RequestError(
        message[:1].lower() + message[1:],
        where=where or _("request"),
        expected=only.expected if only else None,
        found=only.found if only else None,
        code=_VALIDATION_CODE,
        problems=listed,
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
