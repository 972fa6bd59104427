"""The OpenAPI bits: the API's description and tags, the bearer scheme, the documented errors.

The routes document themselves; this module holds what they share, and
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

__all__ = ["API_ERRORS", "BEARER", "DESCRIPTION", "TAGS", "body_schema", "openapi_builder"]

#: The API's introduction in ``/docs``.
DESCRIPTION = """\
docgen 的 HTTP/JSON 接口：把报告数据按 Word 模板生成规范的中文文档（.docx / .pdf），导入已有文字，
按表格批量生成。出错时返回 JSON：`{error, message, where, expected, found}`（与
`DocgenError.to_dict()` 相同），`where` 写明字段路径（如 `data: sections[1].title`）或模板位置。

docgen's HTTP/JSON API: render reports into Chinese Word documents through templates, import
existing text, and render a spreadsheet into a zip of documents.  Errors are JSON with the
fields of `DocgenError.to_dict()`.  See docs/web.md.
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

#: The error answers every ``/api/`` route may give, documented once.
API_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": schemas.ErrorBody, "description": text}
    for code, text in {
        400: "请求格式错误（不是 JSON、模板名含路径…）/ malformed request",
        401: "缺少令牌 / no token",
        403: "令牌错误 / wrong token",
        404: "没有这个模板或任务 / no such template or job",
        413: "请求过大 / request too large",
        415: "不支持的内容类型或文件类型 / unsupported type",
        422: "数据或模板有误（写明字段路径）/ the data or template is wrong",
        503: "服务繁忙或缺少 LibreOffice / busy, or LibreOffice missing",
        504: "超过时间限制 / time limit passed",
    }.items()
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
