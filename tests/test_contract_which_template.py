"""Which template renders the data: -t, else the data's ``template:``, else the default, said.

The same rule in ``docgen.render``, the CLI and the web API; ``docgen new`` writes the line.
"""

from __future__ import annotations

import io
import shutil

import docx
import pytest
from click.testing import CliRunner

import docgen
from docgen.cli import main
from docgen.errors import DataError
from docgen.model import report_to_mapping
from tests.conftest import ROOT, part, texts
from tests.test_web import make_client

OFFICIAL = ROOT / "examples" / "official.yaml"


def test_a_data_file_naming_official_renders_the_red_header_document_without_t(tmp_path):
    out = tmp_path / "official.docx"
    result = CliRunner().invoke(main, ["render", str(OFFICIAL), "-o", str(out)])
    assert 0 == result.exit_code, result.stderr
    lines = texts(out.read_bytes())
    assert "上海市徐汇区教育局文件" in lines  # 红头
    assert "徐教〔2014〕1号" in lines  # 发文字号
    assert any(line == "区属各中小学、幼儿园：" for line in lines)  # 主送
    assert "template official" in result.stderr
    assert "names no template" not in result.stderr


def test_t_overrides_the_data_files_template_and_says_so(tmp_path):
    out = tmp_path / "summary.docx"
    result = CliRunner().invoke(
        main, ["render", str(OFFICIAL), "-t", "work-summary", "-o", str(out)]
    )
    assert 0 == result.exit_code, result.stderr
    assert "-t work-summary overrides" in result.stderr
    assert "template: official" in result.stderr
    assert "上海市徐汇区教育局文件" not in texts(out.read_bytes())
    # and the official-only fields are named, not dropped in silence
    assert "extra.doc_number" in result.stderr


def test_data_naming_no_template_without_t_says_which_template_was_used(tmp_path):
    data = tmp_path / "plain.yaml"
    data.write_text("title: 小结\nintro: [本学期……]\n", encoding="utf-8")
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(main, ["render", str(data), "-o", str(out)])
    assert 0 == result.exit_code, result.stderr
    assert "plain.yaml names no template" in result.stderr
    assert "rendering with work-summary" in result.stderr
    # the same note when the document goes to standard output
    piped = CliRunner().invoke(main, ["render", str(data), "-o", "-"])
    assert "rendering with work-summary" in piped.stderr


def test_a_template_named_by_path_is_found_relative_to_the_data_file(tmp_path):
    shutil.copytree(ROOT / "templates" / "notice", tmp_path / "tpl" / "our-notice")
    (tmp_path / "data").mkdir()
    data = tmp_path / "data" / "n.yaml"
    data.write_text(
        "template: ../tpl/our-notice\ntitle: 关于召开期末工作会议的通知\n"
        "intro: [定于1月10日召开。]\nextra: {recipients: 各教研组}\n",
        encoding="utf-8",
    )
    out = tmp_path / "n.docx"
    result = CliRunner().invoke(main, ["render", str(data), "-o", str(out)])
    assert 0 == result.exit_code, result.stderr
    assert "各教研组：" in texts(out.read_bytes())


def test_the_python_api_renders_a_loaded_report_with_its_named_template():
    report = docgen.load_report(OFFICIAL)
    assert "official" == report.template
    doc = docgen.render(report)
    assert "official" == doc.template
    assert "上海市徐汇区教育局文件" in texts(doc.to_bytes())
    # an explicit template wins, and says it was used
    other = docgen.render(
        docgen.Report("小结", intro=["正文"], template="official"), "work-summary"
    )
    assert "work-summary" == other.template


def test_a_report_naming_no_template_renders_with_the_default_and_says_so():
    doc = docgen.render(docgen.Report("小结", intro=["正文"]))
    assert "work-summary" == doc.template


def test_the_template_line_comes_first_when_a_report_is_written_back():
    mapping = report_to_mapping(docgen.Report("小结", template="notice"))
    assert ["template", "title"] == list(mapping)


def test_docgen_new_writes_the_template_line_and_its_file_renders_without_t(tmp_path):
    data = tmp_path / "n.yaml"
    result = CliRunner().invoke(main, ["new", "notice", "-o", str(data)])
    assert 0 == result.exit_code, result.stderr
    assert "template: notice" in data.read_text(encoding="utf-8")
    assert "-t" not in result.stderr.split("edit it, then:")[1]
    out = tmp_path / "n.docx"
    rendered = CliRunner().invoke(main, ["render", str(data), "-o", str(out)])
    assert 0 == rendered.exit_code, rendered.stderr
    assert "template notice" in rendered.stderr


def test_docgen_new_with_a_template_path_writes_it_relative_to_the_data_file(tmp_path):
    shutil.copytree(ROOT / "templates" / "notice", tmp_path / "tpl" / "ours")
    (tmp_path / "data").mkdir()
    data = tmp_path / "data" / "n.yaml"
    result = CliRunner().invoke(main, ["new", str(tmp_path / "tpl" / "ours"), "-o", str(data)])
    assert 0 == result.exit_code, result.stderr
    assert "template: ../tpl/ours\n" in data.read_text(encoding="utf-8")
    out = tmp_path / "n.docx"
    rendered = CliRunner().invoke(main, ["render", str(data), "-o", str(out)])
    assert 0 == rendered.exit_code, rendered.stderr


def test_data_from_a_request_may_name_a_template_but_not_a_file():
    ok = docgen.report_from_mapping({"title": "题", "template": "notice"}, allow_files=False)
    assert "notice" == ok.template
    with pytest.raises(DataError, match=r"request: template: is a file path"):
        docgen.report_from_mapping(
            {"title": "题", "template": "../../etc/x.docx"}, source="request", allow_files=False
        )


def test_the_web_api_uses_the_template_the_data_names():
    data = {
        "template": "notice",
        "title": "关于召开期末工作会议的通知",
        "intro": ["定于1月10日召开。"],
    }
    data["extra"] = {"recipients": "各教研组"}
    with make_client() as client:
        response = client.post("/api/render", json={"data": data})
        assert 200 == response.status_code, response.text
        assert "notice" == response.headers["X-Docgen-Template"]
        assert "各教研组：" in texts(response.content)
        # the request's own template wins
        response = client.post("/api/render", json={"data": data, "template": "work-summary"})
        assert "work-summary" == response.headers["X-Docgen-Template"]


def test_a_plain_template_data_file_may_name_its_template(tmp_path, make_template):
    tpl = make_template(("BodyText", "学生：{{ name }}"))
    data = tmp_path / "d.yaml"
    data.write_text(f"template: {tpl.name}\nname: 张小明\n", encoding="utf-8")
    out = tmp_path / "d.docx"
    result = CliRunner().invoke(main, ["render", str(data), "-o", str(out)])
    assert 0 == result.exit_code, result.stderr
    assert "学生：张小明" in part(out.read_bytes(), "word/document.xml")
    assert docx.Document(io.BytesIO(out.read_bytes())).paragraphs
