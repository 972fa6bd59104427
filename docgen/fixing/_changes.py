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
from collections.abc import Iterable, Sequence
from types import MappingProxyType

import attrs

from docgen.checking import CheckFinding
from docgen.checking._layout import Layout
from docgen.checking._model import excerpt
from docgen.checking._read import ParaInfo
from docgen.fixing._text import canonical, strip_label

#: Every kind of change a fix reports, with what it means.
KINDS = MappingProxyType(
    {
        "标点": "中文中的半角标点改为全角 / half-width punctuation made full-width",
        "日期": "日期去掉虚位“0”，年份的零写作“〇” / dates without leading zeros",
        "编号": "序号按模板的编号方案重排 / heading and list labels renumbered by the template",
        "标题": "段落的层次（文件标题、各级标题、正文）改变 / a paragraph's level changed",
        "格式": "字体、字号、行距、缩进、对齐按模板重排 / faces, sizes, spacing by the template",
        "空段落": "删去用来调整间距的空段落 / empty spacing paragraphs removed",
        "页面": "纸张、页边距、页码按模板重排 / the page and page numbers by the template",
    }
)

_ROLE_NAMES = {
    "title": "文件标题",
    "heading1": "一级标题",
    "heading2": "二级标题",
    "heading3": "三级标题",
    "heading4": "四级标题",
    "body": "正文",
}
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
            ``格式``, ``空段落`` or ``页面``.
        paragraph: the paragraph's number in the document *before* the fix, counted as
            :func:`docgen.check` counts (from 1, table cells too); None for the page.
        excerpt: the paragraph's first words ("" for the page).
        before: what it was (a few words around the change, a label, a face and size…).
        after: what it is now.
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
        where = f"第{self.paragraph}段“{self.excerpt}”" if self.paragraph else "页面"
        return f"{where} [{self.kind}] {self.before} → {self.after}"


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
    out.extend(_format(pairs, *findings))
    out.extend(_empty(*findings))
    out.sort(key=lambda c: c.paragraph or 0)
    return out


def _change(kind: str, p: ParaInfo, before: str, after: str) -> Change:
    return Change(kind, p.index, excerpt(p.text), before, after)


def _label(p: ParaInfo, q: ParaInfo) -> Iterable[Change]:
    old, new = strip_label(p.text)[0], strip_label(q.text)[0]
    if not new and q.numbered:
        new = "（Word 自动编号）"
    if old != new and not (p.numbered and q.numbered and not old):
        yield _change("编号", p, old or "（无序号）", new or "（无序号）")


def _role(p: ParaInfo, old: str | None, new: str | None) -> Iterable[Change]:
    if old in _ROLE_NAMES and new in _ROLE_NAMES and old != new:
        yield _change("标题", p, _ROLE_NAMES[old], _ROLE_NAMES[new])


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
    pairs: dict[int, int], old: Sequence[CheckFinding], new: Sequence[CheckFinding]
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
        yield Change(
            "格式",
            index,
            found[0].excerpt,
            "；".join(f.found for f in found),
            "；".join(f.expected for f in found),
        )


def _empty(old: Sequence[CheckFinding], new: Sequence[CheckFinding]) -> Iterable[Change]:
    if any(f.code == "text.empty_paragraph" for f in new):
        return
    for f in old:
        if f.code == "text.empty_paragraph" and f.paragraph is not None:
            yield Change("空段落", f.paragraph, f.excerpt, f.found, "删去（间距由段落样式控制）")
