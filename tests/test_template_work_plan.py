"""The built-in work-plan template: 工作计划 with its 行事历, rendered from examples/."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
import yaml

import docgen
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "work-plan.yaml"


def example_data() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text("utf-8"))


def render(data: dict[str, Any]) -> docx.document.Document:
    report = docgen.report_from_mapping(data)
    return docx.Document(io.BytesIO(docgen.render(report, "work-plan").to_bytes()))


def texts(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def table_rows(document: docx.document.Document, n: int = 0) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in document.tables[n].rows]


@pytest.fixture(scope="module")
def example() -> docx.document.Document:
    report = docgen.load_report(EXAMPLE)
    return docx.Document(io.BytesIO(docgen.render(report, "work-plan").to_bytes()))


def test_the_example_renders_title_guidance_numbered_sections_then_calendar_and_signature(
    example,
):
    paragraphs = texts(example)
    assert "2014学年第一学期教导处工作计划" == paragraphs[0]
    assert paragraphs[1].startswith("本学期，教导处将以区教育局2014年工作要点")
    headings = [
        (p.text, p.style.style_id)
        for p in example.paragraphs
        if p.style.style_id.startswith("Heading")
    ]
    assert [
        ("一、工作目标", "Heading1"),
        ("二、主要工作与措施", "Heading1"),
        ("1、加强课程管理，落实课程方案", "Heading2"),
        ("2、规范教学常规，提高课堂效益", "Heading2"),
        ("3、深化校本研修，促进教师发展", "Heading2"),
        ("4、做好质量监控，加强分析反馈", "Heading2"),
        ("三、保障措施", "Heading1"),
    ] == headings
    assert "1、落实市、区课程计划，开齐开足各类课程，完善学校课程方案；" in paragraphs
    assert any(p.startswith("（1）备课：") for p in paragraphs)
    assert ["2014学年第一学期教导处工作行事历", "徐汇区东二小学教导处", "2014年9月"] == (
        paragraphs[-3:]
    )


def test_the_calendar_title_is_a_centred_caption_and_the_table_follows_it(example):
    caption = next(p for p in example.paragraphs if p.text.endswith("工作行事历"))
    assert "Caption" == caption.style.style_id
    body = example.element.body
    following = caption._p.getnext()
    assert following is not None
    assert following.tag.endswith("}tbl")
    assert 1 == len(example.tables)
    assert body.index(following) < body.index(example.paragraphs[-1]._p)


def test_calendar_dates_are_monday_to_friday_of_each_week_from_the_term_start(example):
    rows = table_rows(example)
    assert ["周次", "日期", "工作内容", "负责人"] == rows[0]
    by_week = {row[0]: row for row in rows[1:]}
    assert ["第1周", "9月1日—9月5日"] == by_week["第1周"][:2]
    assert "9月15日—9月19日" == by_week["第3周"][1]
    assert "10月20日—10月24日" == by_week["第8周"][1]
    assert "12月29日—1月2日" == by_week["第18周"][1]  # a week across the new year
    assert "1月19日—1月23日" == by_week["第21周"][1]
    # a row may give its own dates (国庆节 week)
    assert ["第5周", "9月28日—9月30日"] == by_week["第5周"][:2]


def test_calendar_rows_follow_the_schedule_with_contents_and_owners(example):
    schedule = example_data()["extra"]["schedule"]
    rows = table_rows(example)[1:]
    assert [f"第{r['week']}周" for r in schedule] == [row[0] for row in rows]
    assert ["开学典礼；各教研组、年级组制订学期工作计划；课表编排与核查", "教导处"] == rows[0][2:]
    assert "" == rows[4][3]  # a row without an owner leaves the cell empty
    # a list of items: one paragraph each in the cell
    cell = example.tables[0].rows[2].cells[2]
    assert ["一年级新生入学适应期课程", "教师节庆祝活动"] == [p.text for p in cell.paragraphs]


def test_the_calendar_header_is_bold_repeats_on_each_page_and_uses_the_table_faces(example):
    table = example.tables[0]
    header = table.rows[0]
    assert header._tr.trPr.xpath("./w:tblHeader")
    runs = [r for c in header.cells for p in c.paragraphs for r in p.runs]
    assert runs
    assert all(r.bold for r in runs)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    # runs carry only the East Asian hint; the face comes from the TableText style, so the
    # one named in template.toml reaches them
    assert {None} == {f.get(f"{w}eastAsia") for f in table._tbl.xpath(".//w:r/w:rPr/w:rFonts")}
    assert {"eastAsia"} == {f.get(f"{w}hint") for f in table._tbl.xpath(".//w:r/w:rPr/w:rFonts")}
    style = example.styles["Table Text"].element
    assert "仿宋" == style.xpath("./w:rPr/w:rFonts")[0].get(f"{w}eastAsia")
    assert {"TableText"} == {p.style.style_id for c in table.rows[1].cells for p in c.paragraphs}


def test_the_last_calendar_row_keeps_with_the_signature_below(example):
    rows = example.tables[0].rows
    assert all(p.paragraph_format.keep_with_next for c in rows[-1].cells for p in c.paragraphs)
    assert not any(p.paragraph_format.keep_with_next for c in rows[1].cells for p in c.paragraphs)


def test_no_tag_and_no_stray_empty_paragraph_is_left(example):
    assert not any("{{" in p.text or "{%" in p.text for p in example.paragraphs)
    cells = [c.text for t in example.tables for row in t.rows for c in row.cells]
    assert not any("{{" in t or "{%" in t for t in cells)
    empty = [p for p in example.paragraphs if not p.text.strip()]
    # only the blank line GB/T 9704 puts between the text and the signature
    assert ["Signature"] == [p.style.style_id for p in empty]


def test_a_plan_without_a_calendar_has_no_table_and_no_calendar_title():
    data = example_data()
    del data["extra"]["schedule"]
    document = render(data)
    assert [] == document.tables
    assert not any("行事历" in t for t in texts(document))
    assert ["徐汇区东二小学教导处", "2014年9月"] == texts(document)[-2:]


def test_an_empty_schedule_is_the_same_as_none():
    data = example_data()
    data["extra"]["schedule"] = []
    assert [] == render(data).tables


def test_the_owner_column_is_left_out_when_no_row_names_an_owner():
    data = example_data()
    for row in data["extra"]["schedule"]:
        row.pop("owner", None)
    document = render(data)
    rows = table_rows(document)
    assert ["周次", "日期", "工作内容"] == rows[0]
    assert all(3 == len(row) for row in rows)
    widths = [int(w) for w in document.tables[0]._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
    assert 8844 == pytest.approx(sum(widths), abs=10)  # still the whole text block


def test_the_week_label_and_the_days_shown_are_fields():
    data = example_data()
    data["extra"].update(week_label="{}", schedule_days=6, schedule_title="行事历")
    document = render(data)
    rows = table_rows(document)
    assert ["1", "9月1日—9月6日"] == rows[1][:2]
    assert "行事历" in texts(document)


def test_a_calendar_needs_the_term_start_date_and_the_error_names_the_term():
    data = example_data()
    data["term"] = "2014学年第一学期"  # no start date
    with pytest.raises(docgen.DocgenError) as info:
        render(data)
    message = str(info.value)
    assert "2014学年第一学期 has no start date" in message
    assert "start: 2014-" in message  # and says how to give it


def test_a_calendar_without_any_term_says_so():
    data = example_data()
    del data["term"]
    with pytest.raises(docgen.DocgenError, match="needs the term"):
        render(data)


def test_the_manifest_describes_every_field_with_a_default():
    manifest = docgen.Template.load("work-plan").manifest
    assert "SCHOOL" == manifest.numbering
    assert {"schedule", "schedule_title", "week_label", "schedule_days"} == set(manifest.fields)
    for name, spec in manifest.fields.items():
        assert spec.description, name
        assert not spec.required, name
    assert [] == manifest.fields["schedule"].default
