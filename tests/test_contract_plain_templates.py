"""Plain docxtpl templates stay plain; tags and filters behave as docxtpl's and the user's.

A template without the body/signature slots and without a manifest saying it is written for
reports takes plain data in every path (render, render_many, the CLI), even when its names are
title, intro, sections and closing; a report still renders into it.  Quotes stored as XML
character references read as quotes.  Users add their own filters (argument, entry points),
sandboxed like docgen's.
"""

from __future__ import annotations

import importlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import docgen
from docgen import environment, registry
from docgen.cli import main
from docgen.errors import DocgenWarning, RenderError, TemplateError
from tests.conftest import part, texts
from tests.plugins.grading import grade, huge

PLAIN_PARAGRAPHS = (
    ("BodyText", "{{ title }}"),
    ("BodyText", "{{ intro }}"),
    ("BodyText", "{% for s in sections %}{{ s.name }}：{{ s.score }}分；{% endfor %}"),
    ("BodyText", "{{ closing }}"),
)
RECORD = {
    "title": "三（2）班期末成绩",
    "intro": "本学期共考三门。",
    "sections": [{"name": "语文", "score": 95}, {"name": "数学", "score": 88}],
    "closing": "请家长签字。",
}
EXPECTED = ["三（2）班期末成绩", "本学期共考三门。", "语文：95分；数学：88分；", "请家长签字。"]


def test_a_plain_template_named_like_a_report_is_plain_in_render_many(tmp_path, make_template):
    template = make_template(*PLAIN_PARAGRAPHS)
    assert not docgen.Template.load(template).uses_report
    results = docgen.render_many(template, [RECORD, RECORD], tmp_path / "out")
    assert [r.error for r in results] == [None, None]
    assert EXPECTED == texts(Path(results[0].path).read_bytes())


def test_a_plain_template_named_like_a_report_is_plain_in_the_cli(tmp_path, make_template):
    template = make_template(*PLAIN_PARAGRAPHS)
    data = tmp_path / "scores.json"
    data.write_text(json.dumps(RECORD, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "scores.docx"
    result = CliRunner().invoke(main, ["render", str(data), "-t", str(template), "-o", str(out)])
    assert 0 == result.exit_code, result.stderr
    assert EXPECTED == texts(out.read_bytes())


def test_a_report_still_renders_into_a_plain_template(make_template):
    template = make_template(("BodyText", "{{ title }}"), ("BodyText", "共{{ sections|length }}节"))
    report = docgen.Report("工作小结", sections=[docgen.Section("一"), docgen.Section("二")])
    assert ["工作小结", "共2节"] == texts(docgen.render(report, template).to_bytes())


def _folder(tmp_path: Path, docx: Path, manifest: str) -> Path:
    folder = tmp_path / "loops"
    folder.mkdir()
    shutil.copy(docx, folder / "template.docx")
    (folder / "template.toml").write_text(manifest, encoding="utf-8")
    return folder


def test_a_manifest_saying_data_report_makes_an_explicit_loop_template_read_reports(
    tmp_path, make_template
):
    docx = make_template(
        ("BodyText", "{{ title }}"),
        ("BodyText", "{%p for s in sections %}"),
        ("BodyText", "{{ s.label }}{{ s.title }}"),
        ("BodyText", "{%p endfor %}"),
    )
    folder = _folder(tmp_path, docx, 'name = "loops"\ndata = "report"\n')
    data = tmp_path / "r.yaml"
    data.write_text("title: 小结\nsections: [学习, 实践]\n", encoding="utf-8")
    out = tmp_path / "r.docx"
    result = CliRunner().invoke(main, ["render", str(data), "-t", str(folder), "-o", str(out)])
    assert 0 == result.exit_code, result.stderr
    assert ["小结", "一、学习", "二、实践"] == texts(out.read_bytes())


def test_a_manifest_naming_an_unknown_kind_of_data_is_a_template_error(tmp_path, make_template):
    folder = _folder(tmp_path, make_template(("BodyText", "{{ title }}")), 'data = "reports"\n')
    with pytest.raises(TemplateError, match=r"template.toml: data: names an unknown kind") as info:
        docgen.Template.load(folder)
    assert '"report" or "plain"' in str(info.value)


def _quotes_as(path: Path, reference: str) -> Path:
    """The template at *path* with the tags' quotes stored as an XML character *reference*."""
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename in {"word/document.xml", "word/footer1.xml"}:
                content = content.replace('("无")'.encode(), f"({reference}无{reference})".encode())
            dst.writestr(info, content)
    path.write_bytes(buf.getvalue())
    return path


@pytest.mark.parametrize("reference", ["&quot;", "&#34;", "&#x22;", "&apos;", "&#39;"])
def test_tag_quotes_stored_as_character_references_read_as_quotes(make_template, reference):
    template = _quotes_as(
        make_template(
            ("BodyText", '班主任：{{ teacher|default("无") }}'),
            footer='{{ school|default("无") }}',
        ),
        reference,
    )
    assert reference.encode() in zipfile.ZipFile(template).read("word/footer1.xml")
    doc = docgen.render({"school": "东二小学"}, template=template)
    data = doc.to_bytes()
    assert "班主任：无" in texts(data)
    assert "东二小学" in part(data, "word/footer1.xml")
    assert reference not in part(data, "word/document.xml")


# --- the user's own filters -----------------------------------------------------------------


def test_a_filter_given_to_render_is_used(make_template):
    template = make_template(("BodyText", "语文：{{ score|grade }}"))
    doc = docgen.render({"score": 95}, template, filters={"grade": grade})
    assert ["语文：优"] == texts(doc.to_bytes())


def test_without_the_filter_the_template_names_it_as_unknown(make_template):
    template = make_template(("BodyText", "语文：{{ score|grade }}"))
    with pytest.raises(TemplateError, match="grade"):
        docgen.render({"score": 95}, template)


def test_a_users_filter_is_sandboxed_like_docgens(make_template):
    template = make_template(("BodyText", "{{ word|huge }}"))
    with pytest.raises(RenderError, match="the filter huge"):
        docgen.render({"word": "长文本"}, template, filters={"huge": huge})


def test_a_filter_may_not_replace_an_existing_one(make_template):
    template = make_template(("BodyText", "{{ title }}"))
    with pytest.raises(TemplateError, match=r"filters\['safe'\]: is the name of an existing"):
        docgen.render({"title": "x"}, template, filters={"safe": str})
    with pytest.raises(TemplateError, match=r"filters\['grade'\]: is not a function"):
        docgen.render({"title": "x"}, template, filters={"grade": "优"})


def test_filters_with_an_already_loaded_template_is_a_type_error(make_template):
    loaded = docgen.Template.load(
        make_template(("BodyText", "{{ score|grade }}")), filters={"grade": grade}
    )
    assert ["优"] == texts(docgen.render({"score": 99}, loaded).to_bytes())
    with pytest.raises(TypeError, match=r"Template\.load"):
        docgen.render({"score": 99}, loaded, filters={"grade": grade})


def test_render_many_passes_filters_to_its_worker_processes(tmp_path, make_template):
    template = make_template(("BodyText", "{{ name }}：{{ score|grade }}"))
    records = [{"name": f"学生{n}", "score": 50 + 10 * n} for n in range(5)]
    results = docgen.render_many(
        template, records, tmp_path / "out", name="{name}.docx", workers=2, filters={"grade": grade}
    )
    assert [None] * 5 == [r.error for r in results]
    got = sorted(texts(Path(r.path).read_bytes())[0] for r in results)
    assert ["学生0：须努力", "学生1：合格", "学生2：合格", "学生3：良", "学生4：优"] == got


def _install_filters(tmp_path, monkeypatch, entry_points: str) -> None:
    dist = tmp_path / "school_filters-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: school-filters\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[docgen.filters]\n" + entry_points)
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    monkeypatch.setattr(environment, "_SHARED", None)  # built again with the new filters
    monkeypatch.setattr(registry, "_SEEN", {})


def test_an_installed_packages_filter_is_available_to_every_template(
    tmp_path, monkeypatch, make_template
):
    _install_filters(tmp_path, monkeypatch, "grade = tests.plugins.grading:grade\n")
    template = make_template(("BodyText", "数学：{{ score|grade }}"))
    assert ["数学：良"] == texts(docgen.render({"score": 80}, template).to_bytes())
    out = tmp_path / "cli.docx"
    data = tmp_path / "d.json"
    data.write_text('{"score": 61}', encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(data), "-t", str(template), "-o", str(out)])
    assert 0 == result.exit_code, result.stderr
    assert ["数学：合格"] == texts(out.read_bytes())


def test_a_broken_installed_filter_is_skipped_with_a_warning(tmp_path, monkeypatch, make_template):
    _install_filters(
        tmp_path,
        monkeypatch,
        "broken = no_such_module:f\nupper = tests.plugins.grading:grade\n"
        "grade = tests.plugins.grading:grade\n",
    )
    template = make_template(("BodyText", "{{ score|grade }}"))
    with pytest.warns(DocgenWarning) as seen:
        doc = docgen.render({"score": 95}, template)
    messages = " | ".join(str(w.message) for w in seen)
    assert "filter entry point broken = no_such_module:f (school-filters)" in messages
    assert "ModuleNotFoundError" in messages
    assert "filter entry point upper: is the name of an existing filter" in messages
    assert ["优"] == texts(doc.to_bytes())
