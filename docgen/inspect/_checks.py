"""Checks on what a template uses: filters and tests, the report model, the data, styles."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from datetime import date
from types import SimpleNamespace
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from docgen.body import BodyWriter, RoleStyle
from docgen.cn import SCHOOL
from docgen.cn.calendar import Term
from docgen.context import report_context
from docgen.errors import PackageError
from docgen.filters import FILTERS
from docgen.i18n import Message, lazy
from docgen.inspect._jinja import _Collector
from docgen.inspect._model import (
    Finding,
    Level,
    Loop,
    Place,
    Variable,
    _finding,
    _shorten,
    _Use,
)
from docgen.listnumbering import ListNumbering
from docgen.manifest import DEFAULT_STYLE_IDS, ROLES, Manifest
from docgen.model import Report, Section, Signature
from docgen.ooxml import Package, read_styles
from docgen.pictures import Media, image_info

# --- checking the names against the report model or the data --------------------------------


class _Sentinel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_UNKNOWN = _Sentinel("unknown")  # nothing to check against (extra:, manifest fields, no data)
_MISSING = _Sentinel("missing")  # undefined here
_BROKEN = _Sentinel("broken")  # undefined because something above it is (reported there)


def _failed(value: Any) -> bool:
    return value is _MISSING or value is _BROKEN


_EXAMPLE = Report(
    "示例",
    status="初稿",
    intro=["导语"],
    sections=[Section("一节", blocks=["段落"], subsections=[Section("小节", blocks=["段落"])])],
    closing=["结语"],
    signature=Signature("单位", name="姓名", date=date(2014, 1, 1)),
    term=Term(2013, 1),
    attachments=["附件"],
)


def _report_values(report: Report) -> dict[str, Any]:
    """What a render gives a template for *report* (:func:`docgen.context.report_context`).

    The same views a render builds, by the same function; only the body and signature slots
    are left empty (their names are all the checks need).
    """
    writer = BodyWriter(
        {role: RoleStyle("Normal") for role in ROLES},
        SCHOOL,
        text_width=9000,
        media=Media(1),
        numbering=ListNumbering(1, 0, 1),
        image_info=image_info,
        images={},
    )
    return report_context(report, SCHOOL, writer, slots=False)


_REPORT_NAMES = tuple(_report_values(_EXAMPLE))


def _child_value(parent: Any, name: str) -> Any:
    """``parent.name`` as Jinja's sandbox looks it up: attribute, then key."""
    if parent is _UNKNOWN or _failed(parent):
        return _UNKNOWN if parent is _UNKNOWN else _BROKEN
    if parent is None or name.startswith("_"):
        return _MISSING
    try:
        return getattr(parent, name)
    except AttributeError:
        return parent[name] if isinstance(parent, Mapping) and name in parent else _MISSING
    except Exception:  # noqa: BLE001 - a property of the user's data may raise anything
        return _UNKNOWN


def _names_of(value: Any) -> list[str]:
    if isinstance(value, (Mapping, SimpleNamespace)):
        return sorted(str(k) for k in (value if isinstance(value, Mapping) else vars(value)))
    return sorted(n for n in dir(value) if not n.startswith("_"))


def _items(value: Any, call: str | None) -> list[Any] | None:
    """The items a loop over *value* sees, or None when it cannot be looped over."""
    if call is not None:
        return list(getattr(value, call)()) if isinstance(value, Mapping) else None
    if isinstance(value, str):
        return []
    if value is None or isinstance(value, (bytes, int, float)):
        return None
    try:
        return list(value)[:1000]
    except TypeError:
        return None


def _truthy(value: Any) -> bool:
    try:
        return bool(value)
    except Exception:  # noqa: BLE001 - a user object's __bool__ may do anything
        return True


class _Checker:
    """Follows every variable of the tree into the values a render would see.

    Without data the values are an example report's (and names it lacks are warnings); with
    data, what the data gives (and what it lacks is an error).
    """

    def __init__(self, ctx: Mapping[str, Any], data: Mapping[str, Any] | Report | None) -> None:
        self.ctx = ctx
        self.data = data
        self.findings: dict[int, Finding] = {}  # by id of the variable or loop concerned

    def run(self, top: Mapping[str, Variable]) -> dict[int, Finding]:
        for var in top.values():
            self.check(var, {}, var.name)
        return self.findings

    def value(self, var: Variable, env: dict[Variable, Any]) -> Any:
        if var not in env:
            if var.role == "item":
                return _UNKNOWN  # a loop variable used outside its loop
            if var.role == "top":
                env[var] = self.ctx.get(var.name, _MISSING)
            else:
                assert var.parent is not None
                env[var] = _child_value(self.value(var.parent, env), var.name)
        return env[var]

    def check(self, var: Variable, env: dict[Variable, Any], label: str) -> None:
        value = self.value(var, env)
        if value is _MISSING:
            self._missing(var, env, label)
            return
        if value is _UNKNOWN or value is _BROKEN:
            return
        if value is None and var.attributes:
            self._empty(var, env, label)
            return
        for child in var.attributes.values():
            self.check(child, env, f"{label}.{child.name}")
        for loop in var.loops:
            items = _items(value, loop.call)
            if items is None:
                self._not_a_list(loop, value, label)
            for i, item in enumerate(items or ()):
                if loop.item.attributes or loop.item.loops:
                    suffix = f".{loop.call}()" if loop.call else ""
                    self.check(loop.item, {**env, loop.item: item}, f"{label}{suffix}[{i}]")

    def _skipped(self, use: _Use, var: Variable, env: dict[Variable, Any]) -> bool:
        """Whether a render never evaluates this use when *var* is undefined."""
        if use.optional and use in var.uses:  # var|default(…), var is defined
            return True
        for kind, guard in use.guards:
            value = self.value(guard, env)
            failed = _failed(value)
            if value is not _UNKNOWN and (
                (kind == "defined" and failed)
                or (kind == "truthy" and (failed or not _truthy(value)))
                or (kind == "notnone" and (failed or value is None))
            ):
                return True
        return False

    def _hard(self, var: Variable, env: dict[Variable, Any]) -> list[_Use]:
        return [u for u in var.all_uses() if not self._skipped(u, var, env)]

    def _add(self, key: int, key_name: str, uses: list[_Use], **values: Any) -> None:
        if key in self.findings:
            return
        more = len({u.place for u in uses}) - 1
        values["also"] = (
            lazy(" It is used in {more} more place(s) too.", more=more) if more > 0 else ""
        )
        level: Level = "error" if self.data is not None else "warning"
        self.findings[key] = _finding(level, key_name, uses[0].place, **values)

    def _subject(self, var: Variable, label: str) -> str | Message:
        if self.data is None or label == var.path:
            return var.path
        return lazy("{label} ({path} in the template)", label=label, path=var.path)

    def _missing(self, var: Variable, env: dict[Variable, Any], label: str) -> None:
        hard = self._hard(var, env)
        if not hard:
            return
        if var.role == "top" and self.data is None:
            self._add(id(var), "undefined-variable/model", hard, name=var.name)
        elif var.role == "top":
            close = difflib.get_close_matches(var.name, [str(k) for k in self.ctx], n=1)
            add = (
                lazy("Add it under extra: in the data file (extra: {{{name}: …}})", name=var.name)
                if isinstance(self.data, Report)
                else lazy("Add a key “{name}” to the data", name=var.name)
            )
            hint = _did_you_mean(close)
            self._add(id(var), "undefined-variable/data", hard, name=var.name, hint=hint, add=add)
        else:
            assert var.parent is not None
            names = _names_of(self.value(var.parent, env))
            close = difflib.get_close_matches(var.name, names, n=1)
            self._add(
                id(var),
                "unknown-attribute",
                hard,
                subject=self._subject(var.parent, label.rsplit(".", 1)[0]),
                name=var.name,
                where=lazy("in the data") if self.data is not None else lazy("in the report model"),
                listing=lazy(" (it has: {names})", names=", ".join(names))
                if 0 < len(names) <= 12
                else "",
                path=var.path,
                hint=lazy(" Did you mean {path}?", path=var.parent.path + "." + close[0])
                if close
                else "",
            )

    def _empty(self, var: Variable, env: dict[Variable, Any], label: str) -> None:
        hard = {c.path: self._hard(c, env) for c in var.attributes.values()}
        paths = [path for path, uses in hard.items() if uses]
        if paths:
            uses = [u for path in paths for u in hard[path]]
            subject = self._subject(var, label)
            self._add(
                id(var),
                "undefined-variable/empty",
                uses,
                subject=subject,
                paths=", ".join(paths),
                path=var.path,
            )

    def _not_a_list(self, loop: Loop, value: Any, label: str) -> None:
        if self.data is not None and loop.places and id(loop) not in self.findings:
            self.findings[id(loop)] = _finding(
                "error",
                "not-a-list",
                loop.places[0],
                var=loop.var,
                over=loop.over,
                subject=label,
                type=type(value).__name__,
                value=_shorten(repr(value), 30),
            )


def _context(
    data: Mapping[str, Any] | Report | None, manifest: Manifest
) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """The values a render would see, who gives each name, and the required fields missing."""
    if data is None:
        ctx = {**_report_values(_EXAMPLE), "extra": _UNKNOWN}
        origin = dict.fromkeys(ctx, "report")
    elif isinstance(data, Report):
        ctx = _report_values(data)
        origin = {**dict.fromkeys(data.extra, "extra"), **dict.fromkeys(_REPORT_NAMES, "report")}
    else:
        ctx = dict(data)
        origin = dict.fromkeys(ctx, "data")
    missing = []
    for name, spec in manifest.fields.items():
        if name not in ctx:
            origin[name] = "manifest"
            given = data is not None and (spec.default is not None or not spec.required)
            ctx[name] = spec.default if given else _UNKNOWN
            if data is not None and not given:
                missing.append(name)
    return ctx, origin, missing


# --- styles the body slot needs -------------------------------------------------------------

_ROLE_WORDS = {
    "heading1": lazy("level-1 headings (一、)"),
    "heading2": lazy("level-2 headings"),
    "heading3": lazy("level-3 headings"),
    "heading4": lazy("level-4 headings"),
    "body": lazy("body paragraphs"),
    "list_bullet": lazy("bulleted lists"),
    "list_number": lazy("numbered lists"),
    "table_text": lazy("table text"),
    "caption": lazy("captions"),
    "attachment": lazy("the attachment note (附件)"),
    "signature": lazy("the signature block (落款)"),
}
_SLOT_ROLES = {"body": tuple(_ROLE_WORDS)[:-1], "signature_block": ("signature",)}


def _style_findings(
    package: Package, manifest: Manifest, slots: Mapping[str, Place], depth: int | None
) -> Iterator[Finding]:
    try:
        infos = read_styles(package.parts.get("word/styles.xml"))
    except PackageError as exc:
        yield _finding("error", "bad-xml", Place("word/styles.xml", ""), error=exc)
        return
    by_name = {info.name.lower(): info.style_id for info in infos.values()}
    for slot, place in slots.items():
        for role in _SLOT_ROLES[slot]:
            if depth is not None and role.startswith("heading") and int(role[-1]) > depth:
                continue
            named, what = manifest.styles.get(role), _ROLE_WORDS[role]
            if named is None and not any(sid in infos for sid in DEFAULT_STYLE_IDS[role]):
                tried = ", ".join(DEFAULT_STYLE_IDS[role])
                yield _finding(
                    "warning",
                    "missing-style/default",
                    place,
                    slot=slot,
                    what=what,
                    tried=tried,
                    role=role,
                )
            elif named is not None and named not in infos:
                real = by_name.get(named.lower())
                hint = (
                    lazy(
                        " template.docx has a style named “{named}” whose id is “{real}”: "
                        'write {role} = "{real}".',
                        named=named,
                        real=real,
                        role=role,
                    )
                    if real
                    else lazy(
                        " Create the style in Word (样式 → 新建样式), or change {role} in "
                        "template.toml [styles].",
                        role=role,
                    )
                )
                yield _finding(
                    "warning",
                    "missing-style/named",
                    place,
                    slot=slot,
                    what=what,
                    style=named,
                    role=role,
                    hint=hint,
                )


def _did_you_mean(close: list[str]) -> Message | str:
    """The hint for the closest known name, if any (appended to a sentence)."""
    return lazy(" Did you mean “{name}”?", name=close[0]) if close else ""


def _name_findings(collector: _Collector, env: SandboxedEnvironment) -> Iterator[Finding]:
    """Unknown filters and tests, and tags a Word template cannot use."""
    docgen_filters = ", ".join([*FILTERS, "image"])
    for name, use in collector.filters.items():
        close = difflib.get_close_matches(name, sorted(env.filters), n=1)
        hint = _did_you_mean(close)
        for place in use.places if use.kind == "unknown" else ():
            yield _finding(
                "error", "unknown-filter", place, name=name, hint=hint, docgen=docgen_filters
            )
    for name, places in collector.tests.items():
        close = difflib.get_close_matches(name, sorted(env.tests), n=1)
        hint = _did_you_mean(close)
        for place in dict.fromkeys(places):
            yield _finding("error", "unknown-test", place, name=name, hint=hint)
    for word, place in collector.unsupported:
        yield _finding("error", "unsupported-tag", place, word=word)


def _data_findings(
    collector: _Collector, data: Mapping[str, Any] | Report | None, manifest: Manifest
) -> Iterator[Finding]:
    """Names the report model, the manifest or the data does not supply."""
    ctx, origin, missing = _context(data, manifest)
    for var in collector.top.values():
        var.supplied_by = origin.get(var.name)
    found = _Checker(ctx, data).run(collector.top)
    if isinstance(data, Report):  # attributes no section, block or signature has, even unused
        model = _Checker({**_report_values(_EXAMPLE), "extra": _UNKNOWN}, None).run(collector.top)
        found.update(
            {k: f for k, f in model.items() if k not in found and f.code == "unknown-attribute"}
        )
    yield from found.values()
    for name in missing:
        spec, used = manifest.fields[name], collector.top.get(name)
        place = used.places[0] if used and used.places else None
        what = lazy(" ({description})", description=spec.description) if spec.description else ""
        where = (
            lazy("under extra: in the data file")
            if isinstance(data, Report)
            else lazy("to the data")
        )
        yield _finding("error", "missing-field", place, name=name, what=what, where=where)
