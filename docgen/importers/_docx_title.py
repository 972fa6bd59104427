"""Word ``.docx``: which paragraph is the document's own title.

Word marks a title in three ways: the ``Title`` style, centring, or a heading above all the
others.  Converters add a fourth that is not the document's: pandoc writes the metadata title
(``docProps/core.xml``, often the reference document's own, such as “公文文档”) as a ``Title``
paragraph above the body.  :func:`_choose_title` marks the paragraph that is the title
(``role="title"``) before the shared rules of :mod:`docgen.importers._ends` take it.
"""

from __future__ import annotations

from docgen.cn.numbering import parse_label
from docgen.cn.typography import SPACES as _SPACE
from docgen.i18n import lazy
from docgen.importers._paragraphs import _heading_like, _Item, _Para, _quote, _Warn

# The title stands among the first blocks (the shared rule of docgen.importers._ends).
_TOP = 6


def _choose_title(items: list[_Item], metadata_title: str | None, warn: _Warn) -> None:
    """Mark the document's own title in *items*; drop a converter's copy of the metadata title.

    A ``Title``-style paragraph is the title, unless its text is *metadata_title* and the
    paragraph right after it is title-like (:func:`_title_like`): then it is a copy of the
    file's metadata, removed with a warning, and the paragraph after it is the title.  Without
    a ``Title``-style paragraph, the first paragraph is the title when it is title-like.
    """
    titled = next((i for i in items[:_TOP] if isinstance(i, _Para) and i.role == "title"), None)
    if titled is not None:
        _drop_metadata_copy(items, titled, metadata_title, warn)
        return
    first = next((i for i in items if isinstance(i, _Para)), None)
    if first is not None and _title_like(first, items):
        first.role, first.level = "title", None


def _drop_metadata_copy(
    items: list[_Item], titled: _Para, metadata_title: str | None, warn: _Warn
) -> None:
    if metadata_title is None or _squash(titled.text) != _squash(metadata_title):
        return
    at = next(k for k, i in enumerate(items) if i is titled)
    after = items[at + 1] if at + 1 < len(items) else None
    if not isinstance(after, _Para) or not _title_like(after, items):
        return
    del items[at]
    after.role, after.level = "title", None
    warn(
        lazy(
            "the Title-style paragraph {titled} repeats the file's document-properties title "
            "(docProps/core.xml), as pandoc writes it; the document's own title {title} follows "
            "it and is the title",
            titled=_quote(titled.text.strip()),
            title=_quote(after.text.strip()),
        )
    )


def _title_like(para: _Para, items: list[_Item]) -> bool:
    """Centred, or an unlabelled heading that is the only one at its level or above.

    A labelled heading (一、总则, 1 概述) is a section even when it is the only one.
    """
    if para.centred:
        return True
    if para.level is None:
        return False
    label = parse_label(para.text.strip(_SPACE), bare_numbers=True)
    if label is not None and _heading_like(label):
        return False
    return not any(
        isinstance(i, _Para) and i is not para and i.level is not None and i.level <= para.level
        for i in items
    )


def _squash(text: str) -> str:
    """*text* without white space, to compare titles however they were wrapped.

    >>> _squash(" 公文 文档\\n")
    '公文文档'
    """
    return "".join(text.split())
