"""The ``.docx`` package: reading its zip, parsing its XML safely, and the styles it holds.

Only bytes come in and out here; file paths stay with :mod:`docgen.template` and
:mod:`docgen.rendering`.  XML is parsed with one hardened parser (no entities, no DTDs, no network),
as python-docx does.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Mapping

import attrs
from lxml import etree

from docgen import limits
from docgen.errors import DocgenWarning, PackageError
from docgen.i18n import lazy
from docgen.limits import UNPACKED_SETTING, megabytes, unpacked_limit

__all__ = [
    "NS",
    "Package",
    "StyleInfo",
    "W",
    "clean_text",
    "parse_xml",
    "read_styles",
    "set_style_fonts",
    "unpacked_limit",
    "update_fields_on_open",
    "xml_attr",
    "xml_text",
]

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
W = "{" + NS["w"] + "}"

# huge_tree=False keeps libxml2's limits: elements nested deeper than 256, or text nodes over
# 10 MB, are errors rather than work.
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

# A part name that could leave the package when unpacked: absolute, a drive, a .. segment, a
# backslash or a control character.
_UNSAFE_PART = re.compile(r"^[/\\]|^[A-Za-z]:|(^|/)\.\.(/|$)|[\\\x00-\x1f]")
_CHUNK = 1 << 20


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
        DocgenWarning(
            lazy(
                "{where}: removed {n} character(s) that a Word document cannot hold ({codes})",
                where=where,
                n=len(found),
                codes=codes,
            )
        ),
        stacklevel=3,
    )
    return _XML_ILLEGAL.sub("", text)


def xml_text(text: str) -> str:
    """*text* escaped for XML character data (``&``, ``<``, ``>``).

    Written here, not taken from :mod:`xml.sax.saxutils`, whose import pulls in
    :mod:`urllib.request` and costs a cold ``docgen render`` about 15 ms.

    >>> xml_text("a < b & c")
    'a &lt; b &amp; c'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(value: str) -> str:
    """*value* as a quoted XML attribute value (what ``saxutils.quoteattr`` writes).

    >>> print(xml_attr('图片 1'), xml_attr('say "hi"'))
    "图片 1" 'say "hi"'
    """
    value = xml_text(value).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "&quot;") + '"'


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_OFF = ("0", "false", "off", "none")


def local_name(el: etree._Element) -> str:
    """An element's tag without its namespace ("" for comments and processing instructions)."""
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def is_on(el: etree._Element | None) -> bool:
    """Whether an on/off property (``<w:b/>``, ``<w:vanish w:val="0"/>``) is present and on."""
    return el is not None and el.get(f"{W}val", "true").lower() not in _OFF


def inside(el: etree._Element, stop: etree._Element, names: tuple[str, ...]) -> bool:
    """Whether *el* sits, below *stop*, in an element named one of *names*.

    The older copy of an ``mc:AlternateContent`` (its ``mc:Fallback``, which Word does not
    show) counts as such an element too.
    """
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if local_name(parent) in names or parent.tag == _MC_FALLBACK:
            return True
        parent = parent.getparent()
    return False


def parse_xml(data: bytes, where: str) -> etree._Element:
    """Parse one XML part; a DTD or malformed XML raises :class:`PackageError` naming it.

    A DTD or entity declaration is refused wherever it stands (never read, never resolved),
    and so is nesting deeper than libxml2's limit of 256 elements.
    """
    refused = PackageError(
        lazy("declares a DTD or entities, which docgen never reads"),
        where=where,
        expected=lazy("plain Office Open XML, without <!DOCTYPE> or <!ENTITY>"),
        code="package.unsafe",
    )
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise refused
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PackageError(
            lazy("is not well-formed XML"),
            where=where,
            expected=lazy("XML as Word writes it (elements nested at most 256 deep)"),
            found=str(exc),
            code="package.bad_xml",
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # a DTD in another encoding
        raise refused
    return root


@attrs.define
class Package:
    """The parts of a ``.docx``: name → bytes, in their zip order."""

    parts: dict[str, bytes]
    source: str

    @classmethod
    def from_bytes(cls, data: bytes, source: str, *, max_unpacked: int | None = None) -> Package:
        r"""Read a ``.docx`` from its bytes (*source* names it in errors).

        The package is refused, with a :class:`PackageError` naming the file and the part,
        when it is not a zip, lacks ``word/document.xml``, would unpack to more than
        *max_unpacked* bytes (default :data:`docgen.limits.MAX_UNPACKED`, or
        ``DOCGEN_MAX_UNPACKED_MB``; the sizes the zip declares and the bytes actually unpacked
        are both counted, since a zip's headers can lie), holds more than
        :data:`docgen.limits.MAX_PARTS` parts, or names a part
        that would leave the package when unpacked (``../x``, ``/x``, ``C:\x``).
        """
        limit = max_unpacked if max_unpacked is not None else unpacked_limit()
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                parts = cls._read_parts(zf, source, limit)
        except PackageError:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
            raise PackageError(
                lazy("is not a Word document"),
                where=source,
                expected=lazy("a .docx file (a zip package)"),
                found=lazy("{n} bytes starting {data!r}", n=len(data), data=data[:8]),
                code="package.not_zip",
            ) from None
        if DOCUMENT not in parts:
            raise PackageError(
                lazy("has no {DOCUMENT}", DOCUMENT=DOCUMENT),
                where=source,
                expected=lazy("a .docx package with a main document part"),
                found=", ".join(sorted(parts)[:8]) or lazy("an empty zip"),
                code="package.missing_part",
            )
        return cls(parts, source)

    @staticmethod
    def _read_parts(zf: zipfile.ZipFile, source: str, limit: int) -> dict[str, bytes]:
        infos = [info for info in zf.infolist() if not info.is_dir()]
        if len(infos) > limits.MAX_PARTS:
            raise PackageError(
                lazy("holds {n:,} parts", n=len(infos)),
                where=source,
                expected=lazy(
                    "at most {MAX_PARTS:,} parts (a Word document has a few dozen)",
                    MAX_PARTS=limits.MAX_PARTS,
                ),
                code="package.too_large",
            )
        too_big = PackageError(
            lazy("unpacks to more than the limit (a zip bomb?)"),
            where=source,
            expected=lazy(
                "at most {size} unpacked; raise the limit with max_unpacked= or the "
                "environment variable {setting}",
                size=megabytes(limit),
                setting=UNPACKED_SETTING,
            ),
            found=lazy("{size} declared", size=megabytes(sum(i.file_size for i in infos))),
            code="package.too_large",
        )
        if sum(info.file_size for info in infos) > limit:
            raise too_big
        parts: dict[str, bytes] = {}
        unpacked = 0
        for info in infos:
            name = info.filename
            where = f"{source} ({name})"
            if _UNSAFE_PART.search(name):
                raise PackageError(
                    lazy("has a part name that leaves the package"),
                    where=where,
                    expected=lazy("part names inside the package, such as word/document.xml"),
                    found=repr(name),
                    code="package.unsafe",
                )
            if name in parts:
                raise PackageError(
                    lazy("holds two parts of the same name"),
                    where=where,
                    expected=lazy("each part once"),
                )
            chunks = []
            try:
                with zf.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > limit:  # more than the headers declared
                            raise too_big
                        chunks.append(chunk)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
                raise PackageError(
                    lazy("cannot be unpacked"),
                    where=where,
                    expected=lazy("a part stored or deflated as Word writes it"),
                    found=str(exc),
                ) from None
            except RuntimeError as exc:  # an encrypted member
                raise PackageError(
                    lazy("cannot be unpacked"),
                    where=where,
                    expected=lazy("a package without a password"),
                    found=str(exc),
                ) from None
            parts[name] = b"".join(chunks)
        return parts

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

    resolved: dict[str, tuple[str | None, str | None, float | None]] = {}

    def resolve(sid: str) -> tuple[str | None, str | None, float | None]:
        # Walk up the w:basedOn chain to a style already resolved (a loop, not recursion, and
        # each style resolved once: a hostile chain may be thousands long).
        chain: list[str] = []
        while sid in raw and sid not in resolved and sid not in chain:
            chain.append(sid)
            based = raw[sid].find(f"{W}basedOn")
            sid = based.get(f"{W}val", "") if based is not None else ""
        cyclic = sid in chain  # a style based on itself, at some remove: not cached
        fonts = defaults if cyclic else resolved.get(sid, defaults)
        for link in reversed(chain):
            own = _own_fonts(raw[link])
            fonts = tuple(o if o is not None else p for o, p in zip(own, fonts, strict=True))  # type: ignore[assignment]
            if not cyclic:
                resolved[link] = fonts
        return fonts

    out = {}
    for sid, st in raw.items():
        name_el = st.find(f"{W}name")
        ea, latin, size = resolve(sid)
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
    (CONVENTIONS §6), so Word never falls back to a Japanese face for Chinese text, and
    ``w:overflowPunct`` (below) where they say nothing about it.
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
    # 允许标点溢出边界, as Chinese Word has it by default, said explicitly: LibreOffice reads
    # w:overflowPunct inverted (absent or 0: hanging punctuation), and its PDF export drops a
    # mark hanging at the end of a justified line (…发展规划 / 推动 lost its "，").
    ppr_default = _child(defaults, "pPrDefault", ["rPrDefault", "pPrDefault"])
    ppr = _child(ppr_default, "pPr", ["pPr"])
    if ppr.find(f"{W}overflowPunct") is None:
        _child(ppr, "overflowPunct", _PPR_ORDER)
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
