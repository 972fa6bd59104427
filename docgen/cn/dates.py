"""Chinese dates: 2014年1月15日, 二〇一四年一月十五日, 星期三 and 票据 大写 dates.

Arabic-numeral styles come from Babel's zh_CN (CLDR) data; the Chinese-numeral and bill styles
are written here from :mod:`docgen.cn.numerals`, because CLDR has no pattern for them (its
zh_CN calendar prints months and days in Arabic digits only).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date as babel_format_date

from docgen.cn.numerals import _describe, chinese_digits, to_chinese
from docgen.errors import ConventionError

__all__ = ["DATE_STYLES", "format_date"]

_LOCALE = Locale.parse("zh_CN")

# Styles backed by Babel: style name → CLDR format name or pattern.
_BABEL_FORMATS: dict[str, str] = {
    "long": "long",  # 2014年1月15日
    "year_month": "y年M月",  # 2014年1月
    "full": "full",  # 2014年1月15日星期三
    "weekday": "EEEE",  # 星期三
    "short_weekday": "EEE",  # 周三
}

# Bill dates (支付结算办法): months 壹, 贰, 壹拾 and days 壹–玖, 壹拾, 贰拾, 叁拾 take a leading
# 零; days 拾壹–拾玖 take a leading 壹, which 大写 numerals write anyway (11 → 壹拾壹).
_BILL_ZERO = "零"
_BILL_MONTHS_WITH_ZERO = frozenset({1, 2, 10})
_BILL_DAYS_WITH_ZERO = frozenset({*range(1, 11), 20, 30})

# Styles that need only a year and a month, so "2014-01" is enough for them.
_YEAR_MONTH_STYLES = frozenset({"year_month", "chinese_year_month"})

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})(?:-([0-9]{1,2}))?")


def _babel(style: str) -> Callable[[date], str]:
    pattern = _BABEL_FORMATS[style]

    def write(d: date) -> str:
        return babel_format_date(d, pattern, locale=_LOCALE)

    return write


def _chinese(d: date) -> str:
    return f"{chinese_digits(d.year)}年{to_chinese(d.month)}月{to_chinese(d.day)}日"


def _chinese_year_month(d: date) -> str:
    return f"{chinese_digits(d.year)}年{to_chinese(d.month)}月"


def _bill(d: date) -> str:
    year = "".join(to_chinese(int(digit), financial=True) for digit in str(d.year))
    month = to_chinese(d.month, financial=True)
    day = to_chinese(d.day, financial=True)
    if d.month in _BILL_MONTHS_WITH_ZERO:
        month = _BILL_ZERO + month
    if d.day in _BILL_DAYS_WITH_ZERO:
        day = _BILL_ZERO + day
    return f"{year}年{month}月{day}日"


_STYLES: dict[str, Callable[[date], str]] = {
    "long": _babel("long"),
    "year_month": _babel("year_month"),
    "full": _babel("full"),
    "chinese": _chinese,
    "chinese_year_month": _chinese_year_month,
    "weekday": _babel("weekday"),
    "short_weekday": _babel("short_weekday"),
    "bill": _bill,
}

DATE_STYLES: tuple[str, ...] = tuple(_STYLES)
"""The style names :func:`format_date` accepts; ``long`` is the default (GB/T 9704 成文日期)."""


def format_date(d: date | datetime | str, style: str = "long") -> str:
    """Write a date the Chinese way in one of :data:`DATE_STYLES`.

    Styles: ``long`` 2014年1月15日 (the default, as GB/T 9704-2012 signs 成文日期),
    ``year_month`` 2014年1月, ``full`` 2014年1月15日星期三, ``chinese`` 二〇一四年一月十五日,
    ``chinese_year_month`` 二〇一四年一月, ``weekday`` 星期三, ``short_weekday`` 周三 and
    ``bill`` 贰零壹肆年零壹月壹拾伍日 (票据出票日期, 支付结算办法).

    Args:
        d: a date, a datetime (its time is ignored) or an ISO str ``"2014-01-15"``; one-digit
            months and days (``"2014-1-5"``) are accepted, and ``"2014-01"`` is enough for
            ``year_month`` and ``chinese_year_month``.
        style: one of :data:`DATE_STYLES`.

    Returns:
        The formatted date.

    Raises:
        ConventionError: an unknown style, or a value that is not a date.

    >>> format_date(date(2014, 1, 15))
    '2014年1月15日'
    >>> format_date("2014-01-15", "full")
    '2014年1月15日星期三'
    >>> format_date(date(2014, 10, 20), "chinese")
    '二〇一四年十月二十日'
    >>> format_date("2014-01", "chinese_year_month")
    '二〇一四年一月'
    >>> format_date(date(2014, 1, 15), "short_weekday")
    '周三'
    >>> format_date(date(2014, 10, 20), "bill")
    '贰零壹肆年零壹拾月零贰拾日'
    """
    write = _STYLES.get(style) if isinstance(style, str) else None
    if write is None:
        raise ConventionError(
            "unknown date style",
            where=f"format_date(style={style!r})",
            expected="one of " + ", ".join(DATE_STYLES),
            found=repr(style),
        )
    return write(_as_date(d, style))


def _as_date(value: object, style: str) -> date:
    """Turn the input of :func:`format_date` into a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    where = f"format_date({value!r}, {style!r})"
    expected = "a date, a datetime or an ISO date str such as '2014-01-15'"
    if style in _YEAR_MONTH_STYLES:
        expected += " (or '2014-01')"
    if not isinstance(value, str):
        raise ConventionError(
            "this value is not a date",
            where=where,
            expected=expected,
            found=_describe(value),
        )
    match = _ISO_DATE.fullmatch(value.strip())
    if match is None or (match[3] is None and style not in _YEAR_MONTH_STYLES):
        raise ConventionError(
            "the text is not a date", where=where, expected=expected, found=repr(value)
        )
    try:
        return date(int(match[1]), int(match[2]), int(match[3] or 1))
    except ValueError as error:
        raise ConventionError(
            f"the text is not a date in the calendar ({error})",
            where=where,
            expected=expected,
            found=repr(value),
        ) from error
