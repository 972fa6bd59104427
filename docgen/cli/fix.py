"""``docgen fix``: a Word document re-laid out by a template, and what changed."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from docgen.cli.errors import fail
from docgen.cli.options import json_option, output_file_option, overwrite_option, template_dirs
from docgen.errors import DocgenError, OutputExistsError
from docgen.i18n import _, lazy, ngettext

if TYPE_CHECKING:
    from docgen.fixing import Change

__all__ = ["fix"]


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-t",
    "--template",
    default="official",
    show_default=True,
    help="The template to re-lay the document out by (a name or a path). 按哪个模板修正。",
)
@output_file_option("Where to write the fixed .docx ('-' for standard output). 输出文件。")
@overwrite_option("Replace OUTPUT if it exists (otherwise docgen refuses). 覆盖已存在的文件。")
@json_option()
@click.pass_context
def fix(
    ctx: click.Context, file: str, template: str, output: str, overwrite: bool, as_json: bool
) -> None:
    """Re-lay FILE (.docx) out by TEMPLATE, fix its punctuation and dates, and say what changed.

    按模板修正 Word 文档：导入正文（标题、层次、列表、表格、图片），中文中的半角标点改为全角，
    日期去掉虚位“0”（2014年1月5日），再按模板重新排版（序号、字体字号、行距、页面），并逐条列出
    改动（标点、日期、编号、标题、格式、空段落、页面）。修正前后逐句比对文字，会丢失文字时拒绝
    写出。文档中没有的部分（红头、发文字号）不会凭空加上。退出码：0 已写出，1 出错（未写出），
    2 用法错误。

    \b
    Examples / 示例:
      docgen fix 通知.docx -o 通知-修正.docx
      docgen fix 总结.docx -t work-summary -o 总结-修正.docx --overwrite
      docgen fix 通知.docx -o 通知-修正.docx --json
    """
    from docgen.fixing import fix as run_fix  # noqa: PLC0415 - loaded when it runs

    try:
        if output != "-" and not overwrite and Path(output).exists():
            raise OutputExistsError(
                lazy("already exists; docgen does not overwrite files unless asked"),
                where=output,
                expected=lazy("a new file name, or --overwrite"),
            )
        source: str | bytes = sys.stdin.buffer.read() if file == "-" else file
        result = run_fix(source, template=template, template_dirs=template_dirs(ctx))
        if output == "-":
            sys.stdout.buffer.write(result.document.to_bytes())
            sys.stdout.buffer.flush()
        else:
            result.document.save(output, overwrite=overwrite)
    except DocgenError as exc:
        fail(exc, ctx)
    # the document may be on standard output: the report goes to stderr then
    to_stderr = output == "-"
    if as_json:
        report = {
            "file": file,
            "output": output,
            "template": result.document.template,
            "changes": [c.to_dict() for c in result.changes],
            "warnings": list(result.warnings),
        }
        click.echo(json.dumps(report, ensure_ascii=False, indent=2), err=to_stderr)
    else:
        click.echo(format_changes(file, output, template, result.changes), err=to_stderr)
        for warning in result.warnings:
            click.echo(_("Warning: {warning}", warning=warning), err=True)


def format_changes(file: str, output: str, template: str, changes: Sequence[Change]) -> str:
    """The changes for people, in the current language.

    One line each: ``第3段“…”  [标点]  关键年,我校 → 关键年，我校``.
    """
    from docgen.checking._model import place  # noqa: PLC0415 - loaded when it runs
    from docgen.fixing import kind_name  # noqa: PLC0415

    name = _("standard input") if file == "-" else file
    target = _("standard output") if output == "-" else output
    if not changes:
        return _(
            "{name} → {target}: re-laid out by the template {template}; no words needed changing.",
            name=name,
            target=target,
            template=template,
        )
    lines = [
        ngettext(
            "{name} → {target}: {n} change by the template {template}.",
            "{name} → {target}: {n} changes by the template {template}.",
            len(changes),
            name=name,
            target=target,
            template=template,
        )
    ]
    for c in changes:
        where = place(c.paragraph, c.excerpt)
        lines.append(f"{where}  [{kind_name(c.kind)}]  {c.before} → {c.after}")
    return "\n".join(lines)
