"""``docgen check``: where a Word document departs from a template's conventions."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from docgen.cli.errors import fail
from docgen.cli.options import json_option, template_dirs
from docgen.errors import DocgenError
from docgen.i18n import _, ngettext

if TYPE_CHECKING:
    from docgen.checking import CheckFinding

__all__ = ["check"]


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-t",
    "--template",
    default="official",
    show_default=True,
    help="The template whose conventions the document should follow (a name or a path). "
    "按哪个模板的规范检查。",
)
@json_option()
@click.pass_context
def check(ctx: click.Context, file: str, template: str, as_json: bool) -> None:
    """Check FILE (.docx) against TEMPLATE's conventions; exit 1 when anything departs.

    检查 Word 文档是否符合模板的规范（默认 official，即 GB/T 9704-2012 公文格式）：页面与版心、
    每页行数与每行字数、页码，标题和各级层次标题、正文的字体字号、行距、首行缩进、对齐，空段落与
    手动换行，序号的连续与层级，半角标点、引号括号、发文字号的〔〕，日期中的“0”和“零”，
    成文日期，主送、附件说明、落款、版记。每条结果给出段落序号和开头文字、应为与实为。
    没有问题时退出码为 0，有问题时为 1。

    \b
    Examples / 示例:
      docgen check 通知.docx
      docgen check 总结.docx -t work-summary
      docgen --template-dir my-templates check 总结.docx -t our-summary --json
    """
    from docgen.checking import check as run_check  # noqa: PLC0415 - loaded when it runs

    try:
        if file == "-":
            source: str | bytes = sys.stdin.buffer.read()
        else:
            source = file
        findings = run_check(source, template=template, template_dirs=template_dirs(ctx))
    except DocgenError as exc:
        fail(exc, ctx)
    if as_json:
        result = {
            "file": file,
            "template": template,
            "ok": not findings,
            "findings": [f.to_dict() for f in findings],
        }
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(format_findings(file, template, findings))
    if findings:
        ctx.exit(1)


def format_findings(file: str, template: str, findings: Sequence[CheckFinding]) -> str:
    """The findings for people, in the current language.

    A line each, with what was expected and found under it.
    """
    from docgen.checking._model import place  # noqa: PLC0415 - loaded when it runs

    name = _("standard input") if file == "-" else file
    if not findings:
        return _(
            "{name}: follows the conventions of the template {template}; nothing found.",
            name=name,
            template=template,
        )
    lines = [
        ngettext(
            "{name}: {n} place departs from the conventions of the template {template}.",
            "{name}: {n} places depart from the conventions of the template {template}.",
            len(findings),
            name=name,
            template=template,
        )
    ]
    for f in findings:
        lines.append(f"{place(f.paragraph, f.excerpt)}  {f.message}  [{f.code}]")
        lines.append("    " + _("expected: {expected}", expected=f.expected))
        lines.append("    " + _("found: {found}", found=f.found))
    return "\n".join(lines)
