"""docgen.cn.calendar: 学年, 学期 and 周次 (CONVENTIONS §4)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.cn.calendar import SchoolYear, Term, TermBoundaries
from docgen.errors import ConventionError, DocgenError
from tests.strategies import school_dates, term_boundaries


# --- placing a date in a term -------------------------------------------------
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2014, 1, 15), Term(2013, 1)),  # §4: January 2014 belongs to 2013学年第一学期
        (date(2014, 1, 31), Term(2013, 1)),
        (date(2014, 2, 1), Term(2013, 2)),
        (date(2014, 3, 1), Term(2013, 2)),
        (date(2014, 7, 10), Term(2013, 2)),  # summer belongs to the year it closes
        (date(2014, 8, 31), Term(2013, 2)),
        (date(2013, 9, 1), Term(2013, 1)),
        (date(2013, 12, 31), Term(2013, 1)),
        (datetime(2013, 9, 1, 8, 30), Term(2013, 1)),
    ],
)
def test_term_of_places_a_date_with_the_default_boundaries(day: date, expected: Term) -> None:
    assert expected == Term.of(day)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2013, 8, 26), Term(2013, 1)),
        (date(2013, 8, 24), Term(2012, 2)),
        (date(2014, 2, 16), Term(2013, 1)),
        (date(2014, 2, 17), Term(2013, 2)),
    ],
)
def test_term_of_follows_custom_boundaries(day: date, expected: Term) -> None:
    boundaries = TermBoundaries(first_term=(8, 25), second_term=(2, 17))
    assert expected == Term.of(day, boundaries)


@given(day=school_dates, boundaries=term_boundaries())
def test_term_of_is_consistent_with_the_boundaries(day: date, boundaries: TermBoundaries) -> None:
    term = Term.of(day, boundaries)
    month_day = (day.month, day.day)
    in_first = month_day >= boundaries.first_term or month_day < boundaries.second_term
    expected_year = day.year if month_day >= boundaries.first_term else day.year - 1
    assert (1 if in_first else 2, expected_year) == (term.number, term.year)
    assert SchoolYear(expected_year) == SchoolYear.of(day, boundaries) == term.school_year


@pytest.mark.parametrize(
    ("kwargs", "found"),
    [
        ({"first_term": (13, 1)}, "(13, 1)"),
        ({"first_term": (9, 31)}, "(9, 31)"),
        ({"second_term": (2,)}, "(2,)"),
        ({"second_term": "2-1"}, "'2-1'"),
        ({"first_term": (2, 1), "second_term": (9, 1)}, "second_term=(9, 1)"),
    ],
)
def test_term_boundaries_reject_bad_month_days(kwargs: dict[str, object], found: str) -> None:
    with pytest.raises(ConventionError) as info:
        TermBoundaries(**kwargs)
    assert found == info.value.found


def test_term_boundaries_accept_lists() -> None:
    assert TermBoundaries((9, 1), (2, 1)) == TermBoundaries([9, 1], [2, 1])


# --- school years -------------------------------------------------------------
@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("start", "2013学年"),
        ("span", "2013\u20142014学年"),
        ("span_du", "2013-2014学年度"),
    ],
)
def test_school_year_names_in_each_style(style: str, expected: str) -> None:
    assert expected == SchoolYear(2013).name(style)


def test_school_year_str_is_the_start_style() -> None:
    assert "2013学年" == str(SchoolYear(2013))


def test_school_year_knows_its_years_and_terms() -> None:
    year = SchoolYear(2013)
    assert (2013, 2014) == (year.start_year, year.end_year)
    assert (Term(2013, 1), Term(2013, 2)) == year.terms


def test_school_years_are_ordered_and_hashable() -> None:
    assert SchoolYear(2012) < SchoolYear(2013)
    assert {SchoolYear(2013)} == {SchoolYear(2013), SchoolYear(2013)}


@pytest.mark.parametrize("bad", ["2013", 2013.0, True, 0, 9999, None])
def test_school_year_rejects_what_is_not_a_year(bad: object) -> None:
    with pytest.raises(ConventionError, match=r"SchoolYear\.start_year"):
        SchoolYear(bad)  # type: ignore[arg-type]


def test_unknown_year_style_lists_the_styles() -> None:
    with pytest.raises(ConventionError) as info:
        SchoolYear(2013).name("long")
    assert "'start' or 'span' or 'span_du'" == info.value.expected
    assert "'long'" == info.value.found


# --- term names ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("term", "year_style", "term_style", "expected"),
    [
        (Term(2013, 1), "start", "ordinal", "2013学年第一学期"),
        (Term(2013, 2), "start", "ordinal", "2013学年第二学期"),
        (Term(2013, 1), "span", "ordinal", "2013\u20142014学年第一学期"),
        (Term(2013, 2), "span_du", "ordinal", "2013-2014学年度第二学期"),
        (Term(2013, 1), "start", "half", "2013学年上学期"),
        (Term(2013, 2), "start", "half", "2013学年下学期"),
        (Term(2013, 1), "start", "season", "2013学年秋季学期"),
        (Term(2013, 2), "span", "season", "2013\u20142014学年春季学期"),
        (Term(2013, 2), None, "ordinal", "第二学期"),
    ],
)
def test_term_names_in_each_style(
    term: Term, year_style: str | None, term_style: str, expected: str
) -> None:
    assert expected == term.name(year_style, term_style)


def test_term_str_is_the_default_name() -> None:
    assert "2013学年第一学期" == str(Term(2013, 1))


def test_unknown_term_style_is_named() -> None:
    with pytest.raises(ConventionError) as info:
        Term(2013, 1).name(term_style="spring")
    assert ("Term.name(term_style)", "'spring'") == (info.value.where, info.value.found)


@pytest.mark.parametrize("bad", [0, 3, -1, True, "1", 1.0])
def test_term_number_must_be_one_or_two(bad: object) -> None:
    with pytest.raises(ConventionError) as info:
        Term(2013, bad)  # type: ignore[arg-type]
    assert repr(bad) == info.value.found
    assert "Term.number" == info.value.where


def test_convention_errors_are_docgen_and_value_errors() -> None:
    with pytest.raises(DocgenError):
        Term(2013, 3)
    with pytest.raises(ValueError, match="two terms"):
        Term(2013, 3)


def test_terms_order_by_year_then_number() -> None:
    terms = [Term(2014, 1), Term(2013, 2), Term(2013, 1)]
    assert [Term(2013, 1), Term(2013, 2), Term(2014, 1)] == sorted(terms)


def test_term_start_is_not_compared() -> None:
    with_start = Term(2013, 1, start=date(2013, 9, 2))
    assert Term(2013, 1) == with_start
    assert hash(Term(2013, 1)) == hash(with_start)
    assert not Term(2013, 1) < with_start


@pytest.mark.parametrize(
    ("term", "start"),
    [(Term(2013, 1), date(2014, 2, 17)), (Term(2013, 2), date(2013, 9, 2))],
)
def test_term_start_must_fall_in_the_term_calendar_year(term: Term, start: date) -> None:
    with pytest.raises(ConventionError, match=r"Term\.start"):
        attrs.evolve(term, start=start)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2013学年第一学期", Term(2013, 1)),
        ("2013学年第二学期", Term(2013, 2)),
        ("2013\u20142014学年上学期", Term(2013, 1)),
        ("2013-2014学年度下学期", Term(2013, 2)),
        ("2013-2014学年度秋季学期", Term(2013, 1)),
        ("2013学年春季学期", Term(2013, 2)),
        (" 2013 — 2014 学年 第一学期 ", Term(2013, 1)),
    ],
)
def test_term_parse_accepts_each_naming_style(text: str, expected: Term) -> None:
    assert expected == Term.parse(text)


@given(
    year=st.integers(1900, 2100),
    number=st.sampled_from([1, 2]),
    year_style=st.sampled_from(["start", "span", "span_du"]),
    term_style=st.sampled_from(["ordinal", "half", "season"]),
)
def test_term_parse_reads_every_name_back(
    year: int, number: int, year_style: str, term_style: str
) -> None:
    term = Term(year, number)
    assert term == Term.parse(term.name(year_style, term_style))


@pytest.mark.parametrize(
    "text",
    ["2013学年第三学期", "2013-2015学年第一学期", "第一学期", "2013学年", "", "13学年第一学期"],
)
def test_term_parse_rejects_other_text(text: str) -> None:
    with pytest.raises(ConventionError, match=r"Term\.parse"):
        Term.parse(text)


# --- weeks of a term ----------------------------------------------------------
AUTUMN_2013 = Term(2013, 1, start=date(2013, 9, 2))  # a Monday
SPRING_2014 = Term(2013, 2, start=date(2014, 2, 19))  # a Wednesday


@pytest.mark.parametrize(
    ("term", "day", "expected"),
    [
        (AUTUMN_2013, date(2013, 9, 2), 1),
        (AUTUMN_2013, date(2013, 9, 8), 1),
        (AUTUMN_2013, date(2013, 9, 9), 2),
        (AUTUMN_2013, date(2013, 9, 18), 3),
        (AUTUMN_2013, date(2014, 1, 15), 20),
        (SPRING_2014, date(2014, 2, 17), 1),  # the Monday of the start's week is in week 1
        (SPRING_2014, date(2014, 2, 23), 1),
        (SPRING_2014, date(2014, 2, 24), 2),
    ],
)
def test_week_of_counts_from_the_monday_of_the_start_week(
    term: Term, day: date, expected: int
) -> None:
    assert expected == term.week_of(day)


@pytest.mark.parametrize(
    ("term", "n", "expected"),
    [
        (AUTUMN_2013, 1, date(2013, 9, 2)),
        (AUTUMN_2013, 3, date(2013, 9, 16)),
        (SPRING_2014, 1, date(2014, 2, 17)),
        (SPRING_2014, 2, date(2014, 2, 24)),
    ],
)
def test_monday_of_week_gives_the_week_monday(term: Term, n: int, expected: date) -> None:
    assert expected == term.monday_of_week(n)


def test_start_parameter_overrides_the_term_start() -> None:
    assert 1 == AUTUMN_2013.week_of(date(2013, 9, 9), start=date(2013, 9, 9))
    assert date(2013, 9, 9) == Term(2013, 1).monday_of_week(1, start=date(2013, 9, 11))


def test_week_of_before_the_first_week_is_an_error() -> None:
    with pytest.raises(ConventionError) as info:
        SPRING_2014.week_of(date(2014, 2, 16))
    assert ("a date on or after 2014-02-17", "2014-02-16") == (
        info.value.expected,
        info.value.found,
    )


@pytest.mark.parametrize("call", ["week_of", "monday_of_week"])
def test_counting_weeks_without_a_start_names_the_missing_start(call: str) -> None:
    argument = date(2013, 9, 9) if call == "week_of" else 1
    with pytest.raises(ConventionError) as info:
        getattr(Term(2013, 1), call)(argument)
    assert f"Term.{call}" == info.value.where
    assert "start=date(...) or Term(2013, 1, start=date(...))" == info.value.expected


@pytest.mark.parametrize("bad", [0, -1, True, 1.5])
def test_monday_of_week_counts_from_one(bad: object) -> None:
    with pytest.raises(ConventionError, match="counted from 1"):
        AUTUMN_2013.monday_of_week(bad)  # type: ignore[arg-type]


@given(
    start=school_dates,
    n=st.integers(1, 60),
    offset=st.integers(0, 6),
)
def test_week_of_inverts_monday_of_week(start: date, n: int, offset: int) -> None:
    term = Term.of(start)
    monday = term.monday_of_week(n, start=start)
    assert 0 == monday.weekday()
    assert n == term.week_of(monday, start=start)
    assert n == term.week_of(monday + timedelta(days=offset), start=start)


def test_dates_may_be_given_as_text_in_any_form_parse_date_reads() -> None:
    term = Term(2013, 1, start="2013年9月2日")
    assert date(2013, 9, 2) == term.start
    assert 3 == term.week_of("2013-09-18")
    assert Term(2013, 2) == Term.of("二〇一四年三月一日")


def test_a_start_that_is_not_a_date_names_the_field() -> None:
    with pytest.raises(ConventionError) as caught:
        Term(2013, 1, start="开学第一天")
    assert str(caught.value).startswith("Term.start: the text is not a date")
