"""The OpenAPI bits: the API's description and tags, the bearer scheme, the documented errors.

The routes document themselves; this module holds what they share: :func:`errors` documents
the error answers one route can give (each with :class:`~docgen.web.schemas.ErrorBody`), and
:func:`openapi_builder` adds the request models docgen reads itself (``RenderRequest``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.security import HTTPBearer
from pydantic.json_schema import models_json_schema

from docgen.web import schemas

__all__ = [
    "BEARER",
    "DESCRIPTION",
    "ERROR_STATUSES",
    "TAGS",
    "body_schema",
    "errors",
    "openapi_builder",
]

#: The API's introduction in ``/docs``.
DESCRIPTION = """\
docgen 的 HTTP/JSON 接口：把报告数据按 Word 模板生成规范的中文文档（.docx / .pdf），导入已有文字，
按表格批量生成。出错时返回 JSON：`{code, error, message, where, expected, found, problems}`（与
`DocgenError.to_dict()` 相同）：`code` 是稳定的错误代码（见 docs/errors.md），`where` 写明字段路径
（如 `data: sections[1].title`）或模板位置，数据有多处问题时 `problems` 逐条列出（每条带代码和
`/sections/1/title` 这样的路径）。

docgen's HTTP/JSON API: render reports into Chinese Word documents through templates, import
existing text, and render a spreadsheet into a zip of documents.  Errors are JSON with the
fields of `DocgenError.to_dict()`: a stable `code` for programs (docs/errors.md lists them),
and `problems`, one item per problem, when the data has several.  Every operation lists the
error statuses it can answer with.  A method a path does not have is a 405
(`request.method_not_allowed`).  See docs/web.md.
"""

#: The groups of routes in ``/docs``.
TAGS: list[dict[str, Any]] = [
    {"name": "documents", "description": "生成、预览、导入 / render, preview, import"},
    {"name": "templates", "description": "模板 / templates"},
    {"name": "batch", "description": "批量生成 / many documents"},
    {"name": "service", "description": "服务状态 / the service"},
]

#: The token every ``/api/`` route takes (checked by :class:`~docgen.web.guard.Guard`).
BEARER = HTTPBearer(
    auto_error=False,
    description="只在服务以 --token 或 DOCGEN_TOKEN 启动时需要 / needed only when the service "
    "was started with --token or DOCGEN_TOKEN",
)

#: Each error status the service answers with, and what it means.
ERROR_STATUSES: dict[int, str] = {
    400: "请求格式错误（不是 JSON、表单损坏、模板名含路径…）/ malformed request",
    401: "缺少令牌（服务要求令牌时）/ no token, where the service requires one",
    403: "令牌错误，或来自其他网站、其他主机名 / wrong token, another site's page, unknown Host",
    404: "没有这个模板或任务 / no such template or job",
    409: "任务尚未完成 / the job is not finished",
    413: "请求过大 / request too large",
    415: "不支持的内容类型或文件类型 / unsupported type",
    422: "数据或模板有误（写明字段路径）/ the data or template is wrong",
    500: "docgen 内部错误（只给出事件编号）/ a bug in docgen: an incident id only",
    503: "服务繁忙，或缺少 LibreOffice、进程中止 / busy, LibreOffice missing, a worker died",
    504: "超过时间限制 / time limit passed",
}

#: What the guard may answer any ``/api/`` request with (a token, Host and Origin checks).
GUARDED = (401, 403, 500)


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route that may answer with *statuses*, each an :class:`ErrorBody`.

    >>> sorted(errors(404, 422))
    [404, 422]
    """
    return {
        status: {"model": schemas.ErrorBody, "description": ERROR_STATUSES[status]}
        for status in sorted(statuses)
    }


def body_schema(model: str) -> dict[str, Any]:
    """``openapi_extra`` for a route whose JSON body docgen reads itself: the *model*'s schema."""
    ref = {"$ref": f"#/components/schemas/{model}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


def openapi_builder(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The OpenAPI schema, with the request models that are documented but read by docgen."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            _, defs = models_json_schema(
                [(schemas.RenderRequest, "validation")],
                ref_template="#/components/schemas/{model}",
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for key, value in defs.get("$defs", {}).items():
                components.setdefault(key, value)
            app.openapi_schema = schema
        return app.openapi_schema

    return build
