"""The ``.docx`` package: reading its zip, parsing its XML safely, and the styles it holds.

Only bytes come in and out here; file paths stay with :mod:`docgen.template` and
:mod:`docgen.render`.  XML is parsed with one hardened parser (no entities, no DTDs, no network),
as python-docx does.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping

import attrs
from lxml import etree

from docgen.errors import PackageError

__all__ = [
    "NS",
    "RPR_ORDER",
    "Package",
    "StyleInfo",
    "W",
    "parse_xml",
    "read_styles",
    "set_style_fonts",
    "update_fields_on_open",
]

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
W = "{" + NS["w"] + "}"

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_blank_text=False,
)

DOCUMENT = "word/document.xml"
# Parts whose text a template may hold Jinja tags in.
_TEMPLATED = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def parse_xml(data: bytes, where: str) -> etree._Element:
    """Parse one XML part; a DTD or malformed XML raises :class:`PackageError` naming it."""
    if b"<!DOCTYPE" in data[:2048] or b"<!ENTITY" in data[:4096]:
        raise PackageError(
            "declares a DTD or entities, which docgen never reads",
            where=where,
            expected="plain Office Open XML",
        )
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PackageError("is not well-formed XML", where=where, found=str(exc)) from None


@attrs.define
class Package:
    """The parts of a ``.docx``: name → bytes, in their zip order."""

    parts: dict[str, bytes]
    source: str

    @classmethod
    def from_bytes(cls, data: bytes, source: str) -> Package:
        """Read a ``.docx`` from its bytes (*source* names it in errors)."""
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                parts = {
                    info.filename: zf.read(info) for info in zf.infolist() if not info.is_dir()
                }
        except zipfile.BadZipFile:
            raise PackageError(
                "is not a Word document",
                where=source,
                expected="a .docx file (a zip package)",
                found=f"{len(data)} bytes starting {data[:8]!r}",
            ) from None
        if DOCUMENT not in parts:
            raise PackageError(
                f"has no {DOCUMENT}",
                where=source,
                expected="a .docx package with a main document part",
                found=", ".join(sorted(parts)[:8]) or "an empty zip",
            )
        return cls(parts, source)

    def templated_parts(self) -> list[str]:
        """The parts a template may put tags in: body, headers, footers, foot/endnotes."""
        return [name for name in self.parts if _TEMPLATED.match(name)]


# --- styles ---------------------------------------------------------------------------------


@attrs.define(frozen=True)
class StyleInfo:
    """What a paragraph style resolves to (following ``w:basedOn`` and the document defaults)."""

    style_id: str
    name: str
    east_asia: str | None
    latin: str | None
    size_pt: float | None


def _own_fonts(el: etree._Element | None) -> tuple[str | None, str | None, float | None]:
    if el is None:
        return None, None, None
    rfonts = el.find(f"{W}rPr/{W}rFonts")
    sz = el.find(f"{W}rPr/{W}sz")
    ea = rfonts.get(f"{W}eastAsia") if rfonts is not None else None
    latin = rfonts.get(f"{W}ascii") if rfonts is not None else None
    size = int(sz.get(f"{W}val", "0")) / 2 if sz is not None else None
    return ea, latin, size


def read_styles(styles_xml: bytes | None) -> dict[str, StyleInfo]:
    """Paragraph styles by id, each with its resolved faces and size."""
    if styles_xml is None:
        return {}
    root = parse_xml(styles_xml, "word/styles.xml")
    defaults = _own_fonts(root.find(f"{W}docDefaults/{W}rPrDefault"))
    raw: dict[str, etree._Element] = {}
    for st in root.findall(f"{W}style"):
        if st.get(f"{W}type") == "paragraph" and st.get(f"{W}styleId"):
            raw[st.get(f"{W}styleId", "")] = st

    def resolve(sid: str, seen: frozenset[str]) -> tuple[str | None, str | None, float | None]:
        st = raw.get(sid)
        if st is None or sid in seen:
            return defaults
        own = _own_fonts(st)
        based = st.find(f"{W}basedOn")
        parent = resolve(based.get(f"{W}val", ""), seen | {sid}) if based is not None else defaults
        return tuple(o if o is not None else p for o, p in zip(own, parent, strict=True))  # type: ignore[return-value]

    out = {}
    for sid, st in raw.items():
        name_el = st.find(f"{W}name")
        ea, latin, size = resolve(sid, frozenset())
        out[sid] = StyleInfo(
            sid, name_el.get(f"{W}val", sid) if name_el is not None else sid, ea, latin, size
        )
    return out


# Schema order of w:rPr children (ECMA-376 CT_RPr); inserting out of order makes Word repair.
RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]
_PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]
_STYLE_ORDER = [
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "autoRedefine",
    "hidden",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "locked",
    "personal",
    "personalCompose",
    "personalReply",
    "rsid",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "tblStylePr",
]


def _child(parent: etree._Element, tag: str, order: list[str]) -> etree._Element:
    """The child ``w:tag`` of *parent*, created at its schema position when missing."""
    found = parent.find(f"{W}{tag}")
    if found is not None:
        return found
    new = etree.Element(f"{W}{tag}")
    rank = order.index(tag)
    for i, existing in enumerate(parent):
        local = etree.QName(existing).localname
        if local in order and order.index(local) > rank:
            parent.insert(i, new)
            return new
    parent.append(new)
    return new


def set_style_fonts(
    styles_xml: bytes,
    fonts: Mapping[str, tuple[str | None, str | None, float | None]],
) -> bytes:
    """Write faces and sizes into styles (style id → (eastAsia, latin, points)).

    Also makes the document defaults declare ``w:lang w:eastAsia="zh-CN"``
    (CONVENTIONS §6), so Word never falls back to a Japanese face for Chinese text.
    """
    root = parse_xml(styles_xml, "word/styles.xml")
    defaults = root.find(f"{W}docDefaults")
    if defaults is None:
        defaults = etree.Element(f"{W}docDefaults")
        root.insert(0, defaults)
    rpr_default = defaults.find(f"{W}rPrDefault")
    if rpr_default is None:
        rpr_default = etree.Element(f"{W}rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(f"{W}rPr")
    if rpr is None:
        rpr = etree.SubElement(rpr_default, f"{W}rPr")
    lang = _child(rpr, "lang", RPR_ORDER)
    lang.set(f"{W}eastAsia", "zh-CN")
    if lang.get(f"{W}val") is None:
        lang.set(f"{W}val", "en-US")
    by_id = {st.get(f"{W}styleId"): st for st in root.findall(f"{W}style")}
    for sid, (east_asia, latin, size) in fonts.items():
        st = by_id.get(sid)
        if st is None:
            continue
        srpr = _child(st, "rPr", _STYLE_ORDER)
        rfonts = _child(srpr, "rFonts", RPR_ORDER)
        if east_asia:
            rfonts.set(f"{W}eastAsia", east_asia)
            rfonts.attrib.pop(f"{W}eastAsiaTheme", None)
        if latin:
            for a in ("ascii", "hAnsi"):
                rfonts.set(f"{W}{a}", latin)
                rfonts.attrib.pop(f"{W}{a}Theme", None)
        rfonts.set(f"{W}hint", "eastAsia")
        if size:
            half_points = str(round(size * 2))
            _child(srpr, "sz", RPR_ORDER).set(f"{W}val", half_points)
            _child(srpr, "szCs", RPR_ORDER).set(f"{W}val", half_points)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def text_width_twips(document_xml: bytes) -> tuple[int, float]:
    """The text column width (page width minus margins) in twips, and characters per line."""
    root = parse_xml(document_xml, DOCUMENT)
    sect = root.findall(f".//{W}sectPr")
    width, chars = 9026, 28.0  # A4 with 2.54 cm margins, when the document says nothing
    if sect:
        pg, mar = sect[-1].find(f"{W}pgSz"), sect[-1].find(f"{W}pgMar")
        if pg is not None and mar is not None:
            width = (
                int(pg.get(f"{W}w", "11906"))
                - int(mar.get(f"{W}left", "1440"))
                - int(mar.get(f"{W}right", "1440"))
            )
    return width, chars


def visible_text(xml_fragment: str) -> str:
    """The text a reader sees in an XML fragment (tags removed, entities kept readable)."""
    text = re.sub(r"<[^>]+>", "", xml_fragment)
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&amp;", "&")
        .strip()
    )


# CT_Settings children that follow w:updateFields (schema order).
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)


def update_fields_on_open(settings_xml: bytes) -> bytes:
    """Settings asking Word to refresh fields (a table of contents) when the file opens."""
    root = parse_xml(settings_xml, "word/settings.xml")
    flag = root.find(f"{W}updateFields")
    if flag is None:
        flag = etree.Element(f"{W}updateFields")
        anchor = next(
            (el for el in root if etree.QName(el).localname in _AFTER_UPDATE_FIELDS), None
        )
        if anchor is not None:
            anchor.addprevious(flag)
        else:
            root.append(flag)
    flag.set(f"{W}val", "true")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
