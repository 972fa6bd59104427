"""Finding templates: paths, --template-dir, DOCGEN_TEMPLATE_PATH, entry points, built-ins."""

from __future__ import annotations

import importlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import warnings
import zipfile

import pytest
from click.testing import CliRunner

import docgen
from docgen import Report, Section, registry
from docgen.cli import main
from tests.conftest import ROOT, texts

BUILTIN = ROOT / "templates" / "work-summary"


def copy_builtin(folder, name, title_face=None):
    """A copy of work-summary under folder/name, optionally with another title face."""
    target = folder / name
    shutil.copytree(BUILTIN, target)
    toml = (target / "template.toml").read_text("utf-8")
    toml = re.sub(r'^name = ".*"$', f'name = "{name}"', toml, count=1, flags=re.MULTILINE)
    if title_face:
        toml = toml.replace(
            '[fonts.title]\neast_asia = "黑体"', f'[fonts.title]\neast_asia = "{title_face}"'
        )
    (target / "template.toml").write_text(toml, "utf-8")
    return target


def title_face(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        styles = zf.read("word/styles.xml").decode()
    title = re.search(r'<w:style [^>]*w:styleId="Title".*?</w:style>', styles).group(0)
    return re.search(r'w:eastAsia="([^"]+)"', title).group(1)


REPORT = Report("题", sections=[Section("一节", blocks=["正文"])])


def test_the_lookup_order_is_template_dir_then_env_then_builtin(tmp_path, monkeypatch):
    cli_dir, env_dir = tmp_path / "cli", tmp_path / "env"
    copy_builtin(cli_dir, "work-summary", title_face="楷体")
    copy_builtin(env_dir, "work-summary", title_face="宋体")
    monkeypatch.setenv("DOCGEN_TEMPLATE_PATH", str(env_dir))
    assert "楷体" == title_face(
        docgen.render(REPORT, "work-summary", template_dirs=[cli_dir]).to_bytes()
    )
    assert "宋体" == title_face(docgen.render(REPORT, "work-summary").to_bytes())
    monkeypatch.delenv("DOCGEN_TEMPLATE_PATH")
    assert "黑体" == title_face(docgen.render(REPORT, "work-summary").to_bytes())
    found = [
        (s.name, s.origin)
        for s in registry.sources([cli_dir], env={"DOCGEN_TEMPLATE_PATH": str(env_dir)})
        if s.name == "work-summary"
    ]
    assert [
        ("work-summary", "template-dir"),
        ("work-summary", "DOCGEN_TEMPLATE_PATH"),
        ("work-summary", "built-in"),
    ] == found


def test_an_explicit_path_wins_over_every_name(tmp_path):
    folder = copy_builtin(tmp_path, "mine", title_face="楷体")
    assert "楷体" == title_face(docgen.render(REPORT, folder).to_bytes())
    assert "楷体" == title_face(docgen.render(REPORT, folder / "template.docx").to_bytes())


def test_a_template_dir_may_hold_plain_docx_files(tmp_path):
    shutil.copyfile(BUILTIN / "template.docx", tmp_path / "plain.docx")
    doc = docgen.render(REPORT, "plain", template_dirs=[tmp_path])
    assert ["题", "一、一节", "正文"] == texts(doc.to_bytes())


def test_templates_list_lines_up_its_columns_with_chinese_names():
    from docgen.cn.typography import display_width  # noqa: PLC0415

    listed = CliRunner().invoke(main, ["templates", "list"])
    assert 0 == listed.exit_code
    lines = [line for line in listed.output.splitlines() if "[built-in]" in line]
    assert len(lines) >= 6
    columns = {display_width(line[: line.index("[built-in]")]) for line in lines}
    assert 1 == len(columns), listed.output


def test_templates_list_shows_which_one_wins_and_where_each_comes_from(tmp_path):
    copy_builtin(tmp_path, "work-summary")
    result = CliRunner().invoke(
        main, ["--template-dir", str(tmp_path), "templates", "list", "--json"]
    )
    assert 0 == result.exit_code, result.output
    rows = [r for r in json.loads(result.output) if r["name"] == "work-summary"]
    assert [("template-dir", True), ("built-in", False)] == [
        (r["origin"], r["active"]) for r in rows
    ]
    assert str(tmp_path / "work-summary") in rows[1]["shadowed_by"]
    text = CliRunner().invoke(main, ["--template-dir", str(tmp_path), "templates", "list"])
    assert "shadowed by template-dir" in text.output


def test_templates_show_prints_the_manifest_numbering_styles_and_fonts():
    result = CliRunner().invoke(main, ["templates", "show", "work-summary"])
    assert 0 == result.exit_code, result.output
    assert "工作总结 / 小结" in result.output
    assert "SCHOOL: 一、 1、 （1） ①" in result.output
    assert "heading2     Heading2     楷体 / Times New Roman, 16 pt" in result.output


def test_copy_edit_and_render_a_template_by_name_without_touching_source(tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        main, ["templates", "copy", "work-summary", str(tmp_path), "--name", "our-summary"]
    )
    assert 0 == result.exit_code, result.output
    copy = tmp_path / "our-summary"
    assert {"template.docx", "template.toml"} == {p.name for p in copy.iterdir()}
    assert 'name = "our-summary"' in (copy / "template.toml").read_text("utf-8")
    # restyle a heading the way the docs teach: change its face in template.toml
    toml = (copy / "template.toml").read_text("utf-8")
    (copy / "template.toml").write_text(
        toml.replace('[fonts.title]\neast_asia = "黑体"', '[fonts.title]\neast_asia = "宋体"'),
        "utf-8",
    )
    out = tmp_path / "out.docx"
    data = ROOT / "examples" / "party-branch-summary.yaml"
    result = runner.invoke(
        main,
        ["--template-dir", str(tmp_path), "render", str(data), "-t", "our-summary", "-o", str(out)],
    )
    assert 0 == result.exit_code, result.output
    assert "宋体" == title_face(out.read_bytes())
    again = runner.invoke(
        main, ["templates", "copy", "work-summary", str(tmp_path), "--name", "our-summary"]
    )
    assert 1 == again.exit_code
    assert "already exists" in again.stderr


def test_an_unknown_name_lists_every_template_that_exists(tmp_path):
    copy_builtin(tmp_path, "class-report")
    with pytest.raises(docgen.TemplateNotFoundError) as info:
        docgen.Template.load("class-reprot", template_dirs=[tmp_path])
    assert "class-report" in str(info.value)
    assert "work-summary" in str(info.value)


def test_loading_by_name_again_reuses_the_compiled_template_until_the_file_changes(tmp_path):
    folder = copy_builtin(tmp_path, "cached")
    first = docgen.Template.load("cached", template_dirs=[tmp_path])
    assert first is docgen.Template.load("cached", template_dirs=[tmp_path])
    toml = folder / "template.toml"
    toml.write_text(toml.read_text("utf-8").replace('size = "二号"', 'size = "小一"', 1), "utf-8")
    second = docgen.Template.load("cached", template_dirs=[tmp_path])
    assert second is not first
    assert 24.0 == second.roles["title"].size_pt


def test_manifest_fields_fill_defaults_and_name_the_required_ones(tmp_path, make_template):
    tpl = make_template(("BodyText", "{{ doc_number }}|{{ school }}"))
    tpl.with_suffix(".toml").write_text(
        textwrap.dedent("""
        name = "numbered"
        [fields.doc_number]
        description = "发文字号"
        [fields.school]
        description = "学校名称"
        default = "东二小学"
    """),
        "utf-8",
    )
    with pytest.raises(docgen.DataError) as info:
        docgen.render(Report("题"), tpl)
    assert "extra.doc_number (发文字号)" in str(info.value)
    assert "school" not in str(info.value)
    doc = docgen.render(Report("题", extra={"doc_number": "徐教〔2014〕1号"}), tpl)
    assert ["徐教〔2014〕1号|东二小学"] == texts(doc.to_bytes())


def test_a_package_registers_a_template_through_the_entry_point(tmp_path, monkeypatch):
    """Build a throwaway package in a temp dir, pip-install it, render with it by name."""
    src = tmp_path / "src"
    pkg = src / "school_templates"
    copy_builtin(pkg, "class-report", title_face="楷体")
    (pkg / "__init__.py").write_text(
        "from pathlib import Path\nCLASS_REPORT = Path(__file__).parent / 'class-report'\n"
    )
    (src / "pyproject.toml").write_text(
        textwrap.dedent("""
        [build-system]
        requires = ["hatchling"]
        build-backend = "hatchling.build"
        [project]
        name = "school-templates"
        version = "1.0"
        [project.entry-points."docgen.templates"]
        class-report = "school_templates:CLASS_REPORT"
        [tool.hatch.build.targets.wheel]
        packages = ["school_templates"]
    """)
    )
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(src),
        ],
        check=True,
        timeout=300,
    )
    monkeypatch.syspath_prepend(str(target))
    importlib.invalidate_caches()
    found = registry.find("class-report")
    assert "entry point (school-templates)" == found.origin
    doc = docgen.render(REPORT, "class-report")
    assert "楷体" == title_face(doc.to_bytes())
    listed = CliRunner().invoke(main, ["templates", "list"])
    assert "class-report" in listed.output
    assert "[entry point (school-templates)]" in listed.output


def _install_broken_plugin(tmp_path, monkeypatch):
    dist = tmp_path / "broken_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[docgen.templates]\nbad = no_such_module:X\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()


def test_a_broken_entry_point_is_a_clear_error_when_asked_for_by_name(tmp_path, monkeypatch):
    _install_broken_plugin(tmp_path, monkeypatch)
    with pytest.raises(docgen.TemplateError) as info:
        registry.find("bad")
    assert "bad = no_such_module:X" in str(info.value)
    assert "broken-plugin" in str(info.value)
    assert "ModuleNotFoundError" in str(info.value)


def test_a_broken_entry_point_does_not_break_other_lookups(tmp_path, monkeypatch):
    _install_broken_plugin(tmp_path, monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a lookup of another name is silent
        assert "built-in" == registry.find("work-summary").origin
        doc = docgen.render(REPORT, "work-summary")
    assert doc.to_bytes()[:2] == b"PK"
    with pytest.raises(docgen.TemplateNotFoundError, match=r"skipped, broken: bad"):
        registry.find("no-such-template")


def test_a_broken_entry_point_is_listed_as_a_warning_and_skipped(tmp_path, monkeypatch):
    _install_broken_plugin(tmp_path, monkeypatch)
    with pytest.warns(docgen.DocgenWarning, match="no_such_module"):
        names = [s.name for s in registry.sources()]
    assert "work-summary" in names
    assert "bad" not in names
    listed = CliRunner().invoke(main, ["templates", "list"])
    assert listed.exit_code == 0
    assert "work-summary" in listed.stdout
    assert "Warning: skipped: entry point bad = no_such_module:X" in listed.stderr


def test_installed_templates_are_found_once_per_install_state(tmp_path):
    # A new process finds built-ins without importlib.metadata once the entry points are
    # cached; a distribution added to sys.path is seen at once.
    code = (
        "import sys; from docgen import registry; "
        "print(registry.find(sys.argv[1]).origin, 'importlib.metadata' in sys.modules)"
    )
    env = {**os.environ, "DOCGEN_CACHE_DIR": str(tmp_path / "cache")}

    def run(*extra_path: str) -> str:
        env["PYTHONPATH"] = os.pathsep.join([*extra_path, str(ROOT)])
        return subprocess.run(
            [sys.executable, "-c", code, "work-summary"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
        ).stdout.strip()

    assert "built-in True" == run()
    assert "built-in False" == run()
    site = tmp_path / "site"
    dist = site / "extra_templates-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: extra-templates\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[docgen.templates]\nwork-summary = extra_templates:T\n")
    (site / "extra_templates.py").write_text(f"T = {str(ROOT / 'templates' / 'work-summary')!r}\n")
    assert "entry point (extra-templates) True" == run(str(site))  # read again: its entry wins
    assert "entry point (extra-templates) False" == run(str(site))
