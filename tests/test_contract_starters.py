"""Starters and examples: every built-in's starter renders with the command ``docgen new``
prints, its placeholders fit its template, and the examples name their templates."""

from __future__ import annotations

import shlex

import pytest
import yaml
from click.testing import CliRunner

import docgen
from docgen.cli import main
from docgen.manifest import Manifest
from tests.conftest import ROOT, texts

BUILT_INS = ["work-summary", "work-plan", "meeting-minutes", "notice", "official", "term-comment"]


def _new(tmp_path, name):
    data = tmp_path / f"{name}.yaml"
    result = CliRunner().invoke(main, ["new", name, "-o", str(data)])
    assert 0 == result.exit_code, result.stderr
    return data, result.stderr


@pytest.mark.parametrize("name", BUILT_INS)
def test_every_starter_renders_with_the_command_docgen_new_prints(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    _, said = _new(tmp_path, name)
    command = shlex.split(said.split("edit it, then: docgen ", 1)[1])
    assert "-t" not in command  # the file names its template
    rendered = CliRunner().invoke(main, command)
    assert 0 == rendered.exit_code, rendered.stderr
    assert f"template {name})" in rendered.stderr
    assert "Warning" not in rendered.stderr
    assert "{{" not in rendered.stderr
    assert texts((tmp_path / "out.docx").read_bytes())


def _title(tmp_path, name):
    data, _ = _new(tmp_path, name)
    return yaml.safe_load(data.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "title_has"),
    [
        ("notice", "关于……的通知"),
        ("official", "关于……的通知"),
        ("meeting-minutes", "纪要"),
        ("work-plan", "工作计划"),
        ("work-summary", "工作小结"),
    ],
)
def test_each_starters_title_fits_its_template(tmp_path, name, title_has):
    data = _title(tmp_path, name)
    assert title_has in data["title"]
    assert name == data["template"]


@pytest.mark.parametrize("name", ["notice", "official", "meeting-minutes", "work-plan"])
def test_no_draft_status_where_it_does_not_belong(tmp_path, name):
    data = _title(tmp_path, name)
    assert "status" not in data
    doc = docgen.render(docgen.load_report(tmp_path / f"{name}.yaml"))
    assert not any("（初稿）" in line for line in texts(doc.to_bytes()))


def test_the_work_summary_starter_is_a_draft(tmp_path):
    assert "初稿" == _title(tmp_path, "work-summary")["status"]


def test_the_signature_placeholder_fits_the_template(tmp_path):
    assert "发文机关" in _title(tmp_path, "official")["signature"]["org"]
    assert "发文单位" in _title(tmp_path, "notice")["signature"]["org"]


@pytest.mark.parametrize(
    "example", ["official", "notice", "meeting-minutes", "work-plan", "party-branch-summary"]
)
def test_every_example_data_file_names_its_template_and_renders_without_t(tmp_path, example):
    data = ROOT / "examples" / f"{example}.yaml"
    out = tmp_path / "x.docx"
    result = CliRunner().invoke(main, ["render", str(data), "-o", str(out)])
    assert 0 == result.exit_code, result.stderr
    assert "names no template" not in result.stderr
    assert "Warning" not in result.stderr


def test_a_manifest_starter_table_with_an_unknown_key_is_a_template_error():
    with pytest.raises(docgen.TemplateError, match=r"starter: must be a table"):
        Manifest.from_mapping({"name": "x", "starter": {"titel": "题"}})
