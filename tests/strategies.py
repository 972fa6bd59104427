"""Hypothesis strategies shared by the tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from docgen.cn.calendar import TermBoundaries

# --- docgen.cn.calendar / numbering / typography ---------------------------------------------

#: Dates a school calendar is plausibly asked about.
school_dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))

_month_days = st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31)).map(
    lambda d: (d.month, d.day)
)


@st.composite
def term_boundaries(draw: st.DrawFn) -> TermBoundaries:
    """Any valid TermBoundaries: second-term start strictly before first-term start."""
    first, second = sorted(draw(st.lists(_month_days, min_size=2, max_size=2, unique=True)))
    return TermBoundaries(first_term=second, second_term=first)


@st.composite
def outlines(draw: st.DrawFn, depth: int = 4, max_size: int = 40) -> list[int]:
    """A sequence of heading levels that never skips a level (1, 2, 2, 3, 1, 2, …)."""
    levels: list[int] = []
    for _ in range(draw(st.integers(0, max_size))):
        deepest = min(levels[-1] + 1 if levels else 1, depth)
        levels.append(draw(st.integers(1, deepest)))
    return levels


_CJK_CHARS = "的一是在了学年第期党支部工作小结初稿关键承上启下走进新发展优质"
_FULL_WIDTH_PUNCT = "，。、；：？！（）“”《》——……"
_ASCII_PUNCT = ',;:?!()".-/@ '
_FRAGMENTS = (
    "1,000",
    "3.14",
    "12:30",
    "Hello, world",
    "https://www.example.cn/a?b=1,2;c=(3)",
    "http://x.cn/",
    "www.example.cn",
    "teacher@example.cn",
    '"quoted"',
    "(1)",
    "f(x)",
)

#: Text mixing Chinese, ASCII letters and digits, both kinds of punctuation, URLs and e-mails.
mixed_text = st.lists(
    st.one_of(
        st.sampled_from(_CJK_CHARS),
        st.sampled_from(_FULL_WIDTH_PUNCT),
        st.sampled_from(_ASCII_PUNCT),
        st.sampled_from("abcXYZ0129\n"),
        st.sampled_from(_FRAGMENTS),
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
    ),
    max_size=40,
).map("".join)


# --- docgen.cn.numerals / dates --------------------------------------------------------------

#: Every integer to_chinese can write: -(10^16 - 1) … 10^16 - 1.
chinese_integers = st.integers(min_value=-(10**16) + 1, max_value=10**16 - 1)

#: Integers weighted towards the forms where zero rules matter: few non-zero digits, whole
#: zero groups, 10–19 at the start of a group.
sparse_integers = st.builds(
    lambda digits, sign: sign * int("".join(digits)),
    st.lists(st.sampled_from("0000000123456789"), min_size=1, max_size=16),
    st.sampled_from((1, -1)),
)

#: Strings of ASCII digits, leading zeros included, as years and codes are written.
digit_strings = st.text(alphabet="0123456789", min_size=1, max_size=24)


@st.composite
def chinese_decimals(draw: st.DrawFn) -> Decimal:
    """A Decimal with a fraction, as to_chinese writes it (trailing zeros kept)."""
    whole = draw(st.integers(min_value=0, max_value=10**16 - 1))
    fraction = draw(st.text(alphabet="0123456789", min_size=1, max_size=10))
    sign = draw(st.sampled_from(("", "-")))
    return Decimal(f"{sign}{whole}.{fraction}")


#: Valid RMB amounts from 0 up to 10^12 元, written with 0, 1 or 2 decimal places.
rmb_amounts = st.builds(
    lambda fen, places: Decimal(fen).scaleb(-2).quantize(Decimal(1).scaleb(-places)),
    st.integers(min_value=0, max_value=10**14),
    st.sampled_from((2, 2, 1, 0)),  # quantize: 1.23 → 1.2 or 1 keeps the amount valid
)

#: Any date Python can represent.
any_dates = st.dates()
