"""The Chinese Jinja filters: thin wrappers over :mod:`docgen.cn`, in one registry.

Every template docgen renders sees these filters::

    {{ 105|cn_number }}                    一百零五
    {{ 2014|cn_digits }}                   二〇一四
    {{ signature.date|cn_date('chinese') }} 二〇一四年一月十五日
    {{ "1409.50"|rmb_upper }}              人民币壹仟肆佰零玖元伍角
    {{ 3|circled }}                        ③
    {{ date|term }}                        2013学年第一学期
    {{ "三号"|font_size }}                 16.0
    {{ text|punct }}                       half-width , ; ( ) next to Chinese made full-width
    {{ term|week_monday(3) }}              2014-09-15 (a date: the Monday of 第3周)
    {{ term|week_range(3) }}               9月15日—9月19日 (Monday to Friday of 第3周)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from docgen.cn.calendar import Term
from docgen.cn.dates import format_date
from docgen.cn.numerals import chinese_digits, circled, rmb_upper, to_chinese
from docgen.cn.typography import font_size, normalize_punctuation
from docgen.errors import ConventionError
from docgen.i18n import lazy

__all__ = ["FILTERS"]


def cn_number(value: int | Decimal | str, financial: bool = False) -> str:
    """``{{ n|cn_number }}`` → 一百零五; ``cn_number(true)`` → 壹佰零伍.

    >>> cn_number(105), cn_number(10, True)
    ('一百零五', '壹拾')
    """
    return to_chinese(value, financial=financial)


def cn_date(value: _dt.date | _dt.datetime | str, style: str = "long") -> str:
    """``{{ d|cn_date('year_month') }}`` → 2014年1月.

    A date's text may be in any form :func:`docgen.cn.dates.parse_date` reads.

    >>> cn_date("2014-01-15", "chinese"), cn_date("2014年1月15日", "full")
    ('二〇一四年一月十五日', '2014年1月15日星期三')
    """
    return format_date(value, style)


def term(
    value: Term | _dt.date | _dt.datetime | str,
    year_style: str = "start",
    term_style: str = "ordinal",
) -> str:
    """``{{ d|term }}`` → the term a date falls in, or a Term's name in another style.

    A date's text may be in any form :func:`docgen.cn.dates.parse_date` reads.

    >>> term("2014-01-15"), term("2014年3月1日", "span", "half")
    ('2013学年第一学期', '2013—2014学年下学期')
    """
    if not isinstance(value, Term):
        value = Term.of(value)
    return value.name(year_style=year_style, term_style=term_style)


def _week_number(n: object, where: str) -> int:
    if isinstance(n, str) and n.strip().isdigit():
        n = int(n)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ConventionError(
            lazy("weeks of a term are counted from 1"),
            where=where,
            expected=lazy("a week number such as 3 (第3周)"),
            found=lazy("{n!r}, a {kind}", n=n, kind=type(n).__name__),
        )
    return n


def _monday(value: Term | None, n: int | str, where: str) -> _dt.date:
    week = _week_number(n, where)
    if not isinstance(value, Term):
        raise ConventionError(
            lazy("needs the term to count weeks in"),
            where=where,
            expected=lazy("term: {year: 2014, number: 1, start: 2014-09-01} in the data"),
            found=lazy("no term")
            if value is None
            else lazy("{value}, a {kind}", value=repr(value), kind=type(value).__name__),
        )
    if value.start is None:
        raise ConventionError(
            lazy("{value} has no start date, so its weeks cannot be counted", value=value),
            where=where,
            expected=lazy(
                "the term with the date it starts on, such as term: {{year: {year}, "
                "number: {number}, start: {n}-MM-DD}}",
                year=value.year,
                number=value.number,
                n=value.year + value.number - 1,
            ),
            found=lazy("term: {value}", value=value),
        )
    return value.monday_of_week(week)


def week_monday(value: Term | None, n: int | str) -> _dt.date:
    """``{{ term|week_monday(3) }}`` → the Monday of 第3周 of the term, a date.

    Week 1 is the Monday-to-Sunday week holding the term's start date (CONVENTIONS §4), so
    the term needs one: ``term: {year: 2014, number: 1, start: 2014-09-01}`` in the data.

    >>> week_monday(Term(2014, 1, start=_dt.date(2014, 9, 1)), 3)
    datetime.date(2014, 9, 15)
    >>> week_monday(Term(2014, 1, start=_dt.date(2014, 9, 3)), "1")  # a Wednesday start
    datetime.date(2014, 9, 1)
    >>> week_monday(Term(2014, 1), 3)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    docgen.errors.ConventionError: week_monday: 2014学年第一学期 has no start date, ...
    """
    return _monday(value, n, "week_monday")


def week_range(value: Term | None, n: int | str, days: int = 5, sep: str = "—") -> str:
    """``{{ term|week_range(3) }}`` → 9月15日—9月19日: Monday to Friday of 第3周 (行事历 dates).

    *days* counts from Monday (5: Monday–Friday, 7: the whole week); the two dates are joined
    by *sep*, the 连接号 — (U+2014) by default.  Months and days have no leading zero.

    >>> t = Term(2014, 1, start=_dt.date(2014, 9, 1))
    >>> week_range(t, 1), week_range(t, 3), week_range(t, 3, 7)
    ('9月1日—9月5日', '9月15日—9月19日', '9月15日—9月21日')
    >>> week_range(t, 9, days=1), week_range(t, 18, sep="～")
    ('10月27日', '12月29日～1月2日')
    >>> week_range(Term(2013, 2), 1)
    Traceback (most recent call last):
    ...
    docgen.errors.ConventionError: week_range: 2013学年第二学期 has no start date, so its weeks \
cannot be counted; expected the term with the date it starts on, such as term: {year: 2013, \
number: 2, start: 2014-MM-DD}; found term: 2013学年第二学期
    >>> week_range(None, 1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    docgen.errors.ConventionError: week_range: needs the term to count weeks in; ...
    """
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 7:
        raise ConventionError(
            lazy("shows 1 to 7 days of a week"),
            where="week_range(days)",
            expected=lazy("5 (Monday–Friday), 7 (the whole week) or another number from 1 to 7"),
            found=repr(days),
        )
    first = _monday(value, n, "week_range")
    last = first + _dt.timedelta(days=days - 1)
    start_text = f"{first.month}月{first.day}日"
    return start_text if days == 1 else f"{start_text}{sep}{last.month}月{last.day}日"


FILTERS: dict[str, Callable[..., Any]] = {
    "cn_number": cn_number,
    "cn_digits": chinese_digits,
    "cn_date": cn_date,
    "rmb_upper": rmb_upper,
    "circled": circled,
    "term": term,
    "font_size": font_size,
    "punct": normalize_punctuation,
    "week_monday": week_monday,
    "week_range": week_range,
}
"""Filter name → function; copied into every docgen Jinja environment."""
