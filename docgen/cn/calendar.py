"""The school calendar: 学年 (school year), 学期 (term) and 周次 (week of term).

A 学年 starts in September and is named by its starting year (CONVENTIONS §4). Its first term
(第一学期, autumn) runs September – January, its second (第二学期, spring) February – August:
the summer holiday belongs to the second term, i.e. to the end of the school year it closes.
Which term a date falls in is decided by :class:`TermBoundaries`; the real first day of a term
differs by region and year, so it is data the user gives (``Term(2013, 1, start=...)``) and is
only needed for counting weeks (:meth:`Term.week_of`).

>>> from datetime import date
>>> term = Term.of(date(2014, 1, 15))
>>> str(term)
'2013学年第一学期'
>>> term.name("span", "half")
'2013—2014学年上学期'
>>> Term(2013, 1, start=date(2013, 9, 2)).week_of(date(2013, 9, 18))
3
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

import attrs

from docgen.cn.dates import parse_date
from docgen.errors import ConventionError
from docgen.i18n import Message, lazy, lazy_or

__all__ = ["TERM_STYLES", "YEAR_STYLES", "SchoolYear", "Term", "TermBoundaries"]

#: How a school year is named, by style; ``{start}`` and ``{end}`` are its two calendar years.
#: ``"start"`` (the default, as in the Shanghai example) names it by the year it starts in.
YEAR_STYLES: Mapping[str, str] = MappingProxyType(
    {
        "start": "{start}学年",
        "span": "{start}\u2014{end}学年",  # em dash U+2014
        "span_du": "{start}-{end}学年度",
    }
)

#: How a term is named, by style and term number. ``"ordinal"`` is the default.
TERM_STYLES: Mapping[str, Mapping[int, str]] = MappingProxyType(
    {
        "ordinal": MappingProxyType({1: "第一学期", 2: "第二学期"}),
        "half": MappingProxyType({1: "上学期", 2: "下学期"}),
        "season": MappingProxyType({1: "秋季学期", 2: "春季学期"}),
    }
)

_MIN_YEAR = 1
_MAX_YEAR = 9998  # the school year's end year must still be a valid date year


def _describe(value: object) -> Message:
    return lazy("{value}, a {kind}", value=repr(value), kind=type(value).__name__)


def _check_year(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    where = f"{type(instance).__name__}.{attribute.name}"
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConventionError(
            lazy("a school year is named by its starting year"),
            where=where,
            expected=lazy("an int such as 2013"),
            found=_describe(value),
        )
    if not _MIN_YEAR <= value <= _MAX_YEAR:
        raise ConventionError(
            lazy("the starting year is out of range"),
            where=where,
            expected=lazy("{MIN_YEAR}..{MAX_YEAR}", MIN_YEAR=_MIN_YEAR, MAX_YEAR=_MAX_YEAR),
            found=repr(value),
        )


def _as_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _check_month_day(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    ok = False
    if isinstance(value, tuple) and len(value) == 2:
        month, day = value
        ok = all(isinstance(part, int) and not isinstance(part, bool) for part in value)
        try:
            date(2000, month, day)  # 2000 is a leap year, so (2, 29) is accepted
        except (TypeError, ValueError):
            ok = False
    if not ok:
        raise ConventionError(
            lazy("a term boundary is a (month, day) pair"),
            where=f"{type(instance).__name__}.{attribute.name}",
            expected=lazy("a valid (month, day) such as (9, 1)"),
            found=repr(value),
        )


def _check_style(style: str, styles: Mapping[str, object], where: str) -> None:
    if style not in styles:
        raise ConventionError(
            lazy("unknown naming style"),
            where=where,
            expected=lazy_or(repr(name) for name in styles),
            found=repr(style),
        )


def _as_date(value: date | str, where: str) -> date:
    """A date, a datetime or a date's text (any form :func:`parse_date` reads) as a date."""
    return parse_date(value, where=where)[0]


def _optional_date(value: date | str | None) -> date | None:
    return None if value is None else _as_date(value, "Term.start")


@attrs.frozen
class TermBoundaries:
    """The (month, day) on which each term begins, used only to *place* a date in a term.

    A date on or after ``first_term`` (default 9月1日) is in the first term of the school year
    starting that calendar year; a date before ``second_term`` (default 2月1日) is in the first
    term of the school year that started the year before; anything in between (February –
    August, summer included) is in the second term. ``second_term`` must come before
    ``first_term`` in the calendar year.

    >>> TermBoundaries()
    TermBoundaries(first_term=(9, 1), second_term=(2, 1))
    >>> TermBoundaries(first_term=(8, 25), second_term=(2, 15)).place(date(2014, 2, 10))
    (2013, 1)
    """

    first_term: tuple[int, int] = attrs.field(
        default=(9, 1), converter=_as_tuple, validator=_check_month_day
    )
    second_term: tuple[int, int] = attrs.field(
        default=(2, 1), converter=_as_tuple, validator=_check_month_day
    )

    def __attrs_post_init__(self) -> None:
        if not self.second_term < self.first_term:
            raise ConventionError(
                lazy("the second term must start earlier in the calendar year than the first"),
                where="TermBoundaries",
                expected=lazy(
                    "second_term before first_term {first_term}", first_term=self.first_term
                ),
                found=lazy("second_term={second_term}", second_term=self.second_term),
            )

    def place(self, d: date | str) -> tuple[int, int]:
        """The (school year start, term number) that date *d* falls in."""
        d = _as_date(d, "TermBoundaries.place")
        month_day = (d.month, d.day)
        if month_day >= self.first_term:
            return d.year, 1
        if month_day < self.second_term:
            return d.year - 1, 1
        return d.year - 1, 2


_DEFAULT_BOUNDARIES = TermBoundaries()


@attrs.frozen(order=True)
class SchoolYear:
    """A 学年, named by the calendar year it starts in.

    >>> year = SchoolYear(2013)
    >>> str(year), year.name("span"), year.name("span_du")
    ('2013学年', '2013—2014学年', '2013-2014学年度')
    >>> SchoolYear.of(date(2014, 3, 1)) == year
    True
    """

    start_year: int = attrs.field(validator=_check_year)

    @classmethod
    def of(cls, d: date | str, boundaries: TermBoundaries = _DEFAULT_BOUNDARIES) -> SchoolYear:
        """The school year that date *d* falls in."""
        return cls(boundaries.place(d)[0])

    @property
    def end_year(self) -> int:
        """The calendar year the school year ends in."""
        return self.start_year + 1

    @property
    def terms(self) -> tuple[Term, Term]:
        """The year's first and second term."""
        return Term(self.start_year, 1), Term(self.start_year, 2)

    def name(self, style: str = "start") -> str:
        """The year's name in one of :data:`YEAR_STYLES` ("start", "span", "span_du")."""
        _check_style(style, YEAR_STYLES, "SchoolYear.name(style)")
        return YEAR_STYLES[style].format(start=self.start_year, end=self.end_year)

    def __str__(self) -> str:
        return self.name()


def _check_term_number(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in (1, 2):
        raise ConventionError(
            lazy("a school year has two terms"),
            where="Term.number",
            expected=lazy("1 (第一学期) or 2 (第二学期)"),
            found=repr(value),
        )


def _check_start(instance: Term, attribute: attrs.Attribute[Any], start: date | None) -> None:
    if start is None:
        return
    # A first term starts in the school year's first calendar year, a second term in its second.
    expected_year = instance.year + instance.number - 1
    if start.year != expected_year:
        raise ConventionError(
            lazy("the start date does not fall in {instance}", instance=instance),
            where="Term.start",
            expected=lazy("a date in {expected_year}", expected_year=expected_year),
            found=start.isoformat(),
        )


_YEAR_PATTERN = r"(?P<start>\d{4})(?:\s*[-\u2010-\u2015－~～至]\s*(?P<end>\d{4}))?\s*学年度?"
_TERM_NAMES: Mapping[str, int] = MappingProxyType(
    {name: number for names in TERM_STYLES.values() for number, name in names.items()}
)
_TERM_RE = re.compile(
    rf"\s*{_YEAR_PATTERN}\s*(?:的\s*)?(?P<term>{'|'.join(map(re.escape, _TERM_NAMES))})\s*"
)


@attrs.frozen(order=True)
class Term:
    """One 学期 of a school year: ``Term(2013, 1)`` is 2013学年第一学期.

    ``start``, the date the term begins, is optional data that only :meth:`week_of` and
    :meth:`monday_of_week` need; it takes no part in comparisons, so
    ``Term(2013, 1, start=date(2013, 9, 2)) == Term(2013, 1)``.

    >>> Term(2013, 2).name("span_du", "season")
    '2013-2014学年度春季学期'
    >>> Term.parse("2013—2014学年下学期")
    Term(year=2013, number=2, start=None)
    >>> Term(2013, 3)
    Traceback (most recent call last):
    ...
    docgen.errors.ConventionError: Term.number: a school year has two terms; expected 1 (第一学期) or 2 (第二学期); found 3
    """  # noqa: E501

    year: int = attrs.field(validator=_check_year)
    number: int = attrs.field(validator=_check_term_number)
    start: date | None = attrs.field(
        default=None, kw_only=True, eq=False, converter=_optional_date, validator=_check_start
    )

    @classmethod
    def of(cls, d: date | str, boundaries: TermBoundaries = _DEFAULT_BOUNDARIES) -> Term:
        """The term that date *d* falls in.

        >>> Term.of(date(2014, 1, 15)), Term.of(date(2014, 3, 1)), Term.of(date(2013, 9, 1))
        (Term(year=2013, number=1, start=None), Term(year=2013, number=2, start=None),
         Term(year=2013, number=1, start=None))
        """
        return cls(*boundaries.place(d))

    @classmethod
    def parse(cls, text: str) -> Term:
        """Read a term name written in any of the naming styles.

        >>> Term.parse("2013学年第一学期") == Term.parse("2013-2014学年度秋季学期") == Term(2013, 1)
        True
        """
        match = _TERM_RE.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise ConventionError(
                lazy("not a term name"),
                where="Term.parse",
                expected=lazy(
                    "a name such as 2013学年第一学期, 2013—2014学年上学期 or "
                    "2013-2014学年度秋季学期"
                ),
                found=repr(text),
            )
        start = int(match["start"])
        if match["end"] is not None and int(match["end"]) != start + 1:
            raise ConventionError(
                lazy("a school year spans two consecutive years"),
                where="Term.parse",
                expected=lazy("{start}-{n}", start=start, n=start + 1),
                found=lazy("{match}-{match2}", match=match["start"], match2=match["end"]),
            )
        return cls(start, _TERM_NAMES[match["term"]])

    @property
    def school_year(self) -> SchoolYear:
        """The school year this term belongs to."""
        return SchoolYear(self.year)

    def name(self, year_style: str | None = "start", term_style: str = "ordinal") -> str:
        """The term's name: a :data:`YEAR_STYLES` year name then a :data:`TERM_STYLES` term name.

        ``year_style=None`` gives the term name alone.

        >>> Term(2013, 1).name(None, "half")
        '上学期'
        """
        _check_style(term_style, TERM_STYLES, "Term.name(term_style)")
        year = "" if year_style is None else self.school_year.name(year_style)
        return year + TERM_STYLES[term_style][self.number]

    def __str__(self) -> str:
        return self.name()

    def _week_one_monday(self, given: date | str | None, where: str) -> date:
        start = self.start if given is None else _as_date(given, f"{where}(start)")
        if start is None:
            raise ConventionError(
                lazy("counting weeks needs the date {self} starts on", self=self),
                where=where,
                expected=lazy(
                    "start=date(...) or Term({year}, {number}, start=date(...))",
                    year=self.year,
                    number=self.number,
                ),
                found=lazy("no start date"),
            )
        return start - timedelta(days=start.weekday())

    def week_of(self, d: date | str, *, start: date | str | None = None) -> int:
        """The 周次 of date *d*: week 1 is the Monday-to-Sunday week holding the term's start.

        *start* defaults to the term's own ``start``. Dates before the Monday of week 1 are an
        error; there is no upper limit, since the term's end is not known.

        >>> Term(2013, 2).week_of(date(2014, 2, 24), start=date(2014, 2, 17))
        2
        """
        monday = self._week_one_monday(start, "Term.week_of")
        d = _as_date(d, "Term.week_of(d)")
        if d < monday:
            raise ConventionError(
                lazy("the date is before the first week of {self}", self=self),
                where="Term.week_of",
                expected=lazy("a date on or after {isoformat}", isoformat=monday.isoformat()),
                found=d.isoformat(),
            )
        return (d - monday).days // 7 + 1

    def monday_of_week(self, n: int, *, start: date | str | None = None) -> date:
        """The Monday of week *n* (counted from 1), the inverse of :meth:`week_of`.

        >>> Term(2013, 1, start=date(2013, 9, 2)).monday_of_week(3)
        datetime.date(2013, 9, 16)
        """
        monday = self._week_one_monday(start, "Term.monday_of_week")
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ConventionError(
                lazy("weeks are counted from 1"),
                where="Term.monday_of_week(n)",
                expected=lazy("an int ≥ 1"),
                found=_describe(n),
            )
        return monday + timedelta(weeks=n - 1)
