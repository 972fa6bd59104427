"""通知: title, the 主送 line, the body slot (with 附件说明), the signature slot.

The 主送 line (GB/T 9704 §7.3.2: one line below the title, flush left, ending with a
full-width colon) comes from ``recipients``: text, or a list joined with 、.  A colon the data
already has (half- or full-width) is not doubled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools.build_templates import paragraph
from tools.template_bodies.work_plan import control, run

RECIPIENTS = (
    "{% set to = recipients if recipients is string else recipients|join('、') %}"
    "{{ to.strip().rstrip(':：').rstrip() }}："
)


def body(fonts: Mapping[str, Mapping[str, Any]]) -> str:
    flush_left = (
        '<w:p><w:pPr><w:pStyle w:val="BodyText"/><w:ind w:firstLineChars="0" w:firstLine="0"/>'
        f"</w:pPr>{run(RECIPIENTS, fonts['body'])}</w:p>"
    )
    return (
        paragraph("Title", "{{ full_title }}", fonts["title"])
        + control("{%p if recipients %}")
        + flush_left
        + control("{%p endif %}")
        + paragraph("BodyText", "{{p body }}")
        + paragraph("Signature", "{{p signature_block }}")
    )
