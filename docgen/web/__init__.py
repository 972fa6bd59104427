"""``docgen serve``: docgen as an HTTP/JSON service, and a web page for teachers.

Needs the optional ``[web]`` extra (FastAPI, uvicorn, python-multipart): ``pip install ".[web]"``
in docgen's source folder, or ``pip install "docgen_cn-….whl[web]"`` from a built wheel; nothing
else in docgen imports this package.  The ASGI application runs under any ASGI server::

    docgen serve --port 8000                    # uvicorn, with render worker processes
    uvicorn docgen.web:app                      # settings from the environment (DOCGEN_TOKEN …)

    from docgen.web import Settings, create_app
    app = create_app(Settings(token="…", workers=4))

See ``docs/web.md`` for the API, the page and the security settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docgen.web.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from fastapi import FastAPI

    from docgen.web.factory import create_app

    app: FastAPI

__all__ = ["Settings", "app", "create_app"]

#: How to install the ``[web]`` extra, from a copy of the source or from a built wheel (docgen is
#: not on a package index yet).
INSTALL_WEB = (
    'pip install ".[web]" in docgen\'s source folder, or pip install "docgen_cn-….whl[web]" '
    "from a built wheel"
)
_EXTRA = f"docgen.web needs the web extra: {INSTALL_WEB}"


def __getattr__(name: str) -> Any:
    """``app`` and ``create_app``, imported on first use (they need the ``[web]`` extra)."""
    if name not in {"app", "create_app"}:
        raise AttributeError(f"module 'docgen.web' has no attribute {name!r}")
    try:
        from docgen.web.factory import create_app  # noqa: PLC0415 - only with the extra
    except ModuleNotFoundError as exc:
        raise ImportError(f"{_EXTRA} (missing: {exc.name})") from exc
    if name == "create_app":
        return create_app
    application = create_app(Settings.from_env())
    globals()["app"] = application  # one app per process, made on first use
    return application
