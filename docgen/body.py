"""Blocks → WordprocessingML, written with the template's own styles.

This is the one module that knows how a report's sections, paragraphs, lists, tables and
pictures look as ``<w:p>``/``<w:tbl>`` XML.  It does no I/O: pictures arrive as bytes and are
handed to a :class:`Media` sink; list numbering instances are handed to a
:class:`ListNumbering` sink; the renderer turns both into package parts.

Every run written here carries the role's faces (``w:eastAsia`` for Chinese, ``w:ascii`` and
``w:hAnsi`` for Latin) and ``w:hint="eastAsia"`` so that ambiguous-width characters such as
“ ” and …… are drawn with the Chinese face (CONVENTIONS §6).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from docgen.cn.dates import format_date
from docgen.cn.numbering import NumberingScheme
from docgen.cn.typography import has_east_asian, text_width
from docgen.errors import RenderError
from docgen.i18n import lazy
from docgen.listnumbering import ListNumbering
from docgen.manifest import ROLES
from docgen.model import (
    Block,
    BulletList,
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
from docgen.ooxml import clean_text, xml_attr, xml_text
from docgen.pictures import Media, drawing_run
from docgen.tablewidths import content_widths

__all__ = ["TWIPS_PER_CM", "BodyWriter", "RoleStyle"]

TWIPS_PER_CM = 567
_PAGE_BREAK_RUN = '<w:r><w:br w:type="page"/></w:r>'


@attrs.define(frozen=True)
class RoleStyle:
    """How one role (title, heading1, body, …) is written: a Word style id and its faces."""

    style_id: str
    east_asia: str | None = None
    latin: str | None = None
    size_pt: float | None = None

    def rfonts(self, *, hint: bool = True) -> str:
        """The ``<w:rFonts>`` element for runs of this role.

        ``hint`` marks the run as East Asian, so ambiguous-width characters (“ ” ……) take the
        Chinese face; it is given only to runs holding Chinese text, so quotes in an English
        run stay Latin.
        """
        attrs_ = ""
        if self.latin:
            attrs_ += f" w:ascii={xml_attr(self.latin)} w:hAnsi={xml_attr(self.latin)}"
        if self.east_asia:
            attrs_ += f" w:eastAsia={xml_attr(self.east_asia)}"
        if hint:
            attrs_ += ' w:hint="eastAsia"'
        return f"<w:rFonts{attrs_}/>"

    @property
    def indent_twips(self) -> int:
        """Two characters of this role's size, in twips (the first-line indent)."""
        return round((self.size_pt or 16.0) * 2 * 20)


ImageInfo = Callable[[bytes], tuple[int, int, float, float, str]]
"""(blob) → (px_width, px_height, dpi_x, dpi_y, extension); supplied by the renderer."""


class BodyWriter:
    """Writes a report's body (intro, sections, closing, attachments) and signature block.

    Args:
        roles: role name → :class:`RoleStyle` (``title``, ``heading1``…``heading4``, ``body``,
            ``list_bullet``, ``list_number``, ``table_text``, ``caption``, ``signature``,
            ``attachment``).
        scheme: the heading numbering scheme.
        text_width: the text column width in twips (for tables and pictures).
        media: where pictures go.
        numbering: where list numbering instances go.
        image_info: reads a picture's size and type from its bytes.
        images: picture bytes already read by the renderer, keyed by path.
    """

    def __init__(
        self,
        roles: Mapping[str, RoleStyle],
        scheme: NumberingScheme,
        *,
        text_width: int,
        media: Media,
        numbering: ListNumbering,
        image_info: ImageInfo,
        images: Mapping[str, bytes],
        chars_per_line: float = 28.0,
    ) -> None:
        self.roles = roles
        self.scheme = scheme
        self.text_width = text_width
        self.media = media
        self.numbering = numbering
        self.image_info = image_info
        self.images = images
        self.chars_per_line = chars_per_line
        self._drawing_id = 1000
        self._last_level_list: tuple[int, int] | None = None  # (level, next number)

    # --- the parts a template places -------------------------------------------------------

    def body(self, report: Report) -> str:
        """Intro, numbered sections, closing and the attachment note, in order."""
        parts = [self.blocks(report.intro, "intro")]
        counter = self.scheme.counter()
        for i, section in enumerate(report.sections):
            parts.append(self.section(section, 1, counter, f"sections[{i}]"))
        # GB/T 9704: no signature page without body text - the last paragraph before the
        # signature block stays on its page (keepNext chains through the block).
        closing = report.closing
        keep = report.signature is not None
        if keep and closing and isinstance(closing[-1], Paragraph):
            parts.append(self.blocks(closing[:-1], "closing"))
            parts.append(
                self.paragraph(closing[-1], f"closing[{len(closing) - 1}]", keep_next=True)
            )
        else:
            parts.append(self.blocks(closing, "closing"))
        parts.append(self.attachments(report.attachments, keep_next=keep))
        return "".join(parts)

    def section(self, section: Section, level: int, counter: Any, where: str) -> str:
        """One heading with its label, its blocks, then its subsections."""
        if level > self.scheme.depth:
            raise RenderError(
                lazy("is nested deeper than the numbering scheme allows"),
                where=where,
                expected=lazy(
                    "at most {depth} levels ({name})",
                    depth=self.scheme.depth,
                    name=self.scheme.name,
                ),
                found=lazy("level {level}", level=level),
                code="render.too_deep",
            )
        label = counter.next(level)
        role = self.role(f"heading{level}", "heading1")
        title = clean_text(section.title, f"{where}.title")
        parts = [self._paragraph_xml(role, [Run(label + title)], keep_next=True, outline=level - 1)]
        parts.append(self.blocks(section.blocks, f"{where}.blocks"))
        for i, sub in enumerate(section.subsections):
            parts.append(self.section(sub, level + 1, counter, f"{where}.subsections[{i}]"))
        return "".join(parts)

    def signature(self, sig: Signature | None) -> str:
        """The unsealed signature block of GB/T 9704-2012 §7.3.5.

        One blank line under the body; the organisation 右空二字; the date on the next line
        starting two characters right of the organisation's first character (when the date is
        the longer line, the date is 右空二字 and the organisation moves left).
        """
        if sig is None:
            return ""
        role = self.role("signature", "body")
        org = clean_text(sig.org, "signature.org")
        lines = [org] + ([clean_text(sig.name, "signature.name")] if sig.name else [])
        date = format_date(sig.date, sig.date_style or "year_month") if sig.date else ""
        w_org = max(text_width(t) for t in lines)
        w_date = text_width(date)
        if w_date + 2 <= w_org:
            org_right, date_right = 2.0, w_org - w_date
        else:
            org_right, date_right = w_date + 4 - w_org, 2.0
        # the blank line; the block is kept on one page (keepNext) with its date
        out = [self._paragraph_xml(role, [], indent=False, keep_next=True)]
        out.extend(
            self._paragraph_xml(
                role,
                [Run(line)],
                align="right",
                indent=False,
                right_chars=org_right,
                keep_next=bool(date),
            )
            for line in lines
        )
        if date:
            out.append(
                self._paragraph_xml(
                    role, [Run(date)], align="right", indent=False, right_chars=date_right
                )
            )
        return "".join(out)

    def attachments(self, names: Sequence[str], *, keep_next: bool = False) -> str:
        """附件说明: one blank line under the body, two characters in, 附件：1. 名称.

        ``keep_next`` keeps the note on the page of what follows (the signature block).
        """
        if not names:
            return ""
        role = self.role("attachment", "body")
        out = [self._paragraph_xml(role, [], indent=False, keep_next=keep_next)]
        label = "附件："
        hang = text_width(label)
        for i, name in enumerate(names, start=1):
            text = clean_text(name, f"attachments[{i - 1}]").rstrip("。；;，,")
            prefix = label if i == 1 else "　" * int(hang)
            number = f"{i}. " if len(names) > 1 else ""
            out.append(
                self._paragraph_xml(
                    role,
                    [Run(prefix + number + text)],
                    indent=False,
                    # the first line starts two characters in; a wrapped name lines up
                    # with the name's first character (GB/T 9704 §7.3.4)
                    left_chars=2 + hang + text_width(number),
                    hanging_chars=hang + text_width(number),
                    keep_next=keep_next,
                )
            )
        return "".join(out)

    # --- blocks ------------------------------------------------------------------------------

    def blocks(self, blocks: Iterable[Block], where: str) -> str:
        """The XML of a sequence of blocks."""
        return "".join(self.block(b, f"{where}[{i}]") for i, b in enumerate(blocks))

    def block(self, block: Block, where: str) -> str:
        """The XML of one block."""
        if isinstance(block, Paragraph):
            return self.paragraph(block, where)
        if isinstance(block, BulletList):
            return self._list(block.items, where, bullet=True)
        if isinstance(block, NumberedList):
            return self._numbered(block, where)
        if isinstance(block, Table):
            return self.table(block, where)
        if isinstance(block, Image):
            return self.image(block, where)
        if isinstance(block, PageBreak):
            return f"<w:p>{_PAGE_BREAK_RUN}</w:p>"
        raise RenderError(
            lazy("is not a block"), where=where, found=repr(block)
        )  # pragma: no cover

    def inline(self, block: Block, where: str) -> str | None:
        """A block as one run among a paragraph's other text, if it can be one.

        A picture is placed inline and a page break breaks the page there; a paragraph, a
        list or a table cannot stand inside a paragraph (None).
        """
        if isinstance(block, Image):
            return self.inline_image(block, where)
        if isinstance(block, PageBreak):
            return _PAGE_BREAK_RUN
        return None

    def paragraph(
        self, para: Paragraph, where: str, role_name: str = "body", *, keep_next: bool = False
    ) -> str:
        """A body paragraph; a newline in its text starts a new paragraph of the same style."""
        role = self.role(para.style, role_name) if para.style else self.role(role_name)
        return "".join(
            self._paragraph_xml(role, runs, indent=para.indent, where=where, keep_next=keep_next)
            for runs in _split_lines(para.runs)
        )

    def _list(
        self,
        items: Sequence[Paragraph],
        where: str,
        *,
        bullet: bool,
        start: int = 1,
        continue_previous: bool = False,
    ) -> str:
        role = self.role("list_bullet" if bullet else "list_number", "body")
        num_id = self.numbering.new(bullet=bullet, start=start, continue_previous=continue_previous)
        out = []
        for i, item in enumerate(items):
            for n, runs in enumerate(_split_lines(item.runs)):
                # a line after the first continues the item: same indent, no new number
                out.append(
                    self._paragraph_xml(
                        role,
                        runs,
                        indent=False,
                        num_id=num_id if n == 0 else None,
                        left_chars=None if n == 0 else 2.0,
                        where=f"{where}.items[{i}]",
                    )
                )
        return "".join(out)

    def _numbered(self, lst: NumberedList, where: str) -> str:
        if lst.level is None:
            return self._list(
                lst.items,
                where,
                bullet=False,
                start=lst.start,
                continue_previous=lst.continue_previous,
            )
        if lst.level > self.scheme.depth:
            raise RenderError(
                lazy("asks for a numbering level the scheme does not have"),
                where=f"{where}.level",
                expected=lazy("1–{depth} ({name})", depth=self.scheme.depth, name=self.scheme.name),
                found=str(lst.level),
                code="render.too_deep",
            )
        role = self.role("body")
        start = lst.start
        last = self._last_level_list
        if lst.continue_previous and last is not None and last[0] == lst.level:
            start = last[1]
        out = []
        for i, item in enumerate(lst.items):
            label = self.scheme.label(lst.level, start + i)
            runs = (Run(label), *item.runs)
            out.append(self._paragraph_xml(role, runs, where=f"{where}.items[{i}]"))
        self._last_level_list = (lst.level, start + len(lst.items))
        return "".join(out)

    def table(self, table: Table, where: str) -> str:
        """A bordered, centred table; header rows repeat on each page and are bold."""
        role = self.role("table_text", "body")
        if table.widths_cm:
            widths = [round(w * TWIPS_PER_CM) for w in table.widths_cm]
        else:  # sized by content (docgen.tablewidths), within the text column
            widths = content_widths(table, self.text_width, (role.size_pt or 12.0) * 20)
        grid = table.grid()
        out = []
        if table.caption:
            out.append(
                self._paragraph_xml(
                    self.role("caption", "body"),
                    [Run(clean_text(table.caption, f"{where}.caption"))],
                    indent=False,
                    align="center",
                    keep_next=True,
                )
            )
        border = "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        out.append(
            f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f"<w:tblBorders>{border}</w:tblBorders>"
            '<w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
            "</w:tblCellMar></w:tblPr><w:tblGrid>"
        )
        out.extend(f'<w:gridCol w:w="{w}"/>' for w in widths)
        out.append("</w:tblGrid>")
        for r, line in enumerate(grid):
            header = r < table.header_rows
            out.append("<w:tr>")
            if header:
                out.append("<w:trPr><w:tblHeader/></w:trPr>")
            c = 0
            while c < len(line):
                slot = line[c]
                assert slot is not None
                cell = slot[0]
                span = cell.colspan
                above = grid[r - 1][c] if r else None
                first_row = above is None or above[0] is not cell
                width = sum(widths[c : c + span])
                props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
                if span > 1:
                    props += f'<w:gridSpan w:val="{span}"/>'
                if cell.rowspan > 1:
                    props += '<w:vMerge w:val="restart"/>' if first_row else "<w:vMerge/>"
                props += '<w:vAlign w:val="center"/>'
                paras = (
                    "".join(
                        self._paragraph_xml(
                            role,
                            [attrs.evolve(run, bold=run.bold or header) for run in runs],
                            indent=False,
                            align="center" if header else None,
                            where=f"{where}.rows[{r}]",
                        )
                        for p in cell.content
                        for runs in _split_lines(p.runs)
                    )
                    if first_row
                    else ""
                )
                out.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{paras or '<w:p/>'}</w:tc>")
                c += span
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)

    def image(self, image: Image, where: str) -> str:
        """An inline picture in its own centred paragraph, its caption underneath."""
        drawing = self.inline_image(image, where)
        role = self.role("body")
        out = [
            f'<w:p><w:pPr><w:pStyle w:val="{role.style_id}"/><w:keepNext/>'
            '<w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" '
            f'w:firstLine="0"/><w:jc w:val="center"/></w:pPr>{drawing}</w:p>'
        ]
        if image.caption:
            out.append(
                self._paragraph_xml(
                    self.role("caption", "body"),
                    [Run(clean_text(image.caption, f"{where}.caption"))],
                    indent=False,
                    align="center",
                )
            )
        return "".join(out)

    def inline_image(self, image: Image, where: str) -> str:
        """A picture as one run (``<w:r><w:drawing>``), to sit inside any paragraph or cell.

        The DrawingML namespaces are declared on the elements themselves, so the run is
        valid whatever the template's root element declares.
        """
        blob = image.source if isinstance(image.source, bytes) else self.images[image.source]
        try:
            px_w, px_h, dpi_x, dpi_y, ext = self.image_info(blob)
        except Exception as exc:  # noqa: BLE001 - any parser failure means "not a picture"
            raise RenderError(
                lazy("is not a picture docgen can place"),
                where=f"{where}.source",
                expected=lazy("PNG, JPEG, GIF or BMP data"),
                found=lazy("{n} bytes ({kind})", n=len(blob), kind=type(exc).__name__),
                code="render.bad_picture",
            ) from None
        natural_w = px_w / (dpi_x or 96) * 2.54
        width_cm = image.width_cm or min(natural_w, self.text_width / TWIPS_PER_CM)
        height_cm = width_cm * (px_h / (dpi_y or 96)) / (px_w / (dpi_x or 96))
        rid = self.media.add(blob, ext)
        self._drawing_id += 1
        return drawing_run(rid, self._drawing_id, width_cm, height_cm)

    # --- the XML of one paragraph ------------------------------------------------------------

    def role(self, name: str, fallback: str = "body") -> RoleStyle:
        """The style of a role, falling back to another role, or a style id given directly."""
        if name in self.roles:
            return self.roles[name]
        if fallback in self.roles and (name.startswith("heading") or name in ROLES):
            return self.roles[fallback]
        base = self.roles.get("body")
        return RoleStyle(
            name,
            base.east_asia if base else None,
            base.latin if base else None,
            base.size_pt if base else None,
        )

    def _paragraph_xml(
        self,
        role: RoleStyle,
        runs: Sequence[Run],
        *,
        indent: bool = True,
        align: str | None = None,
        keep_next: bool = False,
        outline: int | None = None,
        num_id: int | None = None,
        right_chars: float | None = None,
        left_chars: float | None = None,
        hanging_chars: float | None = None,
        where: str = "text",
    ) -> str:
        ppr = [f'<w:pStyle w:val="{role.style_id}"/>']
        if keep_next:
            ppr.append("<w:keepNext/>")
        if num_id is not None:
            ppr.append(f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
        char = role.indent_twips / 2
        ind = []
        if left_chars is not None:
            ind.append(
                f'w:leftChars="{round(left_chars * 100)}" w:left="{round(left_chars * char)}"'
            )
        if right_chars is not None:
            ind.append(
                f'w:rightChars="{round(right_chars * 100)}" w:right="{round(right_chars * char)}"'
            )
        if hanging_chars is not None:
            ind.append(
                f'w:hangingChars="{round(hanging_chars * 100)}" '
                f'w:hanging="{round(hanging_chars * char)}"'
            )
        elif indent and num_id is None:
            ind.append(f'w:firstLineChars="200" w:firstLine="{role.indent_twips}"')
        elif not indent:
            ind.append('w:firstLineChars="0" w:firstLine="0"')
        if ind:
            ppr.append(f"<w:ind {' '.join(ind)}/>")
        if align:
            ppr.append(f'<w:jc w:val="{align}"/>')
        if outline is not None:
            ppr.append(f'<w:outlineLvl w:val="{outline}"/>')
        body = "".join(self._run_xml(role, run, where) for run in runs if run.text)
        return f"<w:p><w:pPr>{''.join(ppr)}</w:pPr>{body}</w:p>"

    def _run_xml(self, role: RoleStyle, run: Run, where: str) -> str:
        rpr = [role.rfonts(hint=has_east_asian(run.text))]
        if run.bold:
            rpr.append("<w:b/><w:bCs/>")
        if run.italic:
            rpr.append("<w:i/><w:iCs/>")
        if run.underline:
            rpr.append('<w:u w:val="single"/>')
        if run.emphasis:
            rpr.append('<w:em w:val="dot"/>')
        text = clean_text(run.text, where)
        pieces = text.split("\t")
        body = "<w:tab/>".join(
            f'<w:t xml:space="preserve">{xml_text(piece)}</w:t>' if piece else ""
            for piece in pieces
        )
        return f"<w:r><w:rPr>{''.join(rpr)}</w:rPr>{body}</w:r>"


def _split_lines(runs: Sequence[Run]) -> list[list[Run]]:
    """Split runs at newlines: each line becomes its own paragraph (never a soft break)."""
    lines: list[list[Run]] = [[]]
    for run in runs:
        pieces = run.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for i, piece in enumerate(pieces):
            if i:
                lines.append([])
            if piece:
                lines[-1].append(attrs.evolve(run, text=piece))
    return lines


# --- rich runs printed by a template tag ------------------------------------------------------
#
