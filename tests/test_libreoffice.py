"""The rendered example opens in LibreOffice: converted to PDF, its text holds the headings."""

from __future__ import annotations

import subprocess

import pytest

import docgen
from examples.party_branch_summary import build_report
from tests.conftest import soffice_convert

pytestmark = pytest.mark.libreoffice


def test_libreoffice_converts_the_example_and_the_pdf_holds_the_section_titles(soffice, tmp_path):
    source = docgen.render(build_report(), "work-summary").save(tmp_path / "summary.docx")
    soffice_convert(soffice, source, out_dir=tmp_path)
    pdf = tmp_path / "summary.pdf"
    assert pdf.stat().st_size > 10_000
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    flat = "".join(text.split())
    for heading in (
        "2013学年第一学期党支部工作小结（初稿）",
        "一、围绕主题，开展学习活动；",
        "二、重在实践，落实发展规划；",
        "1、迎接新优质学校中期评审",
        "2、全情投入教育教学工作",
        "3、落实“三先”密切联系群众",
        "三、注重结合，推进师德师风建设；",
        "徐汇区东二小学党支部",
        "2014年1月",
    ):
        assert heading in flat
    assert "—1—" in flat  # the page number in the footer
