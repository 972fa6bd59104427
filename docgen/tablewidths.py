"""How wide each column of a table is, when the data gives no widths: sized by content.

Equal columns break short cells ("第10/周", "2014年1月17/日") while a long text column has
room to spare.  Each column's natural width is its widest line (a Chinese character one cell,
a Latin letter or digit half of one, :func:`docgen.cn.typography.text_width`) plus the cell's
margins.  When they do not all fit, the narrowest get theirs, shortest first, as long as the
others keep a few characters each, and the widest share what is left in proportion.  Pure
arithmetic: :mod:`docgen.body` writes the result.
"""

from __future__ import annotations

from docgen.cn.typography import text_width
from docgen.model import Table

__all__ = ["CELL_PADDING", "content_widths"]

CELL_PADDING = 170
"""Twips of cell margin, left and right together (85 each, as docgen's tables set them)."""

_SLACK = 1.0  # character cells added to a line's width: renderers space Latin and digits wider
_MIN_CELLS = 2.0  # no column narrower than two characters
_RESERVE_CELLS = 6.0  # what a long-text column keeps at least, while short ones are served


def content_widths(table: Table, total: int, char: float) -> list[int]:
    """Twips for each grid column of *table*, summing to *total*; *char* is one cell in twips.

    >>> from docgen.model import Table
    >>> t = Table([["周次", "工作内容"], ["第10周", "制订学期工作计划；课表编排" * 5]])
    >>> content_widths(t, 8845, 240)  # 第10周: 3.5 cells, one to spare, and the margins
    [1250, 7595]
    """
    columns = table.columns
    need = [_MIN_CELLS * char + CELL_PADDING] * columns
    for line in table.grid():
        for c, slot in enumerate(line):
            if slot is None or not slot[1] or slot[0].colspan != 1:
                continue  # a merged cell's text may use the columns it covers
            lines = [part for p in slot[0].content for part in p.text.split("\n")] or [""]
            widest = max(text_width(part) for part in lines)
            need[c] = max(need[c], (widest + _SLACK) * char + CELL_PADDING)
    if sum(need) <= total:  # room to spare: every column grows in proportion
        return _rounded([n * total / sum(need) for n in need], total)
    # Not enough room: the narrowest columns get what they need, shortest first, as long as
    # the columns after them keep at least a few characters each; the widest share the rest.
    reserve = _RESERVE_CELLS * char + CELL_PADDING
    widths: dict[int, float] = {}
    left = float(total)
    order = sorted(range(columns), key=lambda c: need[c])
    for done, c in enumerate(order):
        if need[c] + reserve * (columns - done - 1) > left:
            break
        widths[c] = need[c]
        left -= need[c]
    rest = [c for c in range(columns) if c not in widths]
    rest_need = sum(need[c] for c in rest)
    for c in rest:
        widths[c] = left * need[c] / rest_need
    return _rounded([widths[c] for c in range(columns)], total)


def _rounded(widths: list[float], total: int) -> list[int]:
    """Whole twips summing to *total* exactly (the last column takes the rounding)."""
    out = [round(w) for w in widths]
    out[-1] += total - sum(out)
    return out
