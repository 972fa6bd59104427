"""``/api/templates``: the templates the service knows, one in detail, and its preview."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from docgen.web import schemas
from docgen.web.openapi import GUARDED, errors
from docgen.web.service import ServiceDep
from docgen.web.work import check_template_name

__all__ = ["router"]

router = APIRouter()


@router.get(
    "/templates",
    response_model=list[schemas.TemplateSummary],
    tags=["templates"],
    responses=errors(*GUARDED),
)
async def list_templates(service: ServiceDep) -> list[dict[str, Any]]:
    """模板列表 / every template the service knows (built-in, --template-dir, installed)."""
    return await asyncio.to_thread(service.template_list)


@router.get(
    "/templates/{name}",
    response_model=schemas.TemplateInfo,
    tags=["templates"],
    responses=errors(*GUARDED, 400, 404, 422),
)
async def template_info(name: str, request: Request, service: ServiceDep) -> dict[str, Any]:
    """模板详情：名称、说明、编号、字段、示例数据、预览图 / a template's manifest and example."""
    check_template_name(name, where="path")
    preview = request.url_for("template_preview", name=name).path
    return await asyncio.to_thread(service.template_info, name, preview)


@router.get(
    "/templates/{name}/preview.png",
    tags=["templates"],
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}}, "description": "第一页 / page 1 as PNG"},
        **errors(*GUARDED, 400, 404, 422, 503, 504),
    },
)
async def template_preview(name: str, service: ServiceDep) -> Response:
    """模板第一页的预览图（用示例数据，经 LibreOffice 生成并缓存）/ page 1 of the example."""
    check_template_name(name, where="path")
    png = await service.template_preview(name)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})
