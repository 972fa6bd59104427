"""Chinese numerals: counted (一万零一十), digit by digit (二〇一四), 大写 and RMB amounts.

The rules follow CONVENTIONS §2 (the 小学数学 reading rule and 支付结算办法 for amounts):

* Numbers are read in groups of four digits: 万 (10^4), 亿 (10^8), 万亿 (10^12).
* Zeros at the end of a group are not read (105000 → 十万五千); any other run of zeros,
  inside a group, across a group boundary or a whole zero group, is read as one 零
  (1001 → 一千零一, 100001000 → 一亿零一千).
* 10–19 at the very start of a lower-case number drop the 一 (十五, 十万); inside a number
  and in 大写 the 一/壹 is written (一百一十, 壹拾).

Choices where the conventions allow variants are listed in each function's docstring.
Every conversion table is data at the top of this module; the tables for reading numerals back
(:func:`from_chinese`) are in :mod:`docgen.cn._numeral_reader`, with the parser.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from docgen.cn._numeral_reader import _Reader
from docgen.errors import ConventionError
from docgen.i18n import Message, lazy

__all__ = ["chinese_digits", "circled", "from_chinese", "rmb_upper", "to_chinese"]


class _Script(NamedTuple):
    """The characters one style of numerals is written with."""

    digits: str  # the ten digits, index = value
    units: tuple[str, str, str, str]  # the units inside a group of four digits
    drops_leading_one: bool  # 十五 rather than 一十五 at the start of a number


_LOWER = _Script("零一二三四五六七八九", ("", "十", "百", "千"), drops_leading_one=True)
_UPPER = _Script("零壹贰叁肆伍陆柒捌玖", ("", "拾", "佰", "仟"), drops_leading_one=False)

# The unit after each group of four digits, lowest group first.  The top group carries 万
# and, when the 亿 group below it is all zeros, 亿 too (一万亿 = 10^12).
_GROUP_UNITS = ("", "万", "亿", "万")
_GROUP = 10**4
_LIMIT = 10**16  # 一亿亿: the first number we cannot write with the groups above

# Digit by digit, the zero is 〇 (U+3007), not 零.
_DIGIT_BY_DIGIT = "〇一二三四五六七八九"

# Circled numbers 1–50: (first number, first code point) of each contiguous Unicode run.
_CIRCLED_RUNS = ((1, 0x2460), (21, 0x3251), (36, 0x32B1))
_CIRCLED_MAX = 50

# RMB amounts.
_RMB_PREFIX = "人民币"
_RMB_WHOLE = "整"
_RMB_UNITS = ("元", "角", "分")
_CURRENCY_SIGNS = ("￥", "¥")  # full-width U+FFE5 and Latin-1 U+00A5
_NEGATIVE = "负"
_POINT = "点"

_ARABIC_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_ARABIC_AMOUNT = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")

_FLOAT_MESSAGE = lazy(
    "floats cannot represent decimal amounts exactly (0.1 + 0.2 != 0.3); "
    "pass a Decimal or a str such as '3.14'"
)


# ---- writing ------------------------------------------------------------------------------


def to_chinese(n: int | Decimal | str, *, financial: bool = False) -> str:
    """Write a number in Chinese numerals, lower case or financial 大写.

    Integers from -(10^16 - 1) to 10^16 - 1 are accepted; a Decimal or a numeric str may carry
    a fraction, which is read digit by digit after 点 with 零 for the zero digit, as cn2an
    does (3.05 → 三点零五).  The fraction is written exactly as given, trailing zeros
    included (Decimal('1.50') → 一点五零).  Floats are refused: they cannot hold decimal
    amounts exactly.

    Args:
        n: an int, a Decimal or a str of Arabic digits such as ``"-3.14"``.
        financial: write 大写 (壹贰叁, 拾佰仟) instead of lower case.

    Returns:
        The number in Chinese numerals, negatives prefixed 负.

    Raises:
        ConventionError: a float, a bool, a malformed str, or a number out of range.

    >>> to_chinese(10)
    '十'
    >>> to_chinese(110)
    '一百一十'
    >>> to_chinese(10010)
    '一万零一十'
    >>> to_chinese(100001000)
    '一亿零一千'
    >>> to_chinese(105000)
    '十万五千'
    >>> to_chinese(-1001)
    '负一千零一'
    >>> to_chinese(10, financial=True)
    '壹拾'
    >>> to_chinese(Decimal("3.05"))
    '三点零五'
    >>> to_chinese("3.14")
    '三点一四'
    """
    where = f"to_chinese({n!r})"
    value = _as_decimal_or_int(n, where)
    script = _UPPER if financial else _LOWER
    negative = value < 0
    magnitude = -value if negative else value
    integer = int(magnitude)
    _check_range(integer, where)
    text = _write_integer(integer, script)
    if isinstance(magnitude, Decimal):
        fraction = format(magnitude, "f").partition(".")[2]
        text += _POINT + "".join(script.digits[int(digit)] for digit in fraction)
    return _NEGATIVE + text if negative else text


def chinese_digits(n: int | str) -> str:
    """Write a number digit by digit with 〇 for zero, as years are written.

    Args:
        n: a non-negative int or a str of ASCII digits (leading zeros are kept).

    Returns:
        One Chinese digit per Arabic digit.

    Raises:
        ConventionError: a negative number, a bool, or a str with other characters.

    >>> chinese_digits(2014)
    '二〇一四'
    >>> chinese_digits("007")
    '〇〇七'
    """
    where = f"chinese_digits({n!r})"
    expected = "a non-negative int or a str of the digits 0-9"
    if isinstance(n, bool) or not isinstance(n, int | str):
        raise ConventionError(
            lazy("cannot write this value digit by digit"),
            where=where,
            expected=expected,
            found=_describe(n),
        )
    text = str(n) if isinstance(n, int) else n
    bad = next((i for i, ch in enumerate(text) if ch not in "0123456789"), None)
    if bad is not None or not text:
        found = f"{text[bad]!r} at position {bad + 1}" if bad is not None else "an empty str"
        raise ConventionError(
            lazy("only the digits 0-9 can be written digit by digit"),
            where=where,
            expected=expected,
            found=found,
        )
    return "".join(_DIGIT_BY_DIGIT[int(ch)] for ch in text)


def circled(n: int) -> str:
    """The circled number ①–㊿ for 1–50 (a single Unicode character each).

    Args:
        n: an int from 1 to 50.

    Returns:
        One character: U+2460–2473 (①–⑳), U+3251–325F (㉑–㉟) or U+32B1–32BF (㊱–㊿).

    Raises:
        ConventionError: n outside 1–50 or not an int.

    >>> circled(1)
    '①'
    >>> circled(21)
    '㉑'
    >>> circled(50)
    '㊿'
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= _CIRCLED_MAX:
        raise ConventionError(
            lazy("circled numbers exist only from 1 to 50"),
            where=f"circled({n!r})",
            expected=lazy("an int in the range 1-{CIRCLED_MAX}", CIRCLED_MAX=_CIRCLED_MAX),
            found=_describe(n),
        )
    first, code_point = next(run for run in reversed(_CIRCLED_RUNS) if run[0] <= n)
    return chr(code_point + n - first)


def rmb_upper(amount: Decimal | int | str, *, allow_negative: bool = False) -> str:
    """Write an RMB amount in 大写 as on bills and 结算凭证 (支付结算办法).

    Choices where the rules allow variants:

    * 整 after 元 when there are no 角 and 分; none after 角 (the rule makes it optional),
      never after 分.
    * A 元 part ending in 0 followed by 角 takes a 零 (1680.32 → …捌拾元零叁角贰分,
      107000.53 → 壹拾万柒仟元零伍角叁分); zeros at the end of the 万 group are not read,
      as in :func:`to_chinese`.
    * 角 = 0 and 分 ≠ 0 always takes 零 after 元 (325.04 → …伍元零肆分).
    * Amounts under 1 元 start at the first non-zero unit: 0.5 → 人民币伍角,
      0.05 → 人民币伍分 (no 零元).
    * A negative amount (only with ``allow_negative=True``) is written 人民币负….
    * Trailing zeros beyond the 分 are accepted (Decimal('1.500') is 1.50); a non-zero
      digit beyond the 分 is an error, never rounded.

    Args:
        amount: a Decimal, an int, or a str such as ``"￥1,409.50"`` (a leading ￥ or ¥ and
            thousands separators are allowed).
        allow_negative: accept amounts below zero.

    Returns:
        The amount as 人民币…元整 / …角 / …分.

    Raises:
        ConventionError: a float, fractions of a 分, a negative amount without
            ``allow_negative``, or an amount of 10^16 元 or more.

    >>> rmb_upper("1409.50")
    '人民币壹仟肆佰零玖元伍角'
    >>> rmb_upper(Decimal("325.04"))
    '人民币叁佰贰拾伍元零肆分'
    >>> rmb_upper("￥1,680.32")
    '人民币壹仟陆佰捌拾元零叁角贰分'
    >>> rmb_upper(0)
    '人民币零元整'
    >>> rmb_upper("0.05")
    '人民币伍分'
    """
    where = f"rmb_upper({amount!r})"
    value = _as_amount(amount, where)
    # format(..., "f") is exact; Decimal arithmetic would round long inputs to 28 digits.
    whole, _, fraction = format(abs(value), "f").partition(".")
    if fraction[2:].strip("0"):
        raise ConventionError(
            lazy("an amount cannot have fractions of a 分 (it is not rounded)"),
            where=where,
            expected=lazy("at most two decimal places"),
            found=format(value, "f"),
        )
    yuan = int(whole)
    _check_range(yuan, where)
    jiao, fen = (int(digit) for digit in fraction[:2].ljust(2, "0"))
    negative = value < 0 and bool(yuan or jiao or fen)
    if negative and not allow_negative:
        raise ConventionError(
            lazy("negative amounts are refused unless asked for"),
            where=where,
            expected=lazy("an amount of 0 or more, or allow_negative=True"),
            found=format(value, "f"),
        )
    return _RMB_PREFIX + (_NEGATIVE if negative else "") + _rmb_words(yuan, jiao, fen)


def _rmb_words(yuan: int, jiao: int, fen: int) -> str:
    """The 大写 words of an amount without 人民币 and sign."""
    digits = _UPPER.digits
    yuan_unit, jiao_unit, fen_unit = _RMB_UNITS
    if yuan == 0 and jiao == 0 and fen == 0:
        return digits[0] + yuan_unit + _RMB_WHOLE
    parts: list[str] = []
    if yuan:
        parts.append(_write_integer(yuan, _UPPER) + yuan_unit)
        if jiao == 0 and fen == 0:
            parts.append(_RMB_WHOLE)
        elif jiao == 0 or yuan % 10 == 0:
            parts.append(digits[0])  # 元零肆分, 捌拾元零叁角
    if jiao:
        parts.append(digits[jiao] + jiao_unit)
    if fen:
        parts.append(digits[fen] + fen_unit)
    return "".join(parts)


def _write_integer(n: int, script: _Script) -> str:
    """Write 0 <= n < 10^16 group by group."""
    if n == 0:
        return script.digits[0]
    groups = [(n // _GROUP**i) % _GROUP for i in range(len(_GROUP_UNITS))]
    parts: list[str] = []
    zeros_pending = False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            if parts:
                zeros_pending = True  # a whole zero group between non-zero ones: one 零
                if index == 2 and groups[3]:
                    parts.append(_GROUP_UNITS[2])  # 一万亿
            continue
        if parts and (zeros_pending or group < _GROUP // 10):
            parts.append(script.digits[0])
        parts.append(_write_group(group, script, first=not parts))
        parts.append(_GROUP_UNITS[index])
        zeros_pending = False
    return "".join(parts)


def _write_group(group: int, script: _Script, *, first: bool) -> str:
    """Write 1 <= group < 10^4 without its leading and trailing zeros."""
    parts: list[str] = []
    zeros_pending = False
    for position in reversed(range(4)):
        digit = group // 10**position % 10
        if digit == 0:
            zeros_pending = bool(parts)
            continue
        if zeros_pending:
            parts.append(script.digits[0])
            zeros_pending = False
        drop_one = script.drops_leading_one and first and not parts and (digit, position) == (1, 1)
        if not drop_one:
            parts.append(script.digits[digit])
        parts.append(script.units[position])
    return "".join(parts)


# ---- reading ------------------------------------------------------------------------------


def from_chinese(text: str) -> int | Decimal:
    """Read a Chinese numeral back into a number; the inverse of :func:`to_chinese`.

    Accepts lower case and 大写 digits (also 两, 〇, traditional 貳 參 陸 萬 億), the units
    十百千 拾佰仟 万亿 (and 兆 = 10^12), a leading 负, a fraction after 点, digit-by-digit forms
    (二〇一四) and Arabic digits mixed with units ("1万2千").  A single digit right after a
    unit other than 十 follows everyday speech: 一万二 is 12000, 一百五 is 150 (一百零五 is
    105).  A 零 is never required: cn2an's 一亿一千 reads as 100001000.

    Args:
        text: the numeral; leading and trailing whitespace is ignored.

    Returns:
        An int, or a Decimal when the text has a fraction (its digits kept as written).

    Raises:
        ConventionError: an empty text, a character that is not part of a numeral, or units
            in an impossible order; the message names the character and its position
            (counted from 1, leading whitespace included).

    >>> from_chinese("一万零一十")
    10010
    >>> from_chinese("壹拾万柒仟")
    107000
    >>> from_chinese("二〇一四")
    2014
    >>> from_chinese("1万2千")
    12000
    >>> from_chinese("负三点一四")
    Decimal('-3.14')
    """
    if not isinstance(text, str):
        raise ConventionError(
            lazy("only text can be read as a Chinese numeral"),
            where="from_chinese",
            expected=lazy("a str"),
            found=_describe(text),
        )
    reader = _Reader(text)
    return reader.read()


# ---- input checking -----------------------------------------------------------------------


def _describe(value: object) -> Message:
    """``3.5, a float`` — for error messages."""
    name = type(value).__name__
    if name[0] in "aeiou":
        return lazy("{value}, an {kind}", value=repr(value), kind=name)
    return lazy("{value}, a {kind}", value=repr(value), kind=name)


def _check_range(integer: int, where: str) -> None:
    if integer >= _LIMIT:
        raise ConventionError(
            lazy("the number is too large to write with 万, 亿 and 万亿"),
            where=where,
            expected=lazy("a number with absolute value below 10^16 (-10^16 < n < 10^16)"),
            found=str(integer),
        )


def _reject_non_numbers(value: object, where: str, accepted: Message) -> None:
    if isinstance(value, float):
        raise ConventionError(
            _FLOAT_MESSAGE, where=where, expected=accepted, found=_describe(value)
        )
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise ConventionError(
            lazy("this value is not a number"),
            where=where,
            expected=accepted,
            found=_describe(value),
        )


def _as_decimal_or_int(n: object, where: str) -> int | Decimal:
    """Check the input of :func:`to_chinese`: an int, a finite Decimal or a numeric str."""
    accepted = lazy("an int, a Decimal or a str such as '3.14'")
    _reject_non_numbers(n, where, accepted)
    if isinstance(n, int):
        return n
    if isinstance(n, str):
        text = n.strip()
        if not _ARABIC_NUMBER.fullmatch(text):
            raise ConventionError(
                lazy("the text is not a number in Arabic digits"),
                where=where,
                expected=lazy("digits with an optional sign and decimal point, such as '-3.14'"),
                found=repr(n),
            )
        return Decimal(text) if "." in text else int(text)
    assert isinstance(n, Decimal)
    if not n.is_finite():
        raise ConventionError(lazy("only finite numbers can be written"), where=where, found=str(n))
    return n if "." in format(n, "f") else int(n)


def _as_amount(amount: object, where: str) -> Decimal:
    """Check the input of :func:`rmb_upper` and return it as a Decimal."""
    accepted = lazy("a Decimal, an int or a str such as '￥1,409.50'")
    _reject_non_numbers(amount, where, accepted)
    if isinstance(amount, int):
        return Decimal(amount)
    if isinstance(amount, Decimal):
        if not amount.is_finite():
            raise ConventionError(
                lazy("only finite amounts can be written"), where=where, found=str(amount)
            )
        return amount
    assert isinstance(amount, str)
    text = amount.strip()
    sign = ""
    if text[:1] in ("-", "+"):
        sign, text = text[0], text[1:]
    if text[:1] in _CURRENCY_SIGNS:
        text = text[1:]
    if not sign and text[:1] in ("-", "+"):
        sign, text = text[0], text[1:]
    if not _ARABIC_AMOUNT.fullmatch(text):
        raise ConventionError(
            lazy("the text is not an amount"),
            where=where,
            expected=lazy("digits with an optional ￥, thousands separators and decimal point"),
            found=repr(amount),
        )
    return Decimal(sign + text.replace(",", ""))
