"""The ``docgen`` command: a face over the same API Python users call.

Exit codes: 0 done, 1 an error in the data, template or files (the message says where),
2 a usage error (unknown option, missing argument).

This package holds the group and its global options; each command family lives in a module
of its own (:mod:`~docgen.cli.render`, :mod:`~docgen.cli.datafiles`,
:mod:`~docgen.cli.templates`, :mod:`~docgen.cli.check`, :mod:`~docgen.cli.fix`,
:mod:`~docgen.cli.serve`, :mod:`~docgen.cli.demo`), and imports the engine only when it runs,
so ``docgen --help`` starts fast.
"""

from __future__ import annotations

import io
import sys

import click

from docgen.cli import check, datafiles, demo, fix, fonts, render, serve, templates
from docgen.cli.errors import ErrorReportingGroup
from docgen.i18n import use_language

__all__ = ["main"]


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """``--version``: the installed distribution's version, read only when asked for."""
    if not value or ctx.resilient_parsing:
        return
    from docgen._version import __version__  # noqa: PLC0415 - importlib.metadata costs time

    click.echo(f"docgen, version {__version__}")  # the same in every language
    ctx.exit()


@click.group(cls=ErrorReportingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
@click.option(
    "--template-dir",
    "template_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    help="A folder of templates, searched before DOCGEN_TEMPLATE_PATH, installed packages' "
    "templates and the built-ins (repeatable). 模板目录，可重复。",
)
@click.option(
    "--json-errors",
    is_flag=True,
    help="Print errors as one JSON object on stderr (for tools). "
    "错误以 JSON 输出，便于其他程序读取。",
)
@click.option(
    "--debug",
    is_flag=True,
    help="Show the Python traceback of an error (for reporting a bug). 出错时显示完整调用栈。",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    help="The language of docgen's messages (default: from LC_ALL, LC_MESSAGES or LANG; "
    "click's usage errors too). 提示信息的语言（默认按系统语言）。",
)
@click.pass_context
def main(
    ctx: click.Context,
    template_dirs: tuple[str, ...],
    json_errors: bool,
    debug: bool,
    lang: str | None,
) -> None:
    """docgen: Chinese school documents from data and Word templates.

    docgen：用数据和 Word 模板生成规范的中文学校文档（工作总结、计划、通知……）。

    \b
    Examples / 示例:
      docgen render examples/party-branch-summary.yaml -o summary.docx
      cat report.json | docgen render - -t work-summary -o - > summary.docx
    """
    _utf8_pipes()
    # for the whole command: the group's context closes after its subcommand has run
    ctx.with_resource(use_language(lang))


def _utf8_pipes() -> None:
    """Read and write pipes as UTF-8 where the console's code page is another.

    On Chinese Windows that is GBK: JSON piped from PHP or Java then arrives intact.
    """
    for stream, encoding in (
        (sys.stdin, "utf-8-sig"),
        (sys.stdout, "utf-8"),
        (sys.stderr, "utf-8"),
    ):
        current = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if isinstance(stream, io.TextIOWrapper) and current not in {"utf8", "utf8sig"}:
            stream.reconfigure(encoding=encoding)


for _command in (
    render.render,
    render.batch,
    datafiles.import_,
    datafiles.new,
    templates.templates,
    templates.inspect,
    check.check,
    fix.fix,
    serve.serve,
    demo.demo,
    fonts.fonts,
):
    main.add_command(_command)
