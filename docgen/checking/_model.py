"""What a check finds: :class:`CheckFinding`, and the table of codes it may carry."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

import attrs

from docgen.cn.typography import FONT_SIZES
from docgen.i18n import Message, _, lazy

Severity = Literal["error", "warning"]

#: Every code :func:`docgen.check` reports, with what it means: a :class:`~docgen.i18n.Message`,
#: English, or Chinese when shown under Chinese (``str(CODES["page.margin"])``).
CODES: Mapping[str, Message] = MappingProxyType(
    {
        # -- page --
        "page.size": lazy("the paper size differs"),
        "page.margin": lazy("a page margin differs"),
        "page.type_area": lazy("the type area (版心) differs"),
        "page.lines": lazy("the lines per page differ"),
        "page.chars": lazy("the characters per line differ"),
        "page.number": lazy("no page number"),
        "page.number_style": lazy("the page number's form (“— 1 —”) or size differs"),
        "page.number_position": lazy("the page number's position (odd pages right, even left)"),
        # -- text --
        "text.title_font": lazy("the title's face differs"),
        "text.title_size": lazy("the title's size differs"),
        "text.heading_font": lazy("a heading's face differs"),
        "text.heading_size": lazy("a heading's size differs"),
        "text.body_font": lazy("the body text's face differs"),
        "text.body_size": lazy("the body text's size differs"),
        "text.line_spacing": lazy("the line spacing differs"),
        "text.indent": lazy("the first-line indent differs (two characters)"),
        "text.alignment": lazy("the alignment differs"),
        "text.empty_paragraph": lazy("empty paragraphs used for spacing"),
        "text.line_break": lazy("a manual line break inside a paragraph"),
        # -- numbering --
        "numbering.jump": lazy("a number is skipped"),
        "numbering.repeat": lazy("a number repeats or goes back"),
        "numbering.mixed": lazy("two label forms at one level"),
        "numbering.style": lazy("the label form differs from the template's"),
        "numbering.level_skip": lazy("a heading level is skipped"),
        "numbering.typed": lazy("numbers typed by hand where the template numbers the headings"),
        "numbering.auto": lazy("Word's automatic numbering on a heading"),
        # -- punctuation --
        "punct.half_width": lazy("half-width punctuation in Chinese text"),
        "punct.mixed_quotes": lazy("mixed quotation marks"),
        "punct.mixed_brackets": lazy("brackets unpaired, or full- and half-width mixed"),
        "punct.doc_number": lazy("the document number (发文字号) without 〔〕"),
        "punct.doubled": lazy("doubled punctuation"),
        # -- dates and numbers --
        "date.leading_zero": lazy("a leading zero in a date's month or day"),
        "date.zero": lazy("零 or ○ for 〇 in a year"),
        "date.signature_form": lazy("the signature date's form"),
        "date.signature_position": lazy("the signature date's position"),
        # -- 公文 elements --
        "elements.doc_number": lazy("the document number (发文字号) malformed or missing"),
        "elements.recipients": lazy("the recipients (主送机关) not flush left"),
        "elements.attachment": lazy("the attachment note's form"),
        "elements.signature": lazy("an incomplete signature block (落款)"),
        "elements.colophon": lazy("the 版记 (抄送、印发): its form or place"),
    }
)

_EXCERPT = 12


def excerpt(text: str, length: int = _EXCERPT) -> str:
    """The first words of a paragraph, on one line.

    >>> excerpt("2013学年是学校承上启下的关键年，上承新三年发展规划推动")
    '2013学年是学校承上启…'
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[:length] + "…"


@attrs.define(frozen=True)
class CheckFinding:
    """One place where a document departs from its template's conventions.

    Attributes:
        code: a stable name (``page.margin``, ``text.body_font``, ``numbering.jump``…); the
            table is :data:`docgen.checking.CODES` and ``docs/check.md``.
        paragraph: the paragraph's number (from 1, counting every paragraph of the body in
            reading order, those in tables too), or None for the page and footers.
        excerpt: the paragraph's first words ("" for the page).
        expected: what the template asks for (``三号（16磅）``, ``仿宋``, ``〔2014〕``…).
        found: what the document has.
        message: what is wrong, in the language active when the check ran (English, or
            Chinese under ``LANG=zh_CN.UTF-8``, ``--lang zh`` or
            :func:`docgen.i18n.use_language`); so are the words of ``expected`` and ``found``
            (their Chinese conventions — 字号, faces, labels — are the same in both).
        severity: ``error`` (the convention is broken) or ``warning`` (probably so).
    """

    code: str = attrs.field()
    paragraph: int | None
    excerpt: str
    expected: str
    found: str
    message: str
    severity: Severity = "error"

    @code.validator
    def _known(self, attribute: attrs.Attribute[str], value: str) -> None:
        if value not in CODES:
            raise ValueError(f"code must be one of CODES (got {value!r})")

    def to_dict(self) -> dict[str, str | int | None]:
        """The finding as a JSON-ready mapping."""
        return attrs.asdict(self)

    def __str__(self) -> str:
        return _(
            "{where} [{code}] {message} (expected: {expected}; found: {found})",
            where=place(self.paragraph, self.excerpt),
            code=self.code,
            message=self.message,
            expected=self.expected,
            found=self.found,
        )


def place(paragraph: int | None, excerpt: str) -> str:
    """Where a finding or a change is, in the current language: a paragraph, or the page.

    >>> from docgen.i18n import use_language
    >>> with use_language("zh"):
    ...     place(3, "2013学年是学校承上启…"), place(None, "")
    ('第3段“2013学年是学校承上启…”', '页面')
    >>> with use_language("en"):
    ...     place(3, "2013学年是学校承上启…"), place(None, "")
    ('paragraph 3 “2013学年是学校承上启…”', 'page')
    """
    if paragraph:
        return _("paragraph {n} “{excerpt}”", n=paragraph, excerpt=excerpt)
    return _("page")


def finding(
    code: str,
    paragraph: tuple[int, str] | None,
    expected: str,
    found: str,
    message: str,
    severity: Severity = "error",
) -> CheckFinding:
    """A finding at *paragraph* (its number and text; None for the page)."""
    if paragraph is None:
        return CheckFinding(code, None, "", expected, found, message, severity)
    return CheckFinding(
        code, paragraph[0], excerpt(paragraph[1]), expected, found, message, severity
    )


_ALIGNMENTS: Mapping[str, Message] = MappingProxyType(
    {
        "left": lazy("left-aligned"),
        "both": lazy("justified"),
        "center": lazy("centred"),
        "right": lazy("right-aligned"),
        "distribute": lazy("distributed"),
    }
)


def alignment_name(jc: str) -> str:
    """An alignment (``w:jc``) as Word names it, in the current language; else *jc* itself."""
    name = _ALIGNMENTS.get(jc)
    return jc if name is None else str(name)


def size_text(points: float | None) -> str:
    """A size as a 字号 and points, in the current language; "not set" for None.

    >>> from docgen.i18n import use_language
    >>> with use_language("zh"):
    ...     size_text(16), size_text(13), size_text(None)
    ('三号（16磅）', '13磅', '未设置（Word 默认 10 磅）')
    >>> with use_language("en"):
    ...     size_text(16), size_text(13)
    ('三号 (16 pt)', '13 pt')
    """
    if points is None:
        return _("not set (Word's default, 10 pt)")
    name = next((n for n, s in FONT_SIZES.items() if abs(s - points) < 0.01), None)
    if name:
        return _("{name} ({points:g} pt)", name=name, points=points)
    return _("{points:g} pt", points=points)
