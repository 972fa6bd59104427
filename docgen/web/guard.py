"""The guard: body size, token, security headers, and the last resort for a bug.

:class:`Guard` is the outermost layer of the app, an ASGI middleware, so it answers before
FastAPI reads anything of a request it refuses.
"""

from __future__ import annotations

import hmac
import logging
import uuid
from typing import Any

from fastapi.exceptions import HTTPException
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from docgen.i18n import lazy
from docgen.web.errors import AuthError, RequestError, internal_error_body
from docgen.web.settings import Settings

__all__ = ["Guard"]

log = logging.getLogger("docgen.web")


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
    - answers only to the names the service is known by (``Host``: no DNS rebinding), and
      refuses a state-changing request another site's page sent (``Origin``: no CSRF);
    - checks the bearer token of ``/api/`` requests before anything reads their body;
    - adds ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy`` to every response;
    - answers any exception that escaped the app (a bug) with a JSON 500 naming an incident id
      that the log also holds, and nothing of the bug itself.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.limit = settings.max_body_bytes
        self.token = settings.token.encode("utf-8") if settings.token else None
        self.hosts = settings.host_names()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection: refuse it, or pass it on counted and guarded."""
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

    def _site_refusal(self, headers: Headers, method: str) -> RequestError | None:
        host = headers.get("host", "").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if self.hosts is not None and name not in self.hosts:
            return AuthError(
                lazy("names a host this service does not answer to"),
                status=403,
                where="Host header",
                expected=lazy(
                    "one of {items} (docgen serve --allow-host NAME adds one)",
                    items=", ".join(sorted(self.hosts)),
                ),
                found=host or "no Host header",
                code="auth.host",
            )
        origin = headers.get("origin")
        if origin is None or method in {"GET", "HEAD", "OPTIONS"}:
            return None
        scheme, _, origin_host = origin.strip().lower().partition("://")
        if origin_host != host or scheme not in {"http", "https"}:
            return AuthError(
                lazy("comes from a page of another site"),
                status=403,
                where="Origin header",
                expected=lazy(
                    "a request from this service's own page ({host}), or from a program "
                    "(which sends no Origin)",
                    host=host,
                ),
                found=origin,
                code="auth.origin",
            )
        return None

    def _too_large(self, size: int) -> RequestError:
        return RequestError(
            lazy("is too large"),
            status=413,
            where=lazy("request body"),
            expected=lazy("at most {n:g} MB", n=self.limit / 1024 / 1024),
            found=f"{size / 1024 / 1024:.1f} MB" if size else None,
            code="request.too_large",
        )

    def _refusal(self, scope: Scope) -> tuple[int, RequestError] | None:
        headers = Headers(scope=scope)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.limit:
            return 413, self._too_large(int(length))
        site = self._site_refusal(headers, scope["method"])
        if site is not None:
            return 403, site
        path = scope["path"]
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        if self.token is None or not path.startswith("/api/"):
            return None
        scheme, _, given = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            return 401, AuthError(
                lazy("needs a token"),
                status=401,
                where="Authorization header",
                expected=lazy("Authorization: Bearer <the token the service was started with>"),
                found=lazy("no bearer token"),
                code="auth.no_token",
            )
        if not hmac.compare_digest(given.strip().encode("utf-8"), self.token):
            return 403, AuthError(
                lazy("holds the wrong token"),
                status=403,
                where="Authorization header",
                expected=lazy("the token the service was started with (--token / DOCGEN_TOKEN)"),
                code="auth.wrong_token",
            )
        return None
