"""The imported report made ready for its template: its words fixed, its 主送 line placed.

:func:`fix_report` applies :func:`~docgen.fixing._text.fix_text` to every text of a report,
paragraph by paragraph; :func:`fill_fields` gives the template's fields what the document
itself says (the 主送 line under the title) and refuses, naming the missing part, where a
field the template needs is not in the document: a fix never invents content.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from docgen.checking._layout import Layout
from docgen.checking._punct import DOC_NUMBER
from docgen.checking._read import ParaInfo
from docgen.errors import DataError
from docgen.fixing._text import canonical, fix_runs, fix_text
from docgen.i18n import Message, lazy, lazy_join, lazy_ngettext
from docgen.model import Paragraph, Report, map_text
from docgen.template import Template

#: The longest 主送 line taken from a document (“各中小学、幼儿园、少年宫、青少年活动中心：”).
_RECIPIENTS_MAX = 60
_COLONS = ("：", ":")

#: What each field a fix fills from the document is, for the error that says it is missing
#: (a :class:`~docgen.i18n.Message`: English, or Chinese when shown under Chinese).
PARTS: dict[str, Message] = {
    "recipients": lazy(
        "recipients (主送机关: a line flush left under the title, ending in “：”, as "
        "“各教研组、年级组：”)"
    ),
    "issuer_mark": lazy("an issuer's mark (发文机关标志: the body's name in red in the 版头)"),
    "doc_number": lazy("a document number (发文字号, as “徐教〔2014〕1号”)"),
}


def fix_report(report: Report) -> Report:
    """*report* with :func:`fix_text` applied to every text, a paragraph's runs together."""
    return map_text(report, fix_text, runs=fix_runs)


def place_head(
    report: Report, paras: Sequence[ParaInfo], lay: Layout, template: Template
) -> Report:
    """*report* with the 版头 and title the document has, as :func:`docgen.check` reads them.

    The importer takes the first line for the title; in a 公文 that is the red 发文机关标志.
    Here the title is the paragraphs :func:`docgen.check` reads as the title (lines of a
    title broken by hand joined with a line break), and the 版头 above it fills the
    template's ``issuer_mark`` (the red line) and ``doc_number`` (徐教〔2014〕1号) when the
    template has those fields; otherwise its lines stay in the text.
    """
    by_index = {p.index: p for p in paras}
    lines = [by_index[i].text.strip() for i in lay.title if by_index[i].text.strip()]
    if not lines:
        return report
    full = report.title + (f"（{report.status}）" if report.status else "")
    if not lay.head and canonical(full) == canonical("".join(lines)):
        return report
    fields = template.manifest.fields
    extra: dict[str, Any] = dict(report.extra)
    taken = set(lines)
    for i in lay.head:
        text = by_index[i].text.strip()
        if by_index[i].red and "issuer_mark" in fields and "issuer_mark" not in extra:
            extra["issuer_mark"] = text
            taken.add(text)
        elif DOC_NUMBER.fullmatch(text) and "doc_number" in fields and "doc_number" not in extra:
            extra["doc_number"] = text
            taken.add(text)
    intro = list(report.intro)
    while intro and isinstance(intro[0], Paragraph) and intro[0].text.strip() in taken:
        del intro[0]
    if report.title.strip() not in taken and full.strip() not in taken:
        intro.insert(0, Paragraph(full, indent=False))  # a line of the 版头 the template lacks
    return attrs.evolve(
        report, title="\n".join(lines), status=None, intro=tuple(intro), extra=extra
    )


def recipients_line(report: Report) -> str | None:
    """The 主送 line: the first paragraph under the title, short and ending in ：.

    >>> recipients_line(Report("通知", intro=["各教研组、年级组：", "现将……通知如下："]))
    '各教研组、年级组'
    >>> recipients_line(Report("通知", intro=["现将有关事项通知如下："])) is None
    True
    """
    first = report.intro[0] if report.intro else None
    if not isinstance(first, Paragraph):
        return None
    text = first.text.strip()
    name = text.rstrip("".join(_COLONS)).strip()
    if (
        not text.endswith(_COLONS)
        or not name
        or len(text) > _RECIPIENTS_MAX
        or any(mark in name for mark in "。！？；：:")
        or any(word in name for word in ("如下", "通知", "现将", "根据", "为了"))
    ):
        return None
    return name


def fill_fields(report: Report, template: Template, source: str) -> Report:
    """*report* with the template's ``recipients`` taken from its 主送 line, if it has one.

    A field the template needs (no default) that the document does not hold is refused with
    a :class:`~docgen.DataError` (``fix.missing_part``) naming the part; fields with a
    default (the official template's 发文机关标志 and 发文字号) are left to it: empty, so
    the part is left out.
    """
    fields = template.manifest.fields
    extra: dict[str, Any] = dict(report.extra)
    if "recipients" in fields and "recipients" not in extra:
        name = recipients_line(report)
        if name is not None:
            extra["recipients"] = name
            report = attrs.evolve(report, intro=report.intro[1:])
    missing = [
        name
        for name, spec in fields.items()
        if spec.required and spec.default is None and name not in extra
    ]
    if missing:
        parts = lazy_join(
            lazy(", "),
            [
                PARTS.get(n) or lazy("{field} ({description})", field=n, description=description)
                for n in missing
                for description in [fields[n].description]
            ],
        )
        raise DataError(
            lazy_ngettext(
                "has no {parts}: the template {template} needs it, and a fix does not invent "
                "content",
                "has no {parts}: the template {template} needs them, and a fix does not invent "
                "content",
                len(missing),
                parts=parts,
                template=template.name,
            ),
            where=source,
            expected=lazy("the document with {parts}, or another template (-t)", parts=parts),
            found=lazy("no such part in the document"),
            code="fix.missing_part",
        )
    return attrs.evolve(report, extra=extra)
