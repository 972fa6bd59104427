"""The 公文 elements (GB/T 9704-2012 §7), where the template has them.

发文字号, 主送机关, 附件说明, 落款 (署名 and 成文日期) and 版记 (抄送、印发).

A template "has" an element when its manifest declares the field docgen fills it from
(``doc_number``, ``recipients``, ``cc``/``printed_by``); the attachment note and the
signature are every report template's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from docgen.checking._expect import HEADINGS, Expectations
from docgen.checking._layout import COLOPHON, Layout
from docgen.checking._model import CheckFinding, finding
from docgen.checking._punct import DOC_NUMBER
from docgen.checking._read import ParaInfo
from docgen.cn.numbering import parse_label
from docgen.cn.typography import SPACES
from docgen.i18n import _

_ATTACHMENT_HEAD = re.compile(rf"^[{SPACES}]*附件[{SPACES}]*[：:][{SPACES}]*")
_TRAILING_MARK = re.compile("[。；;，,、.：:]$")
_CONTENT = frozenset({"body", "attachment", "org", "date", "recipients", *HEADINGS})


def check_elements(
    paras: tuple[ParaInfo, ...], lay: Layout, exp: Expectations
) -> Iterator[CheckFinding]:
    """The findings on the 公文 elements."""
    yield from _doc_number(paras, lay, exp)
    if lay.recipients is not None and "recipients" in exp.fields:
        p = paras[lay.recipients - 1]
        indent = p.indent_chars(p.size_pt or 16.0)
        if abs(indent) > 0.3 or p.left_twips > 100 or p.jc in ("center", "right"):
            yield finding(
                "elements.recipients",
                (p.index, p.text),
                _("flush left (not indented)"),
                _("indented {chars:g} characters", chars=indent)
                if p.jc not in ("center", "right")
                else _("centred or right-aligned"),
                _("the recipients (主送机关) stand flush left, one blank line under the title"),
            )
    yield from _attachments(paras, lay)
    yield from _signature(paras, lay, exp)
    if {"cc", "printed_by"} & exp.fields:
        yield from _colophon(paras, lay)


def _doc_number(
    paras: tuple[ParaInfo, ...], lay: Layout, exp: Expectations
) -> Iterator[CheckFinding]:
    found = False
    for p in paras:
        m = DOC_NUMBER.search(p.text) if len(p.text.strip()) <= 40 else None
        if m is None:
            continue
        found = True
        problems: list[str] = []
        if len(m["year"]) != 4:
            problems.append(_("the year is written in full (four digits)"))
        if m["di"]:
            problems.append(_("no 第 before the number"))
        if m["num"].startswith("0"):
            problems.append(_("no leading zero in the number (1号, not 01号)"))
        if problems:
            year = m["year"] if len(m["year"]) == 4 else f"20{m['year'][-2:]}"
            yield finding(
                "elements.doc_number",
                (p.index, p.text),
                f"{m['org']}〔{year}〕{int(m['num'])}号",
                m.group(),
                _("document number (发文字号): {problems}", problems=_("; ").join(problems)),
            )
    issuer = any(paras[i - 1].red for i in lay.head)
    if issuer and not found and "doc_number" in exp.fields:
        first = paras[lay.head[0] - 1]
        yield finding(
            "elements.doc_number",
            (first.index, first.text),
            _("a document number (发文字号) under the issuer's mark, as “徐教〔2014〕1号”"),
            _("no document number"),
            _("a 版头 (the issuer's mark) without a document number (发文字号)"),
        )


def _attachments(paras: tuple[ParaInfo, ...], lay: Layout) -> Iterator[CheckFinding]:
    note = False
    for p in paras:
        if p.in_table or lay.roles.get(p.index) != "attachment":
            note = False if lay.roles.get(p.index) not in ("empty",) else note
            continue
        text = p.text.strip()
        head = _ATTACHMENT_HEAD.match(text)
        if head is None and not note:
            continue
        note = True
        rest = text[head.end() :] if head else text.strip(SPACES)
        if not rest:
            continue
        where = (p.index, p.text)
        label = parse_label(rest)
        if label is not None and label.kind != "n.":
            yield finding(
                "elements.attachment",
                where,
                _("attachments numbered “1.”"),
                rest[: label.length].strip(),
                _("the attachment note numbers its items with Arabic numerals and a dot (1. 2.)"),
            )
        elif _TRAILING_MARK.search(rest):
            yield finding(
                "elements.attachment",
                where,
                _("no punctuation after an attachment's name"),
                rest[-1],
                _("an attachment's name takes no punctuation after it"),
            )


def _signature(
    paras: tuple[ParaInfo, ...], lay: Layout, exp: Expectations
) -> Iterator[CheckFinding]:
    if lay.date is None:
        if "doc_number" in exp.fields and lay.title:
            last = next((p for p in reversed(paras) if p.text.strip() and not p.in_table), None)
            if last is not None:
                yield finding(
                    "elements.signature",
                    (last.index, last.text),
                    _("a signature and signature date after the body (or the attachment note)"),
                    _("no signature date"),
                    _("a 公文 has a signature date (under the signature, as “2014年1月15日”)"),
                )
        return
    if lay.org is None:
        p = paras[lay.date - 1]
        yield finding(
            "elements.signature",
            (p.index, p.text),
            _("a signature (the issuing body's or school's name) above the date"),
            _("only the date"),
            _(
                "the signature block has no signature: the line above the date names the "
                "issuing body or school"
            ),
            "warning",
        )


def _colophon(paras: tuple[ParaInfo, ...], lay: Layout) -> Iterator[CheckFinding]:
    lines = [p for p in paras if p.text.strip() and COLOPHON.search(p.text.strip())]
    if not lines:
        return
    start = lines[0].index
    after = next(
        (
            p
            for p in paras
            if p.index > start and not p.in_table and lay.roles.get(p.index) in _CONTENT
        ),
        None,
    )
    if after is not None:
        yield finding(
            "elements.colophon",
            (after.index, after.text),
            _("the 版记 (抄送、印发) at the end of the last page, with no text after it"),
            _("text after the 版记"),
            _("the 版记 stands at the bottom of the 公文's last page"),
        )
    for p in lines:
        text = p.text.strip()
        if text.startswith(("抄送", "抄报", "分送")) and not text.endswith("。"):
            yield finding(
                "elements.colophon",
                (p.index, p.text),
                _("a full stop (。) after the names of the 抄送 line"),
                _("ends with “{mark}”", mark=text[-1]),
                _("the last name of the 版记's 抄送 line takes a full stop (。)"),
            )
        elif text.endswith("印发") and not re.search(
            r"[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日印发$", text
        ):
            yield finding(
                "elements.colophon",
                (p.index, p.text),
                _("the printing office and date, as “……办公室 2014年1月15日印发”"),
                text,
                _(
                    "the printing date (印发日期) is the full year, month and day in Arabic "
                    "numerals, followed by 印发"
                ),
            )
