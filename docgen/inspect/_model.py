"""What an inspection finds: the public result classes and the messages they carry."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import attrs

from docgen.cn.typography import pad
from docgen.errors import Text
from docgen.i18n import Message, _, lazy, text

Level = Literal["error", "warning", "info"]
_LEVELS: tuple[Level, ...] = ("error", "warning", "info")
#: The levels as ``format_text`` and ``str(finding)`` show them (``level`` stays the English
#: identifier in ``to_dict``).
_LABELS: dict[str, Message] = {
    "error": lazy("error"),
    "warning": lazy("warning"),
    "info": lazy("info"),
}

# Messages are msgids with str.format placeholders ({tag}; {{ and }} are literal braces),
# translated when shown.  One without placeholders is shown as written: no braces in it.
MESSAGES: dict[str, Message] = {
    # -- tags as Word stores them --
    "split-tag/pieces": lazy(
        "Word stored the tag {tag} in {n} pieces (it splits text after edits and spell checks); "
        "docgen joins them, so nothing needs doing."
    ),
    "split-tag/formats": lazy(
        "Word stored the tag {tag} in {n} pieces with different formatting: {pieces}. docgen "
        "joins them and the value takes the formatting of the first piece ({first}). To choose "
        "the look, select the whole tag in Word and format it once."
    ),
    "split-tag/unclosed": lazy(
        "The tag {tag} has no closing {close} in this paragraph. A tag must begin and end in the "
        "same paragraph; Word may have broken it (an Enter, or autocorrect). Retype the whole "
        "tag, ending with {close}, on one line."
    ),
    "split-tag/paragraphs": lazy(
        "A tag begins at the end of this paragraph and goes on in the next one (“{next}”). A "
        "tag must sit in one paragraph: delete the paragraph break inside it."
    ),
    "tag-in-field/code": lazy(
        "The tag {tag} is inside a field code (the hidden instruction of a Word field, shown "
        "with Alt+F9). docgen would change the field's instruction, not the text you see, and "
        "Word recomputes fields when it updates them. Put the tag in ordinary text (select the "
        "field and press Ctrl+Shift+F9 to turn it into plain text)."
    ),
    "tag-in-field/result": lazy(
        "The tag {tag} is in the text a Word field shows (a page number, a link, a mail-merge "
        "field…). docgen fills it, but Word replaces that text when it updates fields (F9, "
        "printing), so the value can disappear. Select the field and press Ctrl+Shift+F9 to "
        "make it plain text."
    ),
    "tag-in-textbox": lazy(
        "This tag is in a text box. Word keeps two copies of a text box (one for Word 2010 and "
        "later, one for older programs) and docgen fills both, but a text box does not grow "
        "with its text: a long value is cut off. Prefer an ordinary paragraph or a table cell."
    ),
    "tag-in-textbox/slot": lazy(
        "The body slot cannot be in a text box: the sections, tables and pictures it writes do "
        "not fit in one. Move it to an ordinary paragraph."
    ),
    "tracked-changes": lazy(
        "The tag {tag} is in text deleted with Track Changes (修订) still on. Accept or reject "
        "all changes (审阅 → 接受所有修订) and turn tracking off first."
    ),
    "fullwidth-braces": lazy(
        "This looks like a tag typed with full-width braces (｛｛ … ｝｝ or ｛％ … ％｝). Jinja "
        "reads only half-width (ASCII) braces, so it is printed as text. Switch the input "
        "method to English (half-width) and retype the braces."
    ),
    "body-slot-inline": lazy(
        "{tag} prints whole paragraphs, so it must replace its paragraph: write {{{{p {name} }}}} "
        "(a p right after the braces), alone in its own paragraph. As written, docgen would put "
        "paragraphs inside a line of text and Word could not open the document."
    ),
    "dropped-text": lazy(
        "{tag} replaces its whole {unit}, so the rest of it — “{rest}” — is never printed. "
        "Give the tag a {unit} of its own."
    ),
    "normalized-quotes": lazy(
        "Read {written} as {read}: Word or WPS autocorrect had put curly or full-width "
        "punctuation in the tag. docgen reads it as ASCII (text inside quotes is kept); plain "
        "docxtpl would not, so retype it with the input method in English mode if the template "
        "must work there too."
    ),
    # -- Jinja --
    "syntax-error": lazy(
        "Jinja cannot read {tag}: {jinja}. Check the tag's brackets, quotes and spelling (a "
        "missing brace, a stray character, a word where an operator should be)."
    ),
    "syntax-error/unclosed": lazy(
        "The {{% {word} %}} block {tag} is never closed in this part. Add {{%p end{word} %}} in "
        "its own paragraph where the block should end (the body, each header and each footer "
        "are separate: a block cannot cross them). Jinja: {jinja}"
    ),
    "syntax-error/end": lazy(
        "{tag} closes a {{% {word} %}} block that is not open here: it was never opened in this "
        "part, or it was closed already. Remove it, or open the block before it. Jinja: {jinja}"
    ),
    "syntax-error/tag": lazy(
        "Jinja has no tag '{word}' ({tag}). Check its spelling; docxtpl's paragraph, row and "
        "cell forms are written {{%p …%}}, {{%tr …%}}, {{%tc …%}} with no space before the "
        "letter. Jinja: {jinja}"
    ),
    "unknown-filter": lazy(
        "There is no filter “{name}”, so the template cannot be compiled.{hint} docgen's "
        "filters are {docgen}; Jinja's own (default, join, upper, …) work too."
    ),
    "unknown-test": lazy("There is no test “{name}” (as in “x is {name}”).{hint}"),
    "unsupported-tag": lazy(
        "{{% {word} %}} needs other template files, which a Word template cannot reach. Copy "
        "what you need into this document instead."
    ),
    # -- names and data --
    "undefined-variable/model": lazy(
        "“{name}” is neither in the report model (title, status, sections, signature, term, "
        "extra, …) nor a field of template.toml. Supply it under extra: in the data file (or "
        "as a key of the data, for a plain template), or declare it in template.toml [fields] "
        "with a default.{also}"
    ),
    "undefined-variable/data": lazy(
        "The data does not supply “{name}”.{hint} {add}, declare it in template.toml [fields] "
        "with a default, or guard it with {{% if {name} is defined %}}.{also}"
    ),
    "undefined-variable/empty": lazy(
        "{subject} is empty (None) in the data, so {paths} cannot be printed. Give {subject} "
        "in the data, or wrap the paragraph in {{%p if {path} %}} … {{%p endif %}}.{also}"
    ),
    "unknown-attribute": lazy(
        "{subject} has no “{name}” {where}{listing}, so {path} is undefined.{hint}{also}"
    ),
    "not-a-list": lazy(
        "{{% for {var} in {over} %}} loops over {subject}, but the data gives a {type} "
        "({value}), not a list. Give a list in the data, or loop over something else."
    ),
    "missing-field": lazy(
        "template.toml declares the field “{name}”{what} as required and the data does not "
        "give it. Add {name}: … {where}, or give the field a default in template.toml."
    ),
    # -- the package and the manifest --
    "missing-style/named": lazy(
        "{{{{p {slot} }}}} writes {what} with the style “{style}” (template.toml [styles] "
        "{role}), but template.docx has no paragraph style with that id, so Word shows them in "
        "Normal.{hint}"
    ),
    "missing-style/default": lazy(
        "{{{{p {slot} }}}} writes {what} with the first of the styles {tried} that "
        "template.docx has, and it has none, so Word shows them in Normal. Add one of those "
        'styles in Word, or name a style in template.toml: [styles] {role} = "…".'
    ),
    "manifest-error": lazy(
        "{error} — fix template.toml; the rest was checked with default settings."
    ),
    "bad-xml": lazy("{error}"),
    # -- external links --
    "attached-template-removed": lazy(
        "the link to the Word template the file was made from ({target}) is removed from every "
        "generated document"
    ),
    "external-link": lazy(
        "links to something outside the document ({kind}: {target}), which Word would fetch "
        "whenever a generated document is opened; docgen refuses the template unless "
        "{setting}=1. Embed the picture or object instead (Word: 编辑链接 → 断开链接)"
    ),
}
"""Every message ``docgen inspect`` writes, by code (``code/variant``): each a
:class:`~docgen.i18n.Message` whose msgid has ``str.format`` placeholders, translated when the
finding is shown (``docgen/locale``)."""


class _Listing(Message):
    """Items joined with the language's list separator (``, `` or ``、``) when shown."""

    __slots__ = ()

    def __str__(self) -> str:
        return _(", ").join(str(item) for item in self.params["items"])


def _listing(items: Iterable[Any]) -> Message:
    """*items* (messages or text) as a list in the language active when shown."""
    return _Listing("", {"items": tuple(items)})


# --- what an inspection finds -----------------------------------------------------------------


@attrs.define(frozen=True)
class Place:
    """Where something is: a part and the visible text of the Word paragraph there.

    The part is ``word/document.xml``, ``word/header1.xml``, ``word/footnotes.xml``…
    """

    part: str
    paragraph: str

    def to_dict(self) -> dict[str, str]:
        """The place as a JSON-ready mapping."""
        return {"part": self.part, "paragraph": self.paragraph}

    def __str__(self) -> str:
        return f"{self.part} “{self.paragraph}”"


@attrs.define(frozen=True)
class Finding:
    """One problem (or note) about a template.

    Attributes:
        level: ``error`` (the template cannot render, or renders a broken document),
            ``warning`` (it renders, probably not as meant) or ``info`` (handled; nothing to do).
        code: a stable name for tools: ``syntax-error``, ``unknown-filter``, ``split-tag``…
        message: what is wrong and how to fix it, in words a newcomer understands: a
            :class:`~docgen.i18n.Message`, text in the language active when it is shown.
        part: the package part (or file) it concerns, if any.
        paragraph: the visible text of the paragraph it concerns, if any.
    """

    level: Level
    code: str
    message: Text
    part: str | None = None
    paragraph: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """The finding as a JSON-ready mapping, its message in the current language."""
        return {key: text(value) for key, value in attrs.asdict(self).items()}

    def __str__(self) -> str:
        where = f" {self.part}" if self.part else ""
        where += f" “{self.paragraph}”" if self.paragraph else ""
        level = _LABELS.get(self.level, self.level)
        return _(
            "{level} [{code}]{where}: {message}",
            level=level,
            code=self.code,
            where=where,
            message=self.message,
        )


def _finding(level: Level, key: str, place: Place | None, **values: Any) -> Finding:
    message = Message(MESSAGES[key].msgid, values)
    part = place.part or None if place else None
    return Finding(
        level, key.partition("/")[0], message, part, place.paragraph or None if place else None
    )


@attrs.define(eq=False)
class _Use:
    """One use of a variable: where, under which ``{% if %}`` guards, optional or not."""

    place: Place
    guards: tuple[tuple[str, Variable], ...]
    optional: bool


@attrs.define(eq=False)
class Variable:
    """A name a template uses, with the attributes used on it and the loops over it.

    Attributes:
        name: the name (``signature``), attribute (``org``) or loop variable (``s``).
        path: as the template writes it: ``signature.org``; inside a loop, relative to the loop
            variable: ``s.title``.
        places: where it is used (the deepest use: ``signature.org`` is listed under ``org``).
        attributes: the attributes used on it, by name.
        loops: the ``{% for %}`` loops over it, each with the names used on its loop variable.
        supplied_by: for a top-level name, who gives it: ``report``, ``extra``, ``data`` or
            ``manifest``; None when nothing does.
    """

    name: str
    path: str
    places: list[Place] = attrs.field(factory=list)
    attributes: dict[str, Variable] = attrs.field(factory=dict)
    loops: list[Loop] = attrs.field(factory=list)
    supplied_by: str | None = None
    role: str = attrs.field(default="top", repr=False)  # top, attribute or item
    parent: Variable | None = attrs.field(default=None, repr=False)
    uses: list[_Use] = attrs.field(factory=list, repr=False)

    def child(self, name: str) -> Variable:
        """The attribute *name* of this variable (created on first use)."""
        if name not in self.attributes:
            self.attributes[name] = Variable(
                name, f"{self.path}.{name}", role="attribute", parent=self
            )
        return self.attributes[name]

    def loop(self, var: str, call: str | None) -> Loop:
        """The loop ``for VAR in`` this variable (created on first use)."""
        over = self.path + (f".{call}()" if call else "")
        for existing in self.loops:
            if (existing.var, existing.over) == (var, over):
                return existing
        self.loops.append(Loop(var, over, Variable(var, var, role="item"), call=call))
        return self.loops[-1]

    def add_use(self, use: _Use) -> None:
        """Record a use (:meth:`tidy` makes the places unique)."""
        self.uses.append(use)
        self.places.append(use.place)

    def tidy(self) -> None:
        """Each place once (a text box's two copies, a tag seen twice), here and below."""
        self.places = list(dict.fromkeys(self.places))
        for child in self.attributes.values():
            child.tidy()
        for lp in self.loops:
            lp.places = list(dict.fromkeys(lp.places))
            lp.item.tidy()

    def all_uses(self) -> list[_Use]:
        """Uses of this variable and of its attributes (not those inside loops over it)."""
        return self.uses + [u for child in self.attributes.values() for u in child.all_uses()]

    def to_dict(self) -> dict[str, Any]:
        """The variable and everything under it as JSON-ready data."""
        return {
            "name": self.name,
            "path": self.path,
            "supplied_by": self.supplied_by,
            "places": [p.to_dict() for p in self.places],
            "attributes": [a.to_dict() for a in self.attributes.values()],
            "loops": [lp.to_dict() for lp in self.loops],
        }


@attrs.define(eq=False)
class Loop:
    """``{% for VAR in OVER %}``: the loop variable and the names used on it inside the loop.

    Attributes:
        var: the loop variable (``s``; ``k, v`` for several).
        over: what is looped over, as written: ``sections``, ``s.blocks``, ``d.items()``.
        item: the loop variable as a :class:`Variable`: its attributes (``s.title``) and the
            loops nested in this one (``for b in s.blocks``).
        places: where the loop starts.
    """

    var: str
    over: str
    item: Variable
    places: list[Place] = attrs.field(factory=list)
    call: str | None = attrs.field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The loop as JSON-ready data."""
        places = [p.to_dict() for p in self.places]
        return {"var": self.var, "over": self.over, "places": places, "item": self.item.to_dict()}


@attrs.define(eq=False)
class FilterUse:
    """A filter a template uses: ``docgen`` (the Chinese filters), ``jinja`` or ``unknown``."""

    name: str
    kind: str
    places: list[Place] = attrs.field(factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The filter as JSON-ready data."""
        return {"name": self.name, "kind": self.kind, "places": [p.to_dict() for p in self.places]}


@attrs.define(eq=False)
class Inspection:
    """What :func:`inspect_template` found.

    Attributes:
        template: the template's name.
        source: the ``.docx`` it was read from.
        parts: the parts that hold tags.
        variables: the top-level names the template uses, each a tree of its attributes and
            the loops over it.
        filters: the filters used, by name.
        findings: errors, then warnings, then notes, each in document order.
        data_given: whether the names were checked against real data.
    """

    template: str
    source: str
    parts: tuple[str, ...]
    variables: dict[str, Variable]
    filters: dict[str, FilterUse]
    findings: list[Finding]
    data_given: bool = False

    @property
    def errors(self) -> list[Finding]:
        """The findings that make the template fail or produce a broken document."""
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """The findings that probably make a document look other than meant."""
        return [f for f in self.findings if f.level == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error (``docgen inspect`` exits 0)."""
        return not self.errors

    def counts(self) -> dict[str, int]:
        """How many findings of each level."""
        return {level: sum(f.level == level for f in self.findings) for level in _LEVELS}

    def to_dict(self) -> dict[str, Any]:
        """Everything as JSON-ready data (``docgen inspect --json``)."""
        return {
            "template": self.template,
            "source": self.source,
            "ok": self.ok,
            "data_given": self.data_given,
            "parts": list(self.parts),
            "variables": [v.to_dict() for v in self.variables.values()],
            "filters": [f.to_dict() for f in self.filters.values()],
            "findings": [f.to_dict() for f in self.findings],
            "summary": self.counts(),
        }

    def format_text(self) -> str:
        """A report for people: variables as a tree, filters, then the findings."""
        none = _("(none)")
        out = [
            _("Template: {name} ({source})", name=self.template, source=self.source),
            _("Parts with tags: {parts}", parts=", ".join(self.parts) or none),
            "",
            _("Variables") if self.data_given else _("Variables (checked without data)"),
        ]
        for var in self.variables.values():
            _tree_lines(var, 1, out)
        out += [f"  {none}"] * (not self.variables) + ["", _("Filters")]
        out += [
            f"  {pad(f.name, 14)} {pad(text(_KINDS.get(f.kind, f.kind)), 8)} "
            f"{_places_text(f.places)}"
            for f in self.filters.values()
        ]
        out += [f"  {none}"] * (not self.filters) + ["", _("Findings")]
        for f in self.findings:
            where = f"{f.part} “{f.paragraph}”" if f.part and f.paragraph else f.part or ""
            label = _LABELS[f.level]
            out += [f"  {label} [{f.code}] {where}".rstrip(), f"      {f.message}"]
        counts = self.counts()
        verdict = _("fix the errors before rendering") if counts["error"] else _("no errors")
        out += [f"  {none}"] * (not self.findings) + [""]
        out.append(
            _(
                "Total: {errors} error(s), {warnings} warning(s), {notes} note(s) — {verdict}.",
                errors=counts["error"],
                warnings=counts["warning"],
                notes=counts["info"],
                verdict=verdict,
            )
        )
        return "\n".join(out)


# Who supplies a name and what kind a filter is, as the text report shows them (to_dict keeps
# the identifiers).
_SUPPLIERS = {
    "report": lazy("report"),
    "data": lazy("data"),
    "manifest": lazy("manifest"),
    None: lazy("not supplied"),
}
_KINDS = {"unknown": lazy("unknown")}


def _places_text(places: Sequence[Place]) -> str:
    more = _(" (+{n} more)", n=len(places) - 1) if len(places) > 1 else ""
    return f"{places[0]}{more}" if places else ""


def _tree_lines(var: Variable, depth: int, out: list[str]) -> None:
    indent = "  " * depth
    supplier = text(_SUPPLIERS.get(var.supplied_by, var.supplied_by))
    label = f"{var.name}  [{supplier}]" if var.role == "top" else var.path
    out.append(f"{indent}{pad(label, 40)} {_places_text(var.places)}".rstrip())
    _children_lines(var, depth + 1, out)


def _children_lines(var: Variable, depth: int, out: list[str]) -> None:
    indent = "  " * depth
    for child in var.attributes.values():
        _tree_lines(child, depth, out)
    for lp in var.loops:
        out.append(f"{indent}{pad(f'for {lp.var} in {lp.over}', 40)} {_places_text(lp.places)}")
        if lp.item.places:
            out.append(f"{indent}  {pad(lp.var, 38)} {_places_text(lp.item.places)}")
        _children_lines(lp.item, depth + 1, out)


def _shorten(text: str, limit: int = 80) -> str:
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
