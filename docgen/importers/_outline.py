"""The section tree: labels and heading styles → levels, numbered lists, the report assembled.

Each format reads its source into paragraphs (:class:`_Para`) and blocks; :func:`_build` turns
them into a report by the rules described in :mod:`docgen.importers`: the title, signature,
attachments and closing are taken off the ends (:mod:`docgen.importers._ends`), and what is
left becomes the intro and the sections.
"""

from __future__ import annotations

import re

import attrs

from docgen.cn.numbering import Label, order_label_kinds, parse_label
from docgen.cn.typography import SPACES as _SPACE
from docgen.cn.typography import normalize_punctuation as _normalize
from docgen.errors import DataError, DocgenError
from docgen.i18n import Message, lazy
from docgen.importers._ends import (
    _closing_start,
    _split_status,
    _take_attachments,
    _take_signature,
    _take_title,
    _term_of,
)
from docgen.importers._paragraphs import (
    ImportResult,
    _body_paragraph,
    _drop_prefix,
    _heading_like,
    _Item,
    _Para,
    _quote,
    _Warn,
)
from docgen.model import Block, NumberedList, PageBreak, Paragraph, Report, Section, map_text


@attrs.define
class _Node:
    title: str
    level: int  # nominal: the level of its label kind or style
    number: int | None
    text: str  # the heading as the source wrote it, for warnings
    styled: bool = False  # its level comes from a Word style or Markdown #, not a label
    blocks: list[Block] = attrs.field(factory=list)
    children: list[_Node] = attrs.field(factory=list)

    def section(self) -> Section:
        return Section(self.title, self.blocks, [c.section() for c in self.children])


def _assemble(
    items: list[_Item],
    warn: _Warn,
    *,
    bare_numbers: bool = False,
    metadata_title: tuple[str, str | Message] | None = None,
) -> Report:
    """The report in *items*: title, intro, sections, closing, signature and attachments.

    *metadata_title* — (the title, where it comes from) — is the title only when no
    paragraph at the top is one.
    """
    items = [i for i in items if not (isinstance(i, _Para) and not i.text.strip())]
    while items and isinstance(items[-1], PageBreak):
        items.pop()
    while items and isinstance(items[0], PageBreak):
        items.pop(0)
    # "1 概述" is DECIMAL's level 1 in a heading style, or in lines of a text that also has
    # 1.1-style labels
    decimal = bare_numbers and any(
        (lab := parse_label(i.text)) and lab.kind == "decimal2"
        for i in items
        if isinstance(i, _Para)
    )
    labels = {
        id(i): parse_label(i.text, bare_numbers=decimal or i.level is not None)
        for i in items
        if isinstance(i, _Para)
    }

    title, items = _take_title(items, labels, warn, metadata_title)
    items, signature, unsigned = _take_signature(items, warn)
    items, attachments = _take_attachments(items)
    status = None
    if title:
        title, status = _split_status(title)
    term = _term_of(title, warn) if title else None
    intro, roots = _outline(items, labels, warn)
    closing: list[Block] = []
    if roots:
        last = roots[-1]
        while last.children:
            last = last.children[-1]
        cut = _closing_start(last.blocks)
        closing, last.blocks = last.blocks[cut:], last.blocks[:cut]
    closing += [_body_paragraph(p) for p in unsigned]
    return Report(
        title,
        status=status,
        intro=intro,
        sections=[r.section() for r in roots],
        closing=closing,
        signature=signature,
        term=term,
        attachments=attachments,
    )


def _list_runs(items: list[_Item], labels: dict[int, Label | None]) -> dict[int, int]:
    """Runs of two or more heading-like labelled paragraphs of one kind numbered n, n+1, ….

    Returns each run's first position → its length.
    """
    runs: dict[int, int] = {}
    i = 0
    while i < len(items):
        first = _candidate(items[i], labels)
        j = i + 1
        if first is not None:
            while j < len(items):
                nxt = _candidate(items[j], labels)
                prev = _candidate(items[j - 1], labels)
                if nxt is None or prev is None or nxt.kind != first.kind:
                    break
                if nxt.number != prev.number + 1:
                    break
                j += 1
            if j - i >= 2:
                runs[i] = j - i
                i = j
                continue
        i += 1
    return runs


def _candidate(item: _Item, labels: dict[int, Label | None]) -> Label | None:
    """The label of a paragraph that may be a heading (explicit headings are not candidates)."""
    if not isinstance(item, _Para) or item.level is not None or item.role is not None:
        return None
    lab = labels.get(id(item))
    return lab if lab is not None and _heading_like(lab) else None


def _kind_levels(
    items: list[_Item],
    labels: dict[int, Label | None],
    level_of: dict[int, int],
    in_run: set[int],
) -> dict[str, int]:
    """The heading level of each label kind (kinds only seen in list runs have none)."""
    bound: dict[str, int] = {}  # kinds the explicit headings use
    for i in items:
        if isinstance(i, _Para) and i.level is not None and (lab := labels.get(id(i))):
            bound.setdefault(lab.kind, level_of[i.level])
    first_seen: list[str] = []
    for pos, i in enumerate(items):
        lab = _candidate(i, labels)
        if lab and pos not in in_run and lab.kind not in bound and lab.kind not in first_seen:
            first_seen.append(lab.kind)
    deeper = enumerate(order_label_kinds(first_seen), start=len(level_of) + 1)
    return {**bound, **{kind: n for n, kind in deeper}}


class _Outline:
    """Builds the section tree; levels are nominal (a skipped level nests one down)."""

    def __init__(self, warn: _Warn) -> None:
        self.warn = warn
        self.intro: list[Block] = []
        self.roots: list[_Node] = []
        self.stack: list[_Node] = []

    def container(self) -> list[Block]:
        return self.stack[-1].blocks if self.stack else self.intro

    def path_to(self, level: int) -> list[_Node]:
        """The open headings a level-*level* heading would sit under."""
        k = len(self.stack)
        while k and self.stack[k - 1].level >= level:
            k -= 1
        return self.stack[:k]

    def is_list(self, label: Label, level: int) -> bool:
        """Whether a run of labelled paragraphs is a list rather than headings.

        It is in the intro (below level 1), or restarts at 1 where its level is numbered.
        """
        path = self.path_to(level)
        if level > 1 and not path:
            return True
        siblings = path[-1].children if path else self.roots
        return label.number == 1 and any(s.level == level for s in siblings)

    def heading(self, item: _Para, label: Label | None, level: int) -> None:
        path = self.path_to(level)
        if len(path) >= 4:
            self.warn(
                lazy(
                    "heading {heading} is deeper than four levels; kept as text",
                    heading=_quote(item.text),
                )
            )
            self.container().append(_body_paragraph(item))
            return
        parent_level = path[-1].level if path else 0
        siblings = path[-1].children if path else self.roots
        # a labelled heading under a styled one (a Word "heading 1", then "1、" in body text)
        # skips the styled levels below by nature; a skip among labels or styles is news
        same_source = not path or path[-1].styled == (item.level is not None)
        skipped = level > parent_level + 1 and not any(s.level == level for s in siblings)
        if skipped and same_source:
            self.warn(
                lazy(
                    "heading {heading} skips a level (level {level} under level {parent}); "
                    "placed one level down",
                    heading=_quote(item.text),
                    level=level,
                    parent=parent_level,
                )
            )
        runs = _drop_prefix(item.runs, label.length) if label is not None else item.runs
        title = re.sub(r"\s*\n\s*", "", "".join(r.text for r in runs).strip(_SPACE))
        node = _Node(title, level, label.number if label else None, item.text.strip())
        node.styled = item.level is not None
        if node.number is not None:
            _check_number(node, siblings, self.warn)
        siblings.append(node)
        self.stack = [*path, node]


def _outline(
    items: list[_Item], labels: dict[int, Label | None], warn: _Warn
) -> tuple[list[Block], list[_Node]]:
    """Intro blocks and the section tree."""
    # explicit levels (Word heading styles, Markdown #) compressed to 1, 2, …
    explicit = sorted({i.level for i in items if isinstance(i, _Para) and i.level is not None})
    level_of = {lv: n for n, lv in enumerate(explicit, start=1)}
    runs = _list_runs(items, labels)
    in_run = {k for s, n in runs.items() for k in range(s, s + n)}
    kind_level = _kind_levels(items, labels, level_of, in_run)
    outline = _Outline(warn)
    pos = 0
    while pos < len(items):
        item = items[pos]
        pos += 1
        if not isinstance(item, _Para):
            outline.container().append(item)
            continue
        if item.level is not None:
            outline.heading(item, labels.get(id(item)), level_of[item.level])
            continue
        label = _candidate(item, labels)
        level = kind_level.get(label.kind) if label else None
        count = runs.get(pos - 1, 0)
        after_colon = pos >= 2 and _ends_with_colon(items[pos - 2])
        if label and count and (level is None or after_colon or outline.is_list(label, level)):
            numbered = [p for p in items[pos - 1 : pos - 1 + count] if isinstance(p, _Para)]
            lengths = [_label_length(p, labels) for p in numbered]
            outline.container().append(
                NumberedList(
                    [
                        Paragraph(_drop_prefix(p.runs, n))
                        for p, n in zip(numbered, lengths, strict=True)
                    ],
                    start=label.number,
                )
            )
            pos += count - 1
        elif label and level and (outline.stack or level == 1):
            outline.heading(item, label, level)
        else:
            outline.container().append(_body_paragraph(item))
    return outline.intro, outline.roots


def _ends_with_colon(item: _Item) -> bool:
    """A paragraph announcing a list (本学期我们做好以下几点：)."""
    return (
        isinstance(item, _Para) and item.level is None and item.text.rstrip().endswith(("：", ":"))
    )


def _label_length(item: _Item, labels: dict[int, Label | None]) -> int:
    lab = labels.get(id(item))
    return lab.length if lab is not None else 0


def _check_number(node: _Node, siblings: list[_Node], warn: _Warn) -> None:
    prev = siblings[-1].number if siblings else 0
    expected = (prev or len(siblings)) + 1
    assert node.number is not None
    if node.number == expected:
        return
    if node.number > expected:
        why = lazy("a number is skipped")
    elif node.number == prev:
        why = lazy("a number is repeated")
    else:
        why = lazy("the numbering goes back")
    warn(
        lazy(
            "heading {heading} is numbered {number} where {expected} was expected ({why})",
            heading=_quote(node.text),
            number=node.number,
            expected=expected,
            why=why,
        )
    )


def _build(
    items: list[_Item],
    warn: _Warn,
    *,
    normalize: bool,
    bare_numbers: bool = False,
    metadata_title: tuple[str, str | Message] | None = None,
) -> ImportResult:
    """The import result for *items*, its texts normalized when asked.

    *metadata_title* is the file's own title and where it was found, the last resort for a
    body without a title paragraph.
    """
    try:
        report = _assemble(items, warn, bare_numbers=bare_numbers, metadata_title=metadata_title)
    except DocgenError as exc:  # a ValidationError from the model: the source had no such shape
        raise DataError(
            lazy("cannot be read into a report ({message})", message=exc.message),
            where=warn.source,
            expected=exc.expected,
            found=exc.found,
        ) from None
    if normalize:
        report = map_text(report, _normalize)
    return ImportResult(report, warn.messages)
