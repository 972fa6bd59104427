"""``docgen inspect``: what a template uses and what is wrong with it, before any render.

:func:`inspect_template` reads a template the way the renderer does (docxtpl's tag merging,
curly and full-width punctuation read as ASCII) but never stops at the first problem: it parses
every part (body, headers, footers, foot- and endnotes) on its own, reports a Jinja syntax error
and goes on, and looks at the part XML itself for what Jinja cannot see: tags Word split over
runs or paragraphs, tags in text boxes and fields, text a paragraph tag would drop.  Every
finding names the part and the paragraph's visible text, says what is wrong and how to fix it.
The messages live in one table, :data:`MESSAGES`.

>>> result = inspect_template("work-summary")
>>> result.errors
[]
>>> sorted(result.variables)
['body', 'signature_block', 'status', 'title']
"""

from __future__ import annotations

import contextlib
import difflib
import html
import os
import re
import string
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any, Literal

import attrs
import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from docgen import _docxtpl, registry, tables
from docgen.cn.calendar import Term
from docgen.errors import DocgenError, PackageError
from docgen.filters import FILTERS
from docgen.model import Report, Section, Signature
from docgen.ooxml import Package, W, parse_xml, read_styles
from docgen.template import DEFAULT_STYLE_IDS, Manifest, Template, make_environment

__all__ = [
    "MESSAGES",
    "FilterUse",
    "Finding",
    "Inspection",
    "Loop",
    "Place",
    "Variable",
    "inspect_template",
]

Level = Literal["error", "warning", "info"]
_LEVELS: tuple[Level, ...] = ("error", "warning", "info")
_LABELS = {"error": "错误 error", "warning": "警告 warning", "info": "提示 info"}

MESSAGES: dict[str, str] = {
    # -- tags as Word stores them --
    "split-tag/pieces": "Word stored the tag $tag in $n pieces (it splits text after edits and "
    "spell checks); docgen joins them, so nothing needs doing.",
    "split-tag/formats": "Word stored the tag $tag in $n pieces with different formatting: "
    "$pieces. docgen joins them and the value takes the formatting of the first piece ($first). "
    "To choose the look, select the whole tag in Word and format it once.",
    "split-tag/unclosed": "The tag $tag has no closing $close in this paragraph. A tag must "
    "begin and end in the same paragraph; Word may have broken it (an Enter, or autocorrect). "
    "Retype the whole tag, ending with $close, on one line.",
    "split-tag/paragraphs": "A tag begins at the end of this paragraph and goes on in the next "
    "one (“$next”). A tag must sit in one paragraph: delete the paragraph break inside it.",
    "tag-in-field/code": "The tag $tag is inside a field code (the hidden instruction of a Word "
    "field, shown with Alt+F9). docgen would change the field's instruction, not the text you "
    "see, and Word recomputes fields when it updates them. Put the tag in ordinary text (select "
    "the field and press Ctrl+Shift+F9 to turn it into plain text).",
    "tag-in-field/result": "The tag $tag is in the text a Word field shows (a page number, a "
    "link, a mail-merge field…). docgen fills it, but Word replaces that text when it updates "
    "fields (F9, printing), so the value can disappear. Select the field and press "
    "Ctrl+Shift+F9 to make it plain text.",
    "tag-in-textbox": "This tag is in a text box. Word keeps two copies of a text box (one for "
    "Word 2010 and later, one for older programs) and docgen fills both, but a text box does "
    "not grow with its text: a long value is cut off. Prefer an ordinary paragraph or a table "
    "cell.",
    "tag-in-textbox/slot": "The body slot cannot be in a text box: the sections, tables and "
    "pictures it writes do not fit in one. Move it to an ordinary paragraph.",
    "tracked-changes": "The tag $tag is in text deleted with Track Changes (修订) still on. "
    "Accept or reject all changes (审阅 → 接受所有修订) and turn tracking off first.",
    "fullwidth-braces": "This looks like a tag typed with full-width braces (｛｛ … ｝｝ or "
    "｛％ … ％｝). Jinja reads only ASCII { }, so it is printed as text. Switch the input method "
    "to English (half-width) and retype the braces.",
    "body-slot-inline": "$tag prints whole paragraphs, so it must replace its paragraph: write "
    "{{p $name }} (a p right after the braces), alone in its own paragraph. As written, docgen "
    "would put paragraphs inside a line of text and Word could not open the document.",
    "dropped-text": "$tag replaces its whole $unit, so the rest of it — “$rest” — is never "
    "printed. Give the tag a $unit of its own.",
    "normalized-quotes": "Read $written as $read: Word or WPS autocorrect had put curly or "
    "full-width punctuation in the tag. docgen reads it as ASCII (text inside quotes is kept); "
    "plain docxtpl would not, so retype it with the input method in English mode if the "
    "template must work there too.",
    # -- Jinja --
    "syntax-error": "Jinja cannot read $tag: $jinja. Check the tag's brackets, quotes and "
    "spelling (a missing brace, a stray character, a word where an operator should be).",
    "syntax-error/unclosed": "The {% $word %} block $tag is never closed in this part. Add "
    "{%p end$word %} in its own paragraph where the block should end (the body, each header and "
    "each footer are separate: a block cannot cross them). Jinja: $jinja",
    "syntax-error/end": "$tag closes a {% $word %} block that is not open here: it was never "
    "opened in this part, or it was closed already. Remove it, or open the block before it. "
    "Jinja: $jinja",
    "syntax-error/tag": "Jinja has no tag '$word' ($tag). Check its spelling; docxtpl's "
    "paragraph, row and cell forms are written {%p …%}, {%tr …%}, {%tc …%} with no space before "
    "the letter. Jinja: $jinja",
    "unknown-filter": "There is no filter “$name”, so the template cannot be compiled.$hint "
    "docgen's filters are $docgen; Jinja's own (default, join, upper, …) work too.",
    "unknown-test": "There is no test “$name” (as in “x is $name”).$hint",
    "unsupported-tag": "{% $word %} needs other template files, which a Word template cannot "
    "reach. Copy what you need into this document instead.",
    # -- names and data --
    "undefined-variable/model": "“$name” is neither in the report model (title, status, "
    "sections, signature, term, extra, …) nor a field of template.toml. Supply it under extra: "
    "in the data file (or as a key of the data, for a plain template), or declare it in "
    "template.toml [fields] with a default.$also",
    "undefined-variable/data": "The data does not supply “$name”.$hint $add, declare it in "
    "template.toml [fields] with a default, or guard it with {% if $name is defined %}.$also",
    "undefined-variable/empty": "$subject is empty (None) in the data, so $paths cannot be "
    "printed. Give $subject in the data, or wrap the paragraph in {%p if $path %} … "
    "{%p endif %}.$also",
    "unknown-attribute": "$subject has no “$name” $where$listing, so $path is undefined.$hint$also",
    "not-a-list": "{% for $var in $over %} loops over $subject, but the data gives a $type "
    "($value), not a list. Give a list in the data, or loop over something else.",
    "missing-field": "template.toml declares the field “$name”$what as required and the data "
    "does not give it. Add $name: … $where, or give the field a default in template.toml.",
    # -- the package and the manifest --
    "missing-style/named": "{{p $slot }} writes $what with the style “$style” (template.toml "
    "[styles] $role), but template.docx has no paragraph style with that id, so Word shows them "
    "in Normal.$hint",
    "missing-style/default": "{{p $slot }} writes $what with the first of the styles $tried "
    "that template.docx has, and it has none, so Word shows them in Normal. Add one of those "
    'styles in Word, or name a style in template.toml: [styles] $role = "…".',
    "manifest-error": "$error — fix template.toml; the rest was checked with default settings.",
    "bad-xml": "$error",
}
"""Every message ``docgen inspect`` writes, by code (``code/variant``), as string.Template."""


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
        message: what is wrong and how to fix it, in words a newcomer understands.
        part: the package part (or file) it concerns, if any.
        paragraph: the visible text of the paragraph it concerns, if any.
    """

    level: Level
    code: str
    message: str
    part: str | None = None
    paragraph: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """The finding as a JSON-ready mapping."""
        return attrs.asdict(self)

    def __str__(self) -> str:
        where = f" {self.part}" if self.part else ""
        where += f" “{self.paragraph}”" if self.paragraph else ""
        return f"{self.level} [{self.code}]{where}: {self.message}"


def _finding(level: Level, key: str, place: Place | None, **values: Any) -> Finding:
    message = string.Template(MESSAGES[key]).substitute(values)
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
        out = [
            f"模板 Template: {self.template} ({self.source})",
            f"含标签的部分 Parts with tags: {', '.join(self.parts) or '(none)'}",
            "",
            "变量 Variables" + ("" if self.data_given else " (checked without data)"),
        ]
        for var in self.variables.values():
            _tree_lines(var, 1, out)
        out += ["  (none)"] * (not self.variables) + ["", "过滤器 Filters"]
        out += [
            f"  {f.name:<14} {f.kind:<8} {_places_text(f.places)}" for f in self.filters.values()
        ]
        out += ["  (none)"] * (not self.filters) + ["", "检查结果 Findings"]
        for f in self.findings:
            where = f"{f.part} “{f.paragraph}”" if f.part and f.paragraph else f.part or ""
            out += [f"  {_LABELS[f.level]} [{f.code}] {where}".rstrip(), f"      {f.message}"]
        counts = self.counts()
        verdict = "fix the errors before rendering" if counts["error"] else "no errors"
        out += ["  (none)"] * (not self.findings) + [""]
        out.append(
            f"共 Total: {counts['error']} error(s), {counts['warning']} warning(s), "
            f"{counts['info']} note(s) — {verdict}."
        )
        return "\n".join(out)


def _places_text(places: Sequence[Place]) -> str:
    more = f" (+{len(places) - 1} more)" if len(places) > 1 else ""
    return f"{places[0]}{more}" if places else ""


def _tree_lines(var: Variable, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    label = f"{var.name}  [{var.supplied_by or 'not supplied'}]" if var.role == "top" else var.path
    out.append(f"{pad}{label:<40} {_places_text(var.places)}".rstrip())
    _children_lines(var, depth + 1, out)


def _children_lines(var: Variable, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    for child in var.attributes.values():
        _tree_lines(child, depth, out)
    for lp in var.loops:
        out.append(f"{pad}{'for ' + lp.var + ' in ' + lp.over:<40} {_places_text(lp.places)}")
        if lp.item.places:
            out.append(f"{pad}  {lp.var:<38} {_places_text(lp.item.places)}")
        _children_lines(lp.item, depth + 1, out)


# --- the raw part XML: where tags really sit -----------------------------------------------------

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_OPEN = re.compile(r"\{\{|\{%|\{#")
_PREFIX = re.compile(r"^\{([{%#])(p|tr|tc|r)\s")
_SLOT_NAMES = ("body", "signature_block")
_KINDS = {"t": "text", "instrText": "code", "delText": "deleted", "delInstrText": "deleted"}


@attrs.define(eq=False)
class _Seg:
    """A piece of a paragraph's text: a ``w:t`` (or field code, or deleted text) and its run."""

    text: str
    run: Any
    kind: str  # text, code (a field's instruction) or deleted (tracked deletion)
    in_result: bool  # in the text a field shows
    order: int


@attrs.define(eq=False)
class _Para:
    index: int
    element: Any
    in_textbox: bool
    in_fallback: bool  # the VML copy of a text box, beside its DrawingML copy
    segs: list[_Seg] = attrs.field(factory=list)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segs if s.kind == "text")

    @property
    def shown(self) -> str:
        return _shorten(self.text)


@attrs.define(eq=False)
class _RawTag:
    para: _Para
    text: str
    closed: bool
    segs: list[_Seg]

    @property
    def prefix(self) -> str | None:
        m = _PREFIX.match(self.text)
        return m.group(2) if m else None

    @property
    def shown(self) -> str:
        return _shorten(self.text, 60)


def _shorten(text: str, limit: int = 80) -> str:
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _tags_in(text: str, *, to_line_end: bool = False) -> list[tuple[int, int]]:
    """(start, end) of every ``{{ }}``, ``{% %}`` and ``{# #}`` tag in *text*.

    A tag never closed ends with the text (or, *to_line_end*, with its line: the rest of its
    paragraph in preprocessed source).
    """
    out, i = [], 0
    while (m := _OPEN.search(text, i)) is not None:
        end = text.find(_OPENERS[m.group()], m.end()) + 2
        if end < 2:
            line_end = text.find("\n", m.end()) if to_line_end else -1
            end = line_end if line_end >= 0 else len(text)
        out.append((m.start(), end))
        i = end
    return out


def _scan_part(part: str, xml: bytes) -> tuple[list[_Para], list[_RawTag]]:
    """The paragraphs of a part with their text pieces, and the tags in them in XML order."""
    root = parse_xml(xml, part)
    paras: dict[Any, _Para] = {}
    for i, p in enumerate(root.iter(f"{W}p")):
        above = {a.tag for a in p.iterancestors()}
        paras[p] = _Para(i, p, f"{W}txbxContent" in above, _MC_FALLBACK in above)
    fields: list[str] = []  # for each open field: "code" until its separator, then "result"
    texts = root.iter(f"{W}t", f"{W}instrText", f"{W}delText", f"{W}delInstrText", f"{W}fldChar")
    for order, el in enumerate(texts):
        local = etree.QName(el).localname
        if local == "fldChar":
            kind = el.get(f"{W}fldCharType")
            if kind == "begin":
                fields.append("code")
            elif fields and kind in ("separate", "end"):
                fields[-1:] = ["result"] if kind == "separate" else []
            continue
        p = next(el.iterancestors(f"{W}p"), None)
        if p in paras:
            simple = next(el.iterancestors(f"{W}fldSimple"), None) is not None
            in_result = simple or fields[-1:] == ["result"]
            paras[p].segs.append(
                _Seg(el.text or "", el.getparent(), _KINDS[local], in_result, order)
            )
    tags: list[_RawTag] = []
    for para in paras.values():
        full = "".join(s.text for s in para.segs)
        bounds, pos = [], 0
        for seg in para.segs:
            bounds.append((pos, pos + len(seg.text), seg))
            pos += len(seg.text)
        for start, end in _tags_in(full):
            segs = [s for a, b, s in bounds if a < end and b > start]
            closed = full[end - 2 : end] == _OPENERS[full[start : start + 2]]
            tags.append(_RawTag(para, full[start:end], closed, segs))
    tags.sort(key=lambda t: t.segs[0].order)
    return list(paras.values()), tags


_FORMAT_WORDS = {
    "b": "bold",
    "i": "italic",
    "u": "underlined",
    "strike": "struck through",
    "color": "colour",
    "sz": "size",
    "rFonts": "font",
    "highlight": "highlighted",
    "vertAlign": "raised/lowered",
    "em": "emphasis dots",
}


def _format_of(run: Any) -> tuple[str, ...]:
    """The formatting of a run in words: ('bold', 'colour FF0000')."""
    rpr = run.find(f"{W}rPr") if run is not None else None
    words = []
    for child in rpr if rpr is not None else ():
        local = etree.QName(child).localname
        val = child.get(f"{W}val")
        if local not in _FORMAT_WORDS or val in ("0", "false", "off", "none"):
            continue
        if local == "sz" and val and val.isdigit():
            words.append(f"size {int(val) / 2:g} pt")
        elif local == "rFonts":
            words.append(f"font {child.get(f'{W}eastAsia') or child.get(f'{W}ascii')}")
        else:
            words.append(
                f"{_FORMAT_WORDS[local]} {val}" if val and local != "u" else _FORMAT_WORDS[local]
            )
    return tuple(words)


def _split_tag_finding(place: Place, tag: _RawTag) -> Finding | None:
    """An info finding for a tag stored in several runs, with each piece's formatting."""
    runs: list[Any] = []
    for seg in tag.segs:
        if seg.run not in runs:
            runs.append(seg.run)
    if len(runs) < 2:
        return None
    pieces = ["".join(s.text for s in tag.segs if s.run is r) for r in runs]
    pieces[0] = (
        pieces[0][pieces[0].find(tag.text[:2]) :] if tag.text[:2] in pieces[0] else pieces[0]
    )
    if tag.text[-2:] in pieces[-1]:
        pieces[-1] = pieces[-1][: pieces[-1].find(tag.text[-2:]) + 2]
    formats = [_format_of(r) for r in runs]
    if len(set(formats)) == 1:
        return _finding("info", "split-tag/pieces", place, tag=tag.shown, n=len(runs))
    described = ", ".join(
        f"“{_shorten(piece, 30)}” ({', '.join(fmt) or 'plain'})"
        for piece, fmt in zip(pieces, formats, strict=True)
    )
    first = ", ".join(formats[0]) or "plain"
    return _finding(
        "info",
        "split-tag/formats",
        place,
        tag=tag.shown,
        n=len(runs),
        pieces=described,
        first=first,
    )


def _inner(tag_text: str) -> str:
    """The expression of a tag without its braces and docxtpl prefix, read as ASCII."""
    m = _PREFIX.match(tag_text)
    body = tag_text[m.end() - 1 :] if m else tag_text[2:]
    body = body[:-2] if body[-2:] in ("}}", "%}", "#}") else body
    return _docxtpl.read_tag(html.unescape(body)).strip().strip("-").strip()


def _raw_findings(part: str, paras: list[_Para], tags: list[_RawTag]) -> Iterator[Finding]:
    """What the XML shows: split, unclosed, boxed, field and tracked tags; dropped text."""
    by_para: dict[int, list[_RawTag]] = {}
    for tag in tags:
        by_para.setdefault(tag.para.index, []).append(tag)
    for para in paras:
        if para.in_fallback:  # the VML copy of a text box: its DrawingML copy is reported
            continue
        here, place = by_para.get(para.index, []), Place(part, para.shown)
        if re.search(r"｛[｛{％%]|\{｛", para.text):
            yield _finding("warning", "fullwidth-braces", place)
        nxt = paras[para.index + 1].text.strip() if para.index + 1 < len(paras) else ""
        if para.text.rstrip().endswith("{") and nxt[:1] in ("{", "%", "#"):
            yield _finding("error", "split-tag/paragraphs", place, next=_shorten(nxt, 30))
        for tag in here:
            yield from _tag_findings(place, tag)
        if here and para.in_textbox:
            slot = any(t.text.startswith("{{") and _inner(t.text) in _SLOT_NAMES for t in here)
            yield _finding("error" if slot else "warning", "tag-in-textbox" + "/slot" * slot, place)
        prefixed = next((t for t in here if t.prefix in ("p", "tr", "tc")), None)
        if prefixed is not None:
            yield from _dropped_text(place, para, prefixed)


def _tag_findings(place: Place, tag: _RawTag) -> Iterator[Finding]:
    if not tag.closed:
        close = _OPENERS[tag.text[:2]]
        yield _finding("error", "split-tag/unclosed", place, tag=tag.shown, close=close)
        return
    kinds = {s.kind for s in tag.segs}
    if "code" in kinds:
        yield _finding("error", "tag-in-field/code", place, tag=tag.shown)
    elif any(s.in_result for s in tag.segs):
        yield _finding("warning", "tag-in-field/result", place, tag=tag.shown)
    if "deleted" in kinds:
        yield _finding("warning", "tracked-changes", place, tag=tag.shown)
    split = _split_tag_finding(place, tag)
    if split is not None:
        yield split
    name = _inner(tag.text)
    if tag.text.startswith("{{") and tag.prefix in (None, "r") and name in _SLOT_NAMES:
        yield _finding("error", "body-slot-inline", place, tag=tag.shown, name=name)


def _dropped_text(place: Place, para: _Para, tag: _RawTag) -> Iterator[Finding]:
    """Text docxtpl drops: it replaces the paragraph (row, cell) of ``{%p %}`` (``{%tr %}``)."""
    unit = {"p": "paragraph", "tr": "table row", "tc": "table cell"}[tag.prefix or "p"]
    holder = (
        para.element
        if tag.prefix == "p"
        else next(para.element.iterancestors(f"{W}{tag.prefix}"), None)
    )
    if holder is None:
        return
    text = "".join(t.text or "" for t in holder.iter(f"{W}t"))
    rest = _shorten(text.replace(tag.text, " ", 1), 40)
    if rest:
        yield _finding(
            "warning", "dropped-text", place, tag=_shorten(tag.text, 50), unit=unit, rest=rest
        )


# --- the Jinja source of a part, one tag a line ----------------------------------------------


def _key(tag_text: str) -> str:
    """What aligns a tag as written with the same tag after docxtpl's preprocessing."""
    return tag_text[:2] + re.sub(r"[\s\"'-]", "", _inner(tag_text))


@attrs.define(eq=False)
class _Source:
    """A part's preprocessed Jinja source, and where each of its tags was written."""

    part: str
    text: str
    tags: list[tuple[int, int]]
    places: list[Place]  # of each tag in ``tags``
    notes: tuple[_docxtpl.NormalizedTag, ...]

    def build(self, blanked: frozenset[int] = frozenset()) -> tuple[str, dict[int, int]]:
        """The source with each tag on a line of its own (*blanked* ones emptied).

        Returns the source and its line → tag index map, so a Jinja line number names a tag.
        """
        out: list[str] = []
        lines: dict[int, int] = {}
        pos, line = 0, 1
        for k, (start, end) in enumerate(self.tags):
            line += self.text.count("\n", pos, start) + 1
            lines[line] = k
            tag = "" if k in blanked else self.text[start:end]
            out += [self.text[pos:start], "\n", tag]
            line += tag.count("\n")
            pos = end
        out.append(self.text[pos:])
        return tables.mark_vmerge("".join(out)), lines

    def tag(self, k: int | None) -> str:
        return self.text[slice(*self.tags[k])] if k is not None else ""

    def place(self, k: int | None) -> Place:
        return self.places[k] if k is not None else Place(self.part, "")


def _jinja_source(part: str, xml: str, raw_tags: list[_RawTag]) -> _Source:
    """Preprocess a part as the renderer does and map each tag back to its paragraph."""
    text, notes = _docxtpl.preprocess_noting(xml)
    tags = _tags_in(text, to_line_end=True)
    pairs = _align([_key(t.text) for t in raw_tags], [_key(text[a:b]) for a, b in tags])
    places = [Place(part, raw_tags[i].para.shown if i is not None else "") for i in pairs]
    return _Source(part, text, tags, places, notes)


def _align(written: Sequence[str], read: Sequence[str], reach: int = 24) -> list[int | None]:
    """For each tag as Jinja reads it, the index of the tag as written.

    The two lists are nearly equal: docxtpl only merges tags broken across paragraphs and
    adds a few of its own (``{% vm %}``…).  Where they differ, the nearest point where they
    agree again (within *reach*) is found, and the tags between pair up in order.

    >>> _align(["{{a", "{{b}", "{{c", "{%if"], ["{{a", "{{b}{{c", "{%if"])
    [0, 1, 3]
    """
    out: list[int | None] = []
    i = j = 0
    while j < len(read):
        if i < len(written) and written[i] == read[j]:
            out.append(i)
            i, j = i + 1, j + 1
            continue
        resync = next(
            (
                (x, d - x)
                for d in range(1, reach)
                for x in range(d + 1)
                if i + x < len(written)
                and j + d - x < len(read)
                and written[i + x] == read[j + d - x]
            ),
            (1, 1),
        )
        x, y = resync
        for n in range(y):  # pair up in order; extra read tags go with the last written one
            k = i + min(n, x - 1) if x else i - 1
            out.append(k if 0 <= k < len(written) else None)
        i, j = i + x, j + y
    return out


_BLOCK_TAGS = {
    "for",
    "if",
    "macro",
    "call",
    "filter",
    "with",
    "block",
    "raw",
    "autoescape",
    "trans",
}


def _block(tag_text: str) -> tuple[str, str] | None:
    """("open" | "close", keyword) for a block tag, else None."""
    m = re.match(r"\{%-?\s*(\w+)(.*)", tag_text, re.DOTALL)
    word = m.group(1) if m else ""
    if word in _BLOCK_TAGS or (word == "set" and m is not None and "=" not in m.group(2)):
        return "open", word
    if word.startswith("end") and (word[3:] in _BLOCK_TAGS or word == "endset"):
        return "close", word[3:]
    return None


def _partner(src: _Source, k: int, blanked: frozenset[int]) -> int | None:
    """The tag closing the block tag *k* opens."""
    kind = _block(src.tag(k))
    if kind is None or kind[0] != "open":
        return None
    opener, closer, depth = kind, ("close", kind[1]), 0
    for j in range(k + 1, len(src.tags)):
        other = _block(src.tag(j)) if j not in blanked else None
        if other == closer and depth == 0:
            return j
        depth += (other == opener) - (other == closer)
    return None


def _unclosed(src: _Source, blanked: frozenset[int]) -> int | None:
    """The innermost block tag left open at the end of the part."""
    stack: list[tuple[str, int]] = []
    for k in range(len(src.tags)):
        kind = _block(src.tag(k)) if k not in blanked else None
        if kind and kind[0] == "open":
            stack.append((kind[1], k))
        elif kind and stack and stack[-1][0] == kind[1]:
            stack.pop()
    return stack[-1][1] if stack else None


def _syntax_finding(exc: jinja2.TemplateSyntaxError, tag: str, place: Place) -> Finding:
    jinja = exc.message or str(exc)
    values = {"tag": _shorten(tag, 60), "jinja": jinja}
    m = re.search(r"innermost block that needs to be closed is '(\w+)'", jinja)
    if m:
        return _finding("error", "syntax-error/unclosed", place, word=m.group(1), **values)
    m = re.search(r"Encountered unknown tag '(\w+)'", jinja)
    if m and m.group(1).startswith("end"):
        return _finding("error", "syntax-error/end", place, word=m.group(1)[3:], **values)
    if m:
        return _finding("error", "syntax-error/tag", place, word=m.group(1), **values)
    return _finding("error", "syntax-error", place, **values)


def _parse(
    env: SandboxedEnvironment, src: _Source
) -> tuple[nodes.Template | None, dict[int, int], list[Finding]]:
    """Parse a part, reporting each syntax error and going on without the tag at fault."""
    blanked: frozenset[int] = frozenset()
    findings: list[Finding] = []
    for _ in range(25):
        source, lines = src.build(blanked)
        try:
            ast = env.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            k = lines.get(exc.lineno or 0)
            if k is None or "Unexpected end of template" in (exc.message or ""):
                k = _unclosed(src, blanked)
            findings.append(_syntax_finding(exc, src.tag(k), src.place(k)))
            if k is None or k in blanked:
                return None, lines, findings
            partner = _partner(src, k, blanked)
            blanked = blanked | {k} | ({partner} if partner is not None else set())
            continue
        try:
            env.compile(ast)
        except jinja2.TemplateSyntaxError as exc:  # checks made when compiling
            if not re.match(r"No (filter|test) named", exc.message or ""):  # reported by name
                k = lines.get(exc.lineno or 0)
                findings.append(_syntax_finding(exc, src.tag(k), src.place(k)))
        return ast, lines, findings
    return None, {}, findings  # pragma: no cover - 25 errors in one part


# --- the variables, filters and loops a part uses ---------------------------------------------

_Path = tuple[str, int, tuple[str, ...]]  # name, line, attributes
_Frame = dict[str, Variable | None]  # names bound in a scope: a tracked loop item, or a local


def _path(node: nodes.Node) -> _Path | None:
    """``signature.org`` → ("signature", line, ("org",)); None if not a plain name path."""
    attributes: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            attributes.append(node.attr)
            node = node.node
        elif (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and isinstance(node.arg.value, str)
        ):
            attributes.append(node.arg.value)
            node = node.node
        elif isinstance(node, nodes.Name):
            return node.name, node.lineno, tuple(reversed(attributes))
        else:
            return None


class _Collector:
    """Walks the Jinja AST of each part and records every name, attribute, loop and filter."""

    def __init__(self, env: SandboxedEnvironment) -> None:
        self.env = env
        self.top: dict[str, Variable] = {}
        self.filters: dict[str, FilterUse] = {}
        self.tests: dict[str, list[Place]] = {}
        self.unsupported: list[tuple[str, Place]] = []
        self.slots: dict[str, Place] = {}  # body / signature_block → first place
        self.src: _Source | None = None
        self.lines: dict[int, int] = {}
        self.frames: list[_Frame] = []
        self.guards: list[tuple[str, Variable]] = []

    def run(self, ast: nodes.Template, src: _Source, lines: dict[int, int]) -> None:
        self.src, self.lines, self.frames, self.guards = src, lines, [{}], []
        self._stmts(ast.body)

    def place(self, lineno: int) -> Place:
        assert self.src is not None
        return self.src.place(self.lines.get(lineno))

    # -- names --

    def _resolve(self, path: _Path) -> Variable | None:
        name, _, attributes = path
        frame = next((f for f in reversed(self.frames) if name in f), None)
        if frame is not None:
            var = frame[name]
        elif name in self.env.globals:
            return None
        else:
            var = self.top.setdefault(name, Variable(name, name))
        if var is None:  # a local: {% set %}, a macro argument, loop
            return None
        for attribute in attributes:
            var = var.child(attribute)
        return var

    def _use(self, node: nodes.Node, optional: bool = False) -> Variable | None:
        path = _path(node)
        if path is None:
            self._expr(node)
            return None
        var = self._resolve(path)
        if var is not None:
            place = self.place(path[1])
            var.add_use(_Use(place, tuple(self.guards), optional))
            if var.role == "top" and var.name in _SLOT_NAMES:
                self.slots.setdefault(var.name, place)
        return var

    def _bind(self, target: nodes.Node) -> None:
        for name in target.find_all(nodes.Name) if not isinstance(target, nodes.Name) else [target]:
            self.frames[-1][name.name] = None

    @contextlib.contextmanager
    def _guarded(self, test: nodes.Node | None) -> Iterator[None]:
        guards = self._guards_of(test) if test is not None else []
        self.guards.extend(guards)
        try:
            yield
        finally:
            del self.guards[len(self.guards) - len(guards) :]

    def _guards_of(self, test: nodes.Node) -> list[tuple[str, Variable]]:
        """What an ``{% if %}`` test guarantees inside its body."""
        if isinstance(test, nodes.And):
            return self._guards_of(test.left) + self._guards_of(test.right)
        kind, target = "truthy", test
        if isinstance(test, nodes.Test) and test.name == "defined":
            kind, target = "defined", test.node
        elif (
            isinstance(test, nodes.Not)
            and isinstance(test.node, nodes.Test)
            and test.node.name == "none"
        ):
            kind, target = "notnone", test.node.node
        path = _path(target)
        var = self._resolve(path) if path is not None else None
        return [(kind, var)] if var is not None else []

    # -- expressions --

    def _expr(self, node: nodes.Node | None, optional: bool = False) -> None:
        if node is None:
            return
        if _path(node) is not None:
            self._use(node, optional)
        elif isinstance(node, nodes.Filter):
            self._filter(node)
        elif isinstance(node, nodes.Test):
            if node.name not in self.env.tests:
                self.tests.setdefault(node.name, []).append(self.place(node.lineno))
            self._expr(node.node, optional=node.name in ("defined", "undefined"))
            self._args(node)
        elif isinstance(node, nodes.Call):  # a method call uses its object
            callee = node.node
            self._expr(callee.node if isinstance(callee, nodes.Getattr) else callee)
            self._args(node)
        elif isinstance(node, nodes.CondExpr):
            self._expr(node.test)
            with self._guarded(node.test):
                self._expr(node.expr1)
            self._expr(node.expr2)
        else:
            for child in node.iter_child_nodes():
                self._expr(child)

    def _args(self, node: nodes.Call | nodes.Filter | nodes.Test) -> None:
        for arg in [*node.args, *(kw.value for kw in node.kwargs), node.dyn_args, node.dyn_kwargs]:
            self._expr(arg)

    def _filter(self, node: nodes.Filter, operand: bool = True) -> None:
        if node.name not in self.filters:
            known = "jinja" if node.name in self.env.filters else "unknown"
            kind = "docgen" if node.name in FILTERS or node.name == "image" else known
            self.filters[node.name] = FilterUse(node.name, kind)
        place = self.place(node.lineno)
        self.filters[node.name].places.append(place)
        if operand:
            self._expr(node.node, optional=node.name in ("default", "d"))
        self._args(node)

    # -- statements --

    def _stmts(self, body: Sequence[nodes.Node]) -> None:
        for node in body:
            self._stmt(node)

    def _stmt(self, node: nodes.Node) -> None:  # noqa: PLR0912 - one branch a statement kind
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                self._expr(child if not isinstance(child, nodes.TemplateData) else None)
        elif isinstance(node, nodes.For):
            self._for(node)
        elif isinstance(node, nodes.If):
            self._expr(node.test)
            with self._guarded(node.test):
                self._stmts(node.body)
            self._stmts([*node.elif_, *node.else_])
        elif isinstance(node, nodes.Assign):
            self._expr(node.node)
            self._bind(node.target)
        elif isinstance(node, nodes.AssignBlock):
            self._stmts(node.body)
            if node.filter is not None:
                self._filter(node.filter, operand=False)
            self._bind(node.target)
        elif isinstance(node, nodes.With):  # {% with a = signature %}: a.org is signature.org
            frame: _Frame = {}
            for target, value in zip(node.targets, node.values, strict=False):
                self._expr(value)
                path = _path(value)
                if isinstance(target, nodes.Name):
                    frame[target.name] = self._resolve(path) if path is not None else None
            self._scoped(frame, node.body)
        elif isinstance(node, nodes.Macro):
            self.frames[-1][node.name] = None
            for default in node.defaults:
                self._expr(default)
            names = [a.name for a in node.args] + ["varargs", "kwargs", "caller"]
            self._scoped(dict.fromkeys(names), node.body)
        elif isinstance(node, nodes.CallBlock):
            self._expr(node.call)
            self._scoped(dict.fromkeys([a.name for a in node.args] + ["caller"]), node.body)
        elif isinstance(node, nodes.FilterBlock):
            self._filter(node.filter, operand=False)
            self._stmts(node.body)
        elif isinstance(node, (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
            self.unsupported.append((type(node).__name__.lower(), self.place(node.lineno)))
        elif isinstance(node, nodes.Expr):
            self._expr(node)
        else:
            for inner in node.iter_child_nodes():
                self._stmt(inner)

    def _scoped(self, frame: _Frame, body: Sequence[nodes.Node]) -> None:
        self.frames.append(frame)
        try:
            self._stmts(body)
        finally:
            self.frames.pop()

    def _for(self, node: nodes.For) -> None:
        it: nodes.Node = node.iter
        while isinstance(it, nodes.Filter) and it.node is not None:  # sections|reverse
            self._filter(it, operand=False)
            it = it.node
        call = None
        if (
            isinstance(it, nodes.Call)
            and isinstance(it.node, nodes.Getattr)
            and it.node.attr in ("items", "values", "keys")  # d.items()
            and not it.args
        ):
            call, it = it.node.attr, it.node.node
        base = self._use(it)
        names = [n.name for n in node.target.find_all(nodes.Name)] or [
            getattr(node.target, "name", "")
        ]
        frame: _Frame = dict.fromkeys([*names, "loop"])
        if base is not None:
            loop = base.loop(", ".join(names), call)
            place = self.place(node.lineno)
            loop.places.append(place)
            if len(names) == 1:
                frame[names[0]] = loop.item
        self.frames.append(frame)
        try:
            self._expr(node.test)
            with self._guarded(node.test):
                self._stmts(node.body)
        finally:
            self.frames.pop()
        self._stmts(node.else_)


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


def _block_view(block: Any) -> SimpleNamespace:
    return SimpleNamespace(block=block, type="", text="", xml="", rich=None)


def _section_view(section: Section, level: int, number: int) -> SimpleNamespace:
    subsections = tuple(
        _section_view(s, level + 1, i) for i, s in enumerate(section.subsections, 1)
    )
    blocks = tuple(_block_view(b) for b in section.blocks)
    title = section.title
    return SimpleNamespace(
        label="",
        number=number,
        level=level,
        title=title,
        heading=title,
        blocks=blocks,
        subsections=subsections,
    )


def _report_values(report: Report) -> dict[str, Any]:
    """What :func:`docgen.render.report_context` gives a template, as plain stand-ins."""
    sig = report.signature
    ctx: dict[str, Any] = dict(report.extra)
    ctx.update(
        report=report,
        title=report.title,
        status=report.status,
        full_title=report.full_title,
        intro=tuple(_block_view(b) for b in report.intro),
        sections=tuple(_section_view(s, 1, i) for i, s in enumerate(report.sections, 1)),
        closing=tuple(_block_view(b) for b in report.closing),
        signature=sig and SimpleNamespace(org=sig.org, name=sig.name, date=sig.date, date_text=""),
        term=report.term,
        attachments=report.attachments,
        extra=report.extra,
        body="",
        signature_block="",
    )
    return ctx


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
        values["also"] = f" It is used in {more} more place(s) too." if more > 0 else ""
        level: Level = "error" if self.data is not None else "warning"
        self.findings[key] = _finding(level, key_name, uses[0].place, **values)

    def _subject(self, var: Variable, label: str) -> str:
        if self.data is None or label == var.path:
            return var.path
        return f"{label} ({var.path} in the template)"

    def _missing(self, var: Variable, env: dict[Variable, Any], label: str) -> None:
        hard = self._hard(var, env)
        if not hard:
            return
        if var.role == "top" and self.data is None:
            self._add(id(var), "undefined-variable/model", hard, name=var.name)
        elif var.role == "top":
            close = difflib.get_close_matches(var.name, [str(k) for k in self.ctx], n=1)
            add = (
                f"Add it under extra: in the data file (extra: {{{var.name}: …}})"
                if isinstance(self.data, Report)
                else f"Add a key “{var.name}” to the data"
            )
            hint = f" Did you mean “{close[0]}”?" if close else ""
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
                where="in the data" if self.data is not None else "in the report model",
                listing=f" (it has: {', '.join(names)})" if 0 < len(names) <= 12 else "",
                path=var.path,
                hint=f" Did you mean {var.parent.path}.{close[0]}?" if close else "",
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
    "heading1": "level-1 headings (一、)",
    "heading2": "level-2 headings",
    "heading3": "level-3 headings",
    "heading4": "level-4 headings",
    "body": "body paragraphs",
    "list_bullet": "bulleted lists",
    "list_number": "numbered lists",
    "table_text": "table text",
    "caption": "captions",
    "attachment": "the attachment note (附件)",
    "signature": "the signature block (落款)",
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
                    f" template.docx has a style named “{named}” whose id is “{real}”: "
                    f'write {role} = "{real}".'
                    if real
                    else " Create the style in Word (样式 → 新建样式), or change "
                    f"{role} in template.toml [styles]."
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


# --- inspecting -------------------------------------------------------------------------------


def _open(
    source: str | os.PathLike[str] | bytes | Template,
    template_dirs: Sequence[str | os.PathLike[str]],
    manifest: Manifest | None,
) -> tuple[str, str, Package, Manifest, list[Finding]]:
    """Name, source, package and manifest, found as :meth:`Template.load` finds them.

    A broken manifest is a finding (and defaults are used), not an exception.
    """
    if isinstance(source, Template):
        return source.name, source.source, source.package, source.manifest, []
    if isinstance(source, bytes):
        name = manifest.name if manifest and manifest.name else "template"
        return (
            name,
            "<bytes>",
            Package.from_bytes(source, "<bytes>"),
            manifest or Manifest(name),
            [],
        )
    found = registry.find(source, template_dirs)
    findings = []
    if manifest is None and found.manifest is not None:
        try:
            manifest = Manifest.read(found.manifest)
        except DocgenError as exc:
            findings.append(
                _finding("error", "manifest-error", Place(str(found.manifest), ""), error=exc)
            )
    name = manifest.name if manifest and manifest.name else found.name
    manifest = attrs.evolve(manifest, name=name) if manifest else Manifest(name=name)
    package = Package.from_bytes(found.docx.read_bytes(), str(found.docx))
    return name, str(found.docx), package, manifest, findings


def _inspect_parts(
    package: Package, env: SandboxedEnvironment, collector: _Collector
) -> tuple[list[str], list[Finding]]:
    """Scan and parse every part that may hold tags; the parts with tags and the findings."""
    parts: list[str] = []
    findings: list[Finding] = []
    notes: list[Finding] = []
    for part in package.templated_parts():
        raw = package.parts[part]
        try:
            paras, raw_tags = _scan_part(part, raw)
        except PackageError as exc:
            findings.append(_finding("error", "bad-xml", Place(part, ""), error=exc))
            continue
        findings.extend(_raw_findings(part, paras, raw_tags))
        if not raw_tags:
            continue
        parts.append(part)
        src = _jinja_source(part, raw.decode("utf-8"), raw_tags)
        starts = {start: k for k, (start, _) in enumerate(src.tags)}
        notes += [
            _finding(
                "info",
                "normalized-quotes",
                src.place(starts.get(n.offset)),
                written=_shorten(n.written, 60),
                read=_shorten(n.read, 60),
            )
            for n in src.notes
        ]
        ast, lines, errors = _parse(env, src)
        findings.extend(errors)
        if ast is not None:
            collector.run(ast, src, lines)
    return parts, findings + notes


def _name_findings(collector: _Collector, env: SandboxedEnvironment) -> Iterator[Finding]:
    """Unknown filters and tests, and tags a Word template cannot use."""
    docgen_filters = ", ".join([*FILTERS, "image"])
    for name, use in collector.filters.items():
        close = difflib.get_close_matches(name, sorted(env.filters), n=1)
        hint = f" Did you mean “{close[0]}”?" if close else ""
        for place in use.places if use.kind == "unknown" else ():
            yield _finding(
                "error", "unknown-filter", place, name=name, hint=hint, docgen=docgen_filters
            )
    for name, places in collector.tests.items():
        close = difflib.get_close_matches(name, sorted(env.tests), n=1)
        hint = f" Did you mean “{close[0]}”?" if close else ""
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
        what = f" ({spec.description})" if spec.description else ""
        where = "under extra: in the data file" if isinstance(data, Report) else "to the data"
        yield _finding("error", "missing-field", place, name=name, what=what, where=where)


def inspect_template(
    source: str | os.PathLike[str] | bytes | Template,
    *,
    data: Mapping[str, Any] | Report | None = None,
    template_dirs: Sequence[str | os.PathLike[str]] = (),
    manifest: Manifest | None = None,
) -> Inspection:
    """Inspect a template: the names and filters it uses, and everything wrong with it.

    Works on templates that do not compile: a syntax error or an unknown filter is a finding,
    and the other parts (and the rest of the part) are still inspected.

    Args:
        source: a ``.docx`` path, a template folder, a template name (looked up as
            :meth:`Template.load` does), a loaded :class:`Template`, or the bytes of a ``.docx``.
        data: a :class:`~docgen.Report` or a mapping to check the names against.  Without it,
            names outside the report model and the manifest's fields are warnings; with it,
            names the data does not supply are errors.
        template_dirs: more folders to look template names up in.
        manifest: the manifest to use instead of the template's ``template.toml``.

    Raises:
        TemplateNotFoundError: no such file, folder or template name.
        PackageError: the file is not a Word document at all.
    """
    name, origin, package, manifest, findings = _open(source, template_dirs, manifest)
    env = make_environment()
    collector = _Collector(env)
    parts, part_findings = _inspect_parts(package, env, collector)
    for var in collector.top.values():
        var.tidy()
    for use in collector.filters.values():
        use.places = list(dict.fromkeys(use.places))
    notes = [f for f in part_findings if f.level == "info"]
    findings += [f for f in part_findings if f.level != "info"]
    findings += _name_findings(collector, env)
    findings += _data_findings(collector, data, manifest)
    depth = data.depth if isinstance(data, Report) else None
    findings += _style_findings(package, manifest, collector.slots, depth)
    ordered = sorted(dict.fromkeys(findings + notes), key=lambda f: _LEVELS.index(f.level))
    return Inspection(
        name, origin, tuple(parts), collector.top, collector.filters, ordered, data is not None
    )
