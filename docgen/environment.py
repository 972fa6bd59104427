"""The Jinja environment a template compiles in: the sandbox and every filter it may use.

A template sees Jinja's filters, docgen's Chinese ones (:mod:`docgen.filters`), ``image``, the
filters installed packages register in the ``docgen.filters`` entry point group, and those a
caller passes (``docgen.render(..., filters={"grade": grade})``).  Every filter, the user's
included, runs sandboxed as docgen's do (:func:`docgen.sandbox.limited_filter`): it stops at
the render's time limit, never sees an unprintable Jinja object, and a result too big to print
is refused.  A filter may not take the name of an existing one: ``safe`` or ``escape``
replaced would undo the escaping of the data.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

import jinja2

from docgen import registry
from docgen.errors import DocgenWarning, TemplateError
from docgen.filters import FILTERS
from docgen.i18n import lazy
from docgen.sandbox import Sandbox, limited_filter, refuse_loading
from docgen.values import CollectingUndefined, finalize, image_filter

__all__ = ["check_filters", "make_environment", "shared_environment"]

Filters = Mapping[str, Callable[..., Any]]


def make_environment(filters: Filters | None = None) -> Sandbox:
    """A sandboxed Jinja environment with docgen's filters and *filters* (checked).

    >>> env = make_environment({"grade": lambda score: "优" if score >= 90 else "良"})
    >>> env.from_string("{{ 95|grade }}").render()
    '优'
    """
    env = Sandbox(
        undefined=CollectingUndefined,
        autoescape=True,
        finalize=finalize,
        keep_trailing_newline=True,
        loader=jinja2.FunctionLoader(refuse_loading),
    )
    env.globals.pop("lipsum", None)  # a function whose globals are a classic escape route
    own = {**FILTERS, "image": image_filter}
    extra = check_filters(filters or {}, taken=set(env.filters) | set(own))
    env.filters = {
        name: limited_filter(name, f, own=name in own or name in extra)
        for name, f in {**env.filters, **own, **extra}.items()
    }
    return env


def check_filters(filters: Filters, *, taken: set[str] | None = None) -> dict[str, Any]:
    """*filters* if each has a usable name and is a function; else a :class:`TemplateError`.

    >>> check_filters({"upper": str.upper})
    Traceback (most recent call last):
    ...
    docgen.errors.TemplateError: filters['upper']: is the name of an existing filter; expected a
      name of your own, such as my_upper
    """
    if taken is None:
        taken = set(jinja2.Environment().filters) | set(FILTERS) | {"image"}
    for name, func in filters.items():
        where = f"filters[{name!r}]"
        if not isinstance(name, str) or not name.isidentifier():
            raise TemplateError(
                lazy("is not a filter name"),
                where=where,
                expected=lazy("a name such as grade (letters, _)"),
                code="template.bad_filter",
            )
        if name in taken:
            raise TemplateError(
                lazy("is the name of an existing filter"),
                where=where,
                expected=lazy("a name of your own, such as my_{name}", name=name),
                code="template.bad_filter",
            )
        if not callable(func):
            raise TemplateError(
                lazy("is not a function"),
                where=where,
                expected=lazy("a callable"),
                found=repr(func)[:80],
                code="template.bad_filter",
            )
    return dict(filters)


_SHARED: Sandbox | None = None


def shared_environment() -> Sandbox:
    """The environment templates compile in, with the installed packages' filters.

    Built on first use; a broken installed filter is left out with a
    :class:`~docgen.errors.DocgenWarning` naming it, and so is one whose name is taken.
    """
    global _SHARED  # noqa: PLW0603 - one environment per process, built on first use
    if _SHARED is None:
        installed, broken = registry.installed_filters()
        usable: dict[str, Callable[..., Any]] = {}
        for name, func in installed.items():
            try:
                usable.update(check_filters({name: func}))
            except TemplateError as exc:  # noqa: PERF203 - a handful, each on its own
                broken.append(f"filter entry point {name}: {exc.message}")
        for message in broken:
            warnings.warn(DocgenWarning(lazy("skipped: {error}", error=message)), stacklevel=2)
        _SHARED = make_environment(usable)
    return _SHARED


def installed_filter_names() -> tuple[str, ...]:
    """The names of the installed packages' filters the shared environment holds."""
    own = set(jinja2.Environment().filters) | set(FILTERS) | {"image"}
    return tuple(sorted(set(shared_environment().filters) - own))
