"""A 公文's tail — 附注 and 版记 below the signature date — taken into the template's fields.

GB/T 9704 puts the 附注 (“（联系人：……）”, §7.3.6) on the line under the 成文日期 and the
版记 (“抄送：……。”, “…… 2014年1月15日印发”, §7.4) at the end, often in a table or under a
rule.  Left in the body, those lines hide the signature from the importer (it reads the last
lines) and become body text.  :func:`take_tail` finds them at the end of ``word/document.xml``
— every block after the signature date must be one of them, empty, or a rule — and returns
the document without them and the ``official`` template's fields they fill: ``note``,
``cc``, ``printed_by``, ``printed_date``.  A tail it does not wholly recognise, or a template
without those fields, leaves the document as it is: its text stays in the body.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from typing import Any

from lxml import etree

from docgen.checking._layout import is_date
from docgen.cn.typography import SPACES
from docgen.errors import DocgenError
from docgen.ooxml import DOCUMENT, Package, W, parse_xml
from docgen.template import Template

__all__ = ["take_tail"]

_NOTE = re.compile(rf"[{SPACES}]*[（(](?P<note>[^（）()]+)[）)][{SPACES}]*")
_CC = re.compile(rf"[{SPACES}]*抄[{SPACES}]*送[{SPACES}]*[：:](?P<cc>.+?)[。.]?[{SPACES}]*")
_PRINTED = re.compile(
    rf"[{SPACES}]*(?P<by>\S.*?)[{SPACES}\t]+(?P<date>\d{{4}}\s*年.+?)[{SPACES}]*印[{SPACES}]*发"
    rf"[{SPACES}]*"
)
_BLOCKS = (f"{W}p", f"{W}tbl", f"{W}sdt")
_PICTURES = (f"{W}drawing", f"{W}pict", f"{W}object")


def _text(el: etree._Element) -> str:
    """The visible text of a paragraph: its w:t, with w:tab as a tab."""
    return "".join(
        "\t" if node.tag == f"{W}tab" else node.text or "" for node in el.iter(f"{W}t", f"{W}tab")
    )


def _paragraphs(block: etree._Element) -> Iterator[etree._Element]:
    yield from ([block] if block.tag == f"{W}p" else block.iter(f"{W}p"))


def _field(text: str, fields: Mapping[str, object]) -> dict[str, Any] | None:
    """The fields one line of the tail fills, or None when it is no 附注 or 版记 line."""
    if (m := _NOTE.fullmatch(text)) and "note" in fields:
        return {"note": m["note"].strip(SPACES)}
    if (m := _CC.fullmatch(text)) and "cc" in fields:
        return {"cc": m["cc"].strip(SPACES)}
    m = _PRINTED.fullmatch(text)
    if m and "printed_by" in fields and "printed_date" in fields:
        date = is_date(m["date"])
        if date is not None and date[1] == "long":  # re-rendered as 2014年1月15日
            return {"printed_by": m["by"].strip(SPACES), "printed_date": date[0]}
    return None


def take_tail(data: bytes, name: str, template: Template) -> tuple[bytes, dict[str, Any]]:
    """*data* without its 附注 and 版记, and the template fields they fill.

    Returns *data* itself and ``{}`` when the blocks after the signature date are not all
    附注 or 版记 lines (or empty paragraphs, rules, tables of such lines), when a field
    would be filled twice, or when the template has none of these fields.
    """
    fields = template.manifest.fields
    if not {"note", "cc", "printed_by"} & set(fields):
        return data, {}
    try:
        pkg = Package.from_bytes(data, name)
        root = parse_xml(pkg.parts[DOCUMENT], DOCUMENT)
    except DocgenError:
        return data, {}  # the importer says what is wrong with it
    body = root.find(f"{W}body")
    tail, found = _tail(body, fields) if body is not None else ([], {})
    if not found:
        return data, {}
    for block in tail:
        block.getparent().remove(block)
    pkg.parts[DOCUMENT] = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, content in pkg.parts.items():
            zf.writestr(part, content)
    return out.getvalue(), found


def _tail(
    body: etree._Element, fields: Mapping[str, object]
) -> tuple[list[etree._Element], dict[str, Any]]:
    """The blocks after the signature date and the fields they fill; ``{}`` if not all do."""
    found: dict[str, Any] = {}
    tail: list[etree._Element] = []
    for block in reversed([b for b in body if b.tag in _BLOCKS]):
        texts = [_text(p).strip() for p in _paragraphs(block)]
        if any(block.iter(*_PICTURES)):
            return [], {}
        if block.tag == f"{W}p" and is_date(texts[0]) is not None:
            return tail, found  # the signature date
        for text in filter(None, texts):
            filled = _field(text, fields)
            if filled is None or set(filled) & set(found):
                return [], {}
            found.update(filled)
        tail.append(block)
    return [], {}  # no signature date: not a 公文's tail
