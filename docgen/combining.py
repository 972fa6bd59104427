"""Many rendered documents → one, each record in a section of its own, as Word's mail merge gives.

:func:`combine` works on the packages' bytes only.  The first document gives the package's
document-wide parts (styles, settings, fonts, theme, properties); every record's body follows
in order, its last section starting on a new page with page numbers restarting at 1.  What a
record's body and sections point at is carried over under names of the combined package's
own: pictures (one part for equal bytes), hyperlinks, and headers and footers (a copy per
record, since a footer may print the record's own fields); list instances are renumbered so
one record's lists never continue another's; picture and bookmark ids are made unique.

Module named ``combining`` (not ``combine``) so that ``docgen.combine`` stays the function
whichever module imports it first, as with :mod:`docgen.rendering`.
"""

from __future__ import annotations

import copy
import hashlib
import posixpath
import re
from collections.abc import Iterable, Sequence

import attrs
from lxml import etree

from docgen.errors import PackageError, RenderError
from docgen.i18n import lazy
from docgen.listnumbering import MergedNumbering
from docgen.ooxml import NS, Package, W, parse_xml, update_fields_on_open
from docgen.opc import (
    CONTENT_TYPES,
    ContentTypes,
    Rel,
    Relationships,
    reachable,
    read_rels,
    rels_name,
    resolve,
    serialize,
)
from docgen.rendering import Document
from docgen.zipout import deflate, write_zip

__all__ = ["combine"]

DOCUMENT = "word/document.xml"
_NUMBERING = "word/numbering.xml"
_STYLES = "word/styles.xml"
_SETTINGS = "word/settings.xml"

_R = "{" + NS["r"] + "}"
_O_RELID = "{urn:schemas-microsoft-com:office:office}relid"  # VML's relationship attribute
_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_PARA_ID = "{http://schemas.microsoft.com/office/word/2010/wordml}paraId"
_IGNORABLE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable"
_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_HEADER, _FOOTER = _TYPES + "header", _TYPES + "footer"
# Parts copied as they are (no relationships of their own), one part for equal bytes.
_BLOBS = {_TYPES + "image", _TYPES + "printerSettings"}
_PART_TYPES = {
    _HEADER: "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    _FOOTER: "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
}
# What a record may hold that refers to a part combine does not merge.
_NOT_CARRIED = {
    f"{W}footnoteReference": "footnotes",
    f"{W}endnoteReference": "endnotes",
    f"{W}commentReference": "comments",
    f"{W}commentRangeStart": "comments",
}
# Schema order of w:sectPr's children (ECMA-376 CT_SectPr); out of order, Word repairs.
_SECTPR_ORDER = (
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
)
_BOOKMARK_NAME_MAX = 40  # Word's limit


def combine(
    documents: Iterable[Document] | Sequence[Document], *, restart_page_numbers: bool = True
) -> Document:
    """One Word document holding every document of *documents*, in order.

    Each record's document becomes a section of its own that starts on a new page (its own
    sections stay as they are), with page numbers restarting at 1 unless
    ``restart_page_numbers=False`` or the template sets its own start; headers and footers
    stay each record's own.  Pictures, hyperlinks and lists are carried over, list numbering
    restarts per record.  The result's :attr:`~Document.warnings` are the documents'
    warnings, each once; its :attr:`~Document.template` is the template's name (the names,
    comma-separated, when the documents come from several).  A single document is returned
    as it is.

    Documents of different templates can be combined when their styles are the same (as the
    built-ins ``work-summary``, ``notice``, ``official`` and ``term-comment`` share): a Word
    document has one set of styles, taken from the first document.

    >>> import docgen
    >>> docs = [docgen.render(docgen.Report(f"第{n}组小结")) for n in (1, 2, 3)]
    >>> combined = docgen.combine(docs)
    >>> combined.template, combined.to_bytes()[:2]
    ('work-summary', b'PK')

    Raises:
        TypeError: an item that is not a :class:`~docgen.Document`.
        RenderError: no documents; documents whose styles differ; a document holding
            footnotes, endnotes, comments or embedded objects and charts (docgen's templates
            write none), which combine does not carry.
        PackageError: a document whose package is broken (a relationship that points nowhere).
    """
    docs = list(documents)
    for i, doc in enumerate(docs):
        if not isinstance(doc, Document):
            raise TypeError(
                f"documents[{i}] must be a docgen.Document (got {doc!r:.60} that is a "
                f"{type(doc).__name__}); render it first with docgen.render()"
            )
    if not docs:
        raise RenderError(
            lazy("combine() got no documents"),
            where="documents",
            expected=lazy("at least one rendered docgen.Document"),
            code="argument.invalid",
        )
    if len(docs) == 1:
        return docs[0]
    sources = [_Source.read(i, doc) for i, doc in enumerate(docs)]
    first = sources[0]
    for src in sources[1:]:
        if src.parts.get(_STYLES) != first.parts.get(_STYLES):
            raise RenderError(
                lazy("has other styles than documents[0] ({template!r})", template=first.template),
                where=src.where,
                expected=lazy(
                    "documents of one template, or of templates with the same styles: a Word "
                    "document has one set of styles (combine each template's documents apart)"
                ),
                code="render.combine",
            )
    merged = _Combined(first, restart=restart_page_numbers)
    for src in sources:
        merged.add(src, last=src is sources[-1])
    names = ", ".join(dict.fromkeys(doc.template for doc in docs))
    found = dict.fromkeys(w for doc in docs for w in doc.warnings)
    return Document(merged.to_bytes(), names, list(found))


@attrs.define
class _Source:
    """One document to combine: its parts, read once."""

    index: int
    template: str
    parts: dict[str, bytes]
    types: ContentTypes
    _numbering: etree._Element | None = None

    @classmethod
    def read(cls, index: int, doc: Document) -> _Source:
        source = f"documents[{index}] ({doc.template})"
        parts = Package.from_bytes(doc.to_bytes(), source).parts
        return cls(index, doc.template, parts, ContentTypes.read(parts))

    @property
    def where(self) -> str:
        return f"documents[{self.index}] ({self.template})"

    def tree(self, part: str) -> etree._Element:
        return parse_xml(self.parts[part], f"{self.where} ({part})")

    def numbering(self) -> etree._Element | None:
        if self._numbering is None and _NUMBERING in self.parts:
            self._numbering = self.tree(_NUMBERING)
        return self._numbering


# --- the combined package ---------------------------------------------------------------------


def _schema_child(parent: etree._Element, tag: str, order: Sequence[str]) -> etree._Element:
    """The child ``w:tag`` of *parent*, created at its schema position when missing."""
    found = parent.find(f"{W}{tag}")
    if found is not None:
        return found
    new = etree.Element(f"{W}{tag}")
    rank = order.index(tag)
    for existing in parent:
        local = etree.QName(existing).localname
        if local in order and order.index(local) > rank:
            existing.addprevious(new)
            return new
    parent.append(new)
    return new


def _refuse_notes(tree: etree._Element, where: str) -> None:
    for el in tree.iter(*_NOT_CARRIED):
        kind = _NOT_CARRIED[str(el.tag)]
        raise RenderError(
            lazy("holds {kind}, which combine does not carry", kind=kind),
            where=where,
            expected=lazy(
                "documents without footnotes, endnotes or comments (docgen's built-in "
                "templates write none); combine them in Word, or keep the documents apart"
            ),
            code="render.combine",
        )


def _sections(body: etree._Element) -> list[etree._Element]:
    """The body's sections' properties in order (not the previous ones a revision keeps)."""
    return [s for s in body.iter(f"{W}sectPr") if s.getparent().tag != f"{W}sectPrChange"]


def _end_section_in_last_paragraph(children: list[etree._Element], sect: etree._Element) -> None:
    """Put *sect* where a section other than the last keeps it: its last paragraph's pPr."""
    last = children[-1] if children else None
    ppr = last.find(f"{W}pPr") if last is not None and last.tag == f"{W}p" else None
    if (
        last is None
        or last.tag != f"{W}p"
        or (ppr is not None and ppr.find(f"{W}sectPr") is not None)
    ):
        last = etree.Element(f"{W}p")
        children.append(last)
        ppr = None
    if ppr is None:
        ppr = etree.Element(f"{W}pPr")
        last.insert(0, ppr)
    change = ppr.find(f"{W}pPrChange")  # CT_PPr ends …, rPr, sectPr, pPrChange
    if change is not None:
        change.addprevious(sect)
    else:
        ppr.append(sect)


class _Combined:
    """The package being built: the first document's, with every record's body added."""

    def __init__(self, first: _Source, *, restart: bool) -> None:
        self.restart = restart
        self.parts = dict(first.parts)
        self.types = copy.deepcopy(first.types)
        root = first.tree(DOCUMENT)
        self.tag, self.attrib = root.tag, dict(root.attrib)
        self.nsmap: dict[str | None, str] = {}
        self.ignorable: dict[str, None] = {}
        self.before_body = [copy.deepcopy(c) for c in root if c.tag != f"{W}body"]
        self.body = etree.Element(f"{W}body")
        # The relationships the first body uses are added again as its record's; the parts
        # only they reached (its headers, footers, pictures) go.
        used = {
            value
            for el in root.iter(etree.Element)
            for name, value in el.attrib.items()
            if name.startswith(_R) or name == _O_RELID
        }
        before = reachable(self.parts)
        kept = {
            rid: rel
            for rid, rel in read_rels(self.parts, DOCUMENT).items()
            if rid not in used and rel[0] not in (_HEADER, _FOOTER)
        }
        self.rels = Relationships(kept)
        self.parts[rels_name(DOCUMENT)] = self.rels.xml()
        for name in before - reachable(self.parts):
            self.parts.pop(name, None)
            self.parts.pop(rels_name(name), None)
        self.numbering = MergedNumbering(
            first.tree(_NUMBERING) if _NUMBERING in first.parts else None
        )
        self.blobs: dict[tuple[str, bytes], str] = {}
        self.counters: dict[str, int] = {}
        self.docpr = 0
        self.bookmark_ids = 0
        self.bookmark_names: set[str] = set()
        self.para_ids: set[str] = set()
        self.update_fields = False

    # -- records --

    def add(self, src: _Source, *, last: bool) -> None:
        """Add *src*'s body as one record: its sections after those already there."""
        root = src.tree(DOCUMENT)
        for prefix, uri in root.nsmap.items():
            self.nsmap.setdefault(prefix, uri)
        self.ignorable.update(dict.fromkeys(root.get(_IGNORABLE, "").split()))
        self.update_fields |= b"updateFields" in src.parts.get(_SETTINGS, b"")
        body = root.find(f"{W}body")
        if body is None:
            raise PackageError(
                lazy("has no w:body"),
                where=f"{src.where} ({DOCUMENT})",
                expected=lazy("a document body"),
                code="package.missing_part",
            )
        headers: dict[str, str] = {}
        self._carry(body, src, DOCUMENT, DOCUMENT, self.rels, headers)
        self._own_ids(body, src)
        children = list(body)
        if children and children[-1].tag == f"{W}sectPr":
            final = children.pop()
        else:
            final = etree.Element(f"{W}sectPr")
        sections = _sections(body) or [final]
        self._start_section(sections[0], src.index)
        if not last:
            _end_section_in_last_paragraph(children, final)
            self.body.extend(children)
        else:
            self.body.extend([*children, final])

    def _start_section(self, sect: etree._Element, index: int) -> None:
        """A record's first section: a new page, its page numbers from 1 (when asked)."""
        _schema_child(sect, "type", _SECTPR_ORDER).set(f"{W}val", "nextPage")
        if self.restart:
            numbers = _schema_child(sect, "pgNumType", _SECTPR_ORDER)
            if numbers.get(f"{W}start") is None:
                numbers.set(f"{W}start", "1")
        elif index > 0 and (numbers := sect.find(f"{W}pgNumType")) is not None:
            numbers.attrib.pop(f"{W}start", None)
            if not numbers.attrib and not len(numbers):
                sect.remove(numbers)

    # -- relationships --

    def _carry(
        self,
        tree: etree._Element,
        src: _Source,
        part: str,
        new_part: str,
        out: Relationships,
        headers: dict[str, str],
    ) -> None:
        """Point every relationship attribute of *tree* (from *part*) into *out*."""
        where = f"{src.where} ({part})"
        _refuse_notes(tree, where)
        rels = read_rels(src.parts, part)
        for el in tree.iter(etree.Element):
            for name, rid in list(el.attrib.items()):
                if not (name.startswith(_R) or name == _O_RELID):
                    continue
                rel = rels.get(rid)
                if rel is None:
                    raise PackageError(
                        lazy(
                            "refers to relationship {rid}, which {rels_name} lacks",
                            rid=rid,
                            rels_name=rels_name(part),
                        ),
                        where=where,
                        expected=lazy("every r:id of a part defined in its relationships"),
                        code="package.missing_part",
                    )
                el.set(name, out.add(self._target(src, part, new_part, rid, rel, headers)))
        if src.index:  # the first record keeps its lists' ids: the styles may name them
            self.numbering.renumber(tree, src.numbering(), f"{src.where} ({_NUMBERING})")

    def _target(
        self, src: _Source, part: str, new_part: str, rid: str, rel: Rel, headers: dict[str, str]
    ) -> Rel:
        """*rel* of *src*'s *part* as a relationship of *new_part* in the combined package."""
        rel_type, target, external = rel
        if external:
            return rel
        name = resolve(part, target)
        where = f"{src.where} ({part})"
        if name not in src.parts:
            raise PackageError(
                lazy(
                    "relationship {rid} points to {name}, which the package lacks",
                    rid=rid,
                    name=name,
                ),
                where=where,
                expected=lazy("every relationship's target part in the package"),
                code="package.missing_part",
            )
        if rel_type in _BLOBS:
            copied = self._blob(src, name)
        elif rel_type in (_HEADER, _FOOTER) and part == DOCUMENT:
            if name not in headers:
                headers[name] = self._header(src, name, rel_type)
            copied = headers[name]
        else:
            raise RenderError(
                lazy(
                    "holds a {rsplit} relationship ({rid} → {target}), which combine does "
                    "not carry",
                    rsplit=rel_type.rsplit("/", 1)[-1],
                    rid=rid,
                    target=target,
                ),
                where=where,
                expected=lazy(
                    "pictures, hyperlinks, headers and footers only (what docgen's built-in "
                    "templates hold)"
                ),
                code="render.combine",
            )
        return rel_type, posixpath.relpath(copied, posixpath.dirname(new_part)), False

    def _free_name(self, pattern: str) -> str:
        n = self.counters.get(pattern, 0)
        while True:
            n += 1
            name = pattern.format(n)
            if name not in self.parts and rels_name(name) not in self.parts:
                self.counters[pattern] = n
                return name

    def _blob(self, src: _Source, name: str) -> str:
        """*src*'s picture (or other part without relationships) in the package, once."""
        data = src.parts[name]
        content_type = src.types.of(name) or "application/octet-stream"
        key = (content_type, hashlib.sha256(data).digest())
        if key not in self.blobs:
            folder, base = posixpath.split(name)
            stem, ext = posixpath.splitext(base)
            literal = [p.replace("{", "{{").replace("}", "}}") for p in (folder, stem, ext)]
            pattern = posixpath.join(
                literal[0], literal[1].rstrip("0123456789") + "{}" + literal[2]
            )
            new = self._free_name(pattern)
            self.parts[new] = data
            self.types.add(new, content_type)
            self.blobs[key] = new
        return self.blobs[key]

    def _header(self, src: _Source, name: str, rel_type: str) -> str:
        """A copy of *src*'s header or footer *name*, with its own relationships."""
        kind = "header" if rel_type == _HEADER else "footer"
        new = self._free_name(f"word/{kind}{{}}.xml")
        self.parts[new] = b""  # the name is taken
        tree = src.tree(name)
        rels = Relationships({})
        self._carry(tree, src, name, new, rels, {})
        self._own_ids(tree, src)
        self.parts[new] = serialize(tree)
        if rels.entries:
            self.parts[rels_name(new)] = rels.xml()
        self.types.add(new, src.types.of(name) or _PART_TYPES[rel_type])
        return new

    # -- ids that must be unique in the document --

    def _own_ids(self, tree: etree._Element, src: _Source) -> None:
        """Picture ids, bookmark ids and names, paragraph ids: unique in the whole document."""
        for el in tree.iter(_DOCPR):
            self.docpr += 1
            el.set("id", str(self.docpr))
        ids: dict[str, str] = {}
        for el in tree.iter(f"{W}bookmarkStart", f"{W}bookmarkEnd"):
            old = el.get(f"{W}id", "")
            if old not in ids:
                ids[old] = str(self.bookmark_ids)
                self.bookmark_ids += 1
            el.set(f"{W}id", ids[old])
        for el in tree.iter(f"{W}bookmarkStart"):
            name = el.get(f"{W}name", "")
            if name in self.bookmark_names:
                new = self._bookmark_name(name, src.index)
                el.set(f"{W}name", new)
                _rename_references(tree, name, new)
                name = new
            self.bookmark_names.add(name)
        for el in tree.iter(etree.Element):
            para_id = el.get(_PARA_ID)
            if para_id is not None:
                if para_id in self.para_ids:
                    del el.attrib[_PARA_ID]  # optional; Word gives the paragraph a new one
                self.para_ids.add(para_id)

    def _bookmark_name(self, name: str, index: int) -> str:
        n = 0
        while True:
            suffix = f"_{index + 1}" + (f"_{n}" if n else "")
            new = name[: _BOOKMARK_NAME_MAX - len(suffix)] + suffix
            if new not in self.bookmark_names:
                return new
            n += 1

    # -- the package --

    def to_bytes(self) -> bytes:
        root = etree.Element(self.tag, nsmap=self.nsmap)
        for name, value in self.attrib.items():
            root.set(name, value)
        if self.ignorable:
            declared = set(self.nsmap)
            root.set(_IGNORABLE, " ".join(p for p in self.ignorable if p in declared))
        root.extend(self.before_body)
        root.append(self.body)
        self.parts[DOCUMENT] = serialize(root)
        self.parts[rels_name(DOCUMENT)] = self.rels.xml()
        if self.numbering.root is not None:
            self.parts[_NUMBERING] = serialize(self.numbering.root)
        if self.update_fields and _SETTINGS in self.parts:
            self.parts[_SETTINGS] = update_fields_on_open(self.parts[_SETTINGS])
        self.parts[CONTENT_TYPES] = self.types.xml(self.parts)
        return write_zip(deflate(name, data) for name, data in self.parts.items())


def _rename_references(tree: etree._Element, old: str, new: str) -> None:
    """Links and fields of *tree* that name bookmark *old* name *new*."""
    pattern = re.compile(rf"(?<![\w]){re.escape(old)}(?![\w])")
    for el in tree.iter(f"{W}hyperlink"):
        if el.get(f"{W}anchor") == old:
            el.set(f"{W}anchor", new)
    for el in tree.iter(f"{W}instrText"):
        if el.text:
            el.text = pattern.sub(new, el.text)
    for el in tree.iter(f"{W}fldSimple"):
        el.set(f"{W}instr", pattern.sub(new, el.get(f"{W}instr", "")))
