"""How the ``docgen`` command reports a failure: ``Error: …`` on stderr and exit code 1.

A :class:`~docgen.errors.DocgenError` is the user's (data, template, files) and says where;
anything else is a bug in docgen, reported on one line.  ``--json-errors`` prints either as
one JSON object; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from docgen.cli.clicktext import click_messages, language_of_args
from docgen.cli.helptext import Group
from docgen.errors import DocgenError
from docgen.i18n import _, current_language, lazy, use_language

__all__ = ["DocgenCommandError", "ErrorReportingGroup", "fail"]


class DocgenCommandError(click.ClickException):
    """A DocgenError shown the click way: ``Error: …`` on stderr, exit code 1.

    With ``--debug`` the traceback is printed first.
    """

    exit_code = 1

    def __init__(self, error: DocgenError, as_json: bool, debug: bool = False) -> None:
        super().__init__(str(error))
        self.error = error
        self.as_json = as_json
        self.debug = debug
        # shown after the command's context (and its --lang) has closed: keep the language
        self.language = current_language()

    def show(self, file: Any = None) -> None:
        """Print the error (and with ``--debug`` its traceback) to *file*, else stderr."""
        out = file or sys.stderr
        with use_language(self.language):
            if self.debug:
                click.echo("".join(traceback.format_exception(self.error)).rstrip(), file=out)
            if self.as_json:
                click.echo(json.dumps(self.error.to_dict(), ensure_ascii=False), file=out)
            else:
                click.echo(_("Error: {error}", error=self.error), file=out)


def fail(error: DocgenError, ctx: click.Context) -> NoReturn:
    """End the command with *error*, shown as ``--json-errors`` and ``--debug`` ask."""
    params = ctx.find_root().params
    as_json = bool(params.get("json_errors"))
    raise DocgenCommandError(error, as_json, bool(params.get("debug"))) from None


class ErrorReportingGroup(Group):
    """The ``docgen`` group: no error shows a traceback unless ``--debug`` asks for it.

    Messages are in the language of ``--lang`` or the environment (:mod:`docgen.i18n`), click's
    own usage errors (an unknown option, a missing argument) too (:mod:`docgen.cli.clicktext`),
    and so is every command's help (:mod:`docgen.cli.helptext`).

    A user's error is ``Error: …`` with exit code 1 (a file docgen cannot read or write
    included); anything else is a bug in docgen, reported on one line, also with exit code 1.
    """

    def main(self, args: Sequence[str] | None = None, *more: Any, **options: Any) -> Any:
        """Run the command line in the language of ``--lang``, click's own messages too.

        The language is set here, before parsing, because ``--help`` is answered while the
        arguments are parsed: before the group's callback runs, and for a subcommand before
        ``--lang`` has been read at all.
        """
        language = language_of_args(sys.argv[1:] if args is None else list(args))
        with click_messages(language), use_language(language):
            return super().main(args, *more, **options)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; report what it raised as the class's documentation says."""
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
                lazy("cannot be read or written: {reason}", reason=exc.strerror or exc),
                where=str(exc.filename) if exc.filename else lazy("a file"),
                expected=lazy("a path in a folder that exists and that docgen may write to"),
                code="file.inaccessible",
            )
            fail(error, ctx)
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            summary = (str(exc).strip().splitlines() or [""])[0][:200]
            message = _(
                "internal error, please report it to the docgen developers with the command "
                "you ran: {kind}: {summary} (--debug shows the traceback)",
                kind=type(exc).__name__,
                summary=summary,
            )
            if ctx.params.get("json_errors"):
                data: dict[str, object] = {
                    "code": "internal.error",
                    "error": "InternalError",
                    "message": message,
                    "where": None,
                    "expected": None,
                    "found": None,
                    "problems": [],
                }
                click.echo(json.dumps(data, ensure_ascii=False), err=True)
            else:
                click.echo(_("Error: {error}", error=message), err=True)
            ctx.exit(1)
