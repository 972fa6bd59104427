"""``/api/render``, ``/api/preview`` and ``/api/import``: one document in or out per request.

A route reads and checks the request, then hands the job to the worker pool
(:mod:`docgen.web.work`); the docgen error a job raises becomes the response.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from docgen.i18n import lazy
from docgen.web import schemas
from docgen.web.errors import RequestError
from docgen.web.http import content_disposition, parse_json_object, render_options, upload_name
from docgen.web.openapi import GUARDED, body_schema, errors
from docgen.web.service import Service, ServiceDep
from docgen.web.work import (
    IMPORT_SUFFIXES,
    ImportJob,
    RenderJob,
    check_template_name,
    import_job,
    render_job,
)

__all__ = ["router"]

_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

router = APIRouter()


async def _render_job(request: Request, service: Service, output: str | None) -> RenderJob:
    options = render_options(
        parse_json_object(await request.body(), request.headers.get("content-type"))
    )
    check_template_name(options["template"])
    s = service.settings
    return RenderJob(
        template=options["template"],
        template_dirs=s.template_dirs,
        data=options["data"],
        numbering=options["numbering"],
        normalize_punctuation=options["normalize_punctuation"],
        output=output or options["output"],
        filename=options["filename"],
        pages=s.preview_pages,
        dpi=s.preview_dpi,
    )


@router.post(
    "/render",
    tags=["documents"],
    openapi_extra=body_schema("RenderRequest"),
    response_class=Response,
    responses={
        200: {
            "content": {_DOCX: {}, "application/pdf": {}},
            "description": "文档，Content-Disposition 中带中文文件名 / the document",
        },
        **errors(*GUARDED, 400, 404, 413, 415, 422, 503, 504),
    },
)
async def render_document(request: Request, service: ServiceDep) -> Response:
    """生成 .docx 或 .pdf / render a report (or a plain template's data) into a document."""
    job = await _render_job(request, service, None)
    rendered = await service.pool.run(render_job, job, gone=request.is_disconnected)
    headers = {
        "Content-Disposition": content_disposition(rendered.filename),
        "X-Docgen-Template": rendered.template,
        "X-Docgen-Warnings": str(len(rendered.warnings)),
    }
    return Response(rendered.content, media_type=rendered.media_type, headers=headers)


@router.post(
    "/preview",
    tags=["documents"],
    openapi_extra=body_schema("RenderRequest"),
    response_model=schemas.PreviewResponse,
    responses=errors(*GUARDED, 400, 404, 413, 415, 422, 503, 504),
)
async def preview(request: Request, service: ServiceDep) -> dict[str, Any]:
    """页面预览：各页 PNG（经 LibreOffice）/ the document's pages as PNG data: URLs."""
    job = await _render_job(request, service, "png")
    rendered = await service.pool.run(render_job, job, gone=request.is_disconnected)
    return {
        "pages": [
            "data:image/png;base64," + base64.b64encode(page).decode("ascii")
            for page in rendered.pages
        ],
        "more_pages": rendered.more_pages,
        "warnings": list(rendered.warnings),
        "template": rendered.template,
    }


_IMPORT_KINDS = {"text": ".txt", "markdown": ".md", "docx": ".docx"}


@router.post(
    "/import",
    tags=["documents"],
    response_class=JSONResponse,
    responses={
        200: {"model": schemas.ImportResponse},
        **errors(*GUARDED, 400, 413, 415, 422, 503, 504),
    },
)
async def import_document(
    request: Request,
    service: ServiceDep,
    file: Annotated[
        UploadFile | None,
        File(description="上传 .txt .md .docx（.doc .wps .rtf .odt 需 LibreOffice）/ a file"),
    ] = None,
    text: Annotated[str | None, Form(description="或粘贴的文字 / or pasted text")] = None,
    format: Annotated[  # noqa: A002 - the CLI's name for it
        Literal["text", "markdown", "docx"] | None,
        Form(description="text、markdown 或 docx（默认按文件后缀）/ what the input is"),
    ] = None,
    normalize_punctuation: Annotated[
        bool, Form(description="半角标点改为全角 / full-width punctuation")
    ] = False,
) -> JSONResponse:
    """导入已有文字，识别标题、各级标题、落款 / read text, Markdown or .docx into a report."""
    if (file is None) == (text is None):
        raise RequestError(
            lazy("needs either a file or text, not both") if file else lazy("needs a file or text"),
            where="file, text",
            expected=lazy("a file upload (file=@小结.docx) or a text field (text=…)"),
            code="request.missing_field",
        )
    if file is not None:
        name = upload_name(file.filename)
        suffix = _IMPORT_KINDS[format] if format else Path(name).suffix.lower()
        if suffix not in IMPORT_SUFFIXES:
            raise RequestError(
                lazy("is not a kind of file docgen imports"),
                status=415,
                where=lazy("file {name}", name=repr(name)),
                expected=lazy("one of {allowed}", allowed=", ".join(IMPORT_SUFFIXES)),
                found=repr(suffix) if suffix else lazy("no suffix"),
                code="request.unsupported_type",
            )
        job = ImportJob(
            suffix, name, content=await file.read(), normalize_punctuation=normalize_punctuation
        )
    else:
        kind = format or "text"
        if kind == "docx":
            raise RequestError(
                lazy("cannot be pasted text"),
                where="format",
                expected=lazy("text or markdown for text"),
            )
        job = ImportJob(
            kind, "pasted text", text=text or "", normalize_punctuation=normalize_punctuation
        )
    result = await service.pool.run(import_job, job, gone=request.is_disconnected)
    return JSONResponse(result)
