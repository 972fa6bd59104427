"""``docgen import`` and ``docgen new``: the commands that write a data file.

``import`` reads existing text into one; ``new`` writes a filled-in starting one for a
template.  Importers and templates are imported inside each command.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from docgen.cli.errors import fail
from docgen.cli.options import (
    normalize_punctuation_option,
    output_file_option,
    overwrite_option,
    template_dirs,
)
from docgen.errors import DocgenError
from docgen.i18n import _

__all__ = ["import_", "new"]


@click.command("import")
@click.argument("source", type=click.Path(dir_okay=False, allow_dash=True))
@output_file_option(
    "The data file to write (.yaml or .json; '-' for standard output). 输出数据文件。", default="-"
)
@click.option(
    "--format",
    "source_format",
    type=click.Choice(["text", "markdown", "docx"]),
    help="What SOURCE is when it is '-' (default text). 标准输入的格式。",
)
@normalize_punctuation_option()
@overwrite_option()
@click.pass_context
def import_(
    ctx: click.Context,
    source: str,
    output: str,
    source_format: str | None,
    normalize_punctuation: bool,
    overwrite: bool,
) -> None:
    """Read existing text (.txt, .md, .docx, .doc, .rtf, .odt, .wps) into a data file.

    把已有的文字（纯文本、Markdown、Word/WPS 文档）整理成数据文件：识别标题、（初稿）、导语、
    各级编号标题、结束语和落款；检查、修改后再用 docgen render 生成。

    \b
    Examples / 示例:
      docgen import 小结.txt -o summary.yaml
      docgen import old-summary.doc -o summary.yaml
      docgen import 小结.txt --normalize-punctuation | docgen render - -o summary.pdf
    """
    from docgen import importers  # noqa: PLC0415
    from docgen.files import write_atomic  # noqa: PLC0415
    from docgen.loaders import dump_report  # noqa: PLC0415

    try:
        if source == "-":
            if source_format == "docx":
                result = importers.import_docx(
                    sys.stdin.buffer.read(),
                    source="<stdin>",
                    normalize_punctuation=normalize_punctuation,
                )
            else:
                read = (
                    importers.import_markdown
                    if source_format == "markdown"
                    else importers.import_text
                )
                result = read(
                    sys.stdin.read(), source="<stdin>", normalize_punctuation=normalize_punctuation
                )
        else:
            result = importers.import_file(source, normalize_punctuation=normalize_punctuation)
        fmt = "json" if output.lower().endswith(".json") else "yaml"
        text = dump_report(result.report, fmt)
        if output == "-":
            click.echo(text, nl=False)
        else:
            path = write_atomic(output, text.encode("utf-8"), overwrite=overwrite)
            click.echo(_("wrote {path}", path=path), err=True)
    except DocgenError as exc:
        fail(exc, ctx)
    for warning in result.warnings:
        click.echo(_("Warning: {warning}", warning=warning), err=True)


@click.command()
# eager, so that a missing TEMPLATE is answered (with the choices) before a missing -o
@click.argument(
    "template",
    required=False,
    is_eager=True,
    callback=lambda ctx, _, value: value if value is not None else _choose_a_template(ctx),
)
@output_file_option("Where to write the data file ('-' for standard output). 输出文件。")
@overwrite_option()
@click.pass_context
def new(ctx: click.Context, template: str, output: str, overwrite: bool) -> None:
    """Write a filled-in starting data file for TEMPLATE, to edit and render.

    为模板生成一份填好示例内容的数据文件（YAML），改好后即可生成文档。
    Without TEMPLATE, lists the templates to choose from (exit code 2).

    \b
    The file names its template ('template: work-summary'), so rendering it needs no -t.
    数据文件中写明了模板（template: …），生成时不必再写 -t。

    \b
    Example / 示例:
      docgen new work-summary -o summary.yaml
      docgen render summary.yaml -o summary.docx
    """
    import os  # noqa: PLC0415
    import shlex  # noqa: PLC0415 - only for the hint below

    from docgen.files import write_atomic  # noqa: PLC0415
    from docgen.starter import starter_yaml  # noqa: PLC0415
    from docgen.template import Template  # noqa: PLC0415

    try:
        from docgen.model import is_template_path  # noqa: PLC0415

        reference = template
        if output != "-" and is_template_path(template):  # a path, as seen from the data file
            folder = Path(output).resolve().parent
            reference = Path(os.path.relpath(Path(template).resolve(), folder)).as_posix()
        tpl = Template.load(template, template_dirs=template_dirs(ctx))
        text = starter_yaml(tpl, reference=reference)
        if output == "-":
            click.echo(text, nl=False)
        else:
            path = write_atomic(output, text.encode("utf-8"), overwrite=overwrite)
            # the same folders, so the same template is found when rendering
            dirs = "".join(f"--template-dir {shlex.quote(d)} " for d in template_dirs(ctx))
            click.echo(
                _(
                    "wrote {path}; edit it, then: docgen {dirs}render {quoted} -o out.docx",
                    path=path,
                    dirs=dirs,
                    quoted=shlex.quote(str(path)),
                ),
                err=True,
            )
    except DocgenError as exc:
        fail(exc, ctx)


def _choose_a_template(ctx: click.Context) -> NoReturn:
    """Say that ``docgen new`` needs a template, list the active ones and exit 2."""
    from docgen.cli.templates import listing, template_rows  # noqa: PLC0415

    try:
        rows = [row for row in template_rows(ctx) if row["active"]]
    except DocgenError as exc:
        fail(exc, ctx)
    click.echo(_("Error: docgen new needs a TEMPLATE; the templates docgen finds:"), err=True)
    for line in listing(rows):
        click.echo(line, err=True)
    click.echo(_("for example: docgen new work-summary -o summary.yaml"), err=True)
    ctx.exit(2)
