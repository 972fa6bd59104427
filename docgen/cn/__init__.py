"""Chinese document conventions as pure functions.

Numerals, dates, the school calendar, heading numbering, punctuation and 字号.

Nothing here touches files or Word XML; every function is table-driven and doctested.
"""

from __future__ import annotations

from docgen.cn.calendar import SchoolYear, Term, TermBoundaries
from docgen.cn.dates import DATE_STYLES, format_date, parse_date
from docgen.cn.numbering import DECIMAL, GBT9704, SCHOOL, NumberingScheme, OutlineCounter
from docgen.cn.numerals import chinese_digits, circled, from_chinese, rmb_upper, to_chinese
from docgen.cn.typography import FONT_SIZES, font_size, normalize_punctuation, size_name

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
