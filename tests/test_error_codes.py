"""Errors other programs can rely on: stable codes, problems one by one, the same everywhere.

Every code the source uses is in docs/errors.md's table and every code there is used; every
DocgenError class has its own code; a data file's problems come as a list with codes and
JSON-pointer paths, in Python, from ``--json-errors`` and from the HTTP API; and the OpenAPI
schema says which error statuses each route gives, all with one error schema.
"""

from __future__ import annotations

import ast
import importlib
import io
import json
import pickle
import re
import shutil
import zipfile
from importlib.util import find_spec
from pathlib import Path

import pytest
from click.testing import CliRunner

import docgen
import docgen.loaders
import docgen.pdf
from docgen.batch import _render_record
from docgen.cli import main
from docgen.errors import DataError, DocgenError, Problem, pointer
from tests.conftest import ROOT

DOCS = ROOT / "docs" / "errors.md"
_CODE = re.compile(r"^[a-z]+\.[a-z_]+$")
_ROW = re.compile(r"^\| `([a-z]+\.[a-z_]+)` \| ([^|]*) \|")


# --- the table and the source agree ----------------------------------------------------------


def table() -> dict[str, str]:
    """docs/errors.md's table: code → its class column."""
    rows = {}
    for line in DOCS.read_text("utf-8").splitlines():
        row = _ROW.match(line)
        if row:
            assert row[1] not in rows, f"{row[1]} is in the table twice"
            rows[row[1]] = row[2]
    return rows


def _codes_in(node: ast.AST) -> list[str]:
    return [
        c.value
        for c in ast.walk(node)
        if isinstance(c, ast.Constant) and isinstance(c.value, str) and _CODE.match(c.value)
    ]


def source_codes() -> dict[str, set[str]]:
    """Every code docgen's source names → the files naming it.

    A code is a ``code=`` keyword, a ``default_code =``, the value of a ``"code"`` key, or a
    value of a module constant named ``…_CODE`` / ``…_CODES``.
    """
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "docgen").rglob("*.py")):
        where = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            codes: list[str] = []
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "code":
                        codes += _codes_in(keyword.value)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                if any(n == "default_code" or n.endswith(("_CODE", "_CODES")) for n in names):
                    codes += _codes_in(node.value)
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "code":
                        codes += _codes_in(value)
            for code in codes:
                found.setdefault(code, set()).add(where)
    return found


def error_classes() -> list[type[DocgenError]]:
    pytest.importorskip("fastapi")
    importlib.import_module("docgen.web.pool")  # defines ClientGoneError

    seen: list[type[DocgenError]] = []
    todo = [DocgenError]
    while todo:
        cls = todo.pop()
        seen.append(cls)
        todo.extend(cls.__subclasses__())
    return seen


def test_every_code_the_source_uses_is_in_the_table():
    missing = sorted(set(source_codes()) - set(table()))
    assert [] == missing


def test_every_code_in_the_table_is_used_by_the_source():
    unused = sorted(set(table()) - set(source_codes()))
    assert [] == unused


def test_the_table_was_found_and_is_linked_from_the_nav_and_the_home_page():
    assert len(table()) > 50
    assert "errors.md" in (ROOT / "mkdocs.yml").read_text("utf-8")
    assert "(errors.md)" in (ROOT / "docs" / "index.md").read_text("utf-8")


def test_every_error_class_has_its_own_code_and_the_table_names_the_class():
    rows = table()
    for cls in error_classes():
        if cls.__name__.startswith("_"):
            continue
        assert "default_code" in vars(cls), f"{cls.__name__} has no code of its own"
        code = cls.default_code
        assert code in rows, f"{cls.__name__}'s {code} is not in docs/errors.md"
        assert f"`{cls.__name__}`" in rows[code], f"the row of {code} does not name {cls.__name__}"


def test_no_two_classes_share_a_default_code():
    codes = [vars(c)["default_code"] for c in error_classes() if not c.__name__.startswith("_")]
    assert sorted(set(codes)) == sorted(codes)


def test_a_code_given_at_the_raise_site_replaces_the_class_default():
    assert "data.invalid" == DataError("x").code
    assert "data.unknown_key" == DataError("x", code="data.unknown_key").code
    assert "template.missing_variable" == docgen.UndefinedVariableError("x", found="y").code


# --- problems, one by one ---------------------------------------------------------------------

SEVERAL = """\
title: 小结
sections:
  - title: 一
  - title: 3
    blocks: [{type: paragraph}]
sectoins: []
"""


def write(tmp_path: Path, text: str, name: str = "summary.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_data_file_with_several_problems_lists_each_with_its_code_and_path(tmp_path):
    with pytest.raises(DataError) as info:
        docgen.load_report(write(tmp_path, SEVERAL))
    error = info.value
    problems = [(p.code, p.path) for p in error.problems]
    assert [
        ("data.wrong_type", "/sections/1/title"),
        ("data.missing", "/sections/1/blocks/0/text"),
        ("data.unknown_key", "/sectoins"),
    ] == problems
    assert "data.invalid" == error.code  # the problems differ
    wrong = error.problems[0]
    assert ("must be text", '"3" in quotes', "3 (an int)") == (
        wrong.message,
        wrong.expected,
        wrong.found,
    )
    assert str(error).startswith(f"{tmp_path / 'summary.yaml'}: has 3 problems:\n")


def test_problems_of_one_kind_give_the_error_that_code(tmp_path):
    with pytest.raises(DataError) as info:
        docgen.load_report(write(tmp_path, "title: 小结\nsectoins: []\nclosin: []\n"))
    assert "data.unknown_key" == info.value.code
    assert ["/closin", "/sectoins"] == [p.path for p in info.value.problems]


@pytest.mark.parametrize(
    ("text", "code", "path"),
    [
        ("title: 3.5\n", "data.wrong_type", "/title"),
        ("title: 小结\nsectoins: []\n", "data.unknown_key", "/sectoins"),
        ("status: 初稿\n", "data.missing", "/title"),
    ],
)
def test_a_data_file_with_one_problem_still_lists_it(tmp_path, text, code, path):
    with pytest.raises(DataError) as info:
        docgen.load_report(write(tmp_path, text))
    assert code == info.value.code
    assert [(code, path)] == [(p.code, p.path) for p in info.value.problems]


def test_to_dict_gives_the_code_the_class_and_the_problems(tmp_path):
    with pytest.raises(DataError) as info:
        docgen.load_report(write(tmp_path, "title: 小结\nsectoins: []\n"))
    body = info.value.to_dict()
    assert ["code", "error", "message", "where", "expected", "found", "problems"] == list(body)
    assert ("data.unknown_key", "DataError") == (body["code"], body["error"])
    assert [
        {
            "code": "data.unknown_key",
            "path": "/sectoins",
            "message": "is not a known key (did you mean sections?)",
            "expected": body["expected"],
            "found": None,
        }
    ] == body["problems"]
    json.dumps(body)  # JSON-ready


def test_an_error_of_one_problem_has_an_empty_list():
    body = docgen.TemplateNotFoundError("x", where="'nope'").to_dict()
    assert ("template.not_found", []) == (body["code"], body["problems"])


def test_an_error_pickles_with_its_code_and_problems():
    problem = Problem("data.wrong_type", "/sections/1/title", "must be text", None, "3 (an int)")
    error = DataError("has 1 problems", where="x.yaml", code="data.wrong_type", problems=(problem,))
    copy = pickle.loads(pickle.dumps(error))
    assert ("data.wrong_type", (problem,)) == (copy.code, copy.problems)
    assert error.to_dict() == copy.to_dict()
    assert problem == Problem.from_dict(problem.to_dict())


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("", ""),
        ("title", "/title"),
        ("sections[1].title", "/sections/1/title"),
        ("a~b/c", "/a~0b~1c"),
    ],
)
def test_a_field_path_becomes_a_json_pointer(path, expected):
    assert expected == pointer(path)


# --- codes at the raise sites -----------------------------------------------------------------


def test_a_file_that_is_not_a_zip_is_package_not_zip(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"this is not a zip")
    with pytest.raises(docgen.PackageError) as info:
        docgen.Template.load(bad)
    assert "package.not_zip" == info.value.code


def test_a_zip_without_its_main_part_is_package_missing_part(tmp_path):
    bad = tmp_path / "empty.docx"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(docgen.PackageError) as info:
        docgen.Template.load(bad)
    assert "package.missing_part" == info.value.code


def test_a_broken_docx_to_import_keeps_the_package_code(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"this is not a zip")
    with pytest.raises(DataError) as info:
        docgen.import_docx(bad)
    assert "package.not_zip" == info.value.code


def test_template_errors_have_their_codes(make_template):
    with pytest.raises(docgen.TemplateNotFoundError) as not_found:
        docgen.Template.load("work-sumary")
    with pytest.raises(docgen.TemplateSyntaxError) as syntax:
        docgen.Template.load(make_template(("BodyText", "{% if x %}没有结束")))
    with pytest.raises(docgen.UndefinedVariableError) as missing:
        docgen.render({}, make_template(("BodyText", "{{ school }}")))
    with pytest.raises(docgen.UnknownFilterError) as unknown:
        docgen.Template.load(make_template(("BodyText", "{{ day|cn_dat }}")))
    assert [
        "template.not_found",
        "template.syntax",
        "template.missing_variable",
        "template.unknown_filter",
    ] == [e.value.code for e in (not_found, syntax, missing, unknown)]


def test_an_existing_output_is_output_exists(tmp_path):
    doc = docgen.render(docgen.Report("题"))
    doc.save(tmp_path / "a.docx")
    with pytest.raises(docgen.OutputExistsError) as info:
        doc.save(tmp_path / "a.docx")
    assert "output.exists" == info.value.code


def test_libreoffice_missing_is_its_own_code(monkeypatch, tmp_path):
    monkeypatch.setenv("DOCGEN_SOFFICE", str(tmp_path / "no-soffice"))
    with pytest.raises(docgen.pdf.LibreOfficeMissingError) as info:
        docgen.pdf.find_soffice()
    assert "pdf.libreoffice_missing" == info.value.code


def test_a_missing_data_file_and_a_syntax_error_have_their_codes(tmp_path):
    with pytest.raises(DataError) as missing:
        docgen.load_report(tmp_path / "nope.yaml")
    with pytest.raises(DataError) as syntax:
        docgen.load_report(write(tmp_path, "title: [unclosed\n"))
    assert ("data.not_found", "data.syntax") == (missing.value.code, syntax.value.code)


def test_a_batch_record_error_keeps_the_code_of_what_went_wrong():
    template = docgen.Template.load("work-summary")
    with pytest.raises(DataError) as info:
        _render_record(template, {"title": "小结", "sectoins": []}, "row 2", {})
    assert "data.unknown_key" == info.value.code
    assert ["/sectoins"] == [p.path for p in info.value.problems]


# --- the command line -------------------------------------------------------------------------


def test_json_errors_give_the_code_and_the_problems(tmp_path):
    data = write(tmp_path, SEVERAL)
    result = CliRunner().invoke(
        main, ["--json-errors", "render", str(data), "-o", str(tmp_path / "x.docx")]
    )
    assert 1 == result.exit_code
    body = json.loads(result.stderr)
    assert ("data.invalid", "DataError") == (body["code"], body["error"])
    assert ["data.wrong_type", "data.missing", "data.unknown_key"] == [
        p["code"] for p in body["problems"]
    ]
    assert "/sections/1/title" == body["problems"][0]["path"]


def test_json_errors_of_a_file_docgen_cannot_write_have_a_code(tmp_path):
    data = write(tmp_path, "title: 小结\n")
    out = tmp_path / "no-such-folder" / "x.docx"
    result = CliRunner().invoke(main, ["--json-errors", "render", str(data), "-o", str(out)])
    assert 1 == result.exit_code
    body = json.loads(result.stderr)
    assert body["code"] in table()


# --- the HTTP API -----------------------------------------------------------------------------

web = pytest.mark.skipif(
    find_spec("fastapi") is None or find_spec("multipart") is None, reason="needs docgen[web]"
)


def make_client(**settings: object):
    return importlib.import_module("tests.test_web").make_client(**settings)


@pytest.fixture(scope="module")
def client():
    with make_client() as c:
        yield c


@web
def test_an_http_error_body_has_the_code_and_the_problems(client):
    data = {"title": "小结", "sections": [{"title": "一"}, {"title": 3}], "sectoins": []}
    response = client.post("/api/render", json={"data": data})
    assert 422 == response.status_code
    body = response.json()
    assert ("data.invalid", "DataError") == (body["code"], body["error"])
    assert [("data.wrong_type", "/sections/1/title"), ("data.unknown_key", "/sectoins")] == [
        (p["code"], p["path"]) for p in body["problems"]
    ]
    assert {"code", "path", "message", "expected", "found"} == set(body["problems"][0])


JSON = {"content-type": "application/json"}
TEXT = {"content-type": "text/plain"}


@web
@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("post", "/api/render", {"content": b"{", "headers": JSON}, 400, "request.malformed"),
        ("post", "/api/render", {"content": b"", "headers": TEXT}, 415, "request.unsupported_type"),
        ("post", "/api/render", {"json": {"data": {}, "x": 1}}, 422, "request.unknown_field"),
        ("post", "/api/render", {"json": {"data": {}, "template": "n"}}, 404, "template.not_found"),
        ("get", "/api/render", {}, 405, "request.method_not_allowed"),
        ("get", "/api/nowhere", {}, 404, "request.not_found"),
        ("get", "/api/batch/abc", {}, 404, "batch.not_found"),
        ("post", "/api/import", {"data": {"format": "pdf"}}, 422, "request.invalid"),
    ],
)  # fmt: skip
def test_http_errors_have_their_codes(client, method, path, kwargs, status, code):
    response = getattr(client, method)(path, **kwargs)
    assert status == response.status_code, response.text
    assert code == response.json()["code"]


@web
def test_a_form_field_fastapi_refuses_is_listed_as_a_problem(client):
    body = client.post("/api/import", data={"format": "pdf"}).json()
    assert [("request.invalid", "/format")] == [(p["code"], p["path"]) for p in body["problems"]]


@web
def test_a_missing_or_wrong_token_has_its_code():
    with make_client(token="s3cret") as guarded:
        none = guarded.get("/api/templates")
        wrong = guarded.get("/api/templates", headers={"Authorization": "Bearer nope"})
    assert (401, "auth.no_token") == (none.status_code, none.json()["code"])
    assert (403, "auth.wrong_token") == (wrong.status_code, wrong.json()["code"])


#: Every operation of the API → the error statuses it can answer with.
ROUTE_ERRORS = {
    ("get", "/healthz"): {403, 500},
    ("get", "/api/templates"): {401, 403, 500},
    ("get", "/api/templates/{name}"): {400, 401, 403, 404, 422, 500},
    ("get", "/api/templates/{name}/preview.png"): {400, 401, 403, 404, 422, 500, 503, 504},
    ("post", "/api/render"): {400, 401, 403, 404, 413, 415, 422, 500, 503, 504},
    ("post", "/api/preview"): {400, 401, 403, 404, 413, 415, 422, 500, 503, 504},
    ("post", "/api/import"): {400, 401, 403, 413, 415, 422, 500, 503, 504},
    ("post", "/api/check"): {400, 401, 403, 404, 413, 415, 422, 500, 503, 504},
    ("post", "/api/fix"): {400, 401, 403, 404, 413, 415, 422, 500, 503, 504},
    ("post", "/api/batch"): {400, 401, 403, 404, 413, 415, 422, 500, 503, 504},
    ("get", "/api/batch/{job}"): {401, 403, 404, 422, 500},
    ("get", "/api/batch/{job}/download"): {401, 403, 404, 409, 422, 500, 503, 504},
}


@web
def test_the_openapi_schema_lists_each_routes_error_statuses_with_the_error_schema(client):
    schema = client.get("/openapi.json").json()
    listed = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            errors = {}
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    errors[int(status)] = ref
            assert {"#/components/schemas/ErrorBody"} == set(errors.values()), (method, path)
            listed[method, path] = set(errors)
    assert ROUTE_ERRORS == listed


@web
def test_the_error_schema_has_the_code_and_the_problems(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    body = schemas["ErrorBody"]["properties"]
    assert {"code", "error", "message", "where", "expected", "found", "problems"} == set(body)
    assert "#/components/schemas/ProblemBody" == body["problems"]["items"]["$ref"]
    problem = schemas["ProblemBody"]["properties"]
    assert {"code", "path", "message", "expected", "found"} == set(problem)
    assert "HTTPValidationError" not in schemas


# --- a template's missing names and fields, one problem each ---------------------------------


def test_each_name_a_template_misses_is_a_problem_at_its_data_path(make_template):
    template = make_template(("BodyText", "{{ school }}"), ("BodyText", "{{ student.name }}"))
    with pytest.raises(docgen.UndefinedVariableError) as info:
        docgen.render({"student": {"class": "三（2）班"}}, template)
    problems = info.value.to_dict()["problems"]
    assert [
        ("template.missing_variable", "/school"),
        ("template.missing_variable", "/student/name"),
    ] == [(p["code"], p["path"]) for p in problems]
    assert "word/document.xml" in problems[1]["message"]
    assert "{{ student.name }}" in problems[1]["message"]  # the tag, and its paragraph
    assert "missing school, name (of a dict)" == info.value.found  # as before


def test_a_reports_missing_name_is_under_extra(make_template):
    template = make_template(("Title", "{{ title }}"), ("BodyText", "{{ recipients }}"))
    with pytest.raises(docgen.UndefinedVariableError) as info:
        docgen.render(docgen.Report("通知"), template)
    assert ["/extra/recipients"] == [p.path for p in info.value.problems]


def test_a_loop_items_missing_field_is_at_the_items_path_in_the_data(make_template, tmp_path):
    template = make_template(
        ("BodyText", "{% for s in sections %}{{ s.name }}{% endfor %}"),
        ("BodyText", "{% for r in rows %}{% for c in r.cells %}{{ c.v }}{% endfor %}{% endfor %}"),
    )
    data = tmp_path / "data.json"
    data.write_text(
        json.dumps(
            {
                "sections": [{"name": "甲"}, {"name": "乙"}, {"title": "丙"}],
                "rows": [{"cells": [{"v": 1}, {}]}],
            }
        ),
        encoding="utf-8",
    )
    args = [
        "--json-errors",
        "render",
        str(data),
        "-t",
        str(template),
        "-o",
        str(tmp_path / "o.docx"),
    ]
    result = CliRunner().invoke(main, args)
    assert 1 == result.exit_code
    problems = json.loads(result.stderr)["problems"]
    assert [
        ("template.missing_variable", "/sections/2/name"),
        ("template.missing_variable", "/rows/0/cells/1/v"),
    ] == [(p["code"], p["path"]) for p in problems]
    assert "{{ s.name }}" in problems[0]["message"]


def test_a_report_sections_missing_field_is_at_each_sections_path(make_template):
    template = make_template(
        (
            "BodyText",
            "{% for s in sections %}{% for t in s.subsections %}{{ t.nme }}"
            "{% endfor %}{% endfor %}",
        ),
    )
    report = docgen.Report(
        "题", sections=[docgen.Section("一", subsections=[docgen.Section("甲")])]
    )
    with pytest.raises(docgen.UndefinedVariableError) as info:
        docgen.render(report, template)
    assert ["/sections/0/subsections/0/nme"] == [p.path for p in info.value.problems]


def test_a_loop_variable_whose_item_is_not_in_the_data_is_named_as_such(make_template):
    template = make_template(
        ("BodyText", "{% for s in [{'title': 'x'}] %}{{ s.name }}{% endfor %}{{ title }}")
    )
    with pytest.raises(docgen.UndefinedVariableError) as info:
        docgen.render({"title": "题"}, template)
    (problem,) = info.value.to_dict()["problems"]
    assert "/s/name" == problem["path"]
    assert "'s' is a variable of the template (a loop's, say)" in problem["message"]
    with docgen.i18n.use_language("zh"):
        (problem,) = info.value.to_dict()["problems"]
    assert "'s' 是模板自己的变量" in problem["message"], problem["message"]


def with_fields(tmp_path: Path) -> Path:
    folder = tmp_path / "with-fields"
    shutil.copytree(ROOT / "templates" / "work-summary", folder)
    manifest = folder / "template.toml"
    fields = '[fields.doc_number]\ndescription = "发文字号"\n\n[fields.school]\n\n[styles]'
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("[styles]", fields, 1), encoding="utf-8"
    )
    return folder


def test_each_required_field_the_data_does_not_give_is_a_problem(tmp_path):
    report = docgen.Report("工作总结", extra={"doc_number": " "})
    with pytest.raises(DataError) as info:
        docgen.render(report, with_fields(tmp_path))
    assert "data.missing" == info.value.code
    assert [("data.missing", "/extra/doc_number"), ("data.missing", "/extra/school")] == [
        (p.code, p.path) for p in info.value.problems
    ]
    assert "extra.doc_number is blank (发文字号)" == info.value.problems[0].message


# --- a batch's records keep their codes -------------------------------------------------------

RECORDS = [
    ("row 2", {"title": "一班小结"}),
    ("row 3", {"title": "二班小结", "sectoins": []}),
]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failed_batch_record_has_its_code_and_problems(tmp_path, workers):
    results = docgen.render_many(
        "work-summary", RECORDS, tmp_path / "out", name="{n}.docx", workers=workers
    )
    assert [None, "data.unknown_key"] == [r.code for r in results]
    assert [[], ["/sectoins"]] == [[p.path for p in r.problems] for r in results]
    assert results[1].error.startswith("row 3")  # the message as before


def test_a_record_whose_file_cannot_be_written_is_output_exists(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "1.docx").write_bytes(b"")
    results = docgen.render_many(
        "work-summary", RECORDS[:1], tmp_path / "out", name="{n}.docx", workers=1
    )
    assert ["output.exists"] == [r.code for r in results]


def test_batch_json_gives_each_records_code(tmp_path):
    data = tmp_path / "records.json"
    data.write_text(json.dumps([r for _, r in RECORDS], ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["batch", "work-summary", str(data), "-o", str(out), "-w", "1", "--json"]
    )
    assert 1 == result.exit_code, result.output
    report = json.loads(result.stdout)
    assert [None, "data.unknown_key"] == [r["code"] for r in report]
    assert [[], ["/sectoins"]] == [[p["path"] for p in r["problems"]] for r in report]


def test_json_errors_of_a_bug_have_the_whole_shape(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(docgen.loaders, "read_data_file", broken)
    data = write(tmp_path, "title: 小结\n")
    result = CliRunner().invoke(
        main, ["--json-errors", "render", str(data), "-o", str(tmp_path / "x.docx")]
    )
    assert 1 == result.exit_code
    body = json.loads(result.stderr)
    assert ["code", "error", "message", "where", "expected", "found", "problems"] == list(body)
    assert ("internal.error", []) == (body["code"], body["problems"])


@web
def test_a_web_batchs_records_have_their_codes(client):
    csv = "title,signature.org,signature.date\n一班小结,一班,2014-01-20\n二班小结,二班,2014年13月\n"
    response = client.post(
        "/api/batch", data={"template": "work-summary"}, files={"file": ("x.csv", csv.encode())}
    )
    assert 200 == response.status_code, response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        report = json.loads(zf.read("report.json"))
    codes = [(r["record"], r["code"]) for r in report["results"]]
    assert [("row 2", None), ("row 3", "data.invalid")] == codes
    assert ["/signature/date"] == [p["path"] for p in report["results"][1]["problems"]]


@web
def test_a_web_batch_whose_every_record_fails_lists_their_codes(client):
    csv = b"title,signature.date\nA,bad\nB,worse\n"
    response = client.post(
        "/api/batch", data={"template": "work-summary"}, files={"file": ("x.csv", csv)}
    )
    assert 422 == response.status_code
    body = response.json()
    assert ("batch.all_failed", []) == (body["code"], body["problems"])
    assert {"code", "error", "message", "where", "expected", "found", "problems"} <= set(body)
    assert all(f["code"] and f["code"] in table() for f in body["failures"])


@web
def test_the_batch_record_schema_has_the_code_and_the_problems(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    record = schemas["BatchRecord"]["properties"]
    assert {"record", "file", "error", "code", "problems"} == set(record)
