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
from docgen.cli.helptext import Command, option
from docgen.cli.options import (
    normalize_punctuation_option,
    output_file_option,
    overwrite_option,
    template_dirs,
)
from docgen.errors import DocgenError
from docgen.i18n import N_, _

__all__ = ["import_", "new"]


@click.command(
    "import",
    cls=Command,
    short_help=N_("Read existing text into a data file."),
    help=N_(
        "Read existing text (.txt, .md, .docx, .doc, .rtf, .odt, .wps) into a data file.\n"
        "\n"
        "docgen finds the title, （初稿）, the intro, headings at every level, the closing "
        "paragraphs and the signature; check and edit the file, then render it with "
        "docgen render.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  docgen import 小结.txt -o summary.yaml\n"
        "  docgen import old-summary.doc -o summary.yaml\n"
        "  docgen import 小结.txt --normalize-punctuation | docgen render - -o summary.pdf"
    ),
)
@click.argument("source", type=click.Path(dir_okay=False, allow_dash=True))
@output_file_option(
    N_("The data file to write (.yaml or .json; '-' for standard output)."), default="-"
)
@option(
    "--format",
    "source_format",
    type=click.Choice(["text", "markdown", "docx"]),
    help=N_("What SOURCE is when it is '-' (default text)."),
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
    """``docgen import``: a text, Markdown or Word file read into a data file."""
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


@click.command(
    cls=Command,
    short_help=N_("Write a starting data file for a template."),
    help=N_(
        "Write a filled-in starting data file for TEMPLATE, to edit and render. "
        "Without TEMPLATE, lists the templates to choose from (exit code 2).\n"
        "\n"
        "The file names its template ('template: work-summary'), so rendering it needs no -t.\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  docgen new work-summary -o summary.yaml\n"
        "  docgen render summary.yaml -o summary.docx"
    ),
)
# eager, so that a missing TEMPLATE is answered (with the choices) before a missing -o
@click.argument(
    "template",
    required=False,
    is_eager=True,
    callback=lambda ctx, _, value: value if value is not None else _choose_a_template(ctx),
)
@output_file_option(N_("Where to write the data file ('-' for standard output)."))
@overwrite_option()
@click.pass_context
def new(ctx: click.Context, template: str, output: str, overwrite: bool) -> None:
    """``docgen new``: a starting data file for TEMPLATE; without one, the choices."""
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
