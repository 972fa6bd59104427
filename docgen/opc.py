"""A package's relationships and content types (OPC), read and written as data.

Part names are resolved as the Open Packaging Conventions say: a relationship's target is
relative to its source part's folder unless it starts with ``/``; ``word/_rels/document.xml.rels``
holds the relationships of ``word/document.xml``, ``_rels/.rels`` those of the package.
Only bytes in and out; XML is parsed with :func:`docgen.ooxml.parse_xml`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping

import attrs
from lxml import etree

from docgen.ooxml import NS, parse_xml

__all__ = [
    "CONTENT_TYPES",
    "ContentTypes",
    "Rel",
    "Relationships",
    "reachable",
    "read_rels",
    "rels_name",
    "resolve",
    "serialize",
]

CONTENT_TYPES = "[Content_Types].xml"
_RELS = "{" + NS["rel"] + "}Relationships"
_REL = "{" + NS["rel"] + "}Relationship"
_CT = "{" + NS["ct"] + "}"

Rel = tuple[str, str, bool]  # type, target, external


def rels_name(part: str) -> str:
    """The relationships part of *part* (``""`` is the package itself)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def resolve(source: str, target: str) -> str:
    """The part name a relationship of *source* targets."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def read_rels(parts: Mapping[str, bytes], part: str) -> dict[str, Rel]:
    """*part*'s relationships: id → (type, target as written, external)."""
    name = rels_name(part)
    if name not in parts:
        return {}
    root = parse_xml(parts[name], name)
    return {
        r.get("Id", ""): (r.get("Type", ""), r.get("Target", ""), r.get("TargetMode") == "External")
        for r in root.iter(_REL)
    }


def reachable(parts: Mapping[str, bytes]) -> set[str]:
    """Every part the package's relationships reach, from the package down."""
    seen: set[str] = set()
    queue = [""]
    while queue:
        source = queue.pop()
        for _, target, external in read_rels(parts, source).values():
            name = resolve(source, target)
            if not external and name in parts and name not in seen:
                seen.add(name)
                queue.append(name)
    return seen


def serialize(root: etree._Element) -> bytes:
    """An XML part's bytes, with the declaration Word writes."""
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


@attrs.define
class Relationships:
    """A relationships part being written: kept entries, and new ones under fresh ids."""

    entries: dict[str, Rel]
    _ids: dict[Rel, str] = attrs.field(factory=dict)
    _next: int = 1

    def add(self, rel: Rel) -> str:
        """The id of *rel*, added once."""
        if rel in self._ids:
            return self._ids[rel]
        while f"rId{self._next}" in self.entries:
            self._next += 1
        rid = f"rId{self._next}"
        self.entries[rid] = rel
        self._ids[rel] = rid
        return rid

    def xml(self) -> bytes:
        """The relationships part."""
        root = etree.Element(_RELS, nsmap={None: NS["rel"]})
        for rid, (rel_type, target, external) in self.entries.items():
            el = etree.SubElement(root, _REL, Id=rid, Type=rel_type, Target=target)
            if external:
                el.set("TargetMode", "External")
        return serialize(root)


@attrs.define
class ContentTypes:
    """``[Content_Types].xml``: a content type per extension, and per part where it differs."""

    defaults: dict[str, str]
    overrides: dict[str, str]

    @classmethod
    def read(cls, parts: Mapping[str, bytes]) -> ContentTypes:
        """The content types of the package *parts*."""
        root = parse_xml(parts[CONTENT_TYPES], CONTENT_TYPES)
        return cls(
            {
                d.get("Extension", "").lower(): d.get("ContentType", "")
                for d in root.iter(f"{_CT}Default")
            },
            {
                o.get("PartName", "").lstrip("/"): o.get("ContentType", "")
                for o in root.iter(f"{_CT}Override")
            },
        )

    def of(self, part: str) -> str | None:
        """The content type of *part* (``None``: the package gives it none)."""
        ext = posixpath.splitext(part)[1].lstrip(".").lower()
        return self.overrides.get(part, self.defaults.get(ext))

    def add(self, part: str, content_type: str) -> None:
        """Give *part* its content type: by its extension when that is new, else its own."""
        if self.of(part) == content_type:
            return
        ext = posixpath.splitext(part)[1].lstrip(".").lower()
        if ext and ext not in self.defaults:
            self.defaults[ext] = content_type
        else:
            self.overrides[part] = content_type

    def xml(self, parts: Mapping[str, bytes]) -> bytes:
        """``[Content_Types].xml`` for *parts* (overrides of parts not among them left out)."""
        root = etree.Element(f"{_CT}Types", nsmap={None: NS["ct"]})
        for ext, content_type in self.defaults.items():
            etree.SubElement(root, f"{_CT}Default", Extension=ext, ContentType=content_type)
        for part, content_type in self.overrides.items():
            if part in parts:
                etree.SubElement(
                    root, f"{_CT}Override", PartName=f"/{part}", ContentType=content_type
                )
        return serialize(root)
