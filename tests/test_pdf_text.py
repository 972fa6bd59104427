"""Every character of a document reaches its PDF (LibreOffice), full-width punctuation included.

LibreOffice reads ``w:overflowPunct`` inverted and its PDF export dropped a mark hanging at the
end of a justified line; docgen's documents say ``w:overflowPunct`` explicitly (docgen.ooxml).
"""

from __future__ import annotations

import collections
import io
import subprocess
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import docgen
from tests.conftest import ROOT

pytestmark = pytest.mark.libreoffice

EXAMPLES = {
    "party-branch-summary": "work-summary",
    "work-plan": "work-plan",
    "meeting-minutes": "meeting-minutes",
    "notice": "notice",
    "official": "official",
}


def _characters(data: bytes) -> collections.Counter[str]:
    document = docx.Document(io.BytesIO(data))
    text = "".join(p.text for p in document.paragraphs)
    text += "".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    return collections.Counter(ch for ch in text if not ch.isspace())


def _pdf_characters(pdf: bytes, tmp_path: Path) -> collections.Counter[str]:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return collections.Counter(ch for ch in text if not ch.isspace())


def _missing(doc: docgen.Document, tmp_path: Path) -> dict[str, int]:
    """Characters of the document's text that its PDF lacks, with how many are missing."""
    wanted = _characters(doc.to_bytes())
    found = _pdf_characters(doc.to_pdf(timeout=120), tmp_path)
    return {ch: n - found[ch] for ch, n in wanted.items() if found[ch] < n}


def _lines(pdf: bytes, tmp_path: Path) -> list[str]:
    """The PDF's text lines as laid out, spaces removed (a cell that wraps spans two)."""
    path = tmp_path / "layout.pdf"
    path.write_bytes(pdf)
    layout = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return [line.replace(" ", "") for line in layout.splitlines()]


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_every_character_of_an_example_reaches_its_pdf(soffice, tmp_path, example) -> None:
    report = docgen.load_report(ROOT / "examples" / f"{example}.yaml")
    doc = docgen.render(report, EXAMPLES[example])
    assert {} == _missing(doc, tmp_path)


def test_marks_at_every_line_end_position_reach_the_pdf(soffice, tmp_path) -> None:
    # A full-width mark after 20…30 characters, in Chinese runs with and without Latin and
    # digits (Word's extra space between them is what made a line overflow by a hair).
    han = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
    paragraphs = []
    for n, mark in enumerate("，、。；：！？》）" * 4):
        head = (han * 2)[n % 7 : n % 7 + 20 + n % 11]
        latin = ("2014", "", "PPT", "10", "")[n % 5]
        paragraphs.append(f"{latin}{head}{mark}{han[n % 13 :]}")
    doc = docgen.render(docgen.Report("标点", intro=paragraphs), "work-summary")
    wanted = _characters(doc.to_bytes())
    found = _pdf_characters(doc.to_pdf(timeout=120), tmp_path)
    marks = "，、。；：！？》）"
    assert {m: wanted[m] for m in marks} == {m: min(found[m], wanted[m]) for m in marks}


def test_documents_declare_punctuation_overflow_once_in_their_defaults() -> None:
    styles = docgen.render(docgen.Report("题"), "work-summary").to_bytes()
    import zipfile  # noqa: PLC0415

    xml = zipfile.ZipFile(io.BytesIO(styles)).read("word/styles.xml").decode()
    defaults = xml[xml.index("<w:pPrDefault>") : xml.index("</w:pPrDefault>")]
    assert "<w:overflowPunct/>" in defaults


def test_short_cells_of_a_data_table_stay_on_one_line(soffice, tmp_path) -> None:
    # no widths given: columns are sized by content, so 第10周 and 2014年1月17日 do not break
    long = "期末复习；学生综合素质评价，期中质量分析会" * 2
    rows = [["周次", "日期", "工作内容", "负责人"]]
    rows += [[f"第{n}周", "2014年1月17日", long, "校长室、教导处"] for n in (1, 10, 11, 16)]
    doc = docgen.render(
        docgen.Report("表格", intro=[docgen.Table(rows, header_rows=1)]), "work-summary"
    )
    flat = _lines(doc.to_pdf(timeout=120), tmp_path)
    for short in ("第10周", "第16周", "2014年1月17日", "校长室、教导处"):
        assert any(short in line for line in flat), short


@pytest.mark.parametrize(
    ("example", "cells"),
    [
        ("work-plan", ["第16周", "12月15日—12月19日", "10月20日—10月24日", "校长室、教导处"]),
        ("meeting-minutes", ["2014年1月17日", "2014年1月24日", "张晓燕（德育室）"]),
    ],
)
def test_the_built_in_tables_keep_short_cells_on_one_line(soffice, tmp_path, example, cells):
    report = docgen.load_report(ROOT / "examples" / f"{example}.yaml")
    flat = _lines(docgen.render(report, EXAMPLES[example]).to_pdf(timeout=120), tmp_path)
    for cell in cells:
        assert any(cell in line for line in flat), cell


def _pdffonts(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return [line.split()[0].split("+", 1)[-1] for line in out.splitlines()[2:] if line.strip()]


@pytest.mark.parametrize(("example", "template"), [("party-branch-summary", "work-summary")])
def test_title_headings_and_body_are_drawn_in_distinct_faces(
    soffice, tmp_path, example, template
) -> None:
    from docgen.fontmap import choices_for  # noqa: PLC0415
    from docgen.pdf import drawn_with  # noqa: PLC0415

    report = docgen.load_report(ROOT / "examples" / f"{example}.yaml")
    names = _pdffonts(docgen.render(report, template).to_pdf(timeout=120), tmp_path)
    kinds = {
        kind
        for name in names
        for kind, marks in (("sans", "Sans"), ("serif", "Serif"), ("kai", "Kai"))
        if marks in name and ("CJK" in name or kind == "kai")
    }
    assert {"sans", "serif"} <= kinds, names  # 黑体 title and headings, 仿宋 body
    # fontconfig picks the Simplified Chinese cut for each face the template names (the PDF
    # names Noto's shared font program "jp" whichever cut is used)
    drawn = drawn_with(["黑体", "仿宋", "楷体"])
    for face, family in drawn.items():
        assert family in choices_for(face), (face, family)
    assert not any(family.endswith(("JP", "KR", "TC", "HK")) for family in drawn.values())


def test_the_fonts_command_lists_each_face_and_what_draws_it(soffice) -> None:
    from click.testing import CliRunner  # noqa: PLC0415

    from docgen.cli import main  # noqa: PLC0415
    from docgen.fontmap import choices_for  # noqa: PLC0415

    result = CliRunner().invoke(main, ["fonts", "work-summary"])
    assert 0 == result.exit_code, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()[2:] if line.strip()}
    for face in ("仿宋", "黑体", "楷体"):
        assert any(choice in lines[face] for choice in choices_for(face)), lines[face]
    assert "Liberation Serif" in lines["Times"]


def test_the_official_signature_block_follows_gbt9704_in_the_pdf(soffice, tmp_path) -> None:
    # §7.3.5.2: the date 右空二字 (the longer line here), its first character two characters right
    # of the organisation's first one; a character of 三号 is 16 pt (15.75 as docgen condenses)
    import re  # noqa: PLC0415

    report = docgen.load_report(ROOT / "examples" / "official.yaml")
    doc = docgen.render(report, "official")
    path = tmp_path / "official.pdf"
    path.write_bytes(doc.to_pdf(timeout=120))
    html = tmp_path / "bbox.html"
    subprocess.run(["pdftotext", "-bbox", str(path), str(html)], check=True, timeout=60)
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>',
        html.read_text(encoding="utf-8"),
    )
    org = next(w for w in words if w[3] == "上海市徐汇区教育局")
    at = words.index(org)
    line = [w for w in words[at + 1 : at + 12] if abs(float(w[1]) - float(org[1]) - 29) < 3]
    date_start, date_end = float(line[0][0]), max(float(w[2]) for w in line)
    section = docx.Document(io.BytesIO(doc.to_bytes())).sections[0]
    text_right = (section.page_width - section.right_margin) / 12700  # EMU → pt
    char = 15.75
    assert 1.7 < (date_start - float(org[0])) / char < 2.3
    assert 1.7 < (text_right - date_end) / char < 2.3


STARTERS = ["work-summary", "work-plan", "meeting-minutes", "notice", "official", "term-comment"]


@pytest.mark.parametrize("name", STARTERS)
def test_every_character_of_a_starter_reaches_its_pdf(soffice, tmp_path, name) -> None:
    from docgen.loaders import load_data  # noqa: PLC0415
    from docgen.starter import starter_yaml  # noqa: PLC0415

    template = docgen.Template.load(name)
    text = io.StringIO(starter_yaml(template))
    data = (
        docgen.load_report(text, format="yaml")
        if template.uses_report
        else load_data(text, format="yaml")
    )
    doc = docgen.render(data, template)
    assert {} == _missing(doc, tmp_path)


_HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也"


@settings(max_examples=4)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=18, max_value=32),  # where the mark falls on the line
            st.sampled_from("，、。；：！？》）”"),
            st.sampled_from(["", "2014", "PPT", "10", "A"]),  # Latin text widens a line
        ),
        min_size=8,
        max_size=8,
    )
)
def test_full_width_marks_anywhere_on_a_line_reach_the_pdf(soffice, tmp_path_factory, cases):
    paragraphs = [
        f"{latin}{(_HAN * 2)[n % 9 : n % 9 + at]}{mark}{_HAN[: 10 + n]}"
        for n, (at, mark, latin) in enumerate(cases)
    ]
    doc = docgen.render(docgen.Report("标点", intro=paragraphs), "work-summary")
    assert {} == _missing(doc, tmp_path_factory.mktemp("marks"))
