"""One pass over a rendered part, as an lxml tree: what printed values asked for.

A value printed by a tag cannot write Word structure around itself: the tag sits inside a
``<w:t>`` of a run of a paragraph it does not know.  So :mod:`docgen.values` writes
*markers*, XML processing instructions (user text can never hold one, its ``<`` is
escaped), and :func:`finish_part` resolves them on the parsed part:

- ``<?dg-p?>`` (a line break in the data): the paragraph ends there and a new one, with the
  same paragraph and run properties, goes on;
- ``<?dg-tab?>``: a ``<w:tab/>``;
- ``<?dg-rich biue?>…<?dg-end?>``: the piece becomes a run of its own, with the template run's
  properties plus bold, italic, underline or 着重号;
- ``<?dg-vmerge?>`` (where the template has ``{% vmerge %}``): the cell merges with the cell
  above when their texts are equal (:mod:`docgen.tables`);
- ``<?dg-block n?>…<?dg-block-end?>`` (a table, list, picture or page break printed by
  ``{{ b }}`` in an explicit loop): alone in its paragraph, the paragraph is replaced by the
  block written whole; among other text, a picture or page break becomes a run there, and a
  table or list stays as the text between the markers (see :class:`Blocks`);
- a line break, carriage return or tab the template itself holds inside a ``<w:t>`` becomes a
  ``<w:br/>`` or ``<w:tab/>`` (Word would show it as a space).

A part without markers is not parsed at all.  :func:`add_numbering` and
:func:`add_relationships` add the lists and pictures a render wrote to the template's
numbering and relationship parts, on their trees too.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from typing import Protocol

from lxml import etree

from docgen import tables
from docgen.ooxml import NS, RPR_ORDER, W, parse_xml

__all__ = [
    "PARAGRAPH",
    "TAB",
    "VMERGE",
    "Blocks",
    "add_numbering",
    "add_relationships",
    "block_end",
    "block_start",
    "finish_part",
    "has_literal_breaks",
    "rich_end",
    "rich_start",
]

PARAGRAPH = "<?dg-p?>"
TAB = "<?dg-tab?>"
VMERGE = tables.MARK
_MARKER = "<?dg-"
_FLAG_ELEMENTS = {"b": ("b", "bCs"), "i": ("i", "iCs"), "u": ("u",), "e": ("em",)}
_FLAG_VALUES = {"u": "single", "em": "dot"}
_IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
# A <w:t> whose own text holds a line break or tab (found at compile time, once).
_LITERAL_BREAK = re.compile(r"<w:t(?:\s[^>]*)?>[^<]*[\t\r\n]")


def rich_start(flags: str) -> str:
    """The marker opening a piece set in *flags* (``b``, ``i``, ``u``, ``e`` for 着重号)."""
    return f"<?dg-rich {flags}?>"


def rich_end() -> str:
    """The marker closing a piece opened by :func:`rich_start`."""
    return "<?dg-end?>"


def block_start(n: int) -> str:
    """The marker opening block *n*'s text (see :class:`Blocks`)."""
    return f"<?dg-block {n}?>"


def block_end() -> str:
    """The marker closing a block's text."""
    return "<?dg-block-end?>"


class Blocks(Protocol):
    """The blocks a render printed between block markers (:class:`docgen.values.PrintedBlocks`)."""

    def block(self, n: int) -> str:
        """Block *n* written whole (paragraphs, a table), to replace the paragraph printing it."""

    def inline(self, n: int) -> str | None:
        """Block *n* as one run among other text, or None: it stays as its text."""


def has_literal_breaks(source: str) -> bool:
    r"""Whether a part's own ``<w:t>`` text holds a line break or tab (a render must fix it).

    >>> has_literal_breaks('<w:p><w:r><w:t>甲\n乙</w:t></w:r></w:p>')
    True
    >>> has_literal_breaks('<w:p>\n<w:r><w:t>甲</w:t></w:r></w:p>')
    False
    """
    return _LITERAL_BREAK.search(source) is not None


def finish_part(
    xml: str, part: str, *, literal_breaks: bool = False, blocks: Blocks | None = None
) -> bytes:
    """A rendered part's XML, markers resolved (see the module's docstring), as bytes.

    ``literal_breaks``: the part's own text holds line breaks or tabs (:func:`has_literal_breaks`).
    ``blocks``: the blocks the part's block markers stand for.

    >>> xml = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
    ...        'main"><w:p><w:r><w:t>甲<?dg-rich b?>乙<?dg-end?><?dg-p?>丙</w:t></w:r></w:p>'
    ...        '</w:document>')
    >>> from docgen.ooxml import visible_text
    >>> out = finish_part(xml, "word/document.xml").decode()
    >>> out.count("<w:p>"), out.count("<w:b/>"), visible_text(out)
    (2, 1, '甲乙丙')
    """
    # The renderer's source has one paragraph a line (so a Jinja line names a paragraph).
    xml = xml.replace("\n<w:p>", "<w:p>").replace("\n<w:p ", "<w:p ")
    if _MARKER not in xml and not literal_breaks:
        return xml.encode("utf-8")
    root = parse_xml(xml.encode("utf-8"), part)
    if blocks is not None:
        _place_blocks(root, blocks)
    merged: list[etree._Element] = []
    for t in list(root.iter(f"{W}t")):
        tokens = _tokens(t)
        if len(tokens) == 1 and tokens[0][0] == "text":
            continue
        _resolve(t, tokens, merged)
    if merged:
        tables.merge_marked(root, merged)
    return _serialize(root)


# --- reading a <w:t> ------------------------------------------------------------------------

Token = tuple[str, str]  # (kind, value): text, br, tab, p, rich (value: flags), end, vmerge
_PI_KIND = {"dg-p": "p", "dg-tab": "tab", "dg-rich": "rich", "dg-end": "end", "dg-vmerge": "vmerge"}
_SPECIAL = re.compile(r"\r\n|[\r\n\t]")


def _text_tokens(text: str, out: list[Token]) -> None:
    pos = 0
    for m in _SPECIAL.finditer(text):
        if m.start() > pos:
            out.append(("text", text[pos : m.start()]))
        out.append(("tab", "") if m.group() == "\t" else ("br", ""))
        pos = m.end()
    if pos < len(text) or not out:
        out.append(("text", text[pos:]))


def _tokens(t: etree._Element) -> list[Token]:
    """The pieces of one ``<w:t>``: its text, and its markers in order."""
    out: list[Token] = []
    _text_tokens(t.text or "", out)
    for child in t:
        pi = isinstance(child, etree._ProcessingInstruction)
        kind = _PI_KIND.get(child.target) if pi else None
        if kind is not None:
            out.append((kind, (child.text or "").strip()))
        _text_tokens(child.tail or "", out)
    return [tok for tok in out if tok != ("text", "")] or [("text", "")]


# --- writing runs ---------------------------------------------------------------------------


def _with_flags(rpr: etree._Element | None, flags: str) -> etree._Element | None:
    """A copy of the run properties *rpr* plus the elements *flags* ask for, in schema order."""
    if not flags:
        return copy.deepcopy(rpr) if rpr is not None else None
    new = copy.deepcopy(rpr) if rpr is not None else etree.Element(f"{W}rPr")
    for flag in flags:
        names = _FLAG_ELEMENTS[flag]
        present = new.find(f"{W}{names[0]}")
        if present is not None:
            if names[0] != "em":  # the run has it already; 着重号 is replaced by the dot
                continue
            new.remove(present)
        for name in names:
            el = etree.Element(f"{W}{name}")
            if name in _FLAG_VALUES:
                el.set(f"{W}val", _FLAG_VALUES[name])
            rank = RPR_ORDER.index(name)
            at = next(
                (
                    i
                    for i, c in enumerate(new)
                    if etree.QName(c).localname in RPR_ORDER
                    and RPR_ORDER.index(etree.QName(c).localname) > rank
                ),
                len(new),
            )
            new.insert(at, el)
    return new


def _content(kind: str, value: str) -> etree._Element:
    if kind == "text":
        el = etree.Element(f"{W}t")
        el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        el.text = value
        return el
    return etree.Element(f"{W}{kind}")  # br, tab


def _new_run(
    rpr: etree._Element | None, flags: str, items: Iterable[etree._Element]
) -> etree._Element:
    run = etree.Element(f"{W}r")
    props = _with_flags(rpr, flags)
    if props is not None:
        run.append(props)
    for item in items:
        run.append(item)
    return run


def _paragraph_of(el: etree._Element) -> etree._Element | None:
    node = el.getparent()
    while node is not None and node.tag != f"{W}p":
        node = node.getparent()
    return node


def _split(
    container: etree._Element, index: int, p: etree._Element
) -> tuple[etree._Element, int, etree._Element]:
    """End paragraph *p* at ``container[index]``: what follows moves to a new paragraph.

    Containers between (a hyperlink, a smart tag) are continued in the new paragraph.  It
    keeps *p*'s paragraph properties; a section break they hold moves to it (the section
    ends after the last piece).  Returns where to insert in the new paragraph, and it.
    """
    new_p = etree.Element(f"{W}p")
    ppr = p.find(f"{W}pPr")
    if ppr is not None:
        new_p.append(copy.deepcopy(ppr))
        sect = ppr.find(f"{W}sectPr")
        if sect is not None:
            ppr.remove(sect)
    node, at = container, index
    lower: etree._Element | None = None
    bottom: tuple[etree._Element, int] | None = None
    while True:
        clone = new_p if node is p else etree.Element(node.tag, attrib=dict(node.attrib))
        if bottom is None:
            bottom = (clone, len(clone))
        if lower is not None:
            clone.append(lower)
        for child in list(node)[at:]:
            clone.append(child)
        if node is p:
            break
        lower = clone
        parent = node.getparent()
        assert parent is not None
        at = parent.index(node) + 1
        node = parent
    p.addnext(new_p)
    return bottom[0], bottom[1], new_p


def _resolve(t: etree._Element, tokens: Sequence[Token], merged: list[etree._Element]) -> None:
    """Write one ``<w:t>``'s tokens as Word content in place."""
    run = t.getparent()
    if any(kind == "vmerge" for kind, _ in tokens):
        cell = run
        while cell is not None and cell.tag != f"{W}tc":
            cell = cell.getparent()
        if cell is not None and cell not in merged:
            merged.append(cell)
        tokens = [tok for tok in tokens if tok[0] != "vmerge"] or [("text", "")]
    if run is None or run.tag != f"{W}r":  # pragma: no cover - w:t only stands in a run
        return
    if not any(kind in ("p", "rich", "end") for kind, _ in tokens):
        # Line breaks and tabs: inside the same run.
        items = [_content(kind, value) for kind, value in tokens]
        at = run.index(t)
        run.remove(t)
        for n, item in enumerate(items):
            run.insert(at + n, item)
        return
    _split_run(run, t, tokens)


def _split_run(run: etree._Element, t: etree._Element, tokens: Sequence[Token]) -> None:
    """Rebuild *run* around *t*: runs per emphasis, paragraphs per ``<?dg-p?>``."""
    rpr = run.find(f"{W}rPr")
    following = list(run)[run.index(t) + 1 :]
    run.remove(t)
    container = run.getparent()
    assert container is not None
    p = _paragraph_of(run)
    index = container.index(run) + 1
    flags = ""
    items: list[etree._Element] = []

    def flush() -> None:
        nonlocal index
        if items:
            container.insert(index, _new_run(rpr, flags, items))
            index += 1
            items.clear()

    for kind, value in tokens:
        if kind in ("rich", "end"):
            flush()
            flags = value if kind == "rich" else ""
        elif kind == "p":
            flush()
            if p is not None:
                container, index, p = _split(container, index, p)
        else:
            items.append(_content(kind, value))
    flush()
    if following:
        flags = ""
        items.extend(following)
        flush()
    if all(child.tag == f"{W}rPr" for child in run):
        parent = run.getparent()
        if parent is not None:
            parent.remove(run)


# --- blocks printed by a tag -----------------------------------------------------------------

_BLOCK = "dg-block"
_BLOCK_END = "dg-block-end"
# What a paragraph may hold besides its text and still count as empty: properties, marks.
_NOT_CONTENT = frozenset(
    f"{W}{name}"
    for name in (
        "pPr",
        "rPr",
        "proofErr",
        "bookmarkStart",
        "bookmarkEnd",
        "lastRenderedPageBreak",
        "permStart",
        "permEnd",
        "commentRangeStart",
        "commentRangeEnd",
        "sdtPr",
        "sdtEndPr",
    )
)
_CONTAINERS = frozenset(
    f"{W}{name}" for name in ("r", "hyperlink", "smartTag", "customXml", "sdt", "sdtContent", "ins")
)


def _is_pi(node: object, target: str) -> bool:
    return isinstance(node, etree._ProcessingInstruction) and node.target == target


def _place_blocks(root: etree._Element, blocks: Blocks) -> None:
    """Resolve every block marker: the block whole, a run, or its text (see :class:`Blocks`)."""
    for start in [pi for pi in root.iter(etree.ProcessingInstruction) if _is_pi(pi, _BLOCK)]:
        n = int((start.text or "").strip())
        end = next((s for s in start.itersiblings() if _is_pi(s, _BLOCK_END)), None)
        t = start.getparent()
        p = _paragraph_of(start)
        if p is not None and t is not None and _alone(p, t, start, end):
            _replace_paragraph(p, blocks.block(n))
            continue
        if end is not None:
            _drop(end)
        run = blocks.inline(n)
        if run is None:
            _drop(start)
        else:
            _insert_run(start, _fragment(run)[0])


def _alone(
    p: etree._Element, t: etree._Element, start: etree._Element, end: etree._Element | None
) -> bool:
    """Whether *p* holds nothing but the block between *start* and *end* (in ``<w:t>`` *t*)."""

    def blank_text(el: etree._Element) -> bool:
        inside = False
        pieces = [el.text or ""]
        for child in el:
            if child is start:
                inside = True
                continue
            if child is end:
                inside = False
            elif not inside and not (_is_pi(child, "dg-rich") or _is_pi(child, "dg-end")):
                return False  # another printed block, a line break or tab of a value
            if not inside:
                pieces.append(child.tail or "")
        return not "".join(pieces).strip()

    def blank(node: etree._Element) -> bool:
        for child in node:
            if child.tag in _NOT_CONTENT:
                continue
            if child.tag in _CONTAINERS:
                if not blank(child):
                    return False
            elif child.tag != f"{W}t" or not blank_text(child):
                return False  # text, a picture, a tab, a field: the block shares the paragraph
        return True

    return blank(p) and t.tag == f"{W}t"


def _fragment(xml: str) -> list[etree._Element]:
    """The elements of XML the body writer wrote (``w:``; pictures declare their namespaces)."""
    wrapper = etree.fromstring(f'<w:x xmlns:w="{NS["w"]}" xmlns:r="{NS["r"]}">{xml}</w:x>'.encode())
    return list(wrapper)


def _replace_paragraph(p: etree._Element, xml: str) -> None:
    """Put the block *xml* in place of *p*; a section break *p* holds stays, in *p*."""
    parent = p.getparent()
    assert parent is not None
    for el in _fragment(xml):
        p.addprevious(el)
    ppr = p.find(f"{W}pPr")
    if ppr is not None and ppr.find(f"{W}sectPr") is not None:
        for child in list(p):
            if child is not ppr:
                p.remove(child)
    else:
        parent.remove(p)
    if parent.tag == f"{W}tc":  # a cell ends with a paragraph, even after a table
        last = [c for c in parent if c.tag != f"{W}tcPr"]
        if not last or last[-1].tag != f"{W}p":
            etree.SubElement(parent, f"{W}p")


def _drop(node: etree._Element) -> None:
    """Remove a marker, keeping the text after it."""
    parent = node.getparent()
    assert parent is not None
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _insert_run(marker: etree._Element, new_run: etree._Element) -> None:
    """Put *new_run* where *marker* stands in its ``<w:t>``: the run is split around it."""
    t = marker.getparent()
    run = t.getparent() if t is not None else None
    if t is None or run is None or run.tag != f"{W}r":  # pragma: no cover - markers sit in runs
        if t is not None:
            _drop(marker)
        return
    after_t = etree.Element(t.tag, attrib=dict(t.attrib))
    after_t.text = marker.tail
    for sibling in list(marker.itersiblings()):
        after_t.append(sibling)
    marker.tail = None
    t.remove(marker)
    after_run = etree.Element(f"{W}r")
    rpr = run.find(f"{W}rPr")
    if rpr is not None:
        after_run.append(copy.deepcopy(rpr))
    after_run.append(after_t)
    for child in list(run)[run.index(t) + 1 :]:
        after_run.append(child)
    run.addnext(new_run)
    new_run.addnext(after_run)


# --- numbering and relationships -----------------------------------------------------------


def add_numbering(numbering_xml: bytes, nums: str) -> bytes:
    """The numbering part with the ``<w:num>`` definitions a render wrote (*nums*) added."""
    root = parse_xml(numbering_xml, "word/numbering.xml")
    new = etree.fromstring(f'<w:x xmlns:w="{NS["w"]}">{nums}</w:x>'.encode())
    cleanup = root.find(f"{W}numIdMacAtCleanup")  # the schema's last child stays last
    for el in list(new):
        if cleanup is not None:
            cleanup.addprevious(el)
        else:
            root.append(el)
    return _serialize(root)


def add_relationships(rels_xml: bytes, targets: Sequence[tuple[str, str]]) -> bytes:
    """The document's relationships with one picture relationship per ``(id, target)``."""
    name = "word/_rels/document.xml.rels"
    root = parse_xml(rels_xml, name)
    for rid, target in targets:
        etree.SubElement(
            root, f"{{{NS['rel']}}}Relationship", Id=rid, Type=_IMAGE_REL, Target=target
        )
    return _serialize(root)


def _serialize(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data
