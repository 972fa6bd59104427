"""The ``docgen`` command: a face over the same API Python users call.

Exit codes: 0 done, 1 an error in the data, template or files (the message says where),
2 a usage error (unknown option, missing argument).

This package holds the group and its global options; each command family lives in a module
of its own (:mod:`~docgen.cli.render`, :mod:`~docgen.cli.datafiles`,
:mod:`~docgen.cli.templates`, :mod:`~docgen.cli.check`, :mod:`~docgen.cli.fix`,
:mod:`~docgen.cli.serve`, :mod:`~docgen.cli.demo`), and imports the engine only when it runs,
so ``docgen --help`` starts fast.  The command modules themselves are imported when their
command is looked up (:class:`LazyCommands`): ``docgen render`` does not load the modules
behind ``check``, ``fix`` or ``serve``.
"""

from __future__ import annotations

import importlib
import io
import sys
from collections.abc import Iterator, MutableMapping

import click

from docgen.cli.errors import ErrorReportingGroup
from docgen.cli.helptext import option
from docgen.i18n import N_, use_language

__all__ = ["main"]


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """``--version``: the installed distribution's version, read only when asked for."""
    if not value or ctx.resilient_parsing:
        return
    from docgen._version import __version__  # noqa: PLC0415 - importlib.metadata costs time

    click.echo(f"docgen, version {__version__}")  # the same in every language
    ctx.exit()


#: Every command: its name and the ``module:function`` that defines it.
COMMANDS = {
    "render": "render:render",
    "batch": "render:batch",
    "import": "datafiles:import_",
    "new": "datafiles:new",
    "templates": "templates:templates",
    "inspect": "templates:inspect",
    "check": "check:check",
    "fix": "fix:fix",
    "serve": "serve:serve",
    "demo": "demo:demo",
    "fonts": "fonts:fonts",
}


class LazyCommands(MutableMapping[str, click.Command]):
    """The group's commands by name, each module imported the first time it is looked up.

    click reads a group's ``commands`` as a mapping: ``docgen render`` looks up one name and
    so imports one module; ``docgen --help`` looks up all of them.  (click's documentation
    suggests overriding ``get_command``; a mapping also keeps ``main.commands`` whole for
    the tools that read it.)
    """

    def __init__(self, specs: dict[str, str]) -> None:
        self._specs = dict(specs)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, _, attr = self._specs[name].partition(":")  # KeyError: no such command
            command = getattr(importlib.import_module(f"docgen.cli.{module}"), attr)
            if not isinstance(command, click.Command):  # pragma: no cover - a wiring mistake
                raise TypeError(f"docgen.cli.{module}.{attr} is not a click command")
            self._loaded[name] = command
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._specs[name] = ""
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._specs[name]
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def __contains__(self, name: object) -> bool:
        return name in self._specs


@click.group(
    cls=ErrorReportingGroup,
    commands=LazyCommands(COMMANDS),
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_(
        "docgen: Chinese school documents from data and Word templates.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  docgen render examples/party-branch-summary.yaml -o summary.docx\n"
        "  cat report.json | docgen render - -t work-summary -o - > summary.docx"
    ),
)
@option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help=N_("Show the version and exit."),
)
@option(
    "--template-dir",
    "template_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help=N_(
        "A folder of templates, searched before DOCGEN_TEMPLATE_PATH, installed packages' "
        "templates and the built-ins (repeatable)."
    ),
)
@option(
    "--json-errors",
    is_flag=True,
    help=N_("Print errors as one JSON object on stderr (for tools)."),
)
@option(
    "--debug",
    is_flag=True,
    help=N_("Show the Python traceback of an error (for reporting a bug)."),
)
@option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    help=N_(
        "The language of docgen's messages and help (default: from LC_ALL, LC_MESSAGES or "
        "LANG; click's usage errors too)."
    ),
)
@click.pass_context
def main(
    ctx: click.Context,
    template_dirs: tuple[str, ...],
    json_errors: bool,
    debug: bool,
    lang: str | None,
) -> None:
    """The ``docgen`` group: its global options, then the command (the help is above)."""
    _utf8_pipes()
    # for the whole command: the group's context closes after its subcommand has run
    ctx.with_resource(use_language(lang))


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
