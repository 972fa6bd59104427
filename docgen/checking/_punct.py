"""Punctuation and date checks, on the text of every paragraph (table cells and 版头 too).

Half-width marks are those :func:`docgen.cn.typography.normalize_punctuation` would change
(so numbers, URLs and Latin phrases keep theirs); quotes and brackets are matched in pairs;
a 发文字号 takes 〔〕; a date has no leading zero (2014年1月5日) and a year in Chinese digits
writes its zero 〇; the signature date is in a form docgen writes (GB/T 9704's 2014年1月15日
when the template's date style is ``long``) and stands at the right.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from docgen.checking._expect import Expectations
from docgen.checking._layout import Layout
from docgen.checking._model import CheckFinding, finding
from docgen.checking._read import ParaInfo
from docgen.cn.typography import normalize_punctuation

#: 发文字号: 机关代字, the year in brackets, the 序号 and 号 (徐教〔2014〕1号).
DOC_NUMBER = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{1,12})\s*(?P<open>[〔\[［(（【{｛<〈])\s*(?P<year>\d{2,4})\s*"
    r"(?P<close>[〕\]］)）】}｝>〉])\s*(?P<di>第?)\s*(?P<num>\d+)\s*号"
)
_LEADING_ZERO = re.compile(r"(?<![0-9])[0-9]{4}\s*年\s*0[1-9]\s*月|月\s*0[1-9]\s*[日号]")
_CN_YEAR = re.compile(r"[〇○零Oo0一二三四五六七八九]{4}(?=\s*年)")
_DOUBLED = re.compile(r"[，。、；：][，。、；：]|！！|？？|,,|\.\.(?!\.)")
_PAIRS = {
    "（": "）",
    "(": ")",
    "【": "】",
    "[": "]",
    "〔": "〕",
    "《": "》",
    "〈": "〉",
    "“": "”",
    "‘": "’",
    "「": "」",
    "『": "』",
}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_BRACKETS = "（(【[〔"
_QUOTES = "“‘「『"
_DOCGEN_DATES = (
    re.compile(r"[0-9]{4}年[1-9][0-9]?月[1-9][0-9]?日"),  # long
    re.compile(r"[0-9]{4}年[1-9][0-9]?月"),  # year_month
    re.compile(
        r"[〇一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}日)?"
    ),
)


def check_punctuation(
    paras: tuple[ParaInfo, ...], lay: Layout, exp: Expectations
) -> Iterator[CheckFinding]:
    """The punctuation and date findings, paragraph by paragraph."""
    quote_forms: dict[str, int] = {}
    for p in paras:
        text = p.text
        if not text.strip():
            continue
        where = (p.index, text)
        number = DOC_NUMBER.search(text) if len(text.strip()) <= 40 else None
        skip = range(number.start(), number.end()) if number else range(0)
        yield from _half_width(where, text, skip)
        yield from _pairs(where, text, quote_forms)
        m = _DOUBLED.search(text)
        if m is not None:
            yield finding("punct.doubled", where, m.group()[0], m.group(), f"标点“{m.group()}”重复")
        if number is not None and (number["open"], number["close"]) != ("〔", "〕"):
            yield finding(
                "punct.doc_number",
                where,
                f"{number['org']}〔{number['year']}〕{number['num']}号",
                number.group(),
                "发文字号的年份应用六角括号〔〕括入（不用方括号或圆括号）",
            )
        yield from _dates(where, text)
    yield from _signature_date(paras, lay, exp)


def _half_width(where: tuple[int, str], text: str, skip: range) -> Iterator[CheckFinding]:
    fixed = normalize_punctuation(text)
    marks = [
        (i, a, b)
        for i, (a, b) in enumerate(zip(text, fixed, strict=True))
        if a != b and i not in skip
    ]
    if marks:
        shown = "、".join(f"“{a}”" for _, a, _ in marks[:5])
        expected = "、".join(f"“{b}”" for _, _, b in marks[:5])
        i = marks[0][0]
        context = text[max(0, i - 6) : i + 6].replace("\n", " ")
        yield finding(
            "punct.half_width",
            where,
            expected,
            f"{shown}（如“{context}”）",
            f"中文中用了 {len(marks)} 个半角标点，应改为全角",
        )


def _pairs(
    where: tuple[int, str], text: str, quote_forms: dict[str, int]
) -> Iterator[CheckFinding]:
    stack: list[str] = []
    for char in text:
        if char in _PAIRS and not (char in "“‘" and stack and stack[-1] == char):
            stack.append(char)
        elif char in _CLOSERS:
            if not stack:
                continue  # a label's ")" (1)) or a closing mark of an earlier line
            opener = stack.pop()
            if _PAIRS[opener] == char:
                continue
            code = (
                "punct.mixed_quotes"
                if opener in _QUOTES or char in "”’」』"
                else "punct.mixed_brackets"
            )
            yield finding(
                code,
                where,
                f"“{opener}”与“{_PAIRS[opener]}”配对",
                f"“{opener}”与“{char}”",
                "引号不配对或混用"
                if code == "punct.mixed_quotes"
                else "括号不配对或全角、半角混用",
            )
            return
        elif char in "“‘" and stack and stack[-1] == char:  # “…“: an opener where a closer belongs
            yield finding(
                "punct.mixed_quotes",
                where,
                f"“{char}”与“{_PAIRS[char]}”配对",
                f"两个“{char}”",
                "引号不配对：前后引号方向相同",
            )
            return
    for form in ("“", "「"):
        if form in text:
            quote_forms.setdefault(form, where[0])
    if "“" in quote_forms and "「" in quote_forms and where[0] == max(quote_forms.values()):
        yield finding(
            "punct.mixed_quotes",
            where,
            "全文统一用“”",
            "“” 与 「」 混用",
            "同一文件中混用了两种引号",
        )


def _dates(where: tuple[int, str], text: str) -> Iterator[CheckFinding]:
    m = _LEADING_ZERO.search(text)
    if m is not None:
        yield finding(
            "date.leading_zero",
            where,
            re.sub(r"(?<![0-9])0([1-9])", r"\1", m.group()),
            m.group(),
            "日期中的月、日不编虚位（1月5日，不写01月05日）",
        )
    for year in _CN_YEAR.finditer(text):
        digits = year.group()
        if any(c in "一二三四五六七八九" for c in digits) and any(c in "○零Oo0" for c in digits):
            yield finding(
                "date.zero",
                where,
                re.sub("[○零Oo0]", "〇", digits) + "年",
                digits + "年",
                "年份中的零写作“〇”（二〇一四年），不写“零”或“○”",
            )
            break


def _signature_date(
    paras: tuple[ParaInfo, ...], lay: Layout, exp: Expectations
) -> Iterator[CheckFinding]:
    if lay.date is None:
        return
    p = paras[lay.date - 1]
    text = p.text.strip()
    where = (p.index, p.text)
    bad_digits = _LEADING_ZERO.search(text) or re.search("[○零Oo]", text)
    if not bad_digits:
        if exp.date_style == "long" and not _DOCGEN_DATES[0].fullmatch(text):
            yield finding(
                "date.signature_form",
                where,
                "阿拉伯数字、年份写全、年月日俱全，如“2014年1月15日”",
                text,
                "成文日期应写作“2014年1月15日”的形式（GB/T 9704-2012 §7.3.5.4）",
            )
        elif not any(form.fullmatch(text) for form in _DOCGEN_DATES):
            yield finding(
                "date.signature_form",
                where,
                "“2014年1月15日”“2014年1月”或“二〇一四年一月”",
                text,
                "成文日期应写作年月日的形式，不用“-”“/”“.”分隔",
            )
    if p.jc != "right" and p.left_twips < 3000:
        yield finding(
            "date.signature_position",
            where,
            "右对齐（右空二字或四字）",
            {"left": "左对齐", "both": "两端对齐", "center": "居中"}.get(p.jc, p.jc),
            "成文日期应排在右下（署名之下，右空二字或四字）",
        )
