"""Plain text: one paragraph per line, or a text collapsed onto one line split back."""

from __future__ import annotations

import re

from docgen.cn.numbering import parse_label
from docgen.cn.typography import SPACES as _SPACE
from docgen.cn.typography import joins_without_space
from docgen.errors import DataError
from docgen.i18n import lazy
from docgen.importers._ends import _parse_date
from docgen.importers._outline import _build
from docgen.importers._paragraphs import ImportResult, _fold, _input_lines, _Para, _Warn
from docgen.model import Run

# --- plain text --------------------------------------------------------------------------------

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
    after_mark = half_width_mark and start >= 2 and joins_without_space(line[start - 2])
    if not (joins_without_space(left) or after_mark):
        return False
    if joins_without_space(right) and right not in _CLOSING_MARKS:
        return True
    if left in _SENTENCE_END or left in _HALF_END:
        return True
    folded = _fold(rest)
    if parse_label(rest) is not None or _YEAR_AHEAD.match(folded):
        return True
    return _parse_date(folded) is not None


def _label_only(text: str) -> bool:
    lab = parse_label(text + "标")
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
    # a form feed (a page break in text exported from Word) ends a line too
    lines = [part.strip(_SPACE) for ln in _input_lines(text, source) for part in ln.split("\f")]
    lines = [ln for ln in lines if ln]
    if not lines:
        raise DataError(
            lazy("has no text"),
            where=source,
            expected=lazy("a title and paragraphs"),
            code="data.empty",
        )
    one_line = len(lines) == 1
    if one_line:
        lines = [p.strip(_SPACE) for p in _split_one_line(lines[0])]
    return _build(
        [_Para([Run(ln)]) for ln in lines if ln],
        warn,
        normalize=normalize_punctuation,
        bare_numbers=not one_line,
    )
