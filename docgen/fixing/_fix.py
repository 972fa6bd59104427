"""``fix()``: a document imported, its words fixed, re-rendered, and checked to keep its text."""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence

import attrs

from docgen.checking._check import check
from docgen.checking._expect import expectations
from docgen.checking._layout import layout
from docgen.checking._model import excerpt
from docgen.checking._read import ParaInfo, Styles, paragraph_info, read_docx
from docgen.errors import DataError, DocgenWarning
from docgen.files import source_bytes
from docgen.fixing._changes import Change, changes
from docgen.fixing._report import fill_fields, fix_report, place_head
from docgen.fixing._tail import take_tail
from docgen.fixing._text import lost_sentences
from docgen.i18n import lazy, lazy_join, lazy_ngettext
from docgen.importers import import_docx
from docgen.ooxml import DOCUMENT, Package, W, parse_xml
from docgen.rendering import Document, render
from docgen.template import Template

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SHOWN_LOST = 5


@attrs.frozen
class FixResult:
    """A fixed document and what the fix changed.

    Attributes:
        document: the document re-rendered with the template (:class:`docgen.Document`:
            ``save()``, ``to_bytes()``).
        changes: what changed, in the order of the paragraphs before the fix
            (:class:`Change`: ``kind``, ``paragraph``, ``excerpt``, ``before``, ``after``).
        warnings: what the import had to guess or leave out, and the render's warnings.
    """

    document: Document
    changes: list[Change] = attrs.field(factory=list)
    warnings: list[str] = attrs.field(factory=list)


def fix(
    source: str | os.PathLike[str] | bytes,
    *,
    template: str | os.PathLike[str] | Template = "official",
    template_dirs: Sequence[str | os.PathLike[str]] = (),
) -> FixResult:
    """The Word document *source* re-laid out by *template*, its punctuation and dates fixed.

    The document is imported (:func:`docgen.import_docx`: the title, the outline, lists,
    tables and pictures), its half-width punctuation next to Chinese made full-width and its
    dates written without leading zeros (2014年1月5日), and rendered with *template* (default
    ``official``, GB/T 9704-2012), which numbers the headings and sets every face, size and
    spacing.  A 主送 line under the title becomes the template's ``recipients``, a 公文's
    附注 and 版记 after the date its ``note``, ``cc``, ``printed_by`` and ``printed_date``;
    parts the document does not have (a 红头, a 发文字号) are left out, never invented.

    No sentence is lost: the text before and after is compared (only heading labels,
    punctuation width, date forms and white space may differ), and a fix that would drop a
    sentence is refused.  Nothing is written: save ``result.document`` yourself.

    >>> import docgen
    >>> summary = docgen.render(docgen.load_report("examples/party-branch-summary.yaml"))
    >>> result = fix(summary.to_bytes(), template="official")
    >>> sorted({c.kind for c in result.changes})
    ['编号']
    >>> [f.code for f in docgen.check(result.document.to_bytes(), template="official")]
    ['date.signature_form']

    (The summary is signed “2014年1月”: GB/T 9704 asks for the day too, which a fix cannot
    know, so it stays as the document has it.)

    Raises:
        DataError: *source* cannot be read or is not a ``.docx`` (``data.*`` codes); the
            template needs a part the document does not have (``fix.missing_part``, naming
            it); the fixed document would lose text (``fix.text_lost``, naming the first
            words of each lost sentence).
        TemplateNotFoundError: no such template.
    """
    tpl = Template.load(template, template_dirs=template_dirs)
    data, name = source_bytes(source)
    body, tail = take_tail(data, name, tpl)
    imported = import_docx(body, source=name)
    exp = expectations(tpl)
    before = read_docx(data)
    lay_before = layout(before.paragraphs, exp)
    report = place_head(imported.report, before.paragraphs, lay_before, tpl)
    report = attrs.evolve(report, extra={**tail, **report.extra})
    report = fill_fields(fix_report(report), tpl, name)
    with warnings.catch_warnings():  # returned in FixResult.warnings, never emitted
        warnings.simplefilter("ignore", DocgenWarning)
        document = render(attrs.evolve(report, template=None), tpl)
    fixed = document.to_bytes()
    after = read_docx(fixed)
    lost = lost_sentences(
        [p.text for p in (*before.paragraphs, *_text_boxes(data, name))],
        [p.text for p in (*after.paragraphs, *_text_boxes(fixed, "<fixed>"))],
    )
    if lost:
        shown = lazy_join(lazy(", "), [f"“{excerpt(s)}”" for s in lost[:_SHOWN_LOST]])
        more = lazy(" and {n} more", n=len(lost) - _SHOWN_LOST) if len(lost) > _SHOWN_LOST else ""
        raise DataError(
            lazy_ngettext(
                "would lose {n} sentence when re-laid out by the template {template}: "
                "{sentences}{more}; nothing was written",
                "would lose {n} sentences when re-laid out by the template {template}: "
                "{sentences}{more}; nothing was written",
                len(lost),
                template=tpl.name,
                sentences=shown,
                more=more,
            ),
            where=name,
            expected=lazy(
                "every sentence of the document kept (only labels, punctuation width, date "
                "forms and spaces may change); text the importer cannot carry (a 页眉, a "
                "field…) stops a fix: correct that part by hand"
            ),
            found=lazy_ngettext(
                "{n} sentence missing after the fix",
                "{n} sentences missing after the fix",
                len(lost),
            ),
            code="fix.text_lost",
        )
    found = (check(data, template=tpl), check(fixed, template=tpl))
    lays = (lay_before, layout(after.paragraphs, exp))
    return FixResult(
        document,
        changes(before.paragraphs, after.paragraphs, lays, found),
        [*imported.warnings, *document.warnings],
    )


def _text_boxes(data: bytes, name: str) -> list[ParaInfo]:
    """The paragraphs of the body's text boxes (:func:`read_docx` reads the body's own)."""
    pkg = Package.from_bytes(data, name)
    root = parse_xml(pkg.parts[DOCUMENT], DOCUMENT)
    styles = Styles(pkg.parts.get("word/styles.xml"))
    out: list[ParaInfo] = []
    for box in root.iter(f"{W}txbxContent"):
        parent = box.getparent()
        fallback = False
        while parent is not None:
            fallback = fallback or parent.tag == _MC_FALLBACK
            parent = parent.getparent()
        if not fallback:
            out.extend(paragraph_info(p, 0, styles, False) for p in box.iter(f"{W}p"))
    return out
