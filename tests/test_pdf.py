"""PDF through LibreOffice: real conversions, PDF/A, parallel runs, and clear errors."""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
from click.testing import CliRunner

import docgen
from docgen.cli import main
from docgen.converter import convert_to_pdf
from docgen.pdf import PdfError
from examples.party_branch_summary import build_report
from tests.conftest import EXAMPLE_YAML


def pdf_text(path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    return "".join(out.split())


def pdf_pages(path) -> int:
    info = subprocess.run(
        ["pdfinfo", str(path)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.mark.libreoffice
def test_save_pdf_writes_the_typeset_summary(soffice, tmp_path):
    path = docgen.render(build_report()).save_pdf(tmp_path / "summary.pdf")
    text = pdf_text(path)
    assert "2013学年第一学期党支部工作小结（初稿）" in text
    assert "三、注重结合，推进师德师风建设；" in text
    assert 5 == pdf_pages(path)  # 22 lines × 28 characters a page
    assert [path] == list(tmp_path.iterdir())


@pytest.mark.libreoffice
def test_pdfa_output_declares_pdfa_conformance(soffice, tmp_path):
    path = docgen.render(docgen.Report("题", intro=["正文"])).save_pdf(
        tmp_path / "a.pdf", pdfa=True
    )
    assert (
        b"pdfaid:part" in path.read_bytes()
        or b"pdfaid:part"
        in subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, check=True).stdout
    )


@pytest.mark.libreoffice
def test_parallel_conversions_do_not_collide(soffice):
    docs = [
        docgen.render(docgen.Report(f"第{i}份", intro=[f"正文{i}"])).to_bytes() for i in range(3)
    ]
    with ThreadPoolExecutor(3) as pool:
        pdfs = list(pool.map(convert_to_pdf, docs))
    assert all(p.startswith(b"%PDF") for p in pdfs)


@pytest.mark.libreoffice
def test_the_cli_writes_a_pdf_when_asked_or_when_the_name_ends_in_pdf(soffice, tmp_path):
    out = tmp_path / "summary.pdf"
    result = CliRunner().invoke(main, ["render", str(EXAMPLE_YAML), "-o", str(out)])
    assert 0 == result.exit_code, result.output
    assert out.read_bytes().startswith(b"%PDF")
    piped = CliRunner().invoke(main, ["render", str(EXAMPLE_YAML), "-o", "-", "--pdf"])
    assert piped.stdout_bytes.startswith(b"%PDF")


def test_missing_libreoffice_names_the_install_command(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("DOCGEN_SOFFICE", raising=False)
    monkeypatch.setattr("docgen.pdf._CANDIDATES", ())
    with pytest.raises(PdfError) as info:
        docgen.render(docgen.Report("题")).save_pdf(tmp_path / "x.pdf")
    assert "apt-get install libreoffice-writer-nogui" in str(info.value)
    assert not (tmp_path / "x.pdf").exists()


def test_a_wrong_docgen_soffice_setting_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("DOCGEN_SOFFICE", str(tmp_path / "nope"))
    with pytest.raises(PdfError, match="DOCGEN_SOFFICE"):
        docgen.render(docgen.Report("题")).to_pdf()


def test_a_hung_office_is_stopped_by_the_timeout(monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setenv("DOCGEN_SOFFICE", str(fake))
    with pytest.raises(PdfError, match=r"did not finish within 0\.5 s"):
        docgen.render(docgen.Report("题")).to_pdf(timeout=0.5)


def test_a_failed_conversion_says_what_libreoffice_said(monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("DOCGEN_SOFFICE", str(fake))
    with pytest.raises(PdfError, match="could not be loaded"):
        docgen.render(docgen.Report("题")).to_pdf()


def test_the_pdf_is_not_written_over_an_existing_file(tmp_path):
    out = tmp_path / "x.pdf"
    out.write_bytes(b"keep")
    with pytest.raises(docgen.OutputExistsError):
        docgen.render(docgen.Report("题")).save_pdf(out)
    assert b"keep" == out.read_bytes()
