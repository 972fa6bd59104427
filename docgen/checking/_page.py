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
from docgen.i18n import Message, _, lazy
from docgen.ooxml import W, parse_xml

_MM = 56.7  # twips in a millimetre
_PAPERS = {(11906, 16838): "A4", (12240, 15840): "Letter", (10319, 14571): "B5"}
_SIDES: tuple[tuple[str, Message], ...] = (
    ("top", lazy("top {mm}")),
    ("bottom", lazy("bottom {mm}")),
    ("left", lazy("left {mm}")),
    ("right", lazy("right {mm}")),
)


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
    return _("{size} ({paper})", size=size, paper=name) if name else size


def _margins(page: PageSetup) -> str:
    sides = " ".join(_(label.msgid, mm=_mm(getattr(page, side))) for side, label in _SIDES)
    return f"{sides} mm"


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
        yield finding(
            "page.size",
            None,
            _paper(want),
            _paper(page),
            _("the paper should be {paper}", paper=_paper(want)),
        )
    if any(abs(getattr(page, side) - getattr(want, side)) > _MM for side, _ in _SIDES):
        yield finding(
            "page.margin",
            None,
            _margins(want),
            _margins(page),
            _("the margins differ from the template's"),
        )
    if (
        abs(page.text_width - want.text_width) > _MM
        or abs(page.text_height - want.text_height) > _MM
    ):
        yield finding(
            "page.type_area",
            None,
            f"{_mm(want.text_width)}×{_mm(want.text_height)} mm",
            f"{_mm(page.text_width)}×{_mm(page.text_height)} mm",
            _("the type area (the page less its margins) differs from the template's"),
        )
    look, spacing = body_look(doc, lay)
    lines, want_lines = lines_per_page(page, look), exp.lines_per_page
    if lines != want_lines:
        yield finding(
            "page.lines",
            None,
            _("{n} lines a page", n=want_lines),
            _("about {n} lines a page", n=lines),
            _(
                "the lines per page differ from the template's (the line spacing or the type "
                "area's height differs)"
            ),
        )
    chars, want_chars = chars_per_line(page, look, spacing), exp.chars_per_line
    if chars != want_chars:
        yield finding(
            "page.chars",
            None,
            _("{n} characters a line", n=want_chars),
            _("about {n} characters a line", n=chars),
            _(
                "the characters per line differ from the template's (the size, the character "
                "spacing or the type area's width differs)"
            ),
        )
    yield from _page_numbers(doc, exp)


_POSITIONS: dict[str, Message] = {
    "left": lazy("at the left"),
    "both": lazy("at the left"),
    "right": lazy("at the right"),
    "center": lazy("in the centre"),
}


def _side(jc: str) -> str:
    """Where a page number stands, in the current language."""
    name = _POSITIONS.get(jc)
    return jc if name is None else str(name)


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
            "page.number",
            None,
            _("the page number “{form}” in the footer", form=_form(odd_want)),
            _("no page number"),
            _("the footer has no page number"),
        )
        return
    odd = found.get("default") or next(iter(found.values()))
    if _form(odd) != _form(odd_want):
        yield finding(
            "page.number_style",
            None,
            f"“{_form(odd_want)}”",
            f"“{_form(odd)}”",
            _(
                "the page number is written differently from the template's (a 公文 uses "
                "half-width Arabic numerals with a dash on each side: — 1 —)"
            ),
        )
    elif odd_want.size_pt and abs((odd.size_pt or 10.0) - odd_want.size_pt) > 0.25:
        yield finding(
            "page.number_style",
            None,
            size_text(odd_want.size_pt),
            size_text(odd.size_pt),
            _("the page number's size should be {size}", size=size_text(odd_want.size_pt)),
        )
    if odd.jc != odd_want.jc:
        yield finding(
            "page.number_position",
            None,
            _("odd pages: {alignment}", alignment=_side(odd_want.jc)),
            _("odd pages: {alignment}", alignment=_side(odd.jc)),
            _("the page number's position on odd pages differs from the template's"),
        )
    even_want = want.get("even")
    if even_want is not None and exp.page.even_and_odd:
        even = found.get("even") if doc.page.even_and_odd else None
        if even is None or even.jc != even_want.jc:
            yield finding(
                "page.number_position",
                None,
                _(
                    "even pages: {alignment} (odd and even pages differ)",
                    alignment=_side(even_want.jc),
                ),
                _("even pages: {alignment}", alignment=_side(even.jc))
                if even is not None
                else _("the same page numbers on odd and even pages"),
                _(
                    "the page number's position on even pages differs from the template's: a "
                    "公文 numbers odd pages at the right, even pages at the left"
                ),
            )
