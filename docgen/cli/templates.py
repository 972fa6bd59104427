"""``docgen templates list|show|copy`` and ``docgen inspect``: what templates there are and hold.

The registry, templates and the inspector are imported inside each command.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import click

from docgen.cli.errors import fail
from docgen.cli.options import json_option, overwrite_option, template_dirs
from docgen.errors import DocgenError
from docgen.i18n import _

__all__ = ["inspect", "templates"]


@click.group()
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
@json_option()
@click.pass_context
def templates_list(ctx: click.Context, as_json: bool) -> None:
    """Every template docgen finds, in lookup order; a shadowed one says which wins.

    列出所有可用模板（按查找顺序）；同名时注明哪个生效。
    """
    try:
        rows = template_rows(ctx)
    except DocgenError as exc:
        fail(exc, ctx)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for line in listing(rows):
        click.echo(line)


def template_rows(ctx: click.Context) -> list[dict[str, Any]]:
    """Every template docgen finds with the command's folders, in lookup order.

    A broken installed template is skipped with a warning on standard error.
    """
    from docgen import registry  # noqa: PLC0415
    from docgen.manifest import Manifest  # noqa: PLC0415

    with warnings.catch_warnings(record=True) as skipped:  # broken installed templates
        warnings.simplefilter("always")
        found = registry.sources(template_dirs(ctx))
    for warning in skipped:
        click.echo(_("Warning: {warning}", warning=warning.message), err=True)
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
    return rows


def listing(rows: list[dict[str, Any]]) -> list[str]:
    """*rows* as aligned lines; a shadowed template is marked ``-`` and says which wins."""
    from docgen.cn.typography import display_width, pad  # noqa: PLC0415

    width = max((display_width(r["name"]) for r in rows), default=4)
    shown = max((display_width(r["display_name"] or "") for r in rows), default=0)
    lines = []
    for r in rows:
        mark = " " if r["active"] else "-"
        line = f"{mark} {pad(r['name'], width)}  {pad(r['display_name'] or '', shown)}  "
        line += f"[{r['origin']}] {r['location']}"
        if r["shadowed_by"]:
            line += _("  (shadowed by {winner})", winner=r["shadowed_by"])
        lines.append(line)
    return lines


@templates.command("show")
@click.argument("name")
@json_option()
@click.pass_context
def templates_show(ctx: click.Context, name: str, as_json: bool) -> None:
    """What a template holds: manifest, numbering, styles, fonts and fields (模板详情)."""
    from docgen import registry  # noqa: PLC0415
    from docgen.template import Template  # noqa: PLC0415

    try:
        src = registry.find(name, template_dirs(ctx))
        tpl = Template.load(name, template_dirs=template_dirs(ctx))
    except DocgenError as exc:
        fail(exc, ctx)
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
    click.echo(_("  from: [{origin}] {location}", origin=info["origin"], location=info["location"]))
    if m.description:
        click.echo("  " + m.description.replace("\n", "\n  "))
    click.echo(_("  numbering: {numbering}", numbering=info["numbering"]))
    from datetime import date  # noqa: PLC0415

    from docgen.cn import format_date  # noqa: PLC0415

    example = format_date(date(2014, 1, 15), m.date_style)
    click.echo(
        _(
            "  signature date: {style} ({example}) unless the data says",
            style=m.date_style,
            example=example,
        )
    )
    click.echo(_("  roles (style id; faces, size):"))
    for role, style in tpl.roles.items():
        click.echo(f"    {role:<12} {style.style_id:<12} {fonts[role]}")
    if m.fields:
        click.echo(_("  fields (under extra: in the data file):"))
        for field, spec in m.fields.items():
            need = (
                _("required")
                if spec.required and spec.default is None
                else _("default {value}", value=repr(spec.default))
            )
            click.echo(f"    {field:<14} {spec.description}  ({need})")


@templates.command("copy")
@click.argument("name")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--name", "new_name", help="Name of the copy (default: the same name). 新模板名。")
@overwrite_option("Replace an existing copy. 覆盖已有文件。")
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
            template_dirs=template_dirs(ctx),
        )
    except DocgenError as exc:
        fail(exc, ctx)
    click.echo(_("copied {name} to {target}", name=name, target=target), err=True)
    click.echo(str(target))


@click.command()
@click.argument("template")
@click.option(
    "--data",
    "data_file",
    type=click.Path(dir_okay=False),
    help="Check the template against this data file too (names it lacks are errors). "
    "用数据文件一并检查。",
)
@json_option()
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
                uses_report = Template.load(template, template_dirs=template_dirs(ctx)).uses_report
            except DocgenError:  # a broken template: inspect says why; read the data plainly
                uses_report = False
            data = (load_report if uses_report else load_data)(data_file)
        result = inspect_template(template, data=data, template_dirs=template_dirs(ctx))
    except DocgenError as exc:
        fail(exc, ctx)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(result.format_text())
    if not result.ok:
        ctx.exit(1)
