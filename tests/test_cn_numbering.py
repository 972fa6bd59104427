"""docgen.cn.numbering: heading numbering schemes (CONVENTIONS §1), and labels read back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.cn.numbering import (
    DECIMAL,
    GBT9704,
    PRESETS,
    SCHOOL,
    Label,
    NumberingScheme,
    order_label_kinds,
    parse_label,
)
from docgen.errors import ConventionError
from tests.strategies import outlines


# --- the presets, level by level (§1 table) -----------------------------------
@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        (GBT9704, ["一、", "（一）", "1.", "（1）"]),
        (SCHOOL, ["一、", "1、", "（1）", "①"]),
        (DECIMAL, ["1 ", "1.1 ", "1.1.1 ", "1.1.1.1 "]),
    ],
)
def test_presets_label_the_first_heading_of_each_level(
    scheme: NumberingScheme, expected: list[str]
) -> None:
    assert expected == [scheme.label(level, 1, parents=[1] * (level - 1)) for level in range(1, 5)]


@pytest.mark.parametrize(
    ("scheme", "level", "index", "expected"),
    [
        (GBT9704, 1, 10, "十、"),
        (GBT9704, 1, 11, "十一、"),  # §1: after 十: 十一、十二、… 二十、二十一、
        (GBT9704, 1, 12, "十二、"),
        (GBT9704, 1, 20, "二十、"),
        (GBT9704, 1, 21, "二十一、"),
        (GBT9704, 2, 10, "（十）"),
        (GBT9704, 2, 11, "（十一）"),
        (GBT9704, 3, 12, "12."),
        (GBT9704, 4, 21, "（21）"),
        (SCHOOL, 2, 3, "3、"),
        (SCHOOL, 3, 11, "（11）"),
        (SCHOOL, 4, 20, "⑳"),
        (SCHOOL, 4, 21, "㉑"),  # §1: ㉑–㊿ continue at U+3251
        (SCHOOL, 4, 36, "㊱"),  # … and at U+32B1
        (SCHOOL, 4, 50, "㊿"),
    ],
)
def test_labels_follow_the_conventions(
    scheme: NumberingScheme, level: int, index: int, expected: str
) -> None:
    assert expected == scheme.label(level, index)


@pytest.mark.parametrize(
    ("level", "index", "parents", "expected"),
    [
        (1, 3, (), "3 "),
        (2, 4, (3,), "3.4 "),
        (3, 12, (1, 2), "1.2.12 "),
        (4, 1, (10, 11, 12), "10.11.12.1 "),
    ],
)
def test_decimal_labels_show_the_path(
    level: int, index: int, parents: tuple[int, ...], expected: str
) -> None:
    assert expected == DECIMAL.label(level, index, parents=parents)


def test_decimal_label_and_title_read_with_one_space() -> None:
    assert "1.1 标题" == DECIMAL.label(2, 1, parents=[1]) + "标题"


def test_gbt9704_uses_full_width_brackets_half_width_stop_and_dunhao() -> None:
    labels = [GBT9704.label(level, 1) for level in range(1, 5)]
    assert ["一\u3001", "\uff08一\uff09", "1\u002e", "\uff081\uff09"] == labels


# --- other fields and custom schemes ------------------------------------------
@pytest.mark.parametrize(
    ("fmt", "index", "expected"),
    [
        ("{cn}", 21, "二十一"),
        ("{CN}", 10, "壹拾"),
        ("{n}", 7, "7"),
        ("{n:02d}.", 7, "07."),
        ("{circled}", 5, "⑤"),
        ("第{cn}章 ", 3, "第三章 "),
        ("{{{n}}}", 1, "{1}"),
    ],
)
def test_format_fields(fmt: str, index: int, expected: str) -> None:
    assert expected == NumberingScheme.from_formats("custom", fmt).label(1, index)


def test_constructor_accepts_a_list_of_formats() -> None:
    scheme = NumberingScheme("custom", ["{cn}、", "{n}."])
    assert (2, ("{cn}、", "{n}.")) == (scheme.depth, scheme.formats)
    assert scheme == NumberingScheme.from_formats("custom", "{cn}、", "{n}.")


@pytest.mark.parametrize(
    ("formats", "found"),
    [
        (("{cn}、", "{num}."), "{num}"),
        (("{cn}、", "{0}."), "{0}"),
        (("{}",), "{}"),
        (("{cn!r}",), "{cn!r}"),
        (("、",), "'、'"),
        (("{cn",), None),
        (("{cn:d}",), None),
    ],
)
def test_bad_format_strings_are_rejected_when_the_scheme_is_made(
    formats: tuple[str, ...], found: str | None
) -> None:
    with pytest.raises(ConventionError) as info:
        NumberingScheme("custom", formats)
    assert f"level {len(formats)}" in str(info.value.where)
    if found is not None:
        assert found == info.value.found


def test_unknown_field_error_lists_the_allowed_fields() -> None:
    with pytest.raises(ConventionError) as info:
        NumberingScheme.from_formats("custom", "{num}")
    assert "one of {cn}, {CN}, {n}, {circled}, {path}" == info.value.expected


@pytest.mark.parametrize(
    ("name", "formats"),
    [("", ("{n}",)), ("custom", ()), ("custom", "{n}"), ("custom", (1,))],
)
def test_scheme_needs_a_name_and_format_strings(name: str, formats: object) -> None:
    with pytest.raises(ConventionError):
        NumberingScheme(name, formats)


# --- label errors -------------------------------------------------------------
@pytest.mark.parametrize("level", [0, 5, -1, True, "1"])
def test_label_level_outside_the_scheme_names_the_range(level: object) -> None:
    with pytest.raises(ConventionError) as info:
        GBT9704.label(level, 1)  # type: ignore[arg-type]
    assert ("a level from 1 to 4", repr(level)) == (info.value.expected, info.value.found)


@pytest.mark.parametrize("index", [0, -3, True, 1.0])
def test_label_index_counts_from_one(index: object) -> None:
    with pytest.raises(ConventionError, match="level 2 index"):
        GBT9704.label(2, index)  # type: ignore[arg-type]


def test_circled_stops_at_fifty() -> None:
    with pytest.raises(ConventionError) as info:
        SCHOOL.label(4, 51)
    assert ("at most 50", "51") == (info.value.expected, info.value.found)


@pytest.mark.parametrize("parents", [(1,), (1, 2, 3), (1, 0)])
def test_label_parents_must_match_the_level(parents: tuple[int, ...]) -> None:
    with pytest.raises(ConventionError):
        DECIMAL.label(3, 1, parents=parents)


def test_path_needs_the_parents() -> None:
    with pytest.raises(ConventionError, match="level 2 parents"):
        DECIMAL.label(2, 1)


# --- presets by name ----------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("GBT9704", GBT9704),
        ("gbt9704", GBT9704),
        ("GB/T 9704", GBT9704),
        ("SCHOOL", SCHOOL),
        ("school", SCHOOL),
        ("DECIMAL", DECIMAL),
        ("Decimal", DECIMAL),
    ],
)
def test_preset_lookup_ignores_case(name: str, expected: NumberingScheme) -> None:
    assert expected is NumberingScheme.preset(name)


def test_unknown_preset_lists_the_presets() -> None:
    with pytest.raises(ConventionError) as info:
        NumberingScheme.preset("ISO")
    assert "one of GBT9704, SCHOOL, DECIMAL" == info.value.expected
    assert ["GBT9704", "SCHOOL", "DECIMAL"] == list(PRESETS)


# --- numbering an outline -----------------------------------------------------
@pytest.mark.parametrize(
    ("scheme", "levels", "expected"),
    [
        (
            GBT9704,
            [1, 2, 2, 3, 4, 4, 3, 1, 2],
            ["一、", "（一）", "（二）", "1.", "（1）", "（2）", "2.", "二、", "（一）"],
        ),
        (
            SCHOOL,
            [1, 2, 3, 4, 4, 2, 1, 1],
            ["一、", "1、", "（1）", "①", "②", "2、", "二、", "三、"],
        ),
        (
            DECIMAL,
            [1, 2, 2, 3, 1, 2, 3, 4],
            ["1 ", "1.1 ", "1.2 ", "1.2.1 ", "2 ", "2.1 ", "2.1.1 ", "2.1.1.1 "],
        ),
    ],
)
def test_counter_numbers_an_outline_and_restarts_deeper_levels(
    scheme: NumberingScheme, levels: list[int], expected: list[str]
) -> None:
    counter = scheme.counter()
    assert expected == [counter.next(level) for level in levels]


def test_counter_reaches_twenty_one() -> None:
    counter = GBT9704.counter()
    assert "二十一、" == [counter.next(1) for _ in range(21)][-1]


def test_counter_knows_the_current_path() -> None:
    counter = DECIMAL.counter()
    assert 0 == len(counter.indexes)
    for level in (1, 2, 2, 3, 1, 2):
        counter.next(level)
    assert (2, 1) == counter.indexes
    counter.reset()
    assert 0 == len(counter.indexes)
    assert "1 " == counter.next(1)


@pytest.mark.parametrize(
    ("levels", "bad", "expected"),
    [
        ([], 2, "a level from 1 to 1"),
        ([1], 3, "a level from 1 to 2"),
        ([1, 2, 3], 0, "a level from 1 to 4"),
        ([1, 2, 3, 4], 5, "a level from 1 to 4"),
    ],
)
def test_counter_refuses_to_skip_a_level(levels: list[int], bad: int, expected: str) -> None:
    counter = GBT9704.counter()
    for level in levels:
        counter.next(level)
    with pytest.raises(ConventionError) as info:
        counter.next(bad)
    assert (expected, repr(bad)) == (info.value.expected, info.value.found)
    assert tuple([1] * len(levels)) == counter.indexes  # the failed call changed nothing


@given(
    scheme=st.sampled_from([GBT9704, SCHOOL, DECIMAL]),
    levels=outlines(depth=4, max_size=40),
)
def test_counter_labels_equal_scheme_labels(scheme: NumberingScheme, levels: list[int]) -> None:
    counter = scheme.counter()
    path: list[int] = []
    for level in levels:
        del path[level:]
        if len(path) < level:
            path.append(0)
        path[level - 1] += 1
        expected = scheme.label(level, path[-1], parents=path[:-1])
        assert expected == counter.next(level)
        assert tuple(path) == counter.indexes


# --- labels read back -----------------------------------------------------------------------

_KINDS = {
    "GBT9704": ["cn、", "(cn)", "n.", "(n)"],
    "SCHOOL": ["cn、", "n、", "(n)", "circled"],
    "DECIMAL": ["decimal1", "decimal2", "decimal3", "decimal4"],
}


@given(
    scheme=st.sampled_from([GBT9704, SCHOOL, DECIMAL]),
    level=st.integers(1, 4),
    index=st.integers(1, 50),
    title=st.sampled_from(["学习", "概述", "加强队伍建设"]),
)
def test_every_preset_label_reads_back_as_its_kind_and_number(
    scheme: NumberingScheme, level: int, index: int, title: str
) -> None:
    label = scheme.label(level, index, parents=[2] * (level - 1))
    parsed = parse_label(label + title, bare_numbers=True)
    assert Label(_KINDS[scheme.name][level - 1], index, len(label), title) == parsed


def test_preset_kind_orders_follow_the_schemes() -> None:
    for kinds in _KINDS.values():
        assert kinds == order_label_kinds(reversed(kinds))


@pytest.mark.parametrize(
    ("text", "kind", "number"),
    [
        ("(一)学习", "(cn)", 1),
        ("（ 十二 ）学习", "(cn)", 12),
        ("一.学习", "cn、", 1),
        ("１．学习", "n.", 1),
        ("(3)学习", "(n)", 3),
        ("（3）、学习", "(n)", 3),
        ("2）学习", "n)", 2),
        ("１、学习", "n、", 1),
        ("㉑ 学习", "circled", 21),
        ("２．３ 学习", "decimal2", 3),
    ],
)
def test_half_and_full_width_variants_read_as_one_kind(text: str, kind: str, number: int) -> None:
    label = parse_label(text)
    assert label is not None
    assert (kind, number, "学习") == (label.kind, label.number, label.rest)


@pytest.mark.parametrize(
    "text",
    [
        "三、四年级的活动",  # an enumeration
        "1、2月份",
        "一、",  # nothing after the label
        "3.14%",  # a percentage
        "2014年",
        "1 概述",  # a bare number, unless asked
        "学习",
    ],
)
def test_enumerations_numbers_and_bare_labels_are_not_labels(text: str) -> None:
    assert parse_label(text) is None
