"""The command line's help in the user's language: English, or Chinese under ``--lang zh``.

Help texts are English msgids marked with :func:`~docgen.i18n.N_` where the commands and
options are defined (at import time, when the language may not be known yet), and translated
each time click reads them to format the help, in the language active then.  The classes here
do that: :class:`Command` and :class:`Group` for a command's ``help``, ``short_help`` and
``epilog``, :class:`Option` (through :func:`option`) for an option's ``help``.  The ``-h,
--help`` option click adds itself is worded in the language too.

The docstrings of the command functions are for developers; the help a user reads is the
``help=`` given to the decorator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from docgen.i18n import _

__all__ = ["Command", "Group", "Option", "option"]

_F = TypeVar("_F", bound=Callable[..., Any])


def _translated(msgid: str | None) -> str | None:
    """*msgid* in the current language; None and "" (gettext's header) unchanged."""
    return _(msgid) if msgid else msgid


class _TranslatedHelp:
    """A command whose help texts are msgids, read in the current language."""

    _help_msgid: str | None = None
    _short_help_msgid: str | None = None
    _epilog_msgid: str | None = None

    @property
    def help(self) -> str | None:
        """The help text in the current language."""
        return _translated(self._help_msgid)

    @help.setter  # noqa: A003 - click's attribute name
    def help(self, value: str | None) -> None:
        self._help_msgid = value

    @property
    def short_help(self) -> str | None:
        """The one-line help (in the group's list of commands) in the current language."""
        return _translated(self._short_help_msgid)

    @short_help.setter
    def short_help(self, value: str | None) -> None:
        self._short_help_msgid = value

    @property
    def epilog(self) -> str | None:
        """The text after the options, in the current language."""
        return _translated(self._epilog_msgid)

    @epilog.setter
    def epilog(self, value: str | None) -> None:
        self._epilog_msgid = value

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

    _help_msgid: str | None = None

    @property
    def help(self) -> str | None:
        """The help text in the current language."""
        return _translated(self._help_msgid)

    @help.setter  # noqa: A003 - click's attribute name
    def help(self, value: str | None) -> None:
        self._help_msgid = value


def option(*param_decls: str, **attrs: Any) -> Callable[[_F], _F]:
    """:func:`click.option` making an :class:`Option`: ``help=N_("…")`` shown translated."""
    return click.option(*param_decls, cls=Option, **attrs)
