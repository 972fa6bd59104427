"""The command line's help in the user's language: English, or Chinese under ``--lang zh``.

Help texts are English msgids marked with :func:`~docgen.i18n.N_` where the commands and
options are defined (at import time, when the language may not be known yet), and translated
each time click reads them to format the help, in the language active then.  The classes here
do that: :class:`Command` and :class:`Group` for a command's ``help``, ``short_help`` and
``epilog``, :class:`Option` (through :func:`option`) for an option's ``help``.  The ``-h,
--help`` option click adds itself is worded in the language too.

The docstrings of the command functions are for developers; the help a user reads is the
``help=`` given to the decorator.

Chinese help is wrapped by :class:`HelpFormatter`: click wraps by characters, and a Chinese
character takes two columns of a terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

from docgen.i18n import _

__all__ = ["Command", "Group", "HelpFormatter", "Option", "option"]

_F = TypeVar("_F", bound=Callable[..., Any])


def _translated(msgid: str | None) -> str | None:
    """*msgid* in the current language; None and "" (gettext's header) unchanged."""
    return _(msgid) if msgid else msgid


def _prewrapped(text: str, width: int) -> str:
    """*text*'s paragraphs with wide characters wrapped to *width* columns, marked for click.

    A paragraph that begins with click's ``\\b`` line is left as it is; a paragraph with
    Chinese in it is wrapped by :func:`~docgen.cn.typography.wrap_columns` and given the
    ``\\b`` line that tells click not to wrap it again.  English text is left to click.
    """
    from docgen.cn.typography import has_east_asian, wrap_columns  # noqa: PLC0415 - only for help

    out = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.splitlines()
        if lines and lines[0].strip() != "\b" and has_east_asian(paragraph):
            indent = len(lines[0]) - len(lines[0].lstrip())
            wrapped = wrap_columns(" ".join(lines), max(width - indent, 10))
            out.append("\n".join(["\b", *(" " * indent + line for line in wrapped)]))
        else:
            out.append(paragraph)
    return "\n\n".join(out)


class HelpFormatter(click.HelpFormatter):
    """click's help formatter, measuring Chinese by the columns it takes on a terminal."""

    def write_heading(self, heading: str) -> None:
        """A heading, with a full-width colon after a Chinese one (选项：)."""
        from docgen.cn.typography import has_east_asian  # noqa: PLC0415 - only for help

        colon = "：" if has_east_asian(heading) else ":"
        self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")

    def write_text(self, text: str) -> None:
        """A paragraph of help, wrapped by columns where it holds Chinese."""
        super().write_text(_prewrapped(text, self.width - self.current_indent))

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        """Options and commands with their help, the help wrapped as click would place it."""
        from docgen.cn.typography import display_width  # noqa: PLC0415 - only for help

        rows = list(rows)
        first = max((display_width(r[0]) for r in rows), default=0)
        first_col = min(first, col_max) + col_spacing
        width = max(self.width - first_col - 2, 10)  # click's width for the second column
        super().write_dl([(a, _prewrapped(b, width)) for a, b in rows], col_max, col_spacing)


class _Context(click.Context):
    formatter_class = HelpFormatter


class _Translated:
    """A text click reads (``help``, ``short_help``, ``epilog``): kept as a msgid, translated.

    Each read gives the text in the language active then.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}_msgid"

    def __get__(self, obj: object, owner: type | None = None) -> str | None:
        return None if obj is None else _translated(getattr(obj, self.slot, None))

    def __set__(self, obj: object, value: str | None) -> None:
        setattr(obj, self.slot, value)


class _TranslatedHelp:
    """A command whose help texts are msgids, read in the current language."""

    context_class: type[click.Context] = _Context
    help = _Translated()
    short_help = _Translated()
    epilog = _Translated()

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """The ``--help`` option click makes once and keeps, worded in the current language."""
        help_option: click.Option | None = super().get_help_option(ctx)  # type: ignore[misc]
        if help_option is not None:
            help_option.help = _("Show this message and exit.")
        return help_option


class Command(_TranslatedHelp, click.Command):
    """A ``docgen`` command: its help in the user's language."""


class Group(_TranslatedHelp, click.Group):
    """A ``docgen`` group: its help, and its commands' (:class:`Command`), in the language."""

    command_class = Command
    group_class = type  # subgroups are of the same class


class Option(click.Option):
    """An option whose ``help`` is a msgid, read in the current language."""

    help = _Translated()


def option(*param_decls: str, **attrs: Any) -> Callable[[_F], _F]:
    """:func:`click.option` making an :class:`Option`: ``help=N_("…")`` shown translated."""
    return click.option(*param_decls, cls=Option, **attrs)
