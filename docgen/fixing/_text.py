"""The text a fix may change, and the text it must keep.

:func:`fix_text` is what a fix does to the words: half-width punctuation next to Chinese made
full-width (:func:`docgen.cn.normalize_punctuation`) and dates written as GB/T 9704 writes
them (no leading zero, 〇 for a year's zero).  :func:`canonical` folds exactly those
differences away, with white space and a paragraph's heading label, so that the text before
and after a fix can be compared sentence by sentence (:func:`lost_sentences`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from docgen.cn.numbering import parse_label
from docgen.cn.typography import normalize_punctuation

# 2014年01月 → 2014年1月, 01月05日 → 1月5日 (GB/T 9704 §7.3.5.4: 不编虚位).
_ZERO_MONTH_AFTER_YEAR = re.compile(r"(?<=年)(\s*)0([1-9])(?=\s*月)")
_ZERO_DAY = re.compile(r"(?<=月)(\s*)0([1-9])(?=\s*[日号])")
_MONTH_DAY = re.compile(r"(?<![0-9])0([1-9])(?=\s*月\s*[0-9]{1,2}\s*[日号])")
# A year in Chinese digits written with 零, ○ or the letter O (二零一四年 → 二〇一四年).
_CN_YEAR = re.compile(r"[〇○零Oo0一二三四五六七八九]{4}(?=\s*年)")
_CN_DIGIT = frozenset("一二三四五六七八九")
_CN_ZERO = str.maketrans({"○": "〇", "零": "〇", "O": "〇", "o": "〇", "0": "〇"})

# What a fix may change, folded: half-width marks to full-width, curly quotes to one form,
# full-width digits to ASCII.
_FOLD = str.maketrans(
    {
        ",": "，",
        ";": "；",
        ":": "：",
        "?": "？",
        "!": "！",
        "(": "（",
        ")": "）",
        ".": "。",  # a fix turns a Chinese sentence's "." into 。 (both sides fold alike)
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        **{chr(0xFF10 + i): str(i) for i in range(10)},
    }
)
_BULLETS = "•·●○■□◆◇▪▫‧-–—*＊"
_SENTENCE_END = re.compile(r"(?<=[。！？；])")


def fix_dates(text: str) -> str:
    """*text* with its dates written as GB/T 9704 writes them.

    >>> fix_dates("于2014年01月05日召开，02月08日结束；二零一四年一月")
    '于2014年1月5日召开，2月8日结束；二〇一四年一月'
    >>> fix_dates("编号0105，10月")
    '编号0105，10月'
    """
    text = _ZERO_MONTH_AFTER_YEAR.sub(r"\1\2", text)
    text = _MONTH_DAY.sub(r"\1", text)
    text = _ZERO_DAY.sub(r"\1\2", text)

    def year(m: re.Match[str]) -> str:
        digits = m.group()
        if _CN_DIGIT & set(digits) and set(digits) - _CN_DIGIT - {"〇"}:
            return digits.translate(_CN_ZERO)
        return digits

    return _CN_YEAR.sub(year, text)


def fix_text(text: str) -> str:
    """What a fix makes of one paragraph's text: its punctuation and its dates.

    >>> fix_text('2014年01月15日,召开"新优质学校"推进会(第二次)')
    '2014年1月15日，召开“新优质学校”推进会（第二次）'
    """
    return fix_dates(normalize_punctuation(text))


def fix_runs(texts: Sequence[str]) -> list[str]:
    """:func:`fix_text` over a paragraph split into runs, each run keeping its own part.

    The punctuation is decided on the whole paragraph (a comma's neighbour may be in the next
    run) and changes one character for one, so each run keeps its length; dates are fixed
    inside each run.

    >>> fix_runs(["学习", ",", "2014年01月"])
    ['学习', '，', '2014年1月']
    """
    whole = normalize_punctuation("".join(texts))
    out, at = [], 0
    for text in texts:
        out.append(fix_dates(whole[at : at + len(text)]))
        at += len(text)
    return out


def strip_label(text: str) -> tuple[str, str]:
    """A paragraph's heading label (or bullet) and the text after it.

    >>> strip_label(" （一）迎接评审 "), strip_label("• 备课"), strip_label("2013学年")
    (('（一）', '迎接评审'), ('•', '备课'), ('', '2013学年'))
    """
    text = text.strip()
    label = parse_label(text)
    if label is not None:
        return text[: label.length].strip(), label.rest.strip()
    if text[:1] in _BULLETS and len(text) > 1 and text[1] in " \t\u3000":
        return text[:1], text[1:].strip()
    return "", text


def canonical(text: str) -> str:
    """*text* as a fix must keep it: no label, no white space, punctuation and dates folded.

    >>> canonical("1、 学习, 2014年01月")
    '学习，2014年1月'
    >>> canonical("学习，2014年1月") == canonical("1、 学习, 2014年01月")
    True
    """
    body = "".join(strip_label(text)[1].split())
    return fix_dates(body.translate(_FOLD))


def sentences(texts: Iterable[str]) -> list[str]:
    """The canonical sentences of some paragraphs (split after 。！？；).

    >>> sentences(["一、学习", "内化是目的。实践是形式;", ""])
    ['学习', '内化是目的。', '实践是形式；']
    """
    out: list[str] = []
    for text in texts:
        out.extend(s for s in _SENTENCE_END.split(canonical(text)) if s)
    return out


def lost_sentences(before: Iterable[str], after: Iterable[str]) -> list[str]:
    """The sentences of the paragraphs *before* that the paragraphs *after* no longer hold.

    Only labels, punctuation width, date forms and white space may differ.

    >>> lost_sentences(["学习,实践。", "总结。"], ["一、学习，实践。"])
    ['总结。']
    """
    kept = "".join(canonical(t) for t in after)
    return [s for s in sentences(before) if s not in kept]
