"""Markdown: the headings, paragraphs, lists, tables and images reports are written with."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Union

import attrs

from docgen.cn.typography import joins_without_space
from docgen.errors import DataError
from docgen.i18n import lazy
from docgen.importers._outline import _build
from docgen.importers._paragraphs import (
    ImportResult,
    _input_lines,
    _Item,
    _Para,
    _quote,
    _strip_runs,
    _Warn,
)
from docgen.model import BulletList, Cell, Image, NumberedList, Paragraph, Run, Table

# --- Markdown ----------------------------------------------------------------------------------
#
# A focused parser for the Markdown people write reports in (ATX/setext headings, paragraphs,
# - * + and 1. lists, pipe tables, images, **bold**, *italic*, `code`, links, code fences).
# markdown-it-py is in the development environment only as a dependency of rich; it is not a
# dependency of docgen, and a report needs none of CommonMark's corner cases, so docgen does
# not take one on for this.

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r" {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_BULLET = re.compile(r"([ \t]*)[-*+][ \t]+(.*)")
_ORDERED = re.compile(r"([ \t]*)(\d{1,9})[.)][ \t]+(.*)")
_TABLE_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_QUOTE = re.compile(r" {0,3}>[ \t]?")
_IMAGE = re.compile(r'!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+["\'(](.*?)["\')])?\s*\)')
_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(].*?[\"')])?\s*\)")
_ESCAPABLE = set("\\`*_{}[]()#+-.!|<>~")
_PLAIN = Run("")
_Inline = list[Union[Run, Image]]  # noqa: UP007 - a runtime alias on 3.10


def _inline(text: str, flags: Run = _PLAIN) -> _Inline:
    """Inline Markdown → runs with their emphasis, and images."""
    out: _Inline = []
    buf: list[str] = []
    i = 0
    while i < len(text):
        hit = _inline_at(text, i, flags)
        if hit is None:
            buf.append(text[i])
            i += 1
            continue
        if buf:
            out.append(attrs.evolve(flags, text="".join(buf)))
            buf = []
        pieces, i = hit
        out.extend(pieces)
    if buf:
        out.append(attrs.evolve(flags, text="".join(buf)))
    return out


def _inline_at(text: str, i: int, flags: Run) -> tuple[_Inline, int] | None:  # noqa: PLR0911
    """The inline construct starting at *i* and where it ends, or None for a plain character.

    (One return per construct: escapes, code, images, links, underline, emphasis.)
    """
    c = text[i]
    if c == "\\":
        if i + 1 == len(text):  # a hard line break
            return [attrs.evolve(flags, text="\n")], i + 1
        if text[i + 1] in _ESCAPABLE:
            return [attrs.evolve(flags, text=text[i + 1])], i + 2
    elif c == "`":
        ticks = len(text[i:]) - len(text[i:].lstrip("`"))
        close = text.find("`" * ticks, i + ticks)
        if close != -1:
            return [attrs.evolve(flags, text=text[i + ticks : close].strip(" "))], close + ticks
    elif c == "!" and (m := _IMAGE.match(text, i)):
        caption = m.group(1).strip() or (m.group(3) or "").strip() or None
        return [Image(m.group(2), caption=caption)], m.end()
    elif c == "[" and (m := _LINK.match(text, i)):
        pieces = _inline(m.group(1), flags)
        url, label = m.group(2), m.group(1).strip()
        if url and url != label and not url.startswith("#"):
            pieces.append(attrs.evolve(flags, text=f"（{url}）"))
        return pieces, m.end()
    elif text.startswith("<u>", i) and (close := text.find("</u>", i + 3)) != -1:
        return _inline(text[i + 3 : close], attrs.evolve(flags, underline=True)), close + 4
    elif c in "*_":
        width = min(3, len(text[i:]) - len(text[i:].lstrip(c)))
        end = _closing_delimiter(text, i, c, width)
        if end is None:
            return [attrs.evolve(flags, text=text[i : i + width])], i + width
        inner = attrs.evolve(
            flags, bold=flags.bold or width >= 2, italic=flags.italic or width in (1, 3)
        )
        return _inline(text[i + width : end], inner), end + width
    return None


def _closing_delimiter(text: str, start: int, char: str, width: int) -> int | None:
    """Where the emphasis opened at *start* closes, or None when it is literal text."""
    after = start + width
    if after >= len(text) or text[after].isspace():
        return None
    if char == "_" and start > 0 and text[start - 1].isascii() and text[start - 1].isalnum():
        return None  # snake_case is not emphasis
    delim = char * width
    j = text.find(delim, after + 1)
    while j != -1:
        end = j + width
        alone = end >= len(text) or text[end] != char
        word = char == "_" and end < len(text) and text[end].isascii() and text[end].isalnum()
        if not text[j - 1].isspace() and alone and not word:
            return j
        j = text.find(delim, j + 1)
    return None


def _md_runs(text: str) -> list[Run]:
    """The runs of inline Markdown (images left out), trimmed."""
    return _strip_runs([p for p in _inline(text) if isinstance(p, Run)])


def _md_paragraph(text: str) -> list[_Item]:
    """A Markdown paragraph: text runs, and images in their own blocks where they stand."""
    out: list[_Item] = []
    runs: list[Run] = []
    for part in [*_inline(text), None]:
        if isinstance(part, Run):
            runs.append(part)
            continue
        if "".join(r.text for r in runs).strip():
            out.append(_Para(_strip_runs(runs)))
        runs = []
        if part is not None:
            out.append(part)
    return out


def _join_lines(lines: Sequence[str]) -> str:
    """Soft-wrapped lines joined: no space between Chinese text, one between Latin words."""
    out = ""
    for raw in lines:
        line = raw.strip(" \t")
        if out and not out.endswith("\n"):
            chinese = joins_without_space(out[-1]) or (line and joins_without_space(line[0]))
            out += "" if chinese else " "
        out += line + ("\n" if raw.endswith("  ") else "")
    return out.rstrip("\n")


def _table_cells(line: str, width: int | None = None) -> list[str]:
    line = line.strip()
    line = line.removeprefix("|")
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)]
    return cells if width is None else (cells + [""] * width)[:width]


def _md_table(lines: Sequence[str]) -> Table:
    header = _table_cells(lines[0])
    rows = [header] + [_table_cells(ln, len(header)) for ln in lines[2:]]
    return Table([[Cell([Paragraph(_md_runs(c) or "")]) for c in row] for row in rows])


class _MarkdownBlocks:
    """One pass over the lines of a Markdown document, collecting its blocks."""

    def __init__(self, lines: list[str], warn: _Warn) -> None:
        self.lines = lines
        self.warn = warn
        self.items: list[_Item] = []
        self.para: list[str] = []
        self.list_kind: str | None = None
        self.list_items: list[list[str]] = []
        self.list_start = 1

    def flush(self) -> None:
        if self.para:
            self.items.extend(_md_paragraph(_join_lines(self.para)))
            self.para = []
        if self.list_kind is not None:
            paras = [Paragraph(_md_runs(_join_lines(it)) or "") for it in self.list_items]
            self.items.append(
                BulletList(paras)
                if self.list_kind == "bullet"
                else NumberedList(paras, start=self.list_start)
            )
            self.list_items = []
            self.list_kind = None

    def parse(self) -> list[_Item]:
        i = self.front_matter()
        while i < len(self.lines):
            i = self.line(i)
        self.flush()
        return self.items

    def front_matter(self) -> int:
        lines = self.lines
        if lines and lines[0].strip() == "---":
            end = next((k for k in range(1, len(lines)) if lines[k].strip() in ("---", "...")), 0)
            return end + 1 if end else 0
        return 0

    def line(self, i: int) -> int:  # noqa: PLR0911 - one return per kind of line
        """Read the line at *i* (and any lines its block spans); the next line's index."""
        line = self.lines[i]
        if line.strip().startswith("<!--"):
            self.flush()
            while i < len(self.lines) and "-->" not in self.lines[i]:
                i += 1
            return i + 1
        if not line.strip():
            return self.blank(i)
        if (fence := _FENCE.match(line)) is not None:
            return self.fence(i, fence.group(1))
        if self.para and self.list_kind is None and (setext := _SETEXT.match(line)):
            level = 1 if setext.group(1).startswith("=") else 2
            self.items.append(_Para(_md_runs(_join_lines(self.para)), level=level))
            self.para = []
            return i + 1
        if (atx := _ATX.match(line)) is not None:
            self.flush()
            self.items.append(_Para(_md_runs(atx.group(2) or ""), level=len(atx.group(1))))
            return i + 1
        if _RULE.match(line):
            self.flush()
            return i + 1
        nxt = self.lines[i + 1] if i + 1 < len(self.lines) else ""
        if "|" in line and "-" in nxt and _TABLE_RULE.match(nxt):
            self.flush()
            j = i + 2
            while j < len(self.lines) and "|" in self.lines[j] and self.lines[j].strip():
                j += 1
            self.items.append(_md_table(self.lines[i:j]))
            return j
        return self.text(line, i)

    def blank(self, i: int) -> int:
        if self.para:
            self.items.extend(_md_paragraph(_join_lines(self.para)))
            self.para = []
        if self.list_kind is not None:
            nxt = next((ln for ln in self.lines[i + 1 :] if ln.strip()), "")
            same = (_BULLET if self.list_kind == "bullet" else _ORDERED).match(nxt)
            if not same and not nxt.startswith(("  ", "\t")):
                self.flush()
        return i + 1

    def fence(self, i: int, mark: str) -> int:
        self.flush()
        body: list[str] = []
        i += 1
        while i < len(self.lines) and not self.lines[i].strip().startswith(mark[:3]):
            body.append(self.lines[i])
            i += 1
        self.items.append(Paragraph("\n".join(body), indent=False))
        return i + 1

    def text(self, line: str, i: int) -> int:
        bullet, ordered = _BULLET.match(line), _ORDERED.match(line)
        item = bullet or ordered
        if item is not None:
            kind = "bullet" if bullet else "number"
            if self.para or self.list_kind != kind:
                self.flush()
                self.list_kind = kind
                self.list_start = int(ordered.group(2)) if ordered else 1
            text = item.group(item.lastindex or 0)
            if item.group(1):
                self.warn(
                    lazy("nested list item {item} flattened into its list", item=_quote(text))
                )
            self.list_items.append([text])
        elif self.list_kind is not None and line.startswith(("  ", "\t")):
            self.list_items[-1].append(line)
        else:
            if self.list_kind is not None:
                self.flush()
            quote = _QUOTE.match(line)
            self.para.append(line[quote.end() :] if quote else line)
        return i + 1


def import_markdown(
    text: str, *, source: str = "<markdown>", normalize_punctuation: bool = False
) -> ImportResult:
    r"""Read a report from Markdown.

    The first ``#`` heading is the title (a trailing （初稿） is its status) when it is the only
    one at its level; the other heading levels (``##``, ``###``…) are the section levels.
    Paragraphs, ``-``/``*``/``+`` bullet lists, ``1.`` numbered lists (nested items are
    flattened into their list, with a warning), pipe tables (the header row → ``header_rows=1``),
    images ``![caption](path)`` (the path kept as written), ``**bold**``, ``*italic*``,
    ``<u>underline</u>`` and a trailing signature as in :func:`import_text`.  Soft-wrapped lines
    join without a space between Chinese characters; a line ending in two spaces or ``\`` is
    a line break.  Links keep their text, the URL in brackets after it.

    >>> r = import_markdown("# 小结（初稿）\n\n## 学习\n\n我们**认真**学习。").report
    >>> r.status, r.sections[0].title, r.sections[0].blocks[0].runs[1]
    ('初稿', '学习', Run(text='认真', bold=True, italic=False, underline=False, emphasis=False))

    Raises:
        DataError: the text is empty or not a str.
    """
    warn = _Warn(source)
    items = _MarkdownBlocks(_input_lines(text, source), warn).parse()
    if not any(isinstance(i, _Para) and i.text.strip() for i in items):
        raise DataError(
            lazy("has no text"),
            where=source,
            expected=lazy("a title and paragraphs"),
            code="data.empty",
        )
    first = next((i for i in items if not isinstance(i, _Para) or i.text.strip()), None)
    if isinstance(first, _Para) and first.level is not None:
        same_level = [i for i in items if isinstance(i, _Para) and i.level == first.level]
        if len(same_level) == 1:  # the only # heading: the title
            first.role, first.level = "title", None
    return _build(items, warn, normalize=normalize_punctuation)
