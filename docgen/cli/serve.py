"""``docgen serve``: the HTTP/JSON API and the web page (the optional ``[web]`` extra).

The command only parses its options; the web package's ``server`` module, imported only when
the command runs, checks that the extra is installed and starts the server.
"""

from __future__ import annotations

import click

from docgen.cli.helptext import Command, option
from docgen.cli.options import template_dirs
from docgen.i18n import N_

__all__ = ["serve"]


@click.command(
    cls=Command,
    short_help=N_("Serve the HTTP/JSON API and the web page."),
    help=N_(
        "Serve the HTTP/JSON API and the web page (needs the [web] extra: "
        'pip install ".[web]" in the source folder); by default only this computer can '
        "reach it.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  docgen serve                                   # http://127.0.0.1:8000/\n"
        "  DOCGEN_TOKEN=s3cret docgen serve --host 0.0.0.0 --workers 4"
    ),
)
@option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help=N_("Address to listen on; 0.0.0.0 for the whole network (then set a token)."),
)
@option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help=N_("TCP port."),
)
@option(
    "-w",
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help=N_("Render worker processes (default: DOCGEN_WEB_WORKERS, else 2)."),
)
@option(
    "--template-dir",
    "serve_template_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help=N_("A folder of templates, searched first (repeatable)."),
)
@option(
    "--token",
    envvar="DOCGEN_TOKEN",
    default=None,
    help=N_("Require 'Authorization: Bearer TOKEN' on /api/ (better: set DOCGEN_TOKEN)."),
)
@option(
    "--max-upload-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help=N_("Largest request body in MB (default 20)."),
)
@option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help=N_("Seconds one render may take (default 120)."),
)
@option(
    "--allow-host",
    "allowed_hosts",
    multiple=True,
    help=N_(
        "Another name this service answers to (the Host header; repeatable), e.g. the "
        "server's name on the school network."
    ),
)
@option(
    "--dask-scheduler",
    metavar="ADDRESS",
    default=None,
    help=N_(
        "Run batches on this Dask scheduler's workers, e.g. tcp://127.0.0.1:8786 (default: "
        "DOCGEN_DASK_SCHEDULER; needs the cluster extra, dask[distributed])."
    ),
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    workers: int | None,
    serve_template_dirs: tuple[str, ...],
    token: str | None,
    max_upload_mb: float | None,
    timeout: float | None,
    allowed_hosts: tuple[str, ...],
    dask_scheduler: str | None,
) -> None:
    """``docgen serve``: the options parsed, the server started by :mod:`docgen.web.server`."""
    from docgen.web.server import serve_command  # noqa: PLC0415 - the [web] extra, only here

    serve_command(
        host=host,
        port=port,
        workers=workers,
        template_dirs=(*template_dirs(ctx), *serve_template_dirs),
        token=token,
        max_upload_mb=max_upload_mb,
        timeout=timeout,
        allowed_hosts=allowed_hosts,
        dask_scheduler=dask_scheduler,
    )
