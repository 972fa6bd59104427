"""The language of docgen's messages: English, or Chinese for teachers who read Chinese.

Every message a user sees (errors, warnings, the command line's progress and summaries) is
marked in the code with :func:`_` (translated now), :func:`ngettext` (with a count) or
:func:`lazy` (translated when it is shown), or only marked with :func:`N_` (the command
line's help, translated where the help is formatted), and translated through the gettext catalog in
``docgen/locale/zh/LC_MESSAGES/docgen.mo`` (``python3 tasks.py translations`` extracts the
messages, updates the ``.po`` and compiles it).

The language is a :class:`~contextvars.ContextVar`: the ``docgen`` command sets it from
``--lang`` or the environment, the HTTP API from each request's ``Accept-Language``.  Where
nothing set it, the environment decides (``LC_ALL``, ``LC_MESSAGES``, ``LANG``).

A message made at import time or at raise time but shown later is a :class:`Message`: it keeps
its msgid and parameters and becomes text in the language active *when it is shown*, so an
error raised under English and shown to a Chinese reader is Chinese.

>>> with use_language("zh"):
...     str(lazy("found {found}", found="3"))
'实际为3'
>>> with use_language("en"):
...     _("found {found}", found="3"), ngettext("{n} file", "{n} files", 2)
('found 3', '2 files')
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext as _gettext
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "LANGUAGES",
    "N_",
    "Message",
    "_",
    "current_language",
    "language_from_accept",
    "language_from_env",
    "lazy",
    "lazy_join",
    "lazy_ngettext",
    "lazy_or",
    "ngettext",
    "text",
    "use_language",
]

#: The languages docgen speaks: English (the msgids themselves) and Chinese.
LANGUAGES = ("en", "zh")

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "docgen"

_language: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "docgen_language", default=None
)


def _normalize(tag: str) -> str | None:
    """``zh_CN.UTF-8``, ``zh-Hans``, ``ZH`` → ``zh``; ``en_US``, ``C`` → ``en``; else None.

    >>> _normalize("zh_CN.UTF-8"), _normalize("en-GB"), _normalize("C"), _normalize("fr")
    ('zh', 'en', 'en', None)
    """
    base = tag.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    if base == "zh":
        return "zh"
    if base in {"en", "c", "posix"}:
        return "en"
    return None


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for: the first set of LC_ALL, LC_MESSAGES, LANG.

    >>> language_from_env({"LANG": "zh_CN.UTF-8"}), language_from_env({"LANG": "C"})
    ('zh', 'en')
    >>> language_from_env({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}), language_from_env({})
    ('en', 'en')
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "zh" if _normalize(value) == "zh" else "en"
    return "en"


def language_from_accept(header: str | None) -> str | None:
    """The language an HTTP ``Accept-Language`` header prefers, or None when it names neither.

    >>> language_from_accept("zh-CN,zh;q=0.9,en;q=0.8"), language_from_accept("en-US")
    ('zh', 'en')
    >>> language_from_accept("fr, en;q=0.5, zh;q=0.7"), language_from_accept(None)
    ('zh', None)
    """
    choices: list[tuple[float, int, str]] = []
    for position, item in enumerate((header or "").split(",")):
        tag, _sep, params = item.partition(";")
        language = _normalize(tag) if tag.strip() != "*" else None
        quality = 1.0
        for param in params.split(";"):
            key, _eq, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if language is not None and quality > 0:
            choices.append((quality, -position, language))  # equal quality: the first listed
    return max(choices)[2] if choices else None


def current_language() -> str:
    """The language messages are shown in now: :func:`use_language`'s, else the environment's."""
    return _language.get() or language_from_env()


@contextlib.contextmanager
def use_language(language: str | None) -> Iterator[str]:
    """Show messages in *language* (``"zh"``, ``"en"``; None: the environment's) inside.

    >>> with use_language("zh_CN"):
    ...     current_language()
    'zh'
    """
    chosen = (_normalize(language) or "en") if language else None
    token = _language.set(chosen)
    try:
        yield chosen or language_from_env()
    finally:
        _language.reset(token)


@functools.cache
def _translations(language: str) -> _gettext.NullTranslations:
    """The catalog for *language*, read from its ``.mo`` on first use (English: none)."""
    if language == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def _format(template: str, params: Mapping[str, Any]) -> str:
    if not params:
        return template
    return template.format_map({key: text(value) for key, value in params.items()})


def _(msgid: str, /, **params: Any) -> str:
    """*msgid* in the current language, with its ``{placeholders}`` filled from *params*."""
    return _format(_translations(current_language()).gettext(msgid), params)


def N_(msgid: str, /) -> str:  # noqa: N802 - gettext's name for the marker
    """*msgid* itself: marks a message to translate later, where it is shown.

    ``pybabel extract`` finds it; the command line's help texts are marked so and translated
    when the help is formatted (:mod:`docgen.cli.helptext`).

    >>> N_("Show the version and exit.")
    'Show the version and exit.'
    """
    return msgid


def ngettext(singular: str, plural: str, n: int, /, **params: Any) -> str:
    """The singular or plural message for *n* (``{n}`` is filled in too), translated now."""
    template = _translations(current_language()).ngettext(singular, plural, n)
    return _format(template, {"n": n, **params})


def text(value: Any) -> Any:
    """A :class:`Message` as text in the current language; anything else unchanged."""
    return str(value) if isinstance(value, Message) else value


class Message:
    """A message translated when it is turned into text, not when it is made.

    Its parameters may be messages too.  Equal to a ``str`` that reads the same in the current
    language, so code comparing ``error.message == "…"`` keeps working.
    """

    __slots__ = ("msgid", "n", "params", "plural")

    def __init__(
        self, msgid: str, params: Mapping[str, Any], plural: str | None = None, n: int = 1
    ) -> None:
        self.msgid = msgid
        self.params = dict(params)
        self.plural = plural
        self.n = n

    def __str__(self) -> str:
        if self.plural is None:
            return _(self.msgid, **self.params)
        return ngettext(self.msgid, self.plural, self.n, **self.params)

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Message):
            return (self.msgid, self.params, self.plural, self.n) == (
                other.msgid,
                other.params,
                other.plural,
                other.n,
            )
        if isinstance(other, str):
            return str(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.msgid)

    def __getstate__(self) -> tuple[str, dict[str, Any], str | None, int]:
        return (self.msgid, self.params, self.plural, self.n)

    def __setstate__(self, state: tuple[str, dict[str, Any], str | None, int]) -> None:
        self.msgid, self.params, self.plural, self.n = state

    def __add__(self, other: str) -> str:
        return str(self) + other

    def __radd__(self, other: str) -> str:
        return other + str(self)

    def __contains__(self, part: str) -> bool:
        return part in str(self)


def lazy(msgid: str, /, **params: Any) -> Message:
    """A :class:`Message`: *msgid* with *params*, translated when shown."""
    return Message(msgid, params)


def lazy_ngettext(singular: str, plural: str, n: int, /, **params: Any) -> Message:
    """A :class:`Message` with a singular and a plural, chosen by *n* when shown."""
    return Message(singular, {"n": n, **params}, plural=plural, n=n)


class _Joined(Message):
    """Items (messages, or objects whose text depends on the language) joined when shown."""

    __slots__ = ()

    def __str__(self) -> str:
        prefix: str = self.params["prefix"]
        separator = str(self.params["separator"])
        return separator.join(prefix + str(item) for item in self.params["items"])


def lazy_or(items: Iterable[str]) -> str | Message:
    """*items* as alternatives, translated when shown: ``'a' or 'b' or 'c'``.

    >>> with use_language("zh"):
    ...     str(lazy_or(["'a'", "'b'", "'c'"]))
    "'a' 或 'b' 或 'c'"
    """
    first, *rest = items
    alternatives: str | Message = first
    for item in rest:
        # TRANSLATORS: two alternatives ("'start' or 'span'"); the first may hold several
        alternatives = lazy("{first} or {second}", first=alternatives, second=item)
    return alternatives


def lazy_join(separator: str | Message, items: Iterable[Any], *, prefix: str = "") -> Message:
    """*items*, each after *prefix*, joined by *separator*; each turned into text when shown.

    The separator may be a message too (``lazy(", ")``: "、" in Chinese).
    """
    return _Joined("", {"separator": separator, "items": tuple(items), "prefix": prefix})
