"""工作总结 / 小结: title (with status), the body slot, the signature slot."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools.build_templates import paragraph


def body(fonts: Mapping[str, Mapping[str, Any]]) -> str:
    return (
        paragraph("Title", "{{ title }}{% if status %}（{{ status }}）{% endif %}", fonts["title"])
        + paragraph("BodyText", "{{p body }}")
        + paragraph("Signature", "{{p signature_block }}")
    )
