"""docgen serve: the HTTP/JSON API, its errors and limits, and the page (needs the [web] extra)."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import warnings
import zipfile
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import unquote

import click
import pytest
import yaml

import docgen
import docgen.web
from docgen.errors import DataError
from docgen.i18n import use_language
from docgen.web import Settings, server
from docgen.web.errors import RequestError, ServiceError
from docgen.web.jobs import check_pattern
from docgen.web.pool import JobFailed, WorkerPool
from docgen.web.work import Failure, run_limited
from tests.conftest import EXAMPLE_YAML, ROOT, texts

pytest.importorskip("fastapi")
pytest.importorskip("multipart")
uvicorn = pytest.importorskip("uvicorn")
pytest.importorskip("httpx2" if find_spec("httpx2") else "httpx")
create_app = docgen.web.create_app
with warnings.catch_warnings():
    # newer starlette asks for httpx2 when it finds only httpx; either serves its TestClient
    warnings.filterwarnings("ignore", message=r".*install `httpx2`")
    TestClient = pytest.importorskip("fastapi.testclient").TestClient

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# a 1×1 PNG
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

SUMMARY = {
    "title": "2013学年第一学期党支部工作小结",
    "status": "初稿",
    "intro": ["2013学年是学校承上启下的关键年。"],
    "sections": [
        {"title": "围绕主题，开展学习活动", "blocks": ["在本学期活动中，我们认真学习。"]},
        {
            "title": "重在实践，落实发展规划",
            "blocks": ["学习的目的是为了内化。"],
            "subsections": [{"title": "迎接新优质学校中期评审", "blocks": ["本学期，……"]}],
        },
    ],
    "signature": {"org": "徐汇区东二小学党支部", "date": "2014-01"},
}


# The service answers to its loopback names (Host), so the test client calls it by one.
BASE = "http://127.0.0.1:8000"


def make_client(**settings: object) -> TestClient:
    values: dict[str, object] = {"workers": 1, "examples_dir": str(ROOT / "examples")}
    values.update(settings)
    return TestClient(create_app(Settings(**values)), base_url=BASE)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def client():
    with make_client() as c:
        yield c


def error_of(response, status: int) -> dict:
    """The response is a docgen-shaped JSON error with *status*."""
    assert status == response.status_code, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert {"error", "message", "where", "expected", "found"} <= set(body)
    assert "Traceback" not in response.text
    return body


def render(client, data=None, **fields):
    return client.post("/api/render", json={"data": SUMMARY if data is None else data, **fields})


# --- the service, the page, the templates ----------------------------------------------------


def test_healthz_answers_without_a_token_and_says_what_the_service_can_do(client):
    body = client.get("/healthz").json()
    assert "ok" == body["status"]
    assert docgen.__version__ == body["version"]
    assert body["token_required"] is False
    assert 20 * 1024 * 1024 == body["max_upload_bytes"]


def test_the_page_at_root_holds_the_ui_in_chinese_with_its_script_and_styles(client):
    page = client.get("/")
    assert 200 == page.status_code
    assert page.headers["content-type"].startswith("text/html")
    for text in ("识别结构", "批量生成", "预览页面", "下载 Word", 'src="static/app.js"', "English"):
        assert text in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "nosniff" == page.headers["x-content-type-options"]
    script = client.get("/static/app.js")
    assert 200 == script.status_code
    assert "XMLHttpRequest" in script.text  # upload progress
    assert "api/batch/" in script.text  # rendering progress, by polling
    assert "http://" not in script.text  # no CDN
    assert "https://" not in script.text
    assert 200 == client.get("/static/style.css").status_code


NODE = shutil.which("node")
PAGE_HARNESS = ROOT / "tests" / "js" / "page.js"


def shown_by_the_page(
    call: str,
    *args: object,
    templates: list,
    info: dict,
    template: str = "work-summary",
    lang: str = "zh",
) -> dict:
    """What the page's own script shows after ``call(*args)``, run under Node (tests/js/page.js).

    The harness stands in for the browser's DOM as the DOM standard has it: a non-node given
    to ``append``/``replaceChildren`` becomes text (``null`` becomes "null").
    """
    if NODE is None:
        pytest.skip("node is not installed: the page's script cannot be run")
    script = Path(docgen.web.__file__).parent / "static" / "app.js"
    scenario = {"templates": templates, "info": info, "template": template, "call": call}
    scenario["lang"] = lang
    scenario["args"] = list(args)
    run = subprocess.run(
        [NODE, str(PAGE_HARNESS), str(script)],
        input=json.dumps(scenario),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert 0 == run.returncode, run.stderr
    return json.loads(run.stdout)


def _texts(node: object) -> list[str]:
    """The text a reader sees in an element: its text nodes and its controls' values."""
    if isinstance(node, str):
        return [node]
    assert isinstance(node, dict)
    own = [node["value"]] if "value" in node else []
    return own + [t for child in node.get("children", []) for t in _texts(child)]


def _field(node: object, label: str) -> dict | None:
    """The ``.field`` whose label reads *label*."""
    if not isinstance(node, dict):
        return None
    children = node.get("children", [])
    if node.get("class") == "field" and children and _texts(children[0]) == [label]:
        return node
    return next((f for c in children if (f := _field(c, label)) is not None), None)


@pytest.mark.parametrize(
    ("term", "expected"),
    [(..., ""), (None, ""), ("2013学年第一学期", "2013学年第一学期")],
    ids=["no term", "null term", "a term"],
)
def test_the_page_shows_an_imported_report_without_a_stray_null(client, term, expected):
    imported = client.post("/api/import", data={"text": "工作小结\n\n一、学习\n认真学习。\n"})
    assert 200 == imported.status_code
    report = imported.json()["report"]
    assert "term" not in report  # the text names no term
    if term is not ...:
        report["term"] = term  # as a data file or the raw JSON box may give it
    templates = client.get("/api/templates").json()
    info = {"work-summary": client.get("/api/templates/work-summary").json()}
    shown = shown_by_the_page("setData", report, [], templates=templates, info=info)
    editor = _texts(shown["editor"])
    assert "null" not in editor, editor
    term_field = _field(shown["editor"], "学期")
    assert term_field is not None, shown["editor"]
    assert [expected] == _texts(term_field["children"][1])


def test_the_page_shows_a_template_s_own_fields_after_the_title_and_term(client):
    templates = client.get("/api/templates").json()
    info = {"work-plan": client.get("/api/templates/work-plan").json()}
    report = {"title": "工作计划", "sections": [{"title": "目标", "blocks": ["一段。"]}]}
    shown = shown_by_the_page(
        "setData", report, [], templates=templates, info=info, template="work-plan"
    )
    groups = [g for g in shown["editor"]["children"] if g.get("class") == "group"]
    headings = [_texts(g["children"][0])[0] for g in groups]
    assert ["标题与状态", "模板字段"] == headings[:2]
    assert _field(groups[1], "行事历") is not None


def test_the_template_list_holds_the_built_in_templates(client):
    templates = {t["name"]: t for t in client.get("/api/templates").json()}
    assert {"work-summary", "work-plan", "notice", "official", "term-comment"} <= set(templates)
    assert "学期评语" == templates["term-comment"]["display_name"]
    assert templates["term-comment"]["uses_report"] is False
    assert templates["work-summary"]["uses_report"] is True
    assert "built-in" == templates["notice"]["origin"]


def test_a_template_s_manifest_numbering_fields_example_and_preview_url(client):
    info = client.get("/api/templates/official").json()
    assert "GBT9704" == info["numbering"]["name"]
    assert ["一、", "（一）", "1.", "（1）"] == info["numbering"]["labels"]
    assert "发文字号" in info["fields"]["doc_number"]["description"]
    assert "examples/official.yaml" == info["example"]["source"]
    assert info["example"]["data"]["title"]
    assert "/api/templates/official/preview.png" == info["preview"]
    summary = client.get("/api/templates/work-summary").json()
    assert "examples/party-branch-summary.yaml" == summary["example"]["source"]


def test_without_an_example_file_the_starter_data_is_the_example():
    with make_client(examples_dir=None) as c:
        info = c.get("/api/templates/term-comment").json()
    assert "starter" == info["example"]["source"]
    assert "student" in info["example"]["data"]
    assert "docgen new term-comment" in info["example"]["yaml"]


def test_an_unknown_template_is_404_and_lists_the_names(client):
    body = error_of(client.get("/api/templates/no-such-template"), 404)
    assert "TemplateNotFoundError" == body["error"]
    assert "work-summary" in body["expected"]
    body = error_of(render(client, template="no-such-template"), 404)
    assert "'no-such-template'" in body["where"]


@pytest.mark.parametrize(
    "path", ["/api/templates/..%5C..%5Cwindows", "/api/templates/%2E%2E", "/api/templates/a..b"]
)
def test_a_template_name_in_the_path_is_never_a_path(client, path):
    body = error_of(client.get(path), 400)
    assert "is not a template name" == body["message"]


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "/etc/passwd", "..\\templates\\x", "C:\\x.docx", "x/y", "..", ""]
)
def test_a_template_name_in_a_request_is_never_a_path(client, name):
    body = error_of(render(client, template=name), 400)
    assert "template" == body["where"]


def test_a_folder_in_the_working_directory_is_not_a_template_name(client, tmp_path, monkeypatch):
    fake = tmp_path / "sneaky"
    fake.mkdir()
    (fake / "template.docx").write_bytes(
        (ROOT / "templates" / "work-summary" / "template.docx").read_bytes()
    )
    monkeypatch.chdir(tmp_path)
    error_of(client.get("/api/templates/sneaky"), 404)  # docgen.render("sneaky") would load it


# --- rendering -------------------------------------------------------------------------------


def test_render_returns_a_docx_that_reopens_with_its_numbered_headings(client):
    response = render(client)
    assert 200 == response.status_code, response.text
    assert DOCX == response.headers["content-type"]
    assert "work-summary" == response.headers["x-docgen-template"]
    paragraphs = texts(response.content)
    assert "2013学年第一学期党支部工作小结（初稿）" == paragraphs[0]
    assert "一、围绕主题，开展学习活动" in paragraphs
    assert "1、迎接新优质学校中期评审" in paragraphs
    assert "徐汇区东二小学党支部" in paragraphs


def test_content_disposition_carries_the_chinese_file_name(client):
    header = render(client).headers["content-disposition"]
    assert header.startswith('attachment; filename="')
    fallback = re.search(r'filename="([^"]*)"', header)[1]
    assert fallback.isascii()
    assert fallback.endswith(".docx")
    encoded = re.search(r"filename\*=UTF-8''(\S+)", header)[1]
    assert "2013学年第一学期党支部工作小结.docx" == unquote(encoded)
    assert "%E5%B7%A5" in encoded  # 工


def test_render_takes_a_file_name_numbering_and_punctuation(client):
    data = {
        "title": "小结",
        "sections": [
            {"title": "学习", "subsections": [{"title": "读书,交流", "blocks": ["好(的)"]}]}
        ],
    }
    response = render(
        client,
        data,
        filename="东二小学/小结.docx",
        numbering="gb/t 9704",
        normalize_punctuation=True,
    )
    assert 200 == response.status_code, response.text
    encoded = re.search(r"filename\*=UTF-8''(\S+)", response.headers["content-disposition"])[1]
    assert "东二小学_小结.docx" == unquote(encoded)  # no folder can reach a client's disk
    paragraphs = texts(response.content)
    assert "（一）读书，交流" in paragraphs
    assert "好（的）" in paragraphs


def test_a_plain_template_renders_plain_data(client):
    record = {
        "school": "徐汇区东二小学",
        "term": "2013学年第一学期",
        "student": {"name": "张小明", "class": "三（2）班"},
        "comment": "你是一个懂事的孩子。",
        "teacher": "王老师",
    }
    response = render(client, record, template="term-comment")
    assert 200 == response.status_code, response.text
    assert any("张小明" in p for p in texts(response.content))
    assert "term-comment.docx" in response.headers["content-disposition"]


def test_a_wrong_field_type_names_the_field_path(client):
    data = {"title": "小结", "sections": [{"title": "学习"}, {"title": 3}]}
    body = error_of(render(client, data), 422)
    assert "DataError" == body["error"]
    assert "data: sections[1].title" == body["where"]
    assert "3 (an int)" == body["found"]


def test_an_unknown_key_is_named_with_a_suggestion(client):
    body = error_of(render(client, {"title": "小结", "sectoins": []}), 422)
    assert "data: sectoins" == body["where"]
    assert "did you mean sections?" in body["message"]


def test_a_template_field_the_data_lacks_is_422(client):
    body = error_of(render(client, {"student": {"name": "张三"}}, template="term-comment"), 422)
    assert "UndefinedVariableError" == body["error"] or "DataError" == body["error"]


@pytest.mark.parametrize(
    ("content", "content_type", "status", "where"),
    [
        (b"{bad json", "application/json", 400, "request body, line 1, column 2"),
        (b"", "application/json", 400, "request body"),
        (b"[1, 2]", "application/json", 400, "request body"),
        (b"\xff\xfe{}", "application/json", 400, "request body"),
        (b'{"data": {}}', "text/plain", 415, "Content-Type"),
        (b'{"data": {"title": "x"}, "fromat": "pdf"}', "application/json", 422, "fromat"),
        (b'{"data": {"title": "x"}, "format": "doc"}', "application/json", 422, "format"),
        (b'{"data": {"title": "x"}, "numbering": "ABC"}', "application/json", 422, "numbering"),
        (
            b'{"data": {"title": "x"}, "normalize_punctuation": "yes"}',
            "application/json",
            422,
            "normalize_punctuation",
        ),
        (b'{"template": "work-summary"}', "application/json", 422, "data"),
        (b'{"data": "title: x"}', "application/json", 422, "data"),
    ],
)
def test_a_malformed_render_request_is_a_4xx_naming_the_place(
    client, content, content_type, status, where
):
    response = client.post("/api/render", content=content, headers={"content-type": content_type})
    assert where == error_of(response, status)["where"]


def test_a_picture_is_a_data_url_never_a_path(client, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(PIXEL)
    data = {"title": "校徽", "intro": [{"type": "image", "source": str(secret), "caption": "图1"}]}
    body = error_of(render(client, data), 422)
    assert "data: intro[0].source" == body["where"]
    assert "data:image/png;base64" in body["expected"]
    url = "data:image/png;base64," + base64.b64encode(PIXEL).decode()
    data["intro"][0]["source"] = url
    response = render(client, data)
    assert 200 == response.status_code, response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        assert any(n.startswith("word/media/docgen") for n in zf.namelist())
    data["intro"][0]["source"] = "data:image/png;base64,@@@"
    assert "is not a valid data: URL" == error_of(render(client, data), 422)["message"]


# --- import -----------------------------------------------------------------------------------


def test_import_of_pasted_text_returns_the_report_and_warnings(client):
    text = "2013学年工作小结（初稿）\n导语。\n一、学习\n内容\n三、实践\n内容\n东二小学\n2014年1月"
    response = client.post("/api/import", data={"text": text})
    assert 200 == response.status_code, response.text
    body = response.json()
    report = body["report"]
    assert "2013学年工作小结" == report["title"]
    assert "初稿" == report["status"]
    assert ["学习", "实践"] == [s["title"] for s in report["sections"]]
    assert "东二小学" == report["signature"]["org"]
    assert any("numbered 3 where 2 was expected" in w for w in body["warnings"])
    # the JSON goes straight back to /api/render
    assert 200 == render(client, report).status_code


def test_import_of_markdown_and_of_an_uploaded_docx(client):
    markdown = "# 小结\n\n## 学习\n\n我们**认真**学习。\n"
    body = client.post("/api/import", data={"text": markdown, "format": "markdown"}).json()
    assert "学习" == body["report"]["sections"][0]["title"]
    rendered = render(client).content
    response = client.post("/api/import", files={"file": ("小结.docx", rendered, DOCX)})
    assert 200 == response.status_code, response.text
    report = response.json()["report"]
    assert "2013学年第一学期党支部工作小结" == report["title"]
    assert "围绕主题，开展学习活动" == report["sections"][0]["title"]


def test_import_of_a_gbk_text_file_names_the_upload_not_a_server_path(client):
    response = client.post(
        "/api/import", files={"file": ("旧小结.txt", "小结\n一、学习\n内容".encode("gbk"))}
    )
    assert 200 == response.status_code, response.text
    warning = " ".join(response.json()["warnings"])
    assert "旧小结.txt" in warning
    assert "GB18030" in warning
    assert "/tmp" not in warning
    assert "upload" not in warning


def test_import_errors_are_4xx(client):
    error_of(client.post("/api/import", data={}), 422)
    both = client.post("/api/import", data={"text": "x"}, files={"file": ("a.txt", b"x")})
    error_of(both, 422)
    body = error_of(client.post("/api/import", files={"file": ("a.exe", b"MZ")}), 415)
    assert "'.exe'" == body["found"]
    body = error_of(client.post("/api/import", files={"file": ("bad.docx", b"not a zip")}), 422)
    assert "bad.docx" in body["where"]
    error_of(client.post("/api/import", data={"text": "   "}), 422)
    body = error_of(client.post("/api/import", data={"text": "x", "format": "html"}), 422)
    assert "format" == body["where"]


# --- batch ------------------------------------------------------------------------------------

SUMMARIES_CSV = (
    "title,intro,signature.org,signature.date\n"
    "一班小结,本学期一班……,一班,2014-01\n"
    "二班小结,本学期二班……,二班,2014年13月\n"
    "三班小结,本学期三班……,三班,2014-01-20\n"
).encode()


def zip_of(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_batch_returns_a_zip_with_a_report_of_the_failed_row(client):
    response = client.post(
        "/api/batch",
        data={"template": "work-summary"},
        files={"file": ("小结.csv", SUMMARIES_CSV, "text/csv")},
    )
    assert 200 == response.status_code, response.text
    assert "application/zip" == response.headers["content-type"]
    assert ("3", "2", "1") == tuple(
        response.headers[h] for h in ("x-docgen-records", "x-docgen-written", "x-docgen-failed")
    )
    members = zip_of(response.content)
    assert {"一班小结.docx", "三班小结.docx", "report.json"} == set(members)
    assert "一班小结" == texts(members["一班小结.docx"])[0]
    report = json.loads(members["report.json"])
    assert 1 == report["failed"]
    failed = [r for r in report["results"] if r["error"]]
    assert ["row 3"] == [r["record"] for r in failed]
    assert "signature.date" in failed[0]["error"]


def test_batch_of_a_spreadsheet_with_a_file_name_pattern(client):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["student.name", "student.class", "comment", "teacher", "term"])
    sheet.append(["张三", "三（1）班", "认真。", "王老师", "2013学年第一学期"])
    sheet.append(["李四", "三（1）班", "努力。", "王老师", "2013学年第一学期"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(
        "/api/batch",
        data={"template": "term-comment", "name": "{student.class}-{student.name}"},
        files={"file": ("名单.xlsx", buffer.getvalue())},
    )
    assert 200 == response.status_code, response.text
    assert {"三（1）班-张三.docx", "三（1）班-李四.docx", "report.json"} == set(
        zip_of(response.content)
    )


def test_a_batch_whose_every_record_fails_is_422_listing_them(client):
    csv = b"title,signature.date\nA,bad\nB,worse\n"
    response = client.post(
        "/api/batch", data={"template": "work-summary"}, files={"file": ("x.csv", csv)}
    )
    body = error_of(response, 422)
    assert "row 2" == body["where"]
    assert ["row 2", "row 3"] == [f["record"] for f in body["failures"]]


def test_a_background_batch_reports_its_progress_then_its_zip(client):
    response = client.post(
        "/api/batch",
        data={"template": "work-summary", "background": "true", "name": "{n}-{title}"},
        files={"file": ("小结.csv", SUMMARIES_CSV)},
    )
    assert 202 == response.status_code, response.text
    job = response.json()["job"]
    assert response.headers["location"].endswith(f"/api/batch/{job}")
    progress = wait_for_job(client, job)
    assert "done" == progress["state"], progress
    assert (3, 3, 1) == (progress["total"], progress["done"], progress["failed"])
    assert ["row 3"] == [f["record"] for f in progress["failures"]]
    zipped = client.get(progress["download"])
    assert 200 == zipped.status_code
    assert {"1-一班小结.docx", "3-三班小结.docx", "report.json"} == set(zip_of(zipped.content))


def wait_for_job(client, job: str) -> dict:
    deadline = time.monotonic() + 30
    while True:
        progress = client.get(f"/api/batch/{job}").json()
        if progress["state"] in {"done", "failed"} or time.monotonic() > deadline:
            return progress
        time.sleep(0.1)


def test_a_background_batch_that_meets_a_bug_ends_failed_not_hanging(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("docgen.web.jobs.render_many", broken)
    response = client.post(
        "/api/batch",
        data={"template": "work-summary", "background": "true"},
        files={"file": ("小结.csv", SUMMARIES_CSV)},
    )
    progress = wait_for_job(client, response.json()["job"])
    assert "failed" == progress["state"]
    assert "InternalError" == progress["error"]["error"]
    assert "secret" not in json.dumps(progress)
    error_of(client.get(f"/api/batch/{progress['job']}/download"), 500)


def test_batch_errors_are_4xx(client):
    def post(data, name="x.csv", content=b"title\nA\n"):
        return client.post("/api/batch", data=data, files={"file": (name, content)})

    assert "template" == error_of(post({}), 422)["where"]
    error_of(post({"template": "work-summary"}, name="x.exe"), 415)
    error_of(post({"template": "../x"}), 400)
    error_of(post({"template": "nope"}), 404)
    body = error_of(post({"template": "work-summary", "name": "{title:>999999999}"}), 422)
    assert "name" == body["where"]
    error_of(post({"template": "work-summary"}, content=b"title\n"), 422)  # no records
    error_of(client.get("/api/batch/no-such-job"), 404)
    error_of(client.get("/api/batch/no-such-job/download"), 404)
    error_of(client.get("/api/batch/..%2F..%2Fetc"), 404)


def test_a_batch_record_file_cannot_name_a_picture_on_the_server(client, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(PIXEL)
    records = json.dumps(
        [
            {"title": "好", "intro": ["正文"]},
            {"title": "坏", "intro": [{"type": "image", "source": str(secret)}]},
        ]
    ).encode()
    response = client.post(
        "/api/batch", data={"template": "work-summary"}, files={"file": ("r.json", records)}
    )
    assert 200 == response.status_code, response.text
    report = json.loads(zip_of(response.content)["report.json"])
    assert "may not name files" in report["results"][1]["error"]


def test_file_name_patterns_hold_plain_fields_only():
    assert "{n}.docx" == check_pattern(None, has_title=False)
    with pytest.raises(RequestError, match="plain fields"):
        check_pattern("{title!r}", has_title=True)
    with pytest.raises(RequestError, match="not a file-name pattern"):
        check_pattern("{title", has_title=True)


# --- limits, tokens, the last resort -----------------------------------------------------------


def test_a_body_over_the_limit_is_413_as_json():
    with make_client(max_body_bytes=1000) as small:
        body = error_of(render(small, {"title": "x" * 2000}), 413)
        assert "request body" == body["where"]

        def chunks():  # no Content-Length: counted as it arrives
            for _ in range(10):
                yield b"x" * 500

        response = small.post(
            "/api/render", content=chunks(), headers={"content-type": "application/json"}
        )
        error_of(response, 413)
        upload = small.post("/api/import", files={"file": ("a.txt", b"x" * 5000)})
        error_of(upload, 413)


def test_a_token_is_needed_on_the_api_when_configured():
    with make_client(token="s3cret") as guarded:
        missing = guarded.get("/api/templates")
        assert "Bearer" == missing.headers["www-authenticate"]
        assert "Authorization header" == error_of(missing, 401)["where"]
        wrong = guarded.get("/api/templates", headers={"Authorization": "Bearer nope"})
        assert "AuthError" == error_of(wrong, 403)["error"]
        basic = guarded.get("/api/templates", headers={"Authorization": "Basic czNjcmV0"})
        error_of(basic, 401)
        right = guarded.get("/api/templates", headers={"Authorization": "Bearer s3cret"})
        assert 200 == right.status_code
        assert 200 == guarded.get("/").status_code  # the page and health need none
        assert guarded.get("/healthz").json()["token_required"] is True
        unread = guarded.post("/api/render", content=b"{", headers={"content-type": "text/x"})
        error_of(unread, 401)  # refused before the body is read


def test_a_bug_is_a_json_500_that_tells_nothing_of_it(caplog):
    app = create_app(Settings(workers=1))

    @app.get("/api/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False, base_url=BASE) as c:
        body = error_of(c.get("/api/boom"), 500)
    assert "InternalError" == body["error"]
    assert "secret" not in json.dumps(body)
    incident = body["where"].split()[-1]
    assert any(incident in r.getMessage() for r in caplog.records)


def test_an_unknown_route_or_method_is_a_json_4xx(client):
    assert "GET /nope" == error_of(client.get("/nope"), 404)["where"]
    error_of(client.get("/api/render"), 405)


def test_a_render_that_passes_the_time_limit_is_stopped_and_the_service_goes_on(make_template):
    slow = make_template(
        (
            "Normal",
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        )
    )
    with make_client(template_dirs=(str(slow.parent),), timeout=1) as c:
        started = time.monotonic()
        body = error_of(render(c, {}, template=slow.stem), 504)
        assert time.monotonic() - started < 20
        assert "ServiceError" == body["error"]
        assert 200 == render(c).status_code


def _sleep_deaf_to_alarms(seconds: float) -> str:
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    time.sleep(seconds)
    return "slept"


def _quick(value: str) -> str:
    return value


def _fails() -> None:
    raise DataError("is wrong", where="x")


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="needs SIGALRM")
def test_a_worker_that_ignores_its_time_limit_is_replaced():
    async def main() -> None:
        pool = WorkerPool(1, timeout=0.5, max_queue=4, grace=0.5)
        try:
            with pytest.raises(ServiceError) as caught:
                await pool.run(_sleep_deaf_to_alarms, 30)
            assert 504 == caught.value.status
            assert "ok" == await pool.run(_quick, "ok", timeout=30)
            with pytest.raises(JobFailed) as failed:
                await pool.run(_fails)
            assert (422, "x") == (failed.value.status, failed.value.body["where"])
        finally:
            pool.close()

    asyncio.run(main())


def test_a_burst_waits_in_line_and_beyond_the_line_is_503():
    async def main() -> list[object]:
        pool = WorkerPool(1, timeout=10, max_queue=1)
        try:
            jobs = [pool.run(_sleep_deaf_to_alarms, 0.3) for _ in range(3)]
            return await asyncio.gather(*jobs, return_exceptions=True)
        finally:
            pool.close()

    results = asyncio.run(main())
    assert 2 == results.count("slept")
    busy = [r for r in results if isinstance(r, ServiceError)]
    assert [503] == [r.status for r in busy]


def test_run_limited_turns_docgen_errors_into_failures():
    result = run_limited(5, _fails)
    assert isinstance(result, Failure)
    assert (422, "DataError") == (result.status, result.body["error"])


# --- OpenAPI, settings, the command, the core -----------------------------------------------


def test_the_openapi_schema_holds_the_report_fields_with_chinese_descriptions(client):
    schema = client.get("/openapi.json").json()
    report = schema["components"]["schemas"]["ReportData"]
    for field in ("title", "status", "intro", "sections", "closing", "signature", "term", "extra"):
        assert field in report["properties"]
    assert "标题" in report["properties"]["title"]["description"]
    assert "落款" in report["properties"]["signature"]["description"]
    section = schema["components"]["schemas"]["SectionData"]
    assert "不写编号" in section["properties"]["title"]["description"]
    render_body = schema["paths"]["/api/render"]["post"]["requestBody"]["content"]
    assert "#/components/schemas/RenderRequest" == render_body["application/json"]["schema"]["$ref"]
    request = schema["components"]["schemas"]["RenderRequest"]
    assert {"template", "format", "numbering", "normalize_punctuation", "data"} <= set(
        request["properties"]
    )
    for path in ("/api/templates", "/api/import", "/api/batch", "/api/batch/{job}", "/healthz"):
        assert path in schema["paths"]
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(schema)))
    assert refs <= set(schema["components"]["schemas"])  # every reference resolves


def test_settings_from_the_environment():
    settings = Settings.from_env(
        {"DOCGEN_TOKEN": "t", "DOCGEN_WEB_WORKERS": "3", "DOCGEN_WEB_TIMEOUT": "9.5"}
    )
    assert ("t", 3, 9.5, "127.0.0.1") == (
        settings.token,
        settings.workers,
        settings.timeout,
        settings.host,
    )
    with pytest.raises(DataError, match="DOCGEN_WEB_WORKERS"):
        Settings.from_env({"DOCGEN_WEB_WORKERS": "many"})
    with pytest.raises(DataError, match=r"Settings\.workers"):
        Settings(workers=0)


def test_settings_take_folders_as_text_or_paths_but_not_one_bare_string(tmp_path):
    settings = Settings(template_dirs=[tmp_path, "tpl"], allowed_hosts=["docgen.school.lan"])
    assert (str(tmp_path), "tpl") == settings.template_dirs
    assert ("docgen.school.lan",) == settings.allowed_hosts
    with pytest.raises(DataError, match=r"Settings\.template_dirs"):
        Settings(template_dirs="/srv/templates")  # type: ignore[arg-type]  # not split into letters
    with pytest.raises(DataError, match=r"Settings\.allowed_hosts"):
        Settings(allowed_hosts="docgen.school.lan")  # type: ignore[arg-type]


def test_docgen_web_app_is_importable_for_any_asgi_server(monkeypatch):
    monkeypatch.setenv("DOCGEN_TOKEN", "from-env")
    monkeypatch.delitem(docgen.web.__dict__, "app", raising=False)
    app = docgen.web.app
    assert "from-env" == app.state.service.settings.token
    assert app is docgen.web.app
    monkeypatch.delitem(docgen.web.__dict__, "app")
    with pytest.raises(AttributeError):
        _ = docgen.web.apps


def test_serve_command_runs_uvicorn_on_loopback_and_warns_without_a_token(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    server.serve_command(port=8123, workers=2, token="abc", template_dirs=("tpl",))
    app, options = calls[0]
    assert ("127.0.0.1", 8123) == (options["host"], options["port"])
    settings = app.state.service.settings
    assert ("abc", 2, ("tpl",)) == (settings.token, settings.workers, settings.template_dirs)
    assert "Warning" not in capsys.readouterr().err
    monkeypatch.delenv("DOCGEN_TOKEN", raising=False)
    server.serve_command(host="0.0.0.0")  # the warning is the point
    assert "without a token" in capsys.readouterr().err
    with use_language("zh"):
        server.serve_command(host="0.0.0.0")
    said = capsys.readouterr().err
    assert "警告：在 0.0.0.0 上监听且没有设置令牌" in said
    assert "个生成进程" in said


def test_serve_command_without_the_extra_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(server, "find_spec", lambda name: None)
    with pytest.raises(click.ClickException, match=re.escape('pip install ".[web]"')):
        server.serve_command()


def test_the_core_library_never_imports_docgen_web():
    core = [p for p in (ROOT / "docgen").rglob("*.py") if "web" not in p.relative_to(ROOT).parts]
    assert core
    for path in core:
        source = path.read_text(encoding="utf-8")
        if path.relative_to(ROOT / "docgen").parts == ("cli", "serve.py"):
            # the CLI is a face too: `docgen serve` imports it lazily
            serve = source[source.index("def serve(") :]
            serve = serve.split("\n\n\n", 1)[0]
            source = source.replace(serve, "")
        assert not re.search(r"docgen\.web|from docgen import web", source), path
    script = (
        "import sys, docgen, docgen.cli, docgen.batch, docgen.records, docgen.starter\n"
        "assert not [m for m in sys.modules if m.startswith(('docgen.web', 'fastapi'))]\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT, timeout=60)


# --- through LibreOffice ------------------------------------------------------------------------


@pytest.fixture
def pdftoppm(soffice):
    """Page previews need poppler's pdftoppm too (.ci/run installs poppler-utils)."""
    found = shutil.which("pdftoppm")
    if found:
        return found
    if os.environ.get("DOCGEN_REQUIRE_LIBREOFFICE"):
        pytest.fail("pdftoppm is required here but not on PATH")
    pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    raise AssertionError  # unreachable; pytest.skip raises


@pytest.mark.libreoffice
def test_render_to_pdf(client, soffice):
    response = render(client, format="pdf")
    assert 200 == response.status_code, response.text
    assert "application/pdf" == response.headers["content-type"]
    assert response.content.startswith(b"%PDF")
    encoded = re.search(r"filename\*=UTF-8''(\S+)", response.headers["content-disposition"])[1]
    assert "2013学年第一学期党支部工作小结.pdf" == unquote(encoded)


@pytest.mark.libreoffice
def test_preview_returns_the_pages_as_png(client, pdftoppm):
    data = yaml.safe_load(EXAMPLE_YAML.read_text(encoding="utf-8"))
    response = client.post("/api/preview", json={"template": "work-summary", "data": data})
    assert 200 == response.status_code, response.text
    body = response.json()
    assert body["pages"]
    for page in body["pages"]:
        assert page.startswith("data:image/png;base64,")
        assert base64.b64decode(page.split(",", 1)[1]).startswith(b"\x89PNG")


@pytest.mark.libreoffice
def test_a_template_preview_is_a_png_made_once(client, pdftoppm):
    first = client.get("/api/templates/notice/preview.png")
    assert 200 == first.status_code, first.text
    assert first.content.startswith(b"\x89PNG")
    started = time.monotonic()
    again = client.get("/api/templates/notice/preview.png")
    assert first.content == again.content
    assert time.monotonic() - started < 1  # cached


# --- which sites may call the service ----------------------------------------------------------


def test_a_request_naming_another_host_is_refused(client):
    # DNS rebinding: a page whose name its owner points at 127.0.0.1 names its own host
    body = error_of(client.get("/api/templates", headers={"host": "evil.example:8000"}), 403)
    assert "Host header" == body["where"]
    assert "evil.example:8000" == body["found"]
    assert "--allow-host" in body["expected"]
    assert 200 == client.get("/api/templates", headers={"host": "localhost:8000"}).status_code


def test_a_post_from_a_page_of_another_site_is_refused(client):
    response = client.post(
        "/api/render", json={"data": SUMMARY}, headers={"origin": "https://evil.example"}
    )
    body = error_of(response, 403)
    assert "Origin header" == body["where"]
    assert "https://evil.example" == body["found"]
    same_site = client.post("/api/render", json={"data": SUMMARY}, headers={"origin": BASE})
    assert 200 == same_site.status_code
    assert 200 == render(client).status_code  # a program sends no Origin


def test_names_the_service_answers_to_can_be_added():
    with make_client(allowed_hosts=("docgen.school.lan",)) as c:
        assert 200 == c.get("/healthz", headers={"host": "docgen.school.lan"}).status_code
        assert 403 == c.get("/healthz", headers={"host": "other.lan"}).status_code


def test_listening_everywhere_without_a_list_answers_to_any_name():
    with make_client(host="0.0.0.0") as c:
        assert 200 == c.get("/healthz", headers={"host": "192.168.1.20:8000"}).status_code


def test_a_batch_over_the_services_record_limit_stops_while_reading():
    rows = "".join(f"第{n}份,内容\n" for n in range(50))
    with make_client(batch_max_records=3) as c:
        response = c.post(
            "/api/batch",
            data={"template": "work-summary"},
            files={"file": ("many.csv", "title,text\n" + rows)},
        )
        body = error_of(response, 422)
    assert "holds more than the 3 records a batch may have" in body["message"]
    assert "many.csv" in body["where"]


def _sleep_then(seconds: float, value: str) -> str:
    """A job for the pool's worker (module level, so a spawned worker can import it)."""
    time.sleep(seconds)
    return value


def test_a_request_whose_client_leaves_while_it_waits_never_runs():
    from docgen.web.pool import ClientGoneError, WorkerPool  # noqa: PLC0415

    async def scenario() -> tuple[str, str, float, int]:
        pool = WorkerPool(1, timeout=30, max_queue=8)
        try:
            busy = asyncio.ensure_future(pool.run(_sleep_then, 2.0, "first"))
            await asyncio.sleep(0.5)  # the one worker is busy

            async def gone() -> bool:
                return True

            started = time.monotonic()
            with pytest.raises(ClientGoneError):
                await pool.run(_sleep_then, 0.0, "never", gone=gone)
            left_after = time.monotonic() - started
            waiting = pool.busy  # requests still waiting for a worker

            async def here() -> bool:
                return False

            second = await pool.run(_sleep_then, 0.0, "second", gone=here)
            return await busy, second, left_after, waiting
        finally:
            pool.close()

    first, second, left_after, waiting = asyncio.run(scenario())
    assert ("first", "second") == (first, second)
    assert left_after < 1.0  # it left the line at once, not after the busy job
    assert 0 == waiting


def test_a_running_job_whose_client_leaves_is_stopped_and_its_worker_freed():
    from docgen.web.pool import JobFailed, WorkerPool  # noqa: PLC0415

    async def scenario() -> tuple[int, float, str, float]:
        pool = WorkerPool(1, timeout=30, max_queue=8)
        try:
            await pool.run(_sleep_then, 0.0, "warm")  # the worker is started
            asked = time.monotonic() + 0.5

            async def gone_soon() -> bool:
                return time.monotonic() > asked

            started = time.monotonic()
            with pytest.raises(JobFailed) as info:
                await pool.run(_sleep_then, 10.0, "never", gone=gone_soon)
            stopped_after = time.monotonic() - started
            started = time.monotonic()
            after = await pool.run(_sleep_then, 0.0, "next")
            return info.value.status, stopped_after, after, time.monotonic() - started
        finally:
            pool.close()

    status, stopped_after, after, next_took = asyncio.run(scenario())
    assert 499 == status
    assert stopped_after < 3  # not the job's 10 s
    assert "next" == after
    assert next_took < 3  # the same worker, free again
