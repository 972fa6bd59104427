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

import itertools
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import attrs

from docgen.cn.dates import format_date
from docgen.cn.numbering import NumberingScheme
from docgen.errors import DocgenWarning, RenderError
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
from docgen.ooxml import RPR_ORDER

__all__ = [
    "RICH_END",
    "RICH_START",
    "TWIPS_PER_CM",
    "BodyWriter",
    "ListNumbering",
    "Media",
    "RoleStyle",
    "clean_text",
    "has_cjk",
    "resolve_rich",
    "rich_markup",
    "text_width_chars",
]

TWIPS_PER_CM = 567
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EMU_PER_CM = 360000

# XML 1.0 cannot hold C0 controls other than tab/newline/CR, lone surrogates, U+FFFE/U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str, where: str = "text") -> str:
    r"""Remove characters XML cannot hold, warning once per call that removed any.

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     clean_text("甲\x0b乙")
    '甲乙'
    """
    found = _XML_ILLEGAL.findall(text)
    if not found:
        return text
    codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in found}))
    warnings.warn(
        f"{where}: removed {len(found)} character(s) that a Word document cannot hold ({codes})",
        DocgenWarning,
        stacklevel=3,
    )
    return _XML_ILLEGAL.sub("", text)


def _is_wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80 or ch in "“”‘’—…"


def text_width_chars(text: str) -> float:
    """Width of *text* in Chinese character cells, as Word and WPS lay it out.

    Full-width characters take one cell, half-width (ASCII) ones half a cell, and where
    Chinese meets a Latin letter or digit Word adds a quarter cell (``w:autoSpaceDE``/
    ``autoSpaceDN``, on by default).

    >>> text_width_chars("2014年1月")
    5.25
    >>> text_width_chars("徐汇区东二小学党支部")
    10.0
    """
    width = sum(1.0 if _is_wide(ch) else 0.5 for ch in text)
    for a, b in itertools.pairwise(text):
        if _is_wide(a) != _is_wide(b) and (a.isalnum() and b.isalnum()):
            width += 0.25
    return width


def has_cjk(text: str) -> bool:
    """Whether *text* holds Chinese (or other East Asian) characters.

    >>> has_cjk("Hello “world”"), has_cjk("校名 A")
    (False, True)
    """
    return any(ord(ch) >= 0x2E80 for ch in text)


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
            attrs_ += f" w:ascii={quoteattr(self.latin)} w:hAnsi={quoteattr(self.latin)}"
        if self.east_asia:
            attrs_ += f" w:eastAsia={quoteattr(self.east_asia)}"
        if hint:
            attrs_ += ' w:hint="eastAsia"'
        return f"<w:rFonts{attrs_}/>"

    @property
    def indent_twips(self) -> int:
        """Two characters of this role's size, in twips (the first-line indent)."""
        return round((self.size_pt or 16.0) * 2 * 20)


class Media:
    """Collects pictures for the renderer; returns the relationship id each will have."""

    def __init__(self, first_rid: int) -> None:
        self.items: list[tuple[str, bytes, str]] = []  # (rId, blob, extension)
        self._next = first_rid

    def add(self, blob: bytes, ext: str) -> str:
        """Register a picture; return its ``rId``."""
        rid = f"rIdDocgen{self._next}"
        self._next += 1
        self.items.append((rid, blob, ext))
        return rid


class ListNumbering:
    """Allocates a fresh ``w:num`` for every list, so each list restarts (or continues)."""

    def __init__(self, first_num_id: int, bullet_abstract: int, number_abstract: int) -> None:
        self.bullet_abstract = bullet_abstract
        self.number_abstract = number_abstract
        self.nums: list[tuple[int, int, int | None]] = []  # (numId, abstractId, start)
        self._next = first_num_id
        self._last_numbered: int | None = None

    def new(
        self, *, bullet: bool, start: int | None = None, continue_previous: bool = False
    ) -> int:
        """A numbering instance id for one list."""
        if not bullet and continue_previous and self._last_numbered is not None:
            return self._last_numbered
        num_id = self._next
        self._next += 1
        abstract = self.bullet_abstract if bullet else self.number_abstract
        self.nums.append((num_id, abstract, None if bullet else (start or 1)))
        if not bullet:
            self._last_numbered = num_id
        return num_id

    def xml(self) -> str:
        """The ``<w:num>`` elements to append to ``numbering.xml``."""
        out = []
        for num_id, abstract, start in self.nums:
            override = (
                f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
                if start is not None
                else ""
            )
            out.append(
                f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>{override}</w:num>'
            )
        return "".join(out)


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
                "is nested deeper than the numbering scheme allows",
                where=where,
                expected=f"at most {self.scheme.depth} levels ({self.scheme.name})",
                found=f"level {level}",
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
        w_org = max(text_width_chars(t) for t in lines)
        w_date = text_width_chars(date)
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
        hang = text_width_chars(label)
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
                    left_chars=2 + hang + text_width_chars(number),
                    hanging_chars=hang + text_width_chars(number),
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
            return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
        raise RenderError("is not a block", where=where, found=repr(block))  # pragma: no cover

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
                "asks for a numbering level the scheme does not have",
                where=f"{where}.level",
                expected=f"1–{self.scheme.depth} ({self.scheme.name})",
                found=str(lst.level),
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
        columns = table.columns
        if table.widths_cm:
            widths = [round(w * TWIPS_PER_CM) for w in table.widths_cm]
        else:
            widths = [self.text_width // columns] * columns
        role = self.role("table_text", "body")
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
                "is not a picture docgen can place",
                where=f"{where}.source",
                expected="PNG, JPEG, GIF or BMP data",
                found=f"{len(blob)} bytes ({type(exc).__name__})",
            ) from None
        natural_w = px_w / (dpi_x or 96) * 2.54
        width_cm = image.width_cm or min(natural_w, self.text_width / TWIPS_PER_CM)
        height_cm = width_cm * (px_h / (dpi_y or 96)) / (px_w / (dpi_x or 96))
        cx, cy = round(width_cm * EMU_PER_CM), round(height_cm * EMU_PER_CM)
        rid = self.media.add(blob, ext)
        self._drawing_id += 1
        did = self._drawing_id
        name = f"图片 {did}"
        return (
            f'<w:r><w:drawing><wp:inline xmlns:wp="{_WP}" xmlns:a="{_A}" xmlns:pic="{_PIC}" '
            f'xmlns:r="{_R}" distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{did}" name={quoteattr(name)}/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/>'
            "</wp:cNvGraphicFramePr>"
            f'<a:graphic><a:graphicData uri="{_PIC}"><pic:pic>'
            "<pic:nvPicPr>"
            f'<pic:cNvPr id="{did}" name={quoteattr(name)}/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
            "</pic:blipFill>"
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        )

    # --- the XML of one paragraph ------------------------------------------------------------

    def role(self, name: str, fallback: str = "body") -> RoleStyle:
        """The style of a role, falling back to another role, or a style id given directly."""
        if name in self.roles:
            return self.roles[name]
        if fallback in self.roles and (name.startswith("heading") or name in _ROLE_NAMES):
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
        rpr = [role.rfonts(hint=has_cjk(run.text))]
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
            f'<w:t xml:space="preserve">{escape(piece)}</w:t>' if piece else "" for piece in pieces
        )
        return f"<w:r><w:rPr>{''.join(rpr)}</w:rPr>{body}</w:r>"


_ROLE_NAMES = frozenset(
    {
        "title",
        "body",
        "list_bullet",
        "list_number",
        "table_text",
        "caption",
        "signature",
        "attachment",
    }
)


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
# A Paragraph printed with ``{{ p }}`` inside a template run keeps its bold/italic/underline/
# 着重号 runs, and each of them inherits the font, size and style of the run the tag stood in.
# The tag cannot know that run, so the value carries markers (characters XML cannot hold, so
# they never collide with user text) and :func:`resolve_rich` splits the run after rendering.

RICH_START = "\x02"
RICH_SEP = "\x1f"
RICH_END = "\x03"
_FLAGS = (("b", "bold"), ("i", "italic"), ("u", "underline"), ("e", "emphasis"))
_RUN = re.compile(r"<w:r(?:\s[^>]*)?>(?:(?!</w:r>).)*?" + RICH_START + r".*?</w:r>", re.DOTALL)
_RPR = re.compile(r"<w:rPr>.*?</w:rPr>", re.DOTALL)
_T_OPEN = re.compile(r"<w:t(?:\s[^>]*)?>")
_SEGMENT = re.compile(RICH_START + "([biue]*)" + RICH_SEP + "(.*?)" + RICH_END, re.DOTALL)
_FLAG_XML = {
    "b": "<w:b/><w:bCs/>",
    "i": "<w:i/><w:iCs/>",
    "u": '<w:u w:val="single"/>',
    "e": '<w:em w:val="dot"/>',
}
# The w:rPr child each flag writes (its place follows the schema order, ooxml.RPR_ORDER).
_FLAG_ELEMENT = {"b": "b", "i": "i", "u": "u", "e": "em"}


def rich_markup(runs: Sequence[Run], where: str = "text") -> str:
    """Escaped text of *runs*, emphasised runs wrapped in markers for :func:`resolve_rich`.

    >>> rich_markup([Run("依托"), Run("德育平台", bold=True)]).replace(RICH_START, "<").replace(
    ...     RICH_SEP, "|").replace(RICH_END, ">")
    '依托<b|德育平台>'
    """
    out = []
    for run in runs:
        text = escape(clean_text(run.text, where)).replace("\r\n", "\n").replace("\n", "\a")
        flags = "".join(f for f, name in _FLAGS if getattr(run, name))
        out.append(f"{RICH_START}{flags}{RICH_SEP}{text}{RICH_END}" if flags else text)
    return "".join(out)


def _with_flags(rpr: str, flags: str) -> str:
    """The run properties *rpr* plus the elements for *flags*, each at its schema place.

    >>> _with_flags('<w:rPr><w:rFonts/><w:sz w:val="32"/></w:rPr>', "bu")
    '<w:rPr><w:rFonts/><w:b/><w:bCs/><w:sz w:val="32"/><w:u w:val="single"/></w:rPr>'
    """
    if not flags:
        return rpr
    inner = rpr[len("<w:rPr>") : -len("</w:rPr>")] if rpr else ""
    children = re.findall(r"<w:(\w+)(?:\s[^>]*)?(?:/>|>.*?</w:\1>)", inner, re.DOTALL)
    pieces = re.findall(r"<w:(?:\w+)(?:\s[^>]*)?(?:/>|>.*?</w:\w+>)", inner, re.DOTALL)
    for flag in flags:
        element = _FLAG_ELEMENT[flag]
        if element in children:  # the run already has it (em: replaced by the dot)
            if element != "em":
                continue
            at = children.index(element)
            del children[at], pieces[at]
        rank = RPR_ORDER.index(element)
        pos = next(
            (n for n, c in enumerate(children) if c in RPR_ORDER and RPR_ORDER.index(c) > rank),
            len(children),
        )
        pieces.insert(pos, _FLAG_XML[flag])
        children.insert(pos, element)
    return "<w:rPr>" + "".join(pieces) + "</w:rPr>"


def resolve_rich(xml: str) -> str:
    """Split every run holding rich markers into runs of their own.

    Each new run keeps the run's own properties plus the emphasis its marked piece asks for.
    """
    if RICH_START not in xml:
        return xml

    def split(m: re.Match[str]) -> str:
        run = m.group(0)
        rpr_m = _RPR.search(run)
        rpr = rpr_m.group(0) if rpr_m else ""
        t_open = _T_OPEN.search(run)
        if t_open is None:  # pragma: no cover - markers only come inside text
            return _SEGMENT.sub(lambda s: s.group(2), run)
        text = run[t_open.end() : run.rindex("</w:t>")]
        out, pos = [], 0
        for seg in _SEGMENT.finditer(text):
            if seg.start() > pos:
                out.append((rpr, text[pos : seg.start()]))
            out.append((_with_flags(rpr, seg.group(1)), seg.group(2)))
            pos = seg.end()
        if pos < len(text):
            out.append((rpr, text[pos:]))
        return "".join(f'<w:r>{p}<w:t xml:space="preserve">{t}</w:t></w:r>' for p, t in out if t)

    return _RUN.sub(split, xml)


class BlockView:
    """A block as a template loop sees it.

    ``{{ b }}`` inside a run prints a paragraph's text with its emphasis (inheriting the run's
    font and size); lists print one paragraph per item, tables one per row.  ``{{p b.xml }}``
    replaces the whole template paragraph with the block written in the template's styles
    (the way to place tables and pictures in a loop).
    """

    __slots__ = ("_where", "_writer", "_xml", "block")

    def __init__(self, block: Block, writer: BodyWriter, where: str) -> None:
        self.block = block
        self._writer = writer
        self._where = where
        self._xml: str | None = None

    @property
    def type(self) -> str:
        """paragraph, bullet_list, numbered_list, table, image or page_break."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", type(self.block).__name__).lower()

    @property
    def text(self) -> str:
        """The block's visible text (items and rows on their own lines)."""
        b = self.block
        if isinstance(b, Paragraph):
            return b.text
        if isinstance(b, (BulletList, NumberedList)):
            return "\n".join(p.text for p in b.items)
        if isinstance(b, Table):
            return "\n".join("\t".join(c.text for c in row) for row in b.rows)
        if isinstance(b, Image):
            return b.caption or ""
        return ""

    @property
    def xml(self) -> Any:
        """The block as WordprocessingML in the template's styles (for ``{{p b.xml }}``)."""
        from markupsafe import Markup  # noqa: PLC0415 - markupsafe comes with Jinja

        if self._xml is None:
            self._xml = self._writer.block(self.block, self._where)
        return Markup(self._xml)

    def rich(self) -> str:
        """Marked-up runs for printing inside a template run (see :func:`rich_markup`)."""
        b = self.block
        if isinstance(b, Paragraph):
            return rich_markup(b.runs, self._where)
        return escape(clean_text(self.text, self._where)).replace("\n", "\a")

    def __str__(self) -> str:
        return self.text
