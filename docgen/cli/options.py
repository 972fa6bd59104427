"""The options several ``docgen`` commands share, each defined once, and the group's settings.

Each factory takes the help text where commands word it differently (``--overwrite`` replaces
an output file for ``render``, a copy for ``templates copy``), so every command's ``--help``
reads as before.  Help texts are msgids marked with :func:`~docgen.i18n.N_`, shown in the
user's language (:mod:`docgen.cli.helptext`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from docgen.cli.helptext import option
from docgen.files import refuse_existing
from docgen.i18n import N_, lazy

__all__ = [
    "json_option",
    "normalize_punctuation_option",
    "output_file_option",
    "overwrite_option",
    "refuse_existing_output",
    "template_dirs",
]

_F = TypeVar("_F", bound=Callable[..., Any])


def overwrite_option(
    help: str = N_("Replace OUTPUT if it exists."),  # noqa: A002 - click's name
) -> Callable[[_F], _F]:
    """``--overwrite``: replace what exists (docgen refuses otherwise)."""
    return option("--overwrite", is_flag=True, help=help)


def json_option(
    help: str = N_("Print JSON for tools."),  # noqa: A002 - click's name
) -> Callable[[_F], _F]:
    """``--json``: print the result as JSON, passed as ``as_json``."""
    return option("--json", "as_json", is_flag=True, help=help)


def normalize_punctuation_option() -> Callable[[_F], _F]:
    """``--normalize-punctuation``: full-width punctuation next to Chinese."""
    return option(
        "--normalize-punctuation",
        is_flag=True,
        help=N_("Make half-width , ; : ? ! ( ) next to Chinese full-width."),
    )


def output_file_option(
    help: str,  # noqa: A002 - click's name; a msgid, N_("…")
    *,
    default: str | None = None,
) -> Callable[[_F], _F]:
    """``-o/--output``: a file, ``-`` for standard output; required unless given a *default*."""
    given: dict[str, Any] = (
        {"required": True} if default is None else {"default": default, "show_default": True}
    )
    return option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, allow_dash=True),
        metavar="FILE",
        help=help,
        **given,
    )


def template_dirs(ctx: click.Context) -> tuple[str, ...]:
    """The ``--template-dir`` folders given to the ``docgen`` group, in order."""
    dirs: tuple[str, ...] = ctx.find_root().params.get("template_dirs") or ()
    return dirs


def refuse_existing_output(output: str, overwrite: bool) -> None:
    """Refuse an existing OUTPUT before any work is done (``-``, standard output, never is)."""
    if output != "-":
        refuse_existing(
            output, overwrite=overwrite, expected=lazy("a new file name, or --overwrite")
        )
