"""``docgen templates list|show|copy`` and ``docgen inspect``: what templates there are and hold.

The registry, templates and the inspector are imported inside each command.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import click

from docgen.cli.errors import fail
from docgen.cli.helptext import Command, Group, option
from docgen.cli.options import json_option, overwrite_option, template_dirs
from docgen.errors import DocgenError
from docgen.i18n import N_, _

__all__ = ["inspect", "templates"]


@click.group(
    cls=Group,
    short_help=N_("List, show and copy templates."),
    help=N_(
        "List, show and copy templates.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  docgen templates list\n"
        "  docgen templates show work-summary\n"
        "  docgen templates copy work-summary my-templates --name our-summary\n"
        "  docgen --template-dir my-templates render data.yaml -t our-summary -o out.docx"
    ),
)
def templates() -> None:
    """``docgen templates``: the group of ``list``, ``show`` and ``copy``."""


@templates.command(
    "list",
    short_help=N_("Every template docgen finds, in lookup order."),
    help=N_("Every template docgen finds, in lookup order; a shadowed one says which wins."),
)
@json_option()
@click.pass_context
def templates_list(ctx: click.Context, as_json: bool) -> None:
    """``docgen templates list``: the templates found, shadowed ones marked."""
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


@templates.command(
    "show",
    short_help=N_("What a template holds."),
    help=N_("What a template holds: manifest, numbering, styles, fonts and fields."),
)
@click.argument("name")
@json_option()
@click.pass_context
def templates_show(ctx: click.Context, name: str, as_json: bool) -> None:
    """``docgen templates show``: a template's manifest, numbering, styles, fonts, fields."""
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


@templates.command(
    "copy",
    short_help=N_("Copy a template into a folder, to edit."),
    help=N_(
        "Copy a template into DIRECTORY as a starting point to edit in Word or WPS; "
        "use it with --template-dir.\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  docgen templates copy work-summary my-templates --name our-summary\n"
        "  docgen --template-dir my-templates render data.yaml -t our-summary -o out.docx"
    ),
)
@click.argument("name")
@click.argument("directory", type=click.Path(file_okay=False))
@option("--name", "new_name", help=N_("Name of the copy (default: the same name)."))
@overwrite_option(N_("Replace an existing copy."))
@click.pass_context
def templates_copy(
    ctx: click.Context, name: str, directory: str, new_name: str | None, overwrite: bool
) -> None:
    """``docgen templates copy``: a template copied into DIRECTORY, to edit."""
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


@click.command(
    cls=Command,
    short_help=N_("What a template uses and what is wrong with it."),
    help=N_(
        "What TEMPLATE uses and what is wrong with it; exit 1 when there are errors.\n"
        "\n"
        "Lists the variables it uses (nested as its loops are) and the filters (body, headers, "
        "footers, footnotes), and reports missing variables, unknown filters, syntax errors, "
        "tags Word split apart, tags in text boxes or field codes and missing styles, each "
        "with its part and the text of its paragraph.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  docgen inspect work-summary\n"
        "  docgen inspect my-template.docx --data summary.yaml\n"
        "  docgen --template-dir my-templates inspect our-summary --json"
    ),
)
@click.argument("template")
@option(
    "--data",
    "data_file",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help=N_("Check the template against this data file too (names it lacks are errors)."),
)
@json_option()
@click.pass_context
def inspect(ctx: click.Context, template: str, data_file: str | None, as_json: bool) -> None:
    """``docgen inspect``: what TEMPLATE uses and what is wrong with it."""
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
