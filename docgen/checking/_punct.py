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
from docgen.checking._model import CheckFinding, alignment_name, finding
from docgen.checking._read import ParaInfo
from docgen.cn.typography import normalize_punctuation
from docgen.i18n import _, ngettext

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
            yield finding(
                "punct.doubled",
                where,
                m.group()[0],
                m.group(),
                _("the punctuation “{marks}” is doubled", marks=m.group()),
            )
        if number is not None and (number["open"], number["close"]) != ("〔", "〕"):
            yield finding(
                "punct.doc_number",
                where,
                f"{number['org']}〔{number['year']}〕{number['num']}号",
                number.group(),
                _(
                    "the year of a document number (发文字号) goes in 〔〕 "
                    "(not in square or round brackets)"
                ),
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
        sep = _(", ")
        shown = sep.join(f"“{a}”" for _i, a, _b in marks[:5])
        expected = sep.join(f"“{b}”" for _i, _a, b in marks[:5])
        i = marks[0][0]
        context = text[max(0, i - 6) : i + 6].replace("\n", " ")
        yield finding(
            "punct.half_width",
            where,
            expected,
            _("{marks} (as in “{context}”)", marks=shown, context=context),
            ngettext(
                "{n} half-width punctuation mark in Chinese text: make it full-width",
                "{n} half-width punctuation marks in Chinese text: make them full-width",
                len(marks),
            ),
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
                _("“{opener}” paired with “{closer}”", opener=opener, closer=_PAIRS[opener]),
                _("“{opener}” with “{closer}”", opener=opener, closer=char),
                _("quotation marks unpaired or mixed")
                if code == "punct.mixed_quotes"
                else _("brackets unpaired, or full- and half-width mixed"),
            )
            return
        elif char in "“‘" and stack and stack[-1] == char:  # “…“: an opener where a closer belongs
            yield finding(
                "punct.mixed_quotes",
                where,
                _("“{opener}” paired with “{closer}”", opener=char, closer=_PAIRS[char]),
                _("two “{mark}”", mark=char),
                _("quotation marks unpaired: the opening and closing marks face the same way"),
            )
            return
    for form in ("“", "「"):
        if form in text:
            quote_forms.setdefault(form, where[0])
    if "“" in quote_forms and "「" in quote_forms and where[0] == max(quote_forms.values()):
        yield finding(
            "punct.mixed_quotes",
            where,
            _("“” throughout"),
            _("“” and 「」 mixed"),
            _("two kinds of quotation marks in one document"),
        )


def _dates(where: tuple[int, str], text: str) -> Iterator[CheckFinding]:
    m = _LEADING_ZERO.search(text)
    if m is not None:
        yield finding(
            "date.leading_zero",
            where,
            re.sub(r"(?<![0-9])0([1-9])", r"\1", m.group()),
            m.group(),
            _("no leading zero in a date's month or day (1月5日, not 01月05日)"),
        )
    for year in _CN_YEAR.finditer(text):
        digits = year.group()
        if any(c in "一二三四五六七八九" for c in digits) and any(c in "○零Oo0" for c in digits):
            yield finding(
                "date.zero",
                where,
                re.sub("[○零Oo0]", "〇", digits) + "年",
                digits + "年",
                _("the zero of a year is written 〇 (二〇一四年), not 零 or ○"),
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
                _("Arabic numerals, the full year, the year, month and day: as in “2014年1月15日”"),
                text,
                _("the signature date is written as in “2014年1月15日” (GB/T 9704-2012 §7.3.5.4)"),
            )
        elif not any(form.fullmatch(text) for form in _DOCGEN_DATES):
            yield finding(
                "date.signature_form",
                where,
                _("“2014年1月15日”, “2014年1月” or “二〇一四年一月”"),
                text,
                _("the signature date is written with 年, 月 and 日, not with “-”, “/” or “.”"),
            )
    if p.jc != "right" and p.left_twips < 3000:
        yield finding(
            "date.signature_position",
            where,
            _("right-aligned (two or four characters in from the right)"),
            alignment_name(p.jc),
            _(
                "the signature date stands at the bottom right (under the signature, two or "
                "four characters in from the right)"
            ),
        )
