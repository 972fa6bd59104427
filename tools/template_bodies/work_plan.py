"""工作计划: title, the body slot, the 行事历 (school calendar) table, the signature slot.

The 行事历 rows come from ``schedule`` (a manifest field, ``[]`` by default): one row a week,
``{week, items, owner, dates}``.  The 日期 column is Monday–Friday of that week, counted from
the term's start date (``{{ term|week_range(r.week) }}``) unless the row gives ``dates``.  The
负责人 column is there only when some row names an owner; with no rows the caption and the
table are left out altogether.

The XML helpers here (:func:`run`, :func:`looped_table` with :func:`table`, :func:`row`,
:func:`cell`, :func:`control_row`, and :func:`control`) are shared with the other built-in
templates' body modules (``meeting_minutes``, ``notice``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tools.build_templates import HINT, SIZES, paragraph

TWIPS_PER_CM = 567  # a table is 15.6 cm wide: the GB/T 9704 text block, 156 mm


def size_pt(font: Mapping[str, Any]) -> float:
    """The role's size in points (字号 names such as 三号 or points)."""
    size = font.get("size", "三号")
    return float(SIZES[size]) if isinstance(size, str) else float(size)


def rfonts(font: Mapping[str, Any]) -> str:
    """``<w:rFonts>`` for a run: the East Asian hint only.

    The faces come from the paragraph's style, so the ones named in ``template.toml`` reach
    the run (*font* is kept for the callers' sake).
    """
    del font
    return HINT


def run(
    text: str, font: Mapping[str, Any], *, bold: bool = False, spacing: int | None = None
) -> str:
    """One run: *text* (tags allowed) in the role's faces, optionally bold or spaced out."""
    rpr = rfonts(font) + ("<w:b/><w:bCs/>" if bold else "")
    if spacing is not None:
        rpr += f'<w:spacing w:val="{spacing}"/>'
    return f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def cell(
    width_cm: float,
    text: str,
    font: Mapping[str, Any],
    *,
    align: str = "center",
    bold: bool = False,
    span: int = 1,
    keep: str = "",
) -> str:
    """A table cell holding one 表格文字 paragraph (tags allowed), vertically centred.

    The paragraph does not snap to the page's line grid, so a wrapped cell is single-spaced
    instead of taking a whole 28.95 pt grid line per line.  *keep* is ``<w:keepNext/>`` or
    nothing.
    """
    width = round(width_cm * TWIPS_PER_CM)
    grid = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    ppr = (
        f'<w:pStyle w:val="TableText"/>{keep}<w:snapToGrid w:val="0"/>'
        '<w:spacing w:before="40" w:after="40"/>'
        f'<w:jc w:val="{align}"/>'
    )
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{grid}<w:vAlign w:val="center"/>'
        f"</w:tcPr><w:p><w:pPr>{ppr}</w:pPr>{run(text, font, bold=bold)}</w:p></w:tc>"
    )


def row(cells: Sequence[str], *, header: bool = False) -> str:
    """A table row; a header row repeats at the top of every page.  Rows never split."""
    props = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"


def control_row(tag: str, widths_cm: Sequence[float], font: Mapping[str, Any]) -> str:
    """A row holding only a ``{%tr … %}`` tag: docxtpl replaces the whole row with the tag."""
    return row([cell(sum(widths_cm), tag, font, span=len(widths_cm))])


def table(widths_cm: Sequence[float], rows: Sequence[str]) -> str:
    """A centred table with single black borders and fixed column widths."""
    widths = [round(w * TWIPS_PER_CM) for w in widths_cm]
    border = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{border}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
        f"</w:tblCellMar></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def looped_table(
    loop: str,
    columns: Sequence[tuple[str, float, str, str]],
    font: Mapping[str, Any],
) -> str:
    """A bold header row, then one row per item of ``{%tr for … %}`` *loop*.

    *columns* are (heading, width in cm, value tag, alignment of the value).  The loop's last
    row is a copy that keeps with the paragraph after the table (Word's 与下段同页), so a
    signature block under a table never stands alone on a page (GB/T 9704 §7.3.5).  It is a
    row of its own, chosen with ``{%tr if not loop.last %}``, because a tag cannot sit among
    a paragraph's properties without making the template invalid for Word.
    """
    widths = [width for _, width, _, _ in columns]

    def values(*, keep: bool) -> str:
        return row(
            [
                cell(w, v, font, align=a, keep="<w:keepNext/>" if keep else "")
                for _, w, v, a in columns
            ]
        )

    return table(
        widths,
        [
            row([cell(w, head, font, bold=True) for head, w, _, _ in columns], header=True),
            control_row(f"{{%tr {loop} %}}", widths, font),
            control_row("{%tr if not loop.last %}", widths, font),
            values(keep=False),
            control_row("{%tr else %}", widths, font),
            values(keep=True),
            control_row("{%tr endif %}", widths, font),
            control_row("{%tr endfor %}", widths, font),
        ],
    )


def control(tag: str) -> str:
    """A paragraph holding only a ``{%p … %}`` tag (removed with its paragraph on render)."""
    return paragraph("BodyText", tag)


# --- the 行事历 --------------------------------------------------------------------------------

WEEK = "{{ week_label.format(r.week) }}"
DATES = (
    "{% if r.dates is defined %}{{ r.dates }}"
    "{% else %}{{ term|week_range(r.week, schedule_days) }}{% endif %}"
)
# items: one text, or a list shown one item a paragraph
ITEMS = "{{ r['items'] if r['items'] is string else r['items']|join('\\n') }}"
OWNER = "{{ r.owner|default('') }}"


def _schedule_table(fonts: Mapping[str, Mapping[str, Any]], *, owner: bool) -> str:
    # 15.6 cm in all, in 小四: 周次 fits 第16周, 日期 12月15日—12月19日 and 负责人 校长室、教导处
    # on one line (as LibreOffice spaces digits among Chinese, wider than Word)
    columns = [
        ("周次", 2.2, WEEK, "center"),
        ("日期", 5.4, DATES, "center"),
        ("工作内容", 4.4 if owner else 8.0, ITEMS, "left"),
    ]
    if owner:
        columns.append(("负责人", 3.6, OWNER, "center"))
    return looped_table("for r in schedule", columns, fonts["table_text"])


def body(fonts: Mapping[str, Mapping[str, Any]]) -> str:
    # the table's title, one body line below the text above it
    before = round(size_pt(fonts["body"]) * 20)
    caption = (
        f'<w:p><w:pPr><w:pStyle w:val="Caption"/><w:spacing w:before="{before}" w:after="120"/>'
        f"</w:pPr>{run('{{ schedule_title }}', fonts['caption'])}</w:p>"
    )
    return (
        paragraph("Title", "{{ full_title }}", fonts["title"])
        + paragraph("BodyText", "{{p body }}")
        + control("{%p if schedule %}")
        + control("{%p set with_owner = schedule|map(attribute='owner', default='')|select|list %}")
        + caption
        + control("{%p if with_owner %}")
        + _schedule_table(fonts, owner=True)
        + control("{%p else %}")
        + _schedule_table(fonts, owner=False)
        + control("{%p endif %}")
        + control("{%p endif %}")
        + paragraph("Signature", "{{p signature_block }}")
    )
