"""Numbering checks: sequences, label forms, the order of levels, typed or automatic numbers.

Each level's sequence (一、 then 三、, a repeated number), the label forms per level (1. and
1、 at one level, or not the template's), levels out of the template's order, and typed
numbers against Word's automatic numbering.

The headings are those :mod:`._layout` found (by style or by label); their labels are read
with :func:`docgen.cn.numbering.parse_label`, so 一、 and 一. are one kind, （一） and (一)
another (the half-width form is a punctuation finding, not a numbering one).
"""

from __future__ import annotations

from collections.abc import Iterator

from docgen.checking._expect import Expectations
from docgen.checking._layout import Layout
from docgen.checking._model import CheckFinding, finding
from docgen.checking._read import ParaInfo
from docgen.cn.numerals import circled, to_chinese
from docgen.i18n import _

# How each label kind looks, for messages.
_SAMPLE = {
    "cn、": "一、",
    "(cn)": "（一）",
    "n、": "1、",
    "n.": "1.",
    "n)": "1)",
    "(n)": "（1）",
    "circled": "①",
    **{f"decimal{i}": ".".join(["1"] * i) for i in range(1, 10)},
}


def _sample(kind: str) -> str:
    return _SAMPLE.get(kind, kind)


def check_numbering(
    paras: tuple[ParaInfo, ...], lay: Layout, exp: Expectations
) -> Iterator[CheckFinding]:
    """The numbering findings, in document order."""
    counters: dict[int, int] = {}
    level_kinds: dict[int, str] = {}
    previous_level = 0
    for p in paras:
        level = lay.level(p.index)
        if level is None:
            continue
        where = (p.index, p.text)
        label = lay.labels.get(p.index)
        look = exp.roles[f"heading{level}"]
        if label is not None and look.numbered:
            yield finding(
                "numbering.typed",
                where,
                _("numbered by Word (the template's heading styles number themselves)"),
                _("“{label}” typed by hand", label=p.text.strip()[: label.length].strip()),
                _(
                    "the template numbers its headings: a number typed by hand repeats the "
                    "automatic one; remove it"
                ),
            )
        if p.numbered and not look.numbered:
            yield finding(
                "numbering.auto",
                where,
                _("the label written as text in the heading (as “一、”)"),
                _("Word's automatic numbering"),
                _(
                    "the heading uses Word's automatic numbering: its number may change on "
                    "another computer or when saved again, and is lost when copied"
                ),
                "warning",
            )
        if level > previous_level + 1:
            expected_kind = exp.kinds[previous_level] if previous_level < len(exp.kinds) else ""
            yield finding(
                "numbering.level_skip",
                where,
                _(
                    "a level-{level} heading ({label})",
                    level=previous_level + 1,
                    label=_sample(expected_kind),
                )
                if previous_level
                else _("a level-1 heading ({label})", label=_sample(exp.kinds[0]))
                if exp.kinds
                else _("a level-1 heading"),
                _("a level-{level} heading", level=level),
                _(
                    "a level is skipped: the heading after the last one has a label of a level "
                    "further down"
                ),
            )
        previous_level = level
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if label is None:
            continue
        yield from _kind(where, level, label.kind, level_kinds, exp)
        expected = counters.get(level, 0) + 1
        if label.number > expected:
            yield finding(
                "numbering.jump",
                where,
                _("number {n} ({label})", n=expected, label=_number(label.kind, expected)),
                _number(label.kind, label.number),
                _(
                    "a number is skipped: the next level-{level} heading is {label}",
                    level=level,
                    label=_number(label.kind, expected),
                ),
            )
        elif label.number < expected:
            yield finding(
                "numbering.repeat",
                where,
                _number(label.kind, expected),
                _number(label.kind, label.number),
                _(
                    "a number repeats or goes back: the next level-{level} heading is {label}",
                    level=level,
                    label=_number(label.kind, expected),
                ),
            )
        counters[level] = label.number
    for items in lay.lists:
        yield from _list_sequence(paras, lay, items)


def _list_sequence(
    paras: tuple[ParaInfo, ...], lay: Layout, items: list[int]
) -> Iterator[CheckFinding]:
    """A numbered list typed as text counts 1, 2, 3… (said once per list)."""
    expected = 1
    for index in items:
        label = lay.labels[index]
        where = (index, paras[index - 1].text)
        if label.number != expected:
            code = "numbering.jump" if label.number > expected else "numbering.repeat"
            yield finding(
                code,
                where,
                _number(label.kind, expected),
                _number(label.kind, label.number),
                _(
                    "the next numbered paragraph is {label}",
                    label=_number(label.kind, expected),
                ),
            )
            return
        expected += 1


def _kind(
    where: tuple[int, str],
    level: int,
    kind: str,
    level_kinds: dict[int, str],
    exp: Expectations,
) -> Iterator[CheckFinding]:
    first = level_kinds.setdefault(level, kind)
    want = exp.kinds[level - 1] if level - 1 < len(exp.kinds) else None
    if first != kind:
        yield finding(
            "numbering.mixed",
            where,
            _("“{label}” throughout the level", label=_sample(first)),
            f"“{_sample(kind)}”",
            _(
                "the level-{level} headings mix two labels, “{first}” and “{second}”",
                level=level,
                first=_sample(first),
                second=_sample(kind),
            ),
        )
    elif want and kind != want and first is kind and level_kinds.get(-level) is None:
        level_kinds[-level] = kind  # said once per level
        yield finding(
            "numbering.style",
            where,
            f"“{_sample(want)}”",
            f"“{_sample(kind)}”",
            _(
                "the template's level-{level} headings are labelled “{label}”",
                level=level,
                label=_sample(want),
            ),
        )


def _number(kind: str, n: int) -> str:
    if kind == "cn、":
        return f"{to_chinese(n)}、"
    if kind == "(cn)":
        return f"（{to_chinese(n)}）"
    if kind == "(n)":
        return f"（{n}）"
    if kind == "circled":
        return circled(n) if 1 <= n <= 50 else str(n)
    if kind in ("n、", "n.", "n)"):
        return f"{n}{kind[1]}"
    return str(n)
