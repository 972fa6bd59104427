"""The docgen command: render from files and pipes, exit codes 0 / 1 / 2, nothing left behind."""

from __future__ import annotations

import io
import json

import attrs
import docx
from click.testing import CliRunner

import docgen
from docgen.cli import main
from tests.conftest import EXAMPLE_YAML, ROOT, texts


def test_render_writes_the_example_document(tmp_path):
    out = tmp_path / "summary.docx"
    result = CliRunner().invoke(main, ["render", str(EXAMPLE_YAML), "-o", str(out)])
    assert 0 == result.exit_code, result.output
    assert "2013学年第一学期党支部工作小结（初稿）" == texts(out.read_bytes())[0]


def test_render_reads_json_from_stdin_and_writes_the_docx_to_stdout():
    data = json.dumps({"title": "通知", "intro": ["请各位老师准时参加。"]}, ensure_ascii=False)
    result = CliRunner().invoke(main, ["render", "-", "-o", "-"], input=data)
    assert 0 == result.exit_code, result.stderr
    assert ["通知", "请各位老师准时参加。"] == texts(result.stdout_bytes)


def test_render_refuses_to_overwrite_without_the_flag_and_exits_1(tmp_path):
    out = tmp_path / "summary.docx"
    out.write_bytes(b"keep me")
    result = CliRunner().invoke(main, ["render", str(EXAMPLE_YAML), "-o", str(out)])
    assert 1 == result.exit_code
    assert "already exists" in result.stderr
    assert b"keep me" == out.read_bytes()
    result = CliRunner().invoke(main, ["render", str(EXAMPLE_YAML), "-o", str(out), "--overwrite"])
    assert 0 == result.exit_code
    assert docx.Document(io.BytesIO(out.read_bytes())).paragraphs


def test_a_data_file_with_a_wrong_type_exits_1_naming_the_field_and_leaves_no_file(tmp_path):
    data = tmp_path / "bad.yaml"
    data.write_text(
        "title: 工作小结\nsections:\n  - title: 一\n  - title: [1, 2]\n", encoding="utf-8"
    )
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(main, ["render", str(data), "-o", str(out)])
    assert 1 == result.exit_code
    assert "bad.yaml" in result.stderr
    assert "sections[1].title" in result.stderr
    assert "Traceback" not in result.stderr
    assert [data] == list(tmp_path.iterdir())


def test_a_broken_template_exits_1_and_leaves_no_file(tmp_path, make_template):
    tpl = make_template(("BodyText", "{{ title|no_such_filter }}"))
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(main, ["render", str(EXAMPLE_YAML), "-t", str(tpl), "-o", str(out)])
    assert 1 == result.exit_code
    assert "no_such_filter" in result.stderr
    assert not out.exists()


def test_errors_can_be_printed_as_json_for_tools(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "--json-errors",
            "render",
            str(EXAMPLE_YAML),
            "-t",
            "no-such-template",
            "-o",
            str(tmp_path / "x.docx"),
        ],
    )
    assert 1 == result.exit_code
    error = json.loads(result.stderr)
    assert "TemplateNotFoundError" == error["error"]
    assert "'no-such-template'" == error["where"]


def test_usage_errors_exit_2():
    assert 2 == CliRunner().invoke(main, ["render"]).exit_code
    assert 2 == CliRunner().invoke(main, ["render", str(EXAMPLE_YAML)]).exit_code  # no -o
    assert 2 == CliRunner().invoke(main, ["no-such-command"]).exit_code


def test_version_and_demo():
    result = CliRunner().invoke(main, ["--version"])
    assert docgen.__version__ in result.output
    demo = CliRunner().invoke(main, ["demo"])
    assert 0 == demo.exit_code
    assert "人民币壹仟肆佰零玖元伍角" in demo.output
    assert "2013学年第一学期" in demo.output


def test_new_writes_a_starting_file_that_renders_as_written(tmp_path):
    for template in ("work-summary", "term-comment"):
        data = tmp_path / f"{template}.yaml"
        result = CliRunner().invoke(main, ["new", template, "-o", str(data)])
        assert 0 == result.exit_code, result.output
        out = tmp_path / f"{template}.docx"
        rendered = CliRunner().invoke(main, ["render", str(data), "-t", template, "-o", str(out)])
        assert 0 == rendered.exit_code, rendered.output
        assert texts(out.read_bytes())
    again = CliRunner().invoke(
        main, ["new", "work-summary", "-o", str(tmp_path / "work-summary.yaml")]
    )
    assert 1 == again.exit_code
    assert "already exists" in again.stderr


def test_new_hints_the_render_command_that_finds_the_same_template(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    copied = CliRunner().invoke(main, ["templates", "copy", "work-summary", "mine"])
    assert 0 == copied.exit_code, copied.output
    args = ["--template-dir", "mine", "new", "work-summary", "-o", "r.yaml"]
    result = CliRunner().invoke(main, args)
    assert 0 == result.exit_code, result.output
    hint = result.stderr.split("then: docgen ", 1)[1].split()
    # the data file names its template, so the command needs no -t
    assert ["--template-dir", "mine", "render", "r.yaml", "-o", "out.docx"] == hint
    rendered = CliRunner().invoke(main, hint)  # the command as hinted
    assert 0 == rendered.exit_code, rendered.output
    assert (tmp_path / "out.docx").exists()


def test_render_reads_plain_data_for_a_plain_template(tmp_path):
    data = tmp_path / "one.json"
    data.write_text(
        json.dumps(
            {
                "term": "2013学年第一学期",
                "student": {"name": "张三", "class": "三（1）班"},
                "comment": "认真",
                "teacher": "王老师",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    out = tmp_path / "one.docx"
    result = CliRunner().invoke(main, ["render", str(data), "-t", "term-comment", "-o", str(out)])
    assert 0 == result.exit_code, result.output
    assert "班级：三（1）班　　姓名：张三" in texts(out.read_bytes())


def test_import_turns_the_raw_example_into_the_example_data_file(tmp_path):
    out = tmp_path / "summary.yaml"
    raw = ROOT / "tests" / "data" / "party-branch-summary-2013.txt"
    result = CliRunner().invoke(
        main, ["import", str(raw), "--normalize-punctuation", "-o", str(out)]
    )
    assert 0 == result.exit_code, result.output
    # the same report; the import names no template, the example names work-summary
    assert docgen.load_report(EXAMPLE_YAML) == attrs.evolve(
        docgen.load_report(out), template="work-summary"
    )


def test_import_pipes_into_render(tmp_path):
    raw = (ROOT / "tests" / "data" / "party-branch-summary-2013.txt").read_text("utf-8")
    imported = CliRunner().invoke(main, ["import", "-", "--normalize-punctuation"], input=raw)
    assert 0 == imported.exit_code, imported.stderr
    rendered = CliRunner().invoke(main, ["render", "-", "-o", "-"], input=imported.stdout)
    assert 0 == rendered.exit_code, rendered.stderr
    assert "一、围绕主题，开展学习活动；" in texts(rendered.stdout_bytes)


def test_import_prints_numbering_warnings(tmp_path):
    text = "标题\n一、甲\n正文。\n三、丙\n正文。\n"
    result = CliRunner().invoke(main, ["import", "-"], input=text)
    assert 0 == result.exit_code
    assert "Warning:" in result.stderr
    assert "三、" in result.stderr or "丙" in result.stderr


def test_inspect_reports_and_exits_1_on_errors(tmp_path, make_template):
    ok = CliRunner().invoke(main, ["inspect", "work-summary"])
    assert 0 == ok.exit_code, ok.output
    assert "0 error(s)" in ok.output
    bad = make_template(("BodyText", "{{ title|cn_dat }}"), ("BodyText", "{{ body }}"))
    result = CliRunner().invoke(main, ["inspect", str(bad), "--json"])
    assert 1 == result.exit_code
    codes = {f["code"] for f in json.loads(result.output)["findings"]}
    assert {"unknown-filter", "body-slot-inline"} <= codes


def test_inspect_with_data_names_what_the_data_lacks(tmp_path):
    data = tmp_path / "one.yaml"
    data.write_text("term: 2013学年第一学期\nstudent: {name: 张三}\ncomment: 认真\n", "utf-8")
    result = CliRunner().invoke(main, ["inspect", "term-comment", "--data", str(data)])
    assert 1 == result.exit_code
    assert "teacher" in result.output


def test_output_cut_short_by_its_reader_is_not_reported_as_an_error():
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    code = "from docgen.cli import main; main()"
    proc = subprocess.Popen(  # like `docgen templates show notice | head -0`
        [sys.executable, "-c", code, "templates", "show", "notice"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # the reader goes away before anything is written
    _, stderr = proc.communicate(timeout=60)
    assert 1 == proc.returncode
    assert "" == stderr.decode("utf-8")


# the engine is imported by the command that needs it, never by the group or --help
HEAVY = (
    "docgen.rendering",
    "docgen.template",
    "docgen.batch",
    "docgen.importers",
    "docgen.inspect",
)
HEAVY += ("docgen.web", "docgen.loaders", "docgen.records", "docgen.starter", "docgen.cn")


def test_the_cli_modules_import_no_engine_module_at_their_top_level():
    import ast  # noqa: PLC0415

    modules = sorted((ROOT / "docgen" / "cli").glob("*.py"))
    assert len(modules) > 1
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only: a command's body may import what it needs
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                assert "docgen" != name, path.name  # `from docgen import …` runs docgen/__init__
                assert not name.startswith(HEAVY), (path.name, name)


def test_python_m_docgen_is_the_docgen_command():
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    proc = subprocess.run(
        [sys.executable, "-m", "docgen", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert 0 == proc.returncode, proc.stderr
    assert f"docgen, version {docgen.__version__}\n" == proc.stdout


def test_new_without_a_template_lists_the_templates_and_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["new", "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2
    assert "needs a TEMPLATE" in result.stderr
    for name in ("work-summary", "work-plan", "notice", "official", "meeting-minutes"):
        assert name in result.stderr
    assert "工作总结" in result.stderr  # display names help choose
    assert not (tmp_path / "x.yaml").exists()


def test_new_without_a_template_or_output_still_lists_the_templates():
    result = CliRunner().invoke(main, ["new"])
    assert result.exit_code == 2
    assert "work-summary" in result.stderr
    assert "Missing option" not in result.stderr
