"""Importers: existing plain text, Markdown and Word documents → a :class:`~docgen.model.Report`.

Schools keep years of summaries as ``.doc``/``.docx`` files and pasted text.  These functions
read such a document back into the typed model, so it can be re-rendered with any template and
numbering scheme.  The structure is recovered with the heuristics documented below; whatever
the importer had to guess or could not keep is returned in :attr:`ImportResult.warnings`
(never emitted as Python warnings: the caller decides what to show).

How the structure is found (the same rules for every format):

* **Title** — the first paragraph (a ``# heading`` in Markdown, the ``Title`` style or the
  first centred paragraph in Word).  A trailing short parenthesised status — （初稿）, (讨论稿),
  （征求意见稿）… at most eight Chinese characters — becomes ``status``, and a term name in the
  title (2013学年第一学期, 2013—2014学年下学期…) becomes ``term``.
* **Headings** — a paragraph starting with a label of CONVENTIONS §1 in any of its forms
  (一、 （一） (一) 1、 1. 1． 1) （1） (1) ① 1.1 1.1.1, full-width digits too) whose text after
  the label is heading-like: at most 40 characters with no 。！？ before its end.  The label
  is dropped (the template renumbers), the text keeps its own punctuation.  Levels follow the
  order in which label kinds first appear (first kind = level 1 …); when every kind used
  belongs to one scheme (GBT9704 一、（一）1.（1）, SCHOOL 一、1、（1）①, DECIMAL) but first
  appears out of that scheme's order — a section that skips （一） — the scheme's order wins.
  Word heading styles / outline levels and Markdown ``#`` give levels directly.
* **Numbered body text** — two or more consecutive heading-like labelled paragraphs of one kind
  numbered 1, 2, 3… with nothing between them are a :class:`~docgen.model.NumberedList`, not
  headings, when their kind is never used as a heading elsewhere or when they restart at 1
  where that level is already numbered (``1. 备课`` ``2. 上课`` under a ``1、`` heading).  A long
  labelled paragraph (a run-in heading such as “（一）加强领导。各单位要……”) stays a paragraph,
  its label kept.  A jump or a repeat in a heading's numbering (一、 then 三、) is a warning.
* **Closing** — only after the last heading's content, and never its first paragraph: a
  paragraph opening with a *summing-up* phrase (总之, 综上, 总而言之, 回顾…, 短短…, 转眼…,
  一学期来…) starts the closing and everything after it belongs to it; besides, the trailing
  paragraphs that each open with a *forward-looking* phrase (展望, 今后, 下学期, 新的一年,
  最后, 让我们, 2014年已经/即将…) are closing.
* **Signature** — the last paragraph is a date (2014年1月, 2014年1月15日, 二〇一四年一月,
  二〇一四年一月十五日 → ``date_style`` year_month / long / chinese_year_month / chinese) and the
  one before it is a short line without sentence punctuation (the organisation).  A date
  placeholder (20xx年x月, ____年__月__日) is never taken for a date: those lines stay text.
* **Attachments** — a trailing ``附件：1. 名称`` note (GB/T 9704 §7.3.4), one name per line.

Plain text arrives as one paragraph per line; when the whole text is ONE line (paragraphs
collapsed into spaces by a copy from the web), it is split at the spaces that separate
paragraphs (see :func:`import_text`).
"""

from __future__ import annotations

import codecs
import datetime as _dt
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Union

import attrs
from lxml import etree

from docgen.cn.calendar import TERM_STYLES, Term
from docgen.cn.numerals import from_chinese
from docgen.cn.typography import normalize_punctuation as _normalize
from docgen.errors import ConventionError, DataError, DocgenError, PackageError
from docgen.model import (
    Block,
    BulletList,
    Cell,
    Image,
    NumberedList,
    PageBreak,
    Paragraph,
    Report,
    Run,
    Section,
    Signature,
    Table,
    map_text,
)
from docgen.ooxml import NS, Package, W, parse_xml
from docgen.pdf import PdfError, find_soffice

__all__ = ["ImportResult", "import_docx", "import_file", "import_markdown", "import_text"]


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


# --- plain text --------------------------------------------------------------------------------


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


_SENTENCE_END = set("。！？；：…”’）」』》】〕")
_HALF_END = set(";:!?)")
_NO_BREAK_AFTER = set("，,、")
_CLOSING_MARKS = set("，。、；：？！）》」』】〕”’…")
_YEAR_AHEAD = re.compile(r"\d{4}\s*(?:学年|年)")
_GAP = re.compile(f"[{_SPACE}]+")


def _paragraph_gap(line: str, start: int, end: int) -> bool:
    """Whether the white space line[start:end] separates two paragraphs of a one-line text."""
    left, right, rest = line[start - 1], line[end], line[end:]
    if left in _NO_BREAK_AFTER:
        return False
    half_width_mark = left in _HALF_END or left in ",.'\""
    if not (_cjk(left) or (half_width_mark and start >= 2 and _cjk(line[start - 2]))):
        return False
    if _cjk(right) and right not in _CLOSING_MARKS:
        return True
    if left in _SENTENCE_END or left in _HALF_END:
        return True
    folded = _fold(rest)
    if _label(rest) is not None or _YEAR_AHEAD.match(folded):
        return True
    return _parse_date(folded) is not None


def _label_only(text: str) -> bool:
    lab = _label(text + "标")
    return lab is not None and lab.rest == "标"


def _split_one_line(line: str) -> list[str]:
    """A text collapsed onto one line, split where paragraphs meet (see :func:`import_text`)."""
    pieces: list[str] = []
    start = 0
    for gap in _GAP.finditer(line):
        a, b = gap.span()
        if a > 0 and b < len(line) and _paragraph_gap(line, a, b):
            pieces.append(line[start:a])
            start = b
    pieces.append(line[start:])
    merged: list[str] = []
    for piece in pieces:
        # a label alone ("一、" before a space) belongs to the heading after it
        if merged and _label_only(merged[-1]):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def import_text(
    text: str, *, source: str = "<text>", normalize_punctuation: bool = False
) -> ImportResult:
    r"""Read a report from plain text: one paragraph per line, numbered headings, a signature.

    Lines are paragraphs (blank lines and the two-character indent 　　 are dropped; ``\r\n``
    and ``\r`` are line breaks).  When the whole text is one line, it is split at the spaces
    between paragraphs: a space after a Chinese character or full-width mark (or after a
    half-width ``; : ! ? )`` that follows one — never after a comma or 、) is a paragraph break
    when a Chinese character follows it, when it ends a sentence (。！？；：…” ）), or when a
    heading label (一、 1、 （1）…), a year (2014年, 2013学年) or a closing date follows; spaces
    inside Latin text and numbers are kept.  The structure is then found as described in
    :mod:`docgen.importers`.  With ``normalize_punctuation=True`` every text goes through
    :func:`docgen.cn.normalize_punctuation` (half-width , ; ( ) between Chinese → ，；（）).

    >>> result = import_text(
    ...     "2013学年第一学期工作小结(初稿) 2013学年是关键年。 一、围绕主题,开展学习活动;"
    ...     " 在本学期中,我们做了全面系统的学习。 徐汇区东二小学党支部 2014年1月",
    ...     normalize_punctuation=True,
    ... )
    >>> report = result.report
    >>> report.title, report.status, str(report.term)
    ('2013学年第一学期工作小结', '初稿', '2013学年第一学期')
    >>> [p.text for p in report.intro], [s.title for s in report.sections]
    (['2013学年是关键年。'], ['围绕主题，开展学习活动；'])
    >>> report.signature.org, report.signature.date, report.signature.date_style
    ('徐汇区东二小学党支部', datetime.date(2014, 1, 1), 'year_month')
    >>> import_text("小结\n一、学习\n内容\n三、实践\n内容").warnings
    ['<text>: heading 「三、实践」 is numbered 3 where 2 was expected (a number is skipped)']

    Raises:
        DataError: the text is empty or not a str.
    """
    warn = _Warn(source)
    if not isinstance(text, str):
        raise DataError(
            "is not text", where=source, expected="a str", found=f"a {type(text).__name__}"
        )
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines = [ln.strip(_SPACE) for ln in text.split("\n")]
    lines = [ln for ln in lines if ln]
    if not lines:
        raise DataError("has no text", where=source, expected="a title and paragraphs")
    one_line = len(lines) == 1
    if one_line:
        lines = [p.strip(_SPACE) for p in _split_one_line(lines[0])]
    return _build(
        [_Para([Run(ln)]) for ln in lines if ln],
        warn,
        normalize=normalize_punctuation,
        bare_numbers=not one_line,
    )


# --- Markdown ----------------------------------------------------------------------------------
#
# A focused parser for the Markdown people write reports in (ATX/setext headings, paragraphs,
# - * + and 1. lists, pipe tables, images, **bold**, *italic*, `code`, links, code fences).
# markdown-it-py is in the development environment only as a dependency of rich; it is not a
# dependency of docgen, and a report needs none of CommonMark's corner cases, so docgen does
# not take one on for this.

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r" {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_BULLET = re.compile(r"([ \t]*)[-*+][ \t]+(.*)")
_ORDERED = re.compile(r"([ \t]*)(\d{1,9})[.)][ \t]+(.*)")
_TABLE_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_QUOTE = re.compile(r" {0,3}>[ \t]?")
_IMAGE = re.compile(r'!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+["\'(](.*?)["\')])?\s*\)')
_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(].*?[\"')])?\s*\)")
_ESCAPABLE = set("\\`*_{}[]()#+-.!|<>~")
_PLAIN = Run("")
_Inline = list[Union[Run, Image]]  # noqa: UP007 - a runtime alias on 3.10


def _inline(text: str, flags: Run = _PLAIN) -> _Inline:
    """Inline Markdown → runs with their emphasis, and images."""
    out: _Inline = []
    buf: list[str] = []
    i = 0
    while i < len(text):
        hit = _inline_at(text, i, flags)
        if hit is None:
            buf.append(text[i])
            i += 1
            continue
        if buf:
            out.append(attrs.evolve(flags, text="".join(buf)))
            buf = []
        pieces, i = hit
        out.extend(pieces)
    if buf:
        out.append(attrs.evolve(flags, text="".join(buf)))
    return out


def _inline_at(text: str, i: int, flags: Run) -> tuple[_Inline, int] | None:  # noqa: PLR0911
    """The inline construct starting at *i* and where it ends, or None for a plain character.

    (One return per construct: escapes, code, images, links, underline, emphasis.)
    """
    c = text[i]
    if c == "\\":
        if i + 1 == len(text):  # a hard line break
            return [attrs.evolve(flags, text="\n")], i + 1
        if text[i + 1] in _ESCAPABLE:
            return [attrs.evolve(flags, text=text[i + 1])], i + 2
    elif c == "`":
        ticks = len(text[i:]) - len(text[i:].lstrip("`"))
        close = text.find("`" * ticks, i + ticks)
        if close != -1:
            return [attrs.evolve(flags, text=text[i + ticks : close].strip(" "))], close + ticks
    elif c == "!" and (m := _IMAGE.match(text, i)):
        caption = m.group(1).strip() or (m.group(3) or "").strip() or None
        return [Image(m.group(2), caption=caption)], m.end()
    elif c == "[" and (m := _LINK.match(text, i)):
        pieces = _inline(m.group(1), flags)
        url, label = m.group(2), m.group(1).strip()
        if url and url != label and not url.startswith("#"):
            pieces.append(attrs.evolve(flags, text=f"（{url}）"))
        return pieces, m.end()
    elif text.startswith("<u>", i) and (close := text.find("</u>", i + 3)) != -1:
        return _inline(text[i + 3 : close], attrs.evolve(flags, underline=True)), close + 4
    elif c in "*_":
        width = min(3, len(text[i:]) - len(text[i:].lstrip(c)))
        end = _closing_delimiter(text, i, c, width)
        if end is None:
            return [attrs.evolve(flags, text=text[i : i + width])], i + width
        inner = attrs.evolve(
            flags, bold=flags.bold or width >= 2, italic=flags.italic or width in (1, 3)
        )
        return _inline(text[i + width : end], inner), end + width
    return None


def _closing_delimiter(text: str, start: int, char: str, width: int) -> int | None:
    """Where the emphasis opened at *start* closes, or None when it is literal text."""
    after = start + width
    if after >= len(text) or text[after].isspace():
        return None
    if char == "_" and start > 0 and text[start - 1].isascii() and text[start - 1].isalnum():
        return None  # snake_case is not emphasis
    delim = char * width
    j = text.find(delim, after + 1)
    while j != -1:
        end = j + width
        alone = end >= len(text) or text[end] != char
        word = char == "_" and end < len(text) and text[end].isascii() and text[end].isalnum()
        if not text[j - 1].isspace() and alone and not word:
            return j
        j = text.find(delim, j + 1)
    return None


def _md_runs(text: str) -> list[Run]:
    """The runs of inline Markdown (images left out), trimmed."""
    return _strip_runs([p for p in _inline(text) if isinstance(p, Run)])


def _md_paragraph(text: str) -> list[_Item]:
    """A Markdown paragraph: text runs, and images in their own blocks where they stand."""
    out: list[_Item] = []
    runs: list[Run] = []
    for part in [*_inline(text), None]:
        if isinstance(part, Run):
            runs.append(part)
            continue
        if "".join(r.text for r in runs).strip():
            out.append(_Para(_strip_runs(runs)))
        runs = []
        if part is not None:
            out.append(part)
    return out


def _join_lines(lines: Sequence[str]) -> str:
    """Soft-wrapped lines joined: no space between Chinese text, one between Latin words."""
    out = ""
    for raw in lines:
        line = raw.strip(" \t")
        if out and not out.endswith("\n"):
            out += "" if _cjk(out[-1]) or (line and _cjk(line[0])) else " "
        out += line + ("\n" if raw.endswith("  ") else "")
    return out.rstrip("\n")


def _table_cells(line: str, width: int | None = None) -> list[str]:
    line = line.strip()
    line = line.removeprefix("|")
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)]
    return cells if width is None else (cells + [""] * width)[:width]


def _md_table(lines: Sequence[str]) -> Table:
    header = _table_cells(lines[0])
    rows = [header] + [_table_cells(ln, len(header)) for ln in lines[2:]]
    return Table([[Cell([Paragraph(_md_runs(c) or "")]) for c in row] for row in rows])


class _MarkdownBlocks:
    """One pass over the lines of a Markdown document, collecting its blocks."""

    def __init__(self, lines: list[str], warn: _Warn) -> None:
        self.lines = lines
        self.warn = warn
        self.items: list[_Item] = []
        self.para: list[str] = []
        self.list_kind: str | None = None
        self.list_items: list[list[str]] = []
        self.list_start = 1

    def flush(self) -> None:
        if self.para:
            self.items.extend(_md_paragraph(_join_lines(self.para)))
            self.para = []
        if self.list_kind is not None:
            paras = [Paragraph(_md_runs(_join_lines(it)) or "") for it in self.list_items]
            self.items.append(
                BulletList(paras)
                if self.list_kind == "bullet"
                else NumberedList(paras, start=self.list_start)
            )
            self.list_items = []
            self.list_kind = None

    def parse(self) -> list[_Item]:
        i = self.front_matter()
        while i < len(self.lines):
            i = self.line(i)
        self.flush()
        return self.items

    def front_matter(self) -> int:
        lines = self.lines
        if lines and lines[0].strip() == "---":
            end = next((k for k in range(1, len(lines)) if lines[k].strip() in ("---", "...")), 0)
            return end + 1 if end else 0
        return 0

    def line(self, i: int) -> int:  # noqa: PLR0911 - one return per kind of line
        """Read the line at *i* (and any lines its block spans); the next line's index."""
        line = self.lines[i]
        if line.strip().startswith("<!--"):
            self.flush()
            while i < len(self.lines) and "-->" not in self.lines[i]:
                i += 1
            return i + 1
        if not line.strip():
            return self.blank(i)
        if (fence := _FENCE.match(line)) is not None:
            return self.fence(i, fence.group(1))
        if self.para and self.list_kind is None and (setext := _SETEXT.match(line)):
            level = 1 if setext.group(1).startswith("=") else 2
            self.items.append(_Para(_md_runs(_join_lines(self.para)), level=level))
            self.para = []
            return i + 1
        if (atx := _ATX.match(line)) is not None:
            self.flush()
            self.items.append(_Para(_md_runs(atx.group(2) or ""), level=len(atx.group(1))))
            return i + 1
        if _RULE.match(line):
            self.flush()
            return i + 1
        nxt = self.lines[i + 1] if i + 1 < len(self.lines) else ""
        if "|" in line and "-" in nxt and _TABLE_RULE.match(nxt):
            self.flush()
            j = i + 2
            while j < len(self.lines) and "|" in self.lines[j] and self.lines[j].strip():
                j += 1
            self.items.append(_md_table(self.lines[i:j]))
            return j
        return self.text(line, i)

    def blank(self, i: int) -> int:
        if self.para:
            self.items.extend(_md_paragraph(_join_lines(self.para)))
            self.para = []
        if self.list_kind is not None:
            nxt = next((ln for ln in self.lines[i + 1 :] if ln.strip()), "")
            same = (_BULLET if self.list_kind == "bullet" else _ORDERED).match(nxt)
            if not same and not nxt.startswith(("  ", "\t")):
                self.flush()
        return i + 1

    def fence(self, i: int, mark: str) -> int:
        self.flush()
        body: list[str] = []
        i += 1
        while i < len(self.lines) and not self.lines[i].strip().startswith(mark[:3]):
            body.append(self.lines[i])
            i += 1
        self.items.append(Paragraph("\n".join(body), indent=False))
        return i + 1

    def text(self, line: str, i: int) -> int:
        bullet, ordered = _BULLET.match(line), _ORDERED.match(line)
        item = bullet or ordered
        if item is not None:
            kind = "bullet" if bullet else "number"
            if self.para or self.list_kind != kind:
                self.flush()
                self.list_kind = kind
                self.list_start = int(ordered.group(2)) if ordered else 1
            text = item.group(item.lastindex or 0)
            if item.group(1):
                self.warn(f"nested list item {_quote(text)} flattened into its list")
            self.list_items.append([text])
        elif self.list_kind is not None and line.startswith(("  ", "\t")):
            self.list_items[-1].append(line)
        else:
            if self.list_kind is not None:
                self.flush()
            quote = _QUOTE.match(line)
            self.para.append(line[quote.end() :] if quote else line)
        return i + 1


def import_markdown(
    text: str, *, source: str = "<markdown>", normalize_punctuation: bool = False
) -> ImportResult:
    r"""Read a report from Markdown.

    The first ``#`` heading is the title (a trailing （初稿） is its status) when it is the only
    one at its level; the other heading levels (``##``, ``###``…) are the section levels.
    Paragraphs, ``-``/``*``/``+`` bullet lists, ``1.`` numbered lists (nested items are
    flattened into their list, with a warning), pipe tables (the header row → ``header_rows=1``),
    images ``![caption](path)`` (the path kept as written), ``**bold**``, ``*italic*``,
    ``<u>underline</u>`` and a trailing signature as in :func:`import_text`.  Soft-wrapped lines
    join without a space between Chinese characters; a line ending in two spaces or ``\`` is
    a line break.  Links keep their text, the URL in brackets after it.

    >>> r = import_markdown("# 小结（初稿）\n\n## 学习\n\n我们**认真**学习。").report
    >>> r.status, r.sections[0].title, r.sections[0].blocks[0].runs[1]
    ('初稿', '学习', Run(text='认真', bold=True, italic=False, underline=False, emphasis=False))

    Raises:
        DataError: the text is empty or not a str.
    """
    warn = _Warn(source)
    if not isinstance(text, str):
        raise DataError(
            "is not text", where=source, expected="a str", found=f"a {type(text).__name__}"
        )
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    items = _MarkdownBlocks(text.split("\n"), warn).parse()
    if not any(isinstance(i, _Para) and i.text.strip() for i in items):
        raise DataError("has no text", where=source, expected="a title and paragraphs")
    first = next((i for i in items if not isinstance(i, _Para) or i.text.strip()), None)
    if isinstance(first, _Para) and first.level is not None:
        same_level = [i for i in items if isinstance(i, _Para) and i.level == first.level]
        if len(same_level) == 1:  # the only # heading: the title
            first.role, first.level = "title", None
    return _build(items, warn, normalize=normalize_punctuation)


# --- Word (.docx) ------------------------------------------------------------------------------

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_V = "{urn:schemas-microsoft-com:vml}"
_R = "{" + NS["r"] + "}"
_REL = "{" + NS["rel"] + "}"
_OFF = ("0", "false", "off", "none")
# Elements inside a paragraph whose runs are part of its text.
_RUN_HOLDERS = frozenset(
    {
        "hyperlink",
        "ins",
        "smartTag",
        "sdt",
        "sdtContent",
        "fldSimple",
        "customXml",
        "moveTo",
        "dir",
        "bdo",
    }
)
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8", b"GIF8", b"BM")
_EMU_PER_CM = 360000


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _on(el: etree._Element | None) -> bool:
    return el is not None and el.get(f"{W}val", "true").lower() not in _OFF


@attrs.frozen
class _Style:
    name: str
    level: int | None  # heading level from the name or the outline level
    role: str | None  # "title" | "caption" | "signature"
    num_id: str | None


def _docx_styles(pkg: Package, source: str) -> dict[str, _Style]:
    data = pkg.parts.get("word/styles.xml")
    if data is None:
        return {}
    root = _parse(data, source, "word/styles.xml")
    raw = {
        st.get(f"{W}styleId", ""): st
        for st in root.findall(f"{W}style")
        if st.get(f"{W}type", "paragraph") == "paragraph"
    }

    def inherited(sid: str, path: str, seen: frozenset[str] = frozenset()) -> str | None:
        st = raw.get(sid)
        if st is None or sid in seen:
            return None
        el = st.find(path)
        if el is not None:
            return str(el.get(f"{W}val", ""))
        based = st.find(f"{W}basedOn")
        return (
            inherited(based.get(f"{W}val", ""), path, seen | {sid}) if based is not None else None
        )

    out = {}
    for sid, st in raw.items():
        name_el = st.find(f"{W}name")
        name = (name_el.get(f"{W}val", sid) if name_el is not None else sid).strip().lower()
        heading = re.fullmatch(r"(?:heading|标题)\s*(\d)", name)
        level: int | None = int(heading.group(1)) if heading else None
        outline = inherited(sid, f"{W}pPr/{W}outlineLvl")
        if level is None and outline is not None and outline.isdigit() and int(outline) < 9:
            level = int(outline) + 1
        role = None
        if name in ("title", "标题"):
            role, level = "title", None
        elif name in ("caption", "题注"):
            role = "caption"
        elif name in ("signature", "署名", "落款"):
            role = "signature"
        out[sid] = _Style(name, level, role, inherited(sid, f"{W}pPr/{W}numPr/{W}numId"))
    return out


def _docx_numbering(pkg: Package, source: str) -> dict[str, tuple[str, int]]:
    """NumId → (kind of its first level: "bullet" | "number" | "none", start)."""
    data = pkg.parts.get("word/numbering.xml")
    if data is None:
        return {}
    root = _parse(data, source, "word/numbering.xml")
    abstract: dict[str, tuple[str, int]] = {}
    for ab in root.findall(f"{W}abstractNum"):
        lvl = ab.find(f"{W}lvl")
        fmt = lvl.find(f"{W}numFmt") if lvl is not None else None
        start = lvl.find(f"{W}start") if lvl is not None else None
        kind = fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal"
        abstract[ab.get(f"{W}abstractNumId", "")] = (
            "bullet" if kind == "bullet" else "none" if kind == "none" else "number",
            _int(start.get(f"{W}val") if start is not None else None, 1),
        )
    out = {}
    for num in root.findall(f"{W}num"):
        ref = num.find(f"{W}abstractNumId")
        kind, start = abstract.get(ref.get(f"{W}val", "") if ref is not None else "", ("number", 1))
        override = num.find(f"{W}lvlOverride/{W}startOverride")
        if override is not None:
            start = _int(override.get(f"{W}val"), start)
        out[num.get(f"{W}numId", "")] = (kind, start)
    return out


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _parse(data: bytes, source: str, part: str) -> etree._Element:
    try:
        return parse_xml(data, part)
    except PackageError as exc:
        raise DataError(
            f"{part} {exc.message}", where=source, expected=exc.expected, found=exc.found
        ) from None


def _has_ancestor(el: etree._Element, stop: etree._Element, tags: Iterable[str]) -> bool:
    wanted = set(tags)
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if _local(parent) in wanted or parent.tag == f"{_MC}Fallback":
            return True
        parent = parent.getparent()
    return False


def _child_val(el: etree._Element | None, path: str) -> str | None:
    """The ``w:val`` of the child at *path*, or None."""
    found = el.find(path) if el is not None else None
    return None if found is None else str(found.get(f"{W}val", ""))


@attrs.define
class _CellBuf:
    content: list[Paragraph]
    colspan: int = 1
    rowspan: int = 1


def _cells_of(tr: etree._Element) -> Iterator[etree._Element]:
    """The cells of a row, looking through content controls."""
    for child in tr:
        if _local(child) == "tc":
            yield child
        elif _local(child) == "sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _cells_of(content)


class _DocxReader:
    """Walks a document body in order: paragraphs, lists, tables, pictures, text boxes."""

    def __init__(self, pkg: Package, source: str, warn: _Warn) -> None:
        self.pkg = pkg
        self.source = source
        self.warn = warn
        self.styles = _docx_styles(pkg, source)
        self.numbering = _docx_numbering(pkg, source)
        self.rels: dict[str, str | None] = {}
        name = "word/_rels/document.xml.rels"
        rels = pkg.parts.get(name)
        for rel in _parse(rels, source, name).findall(f"{_REL}Relationship") if rels else ():
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else "word/" + target
            external = rel.get("TargetMode") == "External"
            self.rels[rel.get("Id", "")] = None if external else part

    def items(self) -> list[_Item]:
        root = _parse(self.pkg.parts["word/document.xml"], self.source, "word/document.xml")
        body = root.find(f"{W}body")
        if body is None:
            raise DataError(
                "word/document.xml has no body", where=self.source, expected="a <w:body> element"
            )
        items = self.container(body)
        if not any(isinstance(i, _Para) and i.role == "title" for i in items):
            first = next((i for i in items if isinstance(i, _Para)), None)
            if first is not None and first.centred:
                first.role, first.level = "title", None
        return items

    def container(self, el: etree._Element) -> list[_Item]:
        """The blocks of a body, a text box or a content control, lists and captions joined."""
        out: list[_Item] = []
        for child in el:
            tag = _local(child)
            if tag == "p":
                out.extend(self.paragraph(child))
            elif tag == "tbl":
                table = self.table(child)
                if table is not None:
                    out.append(table)
            elif tag in ("sdt", "customXml"):
                content = child.find(f"{W}sdtContent") if tag == "sdt" else child
                if content is not None:
                    out.extend(self.container(content))
        return _group(out)

    def paragraph(self, p: etree._Element) -> list[_Item]:
        """A paragraph, with the page breaks, pictures and text boxes it holds around it."""
        ppr = p.find(f"{W}pPr")
        style = self.styles.get(_child_val(ppr, f"{W}pStyle") or "", _NO_STYLE)
        para = _Para([], level=style.level, role=style.role)
        outline = _child_val(ppr, f"{W}outlineLvl")
        if outline is not None and style.role != "title":
            para.level = _int(outline, 9) + 1 if _int(outline, 9) < 9 else None
        para.centred = _child_val(ppr, f"{W}jc") in ("center", "centre")
        ind = ppr.find(f"{W}ind") if ppr is not None else None
        if ind is not None and (
            ind.get(f"{W}firstLineChars") == "0"
            or (ind.get(f"{W}firstLine") == "0" and ind.get(f"{W}firstLineChars") is None)
            or ind.get(f"{W}hanging") not in (None, "0")
        ):
            para.indent = False
        num_id = _child_val(ppr, f"{W}numPr/{W}numId") or style.num_id
        if num_id and num_id != "0" and para.level is None and para.role is None:
            guess = ("bullet" if "bullet" in style.name else "number", 1)
            kind, start = self.numbering.get(num_id, guess)
            if kind != "none":
                para.list_kind, para.list_id, para.list_start = kind, num_id, start
        before: list[_Item] = []
        after: list[_Item] = []
        self.inline(p, para.runs, before, after)
        para.runs = _strip_runs(para.runs)
        return [*before, *([para] if para.text.strip() else []), *after]

    def inline(
        self, el: etree._Element, runs: list[Run], before: list[_Item], after: list[_Item]
    ) -> None:
        """The runs of *el* into *runs*; pictures, text boxes and page breaks around them."""
        for child in el:
            tag = _local(child)
            if tag == "r":
                self.run(child, runs, before, after)
            elif tag in _RUN_HOLDERS:
                self.inline(child, runs, before, after)

    def run(
        self, r: etree._Element, runs: list[Run], before: list[_Item], after: list[_Item]
    ) -> None:
        rpr = r.find(f"{W}rPr")
        if rpr is not None and _on(rpr.find(f"{W}vanish")):
            return
        text, page_break = _run_text(r)
        if page_break:
            (after if any(x.text.strip() for x in runs) else before).append(PageBreak())
        if text:
            runs.append(
                Run(
                    text,
                    bold=rpr is not None and _on(rpr.find(f"{W}b")),
                    italic=rpr is not None and _on(rpr.find(f"{W}i")),
                    underline=rpr is not None and _on(rpr.find(f"{W}u")),
                    emphasis=rpr is not None and _on(rpr.find(f"{W}em")),
                )
            )
        for box in r.iter(f"{W}txbxContent"):
            if not _has_ancestor(box, r, ("txbxContent",)):
                after.extend(self.container(box))
        for blip in r.iter(f"{_A}blip", f"{_V}imagedata"):
            if not _has_ancestor(blip, r, ("txbxContent",)):
                image = self.image(blip.get(f"{_R}embed") or blip.get(f"{_R}id") or "", blip)
                after.extend([image] if image is not None else [])

    def image(self, rid: str, blip: etree._Element) -> Image | None:
        part = self.rels.get(rid)
        data = self.pkg.parts.get(part) if part else None
        if data is None:
            self.warn(f"a linked or missing picture ({rid or 'no id'}) was left out")
            return None
        if not data.startswith(_IMAGE_MAGIC):
            self.warn(f"the picture {part} is not PNG, JPEG, GIF or BMP; it was left out")
            return None
        holder = blip.getparent()
        while holder is not None and _local(holder) not in ("inline", "anchor"):
            holder = holder.getparent()
        extent = holder.find(f"{_WP}extent") if holder is not None else None
        cx = _int(extent.get("cx"), 0) if extent is not None else 0
        return Image(data, width_cm=round(cx / _EMU_PER_CM, 2) if cx > 0 else None)

    def table(self, tbl: etree._Element) -> Table | None:
        """A table: gridSpan → colspan, vMerge → rowspan, repeated header rows counted."""
        rows: list[list[_CellBuf]] = []
        header_rows = 0
        open_cells: dict[int, _CellBuf] = {}  # grid column → the cell a vMerge continues
        for tr in tbl.findall(f"{W}tr"):
            trpr = tr.find(f"{W}trPr")
            header = trpr is not None and _on(trpr.find(f"{W}tblHeader"))
            if header and header_rows == len(rows):  # the rows repeated on each page
                header_rows += 1
            col = _int(_child_val(trpr, f"{W}gridBefore"), 0)
            row = [_CellBuf([Paragraph("")]) for _ in range(col)]
            for tc in _cells_of(tr):
                tcpr = tc.find(f"{W}tcPr")
                span = max(1, _int(_child_val(tcpr, f"{W}gridSpan"), 1))
                vmerge = _child_val(tcpr, f"{W}vMerge")
                if vmerge not in (None, "restart") and col in open_cells:
                    open_cells[col].rowspan += 1
                else:
                    cell = _CellBuf(self.cell(tc, keep_bold=not header), span)
                    row.append(cell)
                    if vmerge == "restart":
                        open_cells[col] = cell
                    else:
                        open_cells.pop(col, None)
                col += span
            rows.append(row)
        if not any(rows):
            return None
        return _make_table(rows, header_rows, self.warn)

    def cell(self, tc: etree._Element, *, keep_bold: bool) -> list[Paragraph]:
        """A cell's paragraphs; a nested table's rows flattened into tab-separated lines."""
        paras: list[Paragraph] = []
        for child in tc:
            tag = _local(child)
            if tag == "p":
                for item in self.paragraph(child):
                    if isinstance(item, _Para):
                        runs = (
                            item.runs
                            if keep_bold
                            else [attrs.evolve(r, bold=False) for r in item.runs]
                        )
                        paras.append(Paragraph(_merge_runs(runs)))
                    elif isinstance(item, Image):
                        self.warn("a picture inside a table cell was left out")
            elif tag == "tbl":
                for tr in child.findall(f"{W}tr"):
                    cells = [
                        "".join(t.text or "" for t in c.iter(f"{W}t")).strip()
                        for c in _cells_of(tr)
                    ]
                    if any(cells):
                        paras.append(Paragraph("\t".join(cells)))
            elif tag == "sdt" and (content := child.find(f"{W}sdtContent")) is not None:
                paras.extend(self.cell(content, keep_bold=keep_bold))
        return paras or [Paragraph("")]


_NO_STYLE = _Style("", None, None, None)


def _run_text(r: etree._Element) -> tuple[str, bool]:
    """The text of one run (tabs, line breaks) and whether it breaks the page."""
    text: list[str] = []
    page_break = False
    for child in r:
        tag = _local(child)
        if tag == "t":
            text.append(child.text or "")
        elif tag == "tab":
            text.append("\t")
        elif tag == "br" and child.get(f"{W}type") == "page":
            page_break = True
        elif tag in ("br", "cr"):
            text.append("\n")
        elif tag == "noBreakHyphen":
            text.append("-")
    return "".join(text), page_break


def _make_table(rows: list[list[_CellBuf]], header_rows: int, warn: _Warn) -> Table:
    """A Table from its rows of cells, padded with empty cells to a rectangle."""

    def build(*, spans: bool) -> Table:
        occupied: list[set[int]] = [set() for _ in rows]
        for r, row in enumerate(rows):
            col = 0
            for cell in row:
                while col in occupied[r]:
                    col += 1
                for below in occupied[r : r + (cell.rowspan if spans else 1)]:
                    below.update(range(col, col + cell.colspan))
                col += cell.colspan
        width = max(max(o, default=0) + 1 for o in occupied)
        return Table(
            [
                [
                    Cell(
                        c.content,
                        colspan=c.colspan,
                        rowspan=min(c.rowspan, len(rows) - r) if spans else 1,
                    )
                    for c in row
                ]
                + [Cell("") for _ in range(width - len(occupied[r]))]
                for r, row in enumerate(rows)
            ],
            header_rows=min(header_rows, len(rows)),
        )

    try:
        return build(spans=True)
    except DocgenError:
        warn("a table's merged cells do not fit its grid; its vertical merges were undone")
        return build(spans=False)


def _caption_of(item: _Item, prefix: str) -> str | None:
    if not isinstance(item, _Para):
        return None
    text = item.text.strip()
    if item.role == "caption" or (
        re.match(rf"{prefix}\s*[0-9一二三四五六七八九十]", text) and len(text) <= 40
    ):
        return text
    return None


def _same_list(item: _Item, first: _Para) -> bool:
    return (
        isinstance(item, _Para)
        and item.list_kind == first.list_kind
        and item.list_id == first.list_id
    )


def _group(items: list[_Item]) -> list[_Item]:
    """Word list paragraphs → BulletList/NumberedList; captions → Image/Table captions."""
    out: list[_Item] = []
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, _Para) and item.list_kind is not None:
            j = i
            while j < len(items) and _same_list(items[j], item):
                j += 1
            paras = [Paragraph(p.runs) for p in items[i:j] if isinstance(p, _Para)]
            out.append(
                BulletList(paras)
                if item.list_kind == "bullet"
                else NumberedList(paras, start=item.list_start)
            )
            i = j
            continue
        if (
            isinstance(item, Image)
            and i + 1 < len(items)
            and (cap := _caption_of(items[i + 1], "图"))
        ):
            out.append(attrs.evolve(item, caption=cap))
            i += 2
            continue
        if (
            isinstance(item, Table)
            and out
            and (cap := _caption_of(out[-1], "表"))
            and item.caption is None
        ):
            out[-1] = attrs.evolve(item, caption=cap)
            i += 1
            continue
        out.append(item)
        i += 1
    return out


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def import_docx(
    path_or_bytes: str | os.PathLike[str] | bytes,
    *,
    source: str | None = None,
    normalize_punctuation: bool = False,
) -> ImportResult:
    """Read a report from a Word ``.docx`` (a path or the file's bytes).

    ``word/document.xml`` is read with docgen's hardened XML parser and its body walked in
    order.  The title is the paragraph in the ``Title`` style, else a centred first paragraph,
    else the first paragraph; headings come from heading styles (``heading 1``…, ``标题 1``…)
    and outline levels, and from numbered labels as in :func:`import_text`.  Word lists become
    BulletList/NumberedList, tables Table (``gridSpan`` → colspan, ``vMerge`` → rowspan, rows
    marked to repeat → ``header_rows``, a nested table's rows flattened into its cell as
    tab-separated lines), pictures Image (their bytes and width; a ``图1 …`` or Caption-style
    paragraph under a picture is its caption, a ``表1 …`` one above a table is the table's),
    and text boxes' paragraphs follow the paragraph they are anchored in.  Bold, italic,
    underline and 着重号 are kept as :class:`~docgen.model.Run` flags.

    Raises:
        DataError: the file cannot be read, is not a ``.docx`` (a ``.doc`` saved under the
            wrong name, a password-protected file…) or its XML is broken.
    """
    if isinstance(path_or_bytes, (bytes, bytearray)):
        data = bytes(path_or_bytes)
        name = source or "<docx>"
    else:
        name = source or os.fspath(path_or_bytes)
        data = _read_bytes(Path(path_or_bytes), name)
    return _import_docx_bytes(data, name, normalize=normalize_punctuation)


def _import_docx_bytes(
    data: bytes, name: str, *, normalize: bool, warn: _Warn | None = None
) -> ImportResult:
    warn = warn or _Warn(name)
    if data.startswith(_OLE_MAGIC):
        raise DataError(
            "is a Word 97–2003 (.doc/.wps) file or a password-protected document, not a .docx",
            where=name,
            expected="a .docx (named .doc, a Word 97–2003 file is converted by import_file "
            "through LibreOffice)",
            found="an OLE compound file",
        )
    try:
        pkg = Package.from_bytes(data, name)
    except PackageError as exc:
        raise DataError(exc.message, where=name, expected=exc.expected, found=exc.found) from None
    items = _DocxReader(pkg, name, warn).items()
    if not any(isinstance(i, _Para) and i.text.strip() for i in items):
        raise DataError(
            "has no text", where=name, expected="a document with a title and paragraphs"
        )
    return _build(items, warn, normalize=normalize)


# --- other formats through LibreOffice, and files ----------------------------------------------

# suffix → (what the file starts with, what it is)
_LIBREOFFICE_FORMATS: dict[str, tuple[tuple[bytes, ...], str]] = {
    ".doc": ((_OLE_MAGIC, b"{\\rtf", b"PK\x03\x04"), "a Word 97–2003 document (an OLE file)"),
    ".wps": ((_OLE_MAGIC,), "a WPS Writer document (an OLE file)"),
    ".rtf": ((b"{\\rtf",), "an RTF document (starting {\\rtf)"),
    ".odt": ((b"PK\x03\x04",), "an OpenDocument text (a zip package)"),
}
_INSTALL = (
    "LibreOffice's soffice: on Debian/Ubuntu `apt-get install libreoffice-writer-nogui`, on "
    "Windows or macOS LibreOffice from https://www.libreoffice.org/download/ (or set "
    "DOCGEN_SOFFICE to the soffice program)"
)


def _convert_to_docx(data: bytes, suffix: str, name: str, timeout: float) -> bytes:
    """A .doc/.wps/.rtf/.odt converted to .docx by LibreOffice headless, with its own profile."""
    magic, what = _LIBREOFFICE_FORMATS[suffix]
    if not data.startswith(magic):
        raise DataError(
            f"is not what its suffix {suffix} says",
            where=name,
            expected=what,
            found=f"{len(data)} bytes starting {data[:8]!r}",
        )
    try:
        soffice = find_soffice()
    except PdfError as exc:
        setting = f" (DOCGEN_SOFFICE={exc.found} names no program)" if exc.found else ""
        raise DataError(
            f"LibreOffice is needed to read {suffix} files and was not found{setting}",
            where=name,
            expected=_INSTALL,
        ) from None
    with tempfile.TemporaryDirectory(prefix="docgen-import-") as tmp:
        work = Path(tmp)
        src = work / f"document{suffix}"
        src.write_bytes(data)
        out_dir = work / "out"
        out_dir.mkdir()
        command = [
            soffice,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out_dir),
            str(src),
        ]
        try:
            # LibreOffice and a file docgen wrote; no user text reaches a shell
            done = subprocess.run(  # noqa: S603
                command, capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL
            )
        except subprocess.TimeoutExpired:
            raise DataError(
                f"LibreOffice did not convert it within {timeout:g} s",
                where=name,
                expected=f"{what} LibreOffice can open",
            ) from None
        except OSError as exc:
            raise DataError(
                f"LibreOffice could not be started ({exc})", where=name, expected=_INSTALL
            ) from None
        result = out_dir / "document.docx"
        if done.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
            output = (done.stderr + done.stdout).decode(sys.getfilesystemencoding(), "replace")
            detail = " ".join(ln for ln in output.splitlines() if "javaldx" not in ln)
            raise DataError(
                "LibreOffice cannot read it",
                where=name,
                expected=f"{what} LibreOffice can open",
                found=f"exit code {done.returncode}: {detail.strip()[:300] or 'no output'}",
            )
        return result.read_bytes()


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError("does not exist", where=name, expected="an existing file") from None
    except IsADirectoryError:
        raise DataError("is a folder", where=name, expected="a file") from None
    except OSError as exc:
        raise DataError(f"cannot be read ({exc.strerror})", where=name) from None


def _decode(raw: bytes, name: str, warn: _Warn) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; else GB18030 (GBK), with a warning."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DataError(
                "is not valid UTF-16 text", where=name, found=f"{exc.reason} at byte {exc.start}"
            ) from None
    if b"\x00" in raw[:4096]:
        raise DataError(
            "is not a text file",
            where=name,
            expected="text saved as UTF-8 or GBK",
            found="binary data (NUL bytes)",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise DataError(
                "is neither UTF-8 nor GBK/GB18030 text",
                where=name,
                expected="text saved as UTF-8 or GBK",
                found=f"byte {raw[exc.start]:#04x} at offset {exc.start}",
            ) from None
        warn(f"not UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start}); read as GB18030 (GBK)")
        return text


_TEXT_SUFFIXES = (".txt", ".text")
_MARKDOWN_SUFFIXES = (".md", ".markdown")


def import_file(
    path: str | os.PathLike[str],
    *,
    normalize_punctuation: bool = False,
    timeout: float = 180,
) -> ImportResult:
    """Read a report from a file, by its suffix.

    ``.txt``/``.text`` → :func:`import_text` (UTF-8; GBK/GB18030 with a warning, as school
    computers often save), ``.md``/``.markdown`` → :func:`import_markdown`, ``.docx`` →
    :func:`import_docx`, and ``.doc``, ``.wps``, ``.rtf``, ``.odt`` converted to ``.docx`` by
    LibreOffice headless (``soffice``, each run with its own temporary profile and *timeout*
    seconds) and then read as ``.docx``.

    Raises:
        DataError: naming the file — a missing file, an unknown suffix, undecodable text, a
            file that is not what its suffix says, LibreOffice missing (with the command that
            installs it) or unable to read the file.
    """
    file = Path(path)
    name = os.fspath(path)
    suffix = file.suffix.lower()
    known = (*_TEXT_SUFFIXES, *_MARKDOWN_SUFFIXES, ".docx", *_LIBREOFFICE_FORMATS)
    if suffix not in known:
        raise DataError(
            "has a suffix docgen cannot import",
            where=name,
            expected="one of " + ", ".join(known),
            found=repr(file.suffix) if file.suffix else "no suffix",
        )
    data = _read_bytes(file, name)
    if suffix == ".docx":
        return _import_docx_bytes(data, name, normalize=normalize_punctuation)
    if suffix in _LIBREOFFICE_FORMATS:
        converted = _convert_to_docx(data, suffix, name, timeout)
        return _import_docx_bytes(converted, name, normalize=normalize_punctuation)
    warn = _Warn(name)
    text = _decode(data, name, warn)
    reader = import_text if suffix in _TEXT_SUFFIXES else import_markdown
    result = reader(text, source=name, normalize_punctuation=normalize_punctuation)
    return ImportResult(result.report, warn.messages + result.warnings)
