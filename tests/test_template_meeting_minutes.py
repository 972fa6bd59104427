"""The built-in meeting-minutes template: 会议纪要 and its header fields, from examples/."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import pytest
import yaml

import docgen
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "meeting-minutes.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LABELS = ("时间", "地点", "主持人", "记录人", "出席人员", "列席人员", "缺席人员")


def example_data() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text("utf-8"))


def render(data: dict[str, Any]) -> docx.document.Document:
    report = docgen.report_from_mapping(data)
    return docx.Document(io.BytesIO(docgen.render(report, "meeting-minutes").to_bytes()))


def texts(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def fields(document: docx.document.Document) -> dict[str, str]:
    """Header lines as label → value (the label without its spacing, the value after the tab)."""
    out = {}
    for p in document.paragraphs:
        label, sep, value = p.text.partition("：\t")
        if sep and label in LABELS:
            out[label] = value
    return out


@pytest.fixture(scope="module")
def example() -> docx.document.Document:
    report = docgen.load_report(EXAMPLE)
    return docx.Document(io.BytesIO(docgen.render(report, "meeting-minutes").to_bytes()))


def test_the_example_renders_title_header_agenda_decisions_followups_and_signature(example):
    paragraphs = texts(example)
    assert "2013学年第一学期第五次校务会议纪要" == paragraphs[0]
    assert [
        "时间：\t2014年1月10日（星期五）下午3:30",
        "地点：\t学校三楼会议室",
        "主持人：\t王建华（校长）",
        "记录人：\t陈静",
        "出席人员：\t王建华、李明、张晓燕、刘芳、周国平、吴慧、郑小红、黄海涛、陈静",
        "缺席人员：\t孙伟（外出学习）",
    ] == paragraphs[1:7]
    assert paragraphs[7].startswith("2014年1月10日下午，校长王建华")
    assert [
        "（1）期末质量调研于1月20日至24日进行，由教导处统一命题、统一阅卷，调研结果于1月27日前完成分析。",
        "（2）1月17日下午召开全体学生安全教育大会，各班于放假前完成《致家长的一封信》回执的收集。",
        "（3）各部门学期工作总结于1月17日前报校长室，教职工考核工作于1月24日前完成。",
    ] == [p for p in paragraphs if p.startswith("（")]
    assert ["徐汇区东二小学校长室", "2014年1月10日"] == paragraphs[-2:]


def test_agenda_items_are_numbered_and_decisions_and_followups_continue_the_numbers(example):
    headings = [
        (p.text, p.style.style_id) for p in example.paragraphs if "Heading" in p.style.style_id
    ]
    assert [
        ("一、关于期末质量调研工作安排", "Heading1"),
        ("二、关于寒假学生安全教育", "Heading1"),
        ("三、关于学期工作总结与教职工考核", "Heading1"),
        ("四、决议事项", "Heading1"),
        ("五、后续工作", "Heading1"),
    ] == headings


def test_the_followup_table_lists_task_owner_and_due_date(example):
    assert 1 == len(example.tables)
    rows = [[c.text for c in row.cells] for row in example.tables[0].rows]
    assert [
        ["序号", "工作任务", "负责人", "完成时限"],
        ["1", "制定期末质量调研命题与阅卷安排", "李明（教导处）", "1月15日前"],
        ["2", "召开学生安全教育大会，收集家长回执", "张晓燕（德育室）", "2014年1月17日"],
        ["3", "汇总各部门学期工作总结", "刘芳（校长室）", "1月17日前"],
        ["4", "完成教职工年度考核", "王建华", "2014年1月24日"],
    ] == rows
    heading = next(p for p in example.paragraphs if p.text == "五、后续工作")
    assert heading.style.paragraph_format.keep_with_next  # the heading stays with its table
    assert heading._p.getnext().tag == f"{W}tbl"
    # the last row keeps with the signature under the table, the others do not
    last, first = example.tables[0].rows[-1], example.tables[0].rows[1]
    assert all(p.paragraph_format.keep_with_next for c in last.cells for p in c.paragraphs)
    assert not any(p.paragraph_format.keep_with_next for c in first.cells for p in c.paragraphs)


def test_header_labels_are_spaced_to_the_same_width_and_values_start_at_one_tab_stop(example):
    header = [p for p in example.paragraphs if p.text.partition("：\t")[0] in LABELS]
    assert 6 == len(header)

    def label_width(p: Any) -> int:
        """Width of the label and its colon in twentieths of a point (16 pt characters)."""
        width = 0
        for r in p._p.xpath("./w:r"):
            text = "".join(r.xpath("./w:t/text()"))
            if r.xpath("./w:tab"):
                break
            spacing = r.xpath("./w:rPr/w:spacing/@w:val")
            width += len(text) * (320 + int(spacing[0] if spacing else -5))  # -5: the style's
        return width

    widths = {p.text.partition("：")[0]: label_width(p) for p in header}
    assert 5 * (320 - 5) == pytest.approx(widths["出席人员"])
    for label, width in widths.items():
        assert widths["出席人员"] == pytest.approx(width, abs=2), label
    tabs = {tuple(p._p.xpath("./w:pPr/w:tabs/w:tab/@w:pos")) for p in header}
    lefts = {p.paragraph_format.left_indent for p in header}
    assert 1 == len(tabs) == len(lefts)  # one tab stop, where wrapped names hang too


def test_no_tag_and_no_stray_empty_paragraph_is_left(example):
    assert not any("{{" in p.text or "{%" in p.text for p in example.paragraphs)
    empty = [p for p in example.paragraphs if not p.text.strip()]
    assert ["Signature"] == [p.style.style_id for p in empty]  # the line above the signature


def test_optional_parts_left_out_leave_no_label_heading_or_table():
    data = example_data()
    for key in ("recorder", "absent", "decisions", "followups"):
        del data["extra"][key]
    del data["signature"]
    document = render(data)
    assert {"时间", "地点", "主持人", "出席人员"} == set(fields(document))
    paragraphs = texts(document)
    assert not any(p.startswith(("记录人", "缺席人员", "列席人员")) for p in paragraphs)
    assert not any("决议事项" in p or "后续工作" in p for p in paragraphs)
    assert [] == document.tables
    assert paragraphs[-1].startswith("校长室对本学期工作总结")
    assert [] == [p for p in document.paragraphs if not p.text.strip()]


def test_followups_without_decisions_take_the_next_number():
    data = example_data()
    del data["extra"]["decisions"]
    headings = [p.text for p in render(data).paragraphs if p.style.style_id == "Heading1"]
    assert "四、后续工作" == headings[-1]


def test_decisions_and_followups_continue_the_numbering_scheme_asked_for():
    report = docgen.load_report(EXAMPLE)
    out = docgen.render(report, "meeting-minutes", numbering="DECIMAL").to_bytes()
    document = docx.Document(io.BytesIO(out))
    headings = [p.text for p in document.paragraphs if p.style.style_id == "Heading1"]
    assert ["4 决议事项", "5 后续工作"] == headings[-2:]
    assert headings[0].startswith("1 ")


def test_lists_or_text_for_names_a_date_for_the_time_and_guests_when_given():
    data = example_data()
    data["extra"].update(
        time=dt.date(2014, 1, 10),
        attendees="全体行政人员",
        guests=["赵磊（家委会代表）", "钱芳（社区）"],
        absent=[],
        decisions_title="会议决定",
    )
    document = render(data)
    assert {
        "时间": "2014年1月10日（星期五）",
        "地点": "学校三楼会议室",
        "主持人": "王建华（校长）",
        "记录人": "陈静",
        "出席人员": "全体行政人员",
        "列席人员": "赵磊（家委会代表）、钱芳（社区）",
    } == fields(document)
    assert "四、会议决定" in texts(document)


def test_a_single_decision_may_be_written_as_text():
    data = example_data()
    data["extra"]["decisions"] = "寒假值班由行政人员轮流负责。"
    decisions = [p for p in texts(render(data)) if p.startswith("（")]
    assert ["（1）寒假值班由行政人员轮流负责。"] == decisions


def test_a_missing_required_field_is_an_error_naming_it():
    data = example_data()
    del data["extra"]["host"]
    with pytest.raises(docgen.DocgenError) as info:
        render(data)
    assert "extra.host" in str(info.value)
    assert "主持人" in str(info.value)  # with what it is for


def test_the_manifest_names_required_and_optional_fields():
    manifest = docgen.Template.load("meeting-minutes").manifest
    required = {n for n, spec in manifest.fields.items() if spec.required}
    assert {"time", "place", "host", "attendees"} == required
    assert all(spec.description for spec in manifest.fields.values())
    assert "GBT9704" == manifest.numbering
