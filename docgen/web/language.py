"""Each request's messages in the language its ``Accept-Language`` header prefers.

``Accept-Language: zh-CN`` makes error bodies and warnings Chinese; a header naming neither
Chinese nor English (or none) leaves the server's own language (its LC_ALL, LC_MESSAGES or
LANG).  The language travels with each job to the worker processes (:func:`run_limited`).
Starlette's own answers (an unknown route, a method it lacks) and pydantic's common
validation texts are translated too (:mod:`docgen.web.handlers`).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from docgen.i18n import language_from_accept, use_language

__all__ = ["Language"]


class Language:
    """ASGI middleware: the request's language for everything that runs inside it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request with its ``Accept-Language`` as the messages' language."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = dict(scope.get("headers") or []).get(b"accept-language")
        language = language_from_accept(header.decode("latin-1") if header else None)
        with use_language(language):
            await self.app(scope, receive, send)
