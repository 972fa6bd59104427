"""Heading numbering: the 序数 of each outline level (一、 （一） 1. （1） and their variants).

A :class:`NumberingScheme` holds one format string per level; an :class:`OutlineCounter` walks
an outline and hands out the label of each heading; :func:`parse_label` reads a label back.

>>> GBT9704.label(2, 3)
'（三）'
>>> counter = SCHOOL.counter()
>>> [counter.next(level) for level in (1, 2, 2, 1, 2, 3, 4, 4)]
['一、', '1、', '2、', '二、', '1、', '（1）', '①', '②']
>>> DECIMAL.label(3, 2, parents=(1, 4)) + "标题"
'1.4.2 标题'
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs

from docgen.cn.numerals import circled, from_chinese, to_chinese
from docgen.cn.typography import SPACES
from docgen.errors import ConventionError
from docgen.i18n import lazy

__all__ = [
    "DECIMAL",
    "FIELDS",
    "GBT9704",
    "PRESETS",
    "SCHOOL",
    "Label",
    "NumberingScheme",
    "OutlineCounter",
    "order_label_kinds",
    "parse_label",
]

_MAX_CIRCLED = 50  # ① … ㊿ are the circled numbers Unicode has (CONVENTIONS §1)


def _path(index: int, parents: Sequence[int]) -> str:
    return ".".join(str(i) for i in (*parents, index))


#: The fields a format string may use, each computed from the index (and the parents' indexes).
FIELDS: Mapping[str, Callable[[int, Sequence[int]], object]] = MappingProxyType(
    {
        "cn": lambda index, parents: to_chinese(index),  # 一 … 十 十一 … 二十一
        "CN": lambda index, parents: to_chinese(index, financial=True),  # 壹 … 壹拾
        "n": lambda index, parents: index,  # 1 2 3 (an int, so "{n:02d}" works)
        "circled": lambda index, parents: circled(index),  # ① … ㊿
        "path": _path,  # 1.2.3: the indexes of all levels down to this one
    }
)


# A value of each field's type, to try a format string on.
_SAMPLE: Mapping[str, object] = MappingProxyType(
    {"cn": "一", "CN": "壹", "n": 1, "circled": "①", "path": "1.1"}
)


@functools.lru_cache(maxsize=256)
def _fields_of(fmt: str) -> frozenset[str]:
    """The field names in *fmt*, or ConventionError naming what is wrong with it."""
    where = f"format {fmt!r}"
    allowed = ", ".join("{" + name + "}" for name in FIELDS)
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError as error:
        raise ConventionError(
            lazy("not a valid format string ({error})", error=error),
            where=where,
            expected=lazy("fields {allowed}", allowed=allowed),
        ) from None
    names = set()
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in FIELDS:
            raise ConventionError(
                lazy("unknown field"),
                where=where,
                expected=lazy("one of {allowed}", allowed=allowed),
                found="{" + name + "}",
            )
        if conversion is not None or (spec and "{" in spec):
            raise ConventionError(
                lazy("conversions and nested fields are not supported"),
                where=where,
                expected=lazy(
                    "plain fields {allowed}, optionally with a format spec", allowed=allowed
                ),
                found=fmt,
            )
        names.add(name)
    if not names:
        raise ConventionError(
            lazy("a level's format must show its index"),
            where=where,
            expected=lazy("at least one of {allowed}", allowed=allowed),
            found=repr(fmt),
        )
    return frozenset(names)


def _to_formats(value: Any) -> Any:
    if isinstance(value, str):
        raise ConventionError(
            lazy("formats are one string per level, not a single string"),
            where="NumberingScheme.formats",
            expected=lazy('a tuple such as ("{cn}、", "（{cn}）")'),
            found=repr(value),
        )
    return tuple(value) if isinstance(value, Iterable) else value


def _check_formats(
    instance: NumberingScheme, attribute: attrs.Attribute[Any], value: tuple[object, ...]
) -> None:
    if not isinstance(value, tuple) or not value:
        raise ConventionError(
            lazy("a numbering scheme needs at least one level"),
            where=f"NumberingScheme {instance.name!r}: formats",
            expected=lazy("a non-empty tuple of format strings"),
            found=repr(value),
        )
    for level, fmt in enumerate(value, start=1):
        if not isinstance(fmt, str):
            raise ConventionError(
                lazy("a level's format is a string"),
                where=f"NumberingScheme {instance.name!r}: level {level}",
                expected=lazy('a format string such as "{cn}、"'),
                found=lazy("{fmt!r}, a {kind}", fmt=fmt, kind=type(fmt).__name__),
            )
        try:
            fields = _fields_of(fmt)
            # Try the format once so a bad format spec fails now rather than mid-document.
            fmt.format(**{name: _SAMPLE[name] for name in fields})
        except ConventionError as error:
            message, _, expected, found = error.fields()
            raise ConventionError(
                message,
                where=f"NumberingScheme {instance.name!r}: level {level} {error.where}",
                expected=expected,
                found=found,
            ) from None
        except ValueError as error:
            raise ConventionError(
                lazy("the format spec does not apply ({error})", error=error),
                where=f"NumberingScheme {instance.name!r}: level {level} format {fmt!r}",
            ) from None


def _check_name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ConventionError(
            lazy("a numbering scheme needs a name"),
            where="NumberingScheme.name",
            expected=lazy("a non-empty str"),
            found=repr(value),
        )


def _check_int(value: object, minimum: int, where: str, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConventionError(
            lazy("{what} is counted from {minimum}", what=what, minimum=minimum),
            where=where,
            expected=lazy("an int ≥ {minimum}", minimum=minimum),
            found=lazy("{value!r}, a {kind}", value=value, kind=type(value).__name__),
        )
    return value


@attrs.frozen
class NumberingScheme:
    """A heading-numbering scheme: one format string per outline level.

    Format fields (see :data:`FIELDS`): ``{cn}`` the index in Chinese numerals (十一, 二十一),
    ``{CN}`` the same in financial numerals (壹拾壹), ``{n}`` the Arabic index, ``{circled}``
    ① … ㊿, and ``{path}`` the dotted indexes of every level down to this one ("1.2.3").
    Format strings are checked when the scheme is made.

    >>> scheme = NumberingScheme.from_formats("memo", "第{cn}部分 ", "{path} ")
    >>> scheme.depth, scheme.label(1, 12), scheme.label(2, 3, parents=[12])
    (2, '第十二部分 ', '12.3 ')
    >>> NumberingScheme("bad", ("{cn}、", "{num}."))
    Traceback (most recent call last):
    ...
    docgen.errors.ConventionError: NumberingScheme 'bad': level 2 format '{num}.': unknown field;
    expected one of {cn}, {CN}, {n}, {circled}, {path}; found {num}
    """

    name: str = attrs.field(validator=_check_name)
    formats: tuple[str, ...] = attrs.field(converter=_to_formats, validator=_check_formats)

    @classmethod
    def from_formats(cls, name: str, *formats: str) -> NumberingScheme:
        """A scheme from its name and one format string per level, top level first."""
        return cls(name, formats)

    @classmethod
    def preset(cls, name: str) -> NumberingScheme:
        """One of the :data:`PRESETS` by name, ignoring case, spaces and ``/ - _``.

        >>> NumberingScheme.preset("gb/t 9704") is GBT9704
        True
        """
        key = "".join(c for c in name.upper() if c not in " /-_") if isinstance(name, str) else ""
        if key not in PRESETS:
            raise ConventionError(
                lazy("unknown numbering scheme"),
                where="NumberingScheme.preset",
                expected=lazy("one of {allowed}", allowed=", ".join(PRESETS)),
                found=repr(name),
            )
        return PRESETS[key]

    @property
    def depth(self) -> int:
        """The number of levels."""
        return len(self.formats)

    def label(self, level: int, index: int, *, parents: Sequence[int] = ()) -> str:
        """The label of the *index*-th heading (from 1) at *level* (from 1).

        *parents* are the indexes of the enclosing headings, top level first; only ``{path}``
        needs them, but when given there must be one per enclosing level.

        >>> GBT9704.label(1, 21), GBT9704.label(3, 2), GBT9704.label(4, 10)
        ('二十一、', '2.', '（10）')
        """
        where = f"NumberingScheme {self.name!r}"
        level = self._check_level(level)
        index = _check_int(index, 1, f"{where}: level {level} index", "a heading index")
        parents = tuple(parents)
        for position, parent in enumerate(parents, start=1):
            _check_int(parent, 1, f"{where}: parents[{position - 1}]", "a heading index")
        fmt = self.formats[level - 1]
        fields = _fields_of(fmt)
        wrong_count = bool(parents) and len(parents) != level - 1
        if wrong_count or ("path" in fields and len(parents) < level - 1):
            raise ConventionError(
                lazy(
                    "a level-{level} heading has {n} enclosing heading(s)", level=level, n=level - 1
                ),
                where=f"{where}: level {level} parents",
                expected=lazy("{n} parent index(es)", n=level - 1),
                found=repr(parents),
            )
        if "circled" in fields and index > _MAX_CIRCLED:
            raise ConventionError(
                lazy("circled numbers stop at ㊿"),
                where=f"{where}: level {level} index",
                expected=lazy("at most {MAX_CIRCLED}", MAX_CIRCLED=_MAX_CIRCLED),
                found=repr(index),
            )
        return fmt.format(**{name: FIELDS[name](index, parents) for name in fields})

    def _check_level(self, level: object) -> int:
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= self.depth:
            raise ConventionError(
                lazy("no such level"),
                where=f"NumberingScheme {self.name!r}",
                expected=lazy("a level from 1 to {depth}", depth=self.depth),
                found=repr(level),
            )
        return level

    def counter(self) -> OutlineCounter:
        """A fresh :class:`OutlineCounter` numbering an outline with this scheme."""
        return OutlineCounter(self)


@attrs.define
class OutlineCounter:
    """Numbers the headings of an outline, in document order.

    :meth:`next` increments the level's index and restarts every deeper level. Skipping a
    level (a level-3 heading straight under a level-1 one) is an error, since the missing
    level's number would have to be invented.

    >>> counter = GBT9704.counter()
    >>> counter.next(1), counter.next(2), counter.next(2), counter.indexes
    ('一、', '（一）', '（二）', (1, 2))
    >>> counter.next(4)
    Traceback (most recent call last):
    ...
    docgen.errors.ConventionError: NumberingScheme 'GBT9704': a level-4 heading cannot follow a
    level-2 heading; expected a level from 1 to 3; found 4
    """

    scheme: NumberingScheme
    _indexes: list[int] = attrs.field(factory=list, init=False)

    @property
    def indexes(self) -> tuple[int, ...]:
        """The index at each level of the last heading numbered (empty before the first)."""
        return tuple(self._indexes)

    def next(self, level: int) -> str:
        """The label of the next heading at *level*."""
        where = f"NumberingScheme {self.scheme.name!r}"
        deepest = min(len(self._indexes) + 1, self.scheme.depth)
        level = self.scheme._check_level(level)
        if level > deepest:
            after = f"a level-{len(self._indexes)} heading" if self._indexes else "the start"
            raise ConventionError(
                lazy("a level-{level} heading cannot follow {after}", level=level, after=after),
                where=where,
                expected=lazy("a level from 1 to {deepest}", deepest=deepest),
                found=repr(level),
            )
        index = self._indexes[level - 1] + 1 if level <= len(self._indexes) else 1
        label = self.scheme.label(level, index, parents=self._indexes[: level - 1])
        self._indexes[level - 1 :] = [index]
        return label

    def reset(self) -> None:
        """Start again from the first heading."""
        self._indexes.clear()


#: GB/T 9704-2012 §7.3.3: 一、 （一） 1. （1）
GBT9704 = NumberingScheme.from_formats("GBT9704", "{cn}、", "（{cn}）", "{n}.", "（{n}）")
#: Everyday school documents: 一、 1、 （1） ①
SCHOOL = NumberingScheme.from_formats("SCHOOL", "{cn}、", "{n}、", "（{n}）", "{circled}")
#: Technical reports and 方案: "1 " "1.1 " "1.1.1 " "1.1.1.1 " — with a trailing half-width
#: space, so that label + title reads "1.1 标题" like the others' "一、标题".
DECIMAL = NumberingScheme.from_formats("DECIMAL", *["{path} "] * 4)

#: The preset schemes by name.
PRESETS: Mapping[str, NumberingScheme] = MappingProxyType(
    {scheme.name: scheme for scheme in (GBT9704, SCHOOL, DECIMAL)}
)


# --- reading labels back (CONVENTIONS §1) -------------------------------------------------------

_CN = "〇零一二三四五六七八九十百两"
_D = "0-9０-９"  # Arabic digits, half- and full-width
_S = SPACES


@attrs.frozen
class Label:
    """A heading label at the start of a text, as :func:`parse_label` reads it.

    ``kind`` names the label's form: ``"cn、"`` 一、, ``"(cn)"`` （一）, ``"n、"`` 1、,
    ``"n."`` 1., ``"n)"`` 1), ``"(n)"`` （1）, ``"circled"`` ①, and ``"decimal1"`` …
    ``"decimal9"`` for 1 / 1.1 / 1.1.1 … (by how many numbers it has). Half- and full-width
    brackets, dots and digits are the same kind.
    """

    kind: str
    number: int  # the label's own number: 3 for 三、, （三） and 1.2.3
    length: int  # how many characters the label and the spaces after it take
    rest: str  # the text after them


@functools.cache
def _label_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The label forms, compiled on first use (a render that reads no labels never pays).

    Their character classes (①–㊿, full-width digits) take milliseconds to compile.
    """
    return (
        ("(cn)", re.compile(rf"[（(][{_S}]*([{_CN}]{{1,4}})[{_S}]*[）)][、.．]?")),
        ("(n)", re.compile(rf"[（(][{_S}]*([{_D}]{{1,3}})[{_S}]*[）)][、.．]?")),
        ("cn、", re.compile(rf"([{_CN}]{{1,4}})[{_S}]*(?:、|[.．](?![{_D}]))")),
        (
            "decimal",
            re.compile(rf"([{_D}]{{1,3}}(?:[.．][{_D}]{{1,3}}){{1,8}})[.．]?(?![{_D}.．%％])"),
        ),
        ("n、", re.compile(rf"([{_D}]{{1,3}})[{_S}]*、")),
        ("n.", re.compile(rf"([{_D}]{{1,3}})[.．](?![{_D}])")),
        ("n)", re.compile(rf"([{_D}]{{1,3}})[)）]")),
        (
            "circled",
            re.compile("([" + "".join(circled(n) for n in range(1, _MAX_CIRCLED + 1)) + "])"),
        ),
    )


# DECIMAL's level 1 is a bare number ("1 概述"); only read as one when asked.
_BARE_NUMBER = re.compile(rf"([{_D}]{{1,2}})[{_S}]+(?=[\u4e00-\u9fff])")
# "三、四年级", "1、2月份": an enumeration, not a label
_ENUMERATION = re.compile(rf"([{_CN}]+|[{_D}]+)(?:、|年级|年|月|日|等)")
_CIRCLED_VALUES = {circled(n): n for n in range(1, _MAX_CIRCLED + 1)}


def parse_label(text: str, *, bare_numbers: bool = False) -> Label | None:
    """The heading label *text* starts with, or None.

    Reads the labels of :data:`GBT9704`, :data:`SCHOOL` and :data:`DECIMAL` and their usual
    variants: half- or full-width brackets, dots and digits, 一. for 一、, （一）、. A label must
    be followed by text, and an enumeration is not a label (三、四年级, 1、2月份). A bare
    number ("1 概述", DECIMAL's level 1) is read only with *bare_numbers*, since in running
    text it is usually a quantity.

    >>> parse_label("（三）加强队伍建设")
    Label(kind='(cn)', number=3, length=3, rest='加强队伍建设')
    >>> [parse_label(t).kind for t in ("一、学习", "2. 目标", "（１）内容", "② 细则", "1.2.3 范围")]
    ['cn、', 'n.', '(n)', 'circled', 'decimal3']
    >>> parse_label("三、四年级的活动") is None, parse_label("1、") is None
    (True, True)
    >>> parse_label("1 概述") is None, parse_label("1 概述", bare_numbers=True)
    (True, Label(kind='decimal1', number=1, length=2, rest='概述'))
    """
    for kind, pattern in _label_patterns():
        m = pattern.match(text)
        if m is not None:
            return _read_label(kind, m.group(1), text, m.end())
    if bare_numbers and (m := _BARE_NUMBER.match(text)) is not None:
        return _labelled("decimal1", int(m.group(1)), text, m.end())
    return None


def _label_number(text: str) -> int:
    """The number of 三, 十二 or 12 (half- or full-width digits)."""
    return int(text) if text.isdigit() else int(from_chinese(text))


def _read_label(kind: str, digits: str, text: str, end: int) -> Label | None:
    if kind == "circled":
        return _labelled(kind, _CIRCLED_VALUES[digits], text, end)
    if kind == "decimal":
        parts = re.split("[.．]", digits)
        return _labelled(f"decimal{len(parts)}", int(parts[-1]), text, end)
    try:
        return _labelled(kind, _label_number(digits), text, end)
    except (ConventionError, ValueError):
        return None


def _labelled(kind: str, number: int, text: str, end: int) -> Label | None:
    while end < len(text) and text[end] in _S:
        end += 1
    rest = text[end:]
    if not rest.strip() or rest[0] in "，,、。；;：:）)》”":
        return None
    enum = _ENUMERATION.match(rest)
    if enum is not None and kind in ("cn、", "n、"):
        try:
            if _label_number(enum.group(1)) == number + 1:
                return None
        except (ConventionError, ValueError):
            pass
    return Label(kind, number, end, rest)


# The preset schemes as orders of label kinds, top level first (DECIMAL's to any depth).
_KIND_ORDERS: tuple[tuple[str, ...], ...] = (
    ("cn、", "(cn)", "n.", "(n)"),  # GBT9704
    ("cn、", "n、", "(n)", "circled"),  # SCHOOL
    tuple(f"decimal{i}" for i in range(1, 10)),  # DECIMAL
)


def order_label_kinds(kinds: Iterable[str]) -> list[str]:
    """Label kinds top level first: in the order of a preset scheme that has them all.

    Kinds no preset holds together stay as given (a document's own order, by first appearance).

    >>> order_label_kinds(["n、", "circled", "cn、"])
    ['cn、', 'n、', 'circled']
    >>> order_label_kinds(["n)", "cn、"])
    ['n)', 'cn、']
    """
    kinds = list(kinds)
    for order in _KIND_ORDERS:
        if set(kinds) <= set(order):
            return sorted(kinds, key=order.index)
    return kinds
