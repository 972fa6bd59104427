"""List numbering a render adds: docgen's two list definitions and one instance per list.

Each bullet or numbered list the body writer places gets a fresh ``w:num`` (so each list
restarts, or continues the previous one when asked); :mod:`docgen.postrender` adds them to
the template's ``numbering.xml``.  When documents are combined (:mod:`docgen.combining`),
:class:`MergedNumbering` gives each document's lists instances of their own in one part.
"""

from __future__ import annotations

import copy

from lxml import etree

from docgen.errors import RenderError
from docgen.i18n import lazy
from docgen.ooxml import W

__all__ = ["ListNumbering", "MergedNumbering", "abstract_nums"]


class ListNumbering:
    """Allocates a fresh ``w:num`` for every list, so each list restarts (or continues)."""

    def __init__(self, first_num_id: int, bullet_abstract: int, number_abstract: int) -> None:
        self.bullet_abstract = bullet_abstract
        self.number_abstract = number_abstract
        self.nums: list[tuple[int, int, int | None]] = []  # (numId, abstractId, start)
        self._next = first_num_id
        self._last_numbered: int | None = None

    def new(
        self, *, bullet: bool, start: int | None = None, continue_previous: bool = False
    ) -> int:
        """A numbering instance id for one list."""
        if not bullet and continue_previous and self._last_numbered is not None:
            return self._last_numbered
        num_id = self._next
        self._next += 1
        abstract = self.bullet_abstract if bullet else self.number_abstract
        self.nums.append((num_id, abstract, None if bullet else (start or 1)))
        if not bullet:
            self._last_numbered = num_id
        return num_id

    def xml(self) -> str:
        """The ``<w:num>`` elements to append to ``numbering.xml``."""
        out = []
        for num_id, abstract, start in self.nums:
            override = (
                f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
                if start is not None
                else ""
            )
            out.append(
                f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>{override}</w:num>'
            )
        return "".join(out)


def abstract_nums(bullet_id: int, number_id: int, indent: int) -> str:
    """Two list definitions docgen numbers its lists with: a bullet and （1）-style numbers."""
    lvl = (
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        '<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="{left}" w:hanging="{hang}"/></w:pPr>{rpr}</w:lvl>'
    )
    bullet = lvl.format(
        fmt="bullet",
        text="●",
        left=indent * 2,
        hang=indent // 2 + indent // 4,
        rpr='<w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体" '
        'w:hint="eastAsia"/><w:sz w:val="16"/></w:rPr>',
    )
    number = lvl.format(fmt="decimal", text="（%1）", left=indent * 2, hang=indent, rpr="")
    return (
        f'<w:abstractNum w:abstractNumId="{bullet_id}"><w:multiLevelType w:val="singleLevel"/>'
        f"{bullet}</w:abstractNum>"
        f'<w:abstractNum w:abstractNumId="{number_id}"><w:multiLevelType w:val="singleLevel"/>'
        f"{number}</w:abstractNum>"
    )


class MergedNumbering:
    """One ``numbering.xml`` for many documents: each document's lists get their own ``w:num``.

    A document's list instances are copied with fresh ids, so its lists never continue
    another document's; list definitions (``w:abstractNum``) equal but for their ids are
    shared.  *root* is the first document's numbering part (``None``: it has none).
    """

    def __init__(self, root: etree._Element | None) -> None:
        self.root = root
        self._abstracts: dict[bytes, str] = {
            _abstract_key(a): a.get(f"{W}abstractNumId", "") for a in self._all("abstractNum")
        }
        self._next_num = 1 + max((_int(n.get(f"{W}numId")) for n in self._all("num")), default=0)
        self._next_abstract = 1 + max(
            (_int(a.get(f"{W}abstractNumId")) for a in self._all("abstractNum")), default=-1
        )

    def renumber(self, tree: etree._Element, theirs: etree._Element | None, where: str) -> None:
        """Point the lists of *tree* (whose numbering part is *theirs*) at copies of their own."""
        nums: dict[str, str] = {}
        for el in tree.iter(f"{W}numId"):
            old = el.get(f"{W}val", "0")
            if old == "0":  # no numbering
                continue
            if old not in nums:
                nums[old] = self._copy_num(theirs, old, where)
            el.set(f"{W}val", nums[old])

    def _copy_num(self, theirs: etree._Element | None, old: str, where: str) -> str:
        num = None if theirs is None else _by_id(theirs, "num", "numId", old)
        if num is None or theirs is None:
            return old  # a list instance its own package lacks: Word shows no number either
        if self.root is None:
            raise RenderError(
                lazy("has lists, but the first document has no list numbering part to add them to"),
                where=where,
                expected=lazy("documents of one template"),
                code="render.combine",
            )
        num = copy.deepcopy(num)
        new_id = str(self._next_num)
        self._next_num += 1
        num.set(f"{W}numId", new_id)
        abstract = num.find(f"{W}abstractNumId")
        if abstract is not None:
            abstract.set(f"{W}val", self._copy_abstract(theirs, abstract.get(f"{W}val", ""), where))
        cleanup = self.root.find(f"{W}numIdMacAtCleanup")  # the schema's last child
        if cleanup is not None:
            cleanup.addprevious(num)
        else:
            self.root.append(num)
        return new_id

    def _copy_abstract(self, theirs: etree._Element, old: str, where: str) -> str:
        abstract = _by_id(theirs, "abstractNum", "abstractNumId", old)
        if abstract is None or self.root is None:
            return old
        key = _abstract_key(abstract)
        if key in self._abstracts:
            return self._abstracts[key]
        if abstract.find(f".//{W}lvlPicBulletId") is not None:
            raise RenderError(
                lazy(
                    "has lists with picture bullets unlike the first document's, which "
                    "combine does not carry"
                ),
                where=where,
                expected=lazy("lists with character bullets or numbers"),
                code="render.combine",
            )
        abstract = copy.deepcopy(abstract)
        new_id = str(self._next_abstract)
        self._next_abstract += 1
        abstract.set(f"{W}abstractNumId", new_id)
        nsid = abstract.find(f"{W}nsid")  # Word tells lists apart by nsid
        if nsid is not None:
            abstract.remove(nsid)
        existing = self._all("abstractNum")  # CT_Numbering: numPicBullet*, abstractNum*, num*
        first_num = self.root.find(f"{W}num")
        if existing:
            existing[-1].addnext(abstract)
        elif first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.root.append(abstract)
        self._abstracts[key] = new_id
        return new_id

    def _all(self, tag: str) -> list[etree._Element]:
        return [] if self.root is None else self.root.findall(f"{W}{tag}")


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


def _by_id(root: etree._Element, tag: str, attr: str, value: str) -> etree._Element | None:
    for el in root.iter(f"{W}{tag}"):
        if el.get(f"{W}{attr}") == value:
            return el
    return None


def _abstract_key(abstract: etree._Element) -> bytes:
    """A list definition's content without its ids: equal definitions are shared."""
    clone = copy.deepcopy(abstract)
    clone.attrib.pop(f"{W}abstractNumId", None)
    nsid = clone.find(f"{W}nsid")
    if nsid is not None:
        clone.remove(nsid)
    key: bytes = etree.tostring(clone, method="c14n")
    return key
