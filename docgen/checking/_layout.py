"""What each paragraph is: 版头, title, heading of a level, body, attachment note, signature….

A paragraph's role comes from its style when the style is one of the template's roles (or is
named like one: ``heading 2``, ``标题 2``, ``Title``); a paragraph in the body's style (or a
style the template does not know) that starts with a heading label of CONVENTIONS §1 and reads
like a heading (at most 40 characters, no 。！？ before its end) is a heading of the level that
label has in the template's scheme — the importers' outline rule (:mod:`docgen.importers`).
The title is the first paragraph in the title style that is not red (a red one is the
发文机关标志), else a centred first paragraph; what stands above it is the 版头.  The signature
is found at the end: a paragraph that is only a date, with a short line above it (署名).
"""

from __future__ import annotations

import re

import attrs

from docgen.checking._expect import HEADINGS, PRESET_KINDS, Expectations, role_of_style
from docgen.checking._read import ParaInfo
from docgen.cn.dates import parse_date
from docgen.cn.numbering import Label, parse_label
from docgen.cn.typography import SPACES
from docgen.errors import ConventionError

_ATTACHMENT = re.compile(rf"^[{SPACES}]*附件[{SPACES}]*[：:]")
COLOPHON = re.compile(rf"^[{SPACES}]*(?:抄送|抄报|分送)[{SPACES}]*[：:]|印发[{SPACES}]*$")
_SENTENCE_END = re.compile("[。！？!?；;，,]")


def is_date(text: str) -> tuple[str, str] | None:
    """(the text, its date style) when *text* is only a date, else None."""
    stripped = text.strip()
    if not stripped or not re.search("[年/.-]", stripped):
        return None
    try:
        _, style = parse_date(stripped)
    except ConventionError:
        return None
    return stripped, style


def heading_like(label: Label) -> bool:
    """Short, and no sentence ends before its end: a heading rather than body text."""
    body = label.rest.rstrip("。；;，,：:！!？?" + SPACES)
    return 0 < len(body) <= 40 and re.search("[。！？!?]", body) is None


# Label kinds that stand for one another: an Arabic number with 、 . or ) after it.
_VARIANTS = ({"n、", "n.", "n)"},)


def level_of_kind(kind: str, kinds: tuple[str, ...]) -> int | None:
    """The level a label kind has in the template's scheme, else in the first preset with it.

    A variant of the template's kind (1、 where it writes 1.) takes that kind's level.

    >>> level_of_kind("n、", ("cn、", "(cn)", "n.", "(n)")), level_of_kind("circled", ())
    (3, 4)
    """
    if kind in kinds:
        return kinds.index(kind) + 1
    for variants in _VARIANTS:
        if kind in variants:
            same = [i for i, k in enumerate(kinds) if k in variants]
            if same:
                return same[0] + 1
    for preset in PRESET_KINDS.values():
        if kind in preset:
            return min(preset.index(kind) + 1, 4)
    return None


@attrs.define
class Layout:
    """The role of every paragraph (by number) and what the check needs to know about it."""

    roles: dict[int, str] = attrs.field(factory=dict)
    labels: dict[int, Label] = attrs.field(factory=dict)
    labelled: set[int] = attrs.field(factory=set)  # headings found by their label alone
    title: list[int] = attrs.field(factory=list)
    head: list[int] = attrs.field(factory=list)  # the 版头, above the title
    date: int | None = None
    org: int | None = None
    recipients: int | None = None
    lists: list[list[int]] = attrs.field(factory=list)  # numbered lists typed as text

    def level(self, index: int) -> int | None:
        """The heading level of paragraph *index*, or None."""
        role = self.roles.get(index, "")
        return int(role[-1]) if role in HEADINGS else None


def _find_title(paras: list[ParaInfo], styled: dict[int, str | None]) -> list[int]:
    start = next(
        (p.index for p in paras if styled[p.index] == "title" and p.text.strip() and not p.red),
        None,
    )
    if start is None:
        first = next((p for p in paras if p.text.strip()), None)
        if first is None or first.jc != "center" or parse_label(first.text.strip()):
            return []
        return [first.index]
    out = [start]
    for p in paras:
        if p.index <= start:
            continue
        if styled[p.index] == "title" and p.text.strip() and not p.red:
            out.append(p.index)
        else:
            break
    return out


def layout(paras: tuple[ParaInfo, ...], exp: Expectations) -> Layout:
    """Give every body paragraph a role."""
    out = Layout()
    body = [p for p in paras if not p.in_table]
    styled = {p.index: role_of_style(exp, p.style_id, p.style_name) for p in body}
    out.title = _find_title(body, styled)
    first = out.title[0] if out.title else 0
    out.head = [p.index for p in body if p.index < first]
    for p in body:
        text = p.text.strip()
        if p.index in out.head:
            out.roles[p.index] = "head"
            continue
        if p.index in out.title:
            out.roles[p.index] = "title"
            continue
        if not text:
            out.roles[p.index] = "empty"
            continue
        role = styled[p.index] or "body"
        label = parse_label(text, bare_numbers=role in HEADINGS)
        if label is not None:
            out.labels[p.index] = label
        if COLOPHON.search(text):
            role = "colophon"
        elif role == "title":  # a title-style line below the title
            role = "body"
        elif (
            role == "body"
            and label is not None
            and heading_like(label)
            and not text.endswith(("。", "！", "？"))  # a sentence: a run-in paragraph
        ):
            level = level_of_kind(label.kind, exp.kinds)
            if level is not None:
                role = f"heading{level}"
                out.labelled.add(p.index)
        elif role == "body" and _ATTACHMENT.match(text):
            role = "attachment"
        out.roles[p.index] = role
    _lists(body, out)
    _find_signature(body, out)
    last = out.title[-1] if out.title else 0
    after = [p for p in body if p.index > last and p.text.strip()]
    if after and out.title:
        text = after[0].text.strip()
        if text.endswith(("：", ":")) and len(text) <= 80 and out.roles[after[0].index] == "body":
            out.recipients = after[0].index
            out.roles[after[0].index] = "recipients"
    return out


def _lists(body: list[ParaInfo], out: Layout) -> None:
    """Labelled paragraphs of one kind in a row are a numbered list, not headings.

    Found by label alone, two or more such paragraphs with nothing between them (1、备课
    2、上课 …) are list items, as the importers read them; their numbers still count
    (:mod:`._numbering` checks each list's sequence).
    """
    group: list[ParaInfo] = []
    for p in [*body, None]:
        label = out.labels.get(p.index) if p is not None else None
        same = (
            p is not None
            and label is not None
            and out.roles.get(p.index) in (*HEADINGS, "body")
            and (p.index in out.labelled or out.roles.get(p.index) == "body")
            and (not group or out.labels[group[-1].index].kind == label.kind)
        )
        if same and p is not None:
            group.append(p)
            continue
        if len(group) >= 2:
            for item in group:
                out.roles[item.index] = "list_item"
                out.labelled.discard(item.index)
            out.lists.append([item.index for item in group])
        group = (
            [p]
            if p is not None
            and label is not None
            and (p.index in out.labelled or out.roles.get(p.index) == "body")
            else []
        )


def _find_signature(body: list[ParaInfo], out: Layout) -> None:
    """The signature date and the 署名 above it, among the last paragraphs."""
    candidates = [
        p
        for p in body
        if p.text.strip()
        and out.roles.get(p.index) not in ("colophon", "head", "title")
        and not p.text.strip().startswith(("（", "("))
    ]
    for pos in range(len(candidates) - 1, max(len(candidates) - 5, -1), -1):
        p = candidates[pos]
        if is_date(p.text) is None:
            continue
        out.date = p.index
        out.roles[p.index] = "date"
        if pos > 0:
            above = candidates[pos - 1]
            text = above.text.strip()
            if (
                len(text) <= 30
                and not _SENTENCE_END.search(text)
                and out.level(above.index) is None
            ):
                out.org = above.index
                out.roles[above.index] = "org"
        return
