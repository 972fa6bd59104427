"""What a check finds: :class:`CheckFinding`, and the table of codes it may carry."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

import attrs

from docgen.cn.typography import FONT_SIZES

Severity = Literal["error", "warning"]

#: Every code :func:`docgen.check` reports, with what it means (中文 / English).
CODES: Mapping[str, str] = MappingProxyType(
    {
        # -- page --
        "page.size": "纸张大小不符 / paper size differs",
        "page.margin": "页边距不符 / a page margin differs",
        "page.type_area": "版心尺寸不符 / the type area (版心) differs",
        "page.lines": "每页行数不符 / lines per page differ",
        "page.chars": "每行字数不符 / characters per line differ",
        "page.number": "没有页码 / no page number",
        "page.number_style": "页码样式不符（“— 1 —”、字号）/ page-number form or size differs",
        "page.number_position": "页码位置不符（单页居右、双页居左）/ page-number position differs",
        # -- text --
        "text.title_font": "标题字体不符 / title face differs",
        "text.title_size": "标题字号不符 / title size differs",
        "text.heading_font": "层次标题字体不符 / heading face differs",
        "text.heading_size": "层次标题字号不符 / heading size differs",
        "text.body_font": "正文字体不符 / body face differs",
        "text.body_size": "正文字号不符 / body size differs",
        "text.line_spacing": "行距不符 / line spacing differs",
        "text.indent": "首行缩进不符（应空二字）/ first-line indent differs",
        "text.alignment": "对齐方式不符 / alignment differs",
        "text.empty_paragraph": "用空段落调整间距 / empty paragraphs used for spacing",
        "text.line_break": "段落中有手动换行符 / manual line break inside a paragraph",
        # -- numbering --
        "numbering.jump": "序号跳号 / a number is skipped",
        "numbering.repeat": "序号重复或倒退 / a number repeats or goes back",
        "numbering.mixed": "同一层级混用不同序号 / two label forms at one level",
        "numbering.style": "序号形式与模板不符 / the label form differs from the template's",
        "numbering.level_skip": "层次越级 / a heading level is skipped",
        "numbering.typed": "手工输入了模板自动编排的序号 / typed numbers, the template numbers",
        "numbering.auto": "用了 Word 自动编号 / Word's automatic numbering on a heading",
        # -- punctuation --
        "punct.half_width": "中文中用了半角标点 / half-width marks in Chinese text",
        "punct.mixed_quotes": "引号混用 / mixed quotation marks",
        "punct.mixed_brackets": "括号不配对或全半角混用 / mismatched brackets",
        "punct.doc_number": "发文字号未用六角括号〔〕/ 发文字号 without 〔〕",
        "punct.doubled": "标点重复 / doubled punctuation",
        # -- dates and numbers --
        "date.leading_zero": "日期中月、日前加了“0” / a leading zero in a date",
        "date.zero": "年份数字“〇”写作“零”或“○” / 零 or ○ for 〇 in a year",
        "date.signature_form": "成文日期写法不符 / the signature date's form",
        "date.signature_position": "成文日期位置不符 / the signature date's position",
        # -- 公文 elements --
        "elements.doc_number": "发文字号不规范或缺失 / 发文字号 malformed or missing",
        "elements.recipients": "主送机关应居左顶格 / recipients not flush left",
        "elements.attachment": "附件说明不规范 / the attachment note's form",
        "elements.signature": "落款不完整 / incomplete signature block",
        "elements.colophon": "版记不规范 / the 版记 (抄送、印发) form or place",
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
        message: what is wrong, in Chinese.
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
        where = f"第{self.paragraph}段“{self.excerpt}”" if self.paragraph else "页面"
        return f"{where} [{self.code}] {self.message}（应为：{self.expected}；实为：{self.found}）"


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


def size_text(points: float | None) -> str:
    """A size as a 字号 and points: ``三号（16磅）``; ``未设置`` for None.

    >>> size_text(16), size_text(13)
    ('三号（16磅）', '13磅')
    """
    if points is None:
        return "未设置（Word 默认 10 磅）"
    name = next((n for n, s in FONT_SIZES.items() if abs(s - points) < 0.01), None)
    return f"{name}（{points:g}磅）" if name else f"{points:g}磅"
