"""Importers: plain text, Markdown and Word documents read back into a Report."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import date
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import docgen
from docgen import (
    BulletList,
    Cell,
    DataError,
    Image,
    NumberedList,
    PageBreak,
    Paragraph,
    Report,
    Run,
    Section,
    Signature,
    Table,
)
from docgen.cn import Term
from docgen.importers import (
    ImportResult,
    import_docx,
    import_file,
    import_markdown,
    import_text,
)
from tests.conftest import soffice_convert
from tests.strategies import mixed_text

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "importers"
EXAMPLE_TEXT = ROOT / "tests" / "data" / "party-branch-summary-2013.txt"
EXAMPLE_YAML = ROOT / "examples" / "party-branch-summary.yaml"


def titles(sections: tuple[Section, ...]) -> list[object]:
    """The outline as nested lists: [title, [children…]] per section."""
    return [[s.title, titles(s.subsections)] if s.subsections else s.title for s in sections]


def texts(blocks: tuple[object, ...]) -> list[str]:
    return [b.text if isinstance(b, Paragraph) else type(b).__name__ for b in blocks]


def png(width: int = 4, height: int = 3) -> bytes:
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# --- the example ---------------------------------------------------------------------------------


def test_the_one_line_example_imports_to_exactly_the_example_yaml():
    result = import_text(EXAMPLE_TEXT.read_text("utf-8"), normalize_punctuation=True)
    assert [] == result.warnings
    # the same report; the example data file also names its template
    assert docgen.load_report(EXAMPLE_YAML) == attrs.evolve(result.report, template="work-summary")


def test_the_example_shape_term_status_and_signature_come_from_the_text():
    report = import_text(EXAMPLE_TEXT.read_text("utf-8")).report
    assert "2013学年第一学期党支部工作小结" == report.title
    assert "初稿" == report.status
    assert Term(2013, 1) == report.term
    assert 1 == len(report.intro)
    assert [
        "围绕主题,开展学习活动;",  # not normalized unless asked: the source's ; is kept
        [
            "重在实践,落实发展规划;",
            ["迎接新优质学校中期评审", "全情投入教育教学工作", "落实“三先”密切联系群众"],
        ],
        "注重结合,推进师德师风建设;",
    ] == titles(report.sections)
    assert 1 == len(report.sections[1].blocks)
    assert 4 == len(report.sections[2].blocks)
    assert ["短短的一个", "2014年"] == [b.text[:5] for b in report.closing]
    assert Signature("徐汇区东二小学党支部", date=date(2014, 1, 1), date_style="year_month") == (
        report.signature
    )


def test_the_example_split_into_lines_imports_to_the_same_report():
    one_line = import_text(EXAMPLE_TEXT.read_text("utf-8"), normalize_punctuation=True).report
    lines = [one_line.full_title, *texts(one_line.intro)]
    counter = docgen.cn.SCHOOL.counter()
    for section in one_line.sections:
        lines.append(counter.next(1) + section.title)
        lines += texts(section.blocks)
        for sub in section.subsections:
            lines.append(counter.next(2) + sub.title)
            lines += texts(sub.blocks)
    lines += [*texts(one_line.closing), "徐汇区东二小学党支部", "2014年1月"]
    assert one_line == import_text("\n\n".join(lines)).report


# --- plain text: shapes ---------------------------------------------------------------------


def test_four_levels_with_half_width_brackets_a_status_attachments_and_a_chinese_date():
    result = import_text((DATA / "notice-gbt9704.txt").read_text("utf-8"))
    report = result.report
    assert ("关于开展2014年春季学期教研活动的通知", "征求意见稿") == (report.title, report.status)
    assert ["各教研组：", "为进一步提高教学质量，现将有关事项通知如下。"] == texts(report.intro)
    assert [
        "活动目的",
        [
            "活动安排",
            [
                ["语文组", [["集体备课", ["第一周", "第二周"]], "公开课"]],
                ["数学组", ["说课比赛"]],
            ],
        ],
        "有关要求；",  # a heading keeps its trailing ；
    ] == titles(report.sections)
    assert ["每周二下午集体备课，由组长主持。"] == texts(
        report.sections[1].subsections[0].subsections[0].blocks
    )
    assert ("活动安排表", "报名表") == report.attachments
    assert Signature("东二小学教导处", date=date(2014, 2, 10), date_style="chinese") == (
        report.signature
    )
    assert [] == result.warnings


def test_the_school_scheme_to_four_levels_with_circled_numbers_and_a_closing():
    report = import_text((DATA / "school-four-levels.txt").read_text("utf-8")).report
    assert Term(2013, 2) == report.term
    assert [
        ["教学常规", [["备课", [["集体备课", ["语文组", "数学组"]], "个人备课"]], "上课"]],
        ["教研活动", ["公开课"]],
    ] == titles(report.sections)
    assert ["回顾本学期，我们取得了一定的成绩。", "下学期，我们将继续努力。"] == texts(
        report.closing
    )
    assert ["人人上公开课。"] == texts(report.sections[1].subsections[0].blocks)
    assert Signature("东二小学教导处", date=date(2014, 6, 30), date_style="long") == (
        report.signature
    )


def test_20xx_placeholders_are_neither_a_term_nor_a_signature_date():
    result = import_text((DATA / "plan-placeholder.txt").read_text("utf-8"))
    report = result.report
    assert ("20xx学年第一学期工作计划", None, None) == (report.title, report.term, report.signature)
    assert ["今后我们将继续努力。", "XX小学", "20xx年x月"] == texts(report.closing)
    assert ["加强学习；", "加强管理；"] == [s.title for s in report.sections[1].subsections]
    assert [
        "<text>: the last lines look like a signature but the date 「20xx年x月」 is a "
        "placeholder; they are kept as closing text"
    ] == result.warnings


@pytest.mark.parametrize("blank", ["____年__月__日", "    年  月  日", "2014年13月"])
def test_a_blank_or_impossible_date_is_not_a_signature(blank):
    report = import_text(f"小结\n一、学习\n内容\n某校\n{blank}").report
    assert report.signature is None
    assert blank.strip() in [b.text for b in report.sections[0].blocks + report.closing]


def test_windows_line_endings_and_blank_lines_read_like_plain_lines_and_no_signature_is_fine():
    raw = (DATA / "windows-no-signature.txt").read_bytes()
    assert b"\r\n" in raw
    result = import_text(raw.decode("utf-8"))
    assert result.report == import_text(raw.decode("utf-8").replace("\r\n", "\n")).report
    assert result.report == Report(
        "小结",
        intro=["本学期工作顺利。"],
        sections=[Section("学习", blocks=["认真学习。"]), Section("实践", blocks=["积极实践。"])],
    )
    assert [] == result.warnings


def test_a_gbt9704_document_and_a_section_that_skips_the_second_level():
    text = """关于加强校园安全工作的意见
为切实加强校园安全工作，提出如下意见。
一、总体要求
1.明确责任
各部门要明确责任。
2.加强检查
定期开展检查。
二、主要任务
（一）完善制度
建立健全各项制度。
1.制定预案
制定应急预案。
（1）火灾预案
内容略。
（二）加强教育
开展安全教育。"""
    result = import_text(text)
    # 1. first appears before （一）, but all the kinds are GB/T 9704's: its order wins
    assert [
        ["总体要求", ["明确责任", "加强检查"]],
        ["主要任务", [["完善制度", [["制定预案", ["火灾预案"]]]], "加强教育"]],
    ] == titles(result.report.sections)
    assert [
        "<text>: heading 「1.明确责任」 skips a level (level 3 under level 1); "
        "placed one level down"
    ] == result.warnings


def test_decimal_numbering():
    lines = ["实验室建设方案", "1 概述", "说明。", "1.1 背景", "需要。", "1.2 目标", "建成。"]
    lines += ["2 实施", "2.1 步骤", "分步。", "2.1.1 第一步", "采购。"]
    report = import_text("\n".join(lines)).report
    assert [["概述", ["背景", "目标"]], ["实施", [["步骤", ["第一步"]]]]] == titles(report.sections)


def test_a_bare_number_is_no_heading_without_decimal_labels():
    report = import_text("小结\n一、人数\n20 名学生参加。\n10 名教师参加。").report
    assert ["20 名学生参加。", "10 名教师参加。"] == texts(report.sections[0].blocks)


def test_full_width_digits_are_labels_too():
    report = import_text(
        "小结\n１、第一项\n内容甲。\n２、第二项\n内容乙。\n（１）细目\n内容丙。"
    ).report
    assert ["第一项", ["第二项", ["细目"]]] == titles(report.sections)


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        (
            "小结\n一、学习\n内容\n三、实践\n内容",
            "heading 「三、实践」 is numbered 3 where 2 was expected (a number is skipped)",
        ),
        (
            "小结\n一、学习\n内容\n1、甲\n内容\n1、乙\n内容",
            "heading 「1、乙」 is numbered 1 where 2 was expected (a number is repeated)",
        ),
        (
            "小结\n二、学习\n内容",
            "heading 「二、学习」 is numbered 2 where 1 was expected (a number is skipped)",
        ),
    ],
)
def test_a_jump_or_repeat_in_the_numbering_is_a_warning_naming_the_heading(text, warning):
    result = import_text(text, source="summary.txt")
    assert [f"summary.txt: {warning}"] == result.warnings


def test_numbered_lines_that_are_body_text_become_a_numbered_list():
    text = """教学工作小结
一、教学常规
本学期我们做好以下几点：
1、备课
2、上课
3、批改作业
都按要求完成。
1. 加强学习
2. 注重反思
二、教研活动
1、集体备课
每周一次。
1、说课
2、评课
2、公开课
每人一节。
（1）本学期我们开展了十次活动。教师们积极参加，收获很大。
三、其他
本学期三、四年级学生参加了社会实践。"""
    report = import_text(text).report
    assert ["教学常规", ["教研活动", ["集体备课", "公开课"]], "其他"] == titles(report.sections)
    regular = report.sections[0].blocks
    # after "：" the 1、2、3、 run is a list, although 1、 is a heading kind elsewhere
    assert NumberedList(["备课", "上课", "批改作业"]) == regular[1]
    # 1. is never a heading here: a list
    assert NumberedList(["加强学习", "注重反思"]) == regular[3]
    # restarting at 1 under a 1、 heading: a list
    assert NumberedList(["说课", "评课"]) == report.sections[1].subsections[0].blocks[1]
    # a long numbered paragraph is body text and keeps its label
    assert ["每人一节。", "（1）本学期我们开展了十次活动。教师们积极参加，收获很大。"] == texts(
        report.sections[1].subsections[1].blocks
    )
    # 三、四年级 is an enumeration, not a heading
    assert ["本学期三、四年级学生参加了社会实践。"] == texts(report.sections[2].blocks)


def test_an_enumeration_at_the_start_of_a_line_is_not_a_heading():
    report = import_text("小结\n一、活动\n内容。\n三、四年级学生参加了活动。").report
    assert ["内容。", "三、四年级学生参加了活动。"] == texts(report.sections[0].blocks)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2014年1月", (date(2014, 1, 1), "year_month")),
        ("2014年1月15日", (date(2014, 1, 15), "long")),
        ("２０１４年１月１５日", (date(2014, 1, 15), "long")),
        ("二〇一四年一月", (date(2014, 1, 1), "chinese_year_month")),
        ("二〇一四年一月十五日", (date(2014, 1, 15), "chinese")),
        ("二○一四年十月二十日", (date(2014, 10, 20), "chinese")),
    ],
)
def test_the_signature_date_and_its_style_follow_the_form_written(line, expected):
    signature = import_text(f"小结\n本学期工作顺利。\n东二小学\n{line}").report.signature
    assert signature is not None
    assert ("东二小学", *expected) == (signature.org, signature.date, signature.date_style)


def test_an_organisation_and_its_date_on_one_line():
    report = import_text("小结\n一、学习\n内容。\n东二小学党支部　　2014年1月").report
    assert Signature("东二小学党支部", date=date(2014, 1, 1), date_style="year_month") == (
        report.signature
    )


def test_a_date_without_an_organisation_line_stays_text_with_a_warning():
    result = import_text("小结\n一、学习\n本学期认真学习了文件。\n2014年1月")
    assert result.report.signature is None
    assert [
        "<text>: the date 「2014年1月」 at the end has no organisation line above it; kept as text"
    ] == (result.warnings)


@pytest.mark.parametrize(
    ("line", "title", "status"),
    [
        ("工作小结（初稿）", "工作小结", "初稿"),
        ("工作小结(初稿)", "工作小结", "初稿"),
        ("工作小结 （讨论稿）", "工作小结", "讨论稿"),
        ("工作方案(征求意见稿)", "工作方案", "征求意见稿"),
        ("关于2014年工作的通知（2014）", "关于2014年工作的通知（2014）", None),
        ("工作小结", "工作小结", None),
    ],
)
def test_a_short_parenthesised_status_leaves_the_title(line, title, status):
    report = import_text(f"{line}\n本学期工作顺利。").report
    assert (title, status) == (report.title, report.status)


@pytest.mark.parametrize(
    ("title", "term"),
    [
        ("2013学年第一学期党支部工作小结", Term(2013, 1)),
        ("2013—2014学年第二学期工作计划", Term(2013, 2)),
        ("2013-2014学年度下学期教研组总结", Term(2013, 2)),
        ("2013学年工作总结", None),
        ("20xx学年第一学期计划", None),
    ],
)
def test_the_term_comes_from_the_title(title, term):
    assert term == import_text(f"{title}\n内容。").report.term


def test_the_closing_starts_at_a_summing_up_paragraph_and_never_takes_a_sections_only_paragraph():
    report = import_text(
        "小结\n一、学习\n内容一。\n总之，本学期收获很大。\n我们会继续坚持。\n二、实践\n今后要多实践。"
    ).report
    # a summing-up paragraph outside the last section stays where it is
    assert ["内容一。", "总之，本学期收获很大。", "我们会继续坚持。"] == texts(
        report.sections[0].blocks
    )
    # the last section's first paragraph is its own, whatever it says
    assert ["今后要多实践。"] == texts(report.sections[1].blocks)
    assert () == report.closing


def test_only_the_last_sections_tail_can_be_closing():
    report = import_text(
        "小结\n一、学习\n内容一。\n二、实践\n内容二。\n内容三。\n展望下学期，我们信心满满。\n最后，感谢大家。"
    ).report
    assert ["内容二。", "内容三。"] == texts(report.sections[1].blocks)
    assert ["展望下学期，我们信心满满。", "最后，感谢大家。"] == texts(report.closing)


def test_a_forward_looking_paragraph_followed_by_body_text_is_not_closing():
    report = import_text("小结\n一、学习\n内容一。\n今后要多学习。\n具体安排如下。").report
    assert ["内容一。", "今后要多学习。", "具体安排如下。"] == texts(report.sections[0].blocks)
    assert () == report.closing


def test_without_headings_everything_is_intro():
    report = import_text("小结\n第一段。\n第二段。\n总之，很好。").report
    assert (["第一段。", "第二段。", "总之，很好。"], ()) == (texts(report.intro), report.sections)


def test_a_document_starting_with_a_heading_has_no_title():
    result = import_text("一、学习\n内容。")
    assert ("", ["学习"]) == (result.report.title, titles(result.report.sections))
    assert [
        "<text>: no title found (the document starts with a heading); the title is left empty"
    ] == result.warnings


def test_spaces_inside_latin_text_and_numbers_are_not_paragraph_breaks():
    report = import_text(
        "小结 本学期使用 Word 2010 排版, 共有 30 名教师参加。 一、学习 内容。"
    ).report
    assert ["本学期使用 Word 2010 排版, 共有 30 名教师参加。"] == texts(report.intro)
    assert ["学习"] == titles(report.sections)


def test_a_label_followed_by_a_space_stays_with_its_heading_on_one_line():
    report = import_text("小结 导语。 一、 学习 内容。 （1） 细目 内容二。").report
    assert [["学习", ["细目"]]] == titles(report.sections)


def test_punctuation_is_normalized_only_when_asked():
    text = "小结(初稿)\n一、学习,实践;\n我们(全体党员)认真学习。"
    plain = import_text(text).report
    normalized = import_text(text, normalize_punctuation=True).report
    assert ("学习,实践;", "我们(全体党员)认真学习。") == (
        plain.sections[0].title,
        plain.sections[0].blocks[0].text,
    )
    assert ("学习，实践；", "我们（全体党员）认真学习。") == (
        normalized.sections[0].title,
        normalized.sections[0].blocks[0].text,
    )


@pytest.mark.parametrize("text", ["", "  \n\u3000\n", "\ufeff"])
def test_an_empty_text_is_a_data_error(text):
    with pytest.raises(DataError, match=r"note\.txt: has no text"):
        import_text(text, source="note.txt")


def test_text_that_is_not_a_str_is_a_data_error():
    with pytest.raises(DataError, match="<text>: is not text; expected a str; found a bytes"):
        import_text(b"abc")  # type: ignore[arg-type]


def test_the_result_renders():
    result = import_text((DATA / "notice-gbt9704.txt").read_text("utf-8"))
    assert isinstance(result, ImportResult)
    data = docgen.render(result.report, numbering="GBT9704").to_bytes()
    assert data[:2] == b"PK"


# --- Markdown ------------------------------------------------------------------------------------


def test_a_markdown_report_with_lists_a_table_an_image_emphasis_and_a_signature():
    result = import_markdown((DATA / "summary.md").read_text("utf-8"), source="summary.md")
    report = result.report
    assert ("2013学年第一学期教研组工作计划", "讨论稿", Term(2013, 1)) == (
        report.title,
        report.status,
        report.term,
    )
    intro = report.intro[0]
    assert isinstance(intro, Paragraph)
    assert (
        Run("本学期，我们"),
        Run("认真", bold=True),
        Run("学习，"),
        Run("努力", italic=True),
        Run("工作，坚持以校为本。"),  # soft-wrapped Chinese lines join without a space
    ) == intro.runs
    assert ["指导思想", ["主要工作", ["备课", "上课"]]] == titles(report.sections)
    assert (
        Paragraph(["坚持以校为本，", Run("抓重点", underline=True), "。"])
        == (report.sections[0].blocks[0])
    )
    prepare, teach = report.sections[1].subsections
    assert (BulletList(["集体备课", "个人备课"]),) == prepare.blocks
    assert NumberedList(["上好每一节课", "课后反思"], start=3) == teach.blocks[0]
    assert (
        Table([["周次", "内容"], ["1", "开学"], ["2", "教研 | 活动"]], header_rows=1)
        == (teach.blocks[1])
    )
    assert Image("images/logo.png", caption="图1 校徽") == teach.blocks[2]
    assert ["总之，本学期工作任务重。"] == texts(report.closing)
    assert Signature("东二小学", date=date(2014, 1, 15), date_style="long") == report.signature
    assert [] == result.warnings


@pytest.mark.parametrize(
    ("markdown", "runs"),
    [
        ("***粗斜***", [Run("粗斜", bold=True, italic=True)]),
        (
            "**粗*斜*粗**",
            [Run("粗", bold=True), Run("斜", bold=True, italic=True), Run("粗", bold=True)],
        ),
        ("a_b_c 与 _斜_", [Run("a_b_c 与 "), Run("斜", italic=True)]),
        ("`co*de*` 与 \\*星\\*", [Run("co*de* 与 *星*")]),
        ("见[网站](https://a.cn)", [Run("见网站（https://a.cn）")]),
        ("2 * 3 = 6", [Run("2 * 3 = 6")]),
        ("**未闭合", [Run("**未闭合")]),
    ],
)
def test_markdown_inline_emphasis(markdown, runs):
    report = import_markdown(f"# 标题\n\n{markdown}").report
    assert Paragraph(runs) == report.intro[0]


def test_markdown_setext_headings_code_fences_quotes_and_rules():
    markdown = """标题（初稿）
======

> 引用的导语

一、学习
------

```
代码 1
代码 2
```

***

正文。
"""
    report = import_markdown(markdown).report
    assert ("标题", "初稿") == (report.title, report.status)
    assert ["引用的导语"] == texts(report.intro)
    assert ["学习"] == titles(report.sections)
    assert (Paragraph("代码 1\n代码 2", indent=False), Paragraph("正文。")) == (
        report.sections[0].blocks
    )


def test_markdown_without_a_single_top_heading_warns_there_is_no_title():
    result = import_markdown("# 一、学习\n\n内容\n\n# 二、实践\n\n内容\n")
    assert ("", ["学习", "实践"]) == (result.report.title, titles(result.report.sections))
    assert [
        "<markdown>: no title found (the document starts with a heading); the title is left empty"
    ] == (result.warnings)


def test_nested_markdown_list_items_are_flattened_with_a_warning():
    result = import_markdown("# 标题\n\n- 甲\n  - 乙\n- 丙\n")
    assert (BulletList(["甲", "乙", "丙"]),) == result.report.intro
    assert ["<markdown>: nested list item 「乙」 flattened into its list"] == result.warnings


def test_markdown_with_windows_line_endings_and_front_matter():
    markdown = "---\r\nauthor: 张三\r\n---\r\n# 标题\r\n\r\n## 学习\r\n\r\n内容。\r\n"
    report = import_markdown(markdown).report
    assert Report("标题", sections=[Section("学习", blocks=["内容。"])]) == report


# --- Word ----------------------------------------------------------------------------------------


def every_block_report() -> Report:
    return Report(
        "测试报告",
        status="初稿",
        intro=["导语"],
        sections=[
            Section(
                "第一节；",
                blocks=[
                    "正文",
                    Paragraph(["有", Run("粗", bold=True), "体", Run("点", emphasis=True)]),
                    Paragraph([Run("斜", italic=True), Run("线", underline=True)]),
                    BulletList(["甲", "乙"]),
                    NumberedList(["丙", "丁"]),
                    Table(
                        [["表头一", "表头二"], [Cell("合并", colspan=2)], ["a", "b"]],
                        caption="表1 说明",
                    ),
                    Image(png(), width_cm=4, caption="图1 示意"),
                    PageBreak(),
                    Paragraph("不缩进的段落", indent=False),
                ],
                subsections=[Section("小节", blocks=["小节正文"])],
            ),
            Section("第二节", blocks=["内容"]),
        ],
        closing=["总之，工作顺利。"],
        signature=Signature("某校", name="张三", date=date(2014, 1, 15), date_style="long"),
        attachments=["附件甲", "附件乙"],
    )


@pytest.mark.parametrize("numbering", ["SCHOOL", "GBT9704", "DECIMAL"])
def test_a_rendered_report_imports_back_to_the_same_report(numbering):
    report = every_block_report()
    result = import_docx(docgen.render(report, numbering=numbering).to_bytes())
    assert [] == result.warnings
    assert report == result.report


def test_the_rendered_example_imports_back_to_the_example():
    report = attrs.evolve(docgen.load_report(EXAMPLE_YAML), template=None)  # not in a .docx
    assert report == import_docx(docgen.render(report).to_bytes()).report


W_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def docx(body: str, styles: str | None = None) -> bytes:
    """A minimal .docx around *body* (the inside of w:body)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        zf.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body>{body}'
            "</w:body></w:document>",
        )
        if styles is not None:
            zf.writestr(
                "word/styles.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><w:styles {W_NS}>{styles}</w:styles>',
            )
    return buf.getvalue()


def p(text: str, ppr: str = "", rpr: str = "") -> str:
    return f"<w:p><w:pPr>{ppr}</w:pPr><w:r><w:rPr>{rpr}</w:rPr><w:t>{text}</w:t></w:r></w:p>"


def tc(content: str, tcpr: str = "") -> str:
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{content}</w:tc>"


TEXT_BOX = (
    '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
    '<wp:extent cx="914400" cy="914400"/><a:graphic><a:graphicData uri="http://schemas.'
    'microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent>'
    + p("文本框里的话")
    + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
    "</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
    + p("文本框里的话")
    + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    "<w:r><w:t>锚定段落。</w:t></w:r></w:p>"
)

STYLES = (
    '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="标题 1"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="My Heading"/>'
    '<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
)


def handmade_docx() -> bytes:
    nested = (
        "<w:tbl><w:tr>"
        + tc(p("x"))
        + tc(p("y"))
        + "</w:tr><w:tr>"
        + tc(p("z"))
        + tc(p("w"))
        + "</w:tr></w:tbl>"
    )
    table = (
        "<w:tbl>"
        "<w:tr><w:trPr><w:tblHeader/></w:trPr>"
        + tc(p("A", rpr="<w:b/>"), '<w:gridSpan w:val="2"/>')
        + tc(p("B"), '<w:vMerge w:val="restart"/>')
        + "</w:tr><w:tr>"
        + tc(p("C"))
        + tc(p("D"))
        + tc("<w:p/>", "<w:vMerge/>")
        + "</w:tr><w:tr>"
        + tc(p("E"))
        + tc(p("F") + nested)
        + tc(p("G", rpr="<w:b/>"))
        + "</w:tr></w:tbl>"
    )
    body = (
        p("工作小结", '<w:jc w:val="center"/>')
        + p("导语。")
        + p("一、学习", '<w:pStyle w:val="1"/>')
        + p("正文", rpr="")
        + '<w:p><w:r><w:t xml:space="preserve">可见</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr>'
        "<w:t>隐藏</w:t></w:r><w:del><w:r><w:delText>删掉</w:delText></w:r></w:del>"
        '<w:hyperlink r:id="rId9"><w:r><w:t>链接</w:t></w:r></w:hyperlink></w:p>'
        + p("（一）分项", '<w:pStyle w:val="a5"/>')
        + TEXT_BOX
        + p("表1 统计")
        + table
        + p("二、实践", '<w:outlineLvl w:val="0"/>')
        + p("1、备课")
        + p("认真备课。")
        + p("2、上课")
        + p("认真上课。")
    )
    return docx(body, STYLES)


def test_a_handmade_docx_with_styles_merged_cells_a_nested_table_and_a_text_box():
    result = import_docx(handmade_docx(), source="handmade.docx")
    report = result.report
    assert "工作小结" == report.title  # the centred first paragraph
    assert ["导语。"] == texts(report.intro)
    assert [["学习", ["分项"]], ["实践", ["备课", "上课"]]] == titles(report.sections)
    assert ["正文", "可见链接"] == texts(report.sections[0].blocks)
    part = report.sections[0].subsections[0].blocks
    # the text box's paragraph is kept (once, not once per Word/VML copy), after its anchor
    assert ["锚定段落。", "文本框里的话", "Table"] == texts(part)
    table = part[2]
    assert (
        Table(
            [
                [Cell("A", colspan=2), Cell("B", rowspan=2)],
                ["C", "D"],
                [
                    "E",
                    Cell([Paragraph("F"), Paragraph("x\ty"), Paragraph("z\tw")]),
                    Cell([Paragraph([Run("G", bold=True)])]),
                ],
            ],
            header_rows=1,
            caption="表1 统计",
        )
        == table
    )
    assert [] == result.warnings


def test_a_table_whose_rows_are_short_is_padded_and_gridbefore_respected():
    table = (
        "<w:tbl><w:tr>" + tc(p("a")) + tc(p("b")) + tc(p("c")) + "</w:tr>"
        '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>' + tc(p("d")) + "</w:tr></w:tbl>"
    )
    report = import_docx(docx(p("标题") + p("导语") + table)).report
    assert Table([["a", "b", "c"], ["", "d", ""]], header_rows=0) == report.intro[1]


def test_word_lists_from_numbering_xml():
    numbering = (
        '<?xml version="1.0" encoding="UTF-8"?><w:numbering '
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>'
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0">'
        '<w:startOverride w:val="5"/></w:lvlOverride></w:num></w:numbering>'
    )
    num = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{}"/></w:numPr>'
    body = p("标题") + p("甲", num.format(1)) + p("乙", num.format(1)) + p("丙", num.format(2))
    data = docx(body)
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("word/numbering.xml", numbering)
    report = import_docx(buf.getvalue()).report
    assert (BulletList(["甲", "乙"]), NumberedList(["丙"], start=5)) == report.intro


def test_a_picture_that_is_not_png_jpeg_gif_or_bmp_is_left_out_with_a_warning():
    body = (
        p("标题")
        + '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="360000" cy="360000"/><a:graphic>'
        '<a:graphicData><a:blip r:embed="rId1"/></a:graphicData></a:graphic></wp:inline>'
        "</w:drawing></w:r></w:p>" + p("正文")
    )
    data = docx(body)
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr(
            "word/_rels/document.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="image" Target="media/a.emf"/>'
            "</Relationships>",
        )
        dst.writestr("word/media/a.emf", b"\x01\x00\x00\x00EMF")
    result = import_docx(buf.getvalue(), source="pic.docx")
    assert ["正文"] == texts(result.report.intro)
    assert [
        "pic.docx: the picture word/media/a.emf is not PNG, JPEG, GIF or BMP; it was left out"
    ] == (result.warnings)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip", "bad.docx: is not a Word document; expected a .docx file"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "bad.docx: is a Word 97–2003 (.doc/.wps) file or a password-protected document",
        ),
        (
            docx("<w:p><w:r><w:t>未闭合</w:r></w:p>"),
            "bad.docx: word/document.xml is not well-formed XML",
        ),
    ],
)
def test_a_file_that_is_not_a_readable_docx_is_a_data_error_naming_it(data, message):
    with pytest.raises(
        DataError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")
    ):
        import_docx(data, source="bad.docx")


def test_a_docx_with_a_dtd_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        dst.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><w:document/>',
        )
    with pytest.raises(DataError, match=r"evil\.docx: word/document\.xml declares a DTD"):
        import_docx(buf.getvalue(), source="evil.docx")


def test_import_docx_reads_a_path_and_names_it(tmp_path):
    path = tmp_path / "小结.docx"
    path.write_bytes(docgen.render(every_block_report()).to_bytes())
    assert every_block_report() == import_docx(path).report
    with pytest.raises(DataError, match=r"missing\.docx: does not exist"):
        import_docx(tmp_path / "missing.docx")


# --- files ---------------------------------------------------------------------------------------


def test_import_file_dispatches_on_the_suffix(tmp_path):
    (tmp_path / "a.txt").write_text("小结\n一、学习\n内容。", "utf-8")
    (tmp_path / "b.MD").write_text("# 小结\n\n## 学习\n\n内容。", "utf-8")
    (tmp_path / "c.docx").write_bytes(
        docgen.render(Report("小结", sections=[Section("学习", blocks=["内容。"])])).to_bytes()
    )
    expected = Report("小结", sections=[Section("学习", blocks=["内容。"])])
    for name in ("a.txt", "b.MD", "c.docx"):
        result = import_file(tmp_path / name)
        assert (expected, []) == (result.report, result.warnings)


def test_a_gbk_text_file_is_read_with_a_warning(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("小结\n一、学习\n内容。".encode("gbk"))
    result = import_file(path)
    assert ["学习"] == titles(result.report.sections)
    assert 1 == len(result.warnings)
    assert result.warnings[0].startswith(f"{path}: not UTF-8 (byte 0x")
    assert result.warnings[0].endswith("; read as GB18030 (GBK)")


def test_a_utf8_bom_and_utf16_text_file_are_read(tmp_path):
    (tmp_path / "bom.txt").write_bytes("\ufeff小结\n内容。".encode())
    (tmp_path / "u16.txt").write_bytes("小结\n内容。".encode("utf-16"))
    for name in ("bom.txt", "u16.txt"):
        result = import_file(tmp_path / name)
        assert (Report("小结", intro=["内容。"]), []) == (result.report, result.warnings)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.pdf", b"%PDF", r"a\.pdf: has a suffix docgen cannot import; expected one of \.txt"),
        ("a", b"x", r"a: has a suffix docgen cannot import; .*found no suffix"),
        ("a.txt", b"\x00\x01binary", r"a\.txt: is not a text file"),
        ("a.odt", b"hello", r"a\.odt: is not what its suffix \.odt says; expected an OpenDocument"),
        ("a.rtf", b"PK\x03\x04", r"a\.rtf: is not what its suffix \.rtf says; expected an RTF"),
    ],
)
def test_import_file_errors_name_the_file(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(DataError, match=message):
        import_file(tmp_path / name)


def test_a_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match=r"nope\.txt: does not exist"):
        import_file(tmp_path / "nope.txt")


def test_without_libreoffice_a_doc_names_the_install_command(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("DOCGEN_SOFFICE", raising=False)
    monkeypatch.setattr("docgen.pdf._CANDIDATES", ())
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(DataError) as info:
        import_file(path)
    message = str(info.value)
    assert message.startswith(f"{path}: LibreOffice is needed to read .doc files and was not found")
    assert "apt-get install libreoffice-writer-nogui" in message
    assert "https://www.libreoffice.org/download/" in message


@pytest.mark.libreoffice
@pytest.mark.parametrize("suffix", ["odt", "doc", "rtf"])
def test_odt_doc_and_rtf_are_read_through_libreoffice(soffice, tmp_path, suffix):
    report = attrs.evolve(docgen.load_report(EXAMPLE_YAML), template=None)  # not in a .docx
    source = docgen.render(report).save(tmp_path / "summary.docx")
    soffice_convert(soffice, source, out_dir=tmp_path, to=suffix)
    result = import_file(tmp_path / f"summary.{suffix}")
    assert [] == result.warnings
    assert report == result.report


@pytest.mark.libreoffice
def test_a_file_libreoffice_cannot_read_is_a_data_error(soffice, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not an OpenDocument")
    path = tmp_path / "broken.odt"
    path.write_bytes(buf.getvalue())
    with pytest.raises(DataError, match=r"broken\.odt: LibreOffice cannot read it"):
        import_file(path)


def test_no_python_warnings_are_emitted(recwarn):
    import_text((DATA / "plan-placeholder.txt").read_text("utf-8"))
    assert [] == [str(w.message) for w in recwarn]


def test_import_result_is_a_frozen_attrs_class():
    result = import_text("小结\n内容。")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.report = Report("x")  # type: ignore[misc]


# --- any input -----------------------------------------------------------------------------------

_LINE_STARTS = [
    "",
    "一、",
    "（二）",
    "(3)",
    "4、",
    "5.",
    "６．",
    "①",
    "1.2 ",
    "2 ",
    "附件：",
    "总之，",
]
_MARKS = ["#", "## ", "- ", "| a | b |", "|---|---|", "```", "1. ", "---", "**", "> "]
_SPECIAL = ["2014年1月", "二〇一四年一月十五日", "20xx年x月", "东二小学", "2013学年第一学期小结"]
_LINES = st.one_of(
    st.builds(str.__add__, st.sampled_from(_LINE_STARTS), mixed_text),
    st.sampled_from(_SPECIAL),
)
_MARKDOWN_LINES = st.one_of(_LINES, st.builds(str.__add__, st.sampled_from(_MARKS), mixed_text))


def _has_text(text: str) -> bool:
    return any(ch not in " \t\r\n\f\u3000\u00a0\ufeff" for ch in text)


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(_LINES, max_size=12), separator=st.sampled_from(["\n", " ", "\r\n\r\n"]))
def test_any_text_imports_without_crashing(lines, separator):
    text = separator.join(lines)
    if not _has_text(text):
        with pytest.raises(DataError, match="has no text"):
            import_text(text)
        return
    result = import_text(text)
    assert all(w.startswith("<text>: ") for w in result.warnings)


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(_MARKDOWN_LINES, max_size=12))
def test_any_markdown_imports_without_crashing_or_only_says_it_has_no_text(lines):
    try:
        result = import_markdown("\n".join(lines))
    except DataError as exc:
        message = str(exc)
    else:
        assert all(w.startswith("<markdown>: ") for w in result.warnings)
        return
    assert message.startswith("<markdown>: has no text")
