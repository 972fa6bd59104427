"""Click's own messages in Chinese while the ``docgen`` command runs in Chinese.

Click words its usage errors (``Missing argument``, ``No such option``, ``Error: …``,
``Usage:``) through the standard library's :func:`gettext.gettext`, in the global domain and
in the language of the environment, so neither ``--lang zh`` nor an HTTP-free library user can
steer it.  While :func:`click_messages` is active under Chinese, click's modules look their
words up in ``docgen/locale/zh/LC_MESSAGES/click.mo`` instead; the global gettext state is never
touched, and everything is put back when the command ends.
"""

from __future__ import annotations

import contextlib
import gettext
import importlib
from collections.abc import Iterator, Sequence
from typing import Any

from docgen.i18n import LOCALE_DIR, language_from_env

__all__ = ["click_messages", "language_of_args"]

#: The modules of click that import ``gettext as _`` and ``ngettext`` by name.
_MODULES = ("click.core", "click.exceptions", "click.parser", "click.types", "click.formatting")


def language_of_args(args: Sequence[str]) -> str:
    """The language ``--lang`` names in *args* (before ``--``), else the environment's.

    >>> language_of_args(["--lang", "zh", "render"]), language_of_args(["--lang=en"])
    ('zh', 'en')
    """
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args) and args[i + 1] in ("zh", "en"):
            return args[i + 1]
        if arg in ("--lang=zh", "--lang=en"):
            return arg.removeprefix("--lang=")
    return language_from_env()


@contextlib.contextmanager
def click_messages(language: str) -> Iterator[None]:
    """Inside, click words its messages in *language* (only Chinese changes anything)."""
    if language != "zh":
        yield
        return
    catalog = gettext.translation("click", LOCALE_DIR, languages=["zh"], fallback=True)
    saved: list[tuple[Any, str, Any]] = []
    for name in _MODULES:
        module = importlib.import_module(name)
        for attr, replacement in (("_", catalog.gettext), ("ngettext", catalog.ngettext)):
            if callable(getattr(module, attr, None)):
                saved.append((module, attr, getattr(module, attr)))
                setattr(module, attr, replacement)
    try:
        yield
    finally:
        for module, attr, original in reversed(saved):
            setattr(module, attr, original)
