"""The ``docgen`` command: a face over the same API Python users call.

Exit codes: 0 done, 1 an error in the data, template or files (the message says where),
2 a usage error (unknown option, missing argument).
"""

from __future__ import annotations

import io
import json
import os
import shlex
import sys
import traceback
from pathlib import Path
from typing import Any, NoReturn

import click

from docgen import __version__
from docgen.errors import DocgenError


class _DocgenCommandError(click.ClickException):
    """A DocgenError shown the click way: ``Error: …`` on stderr, exit code 1.

    With ``--debug`` the traceback is printed first.
    """

    exit_code = 1

    def __init__(self, error: DocgenError, as_json: bool, debug: bool = False) -> None:
        super().__init__(str(error))
        self.error = error
        self.as_json = as_json
        self.debug = debug

    def show(self, file: Any = None) -> None:
        out = file or sys.stderr
        if self.debug:
            click.echo("".join(traceback.format_exception(self.error)).rstrip(), file=out)
        if self.as_json:
            click.echo(json.dumps(self.error.to_dict(), ensure_ascii=False), file=out)
        else:
            click.echo(f"Error: {self.error}", file=out)


def _fail(error: DocgenError, ctx: click.Context) -> NoReturn:
    params = ctx.find_root().params
    as_json = bool(params.get("json_errors"))
    raise _DocgenCommandError(error, as_json, bool(params.get("debug"))) from None


class _Main(click.Group):
    """The ``docgen`` group: no error shows a traceback unless ``--debug`` asks for it.

    A user's error is ``Error: …`` with exit code 1 (a file docgen cannot read or write
    included); anything else is a bug in docgen, reported on one line, also with exit code 1.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            # The reader of the output went away (``docgen templates show … | head``): nothing
            # to report.  Output still buffered goes nowhere, so exiting raises nothing more.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(1)
        except OSError as exc:  # a missing folder, no permission, a full disk
            if ctx.params.get("debug"):
                raise
            error = DocgenError(
                f"cannot be read or written: {exc.strerror or exc}",
                where=str(exc.filename) if exc.filename else "a file",
                expected="a path in a folder that exists and that docgen may write to",
            )
            _fail(error, ctx)
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            summary = (str(exc).strip().splitlines() or [""])[0][:200]
            message = (
                "internal error, please report it to the docgen developers with the command "
                f"you ran: {type(exc).__name__}: {summary} (--debug shows the traceback)"
            )
            if ctx.params.get("json_errors"):
                data = {"error": "InternalError", "message": message}
                click.echo(json.dumps(data, ensure_ascii=False), err=True)
            else:
                click.echo(f"Error: {message}", err=True)
            ctx.exit(1)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="docgen")
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
def main(template_dirs: tuple[str, ...], json_errors: bool, debug: bool) -> None:
    """docgen: Chinese school documents from data and Word templates.

    docgen：用数据和 Word 模板生成规范的中文学校文档（工作总结、计划、通知……）。

    \b
    Examples / 示例:
      docgen render examples/party-branch-summary.yaml -o summary.docx
      cat report.json | docgen render - -t work-summary -o - > summary.docx
    """
    _utf8_pipes()


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


@main.command()
@click.argument("data", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-t",
    "--template",
    default="work-summary",
    show_default=True,
    help="Built-in template name, a .docx file, or a template folder. "
    "模板：内置名称、.docx 文件或模板目录。",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Where to write the .docx ('-' for standard output). 输出文件（- 表示标准输出）。",
)
@click.option(
    "--format",
    "data_format",
    type=click.Choice(["yaml", "json", "toml"]),
    help="Format of DATA when it is '-' (default: guessed). 标准输入的数据格式。",
)
@click.option(
    "--numbering",
    help="Heading numbering: SCHOOL (一、1、（1）①), GBT9704 "
    "(一、（一）1.（1）) or DECIMAL. 标题编号方案。",
)
@click.option(
    "--normalize-punctuation",
    is_flag=True,
    help="Make half-width , ; : ? ! ( ) next to Chinese full-width. 把中文旁的半角标点改为全角。",
)
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace OUTPUT if it exists (otherwise docgen refuses). 覆盖已存在的文件。",
)
@click.option(
    "--pdf",
    is_flag=True,
    help="Write a PDF (through LibreOffice) instead of .docx; implied by an OUTPUT ending in "
    ".pdf. 输出 PDF。",
)
@click.option("--pdfa", is_flag=True, help="Write PDF/A-2b, for archiving. 输出归档用 PDF/A。")
@click.pass_context
def render(
    ctx: click.Context,
    data: str,
    template: str,
    output: str,
    data_format: str | None,
    numbering: str | None,
    normalize_punctuation: bool,
    overwrite: bool,
    pdf: bool,
    pdfa: bool,
) -> None:
    """Render DATA (YAML, JSON or TOML; '-' for stdin) into a Word document.

    把数据文件（YAML/JSON/TOML，- 表示标准输入）按模板生成 Word 文档。

    \b
    Examples / 示例:
      docgen render examples/party-branch-summary.yaml -o summary.docx
      docgen render summary.yaml -t work-summary --numbering GBT9704 -o summary.docx
      cat summary.json | docgen render - --format json -o - > summary.docx
      docgen render summary.yaml -o summary.pdf            (PDF through LibreOffice)
      docgen render summary.yaml -o summary.pdf --pdfa     (PDF/A-2b for archiving)
    """
    from docgen.loaders import load_data, load_report  # noqa: PLC0415 - keeps --help fast
    from docgen.render import render as render_report  # noqa: PLC0415
    from docgen.template import Template  # noqa: PLC0415

    try:
        tpl = Template.load(template, template_dirs=_template_dirs(ctx))
        # a template written for reports reads a report; a plain template, plain data
        load = load_report if tpl.uses_report else load_data
        if data == "-":
            raw = sys.stdin.read()
            fmt = data_format or ("json" if raw.lstrip().startswith(("{", "[")) else "yaml")
            stream = io.StringIO(raw)
            stream.name = "<stdin>"  # errors name the source
            report: Any = load(stream, format=fmt)
        else:
            report = load(data)
        if output != "-" and not overwrite and Path(output).exists():
            # Checked before rendering too, so a long render is not wasted.
            from docgen.errors import OutputExistsError  # noqa: PLC0415

            raise OutputExistsError(
                "already exists; docgen does not overwrite files unless asked",
                where=output,
                expected="a new file name, or --overwrite",
            )
        doc = render_report(
            report,
            tpl,
            numbering=numbering,
            normalize_punctuation=normalize_punctuation,
            template_dirs=_template_dirs(ctx),
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
                f"wrote {path} ({path.stat().st_size:,} bytes, template {doc.template})",
                err=True,
            )
        for warning in doc.warnings:
            click.echo(f"Warning: {warning}", err=True)
    except DocgenError as exc:
        _fail(exc, ctx)


def _template_dirs(ctx: click.Context) -> tuple[str, ...]:
    dirs: tuple[str, ...] = ctx.find_root().params.get("template_dirs") or ()
    return dirs


@main.group()
def templates() -> None:
    """List, show and copy templates: 查看、复制模板.

    \b
    Examples / 示例:
      docgen templates list
      docgen templates show work-summary
      docgen templates copy work-summary my-templates --name our-summary
      docgen --template-dir my-templates render data.yaml -t our-summary -o out.docx
    """


@templates.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for tools. 输出 JSON。")
@click.pass_context
def templates_list(ctx: click.Context, as_json: bool) -> None:
    """Every template docgen finds, in lookup order; a shadowed one says which wins.

    列出所有可用模板（按查找顺序）；同名时注明哪个生效。
    """
    from docgen import registry  # noqa: PLC0415
    from docgen.manifest import Manifest  # noqa: PLC0415

    try:
        found = registry.sources(_template_dirs(ctx))
        rows: list[dict[str, Any]] = []
        winners: dict[str, registry.TemplateSource] = {}
        for src in found:
            winners.setdefault(src.name, src)
            manifest = Manifest.read(src.manifest) if src.manifest else None
            winner = winners[src.name]
            rows.append(
                {
                    "name": src.name,
                    "display_name": manifest.display_name if manifest else "",
                    "origin": src.origin,
                    "location": str(src.location),
                    "active": winner is src,
                    "shadowed_by": None if winner is src else f"{winner.origin}: {winner.location}",
                }
            )
    except DocgenError as exc:
        _fail(exc, ctx)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from docgen.cn.typography import display_width, pad  # noqa: PLC0415

    width = max((display_width(r["name"]) for r in rows), default=4)
    shown = max((display_width(r["display_name"] or "") for r in rows), default=0)
    for r in rows:
        mark = " " if r["active"] else "-"
        line = f"{mark} {pad(r['name'], width)}  {pad(r['display_name'] or '', shown)}  "
        line += f"[{r['origin']}] {r['location']}"
        if r["shadowed_by"]:
            line += f"  (shadowed by {r['shadowed_by']})"
        click.echo(line)


@templates.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for tools. 输出 JSON。")
@click.pass_context
def templates_show(ctx: click.Context, name: str, as_json: bool) -> None:
    """What a template holds: manifest, numbering, styles, fonts and fields (模板详情)."""
    from docgen import registry  # noqa: PLC0415
    from docgen.template import Template  # noqa: PLC0415

    try:
        src = registry.find(name, _template_dirs(ctx))
        tpl = Template.load(name, template_dirs=_template_dirs(ctx))
    except DocgenError as exc:
        _fail(exc, ctx)
    m = tpl.manifest
    fonts = {
        role: f"{style.east_asia} / {style.latin}, {style.size_pt:g} pt"
        for role, style in tpl.roles.items()
    }
    info: dict[str, Any] = {
        "name": tpl.name,
        "display_name": m.display_name,
        "description": m.description,
        "origin": src.origin,
        "location": str(src.location),
        "numbering": f"{tpl.scheme.name}: "
        + " ".join(tpl.scheme.label(level, 1) for level in range(1, tpl.scheme.depth + 1)),
        "date_style": m.date_style,
        "styles": {role: style.style_id for role, style in tpl.roles.items()},
        "fonts": fonts,
        "fields": {
            field: {
                "description": spec.description,
                "default": spec.default,
                "required": spec.required,
            }
            for field, spec in m.fields.items()
        },
    }
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(f"{info['name']}  {info['display_name']}")
    click.echo(f"  from: [{info['origin']}] {info['location']}")
    if m.description:
        click.echo("  " + m.description.replace("\n", "\n  "))
    click.echo(f"  numbering: {info['numbering']}")
    from datetime import date  # noqa: PLC0415

    from docgen.cn import format_date  # noqa: PLC0415

    example = format_date(date(2014, 1, 15), m.date_style)
    click.echo(f"  signature date: {m.date_style} ({example}) unless the data says")
    click.echo("  roles (style id; faces, size):")
    for role, style in tpl.roles.items():
        click.echo(f"    {role:<12} {style.style_id:<12} {fonts[role]}")
    if m.fields:
        click.echo("  fields (under extra: in the data file):")
        for field, spec in m.fields.items():
            need = (
                "required"
                if spec.required and spec.default is None
                else f"default {spec.default!r}"
            )
            click.echo(f"    {field:<14} {spec.description}  ({need})")


@templates.command("copy")
@click.argument("name")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--name", "new_name", help="Name of the copy (default: the same name). 新模板名。")
@click.option("--overwrite", is_flag=True, help="Replace an existing copy. 覆盖已有文件。")
@click.pass_context
def templates_copy(
    ctx: click.Context, name: str, directory: str, new_name: str | None, overwrite: bool
) -> None:
    """Copy a template into DIRECTORY as a starting point to edit in Word or WPS.

    把模板复制到目录中，用 Word 或 WPS 打开修改后，以 --template-dir 使用。

    \b
    Example / 示例:
      docgen templates copy work-summary my-templates --name our-summary
      docgen --template-dir my-templates render data.yaml -t our-summary -o out.docx
    """
    from docgen.registry import copy_template  # noqa: PLC0415

    try:
        target = copy_template(
            name,
            directory,
            new_name=new_name,
            overwrite=overwrite,
            template_dirs=_template_dirs(ctx),
        )
    except DocgenError as exc:
        _fail(exc, ctx)
    click.echo(f"copied {name} to {target}", err=True)
    click.echo(str(target))


@main.command()
@click.argument("template")
@click.argument("data", type=click.Path(dir_okay=False, exists=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(),
    help="A folder, or a file ending in .zip. 输出目录或 .zip 文件。",
)
@click.option(
    "--name",
    "pattern",
    default=None,
    help="File-name pattern with fields of the record, e.g. "
    "'{student.class}-{student.name}.docx' (default '{title}.docx', or "
    "'{n}.docx' for records without a title). 文件名模式。",
)
@click.option(
    "-w",
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes. 并行进程数。",
)
@click.option(
    "--on-error",
    type=click.Choice(["continue", "stop"]),
    default="continue",
    show_default=True,
    help="After a bad record: go on, or stop. 遇到错误继续或停止。",
)
@click.option(
    "--skip-existing",
    is_flag=True,
    help="Leave records whose file exists alone (finish an interrupted batch). 跳过已生成的文件。",
)
@click.option("--overwrite", is_flag=True, help="Replace existing files. 覆盖已存在的文件。")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the per-record report as JSON. 以 JSON 输出逐条结果。",
)
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
) -> None:
    """Render one document per record of DATA (.csv, .xlsx, .json, .yaml).

    按数据表（CSV/Excel/JSON/YAML）的每一行生成一份文档。表头即字段名，带点的列名表示嵌套
    （student.name）。任何一条出错都会报告行号，其余照常生成；有失败时退出码为 1。

    \b
    Examples / 示例:
      docgen batch term-comment examples/term-comments.csv -o 评语/ \
          --name '{student.class}-{student.name}.docx'
      docgen batch term-comment students.xlsx -o comments.zip --workers 4
      docgen batch term-comment students.csv -o 评语/ --skip-existing
    """
    from docgen.batch import BatchResult, render_many  # noqa: PLC0415
    from docgen.records import read_records  # noqa: PLC0415

    try:
        records = read_records(data)
        if pattern is None:
            has_title = bool(records) and "title" in records[0][1]
            pattern = "{title}.docx" if has_title else "{n}.docx"
        failures: list[BatchResult] = []
        with click.progressbar(
            length=len(records), label="rendering", file=sys.stderr, show_pos=True
        ) as bar:

            def tick(result: BatchResult) -> None:
                bar.update(1)
                if not result.ok:
                    failures.append(result)

            results = render_many(
                template,
                records,
                output,
                name=pattern,
                workers=workers,
                on_error=on_error,
                overwrite=overwrite,
                skip_existing=skip_existing,
                progress=tick,
                template_dirs=_template_dirs(ctx),
            )
    except DocgenError as exc:
        _fail(exc, ctx)
    written = sum(1 for r in results if r.ok and not r.skipped)
    skipped = sum(1 for r in results if r.skipped)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {"label": r.label, "path": r.path, "error": r.error, "skipped": r.skipped}
                    for r in results
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    for result in sorted(failures, key=lambda r: r.index):
        click.echo(f"Error: {result.error}", err=True)
    summary = f"{written} written, {skipped} skipped, {len(failures)} failed → {output}"
    if len(results) < len(records):
        summary += f" (stopped after an error; {len(records) - len(results)} not attempted)"
    click.echo(summary, err=True)
    if failures:
        ctx.exit(1)


@main.command("import")
@click.argument("source", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="The data file to write (.yaml or .json; '-' for standard output). 输出数据文件。",
)
@click.option(
    "--format",
    "source_format",
    type=click.Choice(["text", "markdown", "docx"]),
    help="What SOURCE is when it is '-' (default text). 标准输入的格式。",
)
@click.option(
    "--normalize-punctuation",
    is_flag=True,
    help="Make half-width , ; : ? ! ( ) next to Chinese full-width. 把中文旁的半角标点改为全角。",
)
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists. 覆盖已存在的文件。")
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
            click.echo(f"wrote {path}", err=True)
    except DocgenError as exc:
        _fail(exc, ctx)
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)


@main.command()
@click.argument("template")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Where to write the data file ('-' for standard output). 输出文件。",
)
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists. 覆盖已存在的文件。")
@click.pass_context
def new(ctx: click.Context, template: str, output: str, overwrite: bool) -> None:
    """Write a filled-in starting data file for TEMPLATE, to edit and render.

    为模板生成一份填好示例内容的数据文件（YAML），改好后即可生成文档。

    \b
    Example / 示例:
      docgen new work-summary -o summary.yaml
      docgen render summary.yaml -t work-summary -o summary.docx
    """
    from docgen.files import write_atomic  # noqa: PLC0415
    from docgen.starter import starter_yaml  # noqa: PLC0415
    from docgen.template import Template  # noqa: PLC0415

    try:
        text = starter_yaml(Template.load(template, template_dirs=_template_dirs(ctx)))
        if output == "-":
            click.echo(text, nl=False)
        else:
            path = write_atomic(output, text.encode("utf-8"), overwrite=overwrite)
            # the same folders, so the same template is found when rendering
            dirs = "".join(f"--template-dir {shlex.quote(d)} " for d in _template_dirs(ctx))
            click.echo(
                f"wrote {path}; edit it, then: docgen {dirs}render {shlex.quote(str(path))} "
                f"-t {shlex.quote(template)} -o out.docx",
                err=True,
            )
    except DocgenError as exc:
        _fail(exc, ctx)


@main.command()
@click.argument("template")
@click.option(
    "--data",
    "data_file",
    type=click.Path(dir_okay=False),
    help="Check the template against this data file too (names it lacks are errors). "
    "用数据文件一并检查。",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for tools. 输出 JSON。")
@click.pass_context
def inspect(ctx: click.Context, template: str, data_file: str | None, as_json: bool) -> None:
    """What TEMPLATE uses and what is wrong with it; exit 1 when there are errors.

    检查模板：列出用到的变量（按循环嵌套）和过滤器（正文、页眉、页脚、脚注），并报告缺少的变量、
    未知过滤器、语法错误、被 Word 拆开的标记、放在文本框或域代码里的标记、缺少的样式——每条都给出
    所在部件和段落文字。有错误时退出码为 1。

    \b
    Examples / 示例:
      docgen inspect work-summary
      docgen inspect my-template.docx --data summary.yaml
      docgen --template-dir my-templates inspect our-summary --json
    """
    from docgen.inspect import inspect_template  # noqa: PLC0415
    from docgen.loaders import load_data, load_report  # noqa: PLC0415
    from docgen.template import Template  # noqa: PLC0415

    try:
        data: Any = None
        if data_file is not None:
            try:
                uses_report = Template.load(template, template_dirs=_template_dirs(ctx)).uses_report
            except DocgenError:  # a broken template: inspect says why; read the data plainly
                uses_report = False
            data = (load_report if uses_report else load_data)(data_file)
        result = inspect_template(template, data=data, template_dirs=_template_dirs(ctx))
    except DocgenError as exc:
        _fail(exc, ctx)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(result.format_text())
    if not result.ok:
        ctx.exit(1)


@main.command()
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
) -> None:
    """Serve the HTTP/JSON API and the web page (needs pip install "docgen-cn[web]").

    启动网页与 HTTP 接口服务（需要 pip install "docgen-cn[web]"），默认只监听本机。

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
        template_dirs=(*_template_dirs(ctx), *serve_template_dirs),
        token=token,
        max_upload_mb=max_upload_mb,
        timeout=timeout,
    )


@main.command()
def demo() -> None:
    """Print a demonstration of the Chinese conventions (docgen.cn): 演示中文规范函数."""
    import datetime  # noqa: PLC0415

    from docgen import cn  # noqa: PLC0415

    d = datetime.date(2014, 1, 15)
    rows = [
        ("to_chinese(10010)", cn.to_chinese(10010)),
        ("to_chinese(1000000001)", cn.to_chinese(1000000001)),
        ("to_chinese(105, financial=True)", cn.to_chinese(105, financial=True)),
        ("from_chinese('1万2千')", str(cn.from_chinese("1万2千"))),
        ("chinese_digits(2014)", cn.chinese_digits(2014)),
        ("rmb_upper('1409.50')", cn.rmb_upper("1409.50")),
        ("format_date(d, 'long')", cn.format_date(d, "long")),
        ("format_date(d, 'chinese')", cn.format_date(d, "chinese")),
        ("format_date(d, 'bill')", cn.format_date(d, "bill")),
        ("Term.of(d)", str(cn.Term.of(d))),
        ("GBT9704 labels", " ".join(cn.GBT9704.label(i, 1) for i in range(1, 5))),
        ("SCHOOL labels", " ".join(cn.SCHOOL.label(i, 1) for i in range(1, 5))),
        ("font_size('三号')", str(cn.font_size("三号"))),
        ("normalize_punctuation", cn.normalize_punctuation("小结(初稿),学习;")),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        click.echo(f"{key.ljust(width)}  {value}")


if __name__ == "__main__":  # pragma: no cover
    main()
