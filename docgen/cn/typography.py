"""字号 (Chinese font-size names), half-width punctuation in Chinese text, and what counts as CJK.

The one place docgen decides which characters are Chinese (:func:`is_cjk`), which join
without spaces (:func:`joins_without_space`), which Word sets in its East Asian font
(:func:`has_east_asian`), and how wide text is in Word (:func:`text_width`) or on a terminal
(:func:`display_width`).

>>> font_size("三号"), font_size("小四"), size_name(22)
(16.0, 12.0, '二号')
>>> normalize_punctuation("2013学年是关键年,上承规划(初稿);见 https://a.cn/?q=1,2")
'2013学年是关键年，上承规划（初稿）；见 https://a.cn/?q=1,2'
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from docgen.errors import ConventionError
from docgen.i18n import lazy

__all__ = [
    "FONT_SIZES",
    "SPACES",
    "display_width",
    "font_size",
    "has_east_asian",
    "is_cjk",
    "joins_without_space",
    "normalize_punctuation",
    "pad",
    "size_name",
    "text_width",
]

#: 字号 → points (CONVENTIONS §5), largest first.
FONT_SIZES: Mapping[str, float] = MappingProxyType(
    {
        "初号": 42.0,
        "小初": 36.0,
        "一号": 26.0,
        "小一": 24.0,
        "二号": 22.0,
        "小二": 18.0,
        "三号": 16.0,
        "小三": 15.0,
        "四号": 14.0,
        "小四": 12.0,
        "五号": 10.5,
        "小五": 9.0,
        "六号": 7.5,
        "小六": 6.5,
        "七号": 5.5,
        "八号": 5.0,
    }
)

_ARABIC = dict(zip("初一二三四五六七八", "初12345678", strict=True))


def _aliases(name: str) -> Iterator[str]:
    """Other spellings of a 字号 name: 小四号 for 小四, 3号 for 三号, 小4/小4号 for 小四."""
    numeral = name[1] if name.startswith("小") else name[0]
    small = "小" if name.startswith("小") else ""
    for digit in {numeral, _ARABIC[numeral]}:
        yield f"{small}{digit}号"
        if small:
            yield f"{small}{digit}"


_LOOKUP: Mapping[str, str] = MappingProxyType(
    {alias: name for name in FONT_SIZES for alias in (name, *_aliases(name))}
)


def font_size(name: str) -> float:
    """The size in points of the 字号 *name*.

    Besides the names of :data:`FONT_SIZES`, the usual variants are accepted: 小四号 (= 小四),
    小初号, and Arabic digits as in 3号 or 小4.

    >>> font_size("三号"), font_size("小四号"), font_size("2号"), font_size("初号")
    (16.0, 12.0, 22.0, 42.0)
    """
    key = name.strip().replace(" ", "") if isinstance(name, str) else None
    if key is None or key not in _LOOKUP:
        raise ConventionError(
            lazy("unknown 字号"),
            where="font_size",
            expected=lazy("one of {allowed}", allowed=" ".join(FONT_SIZES)),
            found=repr(name),
        )
    return FONT_SIZES[_LOOKUP[key]]


def size_name(points: float) -> str:
    """The 字号 whose size is *points* (to within 0.01 pt).

    >>> size_name(16), size_name(10.5)
    ('三号', '五号')
    """
    if isinstance(points, (int, float)) and not isinstance(points, bool):
        for name, size in FONT_SIZES.items():
            if math.isclose(points, size, abs_tol=0.01):
                return name
    raise ConventionError(
        lazy("no 字号 has this size"),
        where="size_name",
        expected=lazy(
            "one of {allowed} (points)",
            allowed=" ".join(f"{size:g}" for size in FONT_SIZES.values()),
        ),
        found=repr(points),
    )


# --- which characters are Chinese -------------------------------------------------------------

#: White space in Chinese text: space and tab, the ideographic space 　 (U+3000), no-break,
#: en, em and thin spaces.
SPACES = " \t\u3000\u00a0\u2002\u2003\u2009"


# CJK characters (is_cjk), which make a neighbouring punctuation mark "Chinese": ideographs
# (all planes), radicals, CJK symbols and punctuation (、。《》〔〕〇…), kana, bopomofo,
# enclosed CJK, CJK compatibility forms, and full-width forms (，；（）… and full-width
# letters/digits). Curly quotes, dashes and the ellipsis are shared with Western text and do
# not count themselves, but a mark's neighbour is looked for through curly quotes.
@functools.cache
def _cjk() -> re.Pattern[str]:  # compiled on first use: the class takes ms to compile
    return re.compile(
        "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3200-\u32ff"
        "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
        "\U00020000-\U0003ffff]"
    )


# Written inside Chinese running text without spaces around them, though not CJK themselves:
# curly and low quotes (U+2018–201F), the ellipsis, the dash, the middle dot, and the enclosed
# numbers ① ⑴ ⒈ (U+2460–24FF).
_JOINING = re.compile("[\u2018-\u201f\u2026\u2014\u00b7\u2460-\u24ff]")


def is_cjk(char: str) -> bool:
    """Whether the character *char* is CJK: Chinese, or punctuation and forms of Chinese text.

    That is an ideograph (any plane), a radical, a CJK symbol or punctuation mark
    (、。《》〇), kana, bopomofo, enclosed CJK (㈠ ㉑), a CJK compatibility form, or a
    full-width form (，；（） and full-width letters and digits).

    Marks shared with Western text — curly quotes, the dash, the ellipsis — are not CJK
    (see :func:`joins_without_space`).

    >>> [is_cjk(c) for c in "中，、《Ａa“…"]
    [True, True, True, True, True, False, False, False]
    >>> is_cjk("\U00020000"), is_cjk("中文")
    (True, False)
    """
    return _cjk().fullmatch(char) is not None


def joins_without_space(char: str) -> bool:
    """Whether *char* belongs to Chinese running text, which is written without spaces.

    That is a CJK character (:func:`is_cjk`), or a mark Chinese text writes without spaces
    though Western text uses it too: curly quotes, …, —, ·, and the enclosed numbers ① ⑴ ⒈.
    The importers join two soft-wrapped lines without a space when either side is one, and
    read a space after one as a paragraph break in a text collapsed onto one line.

    >>> [joins_without_space(c) for c in "中。“…①a,"]
    [True, True, True, True, True, False, False]
    """
    return is_cjk(char) or _JOINING.fullmatch(char) is not None


# --- widths -------------------------------------------------------------------------------------

# From U+2E80 (CJK radicals) on, the blocks are East Asian (CJK, kana, Hangul, Yi, full-width
# forms): Word sets them in the East Asian font, one character cell wide.
_EAST_ASIAN_FROM = 0x2E80
# Marks Chinese fonts also draw one cell wide.
_FULL_CELL_MARKS = "“”‘’—…"


def has_east_asian(text: str) -> bool:
    """Whether *text* holds a character from U+2E80 on, which Word sets in its East Asian font.

    This is what a run's ``w:hint="eastAsia"`` depends on. It is broader than
    ``any(is_cjk(c) for c in text)``: Hangul, Yi and every other block from U+2E80 on count.

    >>> has_east_asian("Hello “world”"), has_east_asian("校名 A"), has_east_asian("한국")
    (False, True, True)
    """
    return any(ord(char) >= _EAST_ASIAN_FROM for char in text)


def _full_cell(char: str) -> bool:
    return ord(char) >= _EAST_ASIAN_FROM or char in _FULL_CELL_MARKS


def text_width(text: str) -> float:
    """Width of *text* in Chinese character cells, as Word and WPS lay it out.

    Full-width characters (from U+2E80 on, and “ ” ‘ ’ — …) take one cell, others half a
    cell, and where Chinese meets a Latin letter or digit Word adds a quarter cell
    (``w:autoSpaceDE``/``autoSpaceDN``, on by default). For terminal columns see
    :func:`display_width`.

    >>> text_width("2014年1月")
    5.25
    >>> text_width("徐汇区东二小学党支部"), text_width("“ok”")
    (10.0, 3.0)
    """
    width = sum(1.0 if _full_cell(char) else 0.5 for char in text)
    for a, b in itertools.pairwise(text):
        if _full_cell(a) != _full_cell(b) and (a.isalnum() and b.isalnum()):
            width += 0.25
    return width


# --- punctuation -------------------------------------------------------------------------------

#: Half-width marks converted one by one, and their full-width forms.
_SINGLE: Mapping[str, str] = MappingProxyType(
    {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
)
#: Half-width marks converted in pairs: (opening, closing, full-width opening, full-width closing).
_PAIRED = (("(", ")", "（", "）"), ('"', '"', "“", "”"))

# Curly quotes are transparent: the mark in 《“和谐校园”,“多彩课程”》 sits between Chinese.
_CURLY_QUOTES = "“”‘’"

# URLs and e-mail addresses are left exactly as written. A URL loses trailing punctuation that
# more likely ends the sentence (as GitHub's autolinks do), and an unbalanced closing bracket.
_PROTECTED = re.compile(
    r"(?:[a-z][a-z0-9+.\-]*://|www\.)[a-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"
    r"|[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+",
    re.ASCII | re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?'"


def _protected_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _PROTECTED.finditer(text):
        start, end = match.span()
        while end > start:
            last = text[end - 1]
            if last in _URL_TRAILING or (
                last == ")" and text.count("(", start, end) < text.count(")", start, end)
            ):
                end -= 1
            else:
                break
        spans.append((start, end))
    return spans


def _is_cjk(chars: list[str], i: int) -> bool:
    return 0 <= i < len(chars) and is_cjk(chars[i])


def _chinese_beside(chars: list[str], i: int) -> bool:
    """Whether the mark at *i* has a Chinese neighbour, looking through curly quotes."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(chars) and chars[j] in _CURLY_QUOTES:
            j += step
        if _is_cjk(chars, j):
            return True
    return False


def _pairs(
    chars: list[str], positions: list[int], opening: str, closing: str
) -> tuple[list[tuple[int, int]], list[int]]:
    """Match brackets (or, when opening == closing, alternate quotes) within one line."""
    pairs: list[tuple[int, int]] = []
    unmatched: list[int] = []
    stack: list[int] = []
    for i in positions:
        if chars[i] == opening and (opening != closing or not stack):
            stack.append(i)
        elif stack:
            pairs.append((stack.pop(), i))
        else:
            unmatched.append(i)
    return pairs, unmatched + stack


def _convert_pairs(
    chars: list[str], positions: list[int], marks: tuple[str, str, str, str]
) -> None:
    opening, closing, full_open, full_close = marks
    pairs, unmatched = _pairs(chars, positions, opening, closing)
    for start, end in pairs:
        if (
            _chinese_beside(chars, start)
            or _chinese_beside(chars, end)
            or any(_is_cjk(chars, k) for k in range(start + 1, end))
        ):
            chars[start], chars[end] = full_open, full_close
    for i in unmatched:
        if _chinese_beside(chars, i):
            if opening == closing:  # a lone quote: opening if text follows it, else closing
                follows = i + 1 < len(chars) and not chars[i + 1].isspace()
                follows = follows and not _is_closing(chars[i + 1])
                chars[i] = full_open if follows else full_close
            else:
                chars[i] = full_open if chars[i] == opening else full_close


def _is_closing(char: str) -> bool:
    return char in "，。、；：？！）》」』】〕”’…" or char in ",.;:?!)"


def _one_pass(text: str) -> str:
    chars = list(text)
    protected = [False] * len(chars)
    for start, end in _protected_spans(text):
        protected[start:end] = [True] * (end - start)
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        for marks in _PAIRED:
            positions = [
                i for i in range(line_start, line_end) if chars[i] in marks[:2] and not protected[i]
            ]
            _convert_pairs(chars, positions, marks)
        line_start = line_end + 1
    simple = [i for i, c in enumerate(chars) if c in _SINGLE and not protected[i]]
    # Sweep both ways so a run of marks next to a Chinese character converts in one pass.
    for sweep in (simple, simple[::-1]):
        for i in sweep:
            if chars[i] in _SINGLE and _chinese_beside(chars, i):
                chars[i] = _SINGLE[chars[i]]
    for i, c in enumerate(chars):
        if c == "." and not protected[i] and _ends_a_chinese_sentence(chars, i):
            chars[i] = "。"
    return "".join(chars)


def _ends_a_chinese_sentence(chars: list[str], i: int) -> bool:
    """Whether the ``.`` at *i* is a Chinese sentence's full stop written half-width.

    It is when it closes Chinese text — after a CJK character (a closing bracket or quote
    included), before the end of the line, a space or more Chinese — or ends a line of
    Chinese text after a number (下午3:30.), but not a numbering label (``1.`` starting a
    line) nor a decimal point (3.14), a file name or an abbreviation (ASCII around it).
    """
    after = chars[i + 1] if i + 1 < len(chars) else "\n"
    if is_cjk(chars[i - 1]) if i > 0 else False:
        return after.isspace() or is_cjk(after)
    if i == 0 or not chars[i - 1].isdigit() or after != "\n":
        return False
    start = i
    while start > 0 and chars[start - 1] != "\n":
        start -= 1
    line = chars[start:i]
    label = "".join(line).lstrip()
    return not label.isdigit() and any(is_cjk(c) for c in line)


def normalize_punctuation(text: str) -> str:
    """Turn half-width ``, ; : ? ! ( ) "`` next to Chinese text into their full-width forms.

    A mark converts when a neighbouring character is Chinese (a CJK ideograph, or CJK or
    full-width punctuation — including marks this function has just converted); curly quotes
    in between are looked through, so ``”,“`` between Chinese words converts too. Brackets and
    straight double quotes are handled in pairs, per line: a pair converts as a whole when its
    content holds Chinese or either outer neighbour is Chinese, and quotes alternate “ and ”.
    Numbers (1,000  12:30), URLs, e-mail addresses and Latin-only phrases stay as written.  The
    full stop ``.`` becomes 。 only where it plainly ends a Chinese sentence: after a Chinese
    character or a closing full-width mark, before a space, more Chinese or the line's end, or
    at the end of a line of Chinese after a number — never in 3.14, file.docx, an abbreviation
    or a numbering label such as ``1.``.

    Only those marks change, one character for one, so the result has the same length and
    ``normalize_punctuation(normalize_punctuation(t)) == normalize_punctuation(t)``.

    >>> normalize_punctuation('三年级十岁生日(筹备活动);围绕"走进新发展,走向新优质"')
    '三年级十岁生日（筹备活动）；围绕“走进新发展，走向新优质”'
    >>> normalize_punctuation("共1,000元,下午12:30开会。Hello, world (ok)")
    '共1,000元，下午12:30开会。Hello, world (ok)'
    >>> normalize_punctuation("请准时参加(下午3:30).会议在3.5楼.\\n1. 见v2.docx.")
    '请准时参加（下午3:30）。会议在3.5楼。\\n1. 见v2.docx.'
    """
    if not isinstance(text, str):
        raise ConventionError(
            lazy("only text can be normalized"),
            where="normalize_punctuation",
            expected=lazy("a str"),
            found=lazy("{text!r}, a {kind}", text=text, kind=type(text).__name__),
        )
    # Each pass only converts, never reverts, so this ends; repeating until nothing changes
    # makes the result a fixed point, which is what idempotence means.
    while True:
        result = _one_pass(text)
        if result == text:
            return result
        text = result


def display_width(text: str) -> int:
    """How many terminal columns *text* takes: Chinese characters and full-width forms two.

    Terminals follow Unicode's East Asian Width (W and F take two columns); for the width of
    text in a Word document see :func:`text_width`.

    >>> display_width("notice"), display_width("通知"), display_width("公文（红头文件）")
    (6, 4, 16)
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# 避头尾 (GB/T 15834 and common typesetting practice): marks that may not begin a line, and
# the ones that may not end it.  textwrap knows neither, nor that a Chinese character takes
# two columns and may break anywhere; hence a wrap of our own.
_NO_LINE_START = frozenset("，。、；：？！）」』”’》〉】〕…—·%")
_NO_LINE_END = frozenset("（「『“‘《〈【〔")
_WRAP_TOKEN = re.compile(r"\s+|[^\x00-\u2e7f\s]|[\x00-\u2e7f]+?(?=\s|[^\x00-\u2e7f]|$)")


def wrap_columns(text: str, width: int) -> list[str]:
    """*text* broken into lines of at most *width* terminal columns, Chinese-aware.

    A Chinese character (two columns) may end a line anywhere; Latin words stay whole (one
    longer than *width* gets a line of its own); a closing mark never begins a line (the
    character before it goes down with it) and an opening one never ends it.  White space
    runs become one space.

    >>> wrap_columns("模板目录，先于 DOCGEN_TEMPLATE_PATH 查找（可重复）。", 16)
    ['模板目录，先于', 'DOCGEN_TEMPLATE_PATH', '查找（可重复）。']
    >>> wrap_columns("数据格式（默认自动判断）。", 12)
    ['数据格式（默', '认自动判', '断）。']
    >>> wrap_columns("one two three four", 9)
    ['one two', 'three', 'four']
    """
    lines: list[str] = []
    line: list[str] = []  # the tokens of the line being filled, spaces included
    for token in _WRAP_TOKEN.findall(text):
        if token.isspace():
            if line and line[-1] != " ":
                line.append(" ")
            continue
        if display_width("".join([*line, token]).rstrip()) <= width or not "".join(line).strip():
            line.append(token)
            continue
        while line and line[-1] == " ":
            line.pop()
        carry: list[str] = []
        # 避头: the closing mark takes the characters before it down (never a whole line)
        while token[0] in _NO_LINE_START and len(line) > 1 and line[-1] != " ":
            carry.insert(0, line.pop())
            if carry[0][-1] not in _NO_LINE_START:
                break
        # 避尾: an opening mark goes down with what it opens
        while len(line) > 1 and line[-1][-1] in _NO_LINE_END:
            carry.insert(0, line.pop())
        lines.append("".join(line).rstrip())
        line = [*carry, token]
    if "".join(line).strip():
        lines.append("".join(line).rstrip())
    return lines


def pad(text: str, width: int) -> str:
    """*text* padded with spaces to *width* terminal columns (for aligned console tables).

    >>> pad("通知", 6) + "|", pad("notice", 6) + "|"
    ('通知  |', 'notice|')
    """
    return text + " " * max(0, width - display_width(text))
