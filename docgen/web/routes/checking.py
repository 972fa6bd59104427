"""``/api/check`` and ``/api/fix``: an uploaded ``.docx`` checked, or fixed, against a template.

The route reads the upload, the template's name and whether to draw page previews (the
upload's first pages, and the fixed document's: ``preview``, ``fixed_preview``, with
``preview_error`` saying why there are none where LibreOffice or pdftoppm is missing); the
work (reading the document, the check, the import and re-render of a fix, the previews) runs
in the worker pool (:mod:`docgen.web.fixwork`).
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from docgen.i18n import lazy
from docgen.web import schemas
from docgen.web.errors import RequestError
from docgen.web.fixwork import DocxJob, check_job, fix_job
from docgen.web.http import content_disposition, upload_name
from docgen.web.openapi import GUARDED, errors
from docgen.web.service import ServiceDep
from docgen.web.work import check_template_name

__all__ = ["router"]

_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

router = APIRouter()

_File = Annotated[UploadFile, File(description="要检查或修正的 Word 文档（.docx）/ a .docx")]
_Template = Annotated[
    str, Form(description="模板名，默认 official（GB/T 9704 公文）/ the template's name")
]


_Preview = Annotated[
    bool,
    Form(description="同时返回文档前几页的预览图（需 LibreOffice 与 pdftoppm）/ page previews too"),
]


async def _job(service: ServiceDep, file: UploadFile, template: str, preview: bool) -> DocxJob:
    check_template_name(template)
    name = upload_name(file.filename, "document.docx")
    suffix = Path(name).suffix.lower()
    if suffix != ".docx":
        raise RequestError(
            lazy("is not a .docx"),
            status=415,
            where=lazy("file {name}", name=repr(name)),
            expected=lazy(".docx (save a .doc or .wps as .docx in Word or WPS first)"),
            found=repr(suffix) if suffix else lazy("no suffix"),
            code="request.unsupported_type",
        )
    s = service.settings
    content = await file.read()
    return DocxJob(
        name, content, template, s.template_dirs, preview, s.preview_pages, s.preview_dpi
    )


@router.post(
    "/check",
    tags=["documents"],
    response_model=schemas.CheckResponse,
    responses=errors(*GUARDED, 400, 404, 413, 415, 422, 503, 504),
)
async def check_document(
    request: Request,
    service: ServiceDep,
    file: _File,
    template: _Template = "official",
    preview: _Preview = False,
) -> dict[str, Any]:
    """检查文档是否符合模板的规范 / where a .docx departs from a template's conventions."""
    job = await _job(service, file, template, preview)
    result: dict[str, Any] = await service.pool.run(check_job, job, gone=request.is_disconnected)
    return result


@router.post(
    "/fix",
    tags=["documents"],
    response_model=schemas.FixResponse,
    responses={
        200: {
            "content": {"application/json": {}, _DOCX: {}},
            "description": "JSON（含 Base64 文档），或 output=docx 时为 .docx 本身，"
            "X-Docgen-Changes 为改动数 / JSON, or the .docx itself with output=docx",
        },
        **errors(*GUARDED, 400, 404, 413, 415, 422, 503, 504),
    },
)
async def fix_document(
    request: Request,
    service: ServiceDep,
    file: _File,
    template: _Template = "official",
    output: Annotated[
        Literal["json", "docx"],
        Form(description="json（默认：改动与 Base64 文档）或 docx（文档本身）/ what to return"),
    ] = "json",
    preview: _Preview = False,
) -> Any:
    """按模板修正文档：标点、日期、序号、格式 / re-lay a .docx out by a template."""
    job = await _job(service, file, template, preview and output == "json")
    result: dict[str, Any] = await service.pool.run(fix_job, job, gone=request.is_disconnected)
    if output == "json":
        return result
    headers = {
        "Content-Disposition": content_disposition(result["filename"]),
        "X-Docgen-Template": result["template"],
        "X-Docgen-Changes": str(len(result["changes"])),
    }
    return Response(base64.b64decode(result["document"]), media_type=_DOCX, headers=headers)
