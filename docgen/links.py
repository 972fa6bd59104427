"""External links in a template: what docgen keeps, removes and refuses.

A relationship with ``TargetMode="External"`` points outside the package: a web address, a
``file://`` path, a ``\\\\server\\share`` path.  Copied into every generated document, such a
link makes the reader's Word fetch it when the document opens (a picture "linked to file"),
and a ``\\\\server`` path makes Windows send the reader's login to that server.  So, when a
template is compiled:

- hyperlinks are kept (a reader follows one only by clicking it);
- the link to the template Word made the document from (``attachedTemplate``, often
  ``C:\\Users\\…\\Normal.dotm``) is removed, with its ``w:attachedTemplate`` setting;
- any other external link (a linked picture, object or sub-document) refuses the template,
  naming the part, the link and its target, unless ``DOCGEN_KEEP_EXTERNAL_LINKS=1`` keeps them.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

import attrs
from lxml import etree

from docgen.errors import TemplateError
from docgen.i18n import lazy
from docgen.ooxml import NS, W, parse_xml

__all__ = ["KEEP_SETTING", "ExternalLink", "external_links", "strip_external_links"]

KEEP_SETTING = "DOCGEN_KEEP_EXTERNAL_LINKS"
_REL = "{" + NS["rel"] + "}Relationship"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_HYPERLINK = "/relationships/hyperlink"
_ATTACHED_TEMPLATE = "/relationships/attachedTemplate"


@attrs.frozen
class ExternalLink:
    """One relationship that points outside the package."""

    part: str  # the relationships part that holds it
    rid: str
    kind: str  # the last segment of its type: image, hyperlink, attachedTemplate, …
    target: str


def external_links(parts: MutableMapping[str, bytes]) -> list[ExternalLink]:
    """Every external relationship in the package's relationship parts."""
    return [
        ExternalLink(
            name, rel.get("Id", ""), rel.get("Type", "").rsplit("/", 1)[-1], rel.get("Target", "")
        )
        for name, blob in parts.items()
        if name.endswith(".rels") and b"External" in blob
        for rel in parse_xml(blob, name).iter(_REL)
        if rel.get("TargetMode") == "External"
    ]


def strip_external_links(parts: MutableMapping[str, bytes], source: str) -> list[ExternalLink]:
    """Apply the policy above to *parts* in place; return the links kept (hyperlinks, …).

    Raises:
        TemplateError: the template links to a picture, object or sub-document outside
            itself (and ``DOCGEN_KEEP_EXTERNAL_LINKS`` is not set).
    """
    kept = []
    for link in external_links(parts):
        if link.kind == _HYPERLINK.rsplit("/", 1)[-1]:
            kept.append(link)
        elif link.kind == _ATTACHED_TEMPLATE.rsplit("/", 1)[-1]:
            _remove_attached_template(parts, link)
        elif os.environ.get(KEEP_SETTING, "").strip() not in {"", "0"}:
            kept.append(link)
        else:
            raise TemplateError(
                lazy(
                    "links to something outside the document ({kind}), which Word would "
                    "fetch whenever a generated document is opened",
                    kind=link.kind,
                ),
                where=f"{source} ({link.part}, {link.rid})",
                expected=lazy(
                    "the picture or object embedded in the template (Word: 编辑链接 → 断开链接), "
                    "or "
                    "{KEEP_SETTING}=1 to keep such links",
                    KEEP_SETTING=KEEP_SETTING,
                ),
                found=link.target,
                code="template.external_link",
            )
    return kept


def _remove_attached_template(parts: MutableMapping[str, bytes], link: ExternalLink) -> None:
    rels = parse_xml(parts[link.part], link.part)
    for rel in list(rels.iter(_REL)):
        if rel.get("Id") == link.rid:
            rels.remove(rel)
    parts[link.part] = _bytes(rels)
    owner = link.part.replace("_rels/", "").removesuffix(".rels")  # word/settings.xml
    if owner in parts:
        root = parse_xml(parts[owner], owner)
        for el in list(root.iter(f"{W}attachedTemplate")):
            if el.get(_R_ID) == link.rid:
                parent = el.getparent()
                if parent is not None:
                    parent.remove(el)
        parts[owner] = _bytes(root)


def _bytes(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data
