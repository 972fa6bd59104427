"""Page checks: paper size, margins, 版心, lines per page, characters per line, page numbers.

All compared with the template's own last section (``w:sectPr``) and footers; a millimetre
of difference is allowed (Word rounds millimetres to twips).  Lines per page and characters
per line come from the body's line spacing (or the document grid) and size: GB/T 9704's
22 lines of 28 characters in 三号 on a 156 × 225 mm 版心.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from docgen.checking._expect import (
    Expectations,
    RoleLook,
    chars_per_line,
    lines_per_page,
)
from docgen.checking._layout import Layout
from docgen.checking._model import CheckFinding, finding, size_text
from docgen.checking._read import (
    DocxDocument,
    PageSetup,
    ParaInfo,
    Styles,
    attr,
    paragraph_info,
    to_int,
)
from docgen.ooxml import W, parse_xml

_MM = 56.7  # twips in a millimetre
_PAPERS = {(11906, 16838): "A4", (12240, 15840): "Letter", (10319, 14571): "B5"}
_SIDES = (("top", "上"), ("bottom", "下"), ("left", "左"), ("right", "右"))


def _mm(twips: int) -> str:
    return f"{twips / _MM:.0f}"


def _paper(page: PageSetup) -> str:
    name = next(
        (
            n
            for (w, h), n in _PAPERS.items()
            if abs(w - page.width) < 60 and abs(h - page.height) < 60
        ),
        None,
    )
    size = f"{_mm(page.width)}×{_mm(page.height)} mm"
    return f"{size}（{name}）" if name else size


def _margins(page: PageSetup) -> str:
    return " ".join(f"{label}{_mm(getattr(page, side))}" for side, label in _SIDES) + " mm"


def body_look(doc: DocxDocument, lay: Layout) -> tuple[RoleLook, int]:
    """The look most of the document's body paragraphs have, and their character spacing."""
    body = [p for p in doc.paragraphs if lay.roles.get(p.index) == "body"]
    if body:
        line, rule, size, sid = Counter(
            (p.line, p.line_rule, p.size_pt, p.style_id) for p in body
        ).most_common(1)[0][0]
    else:
        default = doc.styles.default_paragraph
        chain = doc.styles.ppr_chain(None, default)
        half = to_int(attr(doc.styles.rpr_chain(None, None, default), "sz", "val"))
        line, rule = (
            to_int(attr(chain, "spacing", "line")),
            attr(chain, "spacing", "lineRule") or "auto",
        )
        size, sid = (half / 2 if half else None), default
    spacing = to_int(attr(doc.styles.rpr_chain(None, None, sid), "spacing", "val")) or 0
    return RoleLook(sid, None, size or 10.0, line, rule, 0.0, "left", False), spacing


def check_page(doc: DocxDocument, lay: Layout, exp: Expectations) -> Iterator[CheckFinding]:
    """The page findings (no paragraph)."""
    page, want = doc.page, exp.page
    if abs(page.width - want.width) > _MM or abs(page.height - want.height) > _MM:
        yield finding("page.size", None, _paper(want), _paper(page), f"纸张应为{_paper(want)}")
    if any(abs(getattr(page, side) - getattr(want, side)) > _MM for side, _ in _SIDES):
        yield finding("page.margin", None, _margins(want), _margins(page), "页边距与模板不同")
    if (
        abs(page.text_width - want.text_width) > _MM
        or abs(page.text_height - want.text_height) > _MM
    ):
        yield finding(
            "page.type_area",
            None,
            f"{_mm(want.text_width)}×{_mm(want.text_height)} mm",
            f"{_mm(page.text_width)}×{_mm(page.text_height)} mm",
            "版心（页面除去页边距）尺寸与模板不同",
        )
    look, spacing = body_look(doc, lay)
    lines, want_lines = lines_per_page(page, look), exp.lines_per_page
    if lines != want_lines:
        yield finding(
            "page.lines",
            None,
            f"每页 {want_lines} 行",
            f"每页约 {lines} 行",
            "每页行数与模板不同（行距或版心高度不同）",
        )
    chars, want_chars = chars_per_line(page, look, spacing), exp.chars_per_line
    if chars != want_chars:
        yield finding(
            "page.chars",
            None,
            f"每行 {want_chars} 字",
            f"每行约 {chars} 字",
            "每行字数与模板不同（字号、字距或版心宽度不同）",
        )
    yield from _page_numbers(doc, exp)


def _page_number(xml: bytes, styles: Styles, part: str) -> ParaInfo | None:
    """The footer paragraph holding a PAGE field, or None."""
    root = parse_xml(xml, part)
    for p in root.iter(f"{W}p"):
        instr = " ".join(
            [t.text or "" for t in p.iter(f"{W}instrText")]
            + [f.get(f"{W}instr", "") for f in p.iter(f"{W}fldSimple")]
        )
        if re.search(r"\bPAGE\b", instr):
            return paragraph_info(p, 0, styles, False)
    return None


def _form(p: ParaInfo) -> str:
    return re.sub(r"\d+", "1", p.text.strip())


def _page_numbers(doc: DocxDocument, exp: Expectations) -> Iterator[CheckFinding]:
    if not exp.footers:
        return
    want = {
        kind: info
        for kind, xml in exp.footers.items()
        if (info := _page_number(xml, exp.styles, f"footer ({kind})")) is not None
    }
    if not want:
        return
    found = {
        kind: info
        for kind, xml in doc.page.footers.items()
        if (info := _page_number(xml, doc.styles, f"footer ({kind})")) is not None
    }
    odd_want = want.get("default") or next(iter(want.values()))
    if not found:
        yield finding(
            "page.number", None, f"页脚中的页码“{_form(odd_want)}”", "没有页码", "页脚中没有页码"
        )
        return
    odd = found.get("default") or next(iter(found.values()))
    if _form(odd) != _form(odd_want):
        yield finding(
            "page.number_style",
            None,
            f"“{_form(odd_want)}”",
            f"“{_form(odd)}”",
            "页码的写法与模板不同（公文用半角阿拉伯数字，左右各加一条一字线：— 1 —）",
        )
    elif odd_want.size_pt and abs((odd.size_pt or 10.0) - odd_want.size_pt) > 0.25:
        yield finding(
            "page.number_style",
            None,
            size_text(odd_want.size_pt),
            size_text(odd.size_pt),
            f"页码字号应为{size_text(odd_want.size_pt)}",
        )
    names = {"left": "居左", "right": "居右", "center": "居中", "both": "居左"}
    if odd.jc != odd_want.jc:
        yield finding(
            "page.number_position",
            None,
            f"单页{names.get(odd_want.jc, odd_want.jc)}",
            f"单页{names.get(odd.jc, odd.jc)}",
            "单页（奇数页）页码位置与模板不同",
        )
    even_want = want.get("even")
    if even_want is not None and exp.page.even_and_odd:
        even = found.get("even") if doc.page.even_and_odd else None
        if even is None or even.jc != even_want.jc:
            yield finding(
                "page.number_position",
                None,
                f"双页{names.get(even_want.jc, even_want.jc)}（奇偶页不同）",
                f"双页{names.get(even.jc, even.jc)}" if even is not None else "奇偶页页码相同",
                "双页（偶数页）页码位置与模板不同：公文页码单页居右、双页居左",
            )
