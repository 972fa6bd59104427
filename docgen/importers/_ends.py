"""What surrounds the sections: title (status, term), closing, signature (date), attachments."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence

import attrs

from docgen.cn.calendar import TERM_STYLES, Term
from docgen.cn.dates import parse_date
from docgen.cn.numbering import Label, parse_label
from docgen.cn.typography import SPACES as _SPACE
from docgen.errors import ConventionError
from docgen.i18n import Message, lazy
from docgen.importers._paragraphs import _fold, _heading_like, _Item, _Para, _quote, _Warn
from docgen.model import Block, Paragraph, Run, Signature

_D = "0-9０-９"  # Arabic digits, half- and full-width

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
        warn(
            lazy("the title names a term docgen cannot read ({error}); term left empty", error=exc)
        )
        return None


_CN_YEAR = "〇○零Oo0一二三四五六七八九"  # a year written in Chinese digits (to find one)
_BLANK = r"[\dxX×*＊□_＿?？ ]"  # 20xx年x月, ____年__月__日
_DATE_PLACEHOLDER = re.compile(
    rf"{_BLANK}{{0,4}}\s*年\s*{_BLANK}{{0,3}}\s*月(?:\s*{_BLANK}{{0,3}}\s*日)?"
)


def _parse_date(text: str) -> tuple[_dt.date, str] | None:
    """A signature date line → (date, date_style); None when it is not one.

    Dates are read by :func:`docgen.cn.dates.parse_date`; a signature date is one written
    with 年 (2014年1月15日, 二〇一四年一月), not an ISO date that happens to stand alone.
    """
    text = _fold(text).strip(_SPACE)
    if "年" not in text:
        return None
    try:
        return parse_date(text)
    except ConventionError:
        return None


def _is_placeholder_date(text: str) -> bool:
    text = _fold(text).strip(_SPACE)
    return _DATE_PLACEHOLDER.fullmatch(text) is not None and _parse_date(text) is None


def _org_like(text: str) -> bool:
    """A short line without sentence punctuation: an organisation signing."""
    return (
        0 < len(text) <= 40
        and re.search("[。，,；;！!？?：:]", text) is None
        and parse_label(text) is None
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


# --- taking them from the paragraphs --------------------------------------------------------


def _take_title(
    items: list[_Item],
    labels: dict[int, Label | None],
    warn: _Warn,
    metadata_title: tuple[str, str | Message] | None = None,
) -> tuple[str, list[_Item]]:
    """The title and the items without it.

    The paragraph marked as the title among the first six blocks, else the first paragraph
    there unless it is a heading; else *metadata_title* — (a title from the file's metadata,
    where it was found) — with a warning, else an empty title.
    """
    paras = [i for i in items[:6] if isinstance(i, _Para)]
    chosen = next((p for p in paras if p.role == "title"), None)
    if chosen is None and paras:
        first = paras[0]
        heading = first.level is not None or (
            (lab := labels.get(id(first))) is not None and _heading_like(lab)
        )
        if not heading or first.centred:
            chosen = first
    if chosen is None:
        starts = lazy("a heading") if paras else lazy("a table or a list")
        if metadata_title is not None:
            text, where = metadata_title
            warn(
                lazy(
                    "the body has no title paragraph (it starts with {starts}); the title "
                    "{title} is {where}",
                    starts=starts,
                    title=_quote(text),
                    where=where,
                )
            )
            return text, items
        warn(
            lazy(
                "no title found (the document starts with {starts}); the title is left empty",
                starts=starts,
            )
        )
        return "", items
    at = next(k for k, i in enumerate(items) if i is chosen)
    if at:
        warn(
            lazy(
                "{n} paragraph(s) before the title {title} moved into the intro",
                n=at,
                title=_quote(chosen.text),
            )
        )
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
                lazy(
                    "the last lines look like a signature but the date {date} is a "
                    "placeholder; they are kept as closing text",
                    date=_quote(date_text),
                )
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
    warn(
        lazy(
            "the date {date} at the end has no organisation line above it; kept as text",
            date=_quote(date_text),
        )
    )
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
