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

__all__ = ["FILTERS"]


def cn_number(value: int | Decimal | str, financial: bool = False) -> str:
    """``{{ n|cn_number }}`` → 一百零五; ``cn_number(true)`` → 壹佰零伍.

    >>> cn_number(105), cn_number(10, True)
    ('一百零五', '壹拾')
    """
    return to_chinese(value, financial=financial)


def cn_date(value: _dt.date | _dt.datetime | str, style: str = "long") -> str:
    """``{{ d|cn_date('year_month') }}`` → 2014年1月.

    >>> cn_date("2014-01-15", "chinese")
    '二〇一四年一月十五日'
    """
    return format_date(value, style)


def term(
    value: Term | _dt.date | _dt.datetime | str,
    year_style: str = "start",
    term_style: str = "ordinal",
) -> str:
    """``{{ d|term }}`` → the term a date falls in, or a Term's name in another style.

    >>> term("2014-01-15")
    '2013学年第一学期'
    """
    if not isinstance(value, Term):
        if isinstance(value, str):
            value = _dt.date.fromisoformat(value)
        value = Term.of(value)
    return value.name(year_style=year_style, term_style=term_style)


FILTERS: dict[str, Callable[..., Any]] = {
    "cn_number": cn_number,
    "cn_digits": chinese_digits,
    "cn_date": cn_date,
    "rmb_upper": rmb_upper,
    "circled": circled,
    "term": term,
    "font_size": font_size,
    "punct": normalize_punctuation,
}
"""Filter name → function; copied into every docgen Jinja environment."""
