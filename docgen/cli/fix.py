"""``docgen fix``: a Word document re-laid out by a template, and what changed."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from docgen.cli.errors import fail
from docgen.cli.helptext import Command, option
from docgen.cli.options import (
    json_option,
    output_file_option,
    overwrite_option,
    refuse_existing_output,
    template_dirs,
)
from docgen.errors import DocgenError
from docgen.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from docgen.fixing import Change

__all__ = ["fix"]


@click.command(
    cls=Command,
    short_help=N_("Re-lay a Word document out by a template."),
    help=N_(
        "Re-lay FILE (.docx) out by TEMPLATE, fix its punctuation and dates, and say what "
        "changed.\n"
        "\n"
        "docgen reads the text in (title, headings, lists, tables, pictures), makes half-width "
        "punctuation in Chinese full-width, drops the padding “0” from dates (2014年1月5日), "
        "lays it out again by the template (numbering, fonts and sizes, line spacing, page) "
        "and lists each change (punctuation, dates, numbering, headings, format, empty "
        "paragraphs, page). The text before and after is compared sentence by sentence, and "
        "nothing is written if words would be lost. What the document lacks (a red header, a "
        "document number) is not added. Exit codes: 0 written, 1 an error (nothing written), "
        "2 a usage error.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  docgen fix 通知.docx -o 通知-修正.docx\n"
        "  docgen fix 总结.docx -t work-summary -o 总结-修正.docx --overwrite\n"
        "  docgen fix 通知.docx -o 通知-修正.docx --json"
    ),
)
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@option(
    "-t",
    "--template",
    default="official",
    show_default=True,
    help=N_("The template to re-lay the document out by (a name or a path)."),
)
@output_file_option(N_("Where to write the fixed .docx ('-' for standard output)."))
@overwrite_option(N_("Replace OUTPUT if it exists (otherwise docgen refuses)."))
@json_option()
@click.pass_context
def fix(
    ctx: click.Context, file: str, template: str, output: str, overwrite: bool, as_json: bool
) -> None:
    """``docgen fix``: FILE re-laid out by TEMPLATE, and the list of what changed."""
    from docgen.fixing import fix as run_fix  # noqa: PLC0415 - loaded when it runs

    try:
        refuse_existing_output(output, overwrite)  # before the import and the render
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
