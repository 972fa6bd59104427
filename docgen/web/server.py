"""``docgen serve``: the body of the command, callable from :mod:`docgen.cli`.

The command line imports this module only when ``docgen serve`` runs; it needs nothing but
click until the extra's packages are checked, so a missing extra is a clear message, not a
traceback.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence
from importlib.util import find_spec

import click

from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.web import INSTALL_WEB
from docgen.web.settings import Settings

__all__ = ["missing_packages", "serve_command"]

#: The ``[web]`` extra's packages: import name → distribution name.
_EXTRA = {"fastapi": "fastapi", "uvicorn": "uvicorn", "multipart": "python-multipart"}


def missing_packages() -> list[str]:
    """The distributions of the ``[web]`` extra that are not installed."""
    return [dist for module, dist in _EXTRA.items() if find_spec(module) is None]


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


GRACEFUL_SHUTDOWN = 10
"""Seconds ``docgen serve`` gives requests in flight once it is told to stop (SIGTERM, Ctrl+C)."""


def serve_command(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int | None = None,
    template_dirs: Sequence[str] = (),
    token: str | None = None,
    max_upload_mb: float | None = None,
    timeout: float | None = None,
    allowed_hosts: Sequence[str] = (),
    dask_scheduler: str | None = None,
    log_level: str = "info",
) -> None:
    """Start the service with uvicorn and serve until interrupted (Ctrl+C).

    Args:
        host: the address to listen on; ``127.0.0.1`` (this machine only) unless told.
        port: the TCP port.
        workers: render processes (default: ``DOCGEN_WEB_WORKERS``, else up to 2).
        template_dirs: template folders searched before the others.
        token: require ``Authorization: Bearer TOKEN`` on ``/api/`` (default: ``DOCGEN_TOKEN``).
        max_upload_mb: the largest request body in MB (default 20).
        timeout: seconds one render may take (default 120).
        allowed_hosts: more names the service answers to (``Host``), beyond the loopback
            names and *host* (default: ``DOCGEN_WEB_ALLOWED_HOSTS``).
        dask_scheduler: run batches on this Dask scheduler's workers (default:
            ``DOCGEN_DASK_SCHEDULER``; needs the ``[cluster]`` extra).
        log_level: uvicorn's log level.

    Raises:
        click.ClickException: the ``[web]`` extra is missing, or a setting is wrong.
    """
    missing = missing_packages()
    if missing:
        raise click.ClickException(
            _(
                "docgen serve needs the web extra: {install} (missing: {missing})",
                install=INSTALL_WEB,
                missing=", ".join(missing),
            )
        )
    import uvicorn  # noqa: PLC0415 - the extra, checked above

    from docgen.web.factory import create_app  # noqa: PLC0415

    given: dict[str, object] = {"host": host, "port": port}
    if workers is not None:
        given["workers"] = workers
    if template_dirs:
        given["template_dirs"] = tuple(template_dirs)
    if token:
        given["token"] = token
    if max_upload_mb is not None:
        given["max_body_bytes"] = int(max_upload_mb * 1024 * 1024)
    if timeout is not None:
        given["timeout"] = timeout
    if allowed_hosts:
        given["allowed_hosts"] = tuple(allowed_hosts)
    if dask_scheduler:
        given["dask_scheduler"] = dask_scheduler
    try:
        settings = Settings.from_env(given=given)
    except DocgenError as exc:
        raise click.ClickException(str(exc)) from None
    if settings.dask_scheduler is not None and find_spec("distributed") is None:
        raise click.ClickException(
            _(
                "--dask-scheduler / DOCGEN_DASK_SCHEDULER is {address!r}, but the Dask client "
                'is not installed: pip install "dask[distributed]" into docgen\'s environment '
                "(docgen's cluster extra)",
                address=settings.dask_scheduler,
            )
        )
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    click.echo(_("docgen serve: {url}  (API: /docs, /openapi.json)", url=url), err=True)
    click.echo(
        "  "
        + _(
            "{workers} render worker(s); uploads up to {mb:g} MB; {token}",
            workers=settings.workers,
            mb=settings.max_body_bytes / 1024 / 1024,
            token=_("token required on /api/") if settings.token else _("no token"),
        ),
        err=True,
    )
    if settings.dask_scheduler is not None:
        click.echo(
            "  "
            + _("batches run on the Dask scheduler {address}", address=settings.dask_scheduler),
            err=True,
        )
    if not _loopback(host) and settings.token is None:
        click.echo(
            _(
                "Warning: listening on {host} without a token: anyone on the network can use "
                "this service. Set --token or DOCGEN_TOKEN.",
                host=host,
            ),
            err=True,
        )
    logging.getLogger("docgen.web").setLevel(log_level.upper())
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level=log_level,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        server_header=False,
        # SIGTERM: stop taking requests, give the ones in flight this long, then stop (the
        # app's shutdown kills the worker processes)
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN,
    )
