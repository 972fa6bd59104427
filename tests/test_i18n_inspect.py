"""``docgen inspect`` in the user's language: findings, level labels, the text report and the
JSON output are Chinese under a Chinese locale or ``--lang zh``, English otherwise.
"""

from __future__ import annotations

import json
import pickle
import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen import Report, Section
from docgen.cli import main
from docgen.i18n import _, use_language
from docgen.inspect import MESSAGES, Inspection, inspect_template
from tests.test_inspect import DATA, FIELD, FONTS, p, runs
from tools.build_templates import build_docx

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def planted(tmp_path) -> Path:
    """A template with one of each common problem, in the body."""
    paragraphs = [
        p("{{ title }}", "Title"),
        runs(("签名：", ""), ("{{ sig", "<w:b/>"), ("nature.org }}", "<w:i/>")),  # split tag
        p("{{ signature."),  # a tag broken across paragraphs: unclosed
        p("org }}"),
        p("{{ signature.orgg }}"),  # unknown attribute: did you mean signature.org?
        p("{{ title|cn_dat }}"),  # unknown filter: did you mean cn_date?
        (DATA / "textbox-paragraph.xml").read_text(encoding="utf-8"),  # a tag in a text box
        FIELD,  # a tag in a field code
        p("｛｛ title ｝｝"),  # full-width braces
        p("{{ body }}"),  # the body slot without p
        p("正文如下：{{p body }}"),  # text a paragraph tag drops
        p("{{ x is evn }}"),  # unknown test
        p("{{ signature.date|cn_date(‘long’) }}"),  # curly quotes read as ASCII
    ]
    path = tmp_path / "planted.docx"
    path.write_bytes(build_docx({"name": "planted", "fonts": FONTS}, "".join(paragraphs)))
    return path


PLANTED_CODES = {
    "split-tag",
    "unknown-attribute",
    "unknown-filter",
    "tag-in-textbox",
    "tag-in-field",
    "fullwidth-braces",
    "body-slot-inline",
    "dropped-text",
    "unknown-test",
    "normalized-quotes",
    "undefined-variable",
}


def _english_runs(text: str) -> list[str]:
    """Runs of three or more ASCII words: English sentences left in a Chinese message.

    Tags, quoted names and Jinja's own message (quoted as it is) are not counted, nor lists
    of names ("a, b, c").
    """
    text = re.sub(r"Jinja 的原始提示：.*", " ", text)  # Jinja's message, quoted as it is
    text = re.sub(r"\{[{%#].*?[}%#]\}|“[^”]*”|'[^']*'|\"[^\"]*\"", " ", text)
    return re.findall(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b", text)


def _assert_chinese(text: str) -> None:
    assert CJK.search(text), text
    assert [] == _english_runs(text), text


def _inspect(path: Path, language: str, **options: object) -> Inspection:
    with use_language(language):
        return inspect_template(path, **options)


# --- the library ---------------------------------------------------------------------------


def test_planted_problems_read_english_under_en(planted):
    result = _inspect(planted, "en")
    assert PLANTED_CODES <= {f.code for f in result.findings}
    with use_language("en"):
        messages = {f.code + "/" + f.level: str(f.message) for f in result.findings}
        text = result.format_text()
    assert "has no closing }}" in messages["split-tag/error"]
    assert "Did you mean signature.org?" in messages["unknown-attribute/warning"]
    assert "Did you mean “cn_date”?" in messages["unknown-filter/error"]
    assert "This tag is in a text box." in messages["tag-in-textbox/warning"]
    assert "inside a field code" in messages["tag-in-field/error"]
    assert "“{{ sig” (bold), “nature.org }}” (italic)" in messages["split-tag/info"]
    assert "replaces its whole paragraph" in messages["dropped-text/warning"]
    for message in messages.values():
        assert not CJK.search(re.sub(r"“[^”]*”|\{\{.*?\}\}", "", message)), message
    assert "\n  error [split-tag] word/document.xml “{{ signature.”" in text
    assert "\n  warning [tag-in-textbox]" in text
    assert "\n  info [split-tag]" in text
    assert "Findings" in text
    assert "Variables (checked without data)" in text
    assert re.search(r"Total: \d+ error\(s\), \d+ warning\(s\), \d+ note\(s\)", text)
    assert not CJK.search(text.replace("“", "\n").split("Findings")[0].split("Variables")[0])
    for label in ("错误", "警告", "提示", "共 "):
        assert label not in text


def test_planted_problems_read_chinese_under_zh(planted):
    result = _inspect(planted, "zh")
    assert PLANTED_CODES <= {f.code for f in result.findings}
    with use_language("zh"):
        messages = {f.code + "/" + f.level: str(f.message) for f in result.findings}
        text = result.format_text()
    for message in messages.values():
        _assert_chinese(message)
    assert "在本段中缺少结尾的 }}" in messages["split-tag/error"]
    assert "段落标记" in _chinese("split-tag/paragraphs", next="org }}")
    assert "是否想写 signature.org？" in messages["unknown-attribute/warning"]
    assert "在报告模型中没有“orgg”" in messages["unknown-attribute/warning"]
    assert "是否想写“cn_date”？" in messages["unknown-filter/error"]
    assert "没有名为“cn_dat”的过滤器" in messages["unknown-filter/error"]
    assert "是否想写“even”？" in messages["unknown-test/error"]
    assert "文本框" in messages["tag-in-textbox/warning"]
    assert "表格单元格" in messages["tag-in-textbox/warning"]
    assert "域代码" in messages["tag-in-field/error"]
    assert "Ctrl+Shift+F9" in messages["tag-in-field/error"]  # shortcuts stay as they are
    assert "全角大括号" in messages["fullwidth-braces/warning"]
    assert "请写成 {{p body }}" in messages["body-slot-inline/error"]
    assert "“{{ sig”（加粗）、“nature.org }}”（倾斜）" in messages["split-tag/info"]
    assert "整个段落" in messages["dropped-text/warning"]
    assert "“正文如下：”不会输出" in messages["dropped-text/warning"]
    assert "extra:" in messages["undefined-variable/warning"]
    # the codes stay the same in every language
    assert [f.code for f in result.findings] == [f.code for f in _inspect(planted, "en").findings]
    # the text report
    assert text.startswith("模板：planted（")
    assert "\n变量（未对照数据检查）\n" in text
    assert "\n过滤器\n" in text
    assert "\n检查结果\n" in text
    assert "\n  错误 [split-tag] word/document.xml “{{ signature.”" in text
    assert "\n  警告 [tag-in-textbox]" in text
    assert "\n  提示 [split-tag]" in text
    assert "  cn_dat         未知" in text
    assert re.search(r"\n  school  \[未提供\] +word/document\.xml", text)
    assert re.search(r"共 \d+ 个错误、\d+ 个警告、\d+ 条提示——请先修正错误，再生成文档。$", text)
    for english in ("Template:", "Findings", "Variables", "error(s)", " error [", "warning ["):
        assert english not in text


def test_the_did_you_mean_hints_follow_the_language_with_data(tmp_path):
    path = tmp_path / "hints.docx"
    body = p("{%p for s in sections %}") + p("{{ s.titel }}{{ schol }}") + p("{%p endfor %}")
    path.write_bytes(build_docx({"name": "hints", "fonts": FONTS}, body))
    data = Report("标题", sections=[Section("一节")], extra={"school": "东二小学"})
    result = _inspect(path, "zh", data=data)
    with use_language("zh"):
        undefined = next(str(f.message) for f in result.findings if f.code == "undefined-variable")
        attribute = next(str(f.message) for f in result.findings if f.code == "unknown-attribute")
    assert "数据中没有提供“schol”。是否想写“school”？请在数据文件的 extra: 下添加它" in undefined
    assert "是否想写 s.title？" in attribute
    _assert_chinese(undefined)
    _assert_chinese(attribute)
    with use_language("en"):
        undefined = next(str(f.message) for f in result.findings if f.code == "undefined-variable")
    assert "The data does not supply “schol”. Did you mean “school”? Add it under extra:" in (
        undefined
    )


def test_a_finding_made_under_english_reads_chinese_when_shown_under_chinese(planted):
    result = _inspect(planted, "en")
    (unclosed,) = [f for f in result.findings if (f.code, f.level) == ("split-tag", "error")]
    with use_language("zh"):
        assert str(unclosed).startswith("错误 [split-tag] word/document.xml “{{ signature.”：标签")
        body = unclosed.to_dict()
        assert "在本段中缺少结尾的 }}" in body["message"]
        assert ("error", "split-tag") == (body["level"], body["code"])  # identifiers stay
        copy = pickle.loads(pickle.dumps(unclosed))
        assert str(copy) == str(unclosed)
    with use_language("en"):
        assert str(unclosed).startswith("error [split-tag] word/document.xml “{{ signature.”: ")
        assert "has no closing }}" in unclosed.to_dict()["message"]
        assert unclosed.message == str(unclosed.message)  # a Message equals its text


def test_to_dict_is_plain_json_in_the_language(planted):
    result = _inspect(planted, "en")
    with use_language("zh"):
        zh = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    with use_language("en"):
        en = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert [f["code"] for f in zh["findings"]] == [f["code"] for f in en["findings"]]
    assert zh["summary"] == en["summary"]
    for finding in zh["findings"]:
        _assert_chinese(finding["message"])
    for finding in en["findings"]:
        assert not CJK.search(re.sub(r"“[^”]*”|\{\{.*?\}\}", "", finding["message"]))


def _chinese(key: str, **values: object) -> str:
    with use_language("zh"):
        return _(MESSAGES[key].msgid, **values)


def _fields(msgid: str) -> list[str]:
    return [name for _text, name, _spec, _conv in string.Formatter().parse(msgid) if name]


@pytest.mark.parametrize("key", sorted(set(MESSAGES) - {"bad-xml"}))  # bad-xml: the error's own
def test_every_inspect_message_is_chinese_under_zh_and_english_under_en(key):
    # names, tags and paths as values; Jinja's own (English) words left out
    values = {name: "" if name == "jinja" else "x_1" for name in _fields(MESSAGES[key].msgid)}
    chinese = _chinese(key, **values)
    _assert_chinese(chinese)
    with use_language("en"):
        english = _(MESSAGES[key].msgid, **values)
    assert not CJK.search(re.sub(r"\([^)]*[\u4e00-\u9fff][^)]*\)|→|修订", "", english)), english
    assert chinese != english


# --- the command line ------------------------------------------------------------------------

ZH_ENV = {"LANG": "zh_CN.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}
C_ENV = {"LANG": "C", "LC_ALL": None, "LC_MESSAGES": None}


@pytest.mark.parametrize(
    ("args", "env"), [([], ZH_ENV), (["--lang", "zh"], C_ENV)], ids=["LANG", "--lang"]
)
def test_docgen_inspect_speaks_chinese_under_a_chinese_locale_or_lang_zh(planted, args, env):
    result = CliRunner().invoke(main, [*args, "inspect", str(planted)], env=env)
    assert 1 == result.exit_code
    out = result.output
    assert out.startswith("模板：planted（")
    assert "\n检查结果\n" in out
    assert "\n  错误 [unknown-filter] word/document.xml “{{ title|cn_dat }}”\n" in out
    assert "是否想写“cn_date”？" in out
    assert "个错误" in out
    findings = out.split("\n检查结果\n")[1]
    for line in findings.splitlines():
        if line.startswith("      "):  # a message under its heading
            _assert_chinese(line)
    assert "Template:" not in out
    assert "error(s)" not in out


def test_docgen_inspect_speaks_english_under_lang_en(planted):
    result = CliRunner().invoke(main, ["--lang", "en", "inspect", str(planted)], env=ZH_ENV)
    assert 1 == result.exit_code
    assert result.output.startswith("Template: planted (")
    assert "\n  error [unknown-filter] word/document.xml “{{ title|cn_dat }}”\n" in result.output
    assert "Did you mean “cn_date”?" in result.output
    assert "错误 [" not in result.output
    assert "个错误" not in result.output


@pytest.mark.parametrize(("lang", "chinese"), [("zh", True), ("en", False)])
def test_docgen_inspect_json_is_in_the_language(planted, lang, chinese):
    result = CliRunner().invoke(main, ["--lang", lang, "inspect", str(planted), "--json"])
    assert 1 == result.exit_code
    body = json.loads(result.output)
    assert PLANTED_CODES <= {f["code"] for f in body["findings"]}
    assert {"error", "warning", "info"} >= {f["level"] for f in body["findings"]}
    unknown = next(f for f in body["findings"] if f["code"] == "unknown-filter")
    if chinese:
        assert "是否想写“cn_date”？" in unknown["message"]
        for finding in body["findings"]:
            _assert_chinese(finding["message"])
    else:
        assert "Did you mean “cn_date”?" in unknown["message"]
        assert not CJK.search(unknown["message"])
