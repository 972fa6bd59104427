"""学期评语: one page per student, for batch rendering from a spreadsheet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools.build_templates import paragraph


def _plain(style: str, text: str, font: Mapping[str, Any], *, align: str = "left") -> str:
    """A paragraph without the first-line indent (labels and field lines)."""
    return paragraph(style, text, font).replace(
        f'<w:pStyle w:val="{style}"/>',
        f'<w:pStyle w:val="{style}"/><w:ind w:firstLineChars="0" w:firstLine="0"/>'
        f'<w:jc w:val="{align}"/>',
        1,
    )


def body(fonts: Mapping[str, Mapping[str, Any]]) -> str:
    return (
        paragraph("Title", "{{ school }}{{ term }}学生评语", fonts["title"])
        + _plain("BodyText", "班级：{{ student.class }}　　姓名：{{ student.name }}", fonts["body"])
        + paragraph("BodyText", "{{ comment }}", fonts["body"])
        + paragraph("Signature", "")
        + paragraph("Signature", "班主任：{{ teacher }}", fonts["signature"])
        + paragraph("Signature", "{%p if date %}", fonts["signature"])
        + paragraph("Signature", "{{ date|cn_date('long') }}", fonts["signature"])
        + paragraph("Signature", "{%p endif %}", fonts["signature"])
    )
