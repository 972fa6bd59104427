"""``docgen serve``: the HTTP/JSON API and the web page (the optional ``[web]`` extra).

The command only parses its options; the web package's ``server`` module, imported only when
the command runs, checks that the extra is installed and starts the server.
"""

from __future__ import annotations

import click

from docgen.cli.options import template_dirs

__all__ = ["serve"]


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 for the whole network (then set a token). "
    "监听地址，默认只有本机可访问。",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="TCP port. 端口。",
)
@click.option(
    "-w",
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Render worker processes (default: DOCGEN_WEB_WORKERS, else 2). 渲染进程数。",
)
@click.option(
    "--template-dir",
    "serve_template_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    help="A folder of templates, searched first (repeatable). 模板目录，可重复。",
)
@click.option(
    "--token",
    envvar="DOCGEN_TOKEN",
    default=None,
    help="Require 'Authorization: Bearer TOKEN' on /api/ (better: set DOCGEN_TOKEN). 访问令牌。",
)
@click.option(
    "--max-upload-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Largest request body in MB (default 20). 上传大小上限（MB）。",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Seconds one render may take (default 120). 单次生成的时间上限（秒）。",
)
@click.option(
    "--allow-host",
    "allowed_hosts",
    multiple=True,
    help="Another name this service answers to (the Host header; repeatable), e.g. the "
    "server's name on the school network. 允许的访问主机名，可重复。",
)
@click.option(
    "--dask-scheduler",
    metavar="ADDRESS",
    default=None,
    help="Run batches on this Dask scheduler's workers, e.g. tcp://127.0.0.1:8786 (default: "
    "DOCGEN_DASK_SCHEDULER; needs the cluster extra, dask[distributed]). 批量任务交给 Dask 集群。",
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
    """Serve the HTTP/JSON API and the web page (needs the [web] extra).

    启动网页与 HTTP 接口服务（需要 [web] 扩展：在源码目录 pip install ".[web]"），默认只监听本机。

    \b
    Examples / 示例:
      docgen serve                                   # http://127.0.0.1:8000/
      DOCGEN_TOKEN=s3cret docgen serve --host 0.0.0.0 --workers 4
    """
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
