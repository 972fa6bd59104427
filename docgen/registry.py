"""Template discovery: which template a name means, and where every template comes from.

A name is looked up along a chain, first match wins:

1. an explicit path (a ``.docx`` file, or a folder holding ``template.docx``);
2. the folders given with ``--template-dir`` (or ``template_dirs=``), in order;
3. the folders listed in the ``DOCGEN_TEMPLATE_PATH`` environment variable (separated by
   ``os.pathsep``: ``:`` on Linux and macOS, ``;`` on Windows), in order;
4. templates that installed packages register in the entry point group ``docgen.templates``;
5. the built-in templates shipped with docgen.

A template folder holds templates as sub-folders (``NAME/template.docx`` plus an optional
``NAME/template.toml``) or as plain ``NAME.docx`` files (with an optional ``NAME.toml``).

An entry point's name is the template's name and its value an object that is (or, when
called, returns) the path of a template folder or ``.docx``::

    [project.entry-points."docgen.templates"]
    class-report = "school_tools.templates:CLASS_REPORT"   # CLASS_REPORT = Path(...)
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from docgen import template_cache
from docgen.errors import (
    DocgenWarning,
    TemplateError,
    TemplateNotFoundError,
)
from docgen.files import refuse_existing
from docgen.i18n import lazy

__all__ = [
    "DEFAULT_TEMPLATE",
    "ENTRY_POINT_GROUP",
    "ENV_VAR",
    "FILTER_GROUP",
    "TemplateSource",
    "copy_template",
    "find",
    "installed_filters",
    "sources",
    "valid_name",
]

ENTRY_POINT_GROUP = "docgen.templates"
FILTER_GROUP = "docgen.filters"
"""The entry point group of Jinja filters installed packages add (name = filter name)."""
DEFAULT_TEMPLATE = "work-summary"
"""The template used when neither the caller nor the data names one."""
ENV_VAR = "DOCGEN_TEMPLATE_PATH"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@attrs.define(frozen=True)
class TemplateSource:
    """Where one template lives.

    Attributes:
        name: the name it is found by.
        docx: the ``.docx`` file.
        manifest: its ``template.toml``, when there is one.
        origin: how it was found: ``path``, ``template-dir``, ``DOCGEN_TEMPLATE_PATH``,
            ``entry point (DIST)`` or ``built-in``.
        rank: its place in the lookup chain (lower wins a name clash).
    """

    name: str
    docx: Path
    manifest: Path | None
    origin: str
    rank: int

    @property
    def location(self) -> Path:
        """The folder (or the ``.docx``) a user would open."""
        return self.docx.parent if self.docx.name == "template.docx" else self.docx


def _from_path(path: Path, name: str | None, origin: str, rank: int) -> TemplateSource | None:
    """A template at *path* (a folder with template.docx, or a .docx), or None."""
    if path.is_dir():
        docx = path / "template.docx"
        if not docx.is_file():
            return None
        toml = path / "template.toml"
        return TemplateSource(
            name or path.name, docx, toml if toml.is_file() else None, origin, rank
        )
    if path.is_file() and path.suffix.lower() == ".docx":
        toml = path.with_suffix(".toml")
        return TemplateSource(
            name or path.stem, path, toml if toml.is_file() else None, origin, rank
        )
    return None


def _scan_dir(folder: Path, origin: str, rank: int) -> Iterator[TemplateSource]:
    if not folder.is_dir():
        return
    for child in sorted(folder.iterdir()):
        if child.name.startswith(".") or child.name.startswith("~$"):  # ~$ = Word lock files
            continue
        found = _from_path(child, None, origin, rank)
        if found is not None:
            yield found


def _env_dirs(env: Mapping[str, str]) -> list[Path]:
    return [Path(p) for p in env.get(ENV_VAR, "").split(os.pathsep) if p.strip()]


_ENTRY_POINT_VALUE = re.compile(
    r"\s*(?P<module>[\w.]+)\s*(?::\s*(?P<attr>[\w.]+)\s*)?(?:\[.*\]\s*)?"
)


# The entry points this process read, by sys.path: a template loaded by name looks them up on
# every load, and reading them (even from the cache folder) costs more than a render.
_SEEN: dict[tuple[str, ...], list[tuple[str, str, str, str]]] = {}


def _entry_points(group: str = ENTRY_POINT_GROUP) -> list[tuple[str, str, str]]:
    """(name, value, distribution) of every entry point of *group* installed.

    Both of docgen's groups (``docgen.templates`` and ``docgen.filters``) are read at once.

    Reading them costs a new process about 20 ms (importlib.metadata reads every installed
    distribution), more than rendering a document; so the list is kept in the template cache
    (:mod:`docgen.template_cache`), keyed by the distributions on ``sys.path``: the name and
    modification time of every ``.dist-info`` and ``.egg-info`` folder, which installing,
    upgrading or removing a package changes.  Within a process it is read once per
    ``sys.path`` (a folder added to it is seen at once; a package installed into a folder
    already on it, from the next process on).
    """
    path = tuple(sys.path)
    seen = _SEEN.get(path)
    if seen is None:
        seen = _SEEN[path] = _read_entry_points()
    return [(name, value, dist) for g, name, value, dist in seen if g == group]


def _read_entry_points() -> list[tuple[str, str, str, str]]:
    stamp = [f"{entry}\0{_distributions(entry or os.curdir)}" for entry in sys.path]
    key = template_cache.entry_key("entry points", ENTRY_POINT_GROUP, FILTER_GROUP, *stamp)
    cached = template_cache.read_entry(key, "entry-points")
    if isinstance(cached, list):
        return cached
    from importlib.metadata import entry_points  # noqa: PLC0415 - slow; only on a cache miss

    found = [
        (group, ep.name, ep.value, ep.dist.name if ep.dist is not None else "unknown package")
        for group in (ENTRY_POINT_GROUP, FILTER_GROUP)
        for ep in entry_points(group=group)
    ]
    template_cache.write_entry(key, found, "entry-points")
    return found


def _distributions(folder: str) -> str:
    """The distributions installed in *folder*: names and times of their metadata folders."""
    try:
        with os.scandir(folder) as entries:
            found = [
                f"{e.name}:{e.stat().st_mtime_ns}"
                for e in entries
                if e.name.endswith((".dist-info", ".egg-info"))
            ]
    except OSError:  # not a folder (a zip on sys.path), or gone
        return "-"
    return "/".join(sorted(found))


def _load_entry_point(value: str) -> object:
    """What an entry point's ``module:attr`` value names (``EntryPoint.load``'s reading).

    Written here so that a cached entry point loads without importing importlib.metadata.
    """
    m = _ENTRY_POINT_VALUE.fullmatch(value)
    if m is None:
        raise ValueError(f"{value!r} is not of the form module:attribute")
    target: object = importlib.import_module(m.group("module"))
    for name in (m.group("attr") or "").split(".") if m.group("attr") else ():
        target = getattr(target, name)
    return target


def _entry_point_sources(rank: int) -> tuple[list[TemplateSource], dict[str, TemplateError]]:
    """The installed packages' templates, and what is wrong with the broken ones, by name."""
    found: list[TemplateSource] = []
    broken: dict[str, TemplateError] = {}
    for ep_name, ep_value, dist in _entry_points():
        try:
            found.append(_entry_point_source(ep_name, ep_value, dist, rank))
        except TemplateError as exc:  # noqa: PERF203 - a handful of entry points, each on its own
            broken.setdefault(ep_name, exc)
    return found, broken


def _entry_point_source(ep_name: str, ep_value: str, dist: str, rank: int) -> TemplateSource:
    where = f"entry point {ep_name} = {ep_value} ({dist})"
    try:
        target = _load_entry_point(ep_value)
        if callable(target):
            target = target()
    except Exception as exc:  # noqa: BLE001 - a broken plugin must not break docgen
        raise TemplateError(
            lazy("could not be loaded: {kind}: {exc}", kind=type(exc).__name__, exc=exc),
            where=where,
            expected=lazy("an importable path object"),
            code="template.entry_point",
        ) from None
    if not isinstance(target, (str, os.PathLike)):
        raise TemplateError(
            lazy("does not name a template"),
            where=where,
            expected=lazy("a path (str or Path) to a template folder or .docx"),
            found=repr(target),
            code="template.entry_point",
        )
    found = _from_path(Path(target), ep_name, f"entry point ({dist})", rank)
    if found is None:
        raise TemplateError(
            lazy("points at no template"),
            where=where,
            expected=lazy("a folder holding template.docx, or a .docx file"),
            found=str(target),
            code="template.entry_point",
        )
    return found


def installed_filters() -> tuple[dict[str, Callable[..., Any]], list[str]]:
    """The Jinja filters installed packages register (``docgen.filters``), and the broken ones.

    A broken one (it cannot be imported, or is not callable) is left out and described in
    the second list, for a warning: one broken plugin must not stop every render.
    """
    filters: dict[str, Callable[..., Any]] = {}
    broken: list[str] = []
    for ep_name, ep_value, dist in _entry_points(FILTER_GROUP):
        where = f"filter entry point {ep_name} = {ep_value} ({dist})"
        try:
            target = _load_entry_point(ep_value)
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not break docgen
            broken.append(f"{where}: could not be loaded: {type(exc).__name__}: {exc}")
            continue
        if not callable(target):
            broken.append(f"{where}: is not a function; found {target!r}")
            continue
        filters[ep_name] = target
    return filters, broken


def _builtin_dir() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "_builtin_templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def sources(
    template_dirs: Sequence[str | os.PathLike[str]] = (),
    *,
    env: Mapping[str, str] | None = None,
) -> list[TemplateSource]:
    """Every template docgen can find, in lookup order (shadowed ones included).

    An installed package whose ``docgen.templates`` entry point is broken is skipped with a
    :class:`~docgen.DocgenWarning` that says what is wrong: one bad plugin does not hide the
    other templates.

    >>> "work-summary" in [s.name for s in sources() if s.origin == "built-in"]
    True
    """
    out, broken = _sources(template_dirs, env)
    for error in broken.values():
        warnings.warn(DocgenWarning(lazy("skipped: {error}", error=error)), stacklevel=2)
    return out


def _sources(
    template_dirs: Sequence[str | os.PathLike[str]], env: Mapping[str, str] | None
) -> tuple[list[TemplateSource], dict[str, TemplateError]]:
    env = os.environ if env is None else env
    out: list[TemplateSource] = []
    for folder in template_dirs:
        out.extend(_scan_dir(Path(folder), "template-dir", 2))
    for folder in _env_dirs(env):
        out.extend(_scan_dir(folder, ENV_VAR, 3))
    installed, broken = _entry_point_sources(4)
    out.extend(installed)
    out.extend(_scan_dir(_builtin_dir(), "built-in", 5))
    return out, broken


def find(
    source: str | os.PathLike[str],
    template_dirs: Sequence[str | os.PathLike[str]] = (),
    *,
    env: Mapping[str, str] | None = None,
) -> TemplateSource:
    """The template *source* means: a path, or a name looked up along the chain.

    Raises:
        TemplateNotFoundError: no path and no template by that name; the message lists the
            names that exist.
        TemplateError: *source* names only an installed package's broken template.
    """
    path = Path(source)
    looks_like_path = (
        isinstance(source, os.PathLike)
        or any(sep in str(source) for sep in ("/", "\\"))
        or str(source).lower().endswith(".docx")
    )
    if path.exists() or looks_like_path:
        found = _from_path(path, None, "path", 1)
        if found is None:
            raise TemplateNotFoundError(
                lazy("is not a template") if path.exists() else lazy("does not exist"),
                where=str(path),
                expected=lazy(
                    "a .docx file, or a folder holding template.docx (and optionally template.toml)"
                ),
            )
        return found
    name = str(source)
    all_sources, broken = _sources(template_dirs, env)
    for candidate in all_sources:
        if candidate.name == name:
            return candidate
    if name in broken:  # asked for by name: what is wrong with it, not "not found"
        raise broken[name]
    names = sorted({s.name for s in all_sources})
    skipped = f" (skipped, broken: {', '.join(sorted(broken))})" if broken else ""
    raise TemplateNotFoundError(
        lazy("is neither a file, a folder nor a known template name"),
        where=repr(name),
        expected=lazy(
            "a .docx path, a template folder, or one of: {items}{skipped}",
            items=", ".join(names),
            skipped=skipped,
        ),
    )


def valid_name(name: str) -> bool:
    """Whether *name* can name a template (letters, digits, ``-``, ``_``, ``.``).

    >>> valid_name("work-summary"), valid_name("../x")
    (True, False)
    """
    return bool(_NAME.match(name))


_MANIFEST_NAME = re.compile(r'^name\s*=\s*"[^"\n]*"', re.MULTILINE)


def copy_template(
    source: str | os.PathLike[str],
    directory: str | os.PathLike[str],
    *,
    new_name: str | None = None,
    overwrite: bool = False,
    template_dirs: Sequence[str | os.PathLike[str]] = (),
) -> Path:
    """Copy a template into *directory*/NAME (``template.docx`` + ``template.toml``).

    The copy is a starting point to edit in Word or WPS; put *directory* on
    ``--template-dir`` or ``DOCGEN_TEMPLATE_PATH`` to use it by name.  A template without a
    manifest gets one with the documented defaults.  The folder appears complete or not at all.

    Raises:
        OutputExistsError: the target folder exists and ``overwrite`` is false.
        TemplateError: *new_name* cannot name a template.
    """
    found = find(source, template_dirs)
    name = new_name or found.name
    if not valid_name(name):
        raise TemplateError(
            lazy("cannot name a template"),
            where=repr(name),
            expected=lazy("letters, digits, - and _ (e.g. our-summary)"),
            code="template.bad_name",
        )
    target = Path(directory) / name
    refuse_existing(target, overwrite=overwrite, expected=lazy("another --name, or --overwrite"))
    if found.manifest is not None:
        manifest = found.manifest.read_text(encoding="utf-8")
        if _MANIFEST_NAME.search(manifest):
            manifest = _MANIFEST_NAME.sub(f'name = "{name}"', manifest, count=1)
        else:
            manifest = f'name = "{name}"\n' + manifest
    else:
        manifest = (
            f'name = "{name}"\n'
            'display_name = ""\n'
            "# Heading numbering: SCHOOL (一、 1、 （1） ①),\n"
            "# GBT9704 (一、 （一） 1. （1）) or DECIMAL (1 1.1 1.1.1)\n"
            'numbering = "SCHOOL"\n'
            "# [styles] maps roles (title, heading1…heading4, body, …) to Word style ids and\n"
            "# [fonts.ROLE] names faces and sizes; see docs/templates.md.\n"
        )
    Path(directory).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=directory))
    try:
        shutil.copyfile(found.docx, staging / "template.docx")
        (staging / "template.toml").write_text(manifest, encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target
