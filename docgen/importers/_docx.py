"""Word ``.docx``: the document body walked in order with docgen's hardened XML parser."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs
from lxml import etree

from docgen.errors import DataError, DocgenError, PackageError
from docgen.importers._outline import _build
from docgen.importers._paragraphs import (
    ImportResult,
    _Item,
    _merge_runs,
    _Para,
    _strip_runs,
    _Warn,
)
from docgen.model import (
    BulletList,
    Cell,
    Image,
    NumberedList,
    PageBreak,
    Paragraph,
    Run,
    Table,
)
from docgen.ooxml import NS, Package, W, parse_xml

# --- Word (.docx) ------------------------------------------------------------------------------

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_V = "{urn:schemas-microsoft-com:vml}"
_R = "{" + NS["r"] + "}"
_REL = "{" + NS["rel"] + "}"
_OFF = ("0", "false", "off", "none")
# Elements inside a paragraph whose runs are part of its text.
_RUN_HOLDERS = frozenset(
    {
        "hyperlink",
        "ins",
        "smartTag",
        "sdt",
        "sdtContent",
        "fldSimple",
        "customXml",
        "moveTo",
        "dir",
        "bdo",
    }
)
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8", b"GIF8", b"BM")
_EMU_PER_CM = 360000


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _on(el: etree._Element | None) -> bool:
    return el is not None and el.get(f"{W}val", "true").lower() not in _OFF


@attrs.frozen
class _Style:
    name: str
    level: int | None  # heading level from the name or the outline level
    role: str | None  # "title" | "caption" | "signature"
    num_id: str | None


def _docx_styles(pkg: Package, source: str) -> dict[str, _Style]:
    data = pkg.parts.get("word/styles.xml")
    if data is None:
        return {}
    root = _parse(data, source, "word/styles.xml")
    raw = {
        st.get(f"{W}styleId", ""): st
        for st in root.findall(f"{W}style")
        if st.get(f"{W}type", "paragraph") == "paragraph"
    }

    def inherited(sid: str, path: str, seen: frozenset[str] = frozenset()) -> str | None:
        st = raw.get(sid)
        if st is None or sid in seen:
            return None
        el = st.find(path)
        if el is not None:
            return str(el.get(f"{W}val", ""))
        based = st.find(f"{W}basedOn")
        return (
            inherited(based.get(f"{W}val", ""), path, seen | {sid}) if based is not None else None
        )

    out = {}
    for sid, st in raw.items():
        name_el = st.find(f"{W}name")
        name = (name_el.get(f"{W}val", sid) if name_el is not None else sid).strip().lower()
        heading = re.fullmatch(r"(?:heading|标题)\s*(\d)", name)
        level: int | None = int(heading.group(1)) if heading else None
        outline = inherited(sid, f"{W}pPr/{W}outlineLvl")
        if level is None and outline is not None and outline.isdigit() and int(outline) < 9:
            level = int(outline) + 1
        role = None
        if name in ("title", "标题"):
            role, level = "title", None
        elif name in ("caption", "题注"):
            role = "caption"
        elif name in ("signature", "署名", "落款"):
            role = "signature"
        out[sid] = _Style(name, level, role, inherited(sid, f"{W}pPr/{W}numPr/{W}numId"))
    return out


def _docx_numbering(pkg: Package, source: str) -> dict[str, tuple[str, int]]:
    """NumId → (kind of its first level: "bullet" | "number" | "none", start)."""
    data = pkg.parts.get("word/numbering.xml")
    if data is None:
        return {}
    root = _parse(data, source, "word/numbering.xml")
    abstract: dict[str, tuple[str, int]] = {}
    for ab in root.findall(f"{W}abstractNum"):
        lvl = ab.find(f"{W}lvl")
        fmt = lvl.find(f"{W}numFmt") if lvl is not None else None
        start = lvl.find(f"{W}start") if lvl is not None else None
        kind = fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal"
        abstract[ab.get(f"{W}abstractNumId", "")] = (
            "bullet" if kind == "bullet" else "none" if kind == "none" else "number",
            _int(start.get(f"{W}val") if start is not None else None, 1),
        )
    out = {}
    for num in root.findall(f"{W}num"):
        ref = num.find(f"{W}abstractNumId")
        kind, start = abstract.get(ref.get(f"{W}val", "") if ref is not None else "", ("number", 1))
        override = num.find(f"{W}lvlOverride/{W}startOverride")
        if override is not None:
            start = _int(override.get(f"{W}val"), start)
        out[num.get(f"{W}numId", "")] = (kind, start)
    return out


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _parse(data: bytes, source: str, part: str) -> etree._Element:
    try:
        return parse_xml(data, part)
    except PackageError as exc:
        raise DataError(
            f"{part} {exc.message}", where=source, expected=exc.expected, found=exc.found
        ) from None


def _has_ancestor(el: etree._Element, stop: etree._Element, tags: Iterable[str]) -> bool:
    wanted = set(tags)
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if _local(parent) in wanted or parent.tag == f"{_MC}Fallback":
            return True
        parent = parent.getparent()
    return False


def _child_val(el: etree._Element | None, path: str) -> str | None:
    """The ``w:val`` of the child at *path*, or None."""
    found = el.find(path) if el is not None else None
    return None if found is None else str(found.get(f"{W}val", ""))


@attrs.define
class _CellBuf:
    content: list[Paragraph]
    colspan: int = 1
    rowspan: int = 1


def _cells_of(tr: etree._Element) -> Iterator[etree._Element]:
    """The cells of a row, looking through content controls."""
    for child in tr:
        if _local(child) == "tc":
            yield child
        elif _local(child) == "sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _cells_of(content)


class _DocxReader:
    """Walks a document body in order: paragraphs, lists, tables, pictures, text boxes."""

    def __init__(self, pkg: Package, source: str, warn: _Warn) -> None:
        self.pkg = pkg
        self.source = source
        self.warn = warn
        self.styles = _docx_styles(pkg, source)
        self.numbering = _docx_numbering(pkg, source)
        self.rels: dict[str, str | None] = {}
        name = "word/_rels/document.xml.rels"
        rels = pkg.parts.get(name)
        for rel in _parse(rels, source, name).findall(f"{_REL}Relationship") if rels else ():
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else "word/" + target
            external = rel.get("TargetMode") == "External"
            self.rels[rel.get("Id", "")] = None if external else part

    def items(self) -> list[_Item]:
        root = _parse(self.pkg.parts["word/document.xml"], self.source, "word/document.xml")
        body = root.find(f"{W}body")
        if body is None:
            raise DataError(
                "word/document.xml has no body", where=self.source, expected="a <w:body> element"
            )
        items = self.container(body)
        if not any(isinstance(i, _Para) and i.role == "title" for i in items):
            first = next((i for i in items if isinstance(i, _Para)), None)
            if first is not None and first.centred:
                first.role, first.level = "title", None
        return items

    def container(self, el: etree._Element) -> list[_Item]:
        """The blocks of a body, a text box or a content control, lists and captions joined."""
        out: list[_Item] = []
        for child in el:
            tag = _local(child)
            if tag == "p":
                out.extend(self.paragraph(child))
            elif tag == "tbl":
                table = self.table(child)
                if table is not None:
                    out.append(table)
            elif tag in ("sdt", "customXml"):
                content = child.find(f"{W}sdtContent") if tag == "sdt" else child
                if content is not None:
                    out.extend(self.container(content))
        return _group(out)

    def paragraph(self, p: etree._Element) -> list[_Item]:
        """A paragraph, with the page breaks, pictures and text boxes it holds around it."""
        ppr = p.find(f"{W}pPr")
        style = self.styles.get(_child_val(ppr, f"{W}pStyle") or "", _NO_STYLE)
        para = _Para([], level=style.level, role=style.role)
        outline = _child_val(ppr, f"{W}outlineLvl")
        if outline is not None and style.role != "title":
            para.level = _int(outline, 9) + 1 if _int(outline, 9) < 9 else None
        para.centred = _child_val(ppr, f"{W}jc") in ("center", "centre")
        ind = ppr.find(f"{W}ind") if ppr is not None else None
        if ind is not None and (
            ind.get(f"{W}firstLineChars") == "0"
            or (ind.get(f"{W}firstLine") == "0" and ind.get(f"{W}firstLineChars") is None)
            or ind.get(f"{W}hanging") not in (None, "0")
        ):
            para.indent = False
        num_id = _child_val(ppr, f"{W}numPr/{W}numId") or style.num_id
        if num_id and num_id != "0" and para.level is None and para.role is None:
            guess = ("bullet" if "bullet" in style.name else "number", 1)
            kind, start = self.numbering.get(num_id, guess)
            if kind != "none":
                para.list_kind, para.list_id, para.list_start = kind, num_id, start
        before: list[_Item] = []
        after: list[_Item] = []
        self.inline(p, para.runs, before, after)
        para.runs = _strip_runs(para.runs)
        return [*before, *([para] if para.text.strip() else []), *after]

    def inline(
        self, el: etree._Element, runs: list[Run], before: list[_Item], after: list[_Item]
    ) -> None:
        """The runs of *el* into *runs*; pictures, text boxes and page breaks around them."""
        for child in el:
            tag = _local(child)
            if tag == "r":
                self.run(child, runs, before, after)
            elif tag in _RUN_HOLDERS:
                self.inline(child, runs, before, after)

    def run(
        self, r: etree._Element, runs: list[Run], before: list[_Item], after: list[_Item]
    ) -> None:
        rpr = r.find(f"{W}rPr")
        if rpr is not None and _on(rpr.find(f"{W}vanish")):
            return
        text, page_break = _run_text(r)
        if page_break:
            (after if any(x.text.strip() for x in runs) else before).append(PageBreak())
        if text:
            runs.append(
                Run(
                    text,
                    bold=rpr is not None and _on(rpr.find(f"{W}b")),
                    italic=rpr is not None and _on(rpr.find(f"{W}i")),
                    underline=rpr is not None and _on(rpr.find(f"{W}u")),
                    emphasis=rpr is not None and _on(rpr.find(f"{W}em")),
                )
            )
        for box in r.iter(f"{W}txbxContent"):
            if not _has_ancestor(box, r, ("txbxContent",)):
                after.extend(self.container(box))
        for blip in r.iter(f"{_A}blip", f"{_V}imagedata"):
            if not _has_ancestor(blip, r, ("txbxContent",)):
                image = self.image(blip.get(f"{_R}embed") or blip.get(f"{_R}id") or "", blip)
                after.extend([image] if image is not None else [])

    def image(self, rid: str, blip: etree._Element) -> Image | None:
        part = self.rels.get(rid)
        data = self.pkg.parts.get(part) if part else None
        if data is None:
            self.warn(f"a linked or missing picture ({rid or 'no id'}) was left out")
            return None
        if not data.startswith(_IMAGE_MAGIC):
            self.warn(f"the picture {part} is not PNG, JPEG, GIF or BMP; it was left out")
            return None
        holder = blip.getparent()
        while holder is not None and _local(holder) not in ("inline", "anchor"):
            holder = holder.getparent()
        extent = holder.find(f"{_WP}extent") if holder is not None else None
        cx = _int(extent.get("cx"), 0) if extent is not None else 0
        return Image(data, width_cm=round(cx / _EMU_PER_CM, 2) if cx > 0 else None)

    def table(self, tbl: etree._Element) -> Table | None:
        """A table: gridSpan → colspan, vMerge → rowspan, repeated header rows counted."""
        rows: list[list[_CellBuf]] = []
        header_rows = 0
        open_cells: dict[int, _CellBuf] = {}  # grid column → the cell a vMerge continues
        for tr in tbl.findall(f"{W}tr"):
            trpr = tr.find(f"{W}trPr")
            header = trpr is not None and _on(trpr.find(f"{W}tblHeader"))
            if header and header_rows == len(rows):  # the rows repeated on each page
                header_rows += 1
            col = _int(_child_val(trpr, f"{W}gridBefore"), 0)
            row = [_CellBuf([Paragraph("")]) for _ in range(col)]
            for tc in _cells_of(tr):
                tcpr = tc.find(f"{W}tcPr")
                span = max(1, _int(_child_val(tcpr, f"{W}gridSpan"), 1))
                vmerge = _child_val(tcpr, f"{W}vMerge")
                if vmerge not in (None, "restart") and col in open_cells:
                    open_cells[col].rowspan += 1
                else:
                    cell = _CellBuf(self.cell(tc, keep_bold=not header), span)
                    row.append(cell)
                    if vmerge == "restart":
                        open_cells[col] = cell
                    else:
                        open_cells.pop(col, None)
                col += span
            rows.append(row)
        if not any(rows):
            return None
        return _make_table(rows, header_rows, self.warn)

    def cell(self, tc: etree._Element, *, keep_bold: bool) -> list[Paragraph]:
        """A cell's paragraphs; a nested table's rows flattened into tab-separated lines."""
        paras: list[Paragraph] = []
        for child in tc:
            tag = _local(child)
            if tag == "p":
                for item in self.paragraph(child):
                    if isinstance(item, _Para):
                        runs = (
                            item.runs
                            if keep_bold
                            else [attrs.evolve(r, bold=False) for r in item.runs]
                        )
                        paras.append(Paragraph(_merge_runs(runs)))
                    elif isinstance(item, Image):
                        self.warn("a picture inside a table cell was left out")
            elif tag == "tbl":
                for tr in child.findall(f"{W}tr"):
                    cells = [
                        "".join(t.text or "" for t in c.iter(f"{W}t")).strip()
                        for c in _cells_of(tr)
                    ]
                    if any(cells):
                        paras.append(Paragraph("\t".join(cells)))
            elif tag == "sdt" and (content := child.find(f"{W}sdtContent")) is not None:
                paras.extend(self.cell(content, keep_bold=keep_bold))
        return paras or [Paragraph("")]


_NO_STYLE = _Style("", None, None, None)


def _run_text(r: etree._Element) -> tuple[str, bool]:
    """The text of one run (tabs, line breaks) and whether it breaks the page."""
    text: list[str] = []
    page_break = False
    for child in r:
        tag = _local(child)
        if tag == "t":
            text.append(child.text or "")
        elif tag == "tab":
            text.append("\t")
        elif tag == "br" and child.get(f"{W}type") == "page":
            page_break = True
        elif tag in ("br", "cr"):
            text.append("\n")
        elif tag == "noBreakHyphen":
            text.append("-")
    return "".join(text), page_break


def _make_table(rows: list[list[_CellBuf]], header_rows: int, warn: _Warn) -> Table:
    """A Table from its rows of cells, padded with empty cells to a rectangle."""

    def build(*, spans: bool) -> Table:
        occupied: list[set[int]] = [set() for _ in rows]
        for r, row in enumerate(rows):
            col = 0
            for cell in row:
                while col in occupied[r]:
                    col += 1
                for below in occupied[r : r + (cell.rowspan if spans else 1)]:
                    below.update(range(col, col + cell.colspan))
                col += cell.colspan
        width = max(max(o, default=0) + 1 for o in occupied)
        return Table(
            [
                [
                    Cell(
                        c.content,
                        colspan=c.colspan,
                        rowspan=min(c.rowspan, len(rows) - r) if spans else 1,
                    )
                    for c in row
                ]
                + [Cell("") for _ in range(width - len(occupied[r]))]
                for r, row in enumerate(rows)
            ],
            header_rows=min(header_rows, len(rows)),
        )

    try:
        return build(spans=True)
    except DocgenError:
        warn("a table's merged cells do not fit its grid; its vertical merges were undone")
        return build(spans=False)


def _caption_of(item: _Item, prefix: str) -> str | None:
    if not isinstance(item, _Para):
        return None
    text = item.text.strip()
    if item.role == "caption" or (
        re.match(rf"{prefix}\s*[0-9一二三四五六七八九十]", text) and len(text) <= 40
    ):
        return text
    return None


def _same_list(item: _Item, first: _Para) -> bool:
    return (
        isinstance(item, _Para)
        and item.list_kind == first.list_kind
        and item.list_id == first.list_id
    )


def _group(items: list[_Item]) -> list[_Item]:
    """Word list paragraphs → BulletList/NumberedList; captions → Image/Table captions."""
    out: list[_Item] = []
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, _Para) and item.list_kind is not None:
            j = i
            while j < len(items) and _same_list(items[j], item):
                j += 1
            paras = [Paragraph(p.runs) for p in items[i:j] if isinstance(p, _Para)]
            out.append(
                BulletList(paras)
                if item.list_kind == "bullet"
                else NumberedList(paras, start=item.list_start)
            )
            i = j
            continue
        if (
            isinstance(item, Image)
            and i + 1 < len(items)
            and (cap := _caption_of(items[i + 1], "图"))
        ):
            out.append(attrs.evolve(item, caption=cap))
            i += 2
            continue
        if (
            isinstance(item, Table)
            and out
            and (cap := _caption_of(out[-1], "表"))
            and item.caption is None
        ):
            out[-1] = attrs.evolve(item, caption=cap)
            i += 1
            continue
        out.append(item)
        i += 1
    return out


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def import_docx(
    path_or_bytes: str | os.PathLike[str] | bytes,
    *,
    source: str | None = None,
    normalize_punctuation: bool = False,
) -> ImportResult:
    """Read a report from a Word ``.docx`` (a path or the file's bytes).

    ``word/document.xml`` is read with docgen's hardened XML parser and its body walked in
    order.  The title is the paragraph in the ``Title`` style, else a centred first paragraph,
    else the first paragraph; headings come from heading styles (``heading 1``…, ``标题 1``…)
    and outline levels, and from numbered labels as in :func:`import_text`.  Word lists become
    BulletList/NumberedList, tables Table (``gridSpan`` → colspan, ``vMerge`` → rowspan, rows
    marked to repeat → ``header_rows``, a nested table's rows flattened into its cell as
    tab-separated lines), pictures Image (their bytes and width; a ``图1 …`` or Caption-style
    paragraph under a picture is its caption, a ``表1 …`` one above a table is the table's),
    and text boxes' paragraphs follow the paragraph they are anchored in.  Bold, italic,
    underline and 着重号 are kept as :class:`~docgen.model.Run` flags.

    Raises:
        DataError: the file cannot be read, is not a ``.docx`` (a ``.doc`` saved under the
            wrong name, a password-protected file…) or its XML is broken.
    """
    if isinstance(path_or_bytes, (bytes, bytearray)):
        data = bytes(path_or_bytes)
        name = source or "<docx>"
    else:
        name = source or os.fspath(path_or_bytes)
        data = _read_bytes(Path(path_or_bytes), name)
    return _import_docx_bytes(data, name, normalize=normalize_punctuation)


def _import_docx_bytes(
    data: bytes, name: str, *, normalize: bool, warn: _Warn | None = None
) -> ImportResult:
    warn = warn or _Warn(name)
    if data.startswith(_OLE_MAGIC):
        raise DataError(
            "is a Word 97–2003 (.doc/.wps) file or a password-protected document, not a .docx",
            where=name,
            expected="a .docx (named .doc, a Word 97–2003 file is converted by import_file "
            "through LibreOffice)",
            found="an OLE compound file",
        )
    try:
        pkg = Package.from_bytes(data, name)
    except PackageError as exc:
        raise DataError(exc.message, where=name, expected=exc.expected, found=exc.found) from None
    items = _DocxReader(pkg, name, warn).items()
    if not any(isinstance(i, _Para) and i.text.strip() for i in items):
        raise DataError(
            "has no text", where=name, expected="a document with a title and paragraphs"
        )
    return _build(items, warn, normalize=normalize)


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError("does not exist", where=name, expected="an existing file") from None
    except IsADirectoryError:
        raise DataError("is a folder", where=name, expected="a file") from None
    except OSError as exc:
        raise DataError(f"cannot be read ({exc.strerror})", where=name) from None
