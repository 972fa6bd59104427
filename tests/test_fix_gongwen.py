"""docgen fix of a 公文's tail, and the round trip of every example through its own template.

A 公文 ends with the 附件说明, the 署名 and 成文日期, then the 附注 (“（联系人：……）”) and the
版记 (抄送, 印发机关 and 印发日期, in a table under a rule).  A fix takes the 附注 and 版记
into the ``official`` template's fields (note, cc, printed_by, printed_date), so the importer
sees the signature and the 附件 lines at the end, and the fixed document is the original.
"""

from __future__ import annotations

import io
from pathlib import Path

import attrs
import docx
import pytest

import docgen
from docgen.checking._read import read_docx
from docgen.errors import DataError
from docgen.fixing._tail import take_tail
from docgen.fixing._text import lost_sentences
from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

#: Templates a round trip cannot bring to zero, and why.  meeting-minutes: the meeting's
#: particulars (时间、地点、主持人、出席人员) are the template's required fields, laid out in a
#: table of label and value that the importer reads as a table, not as those fields; a fix
#: does not invent them, so it is refused (fix.missing_part) rather than re-laid out.
REFUSED = {"meeting-minutes.yaml": ("fix.missing_part", ["time", "place", "host", "attendees"])}


def _texts(data: bytes) -> list[str]:
    return [p.text for p in read_docx(data).paragraphs]


def _save(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _official(**extra: object) -> bytes:
    report = docgen.load_report(ROOT / "examples" / "official.yaml")
    report = attrs.evolve(report, extra={**report.extra, **extra})
    return docgen.render(report).to_bytes()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_an_example_rendered_then_fixed_with_its_template_keeps_its_text_and_has_no_finding(
    example: Path,
):
    document = docgen.render(docgen.load_report(example))
    original = document.to_bytes()
    if example.name in REFUSED:
        code, fields = REFUSED[example.name]
        with pytest.raises(DataError) as caught:
            docgen.fix(original, template=document.template)
        assert code == caught.value.code
        assert all(field in str(caught.value) for field in fields)
        return
    fixed = docgen.fix(original, template=document.template).document.to_bytes()
    assert [] == docgen.check(fixed, template=document.template)
    assert [] == lost_sentences(_texts(original), _texts(fixed))
    assert [] == lost_sentences(_texts(fixed), _texts(original))  # nothing added either


def test_the_official_example_fixed_reads_exactly_as_before():
    original = _official()
    fixed = docgen.fix(original, template="official").document.to_bytes()
    assert [t for t in _texts(original) if t.strip()] == [t for t in _texts(fixed) if t.strip()]


def test_the_official_example_s_note_and_colophon_become_the_template_s_fields():
    original = _official()
    body, fields = take_tail(original, "o.docx", docgen.Template.load("official"))
    assert {
        "note": "联系人：安全保卫科 王老师，联系电话：64870000",
        "cc": "区教育督导室，区青少年活动中心，区教育发展研究中心",
        "printed_by": "上海市徐汇区教育局办公室",
        "printed_date": "2014年1月15日",
    } == fields
    assert "2014年1月15日" == [t for t in _texts(body) if t.strip()][-1]
    imported = docgen.import_docx(body).report
    assert ("上海市徐汇区教育局", "2014年寒假期间值班安排表") == (
        imported.signature.org if imported.signature else None,
        imported.attachments[-1],
    )


def test_a_fixed_official_keeps_its_attachments_signature_note_and_colophon_in_place():
    fixed = docgen.fix(_official(), template="official").document.to_bytes()
    styles = {p.text.strip(): p.style_name for p in read_docx(fixed).paragraphs}
    assert "Attachment" == styles["附件：1. 2014年寒假期间学校安全检查表"]
    assert "Signature" == styles["2014年1月15日"]
    assert [] == docgen.check(fixed)


def test_a_note_alone_is_taken_and_a_colophon_alone_too():
    no_colophon = _official(cc="", printed_by="", printed_date=None)
    _, fields = take_tail(no_colophon, "o.docx", docgen.Template.load("official"))
    assert ["note"] == list(fields)
    assert [] == docgen.check(docgen.fix(no_colophon).document.to_bytes())
    no_note = _official(note="")
    _, fields = take_tail(no_note, "o.docx", docgen.Template.load("official"))
    assert {"cc", "printed_by", "printed_date"} == set(fields)
    assert [] == docgen.check(docgen.fix(no_note).document.to_bytes())


def test_a_tail_with_a_line_that_is_neither_note_nor_colophon_stays_in_the_body():
    template = docgen.Template.load("official")
    document = docx.Document(io.BytesIO(_official()))
    document.add_paragraph("本通知自印发之日起施行。")  # after the 版记: no 附注 or 版记 line
    odd = _save(document)
    assert (odd, {}) == take_tail(odd, "o.docx", template)
    fixed = docgen.fix(odd, template="official").document.to_bytes()
    assert [] == lost_sentences(_texts(odd), _texts(fixed))
    plain = _official(note="", cc="", printed_by="", printed_date=None)
    assert (plain, {}) == take_tail(plain, "o.docx", template)
    original = _official()
    assert (original, {}) == take_tail(original, "o.docx", docgen.Template.load("work-summary"))


def test_a_fix_by_a_template_without_those_fields_keeps_the_tail_as_text():
    original = _official()
    fixed = docgen.fix(original, template="work-summary").document.to_bytes()
    assert [] == lost_sentences(_texts(original), _texts(fixed))
