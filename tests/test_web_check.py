"""``POST /api/check`` and ``POST /api/fix``: an uploaded .docx checked or fixed by a template."""

from __future__ import annotations

import base64
import shutil

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


@pytest.mark.usefixtures("chinese")  # the Chinese wording, as teachers read it
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


@pytest.mark.usefixtures("chinese")  # the Chinese wording, as teachers read it
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


@pytest.mark.usefixtures("chinese")  # the Chinese wording, as teachers read it
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


def test_the_english_page_lists_a_fix_s_changes_and_findings_in_english(client):
    english = {"Accept-Language": "en"}  # what the page asks for in English
    body = client.post("/api/fix", files=_upload(), headers=english).json()
    shown = shown_by_the_page("showCheck", body, templates=[], info={}, lang="en")
    summary = "".join(_texts(shown["check-summary"]))
    assert f"Fixed by official: {len(body['changes'])} change(s)" in summary
    changes = "".join(_texts(shown["check-changes"]))
    assert "paragraph 7 “在本学期活动中,我校党支…” [date] 2013年09月05日 → 2013年9月5日" in changes
    assert "[numbering] 1、 → 一、" in changes
    for kind in ("[标点]", "[日期]", "[编号]", "第7段"):
        assert kind not in changes
    checked = client.post("/api/check", files=_upload(), headers=english).json()
    shown = shown_by_the_page("showCheck", checked, templates=[], info={}, lang="en")
    findings = "".join(_texts(shown["check-findings"]))
    assert "[date.leading_zero]" in findings
    assert "expected: " in findings
    assert "应为" not in findings


# --- page previews beside the findings --------------------------------------------------------


def _is_png_url(page: str) -> bool:
    return page.startswith("data:image/png;base64,") and base64.b64decode(
        page.split(",", 1)[1]
    ).startswith(b"\x89PNG")


def test_without_preview_asked_there_is_none(client):
    body = client.post("/api/check", files=_upload()).json()
    assert (None, None) == (body["preview"], body["preview_error"])
    body = client.post("/api/fix", files=_upload()).json()
    assert (None, None, None) == (body["preview"], body["fixed_preview"], body["preview_error"])


def test_without_libreoffice_the_check_and_fix_come_without_preview_saying_why(monkeypatch):
    monkeypatch.setenv("DOCGEN_SOFFICE", "/nonexistent/soffice")  # the workers inherit it
    with make_client() as c:
        body = c.post("/api/check", files=_upload(), data={"preview": "true"}).json()
        assert PLANTED <= {f["code"] for f in body["findings"]}
        assert body["preview"] is None
        assert "pdf.libreoffice_missing" == body["preview_error"]["code"]
        body = c.post("/api/fix", files=_upload(), data={"preview": "true"}).json()
        assert body["document"]
        assert (None, None) == (body["preview"], body["fixed_preview"])
        assert "pdf.libreoffice_missing" == body["preview_error"]["code"]


@pytest.fixture
def pdftoppm(soffice):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")


@pytest.mark.libreoffice
def test_check_with_preview_gives_the_upload_s_first_pages(pdftoppm):
    with make_client(preview_pages=1) as c:
        body = c.post("/api/check", files=_upload(), data={"preview": "true"}).json()
    assert body["preview_error"] is None
    assert 1 == len(body["preview"]["pages"])
    assert _is_png_url(body["preview"]["pages"][0])
    assert isinstance(body["preview"]["more_pages"], bool)


@pytest.mark.libreoffice
def test_fix_with_preview_gives_the_upload_s_and_the_fixed_document_s_pages(client, pdftoppm):
    body = client.post("/api/fix", files=_upload(), data={"preview": "true"}).json()
    assert body["preview_error"] is None
    for preview in (body["preview"], body["fixed_preview"]):
        assert preview["pages"]
        assert all(_is_png_url(page) for page in preview["pages"])
    # python-docx's Letter page and the template's A4 page are drawn differently
    assert body["preview"]["pages"][0] != body["fixed_preview"]["pages"][0]


_PNG = "data:image/png;base64,iVBORw0KGgo="


def test_the_page_shows_the_fixed_and_the_uploaded_pages_beside_the_changes(client):
    body = client.post("/api/fix", files=_upload()).json()
    body["preview"] = {"pages": [_PNG, _PNG], "more_pages": True}
    body["fixed_preview"] = {"pages": [_PNG], "more_pages": False}
    shown = shown_by_the_page("showCheck", body, templates=[], info={})
    assert "hidden" not in shown["check-preview"].get("class", "")
    assert "with-pages" in shown["check-layout"]["class"]
    fixed = shown["check-fixed-pages"]["children"]
    assert ["第 1 页"] == [_texts(f)[0] for f in fixed]
    assert _PNG == fixed[0]["children"][0]["src"]
    uploaded = "".join(_texts(shown["check-pages"]))
    assert "第 1 页第 2 页（只显示前 2 页）" == uploaded
    assert "hidden" not in shown["check-pages-title"].get("class", "")
    assert "hidden" in shown["check-preview-note"]["class"]


def test_the_page_shows_a_check_s_pages_without_a_heading(client):
    body = client.post("/api/check", files=_upload()).json()
    body["preview"] = {"pages": [_PNG], "more_pages": False}
    shown = shown_by_the_page("showCheck", body, templates=[], info={})
    assert "第 1 页" == "".join(_texts(shown["check-pages"]))
    assert "hidden" in shown["check-pages-title"]["class"]
    assert "hidden" in shown["check-fixed-pages-title"]["class"]


def test_the_page_says_why_there_is_no_preview(client):
    body = client.post("/api/check", files=_upload()).json()
    body["preview_error"] = {
        "code": "preview.pdftoppm_missing",
        "message": "pdftoppm is needed for page previews and was not found",
    }
    shown = shown_by_the_page("showCheck", body, templates=[], info={})
    note = "".join(_texts(shown["check-preview-note"]))
    assert note.startswith("无法生成页面预览（pdftoppm is needed")
    assert "[preview.pdftoppm_missing]" in note
    assert "hidden" not in shown["check-preview"].get("class", "")
    assert "with-pages" not in shown["check-layout"].get("class", "")
    assert [] == shown["check-pages"].get("children", [])


def test_without_preview_the_page_shows_no_preview_box(client):
    body = client.post("/api/check", files=_upload()).json()
    shown = shown_by_the_page("showCheck", body, templates=[], info={})
    assert "hidden" in shown["check-preview"]["class"]
