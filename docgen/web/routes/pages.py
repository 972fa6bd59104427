"""The page for teachers at ``/`` and the health check at ``/healthz`` (no token needed)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from docgen._version import __version__
from docgen.pdf import PdfError, find_soffice
from docgen.web import schemas
from docgen.web.openapi import errors
from docgen.web.service import ServiceDep

__all__ = ["STATIC_DIR", "router"]

#: The page's files (``index.html``, its script and styles), served under ``/static``.
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

_CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)

router = APIRouter()


@router.get("/", include_in_schema=False)
async def index() -> HTMLResponse:
    """The page for teachers (static HTML; its script calls the API)."""
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(
        html, headers={"Content-Security-Policy": _CSP, "Cache-Control": "no-cache"}
    )


@router.get("/healthz", response_model=schemas.Health, tags=["service"], responses=errors(403, 500))
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
