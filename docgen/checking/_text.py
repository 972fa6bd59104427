"""Text checks: faces, sizes, spacing, indent, alignment, empty paragraphs, line breaks.

Faces and sizes per role, line spacing, first-line indent, alignment, empty paragraphs used
for spacing, manual line breaks inside paragraphs.

Each paragraph is compared with the template's look for its role (:mod:`._layout`): the East
Asian face of every run holding Chinese, the size of every run with text, and the paragraph's
spacing, indent and alignment as Word resolves them (direct → style → basedOn → defaults).
The 版头, table cells and the 版记 are left to the element checks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from docgen.checking._expect import HEADINGS, Expectations, RoleLook, layout_key, same_face
from docgen.checking._layout import Layout
from docgen.checking._model import CheckFinding, alignment_name, finding, size_text
from docgen.checking._read import ParaInfo
from docgen.cn.typography import has_east_asian
from docgen.i18n import Message, _, lazy, ngettext

_ROLE_NAMES: Mapping[str, Message] = MappingProxyType(
    {
        "title": lazy("title"),
        "heading1": lazy("level-1 heading"),
        "heading2": lazy("level-2 heading"),
        "heading3": lazy("level-3 heading"),
        "heading4": lazy("level-4 heading"),
        "body": lazy("body text"),
        "recipients": lazy("recipients line"),
        "list_number": lazy("numbered list"),
        "list_item": lazy("numbered paragraph"),
        "list_bullet": lazy("bulleted list"),
        "attachment": lazy("attachment note"),
        "signature": lazy("signature"),
        "org": lazy("signature"),
        "date": lazy("signature date"),
        "caption": lazy("caption"),
    }
)


def role_name(role: str) -> str:
    """A paragraph role as teachers name it, in the current language; else *role* itself."""
    name = _ROLE_NAMES.get(role)
    return role if name is None else str(name)


# Roles written in another role's look: the 署名 and date lines are the signature role's.
_LOOK_OF = {"org": "signature", "date": "signature", "recipients": "body", "list_item": "body"}
# Roles whose spacing, indent and alignment are checked (the others have their own layout).
_LAID_OUT = frozenset({"body", *HEADINGS})
_ALLOWED_AFTER_EMPTY = frozenset({"attachment", "org", "date", "signature", "colophon"})


def _codes(role: str) -> tuple[str, str]:
    if role == "title":
        return "text.title_font", "text.title_size"
    if role in HEADINGS:
        return "text.heading_font", "text.heading_size"
    return "text.body_font", "text.body_size"


def spacing_text(line: int | None, rule: str) -> str:
    """A line spacing as Word's dialog names it, in the current language.

    >>> from docgen.i18n import use_language
    >>> with use_language("zh"):
    ...     spacing_text(579, "exact"), spacing_text(276, "auto"), spacing_text(None, "auto")
    ('固定值 28.95 磅', '1.15 倍行距', '单倍行距')
    >>> with use_language("en"):
    ...     spacing_text(579, "exact"), spacing_text(276, "auto"), spacing_text(None, "auto")
    ('exactly 28.95 pt', 'multiple 1.15', 'single')
    """
    if line is None or (rule not in ("exact", "atLeast") and line == 240):
        return _("single")
    if rule == "exact":
        return _("exactly {points:g} pt", points=line / 20)
    if rule == "atLeast":
        return _("at least {points:g} pt", points=line / 20)
    return _("multiple {lines:g}", lines=round(line / 240, 2))


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
                alignment_name("center"),
                alignment_name(p.jc),
                _("the title is centred"),
            )
        if any(r.breaks for r in p.runs) and p.text.strip():
            yield finding(
                "text.line_break",
                (p.index, p.text),
                _("one paragraph mark (Enter) a paragraph"),
                ngettext(
                    "{n} manual line break (Shift+Enter)",
                    "{n} manual line breaks (Shift+Enter)",
                    sum(r.breaks for r in p.runs),
                ),
                _(
                    "a manual line break splits the paragraph, leaving half-lines once the "
                    "layout changes: make separate paragraphs or remove it"
                ),
                "warning",
            )
    yield from _empty_paragraphs(paras, lay)


def _faces(p: ParaInfo, role: str, look: RoleLook) -> Iterator[CheckFinding]:
    font_code, size_code = _codes(role)
    name = role_name(role)
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
                wrong.east_asia or _("no Chinese face set (Word chooses one)"),
                _("the {role}'s Chinese face should be {face}", role=name, face=look.face),
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
                _("the {role}'s size should be {size}", role=name, size=size_text(want)),
            )


def _layout(p: ParaInfo, role: str, look: RoleLook) -> Iterator[CheckFinding]:
    name = role_name(role)
    where = (p.index, p.text)
    if not _same_spacing(p, look):
        yield finding(
            "text.line_spacing",
            where,
            spacing_text(look.line, look.line_rule),
            spacing_text(p.line, p.line_rule),
            _(
                "the {role}'s line spacing differs from the template's (and so do the lines "
                "per page)",
                role=name,
            ),
        )
    if p.jc in ("center", "right"):
        if look.jc not in ("center", "right"):
            yield finding(
                "text.alignment",
                where,
                alignment_name(look.jc),
                alignment_name(p.jc),
                _(
                    "the {role} should not be {alignment}",
                    role=name,
                    alignment=alignment_name(p.jc),
                ),
            )
        return
    if look.jc != p.jc and {look.jc, p.jc} != {"both", "distribute"}:
        yield finding(
            "text.alignment",
            where,
            alignment_name(look.jc),
            alignment_name(p.jc),
            _("the {role} should be {alignment}", role=name, alignment=alignment_name(look.jc)),
            "warning",
        )
    indent = p.indent_chars(p.size_pt or look.size_pt or 16.0)
    if abs(indent - look.indent_chars) > 0.3:
        yield finding(
            "text.indent",
            where,
            _("first-line indent {chars:g} characters", chars=look.indent_chars),
            _("first-line indent {chars:g} characters", chars=round(indent, 1))
            if indent >= 0
            else _("hanging indent {chars:g} characters", chars=round(-indent, 1)),
            _(
                "the {role}'s first line is indented {chars:g} characters (not with spaces)",
                role=name,
                chars=look.indent_chars,
            )
            if look.indent_chars
            else _("the {role}'s first line is not indented", role=name),
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
                    _("space before and after paragraphs, or a page break"),
                    ngettext(
                        "{n} empty paragraph in a row", "{n} empty paragraphs in a row", len(run)
                    ),
                    _(
                        "empty paragraphs (Enter pressed again and again) used for spacing: "
                        "the layout breaks as soon as the text changes; remove them"
                    ),
                    "warning",
                )
            run = []
        if p is not None:
            before = lay.roles.get(p.index)
