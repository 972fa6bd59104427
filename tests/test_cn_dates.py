"""docgen.cn.dates against CONVENTIONS §2 (bill dates) and §3 (dates)."""

from __future__ import annotations

import warnings
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import docgen.cn
from docgen.cn import DATE_STYLES, format_date, from_chinese, parse_date
from docgen.errors import ConventionError
from tests.strategies import any_dates

JAN_15 = date(2014, 1, 15)


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("long", "2014年1月15日"),
        ("full", "2014年1月15日星期三"),
        ("weekday", "星期三"),
        ("short_weekday", "周三"),
        ("year_month", "2014年1月"),
        ("chinese", "二〇一四年一月十五日"),
        ("chinese_year_month", "二〇一四年一月"),
        ("bill", "贰零壹肆年零壹月壹拾伍日"),
    ],
)
def test_every_style_writes_the_conventions_example(style: str, expected: str) -> None:
    assert expected == format_date(JAN_15, style)


def test_the_default_style_is_the_gbt9704_arabic_date() -> None:
    expected = "2014年1月15日"
    assert expected == format_date(JAN_15)


def test_date_styles_lists_every_style_once() -> None:
    expected = (
        "long",
        "year_month",
        "full",
        "chinese",
        "chinese_year_month",
        "weekday",
        "short_weekday",
        "bill",
    )
    assert expected == DATE_STYLES


@pytest.mark.parametrize(
    ("d", "style", "expected"),
    [
        (date(2014, 1, 5), "long", "2014年1月5日"),
        (date(2014, 9, 1), "year_month", "2014年9月"),
        (date(2014, 1, 5), "full", "2014年1月5日星期日"),
    ],
)
def test_arabic_months_and_days_have_no_leading_zero(d: date, style: str, expected: str) -> None:
    assert expected == format_date(d, style)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2014, 10, 20), "二〇一四年十月二十日"),
        (date(2014, 11, 11), "二〇一四年十一月十一日"),
        (date(2014, 12, 31), "二〇一四年十二月三十一日"),
        (date(2000, 2, 10), "二〇〇〇年二月十日"),
        (date(2014, 3, 1), "二〇一四年三月一日"),
    ],
)
def test_chinese_dates_count_months_and_days_and_read_the_year_digit_by_digit(
    d: date, expected: str
) -> None:
    assert expected == format_date(d, "chinese")


def test_chinese_year_month_has_no_day() -> None:
    expected = "二〇一四年十月"
    assert expected == format_date(date(2014, 10, 20), "chinese_year_month")


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        # the three examples of CONVENTIONS §2 / 支付结算办法
        (date(2014, 1, 15), "贰零壹肆年零壹月壹拾伍日"),
        (date(2014, 10, 20), "贰零壹肆年零壹拾月零贰拾日"),
        (date(2014, 2, 12), "贰零壹肆年零贰月壹拾贰日"),
    ],
)
def test_bill_dates_follow_the_payment_rules_examples(d: date, expected: str) -> None:
    assert expected == format_date(d, "bill")


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        (1, "零壹月"),
        (2, "零贰月"),
        (3, "叁月"),
        (9, "玖月"),
        (10, "零壹拾月"),
        (11, "壹拾壹月"),
        (12, "壹拾贰月"),
    ],
)
def test_bill_months_one_two_and_ten_take_a_leading_ling(month: int, expected: str) -> None:
    assert expected in format_date(date(2014, month, 28), "bill")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (1, "零壹日"),
        (9, "零玖日"),
        (10, "零壹拾日"),
        (20, "零贰拾日"),
        (30, "零叁拾日"),
        (11, "壹拾壹日"),
        (19, "壹拾玖日"),
        (21, "贰拾壹日"),
        (31, "叁拾壹日"),
    ],
)
def test_bill_days_take_ling_below_ten_and_on_round_tens_and_yi_in_the_teens(
    day: int, expected: str
) -> None:
    assert format_date(date(2014, 3, day), "bill").endswith("月" + expected)


def test_bill_years_are_written_digit_by_digit_with_ling_for_zero() -> None:
    assert format_date(date(2020, 5, 5), "bill").startswith("贰零贰零年")


@pytest.mark.parametrize(
    "value",
    [
        datetime(2014, 1, 15, 23, 59),
        "2014-01-15",
        " 2014-01-15 ",
        "2014-1-15",
        # every form parse_date reads, as in data files (the same forms everywhere)
        "2014/01/15",
        "2014年1月15日",
        "二〇一四年一月十五日",
    ],
)
def test_datetimes_and_date_strings_are_accepted(value: datetime | str) -> None:
    expected = "2014年1月15日"
    assert expected == format_date(value)


@pytest.mark.parametrize(
    ("style", "expected"), [("year_month", "2014年1月"), ("chinese_year_month", "二〇一四年一月")]
)
def test_a_year_and_month_are_enough_for_the_year_month_styles(style: str, expected: str) -> None:
    assert expected == format_date("2014-01", style)


@pytest.mark.parametrize("style", ["long", "chinese", "bill", "weekday"])
def test_a_year_and_month_are_not_enough_for_styles_with_a_day(style: str) -> None:
    with pytest.raises(ConventionError, match="'2014-01-15'") as caught:
        format_date("2014-01", style)
    assert "found '2014-01'" in str(caught.value)


@pytest.mark.parametrize("value", ["15.1.2014", "2014-01/15", "", "tomorrow"])
def test_a_str_that_is_not_a_date_is_refused_naming_it_and_the_form(value: str) -> None:
    with pytest.raises(ConventionError) as caught:
        format_date(value)
    message = str(caught.value)
    assert repr(value) in message
    assert "ISO date str such as '2014-01-15'" in message


def test_a_date_missing_from_the_calendar_is_refused() -> None:
    with pytest.raises(ConventionError, match="not a date in the calendar"):
        format_date("2014-02-30")


@pytest.mark.parametrize("value", [20140115, None, 2014.0])
def test_values_that_are_not_dates_are_refused(value: object) -> None:
    with pytest.raises(ConventionError, match="not a date"):
        format_date(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("style", ["LONG", "medium", "", None])
def test_an_unknown_style_is_refused_listing_the_styles(style: object) -> None:
    with pytest.raises(ConventionError) as caught:
        format_date(JAN_15, style)  # type: ignore[arg-type]
    assert "one of " + ", ".join(DATE_STYLES) in str(caught.value)


@pytest.mark.parametrize("style", DATE_STYLES)
def test_babel_raises_no_warning_for_any_style(style: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        format_date(JAN_15, style)
        format_date(datetime(2014, 1, 15, 8), style)
    assert not caught, [str(w.message) for w in caught]


@given(any_dates)
def test_arabic_dates_read_year_month_and_day_without_padding(d: date) -> None:
    assert f"{d.year}年{d.month}月{d.day}日" == format_date(d)


@given(any_dates)
def test_chinese_dates_read_back_through_from_chinese(d: date) -> None:
    year, rest = format_date(d, "chinese").split("年")
    month, day = rest.removesuffix("日").split("月")
    assert (d.year, d.month, d.day) == (from_chinese(year), from_chinese(month), from_chinese(day))


@given(any_dates)
def test_bill_dates_read_back_through_from_chinese(d: date) -> None:
    year, rest = format_date(d, "bill").split("年")
    month, day = rest.removesuffix("日").split("月")
    assert (d.year, d.month, d.day) == (from_chinese(year), from_chinese(month), from_chinese(day))


# --- parse_date: the one reader of dates ------------------------------------------------------

#: Dates a document is written with: four-digit years, as every written form has.
document_dates = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))

#: The styles that write a whole date, which parse_date reads back as it was written.
DAY_STYLES = ("long", "full", "chinese", "bill")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2014-01-15", (JAN_15, "long")),
        ("2014-1-5", (date(2014, 1, 5), "long")),
        ("20140115", (JAN_15, "long")),
        ("2014/1/15", (JAN_15, "long")),
        ("2014.01.15", (JAN_15, "long")),
        ("2014-W03-3", (JAN_15, "long")),
        ("2014年1月15日", (JAN_15, "long")),
        ("2014 年 1 月 15 号", (JAN_15, "long")),
        ("２０１４年１月１５日", (JAN_15, "long")),
        ("2014年1月15日星期三", (JAN_15, "full")),
        ("2014年1月15日 周三", (JAN_15, "full")),
        ("二〇一四年一月十五日", (JAN_15, "chinese")),
        ("二○一四年一月十五日", (JAN_15, "chinese")),
        ("贰零壹肆年零壹月壹拾伍日", (JAN_15, "bill")),
        ("2014-01", (date(2014, 1, 1), "year_month")),
        ("2014/1", (date(2014, 1, 1), "year_month")),
        ("2014年1月", (date(2014, 1, 1), "year_month")),
        ("二〇一四年一月", (date(2014, 1, 1), "chinese_year_month")),
        (JAN_15, (JAN_15, "long")),
        (datetime(2014, 1, 15, 8), (JAN_15, "long")),
    ],
)
def test_parse_date_reads_every_written_form_and_names_its_style(
    text: str | date, expected: tuple[date, str]
) -> None:
    assert expected == parse_date(text)


@pytest.mark.parametrize("style", DAY_STYLES)
@given(d=document_dates)
def test_a_formatted_date_parses_back_to_itself_and_its_style(style: str, d: date) -> None:
    assert (d, style) == parse_date(format_date(d, style))


@pytest.mark.parametrize("style", ["year_month", "chinese_year_month"])
@given(d=document_dates)
def test_a_formatted_year_and_month_parse_back_to_the_first_of_the_month(
    style: str, d: date
) -> None:
    assert (d.replace(day=1), style) == parse_date(format_date(d, style))


@given(d=document_dates)
def test_an_iso_date_parses_back_as_long(d: date) -> None:
    assert (d, "long") == parse_date(d.isoformat())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2014-02-30", "not a date in the calendar"),
        ("2014年13月1日", "not a date in the calendar"),
        ("2014年1月15日星期四", "is a 星期三"),
        ("明天", "the text is not a date"),
        ("15.1.2014", "the text is not a date"),
        ("2014年1月15", "the text is not a date"),
    ],
)
def test_parse_date_refuses_a_text_naming_the_place_the_forms_and_the_text(
    text: str, reason: str
) -> None:
    with pytest.raises(ConventionError) as caught:
        parse_date(text, where="Signature.date")
    message = str(caught.value)
    assert message.startswith("Signature.date: ")
    assert reason in message
    assert "expected a date, a datetime or an ISO date str such as '2014-01-15'" in message
    assert f"found {text!r}" in message


@pytest.mark.parametrize("value", [20140115, None, 2014.0, ["2014-01-15"]])
def test_parse_date_refuses_values_that_are_not_dates_naming_their_type(value: object) -> None:
    with pytest.raises(ConventionError, match="this value is not a date") as caught:
        parse_date(value)  # type: ignore[arg-type]
    assert type(value).__name__ in str(caught.value)


def test_parse_date_is_part_of_the_public_cn_api() -> None:
    assert "parse_date" in docgen.cn.__all__
    assert parse_date is docgen.cn.parse_date


@pytest.mark.parametrize(("style", "pattern"), [("long", "long"), ("year_month", "y年M月")])
@given(d=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_the_numeric_styles_write_exactly_what_babel_writes(style, pattern, d) -> None:
    # docgen writes these two without loading Babel (cold start); they must not drift from it
    from babel.dates import format_date as babel_format_date  # noqa: PLC0415

    assert babel_format_date(d, pattern, locale="zh_CN") == format_date(d, style)


def test_cldr_still_writes_the_long_chinese_date_as_year_month_day() -> None:
    from babel import Locale  # noqa: PLC0415

    assert "y年M月d日" == Locale.parse("zh_CN").date_formats["long"].pattern
