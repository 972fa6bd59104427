"""The raw part XML: where tags really sit (split runs, text boxes, fields, tracked changes)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import attrs
from lxml import etree

from docgen import _docxtpl
from docgen.i18n import Message, lazy, lazy_join
from docgen.inspect._model import Finding, Place, _finding, _listing, _shorten
from docgen.ooxml import W, parse_xml

# --- the raw part XML: where tags really sit -----------------------------------------------------

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_OPEN = re.compile(r"\{\{|\{%|\{#")
_PREFIX = re.compile(r"^\{([{%#])(p|tr|tc|r)\s")
_SLOT_NAMES = ("body", "signature_block")
_KINDS = {"t": "text", "instrText": "code", "delText": "deleted", "delInstrText": "deleted"}


@attrs.define(eq=False)
class _Seg:
    """A piece of a paragraph's text: a ``w:t`` (or field code, or deleted text) and its run."""

    text: str
    run: Any
    kind: str  # text, code (a field's instruction) or deleted (tracked deletion)
    in_result: bool  # in the text a field shows
    order: int


@attrs.define(eq=False)
class _Para:
    index: int
    element: Any
    in_textbox: bool
    in_fallback: bool  # the VML copy of a text box, beside its DrawingML copy
    segs: list[_Seg] = attrs.field(factory=list)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segs if s.kind == "text")

    @property
    def shown(self) -> str:
        return _shorten(self.text)


@attrs.define(eq=False)
class _RawTag:
    para: _Para
    text: str
    closed: bool
    segs: list[_Seg]

    @property
    def prefix(self) -> str | None:
        m = _PREFIX.match(self.text)
        return m.group(2) if m else None

    @property
    def shown(self) -> str:
        return _shorten(self.text, 60)


def _tags_in(text: str, *, to_line_end: bool = False) -> list[tuple[int, int]]:
    """(start, end) of every ``{{ }}``, ``{% %}`` and ``{# #}`` tag in *text*.

    A tag never closed ends with the text (or, *to_line_end*, with its line: the rest of its
    paragraph in preprocessed source).
    """
    out, i = [], 0
    while (m := _OPEN.search(text, i)) is not None:
        end = text.find(_OPENERS[m.group()], m.end()) + 2
        if end < 2:
            line_end = text.find("\n", m.end()) if to_line_end else -1
            end = line_end if line_end >= 0 else len(text)
        out.append((m.start(), end))
        i = end
    return out


def _scan_part(part: str, xml: bytes) -> tuple[list[_Para], list[_RawTag]]:
    """The paragraphs of a part with their text pieces, and the tags in them in XML order."""
    root = parse_xml(xml, part)
    paras: dict[Any, _Para] = {}
    for i, p in enumerate(root.iter(f"{W}p")):
        above = {a.tag for a in p.iterancestors()}
        paras[p] = _Para(i, p, f"{W}txbxContent" in above, _MC_FALLBACK in above)
    fields: list[str] = []  # for each open field: "code" until its separator, then "result"
    texts = root.iter(f"{W}t", f"{W}instrText", f"{W}delText", f"{W}delInstrText", f"{W}fldChar")
    for order, el in enumerate(texts):
        local = etree.QName(el).localname
        if local == "fldChar":
            kind = el.get(f"{W}fldCharType")
            if kind == "begin":
                fields.append("code")
            elif fields and kind in ("separate", "end"):
                fields[-1:] = ["result"] if kind == "separate" else []
            continue
        p = next(el.iterancestors(f"{W}p"), None)
        if p in paras:
            simple = next(el.iterancestors(f"{W}fldSimple"), None) is not None
            in_result = simple or fields[-1:] == ["result"]
            paras[p].segs.append(
                _Seg(el.text or "", el.getparent(), _KINDS[local], in_result, order)
            )
    tags: list[_RawTag] = []
    for para in paras.values():
        full = "".join(s.text for s in para.segs)
        bounds, pos = [], 0
        for seg in para.segs:
            bounds.append((pos, pos + len(seg.text), seg))
            pos += len(seg.text)
        for start, end in _tags_in(full):
            segs = [s for a, b, s in bounds if a < end and b > start]
            closed = full[end - 2 : end] == _OPENERS[full[start : start + 2]]
            tags.append(_RawTag(para, full[start:end], closed, segs))
    tags.sort(key=lambda t: t.segs[0].order)
    return list(paras.values()), tags


_FORMAT_WORDS = {
    "b": lazy("bold"),
    "i": lazy("italic"),
    "u": lazy("underlined"),
    "strike": lazy("struck through"),
    "color": lazy("colour"),
    "sz": lazy("size"),
    "rFonts": lazy("font"),
    "highlight": lazy("highlighted"),
    "vertAlign": lazy("raised/lowered"),
    "em": lazy("emphasis dots"),
}

_Format = tuple[tuple[str, str | None], ...]


def _format_of(run: Any) -> _Format:
    """The formatting of a run: ``(("b", None), ("color", "FF0000"))``; see :func:`_describe`."""
    rpr = run.find(f"{W}rPr") if run is not None else None
    found: list[tuple[str, str | None]] = []
    for child in rpr if rpr is not None else ():
        local = etree.QName(child).localname
        val = child.get(f"{W}val")
        if local not in _FORMAT_WORDS or val in ("0", "false", "off", "none"):
            continue
        if local == "rFonts":
            val = child.get(f"{W}eastAsia") or child.get(f"{W}ascii")
        found.append((local, None if local == "u" else val))
    return tuple(found)


def _describe(fmt: _Format) -> Message:
    """A run's formatting in words, in the language active when shown: 'bold, colour FF0000'."""
    words: list[Message] = []
    for local, val in fmt:
        if local == "sz" and val and val.isdigit():
            words.append(lazy("size {size} pt", size=format(int(val) / 2, "g")))
        elif local == "rFonts":
            words.append(lazy("font {name}", name=str(val)))
        elif val:
            words.append(lazy_join(" ", [_FORMAT_WORDS[local], val]))
        else:
            words.append(_FORMAT_WORDS[local])
    return _listing(words) if words else lazy("plain")


def _split_tag_finding(place: Place, tag: _RawTag) -> Finding | None:
    """An info finding for a tag stored in several runs, with each piece's formatting."""
    runs: list[Any] = []
    for seg in tag.segs:
        if seg.run not in runs:
            runs.append(seg.run)
    if len(runs) < 2:
        return None
    pieces = ["".join(s.text for s in tag.segs if s.run is r) for r in runs]
    pieces[0] = (
        pieces[0][pieces[0].find(tag.text[:2]) :] if tag.text[:2] in pieces[0] else pieces[0]
    )
    if tag.text[-2:] in pieces[-1]:
        pieces[-1] = pieces[-1][: pieces[-1].find(tag.text[-2:]) + 2]
    formats = [_format_of(r) for r in runs]
    if len(set(formats)) == 1:
        return _finding("info", "split-tag/pieces", place, tag=tag.shown, n=len(runs))
    described = _listing(
        lazy("“{piece}” ({format})", piece=_shorten(piece, 30), format=_describe(fmt))
        for piece, fmt in zip(pieces, formats, strict=True)
    )
    first = _describe(formats[0])
    return _finding(
        "info",
        "split-tag/formats",
        place,
        tag=tag.shown,
        n=len(runs),
        pieces=described,
        first=first,
    )


def _inner(tag_text: str) -> str:
    """The expression of a tag without its braces and docxtpl prefix, read as ASCII."""
    m = _PREFIX.match(tag_text)
    body = tag_text[m.end() - 1 :] if m else tag_text[2:]
    body = body[:-2] if body[-2:] in ("}}", "%}", "#}") else body
    return _docxtpl.read_tag(html.unescape(body)).strip().strip("-").strip()


def _raw_findings(part: str, paras: list[_Para], tags: list[_RawTag]) -> Iterator[Finding]:
    """What the XML shows: split, unclosed, boxed, field and tracked tags; dropped text."""
    by_para: dict[int, list[_RawTag]] = {}
    for tag in tags:
        by_para.setdefault(tag.para.index, []).append(tag)
    for para in paras:
        if para.in_fallback:  # the VML copy of a text box: its DrawingML copy is reported
            continue
        here, place = by_para.get(para.index, []), Place(part, para.shown)
        if re.search(r"｛[｛{％%]|\{｛", para.text):
            yield _finding("warning", "fullwidth-braces", place)
        nxt = paras[para.index + 1].text.strip() if para.index + 1 < len(paras) else ""
        if para.text.rstrip().endswith("{") and nxt[:1] in ("{", "%", "#"):
            yield _finding("error", "split-tag/paragraphs", place, next=_shorten(nxt, 30))
        for tag in here:
            yield from _tag_findings(place, tag)
        if here and para.in_textbox:
            slot = any(t.text.startswith("{{") and _inner(t.text) in _SLOT_NAMES for t in here)
            yield _finding("error" if slot else "warning", "tag-in-textbox" + "/slot" * slot, place)
        prefixed = next((t for t in here if t.prefix in ("p", "tr", "tc")), None)
        if prefixed is not None:
            yield from _dropped_text(place, para, prefixed)


def _tag_findings(place: Place, tag: _RawTag) -> Iterator[Finding]:
    if not tag.closed:
        close = _OPENERS[tag.text[:2]]
        yield _finding("error", "split-tag/unclosed", place, tag=tag.shown, close=close)
        return
    kinds = {s.kind for s in tag.segs}
    if "code" in kinds:
        yield _finding("error", "tag-in-field/code", place, tag=tag.shown)
    elif any(s.in_result for s in tag.segs):
        yield _finding("warning", "tag-in-field/result", place, tag=tag.shown)
    if "deleted" in kinds:
        yield _finding("warning", "tracked-changes", place, tag=tag.shown)
    split = _split_tag_finding(place, tag)
    if split is not None:
        yield split
    name = _inner(tag.text)
    if tag.text.startswith("{{") and tag.prefix in (None, "r") and name in _SLOT_NAMES:
        yield _finding("error", "body-slot-inline", place, tag=tag.shown, name=name)


_UNITS = {"p": lazy("paragraph"), "tr": lazy("table row"), "tc": lazy("table cell")}


def _dropped_text(place: Place, para: _Para, tag: _RawTag) -> Iterator[Finding]:
    """Text docxtpl drops: it replaces the paragraph (row, cell) of ``{%p %}`` (``{%tr %}``)."""
    unit = _UNITS[tag.prefix or "p"]
    holder = (
        para.element
        if tag.prefix == "p"
        else next(para.element.iterancestors(f"{W}{tag.prefix}"), None)
    )
    if holder is None:
        return
    text = "".join(t.text or "" for t in holder.iter(f"{W}t"))
    rest = _shorten(text.replace(tag.text, " ", 1), 40)
    if rest:
        yield _finding(
            "warning", "dropped-text", place, tag=_shorten(tag.text, 50), unit=unit, rest=rest
        )
