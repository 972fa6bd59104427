"""The structure every importer shares: labels, levels, the section tree, title and signature.

Each format reads its source into paragraphs (:class:`_Para`) and blocks; :func:`_build` turns
them into a report by the rules described in :mod:`docgen.importers`.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from typing import Union

import attrs

from docgen.cn.calendar import TERM_STYLES, Term
from docgen.cn.numerals import from_chinese
from docgen.cn.typography import normalize_punctuation as _normalize
from docgen.errors import ConventionError, DataError, DocgenError
from docgen.model import (
    Block,
    NumberedList,
    PageBreak,
    Paragraph,
    Report,
    Run,
    Section,
    Signature,
    map_text,
)


@attrs.frozen
class ImportResult:
    """What an importer recovered: the report, and what it had to guess or leave out.

    Each warning starts with the source's name, e.g. ``summary.txt: heading 「三、注重结合」 is
    numbered 3 where 2 was expected (a number is skipped)``.
    """

    report: Report
    warnings: list[str] = attrs.field(factory=list)


# --- the paragraphs the assembler reads --------------------------------------------------------


@attrs.define
class _Para:
    """One paragraph as read from the source, with what the source says about its role."""

    runs: list[Run]
    level: int | None = None  # an explicit heading level (Markdown #, a Word heading style)
    role: str | None = None  # "title" | "signature" | "caption"
    centred: bool = False
    indent: bool = True
    list_kind: str | None = None  # Word list paragraphs: "bullet" | "number"
    list_id: str = ""
    list_start: int = 1

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


_Item = Union[_Para, Block]  # noqa: UP007 - a runtime alias on 3.10

_SPACE = " \t\u3000\u00a0\u2002\u2003\u2009"


def _input_lines(text: object, source: str) -> list[str]:
    r"""The lines of an importer's input: a str, without a BOM, any newline convention.

    >>> _input_lines("\ufeff小结\r\n一、学习\r内容", "<text>")
    ['小结', '一、学习', '内容']
    """
    if not isinstance(text, str):
        raise DataError(
            "is not text", where=source, expected="a str", found=f"a {type(text).__name__}"
        )
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _fold(text: str) -> str:
    """Full-width digits and letters to ASCII, for matching only (never in the output)."""
    return text.translate(_FOLD)


_FOLD = str.maketrans(
    "０１２３４５６７８９ＯｏＸｘ",
    "0123456789OoXx",
)


def _merge_runs(runs: Iterable[Run]) -> list[Run]:
    """Adjacent runs with the same emphasis joined; empty runs dropped."""
    out: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if out and attrs.evolve(out[-1], text="") == attrs.evolve(run, text=""):
            out[-1] = attrs.evolve(out[-1], text=out[-1].text + run.text)
        else:
            out.append(run)
    return out


def _strip_runs(runs: Sequence[Run]) -> list[Run]:
    """Runs without the paragraph's leading and trailing white space (indenting 　　 too)."""
    out = _merge_runs(runs)
    while out and not out[0].text.lstrip(_SPACE + "\n\r"):
        out.pop(0)
    while out and not out[-1].text.rstrip(_SPACE + "\n\r"):
        out.pop()
    if out:
        out[0] = attrs.evolve(out[0], text=out[0].text.lstrip(_SPACE + "\n\r"))
        out[-1] = attrs.evolve(out[-1], text=out[-1].text.rstrip(_SPACE + "\n\r"))
    return out


def _drop_prefix(runs: Sequence[Run], count: int) -> list[Run]:
    """Runs without their first *count* characters."""
    out: list[Run] = []
    for run in runs:
        if count >= len(run.text):
            count -= len(run.text)
            continue
        out.append(attrs.evolve(run, text=run.text[count:]) if count else run)
        count = 0
    return out


def _cjk(char: str) -> bool:
    """A Chinese character, CJK or full-width punctuation, curly quotes, …, —, ①."""
    o = ord(char)
    return (
        0x3400 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3FFFF
        or 0x3001 <= o <= 0x303F
        or 0xFF01 <= o <= 0xFF60
        or 0x2018 <= o <= 0x201F
        or char in "…—·"
        or 0x2460 <= o <= 0x24FF
        or 0x3251 <= o <= 0x32BF
    )


# --- heading labels (CONVENTIONS §1) -----------------------------------------------------------

_CN = "〇零一二三四五六七八九十百两"
_D = "0-9０-９"


@attrs.frozen
class _Label:
    """A heading label at the start of a paragraph: its kind, number and length."""

    kind: str  # "cn、" "(cn)" "n、" "n." "n)" "(n)" "circled" "decimal1" … "decimal9"
    number: int
    length: int  # characters to drop: the label and the spaces after it
    rest: str  # the text after the label

    @property
    def heading_like(self) -> bool:
        """Short, and no sentence ends before its end: a heading rather than body text."""
        body = self.rest.rstrip("。；;，,：:！!？?" + _SPACE)
        return 0 < len(body) <= 40 and re.search("[。！？!?]", body) is None


def _number(text: str) -> int:
    text = _fold(text)
    if text.isdigit():
        return int(text)
    return int(from_chinese(text))


_LABEL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("(cn)", re.compile(rf"[（(][{_SPACE}]*([{_CN}]{{1,4}})[{_SPACE}]*[）)][、.．]?")),
    ("(n)", re.compile(rf"[（(][{_SPACE}]*([{_D}]{{1,3}})[{_SPACE}]*[）)][、.．]?")),
    ("cn、", re.compile(rf"([{_CN}]{{1,4}})[{_SPACE}]*(?:、|[.．](?![{_D}]))")),
    ("decimal", re.compile(rf"([{_D}]{{1,3}}(?:[.．][{_D}]{{1,3}}){{1,8}})[.．]?(?![{_D}.．%％])")),
    ("n、", re.compile(rf"([{_D}]{{1,3}})[{_SPACE}]*、")),
    ("n.", re.compile(rf"([{_D}]{{1,3}})[.．](?![{_D}])")),
    ("n)", re.compile(rf"([{_D}]{{1,3}})[)）]")),
    ("circled", re.compile("([\u2460-\u2473\u3251-\u325f\u32b1-\u32bf])")),
)
# DECIMAL's level 1 is a bare number ("1 概述"); only read as one in a document that also has
# 1.1-style labels, and only at the start of a line.
_BARE_NUMBER = re.compile(rf"([{_D}]{{1,2}})[{_SPACE}]+(?=[\u4e00-\u9fff])")
# "三、四年级", "1、2月份": an enumeration, not a label
_ENUMERATION = re.compile(rf"([{_CN}]+|[{_D}]+)(?:、|年级|年|月|日|等)")
_CIRCLED_VALUES = {
    **{chr(0x2460 + i): i + 1 for i in range(20)},
    **{chr(0x3251 + i): i + 21 for i in range(15)},
    **{chr(0x32B1 + i): i + 36 for i in range(15)},
}


def _label(text: str, *, bare_numbers: bool = False) -> _Label | None:
    """The heading label *text* starts with, if any."""
    for kind, pattern in _LABEL_PATTERNS:
        m = pattern.match(text)
        if m is not None:
            return _read_label(kind, m.group(1), text, m.end())
    if bare_numbers and (m := _BARE_NUMBER.match(text)) is not None:
        return _labelled("decimal1", int(_fold(m.group(1))), text, m.end())
    return None


def _read_label(kind: str, digits: str, text: str, end: int) -> _Label | None:
    if kind == "circled":
        return _labelled(kind, _CIRCLED_VALUES[digits], text, end)
    if kind == "decimal":
        parts = re.split("[.．]", digits)
        return _labelled(f"decimal{len(parts)}", int(_fold(parts[-1])), text, end)
    try:
        return _labelled(kind, _number(digits), text, end)
    except (ConventionError, ValueError):
        return None


def _labelled(kind: str, number: int, text: str, end: int) -> _Label | None:
    while end < len(text) and text[end] in _SPACE:
        end += 1
    rest = text[end:]
    if not rest.strip() or rest[0] in "，,、。；;：:）)》”":
        return None
    enum = _ENUMERATION.match(rest)
    if enum is not None and kind in ("cn、", "n、"):
        try:
            if _number(enum.group(1)) == number + 1:
                return None
        except (ConventionError, ValueError):
            pass
    return _Label(kind, number, end, rest)


# The schemes of CONVENTIONS §1 as orders of label kinds.
_SCHEME_ORDERS: tuple[tuple[str, ...], ...] = (
    ("cn、", "(cn)", "n.", "(n)"),  # GBT9704
    ("cn、", "n、", "(n)", "circled"),  # SCHOOL
    tuple(f"decimal{i}" for i in range(1, 10)),  # DECIMAL
)


def _order_kinds(first_seen: Sequence[str]) -> list[str]:
    """Label kinds top level first: by first appearance, or by their scheme's order."""
    kinds = list(first_seen)
    for order in _SCHEME_ORDERS:
        if set(kinds) <= set(order):
            return sorted(kinds, key=order.index)
    return kinds


# --- title, term, dates ------------------------------------------------------------------------

_STATUS = re.compile(
    r"^(?P<title>.*?\S)[" + _SPACE + r"]*[（(](?P<status>[\u4e00-\u9fff]{1,8})[）)]$"
)
_TERM_NAMES = "|".join(
    sorted({name for names in TERM_STYLES.values() for name in names.values()}, key=len)[::-1]
)
_TERM_IN_TITLE = re.compile(
    rf"\d{{4}}(?:\s*[-\u2010-\u2015－~～至]\s*\d{{4}})?\s*学年度?\s*(?:的\s*)?(?:{_TERM_NAMES})"
)


def _split_status(title: str) -> tuple[str, str | None]:
    m = _STATUS.match(title)
    if m is None:
        return title, None
    return m.group("title"), m.group("status")


def _term_of(title: str, warn: _Warn) -> Term | None:
    m = _TERM_IN_TITLE.search(_fold(title))
    if m is None:
        return None
    try:
        return Term.parse(m.group(0))
    except ConventionError as exc:
        warn(f"the title names a term docgen cannot read ({exc}); term left empty")
        return None


_CN_YEAR = "〇○零Oo0一二三四五六七八九"
_CN_UPTO_31 = "一二三四五六七八九十"
_DATE_ARABIC = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?")
_DATE_CHINESE = re.compile(
    rf"([{_CN_YEAR}]{{4}})\s*年\s*([{_CN_UPTO_31}]{{1,2}})\s*月(?:\s*([{_CN_UPTO_31}]{{1,3}})\s*日)?"
)
_BLANK = r"[\dxX×*＊□_＿?？ ]"  # 20xx年x月, ____年__月__日
_DATE_PLACEHOLDER = re.compile(
    rf"{_BLANK}{{0,4}}\s*年\s*{_BLANK}{{0,3}}\s*月(?:\s*{_BLANK}{{0,3}}\s*日)?"
)


def _parse_date(text: str) -> tuple[_dt.date, str] | None:
    """A signature date line → (date, date_style); None when it is not one."""
    text = _fold(text).strip(_SPACE)
    try:
        m = _DATE_ARABIC.fullmatch(text)
        if m is not None:
            day = m.group(3)
            d = _dt.date(int(m.group(1)), int(m.group(2)), int(day or 1))
            return d, "long" if day else "year_month"
        m = _DATE_CHINESE.fullmatch(text)
        if m is not None:
            year = int("".join(_cn_digit(c) for c in m.group(1)))
            day = m.group(3)
            month = int(from_chinese(m.group(2)))
            d = _dt.date(year, month, int(from_chinese(day)) if day else 1)
            return d, "chinese" if day else "chinese_year_month"
    except (ValueError, ConventionError):
        return None
    return None


def _cn_digit(char: str) -> str:
    return "0" if char in "〇○零Oo0" else str("一二三四五六七八九".index(char) + 1)


def _is_placeholder_date(text: str) -> bool:
    text = _fold(text).strip(_SPACE)
    return _DATE_PLACEHOLDER.fullmatch(text) is not None and _parse_date(text) is None


def _org_like(text: str) -> bool:
    """A short line without sentence punctuation: an organisation signing."""
    return (
        0 < len(text) <= 40
        and re.search("[。，,；;！!？?：:]", text) is None
        and _label(text) is None
        and not text.startswith("附件")
    )


# --- closing paragraphs -------------------------------------------------------------------------

# A paragraph opening with a summing-up phrase starts the closing: everything after it too.
_SUMMING_UP = re.compile(
    r"[“\"]?(?:总之|综上|总而言之|总的来说|总的说来|总体来说|总体而言|回顾|短短|转眼|"
    r"一(?:个)?学期(?:以)?来|一年(?:以)?来|本学期即将|这学期即将|过去的一)"
)
# A trailing paragraph opening with a forward-looking phrase is closing too.
_LOOKING_AHEAD = re.compile(
    r"[“\"]?(?:展望|今后|下学期|新学期|新的一年|新的学期|在新的|面对新|未来|最后|让我们|"
    r"\d{4}\s*年(?:已经|即将|就要))"
)


def _closing_start(blocks: Sequence[Block]) -> int:
    """Where the closing starts in the last section's blocks (len(blocks) when it has none)."""
    start = len(blocks)
    i = len(blocks) - 1
    while i >= 1:
        b = blocks[i]
        text = _fold(b.text) if isinstance(b, Paragraph) else ""
        if not (_SUMMING_UP.match(text) or _LOOKING_AHEAD.match(text)):
            break
        start = i
        i -= 1
    for i in range(1, len(blocks)):
        b = blocks[i]
        if isinstance(b, Paragraph) and _SUMMING_UP.match(_fold(b.text)):
            return min(start, i)
    return start


# --- assembling a report ------------------------------------------------------------------------


class _Warn:
    """Collects warnings, each prefixed with the source's name."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.messages: list[str] = []

    def __call__(self, message: str) -> None:
        self.messages.append(f"{self.source}: {message}")


def _quote(text: str, limit: int = 30) -> str:
    text = text.replace("\n", " ")
    return "「" + (text if len(text) <= limit else text[: limit - 1] + "…") + "」"


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


def _body_paragraph(p: _Para) -> Paragraph:
    return Paragraph(p.runs, indent=p.indent)


def _assemble(items: list[_Item], warn: _Warn, *, bare_numbers: bool = False) -> Report:
    """The report in *items*: title, intro, sections, closing, signature and attachments."""
    items = [i for i in items if not (isinstance(i, _Para) and not i.text.strip())]
    while items and isinstance(items[-1], PageBreak):
        items.pop()
    while items and isinstance(items[0], PageBreak):
        items.pop(0)
    # "1 概述" is DECIMAL's level 1 in a heading style, or in lines of a text that also has
    # 1.1-style labels
    decimal = bare_numbers and any(
        (lab := _label(i.text)) and lab.kind == "decimal2" for i in items if isinstance(i, _Para)
    )
    labels = {
        id(i): _label(i.text, bare_numbers=decimal or i.level is not None)
        for i in items
        if isinstance(i, _Para)
    }

    title, items = _take_title(items, labels, warn)
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


def _take_title(
    items: list[_Item], labels: dict[int, _Label | None], warn: _Warn
) -> tuple[str, list[_Item]]:
    paras = [i for i in items[:6] if isinstance(i, _Para)]
    chosen = next((p for p in paras if p.role == "title"), None)
    if chosen is None and paras:
        first = paras[0]
        heading = first.level is not None or (
            (lab := labels.get(id(first))) is not None and lab.heading_like
        )
        if not heading or first.centred:
            chosen = first
    if chosen is None:
        warn("no title found (the document starts with a heading); the title is left empty")
        return "", items
    at = next(k for k, i in enumerate(items) if i is chosen)
    if at:
        warn(f"{at} paragraph(s) before the title {_quote(chosen.text)} moved into the intro")
    return re.sub(r"\s*\n\s*", "", chosen.text.strip()), items[:at] + items[at + 1 :]


def _take_signature(
    items: list[_Item], warn: _Warn
) -> tuple[list[_Item], Signature | None, list[_Para]]:
    """The signature block at the end: an organisation line, then a date line.

    Returns the items before it, the signature, and the lines of a signature whose date is a
    placeholder (20xx年x月), which belong to the closing.
    """
    if not items or not isinstance(last := items[-1], _Para):
        return items, None, []
    items = items[:-1]
    # the last paragraph may hold several lines (a line break) or "org  date" on one line
    lines = [ln.strip(_SPACE) for ln in last.text.split("\n") if ln.strip(_SPACE)]
    split = _split_org_date(lines[-1])
    if split is not None:
        lines[-1:] = split
    tail = [last] if len(lines) == 1 else [attrs.evolve(last, runs=[Run(ln)]) for ln in lines]
    while len(tail) < 3 and items and isinstance(prev := items[-1], _Para):
        items = items[:-1]
        tail.insert(0, prev)
    *above, dated = tail
    date_text = dated.text.strip(_SPACE)
    parsed = _parse_date(date_text)
    org_line = bool(above) and _org_like(above[-1].text.strip(_SPACE))
    if parsed is None:
        if org_line and _is_placeholder_date(date_text):
            warn(
                f"the last lines look like a signature but the date {_quote(date_text)} is a "
                "placeholder; they are kept as closing text"
            )
            return items + above[:-1], None, [above[-1], dated]
        return items + tail, None, []
    date, style = parsed
    signers = above[-2:]
    if len(signers) == 2 and all(p.role == "signature" and _org_like(p.text) for p in signers):
        org, name = (p.text.strip(_SPACE) for p in signers)
        return items + above[:-2], Signature(org, name=name, date=date, date_style=style), []
    if org_line:
        org = above[-1].text.strip(_SPACE)
        return items + above[:-1], Signature(org, date=date, date_style=style), []
    warn(f"the date {_quote(date_text)} at the end has no organisation line above it; kept as text")
    return items + tail, None, []


_ORG_DATE = re.compile(rf"(?P<org>\S.*?)[{_SPACE}]+(?P<date>(?:\d{{4}}|[{_CN_YEAR}]{{4}})\s*年.*)")


def _split_org_date(line: str) -> list[str] | None:
    m = _ORG_DATE.fullmatch(_fold(line))
    if m is None or _parse_date(m.group("date")) is None or not _org_like(m.group("org")):
        return None
    return [line[: m.end("org")], line[m.start("date") :]]


_ATTACHMENT = re.compile(r"附\s*件\s*[:：]")
_ITEM_NUMBER = re.compile(
    rf"[{_SPACE}]*(?:[{_D}]{{1,2}}[.．、]|[（(][{_D}]{{1,2}}[）)])?[{_SPACE}]*"
)


def _take_attachments(items: list[_Item]) -> tuple[list[_Item], list[str]]:
    """The 附件说明 at the end (附件：1. 名称, then one name per line)."""
    for start in range(len(items) - 1, max(len(items) - 12, -1), -1):
        p = items[start]
        if not isinstance(p, _Para):
            return items, []
        m = _ATTACHMENT.match(p.text.strip(_SPACE))
        if m is None:
            continue
        lines = [p.text.strip(_SPACE)[m.end() :]]
        lines += [i.text for i in items[start + 1 :] if isinstance(i, _Para)]
        names = [_ITEM_NUMBER.sub("", ln, count=1).strip(_SPACE) for ln in lines]
        names = [n for n in names if n]
        if names and all(len(n) <= 80 and "。" not in n for n in names):
            return items[:start], names
        return items, []
    return items, []


def _list_runs(items: list[_Item], labels: dict[int, _Label | None]) -> dict[int, int]:
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


def _candidate(item: _Item, labels: dict[int, _Label | None]) -> _Label | None:
    """The label of a paragraph that may be a heading (explicit headings are not candidates)."""
    if not isinstance(item, _Para) or item.level is not None or item.role is not None:
        return None
    lab = labels.get(id(item))
    return lab if lab is not None and lab.heading_like else None


def _kind_levels(
    items: list[_Item],
    labels: dict[int, _Label | None],
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
    deeper = enumerate(_order_kinds(first_seen), start=len(level_of) + 1)
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

    def is_list(self, label: _Label, level: int) -> bool:
        """Whether a run of labelled paragraphs is a list rather than headings.

        It is in the intro (below level 1), or restarts at 1 where its level is numbered.
        """
        path = self.path_to(level)
        if level > 1 and not path:
            return True
        siblings = path[-1].children if path else self.roots
        return label.number == 1 and any(s.level == level for s in siblings)

    def heading(self, item: _Para, label: _Label | None, level: int) -> None:
        path = self.path_to(level)
        if len(path) >= 4:
            self.warn(f"heading {_quote(item.text)} is deeper than four levels; kept as text")
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
                f"heading {_quote(item.text)} skips a level (level {level} under level "
                f"{parent_level}); placed one level down"
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
    items: list[_Item], labels: dict[int, _Label | None], warn: _Warn
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


def _label_length(item: _Item, labels: dict[int, _Label | None]) -> int:
    lab = labels.get(id(item))
    return lab.length if lab is not None else 0


def _check_number(node: _Node, siblings: list[_Node], warn: _Warn) -> None:
    prev = siblings[-1].number if siblings else 0
    expected = (prev or len(siblings)) + 1
    assert node.number is not None
    if node.number == expected:
        return
    if node.number > expected:
        why = "a number is skipped"
    elif node.number == prev:
        why = "a number is repeated"
    else:
        why = "the numbering goes back"
    warn(
        f"heading {_quote(node.text)} is numbered {node.number} "
        f"where {expected} was expected ({why})"
    )


def _build(
    items: list[_Item], warn: _Warn, *, normalize: bool, bare_numbers: bool = False
) -> ImportResult:
    """The import result for *items*, its texts normalized when asked."""
    try:
        report = _assemble(items, warn, bare_numbers=bare_numbers)
    except DocgenError as exc:  # a ValidationError from the model: the source had no such shape
        raise DataError(
            f"cannot be read into a report ({exc.message})",
            where=warn.source,
            expected=exc.expected,
            found=exc.found,
        ) from None
    if normalize:
        report = map_text(report, _normalize)
    return ImportResult(report, warn.messages)
