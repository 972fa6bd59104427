"""Word ``.docx``: what the package holds around the body — styles, lists, links, properties.

The body walker (:mod:`docgen.importers._docx`) asks here what a paragraph's style means (a
heading level, the title, centred, a list), what a list's numbering is, where a relationship
id points (a part of the package, or a file outside it) and what the file's document
properties call it.  Every part is parsed with docgen's hardened parser
(:func:`docgen.ooxml.parse_xml`), from a package whose size :class:`docgen.ooxml.Package`
has already bounded.
"""

from __future__ import annotations

import posixpath
import re

import attrs
from lxml import etree

from docgen.errors import DataError, PackageError
from docgen.i18n import lazy
from docgen.importers._paragraphs import _Warn
from docgen.ooxml import NS, Package, W, parse_xml

_REL = "{" + NS["rel"] + "}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CORE_TYPE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
CORE_PART = "docProps/core.xml"


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _child_val(el: etree._Element | None, path: str) -> str | None:
    """The ``w:val`` of the child at *path*, or None."""
    found = el.find(path) if el is not None else None
    return None if found is None else str(found.get(f"{W}val", ""))


def _parse(data: bytes, source: str, part: str) -> etree._Element:
    """A part parsed with the hardened parser; broken XML is a DataError naming file and part."""
    try:
        return parse_xml(data, part)
    except PackageError as exc:
        raise DataError(
            lazy("{part} {message}", part=part, message=exc.message),
            where=source,
            expected=exc.expected,
            found=exc.found,
            code=exc.code,
        ) from None


# --- styles and numbering ------------------------------------------------------------------------


@attrs.frozen
class _Style:
    """What a paragraph style says about its paragraphs."""

    name: str
    level: int | None  # heading level from the name or the outline level
    role: str | None  # "title" | "caption" | "signature"
    num_id: str | None
    centred: bool | None = None  # the style's own or inherited w:jc; None: not set


_NO_STYLE = _Style("", None, None, None)
_ROLES = {
    "title": "title",
    "标题": "title",
    "caption": "caption",
    "题注": "caption",
    "signature": "signature",
    "署名": "signature",
    "落款": "signature",
}


def _docx_styles(pkg: Package, source: str) -> dict[str, _Style]:
    """Paragraph style id → :class:`_Style`, following ``w:basedOn``."""
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
        role = _ROLES.get(name)
        if role == "title":
            level = None
        jc = inherited(sid, f"{W}pPr/{W}jc")
        num_id = inherited(sid, f"{W}pPr/{W}numPr/{W}numId")
        out[sid] = _Style(name, level, role, num_id, None if jc is None else _is_centre(jc))
    return out


def _is_centre(jc: str | None) -> bool:
    return jc in ("center", "centre")


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


@attrs.frozen
class _Definitions:
    """A package with the styles and numbering its paragraphs refer to."""

    pkg: Package
    source: str
    styles: dict[str, _Style]
    numbering: dict[str, tuple[str, int]]

    @classmethod
    def read(cls, pkg: Package, source: str) -> _Definitions:
        return cls(pkg, source, _docx_styles(pkg, source), _docx_numbering(pkg, source))


# --- relationships and document properties ------------------------------------------------------


@attrs.frozen
class _Target:
    """Where a relationship points: a part of the package, or (``part`` None) outside it."""

    target: str  # as the relationship wrote it
    part: str | None
    type: str = ""


def _rels_part(part: str) -> str:
    """The relationships part of *part*: ``word/document.xml`` → ``word/_rels/document.xml.rels``.

    >>> _rels_part("word/document.xml"), _rels_part("")
    ('word/_rels/document.xml.rels', '_rels/.rels')
    """
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _part_rels(pkg: Package, part: str, source: str) -> dict[str, _Target]:
    """Relationship id → target for *part* ("" for the package's own relationships)."""
    name = _rels_part(part)
    data = pkg.parts.get(name)
    if data is None:
        return {}
    out = {}
    for rel in _parse(data, source, name).findall(f"{_REL}Relationship"):
        target, kind = rel.get("Target", ""), rel.get("Type", "")
        external = rel.get("TargetMode") == "External"
        part_name = None if external else _resolve(posixpath.dirname(part), target)
        out[rel.get("Id", "")] = _Target(target, part_name, kind)
    return out


def _resolve(folder: str, target: str) -> str:
    """A relationship's internal target as a part name.

    >>> _resolve("word", "media/a.png"), _resolve("word", "/customXml/item1.xml")
    ('word/media/a.png', 'customXml/item1.xml')
    """
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _core_title(pkg: Package, source: str, warn: _Warn) -> str | None:
    """The title in the file's document properties (``docProps/core.xml``), or None.

    A broken properties part is left aside with a warning: it never holds the document's text.
    """
    try:
        rels = _part_rels(pkg, "", source).values()
    except DataError as exc:
        warn(lazy("{message}; the document properties were not read", message=exc.message))
        return None
    part = next((t.part for t in rels if t.type == _CORE_TYPE and t.part), CORE_PART)
    data = pkg.parts.get(part)
    if data is None:
        return None
    try:
        root = parse_xml(data, part)
    except PackageError as exc:
        warn(
            lazy(
                "{part} {message}; the document properties were not read",
                part=part,
                message=exc.message,
            )
        )
        return None
    title = root.find(f"{_DC}title")
    text = (title.text or "").strip() if title is not None else ""
    return text or None
