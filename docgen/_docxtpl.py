"""docxtpl's XML preprocessing, reused without its document object.

docxtpl merges Jinja tags that Word split across runs, moves ``{%p %}``/``{%tr %}``/``{%tc %}``/
``{%r %}`` and ``{{p }}``/``{{r }}`` tags out of their paragraph, row, cell or run, handles
``{% colspan %}``, ``{% cellbg %}``, ``{% vm %}``/``{% hm %}`` and turns Word's curly quotes
inside tags back into straight ones.  That work is well kept upstream, so docgen calls it
rather than rewriting it.  Both methods are pure string transformations that never touch the
instance, so they run on an instance without a loaded document.
"""

from __future__ import annotations

import re

from docxtpl import DocxTemplate

from docgen.body import resolve_rich

__all__ = ["postprocess", "preprocess"]

_STATELESS: DocxTemplate = object.__new__(DocxTemplate)
# DocxTemplate forwards unknown attributes to ``self.docx``; give it one so a lookup of a
# missing attribute (by doctest collection, say) fails at once instead of recursing.
_STATELESS.docx = None

# docxtpl reads only ASCII quotes in tags; Word and WPS autocorrect also writes full-width
# quotes and brackets there.  Read those as their ASCII forms inside tags.
# (Brackets and commas are left alone: inside a string literal they are the user's text.)
_FULLWIDTH = str.maketrans({"＂": '"', "＇": "'"})
_IN_TAG = re.compile(r"(?<=\{[\{%])(.*?)(?=[\}%]\})", re.DOTALL)


def preprocess(xml: str) -> str:
    """Part XML → Jinja source, one ``<w:p>`` a line (so a line number names a paragraph)."""
    src: str = _STATELESS.patch_xml(xml)
    src = _IN_TAG.sub(lambda m: m.group(0).translate(_FULLWIDTH), src)
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", src)


def postprocess(xml: str) -> str:
    r"""Rendered Jinja output → part XML.

    Undoes the line breaks and the ``{_{`` escapes, splits runs holding rich markers, and
    turns the ``\a`` (new paragraph) and ``\t`` (tab) markers values carry into Word XML.
    """
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = resolve_rich(xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if "\a" in xml or "\t" in xml:
        xml = _STATELESS.resolve_listing(xml)
    return xml
