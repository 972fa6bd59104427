"""公文 (GB/T 9704-2012): 版头, title, 主送机关, the body slot, signature, 附注, 版记.

The page is the builder's (A4, 版心 156 mm × 225 mm, 22 lines of 28.95 pt, "— 1 —"); the
rest follows GB/T 9704-2012 §7:

- 版头, only when ``issuer_mark`` is given: the 发文机关标志 centred and red, its upper edge
  35 mm below the 版心's upper edge (§7.2.4); the 发文字号 centred two blank lines below it
  (§7.2.5); a red line as wide as the 版心 4 mm below the 发文字号 (§7.2.7); the title two
  blank lines below the red line (§7.3.1).
- The 主送机关 one blank line below the title, flush left, ending with a full-width colon
  (§7.3.2); the body, 附件说明 and signature come from the body slot.
- 附注 in （）, two characters in, on the line under the date (§7.3.6).
- 版记 (§7.4): 抄送机关 and 印发机关/印发日期 in 四号, one character in from each side, between
  lines as wide as the 版心 (first and last 0.35 mm, those between 0.25 mm), in a floating
  table whose last line lies on the 版心's lower edge of the last page.

The runs carry no faces of their own: they take them from the styles, which docgen rewrites
from ``template.toml`` at load.  The 发文机关标志 takes the title's face.  Vertical offsets
were calibrated by rendering with LibreOffice (docs/templates-official.md has the numbers).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools.build_templates import LEFT, LINE, MM, PAGE_W, RIGHT, paragraph

RED = "FF0000"
WIDTH = PAGE_W - LEFT - RIGHT  # the 版心, 156 mm in twips
CHAR4 = 14 * 20  # one 四号 character (14 pt) in twips: 版记 indents

# The 发文机关标志: GB/T 9704-2012 leaves its size to the issuer (醒目、美观、庄重); the 1999
# edition capped a character at 22 mm × 15 mm.  One line, as large as fits the 156 mm 版心:
# (most characters, size in pt).  初号 is 14.8 mm a character, so 10 of them fill 148 mm.
MARK_SIZES = ((10, 42), (12, 36), (16, 27), (None, 22))
MARK_TOP = 35 * MM  # §7.2.4: upper edge 35 mm below the 版心's upper edge
# Where the ink of a Chinese character starts below the top of an exact-height line box, as a
# fraction of the font size (measured in LibreOffice with Noto CJK, see docs/templates-official.md).
INK_TOP = 0.126
RULE_GAP = 7  # §7.2.7: the red line 4 mm below the 发文字号's lower edge (border space, points)

THICK = 8  # 版记 lines, eighths of a point: 1 pt = 0.35 mm (first and last)
THIN = 6  # 0.75 pt = 0.26 mm (between)

# 主送机关 and 抄送机关: text, or a list of names.  A colon or full stop the data already has is
# not doubled.
RECIPIENTS = (
    "{% set to = recipients if recipients is string else recipients|join('、') %}"
    "{{ to.strip().rstrip(':：').rstrip() }}："
)
CC = (
    "{% set to = cc if cc is string else cc|join('，') %}"
    "{{ to.strip().rstrip('。.，,；;').rstrip() }}。"
)

NO_INDENT = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'


def _exact(line: int, before: int = 0) -> str:
    return f'<w:spacing w:before="{before}" w:after="0" w:line="{line}" w:lineRule="exact"/>'


def _tag(tag: str) -> str:
    """A paragraph holding only a ``{%p … %}`` tag (removed with its paragraph on render)."""
    return paragraph("BodyText", tag)


def _mark(size: float) -> str:
    """The 发文机关标志 at *size* points: red, centred, in the title's face."""
    half = round(size * 2)
    line = round(size * 20 * 1.2)
    before = round(MARK_TOP - INK_TOP * size * 20)
    return (
        '<w:p><w:pPr><w:pStyle w:val="Title"/><w:snapToGrid w:val="0"/>'
        f'{_exact(line, max(before, 0))}{NO_INDENT}<w:jc w:val="center"/></w:pPr>'
        f'<w:r><w:rPr><w:color w:val="{RED}"/><w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
        '</w:rPr><w:t xml:space="preserve">{{ issuer_mark }}</w:t></w:r></w:p>'
    )


def _marks() -> str:
    out = []
    for i, (most, size) in enumerate(MARK_SIZES):
        if most is None:
            out.append(_tag("{%p else %}"))
        else:
            kw = "if" if i == 0 else "elif"
            out.append(_tag(f"{{%p {kw} issuer_mark|length &lt;= {most} %}}"))  # < escaped in XML
        out.append(_mark(size))
    out.append(_tag("{%p endif %}"))
    return "".join(out)


def _doc_number() -> str:
    """The 发文字号 two blank lines under the mark, the red line 4 mm under it."""
    return (
        '<w:p><w:pPr><w:pStyle w:val="BodyText"/>'
        f'<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="{RULE_GAP}" w:color="{RED}"/>'
        f'</w:pBdr><w:snapToGrid w:val="0"/>{_exact(LINE, 2 * LINE)}{NO_INDENT}'
        '<w:jc w:val="center"/></w:pPr>'
        '<w:r><w:t xml:space="preserve">{{ doc_number }}</w:t></w:r></w:p>'
    )


def _blank_lines(n: int) -> str:
    """*n* blank lines of the body's pitch, as one empty paragraph (空n行)."""
    return (
        '<w:p><w:pPr><w:pStyle w:val="BodyText"/><w:snapToGrid w:val="0"/>'
        f"{_exact(n * LINE)}{NO_INDENT}</w:pPr></w:p>"
    )


BANJI_PR = (
    # A floating table whose lower edge sits on the 版心's lower edge (vertAnchor margin,
    # tblpYSpec bottom).  Anchored horizontally to the page at the left margin rather than
    # centred in the margin: LibreOffice keeps a floating table as wide as the text inline
    # unless it is positioned against the page.
    '<w:tblpPr w:leftFromText="0" w:rightFromText="0" w:topFromText="0" w:bottomFromText="0" '
    f'w:vertAnchor="margin" w:horzAnchor="page" w:tblpX="{LEFT}" w:tblpYSpec="bottom"/>'
)
RPR4 = '<w:rPr><w:spacing w:val="0"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>'


def _rule(side: str, size: int) -> str:
    return f'<w:{side} w:val="single" w:sz="{size}" w:space="0" w:color="000000"/>'


def _row(ppr: str, runs: str) -> str:
    return (
        "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
        f'<w:tc><w:tcPr><w:tcW w:w="{WIDTH}" w:type="dxa"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="BodyText"/><w:keepNext/>{ppr}</w:pPr>{runs}</w:p>'
        "</w:tc></w:tr>"
    )


def _tag_row(tag: str) -> str:
    """A row holding only a ``{%tr … %}`` tag (removed with its row on render)."""
    return _row(NO_INDENT, f'<w:r><w:t xml:space="preserve">{tag}</w:t></w:r>')


def _cc_row() -> str:
    """抄送：…。 one character in; a wrapped line aligns with the first name (§7.4.2)."""
    hang = 3 * CHAR4  # 抄送：
    ppr = (
        f'{_exact(LINE)}<w:ind w:left="{CHAR4 + hang}" w:right="{CHAR4}" '
        f'w:firstLineChars="0" w:hanging="{hang}"/><w:jc w:val="left"/>'
    )
    runs = f'<w:r>{RPR4}<w:t xml:space="preserve">抄送：{CC}</w:t></w:r>'
    return _row(ppr, runs)


def _printed_row() -> str:
    """印发机关 one character in from the left, 印发日期 one from the right (§7.4.3)."""
    ppr = (
        f'<w:tabs><w:tab w:val="right" w:pos="{WIDTH - CHAR4}"/></w:tabs>{_exact(LINE)}'
        f'<w:ind w:left="{CHAR4}" w:right="{CHAR4}" w:firstLineChars="0" w:firstLine="0"/>'
        '<w:jc w:val="left"/>'
    )
    runs = (
        f'<w:r>{RPR4}<w:t xml:space="preserve">{{{{ printed_by }}}}</w:t></w:r>'
        f"<w:r>{RPR4}<w:tab/></w:r>"
        f'<w:r>{RPR4}<w:t xml:space="preserve">'
        "{% if printed_date %}{{ printed_date|cn_date }}印发{% endif %}</w:t></w:r>"
    )
    return _row(ppr, runs)


def _banji() -> str:
    """版记 (§7.4): a one-column table, thick first and last lines, thin ones between."""
    printed = "printed_by or printed_date"
    borders = _rule("top", THICK) + _rule("bottom", THICK) + _rule("insideH", THIN)
    table = (
        f'<w:tbl><w:tblPr>{BANJI_PR}<w:tblW w:w="{WIDTH}" w:type="dxa"/>'
        f"<w:tblBorders>{borders}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/>'
        '<w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{WIDTH}"/></w:tblGrid>'
        + _tag_row("{%tr if cc %}")
        + _cc_row()
        + _tag_row("{%tr endif %}")
        + _tag_row(f"{{%tr if {printed} %}}")
        + _printed_row()
        + _tag_row("{%tr endif %}")
        + "</w:tbl>"
    )
    # the paragraph the floating table is anchored to: one point high, so it never needs a
    # page of its own
    anchor = (
        '<w:p><w:pPr><w:pStyle w:val="BodyText"/><w:snapToGrid w:val="0"/>'
        f'{_exact(20)}{NO_INDENT}<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'
        "</w:pPr></w:p>"
    )
    return _tag(f"{{%p if cc or {printed} %}}") + table + anchor + _tag("{%p endif %}")


def _title() -> str:
    """The title, 2号, centred; each line of a multi-line title is its own paragraph."""
    return (
        '<w:p><w:pPr><w:pStyle w:val="Title"/><w:snapToGrid w:val="0"/><w:spacing w:after="0"/>'
        '</w:pPr><w:r><w:t xml:space="preserve">'
        "{{ full_title }}</w:t></w:r></w:p>"
    )


def _recipients() -> str:
    """主送机关 one blank line under the title, flush left (wrapped lines too), then ：."""
    return (
        f'<w:p><w:pPr><w:pStyle w:val="BodyText"/>{_exact(LINE, LINE)}{NO_INDENT}</w:pPr>'
        f'<w:r><w:t xml:space="preserve">{RECIPIENTS}</w:t></w:r></w:p>'
    )


def _note() -> str:
    """附注: （…） two characters in (the body style's first-line indent)."""
    return (
        '<w:p><w:pPr><w:pStyle w:val="BodyText"/></w:pPr>'
        "<w:r><w:t xml:space=\"preserve\">（{{ note.strip('（）() ') }}）</w:t></w:r></w:p>"
    )


def body(fonts: Mapping[str, Mapping[str, Any]]) -> str:
    del fonts  # every run takes its faces from the styles (rewritten from template.toml)
    return "".join(
        [
            _tag("{%p if issuer_mark %}"),
            _marks(),
            _doc_number(),
            _blank_lines(2),
            _tag("{%p endif %}"),
            _title(),
            _tag("{%p if recipients %}"),
            _recipients(),
            _tag("{%p else %}"),
            _blank_lines(1),
            _tag("{%p endif %}"),
            paragraph("BodyText", "{{p body }}"),
            paragraph("Signature", "{{p signature_block }}"),
            _tag("{%p if note %}"),
            _note(),
            _tag("{%p endif %}"),
            _banji(),
        ]
    )
