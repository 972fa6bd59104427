"""Chinese dates: 2014年1月15日, 二〇一四年一月十五日, 星期三 and 票据 大写 dates, both ways.

:func:`format_date` writes a date in one of :data:`DATE_STYLES`; :func:`parse_date` reads any of
them back (and ISO 2014-01-15), so a date is parsed here and nowhere else.
Arabic-numeral styles come from Babel's zh_CN (CLDR) data; the Chinese-numeral and bill styles
are written here from :mod:`docgen.cn.numerals`, because CLDR has no pattern for them (its
zh_CN calendar prints months and days in Arabic digits only).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime

from docgen.cn.numerals import _describe, chinese_digits, from_chinese, to_chinese
from docgen.errors import ConventionError
from docgen.i18n import lazy

__all__ = ["DATE_STYLES", "format_date", "parse_date"]


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


@functools.cache
def _babel_formatter() -> Callable[[date, str], str]:
    """Babel's ``format_date`` for zh_CN (Babel and its locale data load on first use)."""
    from babel import Locale  # noqa: PLC0415 - about 15 ms at start-up, only when asked
    from babel.dates import format_date  # noqa: PLC0415

    locale = Locale.parse("zh_CN")

    def write(d: date, pattern: str) -> str:
        text: str = format_date(d, pattern, locale=locale)
        return text

    return write


def _babel(style: str) -> Callable[[date], str]:
    pattern = _BABEL_FORMATS[style]

    def write(d: date) -> str:
        return _babel_formatter()(d, pattern)

    return write


# The two styles a signature uses most, 2014年1月15日 (CLDR zh_CN "long": y年M月d日) and
# 2014年1月 (y年M月), hold numbers and fixed characters only: putting the numbers in gives
# exactly Babel's text (tests compare the two over every date Hypothesis draws, and check that
# CLDR's pattern is still y年M月d日), without loading Babel and its locale data, which costs a
# new process about 20 ms, more than the render itself.
def _long(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _year_month(d: date) -> str:
    return f"{d.year}年{d.month}月"


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
    "long": _long,
    "year_month": _year_month,
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
            lazy("unknown date style"),
            where=f"format_date(style={style!r})",
            expected=lazy("one of {allowed}", allowed=", ".join(DATE_STYLES)),
            found=repr(style),
        )
    where = f"format_date({d!r}, {style!r})"
    value, written = parse_date(d, where=where)
    if written in _YEAR_MONTH_STYLES and style not in _YEAR_MONTH_STYLES:
        raise ConventionError(
            lazy("the date has no day, and the {style} style writes one", style=style),
            where=where,
            expected=lazy("a date with its day, such as '2014-01-15'"),
            found=repr(d),
        )
    return write(value)


# --- reading dates back ----------------------------------------------------------------------

_CN_DIGITS = "〇○零Oo0一二三四五六七八九"  # 二〇一四; ○ and the letter O are common typing slips
_CN_UPTO_31 = "一二三四五六七八九十"
_BILL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_BILL_UNITS = _BILL_DIGITS + "拾"
_WEEKDAYS = "一二三四五六日"  # Monday first, as date.weekday() counts

# Full-width digits and letters are read as ASCII (text typed with a Chinese input method).
_FOLD = str.maketrans("０１２３４５６７８９Ｏｏ／－．", "0123456789Oo/-.")


#: How a date may be written: the pattern, the style of a full date and of a year and month.
_FORMS: tuple[tuple[re.Pattern[str], str, str | None], ...] = (
    # ISO 2014-01-15 and 2014-01; also 2014/1/15 and 2014.1.15 (one separator throughout)
    (
        re.compile(
            r"(?P<year>[0-9]{4})(?P<sep>[-/.])(?P<month>[0-9]{1,2})(?:(?P=sep)(?P<day>[0-9]{1,2}))?"
        ),
        "long",
        "year_month",
    ),
    # ISO basic 20140115
    (re.compile(r"(?P<year>[0-9]{4})(?P<month>[0-9]{2})(?P<day>[0-9]{2})"), "long", None),
    # 2014年1月15日 (or 15号), 2014年1月
    (
        re.compile(
            r"(?P<year>[0-9]{4})\s*年\s*(?P<month>[0-9]{1,2})\s*月(?:\s*(?P<day>[0-9]{1,2})\s*[日号])?"
        ),
        "long",
        "year_month",
    ),
    # 2014年1月15日星期三 (or 周三)
    (
        re.compile(
            r"(?P<year>[0-9]{4})\s*年\s*(?P<month>[0-9]{1,2})\s*月\s*(?P<day>[0-9]{1,2})\s*日"
            rf"\s*(?:星期|周)(?P<weekday>[{_WEEKDAYS}天])"
        ),
        "full",
        None,
    ),
    # 二〇一四年一月十五日, 二〇一四年一月
    (
        re.compile(
            rf"(?P<year>[{_CN_DIGITS}]{{4}})\s*年\s*(?P<month>[{_CN_UPTO_31}]{{1,2}})\s*月"
            rf"(?:\s*(?P<day>[{_CN_UPTO_31}]{{1,3}})\s*日)?"
        ),
        "chinese",
        "chinese_year_month",
    ),
    # 贰零壹肆年零壹月壹拾伍日 (票据)
    (
        re.compile(
            rf"(?P<year>[{_BILL_DIGITS}]{{4}})\s*年\s*(?P<month>[{_BILL_UNITS}]{{1,4}})\s*月"
            rf"\s*(?P<day>[{_BILL_UNITS}]{{1,4}})\s*日"
        ),
        "bill",
        None,
    ),
    # ISO week dates 2014-W03-3, 2014W033 and 2014-W03 (its Monday)
    (
        re.compile(r"(?P<year>[0-9]{4})(-?)W(?P<week>[0-9]{2})(?:\2(?P<weekday>[1-7]))?"),
        "long",
        None,
    ),
)

_EXPECTED = (
    "a date, a datetime or an ISO date str such as '2014-01-15' (or '2014-01', '2014/1/15',"
    " '2014年1月15日', '2014年1月', '二〇一四年一月十五日', '贰零壹肆年零壹月壹拾伍日')"
)


def _number(text: str) -> int:
    """A year, month or day written in Arabic digits, 二〇一四-style digits or numerals."""
    if text.isascii():
        return int(text)
    if len(text) == 4 and all(c in _CN_DIGITS or c in _BILL_DIGITS for c in text):
        return int("".join(str(_digit(c)) for c in text))
    return int(from_chinese(text))


def _digit(char: str) -> int:
    if char in _BILL_DIGITS:
        return _BILL_DIGITS.index(char)
    return 0 if char in "〇○零Oo0" else "一二三四五六七八九".index(char) + 1


def _from_match(match: re.Match[str]) -> date:
    """The date a matched form names; ValueError when the calendar has no such date."""
    fields = match.groupdict()
    year = _number(fields["year"])
    if fields.get("week") is not None:
        return date.fromisocalendar(year, int(fields["week"]), int(fields["weekday"] or 1))
    day = fields.get("day")
    value = date(year, _number(fields["month"]), _number(day) if day else 1)
    weekday = fields.get("weekday")
    if weekday is not None and _WEEKDAYS.index(weekday.replace("天", "日")) != value.weekday():
        raise ValueError(f"{value.isoformat()} is a 星期{_WEEKDAYS[value.weekday()]}")
    return value


def parse_date(value: date | datetime | str, *, where: str = "parse_date") -> tuple[date, str]:
    """Read a date written in any of :data:`DATE_STYLES` (or ISO), and the style it was in.

    Accepted: a date; a datetime (its time is ignored); ISO ``2014-01-15``, ``2014-1-5``,
    ``20140115`` and week dates ``2014-W03-3``; ``2014/1/15`` and ``2014.1.15``;
    ``2014年1月15日`` (or ``15号``), ``2014年1月15日星期三``, ``二〇一四年一月十五日`` and the
    bill style ``贰零壹肆年零壹月壹拾伍日``.  A year and month without a day (``2014-01``,
    ``2014年1月``, ``二〇一四年一月``) is the 1st of that month, in the ``year_month`` or
    ``chinese_year_month`` style.  Spaces around the text and around 年月日, and full-width
    digits, are allowed.  Years have four digits.

    Args:
        value: the date or its text.
        where: the place named in an error (a field path, a function call).

    Returns:
        The date and the name of the style it was written in, from :data:`DATE_STYLES`;
        ISO and ``2014/1/15`` count as ``long`` (``year_month`` without a day), and a date or
        datetime object as ``long``.

    Raises:
        ConventionError: a value that is not a date, a text in no known form, or a date the
            calendar does not have (2014-02-30, a weekday that does not match).

    >>> parse_date("2014年1月15日")
    (datetime.date(2014, 1, 15), 'long')
    >>> parse_date("2014-01")
    (datetime.date(2014, 1, 1), 'year_month')
    >>> parse_date("二〇一四年一月")
    (datetime.date(2014, 1, 1), 'chinese_year_month')
    >>> parse_date("贰零壹肆年零壹拾月零贰拾日")
    (datetime.date(2014, 10, 20), 'bill')
    >>> parse_date(datetime(2014, 1, 15, 8, 30))
    (datetime.date(2014, 1, 15), 'long')
    >>> parse_date("2014-02-30", where="Signature.date")
    Traceback (most recent call last):
    ...
    docgen.errors.ConventionError: Signature.date: the text is not a date in the calendar \
(day is out of range for month); expected a date, a datetime or an ISO date str such as \
'2014-01-15' (or '2014-01', '2014/1/15', '2014年1月15日', '2014年1月', '二〇一四年一月十五日', \
'贰零壹肆年零壹月壹拾伍日'); found '2014-02-30'
    """
    if isinstance(value, datetime):
        return value.date(), "long"
    if isinstance(value, date):
        return value, "long"
    if not isinstance(value, str):
        raise ConventionError(
            lazy("this value is not a date"),
            where=where,
            expected=_EXPECTED,
            found=_describe(value),
        )
    text = value.strip().translate(_FOLD)
    for form, style, without_day in _FORMS:
        match = form.fullmatch(text)
        if match is None:
            continue
        try:
            parsed = _from_match(match)
        except (ValueError, ConventionError) as error:
            reason = error.message if isinstance(error, ConventionError) else str(error)
            raise ConventionError(
                lazy("the text is not a date in the calendar ({reason})", reason=reason),
                where=where,
                expected=_EXPECTED,
                found=repr(value),
            ) from None
        if without_day is not None and match["day"] is None:
            return parsed, without_day
        return parsed, style
    raise ConventionError(
        lazy("the text is not a date"), where=where, expected=_EXPECTED, found=repr(value)
    )
