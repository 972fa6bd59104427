"""``POST /api/check`` and ``POST /api/fix``: an uploaded .docx checked or fixed by a template."""

from __future__ import annotations

import base64

import pytest

pytest.importorskip("fastapi")

import docgen
from tests.test_fix import PLANTED, _planted
from tests.test_web import _texts, error_of, make_client, shown_by_the_page

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def client():
    with make_client() as c:
        yield c


def _upload(name: str = "通知.docx", content: bytes | None = None) -> dict:
    return {"file": (name, _planted() if content is None else content, DOCX)}


def test_check_lists_the_findings_of_an_upload(client):
    response = client.post("/api/check", files=_upload(), data={"template": "official"})
    assert 200 == response.status_code, response.text
    body = response.json()
    assert ("通知.docx", "official", False) == (body["file"], body["template"], body["ok"])
    assert PLANTED <= {f["code"] for f in body["findings"]}
    first = next(f for f in body["findings"] if f["code"] == "date.leading_zero")
    assert {"code", "paragraph", "excerpt", "expected", "found", "message", "severity"} == set(
        first
    )


def test_check_of_a_document_docgen_rendered_is_ok(client):
    doc = docgen.render(docgen.load_report("examples/official.yaml")).to_bytes()
    body = client.post("/api/check", files=_upload("o.docx", doc)).json()
    assert (True, []) == (body["ok"], body["findings"])


def test_fix_returns_the_fixed_document_its_changes_and_what_is_left(client):
    response = client.post("/api/fix", files=_upload(), data={"template": "official"})
    assert 200 == response.status_code, response.text
    body = response.json()
    assert "通知-修正.docx" == body["filename"]
    fixed = base64.b64decode(body["document"])
    assert PLANTED.isdisjoint({f.code for f in docgen.check(fixed)})
    assert [f.code for f in docgen.check(fixed)] == [f["code"] for f in body["findings"]]
    kinds = {c["kind"] for c in body["changes"]}
    assert {"标点", "日期", "编号", "格式"} <= kinds


def test_fix_can_return_the_document_itself_with_the_number_of_changes(client):
    response = client.post("/api/fix", files=_upload(), data={"output": "docx"})
    assert 200 == response.status_code, response.text
    assert DOCX == response.headers["content-type"]
    assert int(response.headers["x-docgen-changes"]) > 10
    assert "official" == response.headers["x-docgen-template"]
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    assert response.content.startswith(b"PK")


def test_fix_refuses_a_notice_without_its_recipients_line(client):
    content = _planted(recipients=False)
    response = client.post(
        "/api/fix", files=_upload("n.docx", content), data={"template": "notice"}
    )
    body = error_of(response, 422)
    assert "fix.missing_part" == body["code"]
    assert "n.docx" == body["where"]


@pytest.mark.parametrize("route", ["/api/check", "/api/fix"])
def test_a_file_that_is_not_a_docx_is_refused(client, route):
    body = error_of(client.post(route, files=_upload("a.doc", b"\xd0\xcf\x11\xe0")), 415)
    assert "request.unsupported_type" == body["code"]
    body = error_of(client.post(route, files=_upload("a.docx", "文字".encode())), 422)
    assert body["code"].startswith(("data.", "package."))
    assert "a.docx" in body["where"]


@pytest.mark.parametrize("route", ["/api/check", "/api/fix"])
def test_an_unknown_template_is_a_404_and_a_path_a_400(client, route):
    assert (
        "template.not_found"
        == error_of(client.post(route, files=_upload(), data={"template": "nosuch"}), 404)["code"]
    )
    error_of(client.post(route, files=_upload(), data={"template": "../etc"}), 400)


def test_the_openapi_schema_documents_both_routes(client):
    schema = client.get("/openapi.json").json()
    for path, model in (("/api/check", "CheckResponse"), ("/api/fix", "FixResponse")):
        operation = schema["paths"][path]["post"]
        assert "multipart/form-data" in operation["requestBody"]["content"]
        ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert f"#/components/schemas/{model}" == ok["$ref"]
    assert DOCX in schema["paths"]["/api/fix"]["post"]["responses"]["200"]["content"]


def test_the_page_lists_a_fix_s_changes_and_findings_and_offers_the_document(client):
    body = client.post("/api/fix", files=_upload()).json()
    shown = shown_by_the_page("showCheck", body, templates=[], info={})
    summary = "".join(_texts(shown["check-summary"]))
    assert f"按模板 official 修正了 {len(body['changes'])} 处" in summary
    changes = "".join(_texts(shown["check-changes"]))
    assert "第7段“在本学期活动中,我校党支…” [日期] 2013年09月05日 → 2013年9月5日" in changes
    assert "[编号] 1、 → 一、" in changes
    link = shown["check-download"]
    assert "hidden" not in link.get("class", "")
    assert "下载修正后的文档（通知-修正.docx）" == "".join(_texts(link))


def test_the_page_lists_a_check_s_findings(client):
    body = client.post("/api/check", files=_upload()).json()
    shown = shown_by_the_page("showCheck", body, templates=[], info={})
    assert f"与模板 official 的规范有 {len(body['findings'])} 处不符。" == "".join(
        _texts(shown["check-summary"])
    )
    findings = "".join(_texts(shown["check-findings"]))
    assert "日期中的月、日不编虚位" in findings
    assert "[date.leading_zero]" in findings
    assert "hidden" in shown["check-download"].get("class", "")
