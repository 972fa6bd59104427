"""What a template asks for, read from the template itself.

The expectations are the template's own: its manifest's faces and sizes per role (as
:class:`docgen.Template` resolved them into :attr:`~docgen.Template.roles`), its styles'
spacing, indents and alignment, its page (``w:sectPr``), its footers' page numbers, its
numbering scheme and its fields.  So a school's own template is checked against itself, and
``official`` against GB/T 9704 because that is how it is built.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import attrs

from docgen.checking._read import (
    DocxDocument,
    PageSetup,
    ParaInfo,
    Styles,
    attr,
    read_package,
    to_int,
)
from docgen.cn.numbering import PRESETS, NumberingScheme, parse_label
from docgen.manifest import ROLES
from docgen.ooxml import Package, W
from docgen.template import Template

HEADINGS = ("heading1", "heading2", "heading3", "heading4")

# Faces that stand for one another: the 公文 faces and the faces every Chinese Windows has, by
# their Chinese and English names (a template names one; a document may carry another).
_FAMILIES = (
    ("仿宋", "仿宋_GB2312", "FangSong", "FangSong_GB2312", "华文仿宋", "STFangsong"),
    ("楷体", "楷体_GB2312", "KaiTi", "KaiTi_GB2312", "华文楷体", "STKaiti"),
    ("黑体", "SimHei", "方正黑体_GBK", "方正黑体简体"),
    ("宋体", "SimSun", "新宋体", "NSimSun"),
    ("方正小标宋简体", "方正小标宋_GBK", "小标宋", "华文中宋", "STZhongsong"),
)
# A template's title face that stands in for GB/T 9704's 小标宋 (see the built-ins' manifests):
# a document in the standard's own face is not wrong.
_ALSO = {"黑体": "方正小标宋简体"}


@functools.cache
def _family(face: str) -> str:
    key = face.strip().lower()
    for family in _FAMILIES:
        if key in (f.lower() for f in family):
            return family[0]
    return face.strip()


def same_face(found: str | None, expected: str, *, role: str = "") -> bool:
    """Whether *found* is the face *expected*, or one that stands for it.

    >>> same_face("仿宋_GB2312", "仿宋"), same_face("宋体", "仿宋")
    (True, False)
    >>> same_face("方正小标宋简体", "黑体", role="title")
    True
    """
    if found is None:
        return False
    if _family(found) == _family(expected):
        return True
    return role == "title" and _family(found) == _ALSO.get(_family(expected))


@attrs.define(frozen=True)
class RoleLook:
    """How a role's paragraphs look in the template."""

    style_id: str
    face: str | None
    size_pt: float | None
    line: int | None
    line_rule: str
    indent_chars: float
    jc: str
    numbered: bool  # the style numbers its paragraphs itself (w:numPr)


@attrs.define(frozen=True)
class Expectations:
    """Everything a check compares a document with."""

    name: str
    roles: Mapping[str, RoleLook]
    style_roles: Mapping[str, str]  # the template's style id → its role
    page: PageSetup
    kinds: tuple[str, ...]  # the label kind of each heading level
    date_style: str
    fields: frozenset[str]
    footers: Mapping[str, bytes]
    char_spacing: int  # the body's w:spacing (twips), for characters per line
    styles: Styles  # the template's own, for its footers
    #: the layouts the template's own paragraphs have (:func:`layout_key`): a document
    #: paragraph laid out like one of them follows the template
    own_layouts: frozenset[tuple[object, ...]] = frozenset()

    @property
    def lines_per_page(self) -> int:
        """Lines of body text on a page."""
        return lines_per_page(self.page, self.roles["body"])

    @property
    def chars_per_line(self) -> int:
        """Characters of body text in a line."""
        return chars_per_line(self.page, self.roles["body"], self.char_spacing)


def lines_per_page(page: PageSetup, body: RoleLook) -> int:
    """How many body lines fit the 版心's height (exact spacing, else the grid, else auto)."""
    size = body.size_pt or 10.5
    if body.line_rule == "exact" and body.line:
        pitch = float(body.line)
    elif page.grid_type in ("lines", "linesAndChars", "snapToChars") and page.line_pitch:
        pitch = float(page.line_pitch)
    else:  # single spacing is about 1.3 times the size in Chinese faces
        pitch = size * 20 * 1.3 * ((body.line or 240) / 240 if body.line_rule == "auto" else 1)
        if body.line_rule == "atLeast" and body.line:
            pitch = max(pitch, float(body.line))
    return round(page.text_height / pitch) if pitch > 0 else 0


def chars_per_line(page: PageSetup, body: RoleLook, spacing: int) -> int:
    """How many body characters fit the 版心's width (the character grid, or size + spacing)."""
    size = body.size_pt or 10.5
    pitch = size * 20 + spacing
    if page.grid_type in ("linesAndChars", "snapToChars") and page.char_space is not None:
        pitch = size * 20 + page.char_space * 20 / 4096
    return round(page.text_width / pitch) if pitch > 0 else 0


def role_look(styles: Styles, sid: str, face: str | None, size: float | None) -> RoleLook:
    """How paragraphs in style *sid* look (spacing, indent, alignment from its chain)."""
    chain = styles.ppr_chain(None, sid)
    chars = attr(chain, "ind", "firstLineChars")
    if chars is not None and chars != "0":
        indent = (to_int(chars) or 0) / 100
    else:
        twips = to_int(attr(chain, "ind", "firstLine")) or 0
        indent = twips / (size * 20) if size else 0.0
    jc = attr(chain, "jc", "val") or "left"
    return RoleLook(
        style_id=sid,
        face=face,
        size_pt=size,
        line=to_int(attr(chain, "spacing", "line")),
        line_rule=attr(chain, "spacing", "lineRule") or "auto",
        indent_chars=indent,
        jc={"start": "left", "end": "right"}.get(jc, jc),
        numbered=next(
            (n.get(f"{W}val") for el in chain if (n := el.find(f"{W}numPr/{W}numId")) is not None),
            "0",
        )
        not in ("0", ""),
    )


def scheme_kinds(scheme: NumberingScheme) -> tuple[str, ...]:
    """The label kind (:func:`docgen.cn.numbering.parse_label`) of each level of *scheme*.

    >>> scheme_kinds(PRESETS["GBT9704"])
    ('cn、', '(cn)', 'n.', '(n)')
    """
    kinds = []
    for level in range(1, scheme.depth + 1):
        label = scheme.label(level, 1, parents=[1] * (level - 1))
        found = parse_label(label + "标题", bare_numbers=True)
        kinds.append(found.kind if found is not None else "")
    return tuple(kinds)


#: The label kinds of every preset scheme, to place a label the template does not use.
PRESET_KINDS: Mapping[str, tuple[str, ...]] = {
    name: scheme_kinds(scheme) for name, scheme in PRESETS.items()
}


def expectations(template: Template) -> Expectations:
    """What *template* asks of a document."""
    pkg = Package({**template.package.parts, **template.static}, template.source)
    own: DocxDocument = read_package(pkg)
    roles = {}
    for role in ROLES:
        style = template.roles[role]
        roles[role] = role_look(own.styles, style.style_id, style.east_asia, style.size_pt)
    style_roles: dict[str, str] = {}
    for role in ROLES:
        style_roles.setdefault(template.roles[role].style_id, role)
    body_chain = own.styles.rpr_chain(None, None, template.roles["body"].style_id)
    spacing = to_int(attr(body_chain, "spacing", "val")) or 0
    return Expectations(
        name=template.name,
        roles=roles,
        style_roles=style_roles,
        page=own.page,
        kinds=scheme_kinds(template.scheme),
        date_style=template.manifest.date_style,
        fields=frozenset(template.manifest.fields),
        footers=own.page.footers,
        char_spacing=spacing,
        styles=own.styles,
        own_layouts=frozenset(layout_key(p) for p in own.paragraphs if not p.in_table),
    )


def layout_key(p: ParaInfo) -> tuple[object, ...]:
    """What decides a paragraph's layout: style, alignment, indents and spacing."""
    return (
        p.style_id,
        p.jc,
        p.first_line_chars,
        p.first_line_twips,
        p.left_twips,
        p.line,
        p.line_rule,
    )


_HEADING_NAME = re.compile(r"(?:heading|标题)\s*([1-4])")
_NAMED_ROLES = {
    "title": "title",
    "标题": "title",
    "normal": "body",
    "正文": "body",
    "body text": "body",
    "正文文本": "body",
    "list number": "list_number",
    "list bullet": "list_bullet",
    "list paragraph": "list_number",
    "signature": "signature",
    "署名": "signature",
    "caption": "caption",
    "题注": "caption",
}


def role_of_style(exp: Expectations, style_id: str, style_name: str) -> str | None:
    """The role a document's paragraph style plays: the template's own style, else by name."""
    if style_id in exp.style_roles:
        return exp.style_roles[style_id]
    name = style_name.strip().lower()
    m = _HEADING_NAME.fullmatch(name)
    if m:
        return f"heading{m.group(1)}"
    return _NAMED_ROLES.get(name)
