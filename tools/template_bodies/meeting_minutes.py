"""会议纪要 / 会议记录: title, the header fields, the agenda (body slot), 决议事项, 后续工作.

The header fields (时间, 地点, 主持人, 记录人, 出席人员, 列席人员, 缺席人员) come from the
manifest's fields; optional ones that are empty leave no line behind.  Each label is spaced
out to four characters (时　　间, 主 持 人, 出席人员 — what Word's 调整宽度 does), and the value
starts at a tab stop, so a long list of names wraps under its first name.

The agenda items are the report's sections, numbered by the body slot (一、（一）…); 决议事项
and 后续工作 continue that numbering as level-1 headings (三、决议事项) and are left out when
the data gives none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools.build_templates import CONDENSE, paragraph
from tools.template_bodies.work_plan import control, looped_table, run, size_pt

LABEL_CHARS = 4  # every label takes four characters, then the full-width colon


def field(label: str, value: str, font: Mapping[str, Any]) -> str:
    """One header line: the label spaced out to four characters, a colon, the value.

    The line starts two characters in like the body text; the value starts at a tab stop
    seven characters in, and wrapped lines of the value hang there too.
    """
    size = size_pt(font)
    char = round(size * 20)  # one character of the body size, in twips
    runs = ""
    if len(label) < LABEL_CHARS:
        # Spread the missing width over the gaps between the label's characters.  Every
        # character of the style is condensed by CONDENSE (see build_templates), so a gap
        # is the added space plus that condensing.
        gaps = len(label) - 1
        missing = (LABEL_CHARS - len(label)) * (size * 20 + CONDENSE)
        spacing = round(missing / gaps + CONDENSE)
        runs += run(label[:-1], font, spacing=spacing) + run(label[-1] + "：", font)
    else:
        runs += run(label + "：", font)
    ppr = (
        '<w:pStyle w:val="BodyText"/>'
        f'<w:tabs><w:tab w:val="left" w:pos="{7 * char}"/></w:tabs>'
        f'<w:ind w:leftChars="700" w:left="{7 * char}" '
        f'w:hangingChars="500" w:hanging="{5 * char}"/>'
    )
    return f"<w:p><w:pPr>{ppr}</w:pPr>{runs}<w:r><w:tab/></w:r>{run(value, font)}</w:p>"


def names(var: str) -> str:
    """A list of names joined with 、 (text is printed as given)."""
    return f"{{{{ {var} if {var} is string else {var}|join('、') }}}}"


TIME = (
    "{% if time is string %}{{ time }}"
    "{% else %}{{ time|cn_date('long') }}（{{ time|cn_date('weekday') }}）{% endif %}"
)
DUE = (
    "{% if f.due is string %}{{ f.due }}"
    "{% elif f.due is defined and f.due %}{{ f.due|cn_date('long') }}{% endif %}"
)


def _followups_table(fonts: Mapping[str, Mapping[str, Any]]) -> str:
    columns = [  # 15.6 cm, the text block; 完成时限 fits 2014年1月17日 in 小四 on one line
        ("序号", 1.3, "{{ loop.index }}", "center"),
        ("工作任务", 6.1, "{{ f.task }}", "left"),
        ("负责人", 3.8, "{{ f.owner|default('') }}", "center"),
        ("完成时限", 4.4, DUE, "center"),
    ]
    return looped_table("for f in followups", columns, fonts["table_text"])


def _optional(name: str, label: str, font: Mapping[str, Any]) -> str:
    return (
        control(f"{{%p if {name} %}}") + field(label, names(name), font) + control("{%p endif %}")
    )


def body(fonts: Mapping[str, Mapping[str, Any]]) -> str:
    font = fonts["body"]
    head = fonts["heading1"]
    return (
        paragraph("Title", "{{ full_title }}", fonts["title"])
        + field("时间", TIME, font)
        + field("地点", "{{ place }}", font)
        + field("主持人", "{{ host }}", font)
        + _optional("recorder", "记录人", font)
        + field("出席人员", names("attendees"), font)
        + _optional("guests", "列席人员", font)
        + _optional("absent", "缺席人员", font)
        + paragraph("BodyText", "{{p body }}")
        # 决议事项: the next level-1 label of the scheme after the agenda items, then （1）（2）…
        + control("{%p if decisions %}")
        + paragraph(
            "Heading1", "{{ numbering.label(1, sections|length + 1) }}{{ decisions_title }}", head
        )
        + control("{%p for d in ([decisions] if decisions is string else decisions) %}")
        + paragraph("BodyText", "（{{ loop.index }}）{{ d }}", font)
        + control("{%p endfor %}")
        + control("{%p endif %}")
        # 后续工作: a table of task, owner and due date
        + control("{%p if followups %}")
        + paragraph(
            "Heading1",
            "{{ numbering.label(1, sections|length + (2 if decisions else 1)) }}"
            "{{ followups_title }}",
            head,
        )
        + _followups_table(fonts)
        + control("{%p endif %}")
        + paragraph("Signature", "{{p signature_block }}")
    )
