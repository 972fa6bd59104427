"""Every built-in template: generated from its manifest, its example renders cleanly."""

from __future__ import annotations

import subprocess
import sys

import pytest

import docgen
from docgen.records import read_records
from tests.conftest import ROOT, texts
from tools.build_templates import TEMPLATES, build_docx, load_body, read_manifest, template_names

EXAMPLES = {
    "work-summary": "party-branch-summary.yaml",
    "work-plan": "work-plan.yaml",
    "meeting-minutes": "meeting-minutes.yaml",
    "notice": "notice.yaml",
    "official": "official.yaml",
    "term-comment": "term-comments.csv",
}


def example_data(name: str):
    path = ROOT / "examples" / EXAMPLES[name]
    if path.suffix == ".csv":
        return read_records(path)[0][1]
    return docgen.load_report(path)


def test_every_built_in_template_has_an_example():
    assert sorted(EXAMPLES) == template_names()


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_committed_template_docx_is_what_the_builder_makes(name):
    manifest = read_manifest(name)
    built = build_docx(manifest, load_body(name)(manifest["fonts"]))
    assert built == (TEMPLATES / name / "template.docx").read_bytes()


@pytest.mark.audit
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_example_renders_with_no_schema_findings(name, tmp_path):
    path = tmp_path / f"{name}.docx"
    docgen.render(example_data(name), name).save(path)
    assert texts(path.read_bytes())
    out = subprocess.run(
        [sys.executable, "-m", "openxml_audit", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Errors: 0" in out.stdout, out.stdout


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_template_inspects_without_findings(name):
    result = docgen.inspect_template(name)
    assert [] == [(f.code, f.message) for f in result.findings if f.level != "info"]
