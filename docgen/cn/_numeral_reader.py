"""Reading Chinese numerals: the tokenizer and parser behind :func:`docgen.cn.from_chinese`.

The tables name every character a numeral may hold; :class:`_Reader` keeps the text it reads
so that each error points at a character and its position.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple, NoReturn

from docgen.errors import ConventionError
from docgen.i18n import Message, lazy

_DIGIT_VALUES: dict[str, int] = {
    "零": 0, "〇": 0,
    "一": 1, "壹": 1,
    "二": 2, "两": 2, "兩": 2, "贰": 2, "貳": 2,
    "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
_ZERO_CHARS = frozenset("零〇")
# Arabic digits, half- and full-width; a run of them is read as one number ("1万2千").
_ARABIC_VALUES: dict[str, int] = {
    **{chr(ord("0") + i): i for i in range(10)},
    **{chr(ord("０") + i): i for i in range(10)},
}
_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
# Group units, largest first: (value, characters, largest number allowed before it).
_BIG_UNITS: tuple[tuple[int, frozenset[str], int], ...] = (
    (10**12, frozenset("兆"), 10**4),
    (10**8, frozenset("亿億"), 10**8),  # 一万亿: 万 may stand before 亿
    (10**4, frozenset("万萬"), 10**4),
)
_BIG_UNIT_VALUES: dict[str, int] = {ch: value for value, chars, _ in _BIG_UNITS for ch in chars}
_MINUS_CHARS = frozenset("负負-")
_POINT_CHARS = frozenset("点點.")


class _Token(NamedTuple):
    """One unit of a Chinese numeral being read."""

    kind: str  # "digit", "zero", "unit" (十百千), "big" (万亿兆)
    value: int
    position: int  # 0-based index into the text given to from_chinese
    text: str


class _Reader:
    """Reads one numeral; keeps the original text so that errors can point into it."""

    def __init__(self, text: str) -> None:
        self.text = text

    def fail(
        self, message: Message, position: int | None = None, expected: Message | None = None
    ) -> NoReturn:
        found = None
        if position is not None:
            found = lazy(
                "{char} at position {position}",
                char=repr(self.text[position]),
                position=position + 1,
            )
        raise ConventionError(
            message, where=f"from_chinese({self.text!r})", expected=expected, found=found
        )

    def read(self) -> int | Decimal:
        start = len(self.text) - len(self.text.lstrip())
        end = len(self.text.rstrip())
        if start >= end:
            self.fail(
                lazy("an empty text is not a numeral"),
                expected=lazy("a Chinese or Arabic numeral"),
            )
        negative = self.text[start] in _MINUS_CHARS
        if negative:
            start += 1
            if start == end:
                self.fail(
                    lazy("a sign alone is not a numeral"),
                    start - 1,
                    expected=lazy("a number after 负"),
                )
        for i in range(start, end):
            ch = self.text[i]
            known = (
                ch in _DIGIT_VALUES
                or ch in _ARABIC_VALUES
                or ch in _SMALL_UNITS
                or ch in _BIG_UNIT_VALUES
                or ch in _POINT_CHARS
            )
            if not known:
                self.fail(
                    lazy("{char} is not part of a numeral", char=repr(ch)),
                    i,
                    expected=lazy("digits, units 十百千万亿, 点 and a leading 负"),
                )
        points = [i for i in range(start, end) if self.text[i] in _POINT_CHARS]
        if len(points) > 1:
            self.fail(lazy("a numeral has at most one decimal point"), points[1])
        point = points[0] if points else end
        if point == start:
            self.fail(
                lazy("the decimal point needs a whole part before it"),
                point,
                expected=lazy("零点…"),
            )
        integer = self.read_integer(start, point)
        if not points:
            return -integer if negative else integer
        if point + 1 == end:
            self.fail(lazy("the decimal point needs digits after it"), point)
        fraction = "".join(str(self.digit_at(i)) for i in range(point + 1, end))
        value = Decimal(f"{integer}.{fraction}")
        return -value if negative else value

    def digit_at(self, i: int) -> int:
        ch = self.text[i]
        value = _DIGIT_VALUES.get(ch, _ARABIC_VALUES.get(ch))
        if value is None:
            self.fail(
                lazy("{char} is not a digit", char=repr(ch)),
                i,
                expected=lazy("digits only in this place"),
            )
        return value

    def read_integer(self, start: int, end: int) -> int:
        span = range(start, end)
        if not any(self.text[i] in _SMALL_UNITS or self.text[i] in _BIG_UNIT_VALUES for i in span):
            # digit by digit: 二〇一四, 2014, 一
            return int("".join(str(self.digit_at(i)) for i in span))
        return self.read_big(self.tokenize(start, end), 0)

    def tokenize(self, start: int, end: int) -> list[_Token]:
        tokens: list[_Token] = []
        i = start
        while i < end:
            ch = self.text[i]
            if ch in _ARABIC_VALUES:
                j = i
                while j < end and self.text[j] in _ARABIC_VALUES:
                    j += 1
                run = self.text[i:j]
                number = int("".join(str(_ARABIC_VALUES[c]) for c in run))
                tokens.append(_Token("digit", number, i, run))
                i = j
                continue
            if ch in _ZERO_CHARS:
                tokens.append(_Token("zero", 0, i, ch))
            elif ch in _DIGIT_VALUES:
                tokens.append(_Token("digit", _DIGIT_VALUES[ch], i, ch))
            elif ch in _SMALL_UNITS:
                tokens.append(_Token("unit", _SMALL_UNITS[ch], i, ch))
            else:
                tokens.append(_Token("big", _BIG_UNIT_VALUES[ch], i, ch))
            i += 1
        return tokens

    def read_big(self, tokens: list[_Token], level: int) -> int:
        """Split at the largest group unit present (兆, 亿, 万) and read both sides."""
        for index in range(level, len(_BIG_UNITS)):
            unit, _, left_limit = _BIG_UNITS[index]
            at = [
                k for k, token in enumerate(tokens) if token.kind == "big" and token.value == unit
            ]
            if not at:
                continue
            if len(at) > 1:
                self.fail(
                    lazy("{unit} appears twice", unit=tokens[at[1]].text), tokens[at[1]].position
                )
            split = at[0]
            left, right = tokens[:split], tokens[split + 1 :]
            unit_token = tokens[split]
            left_value = self.read_big(left, index + 1) if left else 0
            if not 0 < left_value < left_limit:
                self.fail(
                    lazy(
                        "{unit} needs a number from 1 to {limit} before it",
                        unit=unit_token.text,
                        limit=left_limit - 1,
                    ),
                    unit_token.position,
                )
            return left_value * unit + self.read_rest(right, unit, unit_token, index + 1)
        unexpected = next((token for token in tokens if token.kind == "big"), None)
        if unexpected is not None:
            self.fail(lazy("{unit} is out of place", unit=unexpected.text), unexpected.position)
        return self.read_group(tokens)

    def read_rest(self, tokens: list[_Token], unit: int, unit_token: _Token, level: int) -> int:
        """Read what follows a group unit; it must be smaller than that unit."""
        after_zero = bool(tokens) and tokens[0].kind == "zero"
        while tokens and tokens[0].kind == "zero":
            tokens = tokens[1:]
        if not tokens:
            return 0
        only = tokens[0]
        if len(tokens) == 1 and only.kind == "digit" and 0 < only.value < 10 and not after_zero:
            return only.value * unit // 10  # 一万二 = 12000
        value = self.read_big(tokens, level)
        if value >= unit:
            self.fail(
                lazy("the number after {unit} is too large", unit=unit_token.text),
                tokens[0].position,
            )
        return value

    def read_group(self, tokens: list[_Token]) -> int:
        """Read a number below 10^4 made of digits, 零 and the units 十百千."""
        value = 0
        pending: _Token | None = None
        last_unit: _Token | None = None
        after_zero = False
        for token in tokens:
            if token.kind == "unit":
                value += self.unit_value(token, pending, last_unit)
                last_unit, pending, after_zero = token, None, False
            elif pending is not None:
                self.fail(
                    lazy(
                        "{first} and {second} need a unit between them",
                        first=pending.text,
                        second=token.text,
                    ),
                    token.position,
                )
            elif token.kind == "zero":
                after_zero = True
            else:
                pending = token
        if pending is None:
            return value
        if last_unit is None:
            return pending.value
        if last_unit.value >= 100 and not after_zero and 0 < pending.value < 10:
            return value + pending.value * last_unit.value // 10  # 一百五 = 150
        if pending.value >= last_unit.value:
            self.fail(
                lazy("the number after {unit} is too large", unit=last_unit.text),
                pending.position,
            )
        return value + pending.value

    def unit_value(self, unit: _Token, digit: _Token | None, last_unit: _Token | None) -> int:
        """The value of a digit and its unit (十 alone is 10)."""
        if last_unit is not None and unit.value >= last_unit.value:
            self.fail(
                lazy("{unit} cannot follow {previous}", unit=unit.text, previous=last_unit.text),
                unit.position,
            )
        if digit is None:
            if unit.value != 10:
                self.fail(lazy("{unit} needs a digit before it", unit=unit.text), unit.position)
            return unit.value
        if not 0 < digit.value < 10:
            self.fail(
                lazy("only one digit from 1 to 9 may stand before {unit}", unit=unit.text),
                digit.position,
            )
        return digit.value * unit.value
