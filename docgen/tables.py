"""``{% vmerge %}``: merge identical adjacent cells of a table column after rendering.

docxtpl's ``{% vm %}`` merges every cell a loop produces in a column.  What a school's table
usually needs is different: 一年级 written once over the rows of its classes, 二年级 over the
next ones.  A cell holding ``{% vmerge %}`` is compared with the cell above it in the same grid
column; equal texts are merged (``w:vMerge``) and only the first keeps its text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

from docgen.ooxml import W

__all__ = ["MARK", "mark_vmerge", "merge_marked"]

MARK = "<?dg-vmerge?>"
"""The marker ``{% vmerge %}`` becomes: an XML processing instruction, never in user text."""
_TAG = re.compile(r"{%-?\s*vmerge\s*-?%}")
_TCPR_BEFORE_VMERGE = ("cnfStyle", "tcW", "gridSpan", "hMerge")


def mark_vmerge(source: str) -> str:
    """Replace ``{% vmerge %}`` in preprocessed template source with :data:`MARK`.

    The rendered cell keeps the marker; tags are whole again after docxtpl's preprocessing.

    >>> mark_vmerge("<w:t>{{ grade }}{% vmerge %}</w:t>")
    '<w:t>{{ grade }}<?dg-vmerge?></w:t>'
    """
    return _TAG.sub(MARK, source)


def _text(tc: etree._Element) -> str:
    return "".join(t.text or "" for t in tc.iter(f"{W}t"))


def _set_vmerge(tc: etree._Element, value: str | None) -> None:
    tcpr = tc.find(f"{W}tcPr")
    if tcpr is None:
        tcpr = etree.Element(f"{W}tcPr")
        tc.insert(0, tcpr)
    old = tcpr.find(f"{W}vMerge")
    if old is not None:
        tcpr.remove(old)
    el = etree.Element(f"{W}vMerge")
    if value:
        el.set(f"{W}val", value)
    pos = 0
    for i, child in enumerate(tcpr):
        if etree.QName(child).localname in _TCPR_BEFORE_VMERGE:
            pos = i + 1
    tcpr.insert(pos, el)


def _clear(tc: etree._Element) -> None:
    """Empty a continued cell: one empty paragraph, as Word writes it."""
    paragraphs = tc.findall(f"{W}p")
    for p in paragraphs[1:]:
        tc.remove(p)
    if paragraphs:
        for child in list(paragraphs[0]):
            if etree.QName(child).localname != "pPr":
                paragraphs[0].remove(child)


def merge_marked(root: etree._Element, marked: Sequence[etree._Element]) -> None:
    """Merge each *marked* cell (``w:tc``) with the cell above it when their texts are equal.

    The markers are already gone (the post-render pass took them out and listed the cells).
    """
    cells = set(marked)
    for tbl in root.iter(f"{W}tbl"):
        above: dict[int, tuple[str, etree._Element]] = {}
        for tr in tbl.findall(f"{W}tr"):
            col = 0
            current: dict[int, tuple[str, etree._Element]] = {}
            for tc in tr.findall(f"{W}tc"):
                span_el = tc.find(f"{W}tcPr/{W}gridSpan")
                span = int(span_el.get(f"{W}val", "1")) if span_el is not None else 1
                if tc in cells:
                    text = _text(tc)
                    prev = above.get(col)
                    if prev is not None and prev[0] == text:
                        if prev[1].find(f"{W}tcPr/{W}vMerge") is None:
                            _set_vmerge(prev[1], "restart")
                        _set_vmerge(tc, None)
                        _clear(tc)
                        current[col] = (text, prev[1])
                    else:
                        current[col] = (text, tc)
                col += span
            above = current
