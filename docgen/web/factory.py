"""The FastAPI application: the JSON API under ``/api/``, ``/healthz``, and the page at ``/``.

:func:`create_app` builds one service from :class:`~docgen.web.settings.Settings` and puts
the parts together: the guard (:mod:`~docgen.web.guard`), errors as JSON
(:mod:`~docgen.web.handlers`), the routes (:mod:`docgen.web.routes`) and the OpenAPI schema
(:mod:`~docgen.web.openapi`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Security
from fastapi.staticfiles import StaticFiles

from docgen._version import __version__
from docgen.web.guard import Guard
from docgen.web.handlers import EXCEPTION_HANDLERS
from docgen.web.language import Language
from docgen.web.openapi import BEARER, DESCRIPTION, TAGS, openapi_builder
from docgen.web.routes import batch, checking, documents, pages, templates
from docgen.web.routes.pages import STATIC_DIR
from docgen.web.service import Service
from docgen.web.settings import Settings

__all__ = ["create_app"]


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
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_tags=TAGS,
    )
    app.state.service = service
    app.add_middleware(Guard, settings=settings)
    app.add_middleware(Language)  # outermost: the guard's refusals are in the language too
    for kind, handler in EXCEPTION_HANDLERS.items():
        app.add_exception_handler(kind, handler)
    app.include_router(pages.router)
    for api in (templates.router, documents.router, checking.router, batch.router):
        app.include_router(api, prefix="/api", dependencies=[Security(BEARER)])
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.openapi = openapi_builder(app)  # type: ignore[method-assign]
    return app
