"""``docgen fonts``: which faces a printout of a template will use on this machine."""

from __future__ import annotations

import click

from docgen.cli.helptext import Command
from docgen.cli.options import template_dirs
from docgen.i18n import N_, _

__all__ = ["fonts"]


@click.command(
    cls=Command,
    short_help=N_("The faces a template asks for, and those drawn in PDFs."),
    help=N_(
        "List the faces TEMPLATE asks for and what this machine draws them with in PDFs; "
        "where nothing close is installed, say what to install.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  docgen fonts                 # the default template, work-summary\n"
        "  docgen fonts official"
    ),
)
@click.argument("template", default="work-summary")
@click.pass_context
def fonts(ctx: click.Context, template: str) -> None:
    """``docgen fonts``: TEMPLATE's faces and what this machine draws them with."""
    from docgen.cn.typography import display_width, pad  # noqa: PLC0415
    from docgen.fontmap import PACKAGES, choices_for  # noqa: PLC0415
    from docgen.pdf import drawn_with  # noqa: PLC0415
    from docgen.template import Template  # noqa: PLC0415

    tpl = Template.load(template, template_dirs=template_dirs(ctx))
    roles: dict[str, list[str]] = {}
    for role, style in tpl.roles.items():
        for face in (style.east_asia, style.latin):
            if face:
                roles.setdefault(face, []).append(role)
    drawn = drawn_with(sorted(roles))
    rows = [(_("face"), _("used for"), _("drawn with"))]
    warnings = []
    for face in sorted(roles):
        used = _("every role") if len(roles[face]) == len(tpl.roles) else ", ".join(roles[face])
        family = drawn[face]
        choices = choices_for(face)
        rows.append((face, used, family or _("(LibreOffice decides: no fontconfig here)")))
        if family is not None and choices and family not in choices:
            packages = sorted({PACKAGES[c] for c in choices if c in PACKAGES})
            warnings.append(
                _(
                    "{face}: nothing close is installed, it is drawn with {family}; install "
                    "{packages}",
                    face=face,
                    family=family,
                    packages=_(" or ").join(packages),
                )
            )
        elif family is not None and not choices:
            warnings.append(
                _(
                    "{face}: docgen knows no free face like it; it is drawn with {family}",
                    face=face,
                    family=family,
                )
            )
    widths = [max(display_width(r[i]) for r in rows) for i in range(2)]
    click.echo(_("template {name} ({source})", name=tpl.name, source=tpl.source))
    for face, used, family in rows:
        click.echo(f"  {pad(face, widths[0])}  {pad(used, widths[1])}  {family}")
    for warning in warnings:
        click.echo(_("Warning: {warning}", warning=warning), err=True)
