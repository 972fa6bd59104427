"""The options several ``docgen`` commands share, each defined once, and the group's settings.

Each factory takes the help text where commands word it differently (``--overwrite`` replaces
an output file for ``render``, a copy for ``templates copy``), so every command's ``--help``
reads as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

__all__ = [
    "json_option",
    "normalize_punctuation_option",
    "output_file_option",
    "overwrite_option",
    "template_dirs",
]

_F = TypeVar("_F", bound=Callable[..., Any])


def overwrite_option(
    help: str = "Replace OUTPUT if it exists. 覆盖已存在的文件。",  # noqa: A002 - click's name
) -> Callable[[_F], _F]:
    """``--overwrite``: replace what exists (docgen refuses otherwise)."""
    return click.option("--overwrite", is_flag=True, help=help)


def json_option(
    help: str = "Print JSON for tools. 输出 JSON。",  # noqa: A002 - click's name
) -> Callable[[_F], _F]:
    """``--json``: print the result as JSON, passed as ``as_json``."""
    return click.option("--json", "as_json", is_flag=True, help=help)


def normalize_punctuation_option() -> Callable[[_F], _F]:
    """``--normalize-punctuation``: full-width punctuation next to Chinese."""
    return click.option(
        "--normalize-punctuation",
        is_flag=True,
        help="Make half-width , ; : ? ! ( ) next to Chinese full-width. "
        "把中文旁的半角标点改为全角。",
    )


def output_file_option(
    help: str,  # noqa: A002 - click's name
    *,
    default: str | None = None,
) -> Callable[[_F], _F]:
    """``-o/--output``: a file, ``-`` for standard output; required unless given a *default*."""
    given: dict[str, Any] = (
        {"required": True} if default is None else {"default": default, "show_default": True}
    )
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, allow_dash=True),
        help=help,
        **given,
    )


def template_dirs(ctx: click.Context) -> tuple[str, ...]:
    """The ``--template-dir`` folders given to the ``docgen`` group, in order."""
    dirs: tuple[str, ...] = ctx.find_root().params.get("template_dirs") or ()
    return dirs
