"""docxtpl's XML preprocessing, reused without its document object.

docxtpl merges Jinja tags that Word split across runs, moves ``{%p %}``/``{%tr %}``/``{%tc %}``/
``{%r %}`` and ``{{p }}``/``{{r }}`` tags out of their paragraph, row, cell or run, and handles
``{% colspan %}``, ``{% cellbg %}``, ``{% vm %}``/``{% hm %}``.  That work is well kept
upstream, so docgen calls its ``patch_xml`` rather than rewriting it: a pure string
transformation that never touches the instance, so it runs on an instance without a loaded
document, when a template is compiled (never during a render).  What docxtpl does after a
render is done by :mod:`docgen.postrender`, on the part's tree.

Word and WPS autocorrect writes curly quotes (“ ” ‘ ’) and, with a Chinese input
method, full-width punctuation (＂ ＇ （ ） ［ ］ 【 】 ｜ ， ＝ …) inside tags.  docgen
reads those as their ASCII forms inside a tag, but never inside a string literal:
``{{ "（初稿）" }}`` keeps its brackets, while ``{{ d|cn_date（‘long’） }}`` reads as
``{{ d|cn_date('long') }}``.  Curly quotes delimit string literals themselves, so a literal
typed as ``“他说‘好’”`` keeps its inner quotes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import attrs

__all__ = ["NormalizedTag", "preprocess", "preprocess_noting", "read_tag", "unescape_literals"]


@functools.cache
def _patch_xml() -> Callable[[str], str]:
    """Docxtpl's ``patch_xml``, on an instance without a document (docxtpl loaded on first use).

    Importing docxtpl imports python-docx: a render of a cached template never needs either.
    """
    from docxtpl import DocxTemplate  # noqa: PLC0415 - only when a template is compiled

    stateless = object.__new__(DocxTemplate)
    # DocxTemplate forwards unknown attributes to ``self.docx``; give it one so a lookup of a
    # missing attribute fails at once instead of recursing.
    stateless.docx = None
    patch: Callable[[str], str] = stateless.patch_xml
    return patch


# docxtpl's own clean-up turns every curly quote inside a tag into an ASCII one, string literals
# included.  Curly quotes are swapped for Unicode noncharacters (never in a real document) before
# docxtpl sees them and read here instead, knowing where string literals are.
_CURLY = "“”‘’"
_STAND_IN = "\ufdd0\ufdd1\ufdd2\ufdd3"
_PROTECT = str.maketrans(_CURLY, _STAND_IN)
_RESTORE = str.maketrans(_STAND_IN, _CURLY)
_DOUBLE = frozenset("“”＂\ufdd0\ufdd1")
_SINGLE = frozenset("‘’＇\ufdd2\ufdd3")
# Full-width ASCII punctuation (U+FF01–FF5E) read as ASCII, except the braces (a stray ｝ would
# close the tag early) and the quotes (handled as string delimiters above); plus the brackets
# and the space a Chinese input method types for [ ] and space.
_PUNCT: dict[str, str] = {
    chr(code): chr(code - 0xFEE0)
    for code in range(0xFF01, 0xFF5F)
    if not chr(code - 0xFEE0).isalnum() and chr(code - 0xFEE0) not in "{}\"'"
}
_PUNCT.update({"【": "[", "】": "]", "\u3000": " "})
_OPEN = re.compile(r"\{\{|\{%")
# Quotes stored as XML character references (some tools write every " as &quot;): docxtpl reads
# the part with lxml, which turns them back into quotes, so a tag reads as it looks in Word.
_QUOTES = {"&quot;": '"', "&#34;": '"', "&#x22;": '"', "&apos;": "'", "&#39;": "'", "&#x27;": "'"}
_QUOTE_REF = re.compile("|".join(re.escape(ref) for ref in _QUOTES), re.IGNORECASE)
_CLOSE = {"{{": "}}", "{%": "%}"}


@attrs.define(frozen=True)
class NormalizedTag:
    """A tag whose curly or full-width punctuation docgen read as ASCII.

    Attributes:
        offset: where the tag starts in the preprocessed source.
        written: the tag as the document holds it (after docxtpl joined its pieces).
        read: the tag as Jinja reads it.
    """

    offset: int
    written: str
    read: str


def read_tag(inner: str) -> str:
    """The inside of a tag with curly and full-width punctuation read as ASCII.

    String literals keep their text; a literal delimited by curly quotes gets ASCII ones.

    >>> read_tag(" d|cn_date（‘long’） ")
    " d|cn_date('long') "
    >>> read_tag(' "（初稿）" if x ＝＝ 1 ')
    ' "（初稿）" if x == 1 '
    >>> read_tag(" “他说‘好’” ")
    ' "他说‘好’" '
    """
    out: list[str] = []
    i, n = 0, len(inner)
    while i < n:
        c = inner[i]
        if c in "\"'":  # an ASCII literal: copied as it is, escapes included
            j = i + 1
            while j < n and inner[j] != c:
                j += 2 if inner[j] == "\\" else 1
            out.append(inner[i : j + 1])
            i = j + 1
            continue
        family = '"' if c in _DOUBLE else "'" if c in _SINGLE else None
        if family is not None:
            closers = _DOUBLE if family == '"' else _SINGLE
            j = next((k for k in range(i + 1, n) if inner[k] in closers), -1)
            if j < 0:  # a lone quote: read it as ASCII, Jinja says what is wrong
                out.append(family)
                i += 1
                continue
            body = inner[i + 1 : j].replace(family, "\\" + family)
            out.append(family + body + family)
            i = j + 1
            continue
        out.append(_PUNCT.get(c, c))
        i += 1
    return "".join(out)


def preprocess_noting(xml: str) -> tuple[str, tuple[NormalizedTag, ...]]:
    r""":func:`preprocess`, and every tag whose punctuation was read as ASCII.

    >>> src, notes = preprocess_noting('<w:p><w:r><w:t>{{ d|cn_date(“long”) }}</w:t></w:r></w:p>')
    >>> src
    '\n<w:p><w:r><w:t xml:space="preserve">{{ d|cn_date("long") }}</w:t></w:r></w:p>'
    >>> notes[0].written, notes[0].read
    ('{{ d|cn_date(“long”) }}', '{{ d|cn_date("long") }}')
    """
    # If a document holds the stand-ins itself (it never should), docxtpl's reading is kept.
    protected = not any(ch in xml for ch in _STAND_IN)
    if protected:
        xml = xml.translate(_PROTECT)
    src = _patch_xml()(xml)
    src = re.sub(r"<w:p([ >])", r"\n<w:p\1", src)
    out: list[str] = []
    notes: list[NormalizedTag] = []
    length = 0
    i = 0
    while (m := _OPEN.search(src, i)) is not None:
        close = _CLOSE[m.group()]
        end = src.find(close, m.end())
        if end < 0:
            break
        inner = src[m.end() : end]
        decoded = _QUOTE_REF.sub(lambda r: _QUOTES[r.group().lower()], inner)
        read = read_tag(decoded)
        head = src[i : m.end()]
        out.append(head)
        out.append(read)
        if read != decoded:  # a quote stored as a reference is XML's spelling, not a typo
            notes.append(
                NormalizedTag(
                    length + len(head) - 2,
                    (m.group() + inner + close).translate(_RESTORE),
                    (m.group() + read + close).translate(_RESTORE),
                )
            )
        length += len(head) + len(read)
        i = end
    out.append(src[i:])
    result = "".join(out)
    return (result.translate(_RESTORE) if protected else result), tuple(notes)


def preprocess(xml: str) -> str:
    """Part XML → Jinja source, one ``<w:p>`` a line (so a line number names a paragraph)."""
    return preprocess_noting(xml)[0]


# docxtpl's escapes for a literal ``{{`` in a template's text: ``{_{`` prints ``{{`` (and so on).
# docxtpl rewrites them in the rendered XML, where a value's text could hold them too; docgen
# rewrites them once, in the compiled source, outside tags: a value is printed as it is.
_ESCAPES = {"{_{": "{{", "}_}": "}}", "{_%": "{%", "%_}": "%}"}
_ESCAPE = re.compile("|".join(re.escape(e) for e in _ESCAPES))
_TAG_OR_TEXT = re.compile(r"({{.*?}}|{%.*?%}|{#.*?#})", re.DOTALL)


def unescape_literals(source: str) -> str:
    """Jinja source in which docxtpl's ``{_{`` escapes outside tags print ``{{`` & co.

    >>> unescape_literals("<w:t>{_{ x }_} {{ y }}</w:t>")
    "<w:t>{{ '{{' }} x {{ '}}' }} {{ y }}</w:t>"
    """
    if "_" not in source or not _ESCAPE.search(source):
        return source
    pieces = _TAG_OR_TEXT.split(source)
    for n in range(0, len(pieces), 2):  # even pieces are text between tags
        pieces[n] = _ESCAPE.sub(lambda m: "{{ '" + _ESCAPES[m.group()] + "' }}", pieces[n])
    return "".join(pieces)
