"""The built-in notice template: 通知 after GB/T 9704, rendered from examples/."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
import yaml

import docgen
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "notice.yaml"


def example_data() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text("utf-8"))


def render(data: dict[str, Any]) -> docx.document.Document:
    report = docgen.report_from_mapping(data)
    return docx.Document(io.BytesIO(docgen.render(report, "notice").to_bytes()))


def texts(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


@pytest.fixture(scope="module")
def example() -> docx.document.Document:
    report = docgen.load_report(EXAMPLE)
    return docx.Document(io.BytesIO(docgen.render(report, "notice").to_bytes()))


def test_the_example_renders_title_recipients_body_attachments_and_signature(example):
    paragraphs = texts(example)
    assert "关于做好2013学年第一学期期末工作的通知" == paragraphs[0]
    assert "各教研组、年级组：" == paragraphs[1]
    assert paragraphs[2].startswith("本学期即将结束。")
    assert "特此通知。" == paragraphs[-5]
    assert "附件：1. 2013学年第一学期期末质量调研安排表" == paragraphs[-4]
    assert "2. 期末工作检查要求" == paragraphs[-3].strip("\u3000")
    assert ["徐汇区东二小学教导处", "2014年1月6日"] == paragraphs[-2:]


def test_the_title_is_centred_and_the_recipients_line_is_flush_left(example):
    title, recipients = example.paragraphs[0], example.paragraphs[1]
    assert "Title" == title.style.style_id
    assert docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER == title.style.paragraph_format.alignment
    assert "各教研组、年级组：" == recipients.text
    assert 0 == recipients.paragraph_format.first_line_indent
    assert recipients.paragraph_format.left_indent in (None, 0)
    assert recipients.paragraph_format.alignment is None  # the style's: justified from the left


def test_sections_are_numbered_after_gbt9704_with_its_heading_styles(example):
    headings = [
        (p.text, p.style.style_id) for p in example.paragraphs if "Heading" in p.style.style_id
    ]
    assert [
        ("一、期末质量调研", "Heading1"),
        ("（一）时间安排", "Heading2"),
        ("（二）工作要求", "Heading2"),
        ("二、学期工作总结", "Heading1"),
        ("三、寒假安全教育", "Heading1"),
        ("四、散学典礼", "Heading1"),
    ] == headings
    items = [p for p in texts(example) if p[:2] in ("1.", "2.", "3.")]
    assert 3 == len(items)
    assert items[0].startswith("1.各教研组要指导教师制订复习计划")


def test_no_tag_and_no_stray_empty_paragraph_is_left(example):
    assert not any("{{" in p.text or "{%" in p.text for p in example.paragraphs)
    empty = [p.style.style_id for p in example.paragraphs if not p.text.strip()]
    # the blank line above 附件说明 and the one above the signature (GB/T 9704 §7.3.4, §7.3.5)
    assert ["Attachment", "Signature"] == empty


@pytest.mark.parametrize(
    ("recipients", "expected"),
    [
        ("各教研组、年级组", "各教研组、年级组："),
        ("全体教职工：", "全体教职工："),
        ("全体教职工:", "全体教职工："),
        ("全体教职工 ： ", "全体教职工："),
        (["各教研组", "年级组", "各部门"], "各教研组、年级组、各部门："),
    ],
)
def test_the_recipients_end_with_one_full_width_colon(recipients, expected):
    data = example_data()
    data["extra"]["recipients"] = recipients
    assert expected == texts(render(data))[1]


def test_a_notice_without_attachments_has_no_attachment_note():
    data = example_data()
    del data["attachments"]
    paragraphs = texts(render(data))
    assert not any(p.startswith("附件") for p in paragraphs)
    assert ["特此通知。", "徐汇区东二小学教导处", "2014年1月6日"] == paragraphs[-3:]


def test_the_date_style_of_the_data_signs_the_notice():
    data = example_data()
    data["signature"]["date_style"] = "chinese"
    assert "二〇一四年一月六日" == texts(render(data))[-1]


def test_missing_recipients_is_an_error_naming_the_field():
    data = example_data()
    del data["extra"]
    with pytest.raises(docgen.DocgenError) as info:
        render(data)
    assert "extra.recipients" in str(info.value)


def test_the_manifest_asks_for_gbt9704_numbering_and_describes_its_field():
    manifest = docgen.Template.load("notice").manifest
    assert "GBT9704" == manifest.numbering
    assert ["recipients"] == list(manifest.fields)
    assert manifest.fields["recipients"].required
    assert "主送" in manifest.fields["recipients"].description
