"""What a fix changed, told paragraph by paragraph: :class:`Change` and how it is found.

The document before and the document after are read as :func:`docgen.check` reads them, and
their paragraphs paired by their text as a fix must keep it (:func:`~docgen.fixing._text.
canonical`).  A pair whose labels differ is a 编号 change, whose words differ a 标点 or 日期
change, whose role differs (a 1、 line that was read as a 3rd-level heading and is now a 1st)
a 标题 change.  The check's findings on the document before that are gone after it are the
changes of 格式, 空段落 and 页面.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

import attrs

from docgen.checking import CheckFinding
from docgen.checking._layout import Layout
from docgen.checking._model import excerpt, place
from docgen.checking._read import ParaInfo
from docgen.fixing._text import canonical, strip_label
from docgen.i18n import Message, _, lazy

#: Every kind of change a fix reports (a stable name, the same in every language), with what
#: it means (a :class:`~docgen.i18n.Message`: English, or Chinese when shown under Chinese).
KINDS: Mapping[str, Message] = MappingProxyType(
    {
        "标点": lazy("half-width punctuation next to Chinese made full-width"),
        "日期": lazy("dates without leading zeros, and 〇 for the zero of a year"),
        "编号": lazy("heading and list labels renumbered by the template's scheme"),
        "标题": lazy("a paragraph's level changed (title, heading levels, body text)"),
        "格式": lazy("faces, sizes, spacing, indents and alignment set by the template"),
        "空段落": lazy("empty paragraphs used for spacing removed"),
        "页面": lazy("the paper, margins and page numbers set by the template"),
    }
)
# What each kind is called in a report: "[标点]" in Chinese, "[punctuation]" in English.
_KIND_NAMES: Mapping[str, Message] = MappingProxyType(
    {
        "标点": lazy("punctuation"),
        "日期": lazy("date"),
        "编号": lazy("numbering"),
        "标题": lazy("level"),
        "格式": lazy("formatting"),
        "空段落": lazy("empty paragraph"),
        "页面": lazy("page setup"),
    }
)


def kind_name(kind: str) -> str:
    """What a kind of change (:data:`KINDS`) is called in the current language.

    >>> from docgen.i18n import use_language
    >>> with use_language("en"):
    ...     kind_name("标点"), kind_name("页面")
    ('punctuation', 'page setup')
    >>> with use_language("zh"):
    ...     kind_name("标点"), kind_name("页面")
    ('标点', '页面')
    """
    name = _KIND_NAMES.get(kind)
    return kind if name is None else str(name)


_ROLE_NAMES: Mapping[str, Message] = MappingProxyType(
    {
        "title": lazy("document title"),
        "heading1": lazy("level-1 heading"),
        "heading2": lazy("level-2 heading"),
        "heading3": lazy("level-3 heading"),
        "heading4": lazy("level-4 heading"),
        "body": lazy("body text"),
    }
)
_FORMAT_FINDINGS = (
    "text.title_font",
    "text.title_size",
    "text.heading_font",
    "text.heading_size",
    "text.body_font",
    "text.body_size",
    "text.line_spacing",
    "text.indent",
    "text.alignment",
    "text.line_break",
)
_DATE_CHARS = frozenset("0123456789年月日号〇○零一二三四五六七八九十")
_CONTEXT = 4


@attrs.frozen
class Change:
    """One thing a fix changed.

    Attributes:
        kind: what kind of change (:data:`KINDS`): ``标点``, ``日期``, ``编号``, ``标题``,
            ``格式``, ``空段落`` or ``页面`` — a stable name, the same in every language (its
            name in the current language is :func:`kind_name`).
        paragraph: the paragraph's number in the document *before* the fix, counted as
            :func:`docgen.check` counts (from 1, table cells too); None for the page.
        excerpt: the paragraph's first words ("" for the page).
        before: what it was (a few words around the change, a label, a face and size…).
        after: what it is now.  Words of docgen's own (a heading level, "no label") are in
            the language active when the fix ran.
    """

    kind: str = attrs.field(validator=attrs.validators.in_(KINDS))
    paragraph: int | None
    excerpt: str
    before: str
    after: str

    def to_dict(self) -> dict[str, str | int | None]:
        """The change as a JSON-ready mapping."""
        return attrs.asdict(self)

    def __str__(self) -> str:
        where = place(self.paragraph, self.excerpt)
        return f"{where} [{kind_name(self.kind)}] {self.before} → {self.after}"


def pair(before: Sequence[ParaInfo], after: Sequence[ParaInfo]) -> dict[int, int]:
    """Paragraph numbers before → after, for the paragraphs whose kept text is the same."""
    a = [(p.index, key) for p in before if (key := canonical(p.text))]
    b = [(p.index, key) for p in after if (key := canonical(p.text))]
    matcher = difflib.SequenceMatcher(None, [k for _, k in a], [k for _, k in b], autojunk=False)
    out: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            out[a[block.a + k][0]] = b[block.b + k][0]
    return out


def changes(
    before: Sequence[ParaInfo],
    after: Sequence[ParaInfo],
    layouts: tuple[Layout, Layout],
    findings: tuple[Sequence[CheckFinding], Sequence[CheckFinding]],
) -> list[Change]:
    """Everything that differs between the paragraphs *before* and *after* a fix, in order."""
    pairs = pair(before, after)
    by_index = {p.index: p for p in after}
    out: list[Change] = list(_page(*findings))
    for p in before:
        j = pairs.get(p.index)
        if j is not None:
            q = by_index[j]
            out.extend(_label(p, q))
            out.extend(_role(p, layouts[0].roles.get(p.index), layouts[1].roles.get(j)))
            out.extend(_words(p, q))
    # a paragraph whose role changed (body text → the title) was checked as its old role: its
    # format findings' "expected" is the old role's, not what the fix gave it
    moved = {
        p.index: now
        for p in before
        if (j := pairs.get(p.index)) is not None
        and (now := layouts[1].roles.get(j)) != layouts[0].roles.get(p.index)
        and now is not None
    }
    out.extend(_format(pairs, moved, *findings))
    out.extend(_empty(*findings))
    out.sort(key=lambda c: c.paragraph or 0)
    return out


def _change(kind: str, p: ParaInfo, before: str, after: str) -> Change:
    return Change(kind, p.index, excerpt(p.text), before, after)


def _label(p: ParaInfo, q: ParaInfo) -> Iterable[Change]:
    old, new = strip_label(p.text)[0], strip_label(q.text)[0]
    if not new and q.numbered:
        new = _("(Word's automatic numbering)")
    if old != new and not (p.numbered and q.numbered and not old):
        yield _change("编号", p, old or _("(no label)"), new or _("(no label)"))


def _role(p: ParaInfo, old: str | None, new: str | None) -> Iterable[Change]:
    was, now = _ROLE_NAMES.get(old or ""), _ROLE_NAMES.get(new or "")
    if was is not None and now is not None and old != new:
        yield _change("标题", p, str(was), str(now))


def _words(p: ParaInfo, q: ParaInfo) -> Iterable[Change]:
    old, new = strip_label(p.text)[1], strip_label(q.text)[1]
    ops = [
        op
        for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
        if op[0] != "equal"
        and "".join(old[op[1] : op[2]].split()) != "".join(new[op[3] : op[4]].split())
    ]
    clusters: list[list[tuple[str, int, int, int, int]]] = []
    for op in ops:
        if clusters and op[1] - clusters[-1][-1][2] <= _CONTEXT:
            clusters[-1].append(op)
        else:
            clusters.append([op])
    for cluster in clusters:
        i1, i2, j1, j2 = cluster[0][1], cluster[-1][2], cluster[0][3], cluster[-1][4]
        changed = old[i1:i2] + new[j1:j2]
        kind = "日期" if set(changed) <= _DATE_CHARS else "标点"
        if kind == "日期":
            i1, i2 = _grow(old, i1, i2)
            j1, j2 = _grow(new, j1, j2)
        else:
            i1, i2 = max(0, i1 - _CONTEXT), i2 + _CONTEXT
            j1, j2 = max(0, j1 - _CONTEXT), j2 + _CONTEXT
        yield _change(kind, p, old[i1:i2].strip(), new[j1:j2].strip())


def _grow(text: str, start: int, end: int) -> tuple[int, int]:
    """The span *start*–*end* widened to the whole date around it."""
    while start > 0 and text[start - 1] in _DATE_CHARS:
        start -= 1
    while end < len(text) and text[end] in _DATE_CHARS:
        end += 1
    return start, end


def _page(old: Sequence[CheckFinding], new: Sequence[CheckFinding]) -> Iterable[Change]:
    left = {f.code for f in new if f.paragraph is None}
    for f in old:
        if f.paragraph is None and f.code not in left:
            yield Change("页面", None, "", f.found, f.expected)


def _format(
    pairs: dict[int, int],
    moved: Mapping[int, str],
    old: Sequence[CheckFinding],
    new: Sequence[CheckFinding],
) -> Iterable[Change]:
    left = {(f.code, f.paragraph) for f in new}
    fixed: dict[int, list[CheckFinding]] = {}
    for f in old:
        if f.paragraph is None or f.code not in _FORMAT_FINDINGS:
            continue
        j = pairs.get(f.paragraph)
        if j is not None and (f.code, j) not in left:
            fixed.setdefault(f.paragraph, []).append(f)
    for index, found in fixed.items():
        role = moved.get(index)
        named = _ROLE_NAMES.get(role or "")
        after = (
            _("the format of a {role}", role=named)
            if role is not None and named is not None
            else _("; ").join(f.expected for f in found)
        )
        yield Change("格式", index, found[0].excerpt, _("; ").join(f.found for f in found), after)


def _empty(old: Sequence[CheckFinding], new: Sequence[CheckFinding]) -> Iterable[Change]:
    if any(f.code == "text.empty_paragraph" for f in new):
        return
    for f in old:
        if f.code == "text.empty_paragraph" and f.paragraph is not None:
            removed = _("removed (the paragraph styles set the spacing)")
            yield Change("空段落", f.paragraph, f.excerpt, f.found, removed)
