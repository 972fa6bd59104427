"""Fuzzing: arbitrary Unicode in every text field renders to a document that holds exactly it.

Every text field of a Report (title, status, intro, section titles, paragraph runs, table
cells, captions, list items, signature, attachments), and the values of a plain docxtpl-style
template, get arbitrary Unicode: control characters, lone surrogates, astral-plane characters,
RTL marks, XML syntax (``<``, ``&``, ``]]>``), Jinja syntax (``{{``, ``{%``), docxtpl's own
escapes (``{_{``) and docgen's markers.  The rendered package must reopen in python-docx and
show each field's text exactly, minus only the characters XML cannot hold; a sample is
converted by LibreOffice.  Text that looks like Jinja is printed, never executed.

How a field's newlines show (all newline forms, ``\\r\\n``, ``\\r`` and ``\\n``, are one):
the title and body paragraphs (intro, blocks, closing, list items, a plain template's values)
become separate paragraphs; headings, captions, cells, signature and attachments keep a line
break inside their paragraph (python-docx reads both as ``\\n``).  The one deliberate change:
an attachment's name loses its closing punctuation (GB/T 9704 §7.3.4).

Run with ``--hypothesis-show-statistics`` to see how many cases ran.
"""

from __future__ import annotations

import io
import random
import re
import subprocess
import warnings

import docx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import docgen
from docgen import BulletList, DocgenWarning, Paragraph, Report, Run, Section, Signature, Table
from tests.conftest import soffice_convert
from tools.build_templates import build_docx, paragraph, read_manifest

REPORT_EXAMPLES = 400
MAPPING_EXAMPLES = 300
LIBREOFFICE_SAMPLE = 5

# What XML 1.0 cannot hold (docgen removes it, with a DocgenWarning).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_SPECIAL = [
    "<",
    ">",
    "&",
    "&amp;",
    "]]>",
    "<w:p>",
    "</w:t>",
    '"',
    "'",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "{{ 7*7 }}",
    "{% if true %}x{% endif %}",
    "{%p for s in sections %}",
    "{_{",
    "{_{_{",
    "}_}",
    "{_%",
    "%_}",
    "\ue000docgen-vmerge\ue000",
    "\ufdd0",
    "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "\u200f",  # RIGHT-TO-LEFT MARK
    "\u202b",
    "\U0001f600",
    "\U00020000",
    "\U0010fffd",
    "\x00",
    "\x01",
    "\x02",  # docgen's rich-text markers are control characters: never kept from data
    "\x03",
    "\x07",
    "\x0b",
    "\x0c",
    "\x1f",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udfff",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "  ",
    "初稿",
    "（一）",
]

#: Non-empty text from anywhere in Unicode, weighted towards what breaks documents.
texts = st.lists(
    st.one_of(st.characters(), st.sampled_from(_SPECIAL)), min_size=1, max_size=10
).map("".join)


def clean(text: str) -> str:
    """The text a reader sees: one kind of newline, no character XML cannot hold."""
    return _XML_ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def build_report(t: list[str]) -> Report:
    """A report with every text field taken, in order, from *t* (19 texts)."""
    return Report(
        t[0],
        status=t[1],
        intro=[t[2], Paragraph([Run(t[3], bold=True), Run(t[4], italic=True)])],
        sections=[
            Section(
                t[5],
                blocks=[t[6], Table([[t[7], t[8]]], caption=t[9]), BulletList([t[10]])],
                subsections=[Section(t[11], blocks=[t[12]])],
            )
        ],
        closing=[t[13]],
        signature=Signature(t[14], name=t[15]),
        attachments=[t[16], t[17]],
        extra={"unused": t[18]},
    )


def by_style(document: docx.document.Document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def render_quietly(data: Report | dict[str, str], template: object) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DocgenWarning)  # characters XML cannot hold: removed
        return docgen.render(data, template).to_bytes()  # type: ignore[arg-type]


@settings(
    max_examples=REPORT_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(texts, min_size=19, max_size=19))
@example(["{{_{_{"] * 19)  # found by this test: overlapping docxtpl escapes
@example(["\r\x01\n\ue000docgen-vmerge\ue000"] * 19)
def test_any_unicode_in_every_report_field_comes_back_exactly(t):
    document = docx.Document(io.BytesIO(render_quietly(build_report(t), "work-summary")))
    c = [clean(x) for x in t]

    assert c[0] + f"（{c[1]}）" == "\n".join(by_style(document, "Title"))
    assert "\n".join([c[2], c[3] + c[4], c[6], c[12], c[13]]) == "\n".join(
        by_style(document, "Body Text")
    )
    assert ["一、" + c[5]] == by_style(document, "Heading 1")
    assert ["1、" + c[11]] == by_style(document, "Heading 2")
    assert [c[9]] == by_style(document, "Caption")
    assert c[10] == "\n".join(by_style(document, "List Bullet"))
    assert [[c[7], c[8]]] == [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert ["", c[14], c[15]] == by_style(document, "Signature")
    # GB/T 9704: an attachment's name ends without punctuation (docgen drops it)
    a = [x.rstrip("。；;，,") for x in c[16:18]]
    assert ["", f"附件：1. {a[0]}", f"\u3000\u3000\u30002. {a[1]}"] == by_style(
        document, "Attachment"
    )


@pytest.fixture(scope="module")
def plain_template(tmp_path_factory):
    """A plain docxtpl-style template: two values, each in a paragraph of its own."""
    fonts = read_manifest("work-summary")["fonts"]
    body = paragraph("BodyText", "{{ x }}", fonts["body"]) + paragraph(
        "BodyText", "{{ y }}", fonts["body"]
    )
    path = tmp_path_factory.mktemp("plain") / "plain.docx"
    path.write_bytes(build_docx({"name": "plain", "fonts": fonts}, body))
    return docgen.Template.load(path)


@settings(max_examples=MAPPING_EXAMPLES, deadline=None)
@given(texts, texts)
def test_any_unicode_in_a_plain_templates_values_is_printed_literally(plain_template, x, y):
    document = docx.Document(io.BytesIO(render_quietly({"x": x, "y": y}, plain_template)))
    assert clean(x) + "\n" + clean(y) == "\n".join(p.text for p in document.paragraphs)


def test_text_that_looks_like_jinja_is_printed_never_executed(plain_template):
    document = docx.Document(
        io.BytesIO(
            render_quietly(
                {"x": "{{ 7*7 }}", "y": "{% for i in range(3) %}i{% endfor %}"}, plain_template
            )
        )
    )
    assert ["{{ 7*7 }}", "{% for i in range(3) %}i{% endfor %}"] == [
        p.text for p in document.paragraphs
    ]
    report = Report("{{ 7*7 }}", sections=[Section("{% raw %}{{ x }}", blocks=["{_{ y }_}"])])
    shown = docx.Document(io.BytesIO(render_quietly(report, "work-summary")))
    assert ["{{ 7*7 }}", "一、{% raw %}{{ x }}", "{_{ y }_}"] == [
        p.text for p in shown.paragraphs if p.text
    ]


def _sample_reports(count: int) -> list[Report]:
    """A fixed sample of fuzz-like reports (seeded), every special string used at least once."""
    rng = random.Random(20140101)
    specials = list(_SPECIAL)
    rng.shuffle(specials)
    reports = []
    for n in range(count):
        t = []
        for i in range(19):
            pieces = [specials[(n * 19 + i) % len(specials)]]
            pieces += [
                chr(
                    rng.choice(
                        (
                            rng.randrange(0x20, 0x7F),
                            rng.randrange(0x4E00, 0x9FA5),
                            rng.randrange(0x10000, 0x10FFFF),
                        )
                    )
                )
                for _ in range(4)
            ]
            t.append("".join(pieces))
        t[0] = f"MARK{n}" + t[0]
        reports.append(build_report(t))
    return reports


@pytest.mark.libreoffice
def test_libreoffice_converts_a_sample_of_fuzzed_documents(soffice, tmp_path):
    sources = []
    for n, report in enumerate(_sample_reports(LIBREOFFICE_SAMPLE)):
        path = tmp_path / f"fuzz{n}.docx"
        path.write_bytes(render_quietly(report, "work-summary"))
        sources.append(str(path))
    soffice_convert(soffice, *sources, out_dir=tmp_path)
    for n in range(LIBREOFFICE_SAMPLE):
        pdf = tmp_path / f"fuzz{n}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
        ).stdout
        assert f"MARK{n}" in text
