"""HTTP details with no framework in them: file names in headers, reading a JSON request.

Kept apart from the routes so they can be tested (and read) on their own.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from docgen.cn.numbering import NumberingScheme
from docgen.errors import ConventionError, Text
from docgen.files import safe_filename
from docgen.i18n import lazy, lazy_ngettext
from docgen.registry import DEFAULT_TEMPLATE
from docgen.web.errors import RequestError

__all__ = [
    "RENDER_KEYS",
    "content_disposition",
    "describe",
    "parse_json_object",
    "render_options",
    "upload_name",
]

#: The keys of a ``/api/render`` or ``/api/preview`` request.
RENDER_KEYS = ("template", "format", "numbering", "normalize_punctuation", "filename", "data")


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """A ``Content-Disposition`` value any browser and HTTP client reads (RFC 6266, RFC 5987).

    ``filename=`` holds an ASCII stand-in for old clients; ``filename*=`` the real, UTF-8 name.

    >>> print(content_disposition("工作小结.docx"))
    attachment; filename="document.docx"; filename*=UTF-8''%E5%B7%A5%E4%BD%9C%E5%B0%8F%E7%BB%93.docx
    >>> print(content_disposition("2013 summary 小结.docx"))
    attachment; filename="2013 summary.docx"; filename*=UTF-8''2013%20summary%20%E5%B0%8F%E7%BB%93.docx
    >>> print(content_disposition("summary.docx"))
    attachment; filename="summary.docx"
    """  # noqa: E501
    name = safe_filename(filename)
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    ascii_stem = re.sub(r"[^A-Za-z0-9._ ()-]+", "_", stem).strip("_ ")
    if not re.search(r"[A-Za-z0-9]", ascii_stem):
        ascii_stem = "document"
    fallback = ascii_stem + dot + re.sub(r"[^A-Za-z0-9]", "", suffix)
    value = f'{disposition}; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


def upload_name(filename: str | None, default: str = "upload") -> str:
    r"""The base name of an uploaded file as the client named it (for messages only).

    >>> upload_name("C:/Users/王老师/名单.xlsx"), upload_name("../../x.csv"), upload_name(None)
    ('名单.xlsx', 'x.csv', 'upload')
    >>> upload_name(r"C:\Users\王老师\名单.xlsx")
    '名单.xlsx'
    """
    if not filename:
        return default
    name = PureWindowsPath(PurePosixPath(filename).name).name.strip()
    return name[:120] or default


def describe(value: object) -> Text:
    """A value as an error's ``found``: ``3 (an int)``, ``a list of 2 items``.

    Translated when shown (:func:`~docgen.i18n.lazy`).

    >>> [str(describe(v)) for v in (3, [1, 2], None, {"a": 1})]
    ['3 (an int)', 'a list of 2 items', 'null', 'an object with keys a']
    """
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        keys = ", ".join(map(str, list(value)[:5]))
        return lazy("an object with keys {keys}", keys=keys) if value else lazy("an empty object")
    if isinstance(value, list):
        return lazy_ngettext("a list of {n} item", "a list of {n} items", len(value))
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "…" + text[-1]
    kind = type(value).__name__
    if kind[:1] in "aeiou":
        return lazy("{value} (an {kind})", value=text, kind=kind)
    return lazy("{value} (a {kind})", value=text, kind=kind)


def parse_json_object(raw: bytes, content_type: str | None) -> dict[str, Any]:
    """The JSON object a request body holds.

    Raises:
        RequestError: not JSON (415), not UTF-8, empty or malformed (400, with the line and
            column), or not an object (400).
    """
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise RequestError(
            lazy("must be JSON"),
            status=415,
            where="Content-Type",
            expected=lazy("application/json"),
            found=media or lazy("no Content-Type"),
            code="request.unsupported_type",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RequestError(
            lazy("is not UTF-8"),
            status=400,
            where=lazy("request body"),
            expected=lazy("JSON in UTF-8"),
            found=lazy("byte {raw:#04x} at offset {start}", raw=raw[exc.start], start=exc.start),
            code="request.malformed",
        ) from None
    if not text.strip():
        raise RequestError(
            lazy("is empty"),
            status=400,
            where=lazy("request body"),
            expected=lazy("a JSON object"),
            code="request.malformed",
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RequestError(
            lazy("is not valid JSON: {msg}", msg=exc.msg),
            status=400,
            where=lazy(
                "request body, line {line}, column {column}", line=exc.lineno, column=exc.colno
            ),
            expected=lazy("a JSON object"),
            code="request.malformed",
        ) from None
    if not isinstance(data, dict):
        raise RequestError(
            lazy("must be a JSON object"),
            status=400,
            where=lazy("request body"),
            expected=lazy('{"template": …, "data": {…}}'),
            found=describe(data),
            code="request.malformed",
        )
    return data


def render_options(body: Mapping[str, Any]) -> dict[str, Any]:
    """The checked fields of a render request (see :class:`~docgen.web.schemas.RenderRequest`).

    >>> render_options({"data": {"title": "题"}, "numbering": "gb/t 9704"})["numbering"]
    'GBT9704'
    >>> render_options({"data": {}, "fromat": "pdf"})
    Traceback (most recent call last):
    ...
    docgen.web.errors.RequestError: fromat: is not a field of a render request (did you mean format?); expected template, format, numbering, normalize_punctuation, filename, data
    """  # noqa: E501
    for key in body:
        if key not in RENDER_KEYS:
            close = difflib.get_close_matches(str(key), RENDER_KEYS, n=1, cutoff=0.6)
            hint = lazy(" (did you mean {close}?)", close=close[0]) if close else ""
            raise RequestError(
                lazy("is not a field of a render request{hint}", hint=hint),
                where=str(key),
                expected=", ".join(RENDER_KEYS),
                code="request.unknown_field",
            )
    fmt = body.get("format", "docx")
    if fmt not in ("docx", "pdf"):
        raise RequestError(
            lazy("is not an output format"),
            where="format",
            expected=lazy("docx or pdf"),
            found=describe(fmt),
        )
    numbering = body.get("numbering")
    if numbering is not None:
        try:
            numbering = NumberingScheme.preset(numbering).name
        except ConventionError:
            raise RequestError(
                lazy("is not a numbering scheme"),
                where="numbering",
                expected=lazy("SCHOOL, GBT9704 or DECIMAL (or null for the template's own)"),
                found=describe(numbering),
            ) from None
    normalize = body.get("normalize_punctuation", False)
    if not isinstance(normalize, bool):
        raise RequestError(
            lazy("must be true or false"), where="normalize_punctuation", found=describe(normalize)
        )
    filename = body.get("filename")
    if filename is not None and (not isinstance(filename, str) or len(filename) > 120):
        raise RequestError(
            lazy("must be a file name of at most 120 characters"),
            where="filename",
            found=describe(filename),
        )
    if "data" not in body:
        raise RequestError(
            lazy("is missing"),
            where="data",
            expected=lazy("the report (or the plain template's data)"),
            code="request.missing_field",
        )
    data = body["data"]
    if not isinstance(data, dict):
        raise RequestError(
            lazy("must be a JSON object"),
            where="data",
            expected=lazy("the report: {title, sections, …}, or a plain template's fields"),
            found=describe(data),
        )
    # the request's template, else the one the data names (as a data file may), else the default
    template = body.get("template")
    if template is None:
        named = data.get("template")
        template = named if isinstance(named, str) and named.strip() else DEFAULT_TEMPLATE
    return {
        "template": template,
        "output": fmt,
        "numbering": numbering,
        "normalize_punctuation": normalize,
        "filename": filename,
        "data": data,
    }
