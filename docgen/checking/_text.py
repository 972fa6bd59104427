"""Text checks: faces, sizes, spacing, indent, alignment, empty paragraphs, line breaks.

Faces and sizes per role, line spacing, first-line indent, alignment, empty paragraphs used
for spacing, manual line breaks inside paragraphs.

Each paragraph is compared with the template's look for its role (:mod:`._layout`): the East
Asian face of every run holding Chinese, the size of every run with text, and the paragraph's
spacing, indent and alignment as Word resolves them (direct → style → basedOn → defaults).
The 版头, table cells and the 版记 are left to the element checks.
"""

from __future__ import annotations

from collections.abc import Iterator

from docgen.checking._expect import HEADINGS, Expectations, RoleLook, layout_key, same_face
from docgen.checking._layout import Layout
from docgen.checking._model import CheckFinding, finding, size_text
from docgen.checking._read import ParaInfo
from docgen.cn.typography import has_east_asian

_ROLE_NAMES = {
    "title": "标题",
    "heading1": "一级标题",
    "heading2": "二级标题",
    "heading3": "三级标题",
    "heading4": "四级标题",
    "body": "正文",
    "recipients": "主送机关",
    "list_number": "编号列表",
    "list_item": "编号段落",
    "list_bullet": "项目列表",
    "attachment": "附件说明",
    "signature": "署名",
    "org": "署名",
    "date": "成文日期",
    "caption": "题注",
}
# Roles written in another role's look: the 署名 and date lines are the signature role's.
_LOOK_OF = {"org": "signature", "date": "signature", "recipients": "body", "list_item": "body"}
# Roles whose spacing, indent and alignment are checked (the others have their own layout).
_LAID_OUT = frozenset({"body", *HEADINGS})
_ALIGN_NAMES = {
    "left": "左对齐",
    "both": "两端对齐",
    "center": "居中",
    "right": "右对齐",
    "distribute": "分散对齐",
}
_ALLOWED_AFTER_EMPTY = frozenset({"attachment", "org", "date", "signature", "colophon"})


def _codes(role: str) -> tuple[str, str]:
    if role == "title":
        return "text.title_font", "text.title_size"
    if role in HEADINGS:
        return "text.heading_font", "text.heading_size"
    return "text.body_font", "text.body_size"


def spacing_text(line: int | None, rule: str) -> str:
    """A line spacing as Word's dialog names it.

    >>> spacing_text(579, "exact"), spacing_text(276, "auto"), spacing_text(None, "auto")
    ('固定值 28.95 磅', '1.15 倍行距', '单倍行距')
    """
    if line is None:
        return "单倍行距"
    if rule == "exact":
        return f"固定值 {line / 20:g} 磅"
    if rule == "atLeast":
        return f"最小值 {line / 20:g} 磅"
    return "单倍行距" if line == 240 else f"{round(line / 240, 2):g} 倍行距"


def _same_spacing(p: ParaInfo, look: RoleLook) -> bool:
    if look.line is None and p.line is None:
        return True
    rule = p.line_rule if p.line is not None else "auto"
    want = look.line_rule if look.line is not None else "auto"
    if rule != want:
        return False
    return abs((p.line or 240) - (look.line or 240)) <= (10 if rule != "auto" else 12)


def check_text(
    paras: tuple[ParaInfo, ...], lay: Layout, exp: Expectations
) -> Iterator[CheckFinding]:
    """The text findings, paragraph by paragraph."""
    for p in paras:
        role = lay.roles.get(p.index)
        if p.in_table or role in (None, "head", "empty", "colophon"):
            continue
        look_role = _LOOK_OF.get(role, role)
        look = exp.roles.get(look_role)
        if look is None:
            continue
        yield from _faces(p, role, look)
        if role in _LAID_OUT and layout_key(p) not in exp.own_layouts:
            yield from _layout(p, role, look)
        if role == "title" and look.jc == "center" and p.jc != "center":
            yield finding(
                "text.alignment",
                (p.index, p.text),
                _ALIGN_NAMES["center"],
                _ALIGN_NAMES.get(p.jc, p.jc),
                "标题应居中排布",
            )
        if any(r.breaks for r in p.runs) and p.text.strip():
            yield finding(
                "text.line_break",
                (p.index, p.text),
                "每段一个段落标记（回车）",
                f"{sum(r.breaks for r in p.runs)} 个手动换行符（Shift+Enter）",
                "段落中用手动换行符断行，排版变化后会留下半截行；应分段或删去",
                "warning",
            )
    yield from _empty_paragraphs(paras, lay)


def _faces(p: ParaInfo, role: str, look: RoleLook) -> Iterator[CheckFinding]:
    font_code, size_code = _codes(role)
    name = _ROLE_NAMES.get(role, role)
    if look.face:
        wrong = next(
            (
                r
                for r in p.runs
                if has_east_asian(r.text) and not same_face(r.east_asia, look.face, role=role)
            ),
            None,
        )
        if wrong is not None:
            yield finding(
                font_code,
                (p.index, p.text),
                look.face,
                wrong.east_asia or "未设置中文字体（由 Word 自选）",
                f"{name}的中文字体应为{look.face}",
            )
    if look.size_pt:
        want = look.size_pt
        wrong_size = next(
            (r for r in p.runs if r.text.strip() and abs((r.size_pt or 10.0) - want) > 0.25),
            None,
        )
        if wrong_size is not None:
            yield finding(
                size_code,
                (p.index, p.text),
                size_text(want),
                size_text(wrong_size.size_pt),
                f"{name}的字号应为{size_text(want)}",
            )


def _layout(p: ParaInfo, role: str, look: RoleLook) -> Iterator[CheckFinding]:
    name = _ROLE_NAMES.get(role, role)
    where = (p.index, p.text)
    if not _same_spacing(p, look):
        yield finding(
            "text.line_spacing",
            where,
            spacing_text(look.line, look.line_rule),
            spacing_text(p.line, p.line_rule),
            f"{name}的行距与模板不同（每页行数因此改变）",
        )
    if p.jc in ("center", "right"):
        if look.jc not in ("center", "right"):
            yield finding(
                "text.alignment",
                where,
                _ALIGN_NAMES.get(look.jc, look.jc),
                _ALIGN_NAMES.get(p.jc, p.jc),
                f"{name}不应{_ALIGN_NAMES.get(p.jc, p.jc)}",
            )
        return
    if look.jc != p.jc and {look.jc, p.jc} != {"both", "distribute"}:
        yield finding(
            "text.alignment",
            where,
            _ALIGN_NAMES.get(look.jc, look.jc),
            _ALIGN_NAMES.get(p.jc, p.jc),
            f"{name}应{_ALIGN_NAMES.get(look.jc, look.jc)}",
            "warning",
        )
    indent = p.indent_chars(p.size_pt or look.size_pt or 16.0)
    if abs(indent - look.indent_chars) > 0.3:
        yield finding(
            "text.indent",
            where,
            f"首行缩进 {look.indent_chars:g} 字符",
            f"首行缩进 {round(indent, 1):g} 字符"
            if indent >= 0
            else f"悬挂缩进 {round(-indent, 1):g} 字符",
            f"{name}的首行应缩进 {look.indent_chars:g} 个字（不要用空格缩进）"
            if look.indent_chars
            else f"{name}不应首行缩进",
        )


def _empty_paragraphs(paras: tuple[ParaInfo, ...], lay: Layout) -> Iterator[CheckFinding]:
    """Empty paragraphs standing in for spacing.

    More than one in a row, or one between text paragraphs (one blank line under the title,
    above the 附件 note, the 署名 and the 版记 is the convention).
    """
    body = [p for p in paras if not p.in_table and lay.roles.get(p.index) != "head"]
    run: list[ParaInfo] = []
    before: str | None = None
    for p in [*body, None]:
        if p is not None and lay.roles.get(p.index) == "empty" and not p.page_break:
            run.append(p)
            continue
        if run:
            after = lay.roles.get(p.index) if p is not None else None
            allowed = (
                after is None
                or before is None
                or (len(run) == 1 and (after in _ALLOWED_AFTER_EMPTY or before == "title"))
            )
            if not allowed:
                yield finding(
                    "text.empty_paragraph",
                    (run[0].index, ""),
                    "用段前、段后间距或分页控制空白",
                    f"{len(run)} 个连续的空段落",
                    "用空段落（连按回车）调整间距，内容一改版面就乱；应删去空段落",
                    "warning",
                )
            run = []
        if p is not None:
            before = lay.roles.get(p.index)
