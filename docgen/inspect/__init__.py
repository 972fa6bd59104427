"""``docgen inspect``: what a template uses and what is wrong with it, before any render.

:func:`inspect_template` reads a template the way the renderer does (docxtpl's tag merging,
curly and full-width punctuation read as ASCII) but never stops at the first problem: it parses
every part (body, headers, footers, foot- and endnotes) on its own, reports a Jinja syntax error
and goes on, and looks at the part XML itself for what Jinja cannot see: tags Word split over
runs or paragraphs, tags in text boxes and fields, text a paragraph tag would drop.  Every
finding names the part and the paragraph's visible text, says what is wrong and how to fix it.
The messages live in one table, :data:`MESSAGES`, and are translated when shown
(:mod:`docgen.i18n`).

>>> result = inspect_template("work-summary")
>>> result.errors
[]
>>> sorted(result.variables)
['body', 'signature_block', 'status', 'title']
"""

from __future__ import annotations

from docgen.inspect._inspect import inspect_template
from docgen.inspect._model import MESSAGES, FilterUse, Finding, Inspection, Loop, Place, Variable

__all__ = [
    "MESSAGES",
    "FilterUse",
    "Finding",
    "Inspection",
    "Loop",
    "Place",
    "Variable",
    "inspect_template",
]
