"""Importers: existing plain text, Markdown and Word documents → a :class:`~docgen.model.Report`.

Schools keep years of summaries as ``.doc``/``.docx`` files and pasted text.  These functions
read such a document back into the typed model, so it can be re-rendered with any template and
numbering scheme.  The structure is recovered with the heuristics documented below; whatever
the importer had to guess or could not keep is returned in :attr:`ImportResult.warnings`
(never emitted as Python warnings: the caller decides what to show).

How the structure is found (the same rules for every format):

* **Title** — the first paragraph (a ``# heading`` in Markdown, the ``Title`` style or the
  first centred paragraph or lone top heading in Word; a Word file's metadata title only when
  the body has none, see :func:`import_docx`).  A trailing short parenthesised status —
  （初稿）, (讨论稿), （征求意见稿）… at most eight Chinese characters — becomes ``status``, and a
  term name in the title (2013学年第一学期, 2013—2014学年下学期…) becomes ``term``.
* **Headings** — a paragraph starting with a label of CONVENTIONS §1 in any of its forms
  (一、 （一） (一) 1、 1. 1． 1) （1） (1) ① 1.1 1.1.1, full-width digits too) whose text after
  the label is heading-like: at most 40 characters with no 。！？ before its end.  The label
  is dropped (the template renumbers), the text keeps its own punctuation.  Levels follow the
  order in which label kinds first appear (first kind = level 1 …); when every kind used
  belongs to one scheme (GBT9704 一、（一）1.（1）, SCHOOL 一、1、（1）①, DECIMAL) but first
  appears out of that scheme's order — a section that skips （一） — the scheme's order wins.
  Word heading styles / outline levels and Markdown ``#`` give levels directly.
* **Numbered body text** — two or more consecutive heading-like labelled paragraphs of one kind
  numbered 1, 2, 3… with nothing between them are a :class:`~docgen.model.NumberedList`, not
  headings, when their kind is never used as a heading elsewhere or when they restart at 1
  where that level is already numbered (``1. 备课`` ``2. 上课`` under a ``1、`` heading).  A long
  labelled paragraph (a run-in heading such as “（一）加强领导。各单位要……”) stays a paragraph,
  its label kept.  A jump or a repeat in a heading's numbering (一、 then 三、) is a warning.
* **Closing** — only after the last heading's content, and never its first paragraph: a
  paragraph opening with a *summing-up* phrase (总之, 综上, 总而言之, 回顾…, 短短…, 转眼…,
  一学期来…) starts the closing and everything after it belongs to it; besides, the trailing
  paragraphs that each open with a *forward-looking* phrase (展望, 今后, 下学期, 新的一年,
  最后, 让我们, 2014年已经/即将…) are closing.
* **Signature** — the last paragraph is a date (2014年1月, 2014年1月15日, 二〇一四年一月,
  二〇一四年一月十五日 → ``date_style`` year_month / long / chinese_year_month / chinese) and the
  one before it is a short line without sentence punctuation (the organisation).  A date
  placeholder (20xx年x月, ____年__月__日) is never taken for a date: those lines stay text.
* **Attachments** — a trailing ``附件：1. 名称`` note (GB/T 9704 §7.3.4), one name per line.

Plain text arrives as one paragraph per line; when the whole text is ONE line (paragraphs
collapsed into spaces by a copy from the web), it is split at the spaces that separate
paragraphs (see :func:`import_text`).
"""

from docgen.importers._docx import import_docx
from docgen.importers._files import import_file
from docgen.importers._markdown import import_markdown
from docgen.importers._paragraphs import ImportResult
from docgen.importers._text import import_text

__all__ = ["ImportResult", "import_docx", "import_file", "import_markdown", "import_text"]
