"""``docgen check``: where a Word document departs from a template's conventions."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from docgen.cli.errors import fail
from docgen.cli.helptext import Command, option
from docgen.cli.options import json_option, template_dirs
from docgen.errors import DocgenError
from docgen.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from docgen.checking import CheckFinding

__all__ = ["check"]


@click.command(
    cls=Command,
    short_help=N_("Check a Word document against a template's conventions."),
    help=N_(
        "Check FILE (.docx) against TEMPLATE's conventions; exit 1 when anything departs.\n"
        "\n"
        "By default the conventions are official's, the GB/T 9704-2012 official document "
        "format: page and type area, lines per page and characters per line, page numbers; "
        "the fonts, sizes, line spacing, first-line indent and alignment of the title, the "
        "headings at every level and the body; empty paragraphs and manual line breaks; "
        "numbering that runs on and nests; half-width punctuation, quotes and brackets, the "
        "〔〕 of a document number; “0” and “零” in dates; the date of writing, the main "
        "recipients, the attachment note, the signature and the record at the end. Each "
        "finding gives the paragraph's number and first words, what was expected and what was "
        "found. The exit code is 0 when nothing is found, 1 when something is.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  docgen check 通知.docx\n"
        "  docgen check 总结.docx -t work-summary\n"
        "  docgen --template-dir my-templates check 总结.docx -t our-summary --json"
    ),
)
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@option(
    "-t",
    "--template",
    default="official",
    show_default=True,
    help=N_("The template whose conventions the document should follow (a name or a path)."),
)
@json_option()
@click.pass_context
def check(ctx: click.Context, file: str, template: str, as_json: bool) -> None:
    """``docgen check``: where FILE departs from TEMPLATE's conventions (exit 1 if anywhere)."""
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
