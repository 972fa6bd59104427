"""The FastAPI application: the JSON API under ``/api/``, ``/healthz``, and the page at ``/``.

:func:`create_app` builds one service from :class:`~docgen.web.settings.Settings`.  Routes are
thin: they read the request, hand a job to the worker pool (:mod:`docgen.web.work`) and turn
the result, or the docgen error, into a response.
"""

from __future__ import annotations

import asyncio
import base64
import hmac
import logging
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, File, Form, Request, Security, UploadFile
from fastapi.exceptions import HTTPException, RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic.json_schema import models_json_schema
from starlette.background import BackgroundTask
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from docgen import __version__, registry
from docgen.errors import DocgenError
from docgen.pdf import PdfError, find_soffice
from docgen.template import Template
from docgen.web import schemas
from docgen.web.errors import AuthError, RequestError, internal_error_body, status_of
from docgen.web.http import content_disposition, parse_json_object, render_options, upload_name
from docgen.web.jobs import BatchJob, JobStore, check_pattern, record_suffix, run_batch
from docgen.web.pool import JobFailed, WorkerPool
from docgen.web.settings import Settings
from docgen.web.work import (
    IMPORT_SUFFIXES,
    ImportJob,
    RenderJob,
    check_template_name,
    example_for,
    find_template,
    import_job,
    load_template,
    render_job,
    template_preview_job,
)

__all__ = ["STATIC_DIR", "Service", "create_app"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
log = logging.getLogger("docgen.web")

_CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# --- the service behind the routes ----------------------------------------------------------


class Service:
    """One running service: its settings, worker pool, batch jobs and preview cache."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool: WorkerPool | None = None
        self.jobs = JobStore(settings.job_ttl)
        self._previews: dict[tuple[str, str, int, int], bytes] = {}
        self._preview_locks: dict[str, asyncio.Lock] = {}

    @property
    def pool(self) -> WorkerPool:
        """The worker pool (made on first use, in the running event loop)."""
        if self._pool is None:
            s = self.settings
            self._pool = WorkerPool(s.workers, timeout=s.timeout, max_queue=s.max_queue)
        return self._pool

    async def close(self) -> None:
        """Stop the workers and remove every job's files."""
        await self.jobs.close()
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        self._preview_locks.clear()

    # templates: trusted files of the server, read in a thread

    def template_list(self) -> list[dict[str, Any]]:
        """Every template a name finds (the first of each name), with its manifest's names."""
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        for source in registry.sources(self.settings.template_dirs):
            if source.name in seen:
                continue
            seen.add(source.name)
            template = Template.load(source.location)
            out.append(_summary(template, source.origin))
        return out

    def template_info(self, name: str, preview_url: str) -> dict[str, Any]:
        """A template's manifest, numbering, fields and example data."""
        source = find_template(name, self.settings.template_dirs)
        template = Template.load(source.location)
        example = example_for(template, self.settings.examples_dir)
        scheme = template.scheme
        return {
            **_summary(template, source.origin),
            "numbering": {
                "name": scheme.name,
                "labels": [scheme.label(level, 1) for level in range(1, scheme.depth + 1)],
                "formats": list(scheme.formats),
            },
            "fields": {
                field: {
                    "description": spec.description,
                    "required": spec.required and spec.default is None,
                    "default": _json_safe(spec.default),
                    "example": _json_safe(spec.example),
                }
                for field, spec in template.manifest.fields.items()
            },
            "example": {"source": example.source, "yaml": example.text, "data": example.as_json()},
            "preview": preview_url,
        }

    async def template_preview(self, name: str) -> bytes:
        """Page 1 of *name* with its example data, as PNG (made once, then cached)."""
        source = await asyncio.to_thread(find_template, name, self.settings.template_dirs)
        key = (
            source.name,
            str(source.docx),
            source.docx.stat().st_mtime_ns,
            source.manifest.stat().st_mtime_ns if source.manifest else 0,
        )
        lock = self._preview_locks.setdefault(source.name, asyncio.Lock())
        async with lock:  # one LibreOffice run per template, however many ask at once
            if key not in self._previews:
                s = self.settings
                self._previews[key] = await self.pool.run(
                    template_preview_job, source.name, s.template_dirs, s.examples_dir, 60
                )
        return self._previews[key]


def _summary(template: Template, origin: str) -> dict[str, Any]:
    m = template.manifest
    return {
        "name": template.name,
        "display_name": m.display_name,
        "description": m.description,
        "origin": origin,
        "uses_report": template.uses_report,
    }


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return str(value)


def service_of(request: Request) -> Service:
    """The request's service (a FastAPI dependency)."""
    service: Service = request.app.state.service
    return service


ServiceDep = Annotated[Service, Depends(service_of)]

# --- the guard: body size, token, security headers, and the last resort --------------------


def _json_message(status: int, body: dict[str, Any]) -> tuple[Message, Message]:
    content = JSONResponse(body, status_code=status)
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": content.raw_headers,
    }
    return start, {"type": "http.response.body", "body": content.body}


class Guard:
    """The outermost layer of the app (an ASGI middleware).

    - refuses a body over ``max_body_bytes`` with 413 — at once when ``Content-Length`` says
      so, else as soon as the bytes received pass the limit;
    - checks the bearer token of ``/api/`` requests before anything reads their body;
    - adds ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy`` to every response;
    - answers any exception that escaped the app (a bug) with a JSON 500 naming an incident id
      that the log also holds, and nothing of the bug itself.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.limit = settings.max_body_bytes
        self.token = settings.token.encode("utf-8") if settings.token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            status, error = refusal
            start, body = _json_message(status, error.to_dict())
            if isinstance(error, AuthError) and status == 401:
                start["headers"] = [*start["headers"], (b"www-authenticate", b"Bearer")]
            await send(start)
            await send(body)
            return
        started = False
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise HTTPException(413, detail=self._too_large(received).to_dict())
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("referrer-policy", "no-referrer")
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except Exception:
            incident = uuid.uuid4().hex[:12]
            log.exception("incident %s: %s %s failed", incident, scope["method"], scope["path"])
            if not started:
                start, body = _json_message(
                    500,
                    internal_error_body(incident),
                )
                await send(start)
                await send(body)

    def _too_large(self, size: int) -> RequestError:
        return RequestError(
            "is too large",
            status=413,
            where="request body",
            expected=f"at most {self.limit / 1024 / 1024:g} MB",
            found=f"{size / 1024 / 1024:.1f} MB" if size else None,
        )

    def _refusal(self, scope: Scope) -> tuple[int, RequestError] | None:
        headers = Headers(scope=scope)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.limit:
            return 413, self._too_large(int(length))
        path = scope["path"]
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        if self.token is None or not path.startswith("/api/"):
            return None
        scheme, _, given = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            return 401, AuthError(
                "needs a token",
                status=401,
                where="Authorization header",
                expected="Authorization: Bearer <the token the service was started with>",
                found="no bearer token",
            )
        if not hmac.compare_digest(given.strip().encode("utf-8"), self.token):
            return 403, AuthError(
                "holds the wrong token",
                status=403,
                where="Authorization header",
                expected="the token the service was started with (--token / DOCGEN_TOKEN)",
            )
        return None


# --- errors as JSON -----------------------------------------------------------------------


async def _docgen_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DocgenError)
    headers = {"Retry-After": "5"} if status_of(exc) == 503 else None
    return JSONResponse(exc.to_dict(), status_code=status_of(exc), headers=headers)


async def _job_failed(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, JobFailed)
    return JSONResponse(exc.body, status_code=exc.status)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if isinstance(exc.detail, dict) and "error" in exc.detail:
        body = exc.detail
    else:
        body = RequestError(
            str(exc.detail).rstrip(".").lower() if exc.detail else "cannot be served",
            status=exc.status_code,
            where=f"{request.method} {request.url.path}",
        ).to_dict()
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for item in exc.errors():
        loc = [str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path")]
        problems.append((".".join(loc) or "request", str(item.get("msg", "is not valid"))))
    where, message = problems[0] if problems else ("request", "is not valid")
    if len(problems) > 1:
        message = f"has {len(problems)} problems: " + "; ".join(f"{w}: {m}" for w, m in problems)
        where = "request"
    error = RequestError(message[:1].lower() + message[1:], where=where)
    return JSONResponse(error.to_dict(), status_code=422)


# --- routes ---------------------------------------------------------------------------------

_bearer = HTTPBearer(
    auto_error=False,
    description="只在服务以 --token 或 DOCGEN_TOKEN 启动时需要 / needed only when the service "
    "was started with --token or DOCGEN_TOKEN",
)
_ERRORS: dict[int | str, dict[str, Any]] = {
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

api = APIRouter(prefix="/api", dependencies=[Security(_bearer)], responses=_ERRORS)
pages = APIRouter()


@pages.get("/", include_in_schema=False)
async def index() -> HTMLResponse:
    """The page for teachers (static HTML; its script calls the API)."""
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(
        html, headers={"Content-Security-Policy": _CSP, "Cache-Control": "no-cache"}
    )


@pages.get("/healthz", response_model=schemas.Health, tags=["service"])
async def healthz(service: ServiceDep) -> dict[str, Any]:
    """服务状态（无需令牌）/ whether the service is up, and what it can do (no token needed)."""
    try:
        find_soffice()
        soffice = True
    except PdfError:
        soffice = False
    s = service.settings
    return {
        "status": "ok",
        "version": __version__,
        "token_required": s.token is not None,
        "libreoffice": soffice,
        "pdftoppm": shutil.which("pdftoppm") is not None,
        "max_upload_bytes": s.max_body_bytes,
        "workers": s.workers,
    }


@api.get("/templates", response_model=list[schemas.TemplateSummary], tags=["templates"])
async def list_templates(service: ServiceDep) -> list[dict[str, Any]]:
    """模板列表 / every template the service knows (built-in, --template-dir, installed)."""
    return await asyncio.to_thread(service.template_list)


@api.get("/templates/{name}", response_model=schemas.TemplateInfo, tags=["templates"])
async def template_info(name: str, request: Request, service: ServiceDep) -> dict[str, Any]:
    """模板详情：名称、说明、编号、字段、示例数据、预览图 / a template's manifest and example."""
    check_template_name(name, where="path")
    preview = request.url_for("template_preview", name=name).path
    return await asyncio.to_thread(service.template_info, name, preview)


@api.get(
    "/templates/{name}/preview.png",
    tags=["templates"],
    response_class=Response,
    responses={200: {"content": {"image/png": {}}, "description": "第一页 / page 1 as PNG"}},
)
async def template_preview(name: str, service: ServiceDep) -> Response:
    """模板第一页的预览图（用示例数据，经 LibreOffice 生成并缓存）/ page 1 of the example."""
    check_template_name(name, where="path")
    png = await service.template_preview(name)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})


def _body_schema(model: str) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{model}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


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


@api.post(
    "/render",
    tags=["documents"],
    openapi_extra=_body_schema("RenderRequest"),
    response_class=Response,
    responses={
        200: {
            "content": {_DOCX: {}, "application/pdf": {}},
            "description": "文档，Content-Disposition 中带中文文件名 / the document",
        }
    },
)
async def render_document(request: Request, service: ServiceDep) -> Response:
    """生成 .docx 或 .pdf / render a report (or a plain template's data) into a document."""
    job = await _render_job(request, service, None)
    rendered = await service.pool.run(render_job, job)
    headers = {
        "Content-Disposition": content_disposition(rendered.filename),
        "X-Docgen-Template": rendered.template,
        "X-Docgen-Warnings": str(len(rendered.warnings)),
    }
    return Response(rendered.content, media_type=rendered.media_type, headers=headers)


@api.post(
    "/preview",
    tags=["documents"],
    openapi_extra=_body_schema("RenderRequest"),
    response_model=schemas.PreviewResponse,
)
async def preview(request: Request, service: ServiceDep) -> dict[str, Any]:
    """页面预览：各页 PNG（经 LibreOffice）/ the document's pages as PNG data: URLs."""
    job = await _render_job(request, service, "png")
    rendered = await service.pool.run(render_job, job)
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


@api.post(
    "/import",
    tags=["documents"],
    response_class=JSONResponse,
    responses={200: {"model": schemas.ImportResponse}},
)
async def import_document(
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
            "needs either a file or text, not both" if file else "needs a file or text",
            where="file, text",
            expected="a file upload (file=@小结.docx) or a text field (text=…)",
        )
    if file is not None:
        name = upload_name(file.filename)
        suffix = _IMPORT_KINDS[format] if format else Path(name).suffix.lower()
        if suffix not in IMPORT_SUFFIXES:
            raise RequestError(
                "is not a kind of file docgen imports",
                status=415,
                where=f"file {name!r}",
                expected=", ".join(IMPORT_SUFFIXES),
                found=repr(suffix) if suffix else "no suffix",
            )
        job = ImportJob(
            suffix, name, content=await file.read(), normalize_punctuation=normalize_punctuation
        )
    else:
        kind = format or "text"
        if kind == "docx":
            raise RequestError(
                "cannot be pasted text", where="format", expected="text or markdown for text"
            )
        job = ImportJob(
            kind, "pasted text", text=text or "", normalize_punctuation=normalize_punctuation
        )
    result = await service.pool.run(import_job, job)
    return JSONResponse(result)


@api.post(
    "/batch",
    tags=["batch"],
    response_class=Response,
    responses={
        200: {
            "content": {"application/zip": {}},
            "description": "zip：每条记录一份文档，另有 report.json 逐条报告 / the zip",
        },
        202: {"model": schemas.BatchJob, "description": "后台任务已开始 / the job started"},
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
    job = BatchJob(tpl, await file.read(), suffix, uploaded, name, options)
    if background:
        service.jobs.start(job, service.pool, service.settings)
        base = request.url_for("batch_progress", job=job.id).path.rsplit("/batch/", 1)[0]
        return JSONResponse(
            job.progress(base),
            status_code=202,
            headers={"Location": request.url_for("batch_progress", job=job.id).path},
        )
    try:
        await run_batch(job, service.pool, service.settings, service.jobs.turn)
    except BaseException:
        job.remove()
        raise
    if job.state != "done":
        job.remove()
        return JSONResponse(job.error, status_code=job.status)
    return _zip_response(job, BackgroundTask(job.remove))


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


@api.get("/batch/{job}", response_model=schemas.BatchJob, tags=["batch"])
async def batch_progress(job: str, request: Request, service: ServiceDep) -> dict[str, Any]:
    """批量任务进度：已完成/总数、失败的记录 / a background batch's progress."""
    found = service.jobs.get(job)
    base = request.url_for("batch_progress", job=found.id).path.rsplit("/batch/", 1)[0]
    return found.progress(base)


@api.get(
    "/batch/{job}/download",
    tags=["batch"],
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}, "description": "zip"}},
)
async def batch_download(job: str, service: ServiceDep) -> Response:
    """下载批量任务的 zip / the finished job's zip."""
    found = service.jobs.get(job)
    if found.state == "failed":
        return JSONResponse(found.error, status_code=found.status)
    if found.state != "done":
        raise RequestError(
            "is not finished",
            status=409,
            where=f"job {found.id}",
            expected="GET /api/batch/{job} to say state: done first",
            found=f"state {found.state}, {found.done} of {found.total} records",
        )
    return _zip_response(found, None)


# --- the app --------------------------------------------------------------------------------

_DESCRIPTION = """\
docgen 的 HTTP/JSON 接口：把报告数据按 Word 模板生成规范的中文文档（.docx / .pdf），导入已有文字，
按表格批量生成。出错时返回 JSON：`{error, message, where, expected, found}`（与
`DocgenError.to_dict()` 相同），`where` 写明字段路径（如 `data: sections[1].title`）或模板位置。

docgen's HTTP/JSON API: render reports into Chinese Word documents through templates, import
existing text, and render a spreadsheet into a zip of documents.  Errors are JSON with the
fields of `DocgenError.to_dict()`.  See docs/web.md.
"""


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
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


def create_app(settings: Settings | None = None) -> FastAPI:
    """The ASGI application of one docgen service.

    Args:
        settings: the service's settings; :meth:`Settings.from_env` when not given.
    """
    settings = settings if settings is not None else Settings.from_env()
    service = Service(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await service.close()

    app = FastAPI(
        title="docgen",
        version=__version__,
        description=_DESCRIPTION,
        lifespan=lifespan,
        openapi_tags=[
            {"name": "documents", "description": "生成、预览、导入 / render, preview, import"},
            {"name": "templates", "description": "模板 / templates"},
            {"name": "batch", "description": "批量生成 / many documents"},
            {"name": "service", "description": "服务状态 / the service"},
        ],
    )
    app.state.service = service
    app.add_middleware(Guard, settings=settings)
    handlers: MutableMapping[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        DocgenError: _docgen_error,
        JobFailed: _job_failed,
        StarletteHTTPException: _http_error,
        RequestValidationError: _validation_error,
    }
    for kind, handler in handlers.items():
        app.add_exception_handler(kind, handler)
    app.include_router(pages)
    app.include_router(api)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.openapi = _openapi(app)  # type: ignore[method-assign]
    return app
