"""``docgen render`` and ``docgen batch``: data in, documents out.

The engine (templates, rendering, batches) is imported inside each command, so that
``docgen --help`` and the other commands start without it.
"""

from __future__ import annotations

import io
import json
import sys
import time
import warnings
from typing import Any, ClassVar

import click

from docgen.cli.errors import fail
from docgen.cli.helptext import Command, option
from docgen.cli.options import (
    json_option,
    normalize_punctuation_option,
    output_file_option,
    overwrite_option,
    refuse_existing_output,
    template_dirs,
)
from docgen.errors import DocgenError, DocgenWarning
from docgen.i18n import N_, _, lazy

__all__ = ["batch", "render"]


@click.command(
    cls=Command,
    short_help=N_("Render a data file into a Word document."),
    help=N_(
        "Render DATA (YAML, JSON or TOML; '-' for stdin) into a Word document.\n"
        "\n"
        "The template is -t, else the one the data file names ('template: official'), else "
        "work-summary.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  docgen render examples/party-branch-summary.yaml -o summary.docx\n"
        "  docgen render summary.yaml -t work-summary --numbering GBT9704 -o summary.docx\n"
        "  cat summary.json | docgen render - --format json -o - > summary.docx\n"
        "  docgen render summary.yaml -o summary.pdf            (PDF through LibreOffice)\n"
        "  docgen render summary.yaml -o summary.pdf --pdfa     (PDF/A-2b for archiving)"
    ),
)
@click.argument("data", type=click.Path(dir_okay=False, allow_dash=True))
@option(
    "-t",
    "--template",
    help=N_(
        "Built-in template name, a .docx file, or a template folder; overrides the "
        "data file's 'template:' (default: that, else work-summary)."
    ),
)
@output_file_option(N_("Where to write the .docx ('-' for standard output)."))
@option(
    "--format",
    "data_format",
    type=click.Choice(["yaml", "json", "toml"]),
    help=N_("Format of DATA when it is '-' (default: guessed)."),
)
@option(
    "--numbering",
    help=N_("Heading numbering: SCHOOL (一、1、（1）①), GBT9704 (一、（一）1.（1）) or DECIMAL."),
)
@normalize_punctuation_option()
@overwrite_option(N_("Replace OUTPUT if it exists (otherwise docgen refuses)."))
@option(
    "--pdf",
    is_flag=True,
    help=N_(
        "Write a PDF (through LibreOffice) instead of .docx; implied by an OUTPUT ending in .pdf."
    ),
)
@option("--pdfa", is_flag=True, help=N_("Write PDF/A-2b, for archiving."))
@option(
    "--strict",
    is_flag=True,
    help=N_(
        "Treat warnings (fields the template does not use, …) as errors: exit 1, write nothing."
    ),
)
@click.pass_context
def render(
    ctx: click.Context,
    data: str,
    template: str | None,
    output: str,
    data_format: str | None,
    numbering: str | None,
    normalize_punctuation: bool,
    overwrite: bool,
    pdf: bool,
    pdfa: bool,
    strict: bool,
) -> None:
    """``docgen render``: DATA and a template into a Word document (or PDF)."""
    from docgen.loaders import read_data_file  # noqa: PLC0415 - keeps --help fast
    from docgen.rendering import render as render_report  # noqa: PLC0415
    from docgen.sandbox import TimeUp, hard_stop_after, owned_process_limit  # noqa: PLC0415
    from docgen.template import Template  # noqa: PLC0415

    try:
        if data == "-":
            raw = sys.stdin.read()
            fmt = data_format or ("json" if raw.lstrip().startswith(("{", "[")) else "yaml")
            stream = io.StringIO(raw)
            stream.name = "<stdin>"  # errors name the source
            parsed = read_data_file(stream, format=fmt)
        else:
            parsed = read_data_file(data)
        chosen, note = _choose_template(template, parsed.template, parsed.source)
        tpl = Template.load(chosen, template_dirs=template_dirs(ctx))
        # a template written for reports reads a report; a plain template, plain data
        report: Any = parsed.report() if tpl.uses_report else parsed.plain()
        refuse_existing_output(output, overwrite)  # before the render, not after
        # This process is docgen's: the template's own checks keep the limit, and a hard
        # stop a second later ends anything they cannot see.
        limit = owned_process_limit(None)
        try:
            # the document's warnings are printed below, once, as "Warning: …"
            with hard_stop_after(limit), warnings.catch_warnings():
                warnings.simplefilter("ignore", DocgenWarning)
                doc = render_report(
                    report,
                    tpl,
                    numbering=numbering,
                    normalize_punctuation=normalize_punctuation,
                    template_dirs=template_dirs(ctx),
                    timeout=limit,
                )
        except TimeUp:
            from docgen.errors import RenderTimeoutError  # noqa: PLC0415

            raise RenderTimeoutError(
                lazy(
                    "took longer than {limit} s to render and was stopped", limit=format(limit, "g")
                ),
                where=str(tpl.source),
                expected=lazy("a smaller document, or a longer limit in DOCGEN_RENDER_TIMEOUT"),
            ) from None
        if strict and doc.warnings:  # before anything is written
            from docgen.errors import DataError  # noqa: PLC0415

            raise DataError(
                lazy(
                    "gave {n} warning(s) and --strict was given: {warnings}",
                    n=len(doc.warnings),
                    warnings=_("; ").join(doc.warnings),
                ),
                where=data,
                expected=lazy("data that renders without warnings (or leave out --strict)"),
                code="data.warnings",
            )
        as_pdf = pdf or pdfa or output.lower().endswith(".pdf")
        if output == "-":
            stdout = sys.stdout.buffer
            stdout.write(doc.to_pdf(pdfa=pdfa) if as_pdf else doc.to_bytes())
            stdout.flush()
        else:
            if as_pdf:
                path = doc.save_pdf(output, overwrite=overwrite, pdfa=pdfa)
            else:
                path = doc.save(output, overwrite=overwrite)
            click.echo(
                _(
                    "wrote {path} ({size} bytes, template {template})",
                    path=path,
                    size=format(path.stat().st_size, ","),
                    template=doc.template,
                ),
                err=True,
            )
        if note:  # after the work, so that an error alone is on stderr (--json-errors)
            click.echo(note, err=True)
        for warning in doc.warnings:
            click.echo(_("Warning: {warning}", warning=warning), err=True)
    except DocgenError as exc:
        fail(exc, ctx)


def _choose_template(given: str | None, named: str | None, source: str) -> tuple[str, str]:
    """-t, else the data's ``template:``, else the default; and a note saying so, if it matters."""
    from docgen.registry import DEFAULT_TEMPLATE  # noqa: PLC0415

    if given is not None:
        if named is not None and named != given:
            return given, _(
                "Note: -t {given} overrides {source}'s template: {named}",
                given=given,
                source=source,
                named=named,
            )
        return given, ""
    if named is not None:
        return named, ""
    return DEFAULT_TEMPLATE, _(
        "Note: {source} names no template (a 'template:' line) and no -t was given; "
        "rendering with {default}.",
        source=source,
        default=DEFAULT_TEMPLATE,
    )


@click.command(
    cls=Command,
    short_help=N_("Render one document per record of a table."),
    help=N_(
        "Render one document per record of DATA (.csv, .xlsx, .json, .yaml).\n"
        "\n"
        "A spreadsheet row is a record; its header names the fields, a dotted name nests "
        "(student.name). A bad record is reported with its row number and the others are "
        "still written; the exit code is 1 when any failed.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  docgen batch term-comment examples/term-comments.csv -o 评语/ \\\n"
        "      --name '{student.class}-{student.name}.docx'\n"
        "  docgen batch term-comment students.xlsx -o comments.zip --workers 4\n"
        "  docgen batch term-comment students.csv -o 评语/ --skip-existing\n"
        "  docgen batch term-comment students.csv -o 评语/ --format pdf --workers 2\n"
        "  docgen batch term-comment students.csv -o 全班评语.pdf   (one file, a section each)"
    ),
)
@click.argument("template")
@click.argument("data", type=click.Path(dir_okay=False, exists=False))
@option(
    "-o",
    "--output",
    required=True,
    type=click.Path(),
    metavar="PATH",
    help=N_(
        "A folder, a file ending in .zip, or one file for all records ending in .docx "
        "(a section each) or .pdf."
    ),
)
@option(
    "--format",
    "out_format",
    type=click.Choice(["docx", "pdf", "pdfa"]),
    default="docx",
    show_default=True,
    help=N_(
        "One .docx, PDF or PDF/A per record (PDFs through LibreOffice, one warm process per "
        "worker)."
    ),
)
@option(
    "--name",
    "pattern",
    default=None,
    help=N_(
        "File-name pattern with fields of the record, e.g. "
        "'{student.class}-{student.name}.docx' (default '{title}.docx', or "
        "'{n}.docx' for records without a title)."
    ),
)
@option(
    "-w",
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help=N_("Worker processes."),
)
@option(
    "--on-error",
    type=click.Choice(["continue", "stop"]),
    default="continue",
    show_default=True,
    help=N_("After a bad record: go on, or stop."),
)
@option(
    "--skip-existing",
    is_flag=True,
    help=N_("Leave records whose file exists alone (finish an interrupted batch)."),
)
@overwrite_option(N_("Replace existing files."))
@json_option(N_("Print the per-record report as JSON."))
@click.pass_context
def batch(
    ctx: click.Context,
    template: str,
    data: str,
    output: str,
    pattern: str | None,
    workers: int,
    on_error: str,
    skip_existing: bool,
    overwrite: bool,
    as_json: bool,
    out_format: str,
) -> None:
    """``docgen batch``: a document per record of a table, with a report of the failures."""
    from docgen.batch import BatchResult, render_many  # noqa: PLC0415
    from docgen.records import read_records  # noqa: PLC0415

    try:
        records = read_records(data)
        if pattern is None:
            has_title = bool(records) and "title" in records[0][1]
            pattern = "{title}.docx" if has_title else "{n}.docx"
        bars = _StageBars(len(records))
        try:
            results = render_many(
                template,
                records,
                output,
                name=pattern,
                workers=workers,
                on_error=on_error,
                overwrite=overwrite,
                skip_existing=skip_existing,
                progress=bars.tick,
                template_dirs=template_dirs(ctx),
                format=out_format,
            )
        finally:
            bars.close()
        failures: list[BatchResult] = [r for r in results if not r.ok]
    except DocgenError as exc:
        fail(exc, ctx)
    written = sum(1 for r in results if r.ok and not r.skipped)
    skipped = sum(1 for r in results if r.skipped)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "label": r.label,
                        "path": r.path,
                        "error": r.error,
                        "code": r.code,
                        "problems": [p.to_dict() for p in r.problems],
                        "skipped": r.skipped,
                    }
                    for r in results
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    for result in sorted(failures, key=lambda r: r.index):
        click.echo(_("Error: {error}", error=result.error), err=True)
    summary = _(
        "{written} written, {skipped} skipped, {failed} failed → {output}",
        written=written,
        skipped=skipped,
        failed=len(failures),
        output=output,
    )
    if len(results) < len(records):
        summary += _(" (stopped after an error; {n} not attempted)", n=len(records) - len(results))
    click.echo(summary, err=True)
    if failures:
        ctx.exit(1)


class _StageBars:
    """A progress bar per stage (rendering, then converting to PDF), with the rate."""

    LABELS: ClassVar[dict[str, Any]] = {
        "render": lazy("rendering"),
        "pdf": lazy("converting to PDF"),
    }

    def __init__(self, total: int) -> None:
        self.total = total
        self.bar: Any = None
        self.stage = ""
        self.count = 0
        self.started = 0.0

    def tick(self, result: Any) -> None:
        if result.stage != self.stage:
            self.close()
            self.stage, self.count, self.started = result.stage, 0, time.monotonic()
            self.bar = click.progressbar(
                length=self.total,
                label=str(self.LABELS.get(result.stage, result.stage)),
                file=sys.stderr,
                show_pos=True,
                item_show_func=lambda rate: rate,
            )
            self.bar.__enter__()
        self.count += 1
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.bar.update(1, f"{self.count / elapsed:.1f}/s")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
