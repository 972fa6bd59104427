"""The Python and CLI surface: a misspelled keyword or an unused field is named, not swallowed."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

import docgen
from docgen.cli import main
from tests.conftest import texts


@pytest.fixture
def report() -> docgen.Report:
    return docgen.Report(title="2013学年第一学期工作总结", intro="本学期工作如下。")


def test_render_names_a_misspelled_option_and_suggests_the_right_one(report):
    with pytest.raises(TypeError) as caught:
        docgen.render(report, template="work-summary", numberng="GBT9704")
    message = str(caught.value)
    assert "'numberng'" in message
    assert "did you mean 'numbering'" in message
    assert "'work-summary'" in message


def test_render_many_names_a_misspelled_option_before_writing_anything(report, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(TypeError, match=r"'normalise_punctuation'.*'normalize_punctuation'"):
        docgen.render_many("work-summary", [report], out, normalise_punctuation=True)
    assert not out.exists()


def test_a_keyword_the_template_uses_is_passed_to_it(make_template):
    template = make_template(("Normal", "学校：{{ school }}"))
    doc = docgen.render({}, template=template, school="城关中学")
    assert "学校：城关中学" in texts(doc.to_bytes())


def test_a_keyword_no_template_uses_is_refused_even_for_plain_data(make_template):
    template = make_template(("Normal", "学校：{{ school }}"))
    with pytest.raises(TypeError, match=r"'shcool'.*did you mean 'school'"):
        docgen.render({"school": "城关中学"}, template=template, shcool="城关中学")


def test_render_options_given_by_keyword_still_work(report):
    doc = docgen.render(report, template="work-summary", numbering="GBT9704", timeout=30)
    assert doc.to_bytes()[:2] == b"PK"


def test_python_dash_m_docgen_runs_the_cli(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "templates", "list"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "work-summary" in result.stdout


OFFICIAL = Path(__file__).resolve().parent.parent / "examples" / "official.yaml"


def test_extra_fields_the_template_does_not_use_are_named_in_document_warnings():
    report = docgen.Report("关于召开会议的通知", extra={"doc_number": "东二小〔2014〕1号"})
    with pytest.warns(docgen.DocgenWarning, match=r"extra\.doc_number: not used"):
        doc = docgen.render(report, template="work-summary")
    assert len(doc.warnings) == 1
    assert "'work-summary'" in doc.warnings[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the template that uses it: no warning
        assert not docgen.render(report, template="official").warnings


def test_cli_names_unused_fields_once_and_strict_makes_them_an_error(tmp_path):
    out = tmp_path / "o.docx"
    result = CliRunner().invoke(
        main, ["render", str(OFFICIAL), "-t", "work-summary", "-o", str(out)]
    )
    assert result.exit_code == 0
    assert result.stderr.count("extra.doc_number") == 1
    assert "Warning: " in result.stderr
    assert out.exists()
    strict = tmp_path / "strict.docx"
    result = CliRunner().invoke(
        main, ["render", str(OFFICIAL), "-t", "work-summary", "-o", str(strict), "--strict"]
    )
    assert result.exit_code == 1
    assert "--strict" in result.stderr
    assert "extra.doc_number" in result.stderr
    assert not strict.exists()
    ok = CliRunner().invoke(main, ["render", str(OFFICIAL), "-o", str(strict), "--strict"])
    assert ok.exit_code == 0, ok.stderr
    assert strict.exists()
