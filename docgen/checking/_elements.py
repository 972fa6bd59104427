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
                "居左顶格（不缩进）",
                f"缩进 {indent:g} 字符" if p.jc not in ("center", "right") else "居中或居右",
                "主送机关应在标题下空一行居左顶格编排",
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
        problems = []
        if len(m["year"]) != 4:
            problems.append("年份应标全称（四位）")
        if m["di"]:
            problems.append("序号前不加“第”")
        if m["num"].startswith("0"):
            problems.append("序号不编虚位（1号，不写01号）")
        if problems:
            year = m["year"] if len(m["year"]) == 4 else f"20{m['year'][-2:]}"
            yield finding(
                "elements.doc_number",
                (p.index, p.text),
                f"{m['org']}〔{year}〕{int(m['num'])}号",
                m.group(),
                "发文字号：" + "；".join(problems),
            )
    issuer = any(paras[i - 1].red for i in lay.head)
    if issuer and not found and "doc_number" in exp.fields:
        first = paras[lay.head[0] - 1]
        yield finding(
            "elements.doc_number",
            (first.index, first.text),
            "发文机关标志下方的发文字号，如“徐教〔2014〕1号”",
            "没有发文字号",
            "有版头（发文机关标志）而没有发文字号",
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
                "附件顺序号用“1.”",
                rest[: label.length].strip(),
                "附件说明中的顺序号用阿拉伯数字加下脚点（1. 2.）",
            )
        elif _TRAILING_MARK.search(rest):
            yield finding(
                "elements.attachment",
                where,
                "附件名称后不加标点",
                rest[-1],
                "附件名称后不加标点符号",
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
                    "正文（或附件说明）之后的署名和成文日期",
                    "没有成文日期",
                    "公文应有成文日期（署名之下，如“2014年1月15日”）",
                )
        return
    if lay.org is None:
        p = paras[lay.date - 1]
        yield finding(
            "elements.signature",
            (p.index, p.text),
            "成文日期之上的署名（发文机关或单位名称）",
            "只有日期",
            "落款缺少署名：成文日期上一行应写发文机关或单位名称",
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
            "版记（抄送、印发）排在末页最后，其后没有正文",
            "版记之后还有文字",
            "版记应置于公文最后一页的最下方",
        )
    for p in lines:
        text = p.text.strip()
        if text.startswith(("抄送", "抄报", "分送")) and not text.endswith("。"):
            yield finding(
                "elements.colophon",
                (p.index, p.text),
                "抄送机关名称之后标句号",
                f"以“{text[-1]}”结尾",
                "版记中的抄送机关最后一个名称后标句号",
            )
        elif text.endswith("印发") and not re.search(
            r"[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日印发$", text
        ):
            yield finding(
                "elements.colophon",
                (p.index, p.text),
                "印发机关和印发日期，如“……办公室 2014年1月15日印发”",
                text,
                "印发日期用阿拉伯数字写全年月日，后加“印发”",
            )
