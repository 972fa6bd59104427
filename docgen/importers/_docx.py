"""Word ``.docx``: the document body walked in order with docgen's hardened XML parser.

Paragraphs, tables, pictures and text boxes are read where they stand, and so is the text
inside content controls (``w:sdt``), custom XML, sub-documents (``w:subDoc``) and embedded
documents (``w:altChunk``) that the package holds.  What the styles, numbering and
relationships mean comes from :mod:`docgen.importers._docx_package`; tables and lists are
assembled by :mod:`docgen.importers._docx_blocks`, the title chosen by
:mod:`docgen.importers._docx_title`.
"""

from __future__ import annotations

import os

import attrs
from lxml import etree

from docgen.errors import DataError, PackageError
from docgen.files import decode_text, read_bytes
from docgen.i18n import Message, lazy
from docgen.importers._docx_blocks import (
    _CellBuf,
    _cells_of,
    _group,
    _has_text,
    _make_table,
    _rows_of,
)
from docgen.importers._docx_package import (
    _NO_STYLE,
    _child_val,
    _core_title,
    _Definitions,
    _int,
    _is_centre,
    _parse,
    _part_rels,
    _Target,
)
from docgen.importers._docx_title import _choose_title
from docgen.importers._outline import _build
from docgen.importers._paragraphs import (
    ImportResult,
    _Item,
    _merge_runs,
    _Para,
    _strip_runs,
    _Warn,
)
from docgen.model import Image, PageBreak, Paragraph, Run, Table
from docgen.ooxml import DOCUMENT, NS, Package, W, inside, is_on, local_name, unpacked_limit

# --- Word (.docx) ------------------------------------------------------------------------------

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_V = "{urn:schemas-microsoft-com:vml}"
_R = "{" + NS["r"] + "}"
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
_ZIP_MAGIC = b"PK\x03\x04"
# Sub-documents and embedded documents read inside one another at most this deep.
_MAX_NESTING = 4
_METADATA = lazy("the file's document-properties title (docProps/core.xml)")
#: What the warnings call the parts docgen reads documents from.
_WHAT = {"sub-document": lazy("sub-document"), "embedded document": lazy("embedded document")}
_NO_ID = lazy("no id")


class _DocxReader:
    """Walks one part's body in order: paragraphs, lists, tables, pictures, text boxes.

    *part* is the main document or a sub-document of the package; *reading* names the parts
    being read around it (a sub-document inside a sub-document…), *budget* the bytes nested
    packages may still unpack.
    """

    def __init__(
        self,
        defs: _Definitions,
        warn: _Warn,
        *,
        part: str = DOCUMENT,
        reading: tuple[str, ...] = (),
        budget: int | None = None,
    ) -> None:
        self.defs = defs
        self.pkg = defs.pkg
        self.source = defs.source
        self.warn = warn
        self.styles = defs.styles
        self.numbering = defs.numbering
        self.part = part
        self.rels = _part_rels(defs.pkg, part, defs.source)
        self.reading = (*reading, f"{defs.source}|{part}")
        self.budget = unpacked_limit() if budget is None else budget

    def items(self) -> list[_Item]:
        """The blocks of the part's body."""
        root = _parse(self.pkg.parts[self.part], self.source, self.part)
        body = root.find(f"{W}body")
        if body is None:
            raise DataError(
                lazy("{part} has no body", part=self.part),
                where=self.source,
                expected=lazy("a <w:body> element"),
                code="package.missing_part",
            )
        return self.container(body)

    def container(self, el: etree._Element) -> list[_Item]:
        """The blocks of a body, a text box or a content control, lists and captions joined."""
        out: list[_Item] = []
        for child in el:
            tag = local_name(child)
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
            elif tag == "altChunk":
                out.extend(self.embedded(child.get(f"{_R}id", ""), "embedded document"))
        return _group(out)

    def paragraph(self, p: etree._Element) -> list[_Item]:
        """A paragraph, with the page breaks, pictures and text boxes it holds around it."""
        para = self.paragraph_props(p.find(f"{W}pPr"))
        before: list[_Item] = []
        after: list[_Item] = []
        self.inline(p, para.runs, before, after)
        para.runs = _strip_runs(para.runs)
        return [*before, *([para] if para.text.strip() else []), *after]

    def paragraph_props(self, ppr: etree._Element | None) -> _Para:
        """An empty paragraph with what its properties and style say: level, role, list…."""
        style = self.styles.get(_child_val(ppr, f"{W}pStyle") or "", _NO_STYLE)
        para = _Para([], level=style.level, role=style.role)
        outline = _child_val(ppr, f"{W}outlineLvl")
        if outline is not None and style.role != "title":
            para.level = _int(outline, 9) + 1 if _int(outline, 9) < 9 else None
        jc = _child_val(ppr, f"{W}jc")
        para.centred = _is_centre(jc) if jc is not None else bool(style.centred)
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
        return para

    def inline(
        self, el: etree._Element, runs: list[Run], before: list[_Item], after: list[_Item]
    ) -> None:
        """The runs of *el* into *runs*; pictures, text boxes and sub-documents around them."""
        for child in el:
            tag = local_name(child)
            if tag == "r":
                self.run(child, runs, before, after)
            elif tag in _RUN_HOLDERS:
                self.inline(child, runs, before, after)
            elif tag == "subDoc":
                after.extend(self.embedded(child.get(f"{_R}id", ""), "sub-document"))

    def run(
        self, r: etree._Element, runs: list[Run], before: list[_Item], after: list[_Item]
    ) -> None:
        rpr = r.find(f"{W}rPr")
        if rpr is not None and is_on(rpr.find(f"{W}vanish")):
            return
        text, page_break = _run_text(r)
        if page_break:
            (after if any(x.text.strip() for x in runs) else before).append(PageBreak())
        if text:
            runs.append(
                Run(
                    text,
                    bold=rpr is not None and is_on(rpr.find(f"{W}b")),
                    italic=rpr is not None and is_on(rpr.find(f"{W}i")),
                    underline=rpr is not None and is_on(rpr.find(f"{W}u")),
                    emphasis=rpr is not None and is_on(rpr.find(f"{W}em")),
                )
            )
        for box in r.iter(f"{W}txbxContent"):
            if not inside(box, r, ("txbxContent",)):
                after.extend(self.container(box))
        for blip in r.iter(f"{_A}blip", f"{_V}imagedata"):
            if not inside(blip, r, ("txbxContent",)):
                image = self.image(blip.get(f"{_R}embed") or blip.get(f"{_R}id") or "", blip)
                after.extend([image] if image is not None else [])

    def image(self, rid: str, blip: etree._Element) -> Image | None:
        target = self.rels.get(rid)
        part = target.part if target is not None else None
        data = self.pkg.parts.get(part) if part else None
        if data is None:
            self.warn(lazy("a linked or missing picture ({rid}) was left out", rid=rid or _NO_ID))
            return None
        if not data.startswith(_IMAGE_MAGIC):
            self.warn(
                lazy("the picture {part} is not PNG, JPEG, GIF or BMP; it was left out", part=part)
            )
            return None
        holder = blip.getparent()
        while holder is not None and local_name(holder) not in ("inline", "anchor"):
            holder = holder.getparent()
        extent = holder.find(f"{_WP}extent") if holder is not None else None
        cx = _int(extent.get("cx"), 0) if extent is not None else 0
        return Image(data, width_cm=round(cx / _EMU_PER_CM, 2) if cx > 0 else None)

    def table(self, tbl: etree._Element) -> Table | None:
        """A table: gridSpan → colspan, vMerge → rowspan, repeated header rows counted."""
        rows: list[list[_CellBuf]] = []
        header_rows = 0
        open_cells: dict[int, _CellBuf] = {}  # grid column → the cell a vMerge continues
        for tr in _rows_of(tbl):
            trpr = tr.find(f"{W}trPr")
            header = trpr is not None and is_on(trpr.find(f"{W}tblHeader"))
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
            tag = local_name(child)
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
                        self.warn(lazy("a picture inside a table cell was left out"))
            elif tag == "tbl":
                for tr in _rows_of(child):
                    cells = [
                        "".join(t.text or "" for t in c.iter(f"{W}t")).strip()
                        for c in _cells_of(tr)
                    ]
                    if any(cells):
                        paras.append(Paragraph("\t".join(cells)))
            elif tag == "sdt" and (content := child.find(f"{W}sdtContent")) is not None:
                paras.extend(self.cell(content, keep_bold=keep_bold))
            elif tag == "customXml":
                paras.extend(self.cell(child, keep_bold=keep_bold))
            elif tag == "altChunk":
                embedded = self.embedded(child.get(f"{_R}id", ""), "embedded document")
                paras.extend(Paragraph(i.runs) for i in embedded if isinstance(i, _Para))
        return paras or [Paragraph("")]

    # --- sub-documents and embedded documents ---------------------------------------------------

    def embedded(self, rid: str, what: str) -> list[_Item]:
        """The blocks of a sub-document or an embedded document (*what* names it in warnings).

        A part of the package is read in place: WordprocessingML, a whole ``.docx``, or plain
        text.  A file outside the package (a master document's sub-documents are linked
        files), a missing part, HTML/RTF/MHT, or nesting deeper than :data:`_MAX_NESTING` is
        left out with a warning.
        """
        part = self.embedded_part(rid, what)
        if part is None:
            return []
        data = self.pkg.parts[part]
        head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith(_ZIP_MAGIC):
            return self.embedded_package(data, part, what)
        if head.startswith(b"<") and NS["w"].encode() in data[:4096]:
            return _DocxReader(
                self.defs, self.warn, part=part, reading=self.reading, budget=self.budget
            ).items()
        if head.startswith((b"<", b"{\\rtf")) or head.lower().startswith(b"mime-version"):
            self.warn(
                lazy(
                    "the {what} {part} is HTML, RTF or MHT, which docgen does not read; "
                    "its text was left out",
                    what=_WHAT[what],
                    part=part,
                )
            )
            return []
        return self.embedded_text(data, part, what)

    def embedded_part(self, rid: str, what: str) -> str | None:
        """The part relationship *rid* points to, or None (with a warning) when none is read."""
        target = self.rels.get(rid)
        if target is None or target.part is None:
            self.warn(_outside(what, rid, target))
            return None
        part = target.part
        if part not in self.pkg.parts:
            self.warn(
                lazy(
                    "the {what} {part} is missing from the package; it was left out",
                    what=_WHAT[what],
                    part=part,
                )
            )
            return None
        if f"{self.source}|{part}" in self.reading or len(self.reading) >= _MAX_NESTING:
            self.warn(
                lazy(
                    "the {what} {part} includes itself or is nested too deep; it was left out",
                    what=_WHAT[what],
                    part=part,
                )
            )
            return None
        return part

    def embedded_package(self, data: bytes, part: str, what: str) -> list[_Item]:
        """A whole ``.docx`` inside the package, unpacked within what is left of the limit."""
        budget = self.budget - sum(len(d) for d in self.pkg.parts.values())
        name = f"{self.source} ({part})"
        try:
            pkg = Package.from_bytes(data, name, max_unpacked=max(budget, 0))
        except PackageError as exc:
            self.warn(_left_out(what, part, exc.fields()[0]))
            return []
        reader = _DocxReader(
            _Definitions.read(pkg, name), self.warn, reading=self.reading, budget=budget
        )
        return reader.items()

    def embedded_text(self, data: bytes, part: str, what: str) -> list[_Item]:
        """Plain text inside the package: one paragraph per line."""
        try:
            text = decode_text(
                data,
                part,
                warn=lambda m: self.warn(
                    lazy("the {what} {part} is {message}", what=_WHAT[what], part=part, message=m)
                ),
            )
        except DataError as exc:
            self.warn(_left_out(what, part, exc.fields()[0]))
            return []
        lines = (
            line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        )
        return [_Para([Run(line)]) for line in lines if line]


def _outside(what: str, rid: str, target: _Target | None) -> Message:
    """The warning for a sub-document or embedded document the package does not hold."""
    if target is None:
        return lazy(
            "the {what} {rid} has no relationship; it was left out",
            what=_WHAT[what],
            rid=rid or lazy("(no id)"),
        )
    if what == "sub-document":
        return lazy(
            "the sub-document {target} is a separate file (a master document's link); "
            "its text was left out",
            target=target.target,
        )
    return lazy(
        "the {what} {target} is a separate file; its text was left out",
        what=_WHAT[what],
        target=target.target,
    )


def _left_out(what: str, part: str, message: str | Message) -> Message:
    return lazy(
        "the {what} {part} {message}; it was left out", what=_WHAT[what], part=part, message=message
    )


def _run_text(r: etree._Element) -> tuple[str, bool]:
    """The text of one run (tabs, line breaks) and whether it breaks the page."""
    text: list[str] = []
    page_break = False
    for child in r:
        tag = local_name(child)
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


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def import_docx(
    path_or_bytes: str | os.PathLike[str] | bytes,
    *,
    source: str | None = None,
    normalize_punctuation: bool = False,
) -> ImportResult:
    """Read a report from a Word ``.docx`` (a path or the file's bytes).

    ``word/document.xml`` is read with docgen's hardened XML parser and its body walked in
    order.  The title is the document's own, never only its file's metadata:

    1. the paragraph in the ``Title`` style (among the first six blocks) — except when its
       text is the file's document-properties title (``docProps/core.xml``) and the paragraph
       right after it is title-like (2.): that paragraph is the converter's copy of the
       metadata (pandoc writes the metadata title, often the reference document's own such as
       “公文文档”, as a Title paragraph above the body); it is left out with a warning and the
       one after it is the title;
    2. else the first paragraph when it is title-like: centred (by itself or by its style),
       or an unlabelled heading that is the only one at its level or above (``# 关于……的通知``
       converted by pandoc);
    3. else the first paragraph, unless it is a heading (see :func:`import_text`);
    4. else — the body has no title-like paragraph at all, only headings, tables or lists —
       the document-properties title, with a warning saying so; without one the title is
       left empty.

    Headings come from heading styles (``heading 1``…, ``标题 1``…)
    and outline levels, and from numbered labels as in :func:`import_text`.  Word lists
    (``w:numPr`` on the paragraph or its style) become BulletList/NumberedList, tables Table
    (``gridSpan`` → colspan, ``vMerge`` → rowspan, rows
    marked to repeat → ``header_rows``, a nested table's rows flattened into its cell as
    tab-separated lines), pictures Image (their bytes and width; a ``图1 …`` or Caption-style
    paragraph under a picture is its caption, a ``表1 …`` one above a table is the table's),
    and text boxes' paragraphs follow the paragraph they are anchored in.  Bold, italic,
    underline and 着重号 are kept as :class:`~docgen.model.Run` flags.  A document whose text is
    only in tables or lists imports them (with no title unless its properties have one).

    Text inside content controls (``w:sdt``, around blocks, rows, cells or runs) and custom
    XML is kept where it stands; so are sub-documents (``w:subDoc``) and embedded documents
    (``w:altChunk``: WordprocessingML, a whole ``.docx`` or plain text) that the package
    holds.  A sub-document in a separate file (how Word links a master document's parts) and
    embedded HTML, RTF or MHT are left out, each named in a warning.

    Raises:
        DataError: the file cannot be read, is not a ``.docx`` (a ``.doc`` saved under the
            wrong name, a password-protected file…), its XML is broken, or no paragraph, list
            or table holds any text.
    """
    if isinstance(path_or_bytes, (bytes, bytearray)):
        data = bytes(path_or_bytes)
        name = source or "<docx>"
    else:
        name = source or os.fspath(path_or_bytes)
        data = read_bytes(path_or_bytes, name)
    return _import_docx_bytes(data, name, normalize=normalize_punctuation)


def _import_docx_bytes(
    data: bytes, name: str, *, normalize: bool, warn: _Warn | None = None
) -> ImportResult:
    warn = warn or _Warn(name)
    if data.startswith(_OLE_MAGIC):
        raise DataError(
            lazy(
                "is a Word 97–2003 (.doc/.wps) file or a password-protected document, not a .docx"
            ),
            where=name,
            expected=lazy(
                "a .docx (named .doc, a Word 97–2003 file is converted by import_file "
                "through LibreOffice)"
            ),
            found=lazy("an OLE compound file"),
            code="data.format",
        )
    try:
        pkg = Package.from_bytes(data, name)
    except PackageError as exc:
        message, _, expected, found = exc.fields()
        raise DataError(
            message, where=name, expected=expected, found=found, code=exc.code
        ) from None
    items = _DocxReader(_Definitions.read(pkg, name), warn).items()
    if not _has_text(items):
        raise DataError(
            lazy("has no text"),
            where=name,
            expected=lazy("a document with text in its paragraphs, lists or tables"),
            code="data.empty",
        )
    metadata_title = _core_title(pkg, name, warn)
    _choose_title(items, metadata_title, warn)
    fallback = (metadata_title, _METADATA) if metadata_title else None
    return _build(items, warn, normalize=normalize, metadata_title=fallback)
