"""docgen.cn.typography: 字号 (CONVENTIONS §5), full-width punctuation (§7), CJK and widths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from docgen.cn.typography import (
    FONT_SIZES,
    display_width,
    font_size,
    has_east_asian,
    is_cjk,
    joins_without_space,
    normalize_punctuation,
    size_name,
    text_width,
    wrap_columns,
)
from docgen.errors import ConventionError
from tests.strategies import mixed_text

# --- 字号 -----------------------------------------------------------------------
SIZES = [
    ("初号", 42.0),
    ("小初", 36.0),
    ("一号", 26.0),
    ("小一", 24.0),
    ("二号", 22.0),
    ("小二", 18.0),
    ("三号", 16.0),
    ("小三", 15.0),
    ("四号", 14.0),
    ("小四", 12.0),
    ("五号", 10.5),
    ("小五", 9.0),
    ("六号", 7.5),
    ("小六", 6.5),
    ("七号", 5.5),
    ("八号", 5.0),
]


def test_font_sizes_table_is_the_conventions_table_in_order() -> None:
    assert SIZES == list(FONT_SIZES.items())


@pytest.mark.parametrize(("name", "points"), SIZES)
def test_font_size_of_each_name(name: str, points: float) -> None:
    assert points == font_size(name)


@pytest.mark.parametrize(("name", "points"), SIZES)
def test_size_name_of_each_size(name: str, points: float) -> None:
    assert name == size_name(points)


@pytest.mark.parametrize(
    ("name", "points"),
    [
        ("小四号", 12.0),
        ("小初号", 36.0),
        ("2号", 22.0),  # §5 writes "title 2号", "body 3号", "page numbers 4号"
        ("3号", 16.0),
        ("4号", 14.0),
        ("小4", 12.0),
        ("小4号", 12.0),
        (" 三号 ", 16.0),
    ],
)
def test_font_size_accepts_common_variants(name: str, points: float) -> None:
    assert points == font_size(name)


@pytest.mark.parametrize(("points", "name"), [(16, "三号"), (10.5, "五号"), (12.004, "小四")])
def test_size_name_accepts_ints_and_near_values(points: float, name: str) -> None:
    assert name == size_name(points)


@pytest.mark.parametrize("name", ["九号", "小七", "三", "16", "", "sanhao", 16])
def test_unknown_font_size_lists_the_names(name: object) -> None:
    with pytest.raises(ConventionError) as info:
        font_size(name)  # type: ignore[arg-type]
    assert "one of 初号 小初 一号" in str(info.value.expected)
    assert repr(name) == info.value.found


@pytest.mark.parametrize("points", [13, 10.7, 0, float("nan"), True, "16"])
def test_size_name_without_a_name_is_an_error(points: object) -> None:
    with pytest.raises(ConventionError, match="no 字号 has this size"):
        size_name(points)  # type: ignore[arg-type]


# --- normalize_punctuation ----------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the brief's and §7's examples
        ("三年级十岁生日(筹备活动)", "三年级十岁生日（筹备活动）"),
        ("小结(初稿)", "小结（初稿）"),
        ("关键年,上承", "关键年，上承"),
        ("开展学习活动;", "开展学习活动；"),
        ("抓重点,抓推进,抓落实;继续", "抓重点，抓推进，抓落实；继续"),
        ("注意:明天放假", "注意：明天放假"),
        ("真的吗?是的!", "真的吗？是的！"),
        # runs of marks and marks next to already full-width punctuation
        ("好!!!", "好！！！"),
        ("。,", "。，"),
        ("(筹备活动);", "（筹备活动）；"),
        # brackets convert as a pair
        ("Python(编程语言)", "Python（编程语言）"),
        ("中文(English)", "中文（English）"),
        ("(1)关于", "（1）关于"),
        ("((一)和(二))", "（（一）和（二））"),
        ("中(a", "中（a"),
        # straight double quotes alternate “ ”
        ('围绕"走进新发展,走向新优质"的中心', "围绕“走进新发展，走向新优质”的中心"),
        ('"和谐校园","多彩课程"', "“和谐校园”，“多彩课程”"),
        ('他说"Hello"', "他说“Hello”"),
        ('"你好"。', "“你好”。"),
        ('他说"你好', "他说“你好"),
        ('你好"。', "你好”。"),
        # numbers, times, URLs, e-mails and Latin stay as written (§7)
        ("共1,000元", "共1,000元"),
        ("圆周率3.14", "圆周率3.14"),
        ("下午12:30开会", "下午12:30开会"),
        ("比分3:2", "比分3:2"),
        ("Hello, world", "Hello, world"),
        ('He said (quietly): "no!"', 'He said (quietly): "no!"'),
        ("f(x) = 1", "f(x) = 1"),
        (
            "网址:https://www.example.cn/a?b=1,2;c=(3),中",
            "网址：https://www.example.cn/a?b=1,2;c=(3)，中",
        ),
        ("见http://x.cn/(a),谢谢", "见http://x.cn/(a)，谢谢"),
        ("见www.example.cn;谢谢", "见www.example.cn；谢谢"),
        ("邮箱teacher@example.cn;电话", "邮箱teacher@example.cn；电话"),
        # the full stop converts only where it plainly ends a Chinese sentence
        ("完成.下一步", "完成。下一步"),
        ("请准时参加(下午3:30).", "请准时参加（下午3:30）。"),
        ("会议时间为下午3:30.", "会议时间为下午3:30。"),
        ("圆周率约为3.14。", "圆周率约为3.14。"),
        ("1.\n2.", "1.\n2."),
        ("1. 会议时间", "1. 会议时间"),
        ("见附件v2.docx.", "见附件v2.docx."),
        ("etc. 等等", "etc. 等等"),
        # only direct neighbours count
        ("中文 , English", "中文 , English"),
        ("", ""),
        ("第一行(一\n二)第二行", "第一行（一\n二）第二行"),
    ],
)
def test_normalize_punctuation(text: str, expected: str) -> None:
    assert expected == normalize_punctuation(text)


def test_normalize_punctuation_rejects_non_text() -> None:
    with pytest.raises(ConventionError, match="normalize_punctuation"):
        normalize_punctuation(b"abc")  # type: ignore[arg-type]


_FULL_WIDTH = {
    ",": "，",
    ";": "；",
    ":": "：",
    "?": "？",
    "!": "！",
    "(": "（",
    ")": "）",
    ".": "。",
}
_CJK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"


def _changes_only_punctuation(before: str, after: str) -> bool:
    if len(before) != len(after):
        return False
    for old, new in zip(before, after, strict=True):
        allowed = {old, *_FULL_WIDTH.get(old, "")} | ({"“", "”"} if old == '"' else set())
        if new not in allowed:
            return False
    return True


@given(text=mixed_text)
@example(text='中,,"a" (b)"')
@example(text="http://a.cn/x,中,")
def test_normalize_punctuation_is_idempotent(text: str) -> None:
    once = normalize_punctuation(text)
    assert once == normalize_punctuation(once)


@given(text=mixed_text)
def test_normalize_punctuation_changes_only_punctuation(text: str) -> None:
    assert _changes_only_punctuation(text, normalize_punctuation(text))


@given(text=mixed_text)
def test_normalize_punctuation_leaves_no_simple_mark_next_to_chinese(text: str) -> None:
    result = normalize_punctuation(text)
    # Outside URLs and e-mail addresses, no , ; : ? ! touches a Chinese character.
    unprotected = re.sub(r"\S*(?:://|www\.|@)\S*", " ", result)
    assert re.search(f"{_CJK}[,;:?!]|[,;:?!]{_CJK}", unprotected) is None


# --- the real example (tests/data/party-branch-summary-2013.txt, from examples/) ---
EXAMPLE = Path(__file__).parent / "data" / "party-branch-summary-2013.txt"


@pytest.fixture(scope="module")
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def test_example_has_no_half_width_marks_next_to_chinese_after_normalizing(
    example_text: str,
) -> None:
    before = re.findall(f"{_CJK}[,;()]|[,;()]{_CJK}", example_text)
    result = normalize_punctuation(example_text)
    assert before  # the example really has the problem
    assert [] == re.findall(f"{_CJK}[,;:()]|[,;:()]{_CJK}", result)


def test_example_changes_nothing_but_those_marks(example_text: str) -> None:
    result = normalize_punctuation(example_text)
    changed = {(old, new) for old, new in zip(example_text, result, strict=True) if old != new}
    assert len(example_text) == len(result)
    assert {(",", "，"), (";", "；"), ("(", "（"), (")", "）")} == changed
    assert example_text.count(",") == result.count("，") - example_text.count("，")


@pytest.mark.parametrize(
    "expected",
    [
        "2013学年第一学期党支部工作小结（初稿）",
        "2013学年是学校承上启下的关键年，上承新三年发展规划推动，下启",
        "一、围绕主题，开展学习活动；",
        "“三年级十岁生日（筹备活动）”",
        "抓重点，抓推进，抓落实；继续",
        "徐汇区东二小学党支部 2014年1月",
    ],
)
def test_example_passages_after_normalizing(example_text: str, expected: str) -> None:
    assert expected in normalize_punctuation(example_text)


def test_example_is_already_normal_after_one_pass(example_text: str) -> None:
    once = normalize_punctuation(example_text)
    assert once == normalize_punctuation(once)


# --- which characters are Chinese, and widths ----------------------------------------------


@pytest.mark.parametrize(
    "char", ["中", "〇", "，", "、", "《", "（", "Ａ", "か", "㉑", "\U00020000"]
)
def test_ideographs_chinese_punctuation_kana_and_full_width_forms_are_cjk(char: str) -> None:
    assert is_cjk(char)


@pytest.mark.parametrize("char", ["a", "1", ",", " ", "“", "”", "…", "—", "①", "é"])
def test_latin_text_and_marks_shared_with_western_text_are_not_cjk(char: str) -> None:
    assert not is_cjk(char)


@pytest.mark.parametrize("char", ["“", "”", "‘", "’", "…", "—", "·", "①", "⑴", "⒈"])
def test_shared_marks_and_enclosed_numbers_join_chinese_text_without_space(char: str) -> None:
    assert joins_without_space(char)


@given(char=st.characters())
def test_every_cjk_character_joins_without_space(char: str) -> None:
    assert joins_without_space(char) or not is_cjk(char)


@given(text=st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_ascii_text_takes_half_a_cell_a_character_and_has_no_east_asian(text: str) -> None:
    assert len(text) / 2 == text_width(text)
    assert not has_east_asian(text)


@given(text=st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)))
def test_chinese_text_takes_one_cell_a_character_and_two_terminal_columns(text: str) -> None:
    assert len(text) == text_width(text)
    assert 2 * len(text) == display_width(text)
    assert has_east_asian(text) == bool(text)


def test_word_adds_a_quarter_cell_where_chinese_meets_latin_letters_or_digits() -> None:
    assert 1 + 0.5 + 1 + 2 * 0.25 == text_width("第3周")
    assert 1 + 0.5 == text_width("第 ")


def test_curly_quotes_take_a_full_cell_but_do_not_make_text_east_asian() -> None:
    assert 3.0 == text_width("“ok”")
    assert not has_east_asian("Hello “world”")
    assert has_east_asian("한국어")  # Hangul: not CJK, yet set in Word's East Asian font


# --- wrapping for a terminal -----------------------------------------------------------------

_WORDS = st.sampled_from(["数", "据", "格", "式", "docgen", "PDF", "A4", " ", "  "])


@given(
    parts=st.lists(_WORDS | st.sampled_from("，。、（）“”"), max_size=60), width=st.integers(8, 40)
)
def test_wrapping_loses_and_reorders_nothing(parts, width):
    text = "".join(parts)
    assert "".join(text.split()) == "".join("".join(wrap_columns(text, width)).split())


@given(parts=st.lists(_WORDS, max_size=60), width=st.integers(8, 40))
def test_wrapped_lines_fit_their_columns_counting_two_for_a_chinese_character(parts, width):
    lines = wrap_columns("".join(parts), width)
    # only a Latin word longer than the line may pass it, on a line of its own
    assert all(
        display_width(line) <= width or (" " not in line and not has_east_asian(line))
        for line in lines
    )
    assert all(line == line.strip() and line for line in lines)


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        # a closing mark takes the character before it down; it never begins a line
        ("数据格式（默认自动判断）。", 12, ["数据格式（默", "认自动判", "断）。"]),
        ("一二三四五，六", 10, ["一二三四", "五，六"]),
        # an opening mark never ends a line
        ("一二三四（五六", 10, ["一二三四", "（五六"]),
        # Latin words stay whole; one longer than the line gets a line of its own
        ("先于 DOCGEN_TEMPLATE_PATH 查找", 10, ["先于", "DOCGEN_TEMPLATE_PATH", "查找"]),
    ],
)
def test_wrapping_keeps_marks_with_what_they_close_or_open(text, width, lines):
    assert lines == wrap_columns(text, width)
