"""``check()``: a document read, laid out against its template, and every check run."""

from __future__ import annotations

import os
from collections.abc import Sequence

from docgen.checking._elements import check_elements
from docgen.checking._expect import expectations
from docgen.checking._layout import layout
from docgen.checking._model import CheckFinding
from docgen.checking._numbering import check_numbering
from docgen.checking._page import check_page
from docgen.checking._punct import check_punctuation
from docgen.checking._read import read_docx
from docgen.checking._text import check_text
from docgen.template import Template


def check(
    source: str | os.PathLike[str] | bytes,
    *,
    template: str | os.PathLike[str] | Template = "official",
    template_dirs: Sequence[str | os.PathLike[str]] = (),
) -> list[CheckFinding]:
    """Where the Word document *source* departs from *template*'s conventions.

    *source* is a ``.docx`` path or its bytes; *template* a template name, path or loaded
    :class:`~docgen.Template` (default ``official``: GB/T 9704-2012).  A document docgen
    rendered with the template has no findings.  The findings come page first, then in
    paragraph order; ``docs/check.md`` lists every code.

    >>> import docgen
    >>> doc = docgen.render(docgen.load_report("examples/official.yaml"))
    >>> check(doc.to_bytes())
    []

    Raises:
        DataError: *source* cannot be read, is not a ``.docx``, or is too big unpacked.
        TemplateNotFoundError: no such template.
    """
    tpl = Template.load(template, template_dirs=template_dirs)
    exp = expectations(tpl)
    doc = read_docx(source)
    lay = layout(doc.paragraphs, exp)
    paras = doc.paragraphs
    found = [
        *check_text(paras, lay, exp),
        *check_numbering(paras, lay, exp),
        *check_punctuation(paras, lay, exp),
        *check_elements(paras, lay, exp),
    ]
    found.sort(key=lambda f: f.paragraph or 0)
    return [*check_page(doc, lay, exp), *found]
