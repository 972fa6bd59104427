"""``docgen fix``: a Word document re-laid out by a template, without losing a sentence.

:func:`fix` imports a ``.docx`` into a :class:`~docgen.Report` (title, outline, lists,
tables, pictures), makes its punctuation full-width next to Chinese and its dates GB/T 9704's
(2014年1月5日), renders it with a template (default ``official``) and returns the document
with the list of what changed (:class:`Change`).  The text before and after is compared
sentence by sentence; a fix that would lose one is refused (``fix.text_lost``).

Modules: the text a fix changes and keeps (``_text``), the report made ready for the
template (``_report``), a 公文's 附注 and 版记 taken into the template's fields
(``_tail``), the changes told paragraph by paragraph (``_changes``), and ``fix``
itself (``_fix``).  The package is ``docgen.fixing``, not ``docgen.fix``, so that
``docgen.fix`` is always the function.
"""

from docgen.fixing._changes import KINDS, Change, kind_name
from docgen.fixing._fix import FixResult, fix

#: The name :mod:`docgen` exports :class:`Change` under (``docgen.FixChange``).
FixChange = Change

__all__ = ["KINDS", "Change", "FixChange", "FixResult", "fix", "kind_name"]
