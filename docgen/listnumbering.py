"""List numbering a render adds: docgen's two list definitions and one instance per list.

Each bullet or numbered list the body writer places gets a fresh ``w:num`` (so each list
restarts, or continues the previous one when asked); :mod:`docgen.postrender` adds them to
the template's ``numbering.xml``.
"""

from __future__ import annotations

__all__ = ["ListNumbering", "abstract_nums"]


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
