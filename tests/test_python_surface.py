"""The Python surface: a misspelled keyword is named, not swallowed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import docgen
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
