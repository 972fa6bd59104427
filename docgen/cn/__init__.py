"""Chinese document conventions as pure functions.

Numerals, dates, the school calendar, heading numbering, punctuation and 字号.

Nothing here touches files or Word XML; every function is table-driven and doctested.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docgen.cn.calendar import SchoolYear, Term, TermBoundaries
    from docgen.cn.dates import DATE_STYLES, format_date, parse_date
    from docgen.cn.numbering import DECIMAL, GBT9704, SCHOOL, NumberingScheme, OutlineCounter
    from docgen.cn.numerals import chinese_digits, circled, from_chinese, rmb_upper, to_chinese
    from docgen.cn.typography import FONT_SIZES, font_size, normalize_punctuation, size_name

# Each name's module: loaded on first use (PEP 562), so using one convention (numbering, say)
# does not load the others (dates load Babel's locale data).
_WHERE = {
    **dict.fromkeys(("SchoolYear", "Term", "TermBoundaries"), "calendar"),
    **dict.fromkeys(("DATE_STYLES", "format_date", "parse_date"), "dates"),
    **dict.fromkeys(
        ("DECIMAL", "GBT9704", "SCHOOL", "NumberingScheme", "OutlineCounter"), "numbering"
    ),
    **dict.fromkeys(
        ("chinese_digits", "circled", "from_chinese", "rmb_upper", "to_chinese"), "numerals"
    ),
    **dict.fromkeys(
        ("FONT_SIZES", "font_size", "normalize_punctuation", "size_name"), "typography"
    ),
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'docgen.cn' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"docgen.cn.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "DATE_STYLES",
    "DECIMAL",
    "FONT_SIZES",
    "GBT9704",
    "SCHOOL",
    "NumberingScheme",
    "OutlineCounter",
    "SchoolYear",
    "Term",
    "TermBoundaries",
    "chinese_digits",
    "circled",
    "font_size",
    "format_date",
    "from_chinese",
    "normalize_punctuation",
    "parse_date",
    "rmb_upper",
    "size_name",
    "to_chinese",
]
