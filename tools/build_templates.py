"""Build the built-in templates' ``template.docx`` from their ``template.toml``.

Run ``python tools/build_templates.py`` after changing a manifest or this file, and commit the
output with it.  The package is written part by part (no python-docx default template, whose
``stylesWithEffects.xml`` stops matching once styles change), with fixed zip timestamps, so the
same input gives byte-identical output.

Page and type follow GB/T 9704-2012 (CONVENTIONS §5): A4, top margin 37 mm, left 28 mm, text
block 156 mm × 225 mm, 22 lines of 28 characters, body 三号, page numbers "— 1 —" in 四号 宋体,
odd pages right and even pages left, one character in from the edge.
"""

from __future__ import annotations

import importlib
import io
import sys
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
SIZES = {  # 字号 → points (CONVENTIONS §5); the builder runs without docgen installed
    "初号": 42,
    "小初": 36,
    "一号": 26,
    "小一": 24,
    "二号": 22,
    "小二": 18,
    "三号": 16,
    "小三": 15,
    "四号": 14,
    "小四": 12,
    "五号": 10.5,
    "小五": 9,
    "六号": 7.5,
    "小六": 6.5,
    "七号": 5.5,
    "八号": 5,
}

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MM = 56.6929  # twips per millimetre

# GB/T 9704 page: A4, top 37 mm, left 28 mm, text block 156 × 225 mm.
PAGE_W, PAGE_H = 11906, 16838
TOP, LEFT = round(37 * MM), round(28 * MM)
RIGHT = round((210 - 28 - 156) * MM)
BOTTOM = round((297 - 37 - 225) * MM)
LINE = int(225 * MM / 22)  # 22 lines in the text block: 579 twips (28.95 pt), rounded down
# 28 characters of 三号 (16 pt) in 156 mm (442.2 pt) need a 15.79 pt pitch: condense every
# character by 0.25 pt (w:spacing -5 twentieths).  Word's character grid does the same, but
# LibreOffice lays the grid out differently, so the condensing is written into the styles.
CONDENSE = -5
FOOTER = round((297 - 37 - 225 - 7) * MM) - 300  # "— 1 —" 7 mm below the text block


def _size(value: Any) -> float:
    return float(SIZES[value]) if isinstance(value, str) else float(value)


def _rfonts(font: Mapping[str, Any]) -> str:
    latin = font.get("latin", "Times New Roman")
    east = font.get("east_asia", "宋体")
    return (
        f"<w:rFonts w:ascii={quoteattr(latin)} w:hAnsi={quoteattr(latin)} "
        f'w:eastAsia={quoteattr(east)} w:cs={quoteattr(latin)} w:hint="eastAsia"/>'
    )


def _style(
    sid: str,
    name: str,
    font: Mapping[str, Any],
    ppr: str,
    *,
    based: str = "Normal",
    bold: bool = False,
    extra: str = "",
    ui: int = 10,
    condense: bool = False,
) -> str:
    half = round(_size(font.get("size", "三号")) * 2)
    spacing = f'<w:spacing w:val="{CONDENSE}"/>' if condense else ""
    b = "<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>'
    based_el = f'<w:basedOn w:val="{based}"/>' if based else ""
    return (
        f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/>{based_el}'
        f'<w:next w:val="BodyText"/>{extra}<w:uiPriority w:val="{ui}"/><w:qFormat/>'
        f"<w:pPr>{ppr}</w:pPr>"
        f"<w:rPr>{_rfonts(font)}{b}{spacing}"
        f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'
        "</w:style>"
    )


def styles_xml(fonts: Mapping[str, Mapping[str, Any]]) -> str:
    """Word styles for every role, faces and sizes from the manifest."""
    body = fonts["body"]
    indent = round(_size(body.get("size", "三号")) * 40)  # two characters, in twips
    line = f'<w:spacing w:before="0" w:after="0" w:line="{LINE}" w:lineRule="exact"/>'
    first = f'<w:ind w:firstLineChars="200" w:firstLine="{indent}"/>'
    no_ind = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'
    heading = "<w:keepNext/><w:keepLines/>" + line + first + '<w:jc w:val="both"/>'
    out = [
        f'<w:styles xmlns:w="{W_NS}" xmlns:r="{R_NS}">',
        "<w:docDefaults><w:rPrDefault><w:rPr>",
        _rfonts(body),
        f'<w:kern w:val="2"/><w:sz w:val="{round(_size(body["size"]) * 2)}"/>'
        f'<w:szCs w:val="{round(_size(body["size"]) * 2)}"/>',
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>',
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>",
        '<w:widowControl w:val="0"/><w:jc w:val="both"/>',
        "</w:pPr></w:pPrDefault></w:docDefaults>",
        # Normal, the default character/table/numbering styles Word expects
        f'<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        f"<w:qFormat/><w:pPr>{line}</w:pPr><w:rPr>{_rfonts(body)}</w:rPr></w:style>",
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>",
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        '<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>",
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        _style(
            "Title",
            "Title",
            fonts["title"],
            f'<w:spacing w:before="0" w:after="{LINE}" w:line="{round(LINE * 1.25)}" '
            f'w:lineRule="exact"/>{no_ind}<w:jc w:val="center"/>',
            ui=10,
        ),
        _style(
            "Heading1",
            "heading 1",
            fonts["heading1"],
            heading + '<w:outlineLvl w:val="0"/>',
            ui=9,
            condense=True,
        ),
        _style(
            "Heading2",
            "heading 2",
            fonts["heading2"],
            heading + '<w:outlineLvl w:val="1"/>',
            ui=9,
            condense=True,
        ),
        _style(
            "Heading3",
            "heading 3",
            fonts["heading3"],
            heading + '<w:outlineLvl w:val="2"/>',
            ui=9,
            condense=True,
        ),
        _style(
            "Heading4",
            "heading 4",
            fonts["heading4"],
            heading + '<w:outlineLvl w:val="3"/>',
            ui=9,
            condense=True,
        ),
        _style(
            "BodyText",
            "Body Text",
            fonts["body"],
            line + first + '<w:jc w:val="both"/>',
            ui=1,
            condense=True,
        ),
        _style("ListBullet", "List Bullet", fonts["list_bullet"], line, based="BodyText"),
        _style("ListNumber", "List Number", fonts["list_number"], line, based="BodyText"),
        _style(
            "TableText",
            "Table Text",
            fonts["table_text"],
            '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>' + no_ind,
            ui=11,
        ),
        _style(
            "Caption",
            "caption",
            fonts["caption"],
            '<w:keepNext/><w:spacing w:before="120" w:after="120" w:line="240" '
            f'w:lineRule="auto"/>{no_ind}<w:jc w:val="center"/>',
            ui=35,
        ),
        _style(
            "Signature",
            "Signature",
            fonts["signature"],
            line + no_ind + '<w:jc w:val="right"/>',
            ui=99,
            condense=True,
        ),
        _style("Attachment", "Attachment", fonts["attachment"], line, based="BodyText", ui=12),
        _style(
            "Footer",
            "footer",
            {"east_asia": "宋体", "latin": "宋体", "size": "四号"},
            '<w:tabs><w:tab w:val="center" w:pos="4153"/><w:tab w:val="right" w:pos="8306"/>'
            '</w:tabs><w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/>',
            ui=99,
        ),
        "</w:styles>",
    ]
    return DECL + "".join(out)


def footer_xml(side: str) -> str:
    """'— 1 —' in 四号 宋体, one character in from the right (odd) or left (even) edge."""
    ind = (
        '<w:ind w:rightChars="100" w:right="280"/><w:jc w:val="right"/>'
        if side == "odd"
        else '<w:ind w:leftChars="100" w:left="280"/><w:jc w:val="left"/>'
    )
    rpr = (
        '<w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体" w:hint="eastAsia"/>'
        '<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>'
    )
    return DECL + (
        f'<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr><w:pStyle w:val="Footer"/>{ind}'
        f'</w:pPr><w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}<w:t>1</w:t></w:r>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>'
    )


HINT = '<w:rFonts w:hint="eastAsia"/>'


def paragraph(
    style: str, text: str, font: Mapping[str, Any] | None = None, *, faces: bool = False
) -> str:
    """A template paragraph holding text or Jinja tags.

    Its run is marked East Asian (``w:hint``) and takes its faces from the paragraph style,
    so the faces named in ``template.toml`` (written into the styles when a template loads)
    reach it.  ``faces=True`` writes *font*'s faces on the run itself, as a template author's
    direct formatting would.
    """
    rpr = f"<w:rPr>{_rfonts(font) if faces and font else HINT}</w:rPr>"
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r>{rpr}'
        f'<w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
    )


def document_xml(body: str) -> str:
    """The main document: *body* paragraphs, then the GB/T 9704 page setup."""
    return DECL + (
        f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f"<w:body>{body}<w:sectPr>"
        '<w:footerReference w:type="even" r:id="rId5"/>'
        '<w:footerReference w:type="default" r:id="rId6"/>'
        f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
        f'<w:pgMar w:top="{TOP}" w:right="{RIGHT}" w:bottom="{BOTTOM}" w:left="{LEFT}" '
        f'w:header="851" w:footer="{FOOTER}" w:gutter="0"/>'
        '<w:cols w:space="425"/>'
        f'<w:docGrid w:type="lines" w:linePitch="{LINE}"/>'
        "</w:sectPr></w:body></w:document>"
    )


def _scheme_colors() -> str:
    colors = [
        ("dk1", '<a:sysClr val="windowText" lastClr="000000"/>'),
        ("lt1", '<a:sysClr val="window" lastClr="FFFFFF"/>'),
        ("dk2", '<a:srgbClr val="44546A"/>'),
        ("lt2", '<a:srgbClr val="E7E6E6"/>'),
        ("accent1", '<a:srgbClr val="4472C4"/>'),
        ("accent2", '<a:srgbClr val="ED7D31"/>'),
        ("accent3", '<a:srgbClr val="A5A5A5"/>'),
        ("accent4", '<a:srgbClr val="FFC000"/>'),
        ("accent5", '<a:srgbClr val="5B9BD5"/>'),
        ("accent6", '<a:srgbClr val="70AD47"/>'),
        ("hlink", '<a:srgbClr val="0563C1"/>'),
        ("folHlink", '<a:srgbClr val="954F72"/>'),
    ]
    return "".join(f"<a:{name}>{value}</a:{name}>" for name, value in colors)


def _font_collection(tag: str, latin: str, east_asia: str) -> str:
    return (
        f'<a:{tag}><a:latin typeface="{latin}"/><a:ea typeface="{east_asia}"/>'
        f'<a:cs typeface=""/><a:font script="Hans" typeface="{east_asia}"/></a:{tag}>'
    )


_SOLID = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
_LINE = (
    '<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr">'
    + _SOLID
    + '<a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>'
)

# A theme part: Word expects one (its absence is a schema finding).  Its fonts are the template's
# Latin and Chinese faces, so "theme" fonts in Word resolve to them too.
THEME = DECL + (
    '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="docgen">'
    '<a:themeElements><a:clrScheme name="docgen">' + _scheme_colors() + "</a:clrScheme>"
    '<a:fontScheme name="docgen">'
    + _font_collection("majorFont", "Times New Roman", "黑体")
    + _font_collection("minorFont", "Times New Roman", "仿宋")
    + "</a:fontScheme>"
    '<a:fmtScheme name="docgen"><a:fillStyleLst>' + _SOLID * 3 + "</a:fillStyleLst>"
    "<a:lnStyleLst>"
    + "".join(_LINE.format(w=w) for w in (6350, 12700, 19050))
    + "</a:lnStyleLst><a:effectStyleLst>"
    + "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3
    + "</a:effectStyleLst><a:bgFillStyleLst>"
    + _SOLID * 3
    + "</a:bgFillStyleLst>"
    "</a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
)


SETTINGS = DECL + (
    f'<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/>'
    '<w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/>'
    '<w:characterSpacingControl w:val="compressPunctuation"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
    '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
)

FONTS = [  # face, alternative (English) name, charset, family, pitch
    ("Times New Roman", None, "00", "roman", "variable"),
    ("宋体", "SimSun", "86", "auto", "variable"),
    ("黑体", "SimHei", "86", "modern", "fixed"),
    ("仿宋", "FangSong", "86", "modern", "fixed"),
    ("楷体", "KaiTi", "86", "modern", "fixed"),
]


def font_table_xml(extra: list[str]) -> str:
    fonts = list(FONTS) + [
        (f, None, "86", "auto", "variable") for f in extra if f not in {x[0] for x in FONTS}
    ]
    body = "".join(
        f"<w:font w:name={quoteattr(name)}>"
        + (f'<w:altName w:val="{alt}"/>' if alt else "")
        + f'<w:charset w:val="{cs}"/><w:family w:val="{fam}"/><w:pitch w:val="{pitch}"/>'
        "</w:font>"
        for name, alt, cs, fam, pitch in fonts
    )
    return DECL + f'<w:fonts xmlns:w="{W_NS}" xmlns:r="{R_NS}">{body}</w:fonts>'


CONTENT_TYPES = DECL + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.theme+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
    'package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.extended-properties+xml"/></Types>'
)

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
ROOT_RELS = DECL + (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
DOC_RELS = DECL + (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}settings" Target="settings.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}fontTable" Target="fontTable.xml"/>'
    f'<Relationship Id="rId4" Type="{_REL}numbering" Target="numbering.xml"/>'
    f'<Relationship Id="rId5" Type="{_REL}footer" Target="footer2.xml"/>'
    f'<Relationship Id="rId6" Type="{_REL}footer" Target="footer1.xml"/>'
    f'<Relationship Id="rId7" Type="{_REL}theme" Target="theme/theme1.xml"/>'
    "</Relationships>"
)
NUMBERING = DECL + f'<w:numbering xmlns:w="{W_NS}"/>'


def core_xml(title: str) -> str:
    return DECL + (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:creator>docgen</dc:creator>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2014-01-01T00:00:00Z</dcterms:created>'
        "</cp:coreProperties>"
    )


APP = DECL + (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
    'properties"><Application>docgen</Application></Properties>'
)


def build_docx(manifest: Mapping[str, Any], body: str) -> bytes:
    """A whole template package: styles from *manifest*, *body* paragraphs."""
    fonts = manifest["fonts"]
    faces = sorted({f["east_asia"] for f in fonts.values() if "east_asia" in f})
    parts = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("docProps/core.xml", core_xml(manifest.get("display_name", manifest["name"]))),
        ("docProps/app.xml", APP),
        ("word/document.xml", document_xml(body)),
        ("word/_rels/document.xml.rels", DOC_RELS),
        ("word/styles.xml", styles_xml(fonts)),
        ("word/settings.xml", SETTINGS),
        ("word/fontTable.xml", font_table_xml(faces)),
        ("word/numbering.xml", NUMBERING),
        ("word/footer1.xml", footer_xml("odd")),
        ("word/footer2.xml", footer_xml("even")),
        ("word/theme/theme1.xml", THEME),
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=(2014, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


# The example summary written with explicit loops instead of the body slot: the template
# the tests compare with the body slot, and the one the benchmark renders with docxtpl too.
SUMMARY_LOOPS = (
    ("Title", "{{ title }}{% if status %}（{{ status }}）{% endif %}"),
    ("BodyText", "{%p for b in intro %}"),
    ("BodyText", "{{ b }}"),
    ("BodyText", "{%p endfor %}"),
    ("BodyText", "{%p for s in sections %}"),
    ("Heading1", "{{ s.label }}{{ s.title }}"),
    ("BodyText", "{%p for b in s.blocks %}"),
    ("BodyText", "{{ b }}"),
    ("BodyText", "{%p endfor %}"),
    ("BodyText", "{%p for t in s.subsections %}"),
    ("Heading2", "{{ t.label }}{{ t.title }}"),
    ("BodyText", "{%p for b in t.blocks %}"),
    ("BodyText", "{{ b }}"),
    ("BodyText", "{%p endfor %}"),
    ("BodyText", "{%p endfor %}"),
    ("BodyText", "{%p endfor %}"),
    ("BodyText", "{%p for b in closing %}"),
    ("BodyText", "{{ b }}"),
    ("BodyText", "{%p endfor %}"),
    ("Signature", "{{ signature.org }}"),
    ("Signature", "{{ signature.date_text }}"),
)


def load_body(name: str) -> Callable[[Mapping[str, Mapping[str, Any]]], str]:
    """The ``body(fonts)`` function of a built-in template, from ``tools/template_bodies/``.

    Each built-in template has a module there (``work-summary`` → ``work_summary.py``) whose
    ``body(fonts)`` returns the document's paragraphs, tags included.
    """
    module = importlib.import_module(f"tools.template_bodies.{name.replace('-', '_')}")
    return module.body  # type: ignore[no-any-return]


def template_names() -> list[str]:
    """Every built-in template: a folder under templates/ with a template.toml."""
    return sorted(p.parent.name for p in TEMPLATES.glob("*/template.toml"))


def read_manifest(name: str) -> dict[str, Any]:
    with (TEMPLATES / name / "template.toml").open("rb") as fh:
        return tomllib.load(fh)


def main(argv: list[str]) -> int:
    names = argv or template_names()
    for name in names:
        manifest = read_manifest(name)
        data = build_docx(manifest, load_body(name)(manifest["fonts"]))
        out = TEMPLATES / name / "template.docx"
        out.write_bytes(data)
        print(f"{out.relative_to(ROOT)}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # so tools.template_bodies imports when run as a script
    sys.exit(main(sys.argv[1:]))
