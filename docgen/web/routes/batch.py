"""``/api/batch``: one document per record of a spreadsheet, in a zip; background jobs.

The batch itself runs in :mod:`docgen.web.jobs`; these routes start it, report its progress
and hand out its zip.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.background import BackgroundTask

from docgen.i18n import lazy
from docgen.web import schemas
from docgen.web.errors import RequestError
from docgen.web.http import content_disposition, upload_name
from docgen.web.jobs import BatchJob, check_pattern, record_suffix, run_batch
from docgen.web.openapi import GUARDED, errors
from docgen.web.service import ServiceDep
from docgen.web.work import check_template_name, load_template

__all__ = ["router"]

router = APIRouter()


@router.post(
    "/batch",
    tags=["batch"],
    response_class=Response,
    responses={
        200: {
            "content": {"application/zip": {}},
            "description": "zip：每条记录一份文档，另有 report.json 逐条报告 / the zip",
        },
        202: {"model": schemas.BatchJob, "description": "后台任务已开始 / the job started"},
        **errors(*GUARDED, 400, 404, 413, 415, 422, 503, 504),
    },
)
async def batch(
    request: Request,
    service: ServiceDep,
    file: Annotated[UploadFile, File(description="记录表 .csv .xlsx .json .yaml / records")],
    template: Annotated[str, Form(description="模板名称 / template name")],
    name: Annotated[
        str | None,
        Form(description="文件名模式，如 {student.class}-{student.name}.docx / file names"),
    ] = None,
    format: Annotated[  # noqa: A002 - the CLI's name for it
        Literal["csv", "xlsx", "json", "yaml", "yml"] | None,
        Form(description="记录表格式（默认按文件后缀）/ the file's format"),
    ] = None,
    numbering: Annotated[
        Literal["SCHOOL", "GBT9704", "DECIMAL"] | None, Form(description="编号方案 / numbering")
    ] = None,
    output: Annotated[
        Literal["docx", "pdf", "pdfa"],
        Form(description="文档格式：docx、pdf 或 pdfa（PDF 需要 LibreOffice）/ documents' format"),
    ] = "docx",
    normalize_punctuation: Annotated[bool, Form(description="全角标点 / punctuation")] = False,
    background: Annotated[
        bool,
        Form(description="后台运行，返回任务编号，用 GET /api/batch/{job} 查询进度 / run as a job"),
    ] = False,
) -> Response:
    """批量生成：每条记录一份文档，打包为 zip / one document per record, in a zip."""
    uploaded = upload_name(file.filename, "records")
    suffix = record_suffix(uploaded, format)
    check_template_name(template)
    check_pattern(name, has_title=False)
    tpl = await asyncio.to_thread(load_template, template, service.settings.template_dirs)
    options: dict[str, Any] = {"normalize_punctuation": normalize_punctuation}
    if numbering:
        options["numbering"] = numbering
    job = BatchJob(tpl, await file.read(), suffix, uploaded, name, options, output)
    if background:
        service.jobs.start(job, service.batch_workers, service.settings)
        location = _progress_path(request, job.id)
        return JSONResponse(
            job.progress(_api_base(location)), status_code=202, headers={"Location": location}
        )
    try:
        await run_batch(job, service.batch_workers, service.settings, service.jobs.turn)
    except BaseException:
        job.remove()
        raise
    if job.state != "done":
        job.remove()
        return JSONResponse(job.error, status_code=job.status)
    return _zip_response(job, BackgroundTask(job.remove))


def _progress_path(request: Request, job_id: str) -> str:
    """The path of a job's progress, ``GET /api/batch/{job}`` (under any root path)."""
    return request.url_for("batch_progress", job=job_id).path


def _api_base(progress_path: str) -> str:
    """The API's prefix, from a job's progress path: what the job's download URL starts with."""
    return progress_path.rsplit("/batch/", 1)[0]


def _zip_response(job: BatchJob, cleanup: BackgroundTask | None) -> FileResponse:
    headers = {
        "Content-Disposition": content_disposition(f"{job.template.name}.zip"),
        "X-Docgen-Records": str(job.total),
        "X-Docgen-Written": str(job.written),
        "X-Docgen-Failed": str(job.total - job.written),
    }
    return FileResponse(
        job.zip_path, media_type="application/zip", headers=headers, background=cleanup
    )


@router.get(
    "/batch/{job}",
    response_model=schemas.BatchJob,
    tags=["batch"],
    responses=errors(*GUARDED, 404, 422),
)
async def batch_progress(job: str, request: Request, service: ServiceDep) -> dict[str, Any]:
    """批量任务进度：已完成/总数、失败的记录 / a background batch's progress."""
    found = service.jobs.get(job)
    return found.progress(_api_base(_progress_path(request, found.id)))


@router.get(
    "/batch/{job}/download",
    tags=["batch"],
    response_class=Response,
    responses={
        200: {"content": {"application/zip": {}}, "description": "zip"},
        **errors(*GUARDED, 404, 409, 422, 503, 504),
    },
)
async def batch_download(job: str, service: ServiceDep) -> Response:
    """下载批量任务的 zip / the finished job's zip."""
    found = service.jobs.get(job)
    if found.state == "failed":
        return JSONResponse(found.error, status_code=found.status)
    if found.state != "done":
        raise RequestError(
            lazy("is not finished"),
            status=409,
            where=lazy("job {job}", job=found.id),
            expected=lazy("GET /api/batch/{job} to say state: done first"),
            found=lazy(
                "state {state}, {done} of {total} records",
                state=found.state,
                done=found.done,
                total=found.total,
            ),
            code="batch.not_finished",
        )
    return _zip_response(found, None)
