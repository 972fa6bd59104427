"""The paragraphs every importer produces, the result it returns, and helpers over runs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Union

import attrs

from docgen.cn.numbering import Label
from docgen.cn.typography import SPACES as _SPACE
from docgen.errors import DataError, Text
from docgen.i18n import lazy
from docgen.model import Block, Paragraph, Report, Run


@attrs.frozen
class ImportResult:
    """What an importer recovered: the report, and what it had to guess or leave out.

    Each warning starts with the source's name, e.g. ``summary.txt: heading 「三、注重结合」 is
    numbered 3 where 2 was expected (a number is skipped)``.

    The warnings are kept as messages (:attr:`messages`, made with ``warnings=``) and become
    text in the language active when :attr:`warnings` is read, not the one of the import.
    """

    report: Report
    messages: list[Text] = attrs.field(factory=list, alias="warnings")

    @property
    def warnings(self) -> list[str]:
        """The warnings, in the current language."""
        return [str(message) for message in self.messages]


# --- the paragraphs the assembler reads --------------------------------------------------------


@attrs.define
class _Para:
    """One paragraph as read from the source, with what the source says about its role."""

    runs: list[Run]
    level: int | None = None  # an explicit heading level (Markdown #, a Word heading style)
    role: str | None = None  # "title" | "signature" | "caption"
    centred: bool = False
    indent: bool = True
    list_kind: str | None = None  # Word list paragraphs: "bullet" | "number"
    list_id: str = ""
    list_start: int = 1

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


_Item = Union[_Para, Block]  # noqa: UP007 - a runtime alias on 3.10


def _input_lines(text: object, source: str) -> list[str]:
    r"""The lines of an importer's input: a str, without a BOM, any newline convention.

    >>> _input_lines("\ufeff小结\r\n一、学习\r内容", "<text>")
    ['小结', '一、学习', '内容']
    """
    if not isinstance(text, str):
        raise DataError(
            lazy("is not text"),
            where=source,
            expected=lazy("a str"),
            found=lazy("a {kind}", kind=type(text).__name__),
            code="argument.invalid",
        )
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _fold(text: str) -> str:
    """Full-width digits and letters to ASCII, for matching only (never in the output)."""
    return text.translate(_FOLD)


_FOLD = str.maketrans(
    "０１２３４５６７８９ＯｏＸｘ",
    "0123456789OoXx",
)


def _merge_runs(runs: Iterable[Run]) -> list[Run]:
    """Adjacent runs with the same emphasis joined; empty runs dropped."""
    out: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if out and attrs.evolve(out[-1], text="") == attrs.evolve(run, text=""):
            out[-1] = attrs.evolve(out[-1], text=out[-1].text + run.text)
        else:
            out.append(run)
    return out


def _strip_runs(runs: Sequence[Run]) -> list[Run]:
    """Runs without the paragraph's leading and trailing white space (indenting 　　 too)."""
    out = _merge_runs(runs)
    while out and not out[0].text.lstrip(_SPACE + "\n\r"):
        out.pop(0)
    while out and not out[-1].text.rstrip(_SPACE + "\n\r"):
        out.pop()
    if out:
        out[0] = attrs.evolve(out[0], text=out[0].text.lstrip(_SPACE + "\n\r"))
        out[-1] = attrs.evolve(out[-1], text=out[-1].text.rstrip(_SPACE + "\n\r"))
    return out


def _drop_prefix(runs: Sequence[Run], count: int) -> list[Run]:
    """Runs without their first *count* characters."""
    out: list[Run] = []
    for run in runs:
        if count >= len(run.text):
            count -= len(run.text)
            continue
        out.append(attrs.evolve(run, text=run.text[count:]) if count else run)
        count = 0
    return out


def _heading_like(label: Label) -> bool:
    """Short, and no sentence ends before its end: a heading rather than body text."""
    body = label.rest.rstrip("。；;，,：:！!？?" + _SPACE)
    return 0 < len(body) <= 40 and re.search("[。！？!?]", body) is None


def _body_paragraph(p: _Para) -> Paragraph:
    return Paragraph(p.runs, indent=p.indent)


class _Warn:
    """Collects warnings, each prefixed with the source's name."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.messages: list[Text] = []

    def __call__(self, message: Text) -> None:
        # translated when read (ImportResult.warnings), in the language active then
        self.messages.append(lazy("{where}: {message}", where=self.source, message=message))


def _quote(text: str, limit: int = 30) -> str:
    text = text.replace("\n", " ")
    return "「" + (text if len(text) <= limit else text[: limit - 1] + "…") + "」"
