"""Messages in the user's language (docgen.i18n): the catalog is complete and compiled, and
the command line, the library and the web API speak Chinese to a Chinese reader.
"""

from __future__ import annotations

import gettext
import io
import json
import pickle
import re
import subprocess
import sys
import warnings
from importlib.util import find_spec
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner
from docx import Document

import docgen
from docgen.cli import main
from docgen.errors import DataError, DocgenWarning, OutputExistsError
from docgen.i18n import (
    LOCALE_DIR,
    _,
    current_language,
    language_from_accept,
    language_from_env,
    lazy,
    use_language,
)
from tests.conftest import ROOT

PO = LOCALE_DIR / "zh" / "LC_MESSAGES" / "docgen.po"
MO = PO.with_suffix(".mo")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _catalog():
    with PO.open("rb") as f:
        return read_po(f, locale="zh")


def _msgid(message):
    return message.id if isinstance(message.id, str) else message.id[0]


def _extract(tmp_path):
    pybabel = Path(sys.executable).with_name("pybabel")
    if not pybabel.exists():
        pytest.skip("pybabel is not installed next to this Python")
    pot = tmp_path / "docgen.pot"
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", "pyproject.toml", "-o", str(pot), "docgen"],
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    with pot.open("rb") as f:
        return read_po(f)


# --- the catalog -------------------------------------------------------------------------------


def test_every_marked_message_has_a_chinese_translation(tmp_path):
    def done(string):
        return all(string) if isinstance(string, tuple) else bool(string)

    translated = {_msgid(m): done(m.string) for m in _catalog() if m.id}
    untranslated = [_msgid(m) for m in _extract(tmp_path) if m.id and not translated.get(_msgid(m))]
    assert [] == untranslated, (
        f"{len(untranslated)} message(s) without Chinese: run `python3 tasks.py translations` "
        "and translate them in docgen/locale/zh/LC_MESSAGES/docgen.po"
    )


def test_every_translation_keeps_the_placeholders_of_its_message():
    def fields(text):
        return set(re.findall(r"(?<!\{)\{([^{}]*)\}(?!\})", text))

    wrong = [
        (_msgid(m), m.string)
        for m in _catalog()
        if m.id and isinstance(m.id, str) and "{" in m.id and fields(m.id) != fields(m.string)
    ]
    assert [] == wrong


def test_the_compiled_catalog_is_up_to_date_with_the_po():
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)._catalog
    expected = {}
    for m in _catalog():
        if not m.id:
            continue
        if isinstance(m.id, str):
            expected[m.id] = m.string
        else:
            for i, form in enumerate(m.string):
                expected[(m.id[0], i)] = form
    compiled = {k: v for k, v in compiled.items() if k != ""}
    assert expected == compiled, "run `python3 tasks.py translations` to compile the .mo"


# --- choosing the language ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "C"}, "en"),
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ({"LANG": "C", "LC_ALL": "zh_CN.GB18030"}, "zh"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
    ],
)
def test_the_environment_chooses_the_language(environ, language):
    assert language == language_from_env(environ)


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("zh-CN", "zh"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("fr, zh;q=0.5", "zh"),
        ("fr", None),
        ("", None),
        ("zh;q=0, en", "en"),
    ],
)
def test_accept_language_chooses_the_language(header, language):
    assert language == language_from_accept(header)


def test_use_language_sets_and_restores():
    with use_language("en"):
        with use_language("zh"):
            assert "zh" == current_language()
        assert "en" == current_language()


# --- errors and warnings -----------------------------------------------------------------------


def test_an_error_raised_in_english_reads_chinese_when_shown_under_chinese(tmp_path):
    path = tmp_path / "小结.yaml"
    path.write_text("title: 小结\nsectoins: []\n", encoding="utf-8")
    with use_language("en"), pytest.raises(DataError) as info:
        docgen.load_report(path)
    english = str(info.value)
    assert "is not a known key (did you mean sections?)" in english
    with use_language("zh"):
        chinese = str(info.value)
        body = info.value.to_dict()
    assert "不是已知的键（是否想写 sections？）" in chinese
    assert "；应为以下之一：" in chinese
    assert "不是已知的键（是否想写 sections？）" == body["problems"][0]["message"]
    # and back: the error did not keep the Chinese
    with use_language("en"):
        assert english == str(info.value)


def test_a_pickled_error_still_translates():
    error = OutputExistsError(
        lazy("already exists; docgen does not overwrite files unless asked"), where="a.docx"
    )
    copy = pickle.loads(pickle.dumps(error))
    with use_language("zh"):
        assert "a.docx：已存在；docgen 不会覆盖文件，除非指定 --overwrite" == str(copy)


def test_a_warning_is_shown_in_the_language_active_when_it_is_read():
    with use_language("en"), warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        docgen.render(docgen.Report("题", extra={"unused_field": "x"}), "work-summary")
    (warning,) = [w for w in seen if issubclass(w.category, DocgenWarning)]
    with use_language("zh"):
        assert "模板 'work-summary' 没有用到" in str(warning.message)
    with use_language("en"):
        assert "not used by the template 'work-summary'" in str(warning.message)


# Errors users meet most, each made under Chinese: the message must be Chinese, with no English
# sentence left in it (names, paths, codes and keys may stay).
_LONGEST_ENGLISH = 4


def _english_runs(text):
    """Runs of ASCII words (not names in quotes, paths or keys) longer than allowed."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"|\S*[/\\.]\S*|\S+:(?=\s)|--?[\w-]+", " ", text)
    sentence = r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){" + str(_LONGEST_ENGLISH) + ",}\b"
    runs = re.findall(sentence, text)
    return [r.strip() for r in runs]


def _common_errors(tmp_path):
    def data(text):
        path = tmp_path / "data.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    yield lambda: docgen.load_report(data("title: 小结\nsectoins: []\n"))
    yield lambda: docgen.load_report(data("title: 3\n"))
    yield lambda: docgen.load_report(data("status: 初稿\n"))
    yield lambda: docgen.load_report(data("title: [1\n"))
    yield lambda: docgen.load_report(tmp_path / "none.yaml")
    yield lambda: docgen.Template.load("no-such-template")
    yield lambda: docgen.render({"title": "题"}, docgen.Template.load("term-comment"))
    existing = tmp_path / "out.docx"
    existing.write_bytes(b"x")
    doc = docgen.render(docgen.Report("题"), "work-summary")
    yield lambda: doc.save(existing)


def test_common_errors_read_chinese_under_chinese(tmp_path):
    checked = 0
    for make in _common_errors(tmp_path):
        with use_language("zh"), warnings.catch_warnings():
            warnings.simplefilter("ignore", DocgenWarning)
            try:
                make()
            except docgen.DocgenError as exc:
                text = str(exc)
            else:
                pytest.fail(f"{make} raised nothing")
        assert CJK.search(text), text
        assert [] == _english_runs(text), text
        checked += 1
    assert checked == 8


def _assert_chinese(text):
    assert CJK.search(text), text
    assert [] == _english_runs(text), text


def test_importer_warnings_read_chinese_under_chinese():
    from docgen.importers import import_markdown, import_text  # noqa: PLC0415

    with use_language("zh"):
        warned = [
            *import_text("小结\n一、学习\n内容\n三、实践\n内容").warnings,
            *import_text("一、学习\n内容").warnings,  # no title
            *import_markdown("# 小结\n\n- 甲\n  - 乙\n").warnings,
        ]
    assert len(warned) >= 3, warned
    for warning in warned:
        _assert_chinese(warning)


@pytest.mark.parametrize(
    "make",
    [
        lambda: docgen.cn.from_chinese("十十"),
        lambda: docgen.cn.from_chinese(""),
        lambda: docgen.cn.from_chinese("三点"),
        lambda: docgen.cn.to_chinese(0.1),
        lambda: docgen.cn.rmb_upper(1.5),
    ],
)
def test_numeral_errors_read_chinese_under_chinese(make):
    with use_language("zh"), pytest.raises(docgen.DocgenError) as info:
        make()
    with use_language("zh"):
        _assert_chinese(str(info.value))


def test_a_missing_attribute_names_its_owner_in_chinese(tmp_path):
    with use_language("zh"), warnings.catch_warnings():
        warnings.simplefilter("ignore", DocgenWarning)
        template = docgen.Template.load("term-comment")
        with pytest.raises(docgen.DocgenError) as info:
            docgen.render({"title": "题"}, template)
        _assert_chinese(str(info.value))


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "zh", "render"],  # a missing argument
        ["--lang", "zh", "render", "--nope", "x.yaml"],  # no such option
        ["--lang", "zh", "rendr"],  # no such command
        ["--lang", "zh", "render", "x.yaml", "-t"],  # an option without its value
        ["--lang", "zh", "render", "x.yaml", "--format", "gif"],  # not one of the choices
    ],
)
def test_click_usage_errors_read_chinese_under_lang_zh(args):
    result = _cli(args, {"LANG": "C", "LC_ALL": None, "LC_MESSAGES": None})
    assert 2 == result.exit_code
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("错误：")]
    _assert_chinese(error)
    assert "Error" not in result.stderr
    assert "Try " not in result.stderr


def test_click_usage_errors_stay_english_and_click_is_left_as_it_was():
    import click.exceptions  # noqa: PLC0415

    before = click.exceptions._
    result = _cli(["--lang", "en", "render"], {"LANG": "zh_CN.UTF-8"})
    assert result.stderr.endswith("Error: Missing argument 'DATA'.\n"), result.stderr
    _cli(["--lang", "zh", "render"])
    assert before is click.exceptions._
    result = _cli(["render"], {"LANG": "C", "LC_ALL": None, "LC_MESSAGES": None})
    assert "render --help' for help." in result.stderr


def test_every_click_message_translated_is_still_worded_so_by_click():
    import click  # noqa: PLC0415

    source = "".join(
        path.read_text(encoding="utf-8") for path in Path(click.__file__).parent.glob("*.py")
    )
    with (LOCALE_DIR / "zh" / "LC_MESSAGES" / "click.po").open("rb") as f:
        catalog = read_po(f, locale="zh")
    stale = [_msgid(m) for m in catalog if m.id and repr(_msgid(m))[1:-1] not in source]
    assert [] == stale


# --- the command line --------------------------------------------------------------------------


def _cli(args, env=None):
    return CliRunner().invoke(main, args, env=env or {})


@pytest.fixture
def bad_data(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("title: 小结\nsectoins: []\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "env"),
    [
        ([], {"LANG": "zh_CN.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}),
        (["--lang", "zh"], {"LANG": "C", "LC_ALL": None, "LC_MESSAGES": None}),
    ],
)
def test_the_cli_speaks_chinese_under_a_chinese_locale_or_lang_zh(tmp_path, bad_data, args, env):
    out = tmp_path / "out.docx"
    result = _cli([*args, "render", str(bad_data), "-o", str(out)], env)
    assert 1 == result.exit_code
    assert "错误：" in result.stderr
    assert "不是已知的键（是否想写 sections？）" in result.stderr

    result = _cli([*args, "render", str(bad_data), "-t", "nope", "-o", str(out)], env)
    assert "错误：'nope'：既不是文件、文件夹，也不是已知的模板名称" in result.stderr

    good = tmp_path / "good.yaml"
    good.write_text("title: 小结\nextra:\n  unused_field: x\n", encoding="utf-8")
    result = _cli([*args, "render", str(good), "-t", "work-summary", "-o", str(out)], env)
    assert 0 == result.exit_code, result.stderr
    assert "已写入" in result.stderr
    assert "警告：extra.unused_field：模板 'work-summary' 没有用到" in result.stderr

    records = tmp_path / "records.csv"
    records.write_text("title\n甲\n乙\n", encoding="utf-8")
    result = _cli([*args, "batch", "work-summary", str(records), "-o", str(tmp_path / "out")], env)
    assert "生成 2 份，跳过 0 份，失败 0 份" in result.stderr


def test_the_cli_speaks_english_under_lang_c(tmp_path, bad_data):
    env = {"LANG": "C", "LC_ALL": None, "LC_MESSAGES": None}
    result = _cli(["render", str(bad_data), "-o", str(tmp_path / "o.docx")], env)
    assert result.stderr.startswith(f"Error: {bad_data}: sectoins: is not a known key")
    assert not CJK.search(result.stderr.split("expected")[0])
    result = _cli(["--lang", "en", "render", str(bad_data), "-o", "x.docx"], {"LANG": "zh_CN"})
    assert "is not a known key (did you mean sections?)" in result.stderr


def test_json_errors_are_in_the_language_too(tmp_path, bad_data):
    result = _cli(["--lang", "zh", "--json-errors", "render", str(bad_data), "-o", "x.docx"])
    body = json.loads(result.stderr)
    assert ("data.unknown_key", "不是已知的键（是否想写 sections？）") == (
        body["code"],
        body["message"],
    )


def test_a_batch_with_workers_reports_its_failures_in_the_language(tmp_path):
    records = tmp_path / "records.csv"
    records.write_text("title,extra.a b\n甲,1\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["--lang", "zh", "batch", "work-summary", str(records), "-o", str(out), "-w", "2"]
    result = _cli(args)
    assert "失败 1 份" in result.stderr
    assert "错误：" in result.stderr
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("错误：")]
    assert CJK.search(line.removeprefix("错误："))


# --- the web API -------------------------------------------------------------------------------


def test_the_web_api_answers_in_the_language_of_accept_language():
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx2" if find_spec("httpx2") else "httpx")
    from docgen.web import create_app  # noqa: PLC0415
    from docgen.web.settings import Settings  # noqa: PLC0415

    with warnings.catch_warnings():
        # newer starlette asks for httpx2 when it finds only httpx (as in tests/test_web.py)
        warnings.filterwarnings("ignore", message=r".*install `httpx2`")
        from fastapi.testclient import TestClient  # noqa: PLC0415

        client = TestClient(create_app(Settings(workers=1)), base_url="http://127.0.0.1:8000")
    with client:
        request = {"template": "work-summary", "data": {"title": "小结", "sectoins": []}}
        zh = client.post("/api/render", json=request, headers={"Accept-Language": "zh-CN"})
        en = client.post("/api/render", json=request, headers={"Accept-Language": "en"})
        nope = client.post(
            "/api/render",
            json={"template": "nope", "data": {"title": "x"}},
            headers={"Accept-Language": "zh-CN,zh;q=0.9"},
        )
    assert 422 == zh.status_code == en.status_code
    assert "不是已知的键（是否想写 sections？）" in zh.json()["problems"][0]["message"]
    assert "is not a known key (did you mean sections?)" == en.json()["problems"][0]["message"]
    assert CJK.search(nope.json()["message"]), nope.json()


def test_the_web_api_answers_404_405_and_422_in_chinese():
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx2" if find_spec("httpx2") else "httpx")
    from docgen.web import create_app  # noqa: PLC0415
    from docgen.web.settings import Settings  # noqa: PLC0415

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*install `httpx2`")
        from fastapi.testclient import TestClient  # noqa: PLC0415

        client = TestClient(create_app(Settings(workers=1)), base_url="http://127.0.0.1:8000")
    zh = {"Accept-Language": "zh-CN"}
    with client:
        answers = [
            client.get("/api/nope", headers=zh),
            client.get("/api/render", headers=zh),
            client.post("/api/render", json={"template": 3}, headers=zh),
            client.post(
                "/api/render", content=b"{", headers={**zh, "content-type": "application/json"}
            ),
            client.post("/api/render", json={"template": "work-summary"}, headers=zh),
        ]
        english = client.get("/api/nope", headers={"Accept-Language": "en"}).json()
    assert [404, 405, 422, 400, 422] == [a.status_code for a in answers]
    for answer in answers:
        body = answer.json()
        text = f"{body['where']}：{body['message']}"
        _assert_chinese(text)
        for problem in body["problems"]:
            _assert_chinese(problem["message"])
    assert "not found" == english["message"]


# --- the wheel ---------------------------------------------------------------------------------


def test_the_catalog_is_inside_the_package_that_the_wheel_carries():
    # pyproject's wheel target takes the whole docgen/ package: the .mo is in it
    assert MO.is_relative_to(Path(docgen.__file__).parent)
    assert MO.stat().st_size > 1000  # tests/test_wheel.py checks the built wheel holds it


def test_translating_before_anything_else_is_fast_enough_and_english_is_the_msgid():
    with use_language("en"):
        assert "expected {expected}" != _("expected {expected}", expected="x")
        assert "expected x" == _("expected {expected}", expected="x")


# --- issue 19 leftovers: expected/found texts, importer warnings, pydantic types ---------------


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: docgen.cn.format_date("2014-01-15", "nope"), "以下之一："),
        (lambda: docgen.cn.NumberingScheme.preset("nope"), "以下之一："),
        (lambda: docgen.cn.font_size("七十号"), "以下之一："),
        (lambda: docgen.cn.size_name(13.3), "以下之一（单位：磅）："),
        (lambda: docgen.cn.SchoolYear(2013).name("long"), "'start' 或 'span' 或 'span_du'"),
    ],
)
def test_what_the_conventions_expected_reads_chinese_under_chinese(make, expected):
    with use_language("en"), pytest.raises(docgen.DocgenError) as info:
        make()  # raised under English, shown under Chinese
    with use_language("zh"):
        assert info.value.expected.startswith(expected), info.value.expected
        _assert_chinese(str(info.value))
        assert "one of" not in str(info.value)


def test_an_import_of_an_unknown_suffix_and_a_picture_that_is_none_read_chinese(tmp_path):
    from docgen.importers import import_file  # noqa: PLC0415

    odd = tmp_path / "小结"
    odd.write_text("小结", encoding="utf-8")
    empty = tmp_path / "空.png"
    empty.write_bytes(b"")
    other = tmp_path / "文字.png"
    other.write_text("不是图片", encoding="utf-8")
    with use_language("zh"):
        with pytest.raises(DataError) as info:
            import_file(odd)
        assert "没有扩展名" == info.value.found
        assert info.value.expected.startswith("以下之一：")
        for picture, found in [(empty, "一个空文件"), (other, "一个 12 字节、其他格式的文件")]:
            report = docgen.Report("题", intro=[docgen.Image(str(picture))])
            with pytest.raises(docgen.RenderError) as info:
                docgen.render(report, "work-summary")
            assert found == info.value.found
            _assert_chinese(str(info.value))


def test_a_sandbox_refusal_raised_under_english_reads_chinese_when_shown(tmp_path):
    from tests.test_reliability import write_template  # noqa: PLC0415

    tpl = write_template(tmp_path, "{{ 'x' * 999999999 }}")
    with use_language("en"), pytest.raises(docgen.RenderError) as info:
        docgen.render({}, tpl)
    assert "the operator * would build a value of 999,999,999 characters" in str(info.value)
    with use_language("zh"):
        shown = str(info.value)
    assert "运算符 * 会生成 999,999,999 个字符或项的值" in shown, shown
    _assert_chinese(shown)


def test_importer_warnings_made_under_english_read_chinese_when_read_under_chinese():
    from docgen.importers import import_markdown, import_text  # noqa: PLC0415

    with use_language("en"):
        results = [
            import_text("小结\n一、学习\n内容\n三、实践\n内容"),
            import_text("一、学习\n内容"),
            import_markdown("# 小结\n\n- 甲\n  - 乙\n"),
        ]
        english = [w for r in results for w in r.warnings]
    assert any("is numbered 3 where 2 was expected" in w for w in english), english
    with use_language("zh"):
        chinese = [w for r in results for w in r.warnings]
    assert len(english) == len(chinese) >= 3
    for warning in chinese:
        assert warning.startswith("<text>：") or warning.startswith("<markdown>："), warning
        _assert_chinese(warning)
    # and the result still pickles (a web worker sends it back) and reads English again
    copy = pickle.loads(pickle.dumps(results[0]))
    with use_language("en"):
        assert english[: len(results[0].warnings)] == copy.warnings


def _web_client():
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx2" if find_spec("httpx2") else "httpx")
    from docgen.web import create_app  # noqa: PLC0415
    from docgen.web.settings import Settings  # noqa: PLC0415

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*install `httpx2`")
        from fastapi.testclient import TestClient  # noqa: PLC0415

        return TestClient(create_app(Settings(workers=1)), base_url="http://127.0.0.1:8000")


def test_the_web_api_describes_what_it_found_and_expected_in_chinese():
    zh = {"Accept-Language": "zh-CN"}
    with _web_client() as client:
        not_json = client.post("/api/render", content=b"{}", headers={**zh, "content-type": ""})
        a_list = client.post("/api/render", json={"data": [1, 2]}, headers=zh)
        typo = client.post("/api/render", json={"fromat": "pdf", "data": {}}, headers=zh)
        bad_json = client.post(
            "/api/render", content=b'{"data": }', headers={**zh, "content-type": "application/json"}
        )
        no_template = client.post(
            "/api/render", json={"template": "nope-nope", "data": {"title": "x"}}, headers=zh
        )
        odd_upload = client.post(
            "/api/import", files={"file": ("小结.xyz", b"x")}, headers=zh, data={}
        )
    assert ("没有 Content-Type", 415) == (not_json.json()["found"], not_json.status_code)
    assert "含 2 项的列表" == a_list.json()["found"]
    assert "不是生成请求的字段（是否想写 format？）" in typo.json()["message"], typo.json()
    assert bad_json.json()["where"].startswith("请求正文第 1 行第 "), bad_json.json()
    assert "模板 'nope-nope'" == no_template.json()["where"], no_template.json()
    assert no_template.json()["expected"].startswith("以下之一：")
    assert ("文件 '小结.xyz'", 415) == (odd_upload.json()["where"], odd_upload.status_code)
    for answer in (not_json, a_list, typo, bad_json, no_template, odd_upload):
        body = answer.json()
        _assert_chinese(f"{body['where']}：{body['message']}；{body['expected']}；{body['found']}")


def test_a_web_form_field_refused_by_pydantic_reads_chinese_with_what_it_found():
    docx = docgen.render(docgen.Report("题"), "work-summary").to_bytes()
    with _web_client() as client:
        answer = client.post(
            "/api/check",
            files={"file": ("小结.docx", docx)},
            data={"template": "work-summary", "preview": "maybe"},
            headers={"Accept-Language": "zh-CN"},
        )
    body = answer.json()
    assert 422 == answer.status_code, body
    (problem,) = body["problems"]
    assert ("/preview", "'maybe'（str 类型）") == (problem["path"], problem["found"])
    assert problem["found"] == body["found"]
    assert "应为是或否" in problem["message"]
    _assert_chinese(problem["message"])


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            {
                "type": "union_tag_invalid",
                "ctx": {
                    "tag": "x",
                    "discriminator": "'type'",
                    "expected_tags": "'paragraph', 'table'",
                },
            },
            "按 'type' 找到的类型 'x' 不是以下任何一种",
        ),
        ({"type": "date_parsing", "ctx": {"error": "input is too short"}}, "应为 YYYY-MM-DD 格式"),
        ({"type": "int_from_float"}, "应为整数，但这个数有小数部分"),
        (
            {"type": "url_parsing", "ctx": {"error": "relative URL without a base"}},
            "应为有效的网址",
        ),
        ({"type": "none_required"}, "应为空值"),
        (
            {"type": "bytes_too_long", "ctx": {"max_length": 3}},
            "不是此字段可以接受的值（未通过的检查：bytes_too_long）",
        ),
    ],
)
def test_pydantic_error_types_mapped_now_or_unknown_read_chinese(error, expected):
    pytest.importorskip("fastapi")
    from fastapi.exceptions import RequestValidationError  # noqa: PLC0415
    from pydantic_core import ValidationError  # noqa: PLC0415

    from docgen.web.handlers import EXCEPTION_HANDLERS  # noqa: PLC0415

    raw = ValidationError.from_exception_data(
        "x", [{"loc": ("title",), "input": 2.5, **error}]
    ).errors()
    handler = EXCEPTION_HANDLERS[RequestValidationError]

    def answer(language):
        with use_language(language):
            import asyncio  # noqa: PLC0415

            response = asyncio.run(handler(None, RequestValidationError(raw)))
            return json.loads(response.body)

    zh, en = answer("zh"), answer("en")
    (problem,) = zh["problems"]
    assert expected in problem["message"], problem
    assert ("/title", "2.5（float 类型）") == (problem["path"], problem["found"]), problem
    _assert_chinese(f"{zh['where']}：{zh['message']}")
    assert raw[0]["msg"][1:] in en["message"]  # English: pydantic's own text, as before
    if error["type"] == "bytes_too_long":  # unknown: the English explanation as `expected`
        assert raw[0]["msg"] == problem["expected"] == zh["expected"]
    else:
        assert problem["expected"] is None


def test_where_an_error_is_reads_chinese_under_chinese(tmp_path):
    """Record files' rows and records, and a template's paragraph, are named in the language."""
    table = tmp_path / "marks.csv"
    table.write_text("name,mark\n张三,90\n李四,85,extra\n", encoding="utf-8")
    listed = tmp_path / "marks.json"
    listed.write_text('[{"name": "张三"}, 3]', encoding="utf-8")
    template = tmp_path / "t.docx"
    template.write_bytes(_one_paragraph_docx("总分：{{ 1 / zero }}"))
    with use_language("zh"):
        with pytest.raises(DataError) as row:
            docgen.read_records(table)
        with pytest.raises(DataError) as record:
            docgen.read_records(listed)
        with pytest.raises(docgen.RenderError) as paragraph:
            docgen.render({"zero": 0}, template)
        wheres = [str(e.value.where) for e in (row, record, paragraph)]
    assert f"{table}，第 3 行" == wheres[0]
    assert f"{listed}，第 2 条记录" == wheres[1]
    assert wheres[2].startswith("模板 ")
    assert "的段落“总分：{{ 1 / zero }}”" in wheres[2]
    with use_language("en"):
        assert f"{table}, row 3" == str(row.value.where)
        assert "(word/document.xml), paragraph “总分" in str(paragraph.value.where)


def _one_paragraph_docx(text):
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


#: Exceptions that are not shown to users as they are: Python's own, raised for programmers
#: misusing the API, and cattrs' groups, which docgen.model turns into one DataError.
_NOT_SHOWN = {
    "TypeError",
    "ValueError",
    "KeyError",
    "RuntimeError",
    "AssertionError",
    "NotImplementedError",
    "AttributeError",
    "LookupError",
    "OSError",
    "ImportError",
    "IterableValidationError",
    "ClassValidationError",
}
_SHOWN = {"click.echo", "warnings.warn", "click.ClickException", "click.UsageError"}
_ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}(?:\s+[A-Za-z]{2,})+")


def _unmarked_texts():
    """(place, text) of English literals given straight to what users read."""
    import ast  # noqa: PLC0415

    for path in sorted((ROOT / "docgen").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            short = name.rsplit(".", 1)[-1]
            error = short.endswith(("Error", "Warning")) and short not in _NOT_SHOWN
            if not error and name not in _SHOWN:
                continue
            texts = [*node.args[:1]]
            texts += [k.value for k in node.keywords if k.arg in {"message", "expected", "found"}]
            for arg in texts:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    literal = arg.value
                elif isinstance(arg, ast.JoinedStr):
                    literal = "".join(v.value for v in arg.values if isinstance(v, ast.Constant))
                else:
                    continue
                if _ENGLISH_WORDS.search(literal):
                    where = f"{path.relative_to(ROOT)}:{arg.lineno}"
                    yield where, literal


def test_no_english_text_reaches_users_without_being_marked_for_translation():
    """Errors, warnings and the command line's output go through _(), lazy() or ngettext()."""
    assert [] == list(_unmarked_texts())
