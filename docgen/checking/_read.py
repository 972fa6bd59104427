"""A ``.docx`` read for checking: every paragraph with the formatting Word would give it.

Word decides a paragraph's look in layers: the paragraph's own properties, then its style,
then the styles that one is ``w:basedOn``, then the document defaults (``w:docDefaults``); a
run's look goes through the run's own properties, its character style, the paragraph's style
chain and the defaults.  :class:`Styles` walks those chains one attribute at a time, as Word
does, so a size set in ``Normal`` and a face set on the run are both seen.  Faces are the East
Asian ones (``w:eastAsia``, or a theme's East Asian face), the ones Chinese text is drawn in.

The package is read with :class:`docgen.ooxml.Package` (size limits, hardened parser), and a
file that is not a ``.docx`` is refused as :func:`docgen.import_docx` refuses it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import attrs
from lxml import etree

from docgen.errors import DataError, PackageError
from docgen.files import source_bytes
from docgen.i18n import lazy
from docgen.ooxml import DOCUMENT, NS, Package, W, inside, is_on, local_name, parse_xml

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R = "{" + NS["r"] + "}"
_REL = "{" + NS["rel"] + "}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SETTINGS = "word/settings.xml"


def to_int(value: str | None) -> int | None:
    """An integer attribute, or None when absent or not a number."""
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


# --- styles ----------------------------------------------------------------------------------


class Styles:
    """The styles part and document defaults: properties looked up through the style chains."""

    def __init__(self, styles_xml: bytes | None, theme_xml: bytes | None = None) -> None:
        self.paragraph: dict[str, etree._Element] = {}
        self.character: dict[str, etree._Element] = {}
        self.names: dict[str, str] = {}
        self.default_paragraph = ""
        self.ppr_default: etree._Element | None = None
        self.rpr_default: etree._Element | None = None
        self.theme_faces = _theme_faces(theme_xml)
        if styles_xml is None:
            return
        root = parse_xml(styles_xml, "word/styles.xml")
        self.ppr_default = root.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")
        self.rpr_default = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        for st in root.findall(f"{W}style"):
            sid = st.get(f"{W}styleId", "")
            kind = st.get(f"{W}type", "paragraph")
            name = st.find(f"{W}name")
            self.names[sid] = name.get(f"{W}val", sid) if name is not None else sid
            if kind == "paragraph":
                self.paragraph[sid] = st
                if is_on(st.find(f"{W}default")) or st.get(f"{W}default") in ("1", "true"):
                    self.default_paragraph = sid
            elif kind == "character":
                self.character[sid] = st

    def chain(self, sid: str | None, *, character: bool = False) -> list[etree._Element]:
        """The style *sid* and the styles it is based on, nearest first (loops cut)."""
        table = self.character if character else self.paragraph
        if sid is None and not character:
            sid = self.default_paragraph
        out: list[etree._Element] = []
        seen: set[str] = set()
        while sid and sid in table and sid not in seen and len(out) < 64:
            seen.add(sid)
            out.append(table[sid])
            based = table[sid].find(f"{W}basedOn")
            sid = based.get(f"{W}val", "") if based is not None else ""
        return out

    def ppr_chain(self, ppr: etree._Element | None, sid: str | None) -> list[etree._Element]:
        """A paragraph's property elements, nearest first: its own, its styles', the defaults."""
        out = [ppr] if ppr is not None else []
        out += [p for st in self.chain(sid) if (p := st.find(f"{W}pPr")) is not None]
        return out + ([self.ppr_default] if self.ppr_default is not None else [])

    def rpr_chain(
        self, rpr: etree._Element | None, rstyle: str | None, psid: str | None
    ) -> list[etree._Element]:
        """A run's property elements, nearest first.

        Its own, its character style's, the paragraph style chain's, the defaults.
        """
        out = [rpr] if rpr is not None else []
        if rstyle:
            out += [
                r
                for st in self.chain(rstyle, character=True)
                if (r := st.find(f"{W}rPr")) is not None
            ]
        out += [r for st in self.chain(psid) if (r := st.find(f"{W}rPr")) is not None]
        return out + ([self.rpr_default] if self.rpr_default is not None else [])

    def style_of(self, ppr: etree._Element | None) -> str:
        """The paragraph style id a paragraph uses (the default style when it names none)."""
        el = ppr.find(f"{W}pStyle") if ppr is not None else None
        sid = el.get(f"{W}val", "") if el is not None else ""
        return sid if sid in self.paragraph else self.default_paragraph

    def east_asia(self, chain: list[etree._Element]) -> str | None:
        """The East Asian face a chain of run properties gives (a theme face resolved)."""
        for rpr in chain:
            rfonts = rpr.find(f"{W}rFonts")
            if rfonts is None:
                continue
            # a theme face wins over a named one (ECMA-376 §17.3.2.26)
            theme: str | None = rfonts.get(f"{W}eastAsiaTheme")
            if theme:
                return self.theme_faces.get(theme[:5], "") or f"({theme})"
            face: str | None = rfonts.get(f"{W}eastAsia")
            if face:
                return face
        return None


def attr(chain: list[etree._Element], child: str, name: str) -> str | None:
    """The first value of attribute *name* of child *child* along a property chain."""
    for el in chain:
        found = el.find(f"{W}{child}")
        value: str | None = found.get(f"{W}{name}") if found is not None else None
        if value is not None:
            return value
    return None


def flag(chain: list[etree._Element], child: str) -> bool:
    """An on/off property along a chain: the nearest element that has it decides."""
    for el in chain:
        found = el.find(f"{W}{child}")
        if found is not None:
            return is_on(found)
    return False


def _theme_faces(theme_xml: bytes | None) -> dict[str, str]:
    """``major``/``minor`` → the theme's East Asian face for Simplified Chinese."""
    if theme_xml is None:
        return {}
    try:
        root = parse_xml(theme_xml, "word/theme/theme1.xml")
    except PackageError:
        return {}
    out = {}
    for key in ("major", "minor"):
        font = root.find(f".//{_A}{key}Font")
        if font is None:
            continue
        hans = font.find(f"{_A}font[@script='Hans']")
        ea = font.find(f"{_A}ea")
        face = (hans.get("typeface") if hans is not None else None) or (
            ea.get("typeface") if ea is not None else None
        )
        if face:
            out[key] = face
    return out


# --- paragraphs --------------------------------------------------------------------------------


@attrs.define(frozen=True)
class RunInfo:
    """One run: its text and the face and size Word draws it in."""

    text: str
    east_asia: str | None
    size_pt: float | None
    breaks: int  # manual line breaks (w:br without a type, w:cr)


@attrs.define(frozen=True)
class ParaInfo:
    """One paragraph with its effective formatting.

    ``index`` counts every paragraph of the body in reading order from 1, those in table
    cells too (as Word counts them); text boxes are not read.
    """

    index: int
    text: str
    style_id: str
    style_name: str
    runs: tuple[RunInfo, ...]
    in_table: bool
    jc: str  # effective alignment: left, both, center, right, distribute
    line: int | None  # w:spacing/@w:line
    line_rule: str  # auto, exact, atLeast
    first_line_chars: float | None  # first-line indent in characters (negative: hanging)
    first_line_twips: int  # in twips (negative: hanging)
    left_twips: int
    right_chars: float | None
    right_twips: int
    red: bool  # every run with text is red (a 发文机关标志)
    numbered: bool  # Word's automatic numbering (w:numPr with a numId other than 0)
    outline_level: int | None  # w:outlineLvl + 1
    page_break: bool = False  # holds a page break or a picture: not an empty paragraph

    @property
    def size_pt(self) -> float | None:
        """The size most of its text is set in."""
        sizes = [r.size_pt for r in self.runs if r.text.strip() and r.size_pt]
        return max(set(sizes), key=sizes.count) if sizes else None

    def indent_chars(self, size_pt: float) -> float:
        """The first-line indent in characters of *size_pt* (the Chars form wins)."""
        if self.first_line_chars is not None:
            return self.first_line_chars
        return self.first_line_twips / (size_pt * 20) if size_pt else 0.0


def _runs(p: etree._Element) -> Iterator[etree._Element]:
    """The runs of a paragraph that show: not deleted, not in a text box or field code."""
    for r in p.iter(f"{W}r"):
        if inside(r, p, ("del", "moveFrom", "txbxContent")):
            continue
        yield r


def paragraph_info(p: etree._Element, index: int, styles: Styles, in_table: bool) -> ParaInfo:
    """What Word shows for the paragraph *p*: its text, faces, sizes, spacing and indents."""
    ppr = p.find(f"{W}pPr")
    sid = styles.style_of(ppr)
    pchain = styles.ppr_chain(ppr, sid)
    runs: list[RunInfo] = []
    red = None
    page_break = False
    for r in _runs(p):
        rpr = r.find(f"{W}rPr")
        rstyle_el = rpr.find(f"{W}rStyle") if rpr is not None else None
        rstyle = rstyle_el.get(f"{W}val") if rstyle_el is not None else None
        rchain = styles.rpr_chain(rpr, rstyle, sid)
        if flag(rchain, "vanish"):
            continue
        text, breaks = [], 0
        for child in r:
            tag = local_name(child)
            if tag == "t":
                text.append(child.text or "")
            elif tag == "tab":
                text.append("\t")
            elif tag == "br" and child.get(f"{W}type") in ("page", "column"):
                page_break = True
            elif tag in ("br", "cr"):
                breaks += 1
                text.append("\n")
            elif tag in ("drawing", "pict", "object"):
                page_break = True
        half = to_int(attr(rchain, "sz", "val"))
        runs.append(
            RunInfo("".join(text), styles.east_asia(rchain), half / 2 if half else None, breaks)
        )
        if "".join(text).strip():
            color = (attr(rchain, "color", "val") or "").upper()
            is_red = color in ("FF0000", "RED", "E60012", "C00000")
            red = is_red if red is None else red and is_red
    chars = attr(pchain, "ind", "firstLineChars")
    hanging_chars = attr(pchain, "ind", "hangingChars")
    first_chars: float | None = None
    if chars is not None and (to_int(chars) or 0) != 0:
        first_chars = (to_int(chars) or 0) / 100
    elif hanging_chars is not None and (to_int(hanging_chars) or 0) != 0:
        first_chars = -(to_int(hanging_chars) or 0) / 100
    elif chars is not None:
        first_chars = 0.0
    first = to_int(attr(pchain, "ind", "firstLine")) or 0
    hanging = to_int(attr(pchain, "ind", "hanging")) or 0
    right_chars = to_int(attr(pchain, "ind", "rightChars"))
    num_id = next(
        (n.get(f"{W}val") for el in pchain if (n := el.find(f"{W}numPr/{W}numId")) is not None),
        None,
    )
    outline = to_int(attr(pchain, "outlineLvl", "val"))
    return ParaInfo(
        index=index,
        text="".join(r.text for r in runs),
        style_id=sid,
        style_name=styles.names.get(sid, sid),
        runs=tuple(runs),
        in_table=in_table,
        jc=_alignment(attr(pchain, "jc", "val")),
        line=to_int(attr(pchain, "spacing", "line")),
        line_rule=attr(pchain, "spacing", "lineRule") or "auto",
        first_line_chars=first_chars,
        first_line_twips=first if first else -hanging,
        left_twips=to_int(attr(pchain, "ind", "left") or attr(pchain, "ind", "start")) or 0,
        right_chars=right_chars / 100 if right_chars else None,
        right_twips=to_int(attr(pchain, "ind", "right") or attr(pchain, "ind", "end")) or 0,
        red=bool(red),
        numbered=num_id not in (None, "0"),
        outline_level=outline + 1 if outline is not None and outline < 9 else None,
        page_break=page_break,
    )


def _alignment(jc: str | None) -> str:
    return {None: "left", "start": "left", "end": "right", "centre": "center"}.get(jc, jc) or "left"


# --- the document ------------------------------------------------------------------------------


@attrs.define(frozen=True)
class PageSetup:
    """The last section's page: size, margins, grid, footers (twips)."""

    width: int
    height: int
    top: int
    bottom: int
    left: int
    right: int
    grid_type: str | None
    line_pitch: int | None
    char_space: int | None
    footers: dict[str, bytes]  # default / even / first → the footer part's XML
    even_and_odd: bool

    @property
    def text_width(self) -> int:
        """The 版心's width: the page less the left and right margins."""
        return self.width - self.left - self.right

    @property
    def text_height(self) -> int:
        """The 版心's height: the page less the top and bottom margins."""
        return self.height - self.top - self.bottom


@attrs.define(frozen=True)
class DocxDocument:
    """A document read for checking: its paragraphs, styles and page."""

    paragraphs: tuple[ParaInfo, ...]
    styles: Styles
    page: PageSetup
    name: str


def _page(pkg: Package, root: etree._Element) -> PageSetup:
    sects = root.findall(f".//{W}sectPr")
    sect = sects[-1] if sects else None
    pg = sect.find(f"{W}pgSz") if sect is not None else None
    mar = sect.find(f"{W}pgMar") if sect is not None else None
    grid = sect.find(f"{W}docGrid") if sect is not None else None

    def num(el: etree._Element | None, name: str, default: int) -> int:
        value = to_int(el.get(f"{W}{name}")) if el is not None else None
        return abs(value) if value is not None else default

    rels = _rels(pkg)
    footers = {}
    for ref in sect.findall(f"{W}footerReference") if sect is not None else []:
        part = rels.get(ref.get(f"{_R}id", ""))
        if part and part in pkg.parts:
            footers[ref.get(f"{W}type", "default")] = pkg.parts[part]
    settings = pkg.parts.get(_SETTINGS)
    even = False
    if settings is not None:
        try:
            even = is_on(parse_xml(settings, _SETTINGS).find(f"{W}evenAndOddHeaders"))
        except PackageError:
            even = False
    return PageSetup(
        width=num(pg, "w", 11906),
        height=num(pg, "h", 16838),
        top=num(mar, "top", 1440),
        bottom=num(mar, "bottom", 1440),
        left=num(mar, "left", 1800),
        right=num(mar, "right", 1800),
        grid_type=grid.get(f"{W}type") if grid is not None else None,
        line_pitch=to_int(grid.get(f"{W}linePitch")) if grid is not None else None,
        char_space=to_int(grid.get(f"{W}charSpace")) if grid is not None else None,
        footers=footers,
        even_and_odd=even,
    )


def _rels(pkg: Package) -> dict[str, str]:
    data = pkg.parts.get("word/_rels/document.xml.rels")
    if data is None:
        return {}
    out = {}
    for rel in parse_xml(data, "word/_rels/document.xml.rels").findall(f"{_REL}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        out[rel.get("Id", "")] = target.lstrip("/") if target.startswith("/") else f"word/{target}"
    return out


def read_package(pkg: Package) -> DocxDocument:
    """A package's main document read for checking."""
    root = parse_xml(pkg.parts[DOCUMENT], DOCUMENT)
    styles = Styles(pkg.parts.get("word/styles.xml"), pkg.parts.get("word/theme/theme1.xml"))
    body = root.find(f"{W}body")
    paragraphs: list[ParaInfo] = []
    if body is not None:
        for p in body.iter(f"{W}p"):
            if inside(p, body, ("txbxContent",)):
                continue
            in_table = inside(p, body, ("tbl",))
            paragraphs.append(paragraph_info(p, len(paragraphs) + 1, styles, in_table))
    return DocxDocument(tuple(paragraphs), styles, _page(pkg, root), pkg.source)


def read_docx(source: str | os.PathLike[str] | bytes) -> DocxDocument:
    """Read a ``.docx`` (a path or its bytes) for checking.

    Raises:
        DataError: the file cannot be read, is not a ``.docx`` (a ``.doc`` under the wrong
            name, a password-protected file, not a zip), is too big when unpacked, or its XML
            is broken — the same refusals as :func:`docgen.import_docx`.
    """
    data, name = source_bytes(source)
    if data.startswith(_OLE_MAGIC):
        raise DataError(
            lazy(
                "is a Word 97–2003 (.doc/.wps) file or a password-protected document, not a .docx"
            ),
            where=name,
            expected=lazy("a .docx (save it as .docx in Word or WPS first)"),
            found=lazy("an OLE compound file"),
        )
    try:
        return read_package(Package.from_bytes(data, name))
    except PackageError as exc:
        message, where, expected, found = exc.fields()
        raise DataError(message, where=where or name, expected=expected, found=found) from None
