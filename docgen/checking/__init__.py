"""``docgen check``: where a Word document departs from a template's conventions.

:func:`check` reads a ``.docx`` as Word would show it — each paragraph's faces, sizes,
spacing, indent and alignment through its style chain — and compares it with a template's
manifest and styles (default ``official``, GB/T 9704-2012): the page, the text of each role
(title, headings per level, body), the heading numbering, the punctuation, the dates and the
公文 elements.  Each :class:`CheckFinding` has a stable code (:data:`CODES`), the paragraph's
number and first words, what was expected and what was found.

The package holds one module per concern: reading (``_read``), the template's expectations
(``_expect``), each paragraph's role (``_layout``), and the checks of the page, text,
numbering, punctuation and dates, and 公文 elements.
"""

from docgen.checking._check import check
from docgen.checking._model import CODES, CheckFinding

__all__ = ["CODES", "CheckFinding", "check"]
