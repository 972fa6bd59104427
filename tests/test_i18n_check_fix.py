"""``docgen check`` and ``docgen fix`` in the user's language (issue 19).

The same planted problems (tests/test_check.py's and tests/test_fix.py's documents) give
English findings and changes under English and Chinese ones under Chinese — through
:func:`docgen.check` and :func:`docgen.fix`, the command line (text and ``--json``, with
``--lang`` and with ``LANG``) and ``/api/check`` and ``/api/fix`` with ``Accept-Language``.
The stable parts (codes, a change's kind, the JSON fields) are the same in both.
"""

from __future__ import annotations

import json
import re
from importlib.util import find_spec
from pathlib import Path

import pytest
from click.testing import CliRunner

import docgen
from docgen.checking import CODES
from docgen.cli import main
from docgen.errors import DataError
from docgen.fixing import KINDS, kind_name
from docgen.i18n import use_language
from tests.test_check import P_H1B, _bytes, _official_like
from tests.test_fix import PLANTED, _planted

CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]{2,}")
# Latin words a Chinese message may hold: names of things, units, never a sentence.
NAMES = {"Word", "Shift", "Enter", "GB", "mm", "pt", "Letter", "official", "docx"}

EN = {"LANG": "C", "LC_ALL": None, "LC_MESSAGES": None}
ZH = {"LANG": "zh_CN.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}


def _assert_english(text: str) -> None:
    """Prose in English: Chinese only inside quotes or brackets (the document's own words,
    字号 and faces), never a Chinese sentence around them."""
    bare = re.sub(r"“[^”]*”|\([^)]*\)|（[^）]*）|〔[^〕]*〕", "", text)
    assert len(WORD.findall(bare)) >= 2, text
    # a Chinese word may stand as a value (仿宋, 三号, 发文字号), never a phrase of prose
    assert len(re.findall(r"[\u4e00-\u9fff]+", bare)) <= 4, text
    assert not re.search(r"[，。；：！？]", bare), text


def _assert_chinese(text: str) -> None:
    """Chinese prose: no English words but names of things (Word, mm, a code, a path)."""
    plain = re.sub(r"\[[a-z_.]+\]|[\w./-]+\.docx|GB/T \d+(?:-\d+)?", "", text)
    english = [w for w in WORD.findall(plain) if w not in NAMES]
    assert [] == english, text
    assert CJK.search(text), text


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    path = tmp_path / "通知.docx"
    path.write_bytes(_planted())
    return path


def _run(args: list[str], env: dict[str, str | None] | None = None):
    return CliRunner().invoke(main, args, env=env or EN)


# --- docgen.check ------------------------------------------------------------------------------


def test_findings_are_english_under_english_and_chinese_under_chinese():
    with use_language("en"):
        english = docgen.check(_planted())
    with use_language("zh"):
        chinese = docgen.check(_planted())
    # the same findings, codes and places: only the words differ
    assert [(f.code, f.paragraph, f.excerpt) for f in english] == [
        (f.code, f.paragraph, f.excerpt) for f in chinese
    ]
    assert PLANTED <= {f.code for f in english}
    for f in english:
        _assert_english(f.message)
    for f in chinese:
        _assert_chinese(f.message)
        if CJK.search(f.expected + f.found):
            _assert_chinese(f.expected + f.found)

    en = {f.code: f for f in english}
    zh = {f.code: f for f in chinese}
    assert "the margins differ from the template's" == en["page.margin"].message
    assert "页边距与模板不同" == zh["page.margin"].message
    assert en["page.margin"].expected.startswith("top 37 bottom 35")
    assert zh["page.margin"].expected.startswith("上37 下35")
    assert "no leading zero" in en["date.leading_zero"].message
    assert "日期中的月、日不编虚位" in zh["date.leading_zero"].message
    assert "exactly 28.95 pt" == en["text.line_spacing"].expected
    assert "固定值 28.95 磅" == zh["text.line_spacing"].expected
    assert "half-width punctuation mark" in en["punct.half_width"].message
    assert "个半角标点" in zh["punct.half_width"].message
    # Chinese conventions are values in both: the face, the 字号
    assert "仿宋" == en["text.body_font"].expected == zh["text.body_font"].expected
    sizes = {f.expected for f in english if f.code == "text.body_size"}
    assert {"三号 (16 pt)"} == sizes
    assert {"三号（16磅）"} == {f.expected for f in chinese if f.code == "text.body_size"}


def test_str_and_to_dict_of_a_finding_follow_the_language():
    with use_language("en"):
        (hit,) = [f for f in docgen.check(_planted()) if f.code == "date.leading_zero"][:1]
        shown = str(hit)
        body = json.loads(json.dumps(hit.to_dict(), ensure_ascii=False))
    assert shown.startswith(f"paragraph {hit.paragraph} “")
    assert "(expected: 2013年9月; found: 2013年09月)" in shown
    assert "no leading zero" in body["message"]
    assert {"code", "paragraph", "excerpt", "expected", "found", "message", "severity"} == set(body)
    with use_language("zh"):
        (hit,) = [f for f in docgen.check(_planted()) if f.code == "date.leading_zero"][:1]
        shown = str(hit)
    assert shown.startswith(f"第{hit.paragraph}段“")
    assert "（应为：2013年9月；实为：2013年09月）" in shown
    _assert_chinese(shown.split("“")[0] + shown.split("]")[1])


def test_the_table_of_codes_speaks_both_languages():
    with use_language("en"):
        english = {code: str(meaning) for code, meaning in CODES.items()}
    with use_language("zh"):
        chinese = {code: str(meaning) for code, meaning in CODES.items()}
    assert "a page margin differs" == english["page.margin"]
    assert "页边距不符" == chinese["page.margin"]
    assert "引号混用" == chinese["punct.mixed_quotes"]
    for code in CODES:
        _assert_chinese(chinese[code])
        assert len(WORD.findall(english[code])) >= 2, english[code]
        assert english[code] != chinese[code]


# --- docgen check ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env"), [(["--lang", "en"], ZH), ([], EN)], ids=["--lang en", "LANG=C"]
)
def test_the_command_reports_in_english(planted, args, env):
    result = _run([*args, "check", str(planted)], env)
    assert 1 == result.exit_code
    lines = result.output.splitlines()
    assert re.fullmatch(
        rf"{re.escape(str(planted))}: \d+ places depart from the conventions of the template "
        r"official\.",
        lines[0],
    ), lines[0]
    assert "page  the margins differ from the template's  [page.margin]" in lines
    assert "    expected: top 37 bottom 35 left 28 right 26 mm" in lines
    assert any(line.startswith("paragraph 7 “在本学期活动中,我校党支…”  ") for line in lines)
    assert "应为" not in result.output
    assert "实为" not in result.output
    assert "处不符" not in result.output


@pytest.mark.parametrize(
    ("args", "env"), [(["--lang", "zh"], EN), ([], ZH)], ids=["--lang zh", "LANG=zh_CN"]
)
def test_the_command_reports_in_chinese(planted, args, env):
    result = _run([*args, "check", str(planted)], env)
    assert 1 == result.exit_code
    lines = result.output.splitlines()
    assert re.fullmatch(
        rf"{re.escape(str(planted))}：与模板 official 的规范有 \d+ 处不符。", lines[0]
    ), lines[0]
    assert "页面  页边距与模板不同  [page.margin]" in lines
    assert "    应为：上37 下35 左28 右26 mm" in lines
    for line in lines[1:]:
        _assert_chinese(line)


def test_a_clean_document_is_said_so_in_either_language(tmp_path):
    path = tmp_path / "clean.docx"
    path.write_bytes(_bytes(_official_like()))
    english = _run(["--lang", "en", "check", str(path)])
    chinese = _run(["--lang", "zh", "check", str(path)])
    assert (0, 0) == (english.exit_code, chinese.exit_code)
    assert english.output.endswith(
        ": follows the conventions of the template official; nothing found.\n"
    )
    assert chinese.output.endswith("：符合模板 official 的规范，未发现问题。\n")


def test_standard_input_is_named_in_the_language(tmp_path):
    data = _bytes(_official_like(texts={P_H1B: "三、重在实践，落实发展规划"}))
    english = CliRunner().invoke(main, ["--lang", "en", "check", "-"], input=data, env=EN)
    chinese = CliRunner().invoke(main, ["--lang", "zh", "check", "-"], input=data, env=EN)
    assert english.output.startswith("standard input: 1 place departs from the conventions")
    assert chinese.output.startswith("标准输入：与模板 official 的规范有 1 处不符。")
    assert "a number is skipped: the next level-1 heading is 二、" in english.output
    assert "序号跳号：1级标题应接着编为二、" in chinese.output


def test_json_findings_are_in_the_language_with_the_same_codes_and_fields(planted):
    english = json.loads(_run(["--lang", "en", "check", str(planted), "--json"]).output)
    chinese = json.loads(_run(["check", str(planted), "--json"], ZH).output)
    assert [f["code"] for f in english["findings"]] == [f["code"] for f in chinese["findings"]]
    assert set(english) == set(chinese) == {"file", "template", "ok", "findings"}
    assert set(english["findings"][0]) == set(chinese["findings"][0])
    for en, zh in zip(english["findings"], chinese["findings"], strict=True):
        _assert_english(en["message"])
        _assert_chinese(zh["message"])
    margin = next(f for f in english["findings"] if f["code"] == "page.margin")
    assert "the margins differ from the template's" == margin["message"]


# --- docgen.fix and docgen fix -----------------------------------------------------------------


def test_the_changes_are_told_in_the_language_and_their_kinds_stay_stable():
    with use_language("en"):
        english = docgen.fix(_planted()).changes
        shown_en = [str(c) for c in english]
    with use_language("zh"):
        chinese = docgen.fix(_planted()).changes
        shown_zh = [str(c) for c in chinese]
    # the kind is a stable name in both (like a finding's code); only its shown name differs
    assert [c.kind for c in english] == [c.kind for c in chinese]
    assert {c.kind for c in english} <= set(KINDS)
    got_en = {(c.kind, c.paragraph, c.before, c.after) for c in english}
    got_zh = {(c.kind, c.paragraph, c.before, c.after) for c in chinese}
    assert ("标题", 6, "level-3 heading", "level-1 heading") in got_en
    assert ("标题", 6, "三级标题", "一级标题") in got_zh
    assert ("日期", 7, "2013年09月05日", "2013年9月5日") in got_en & got_zh
    assert (
        "空段落",
        4,
        "2 empty paragraphs in a row",
        "removed (the paragraph styles set the spacing)",
    ) in got_en
    assert ("空段落", 4, "2 个连续的空段落", "删去（间距由段落样式控制）") in got_zh
    fonts = next(c for c in english if c.kind == "格式" and c.paragraph == 7)
    assert "宋体; 小四 (12 pt)" in fonts.before
    assert "仿宋; 三号 (16 pt); exactly 28.95 pt" in fonts.after
    assert "paragraph 7 “在本学期活动中,我校党支…” [date] 2013年09月05日 → 2013年9月5日" in shown_en
    assert "第7段“在本学期活动中,我校党支…” [日期] 2013年09月05日 → 2013年9月5日" in shown_zh


def test_kinds_have_a_name_and_a_meaning_in_both_languages():
    with use_language("en"):
        names_en = [kind_name(k) for k in KINDS]
        meanings_en = [str(m) for m in KINDS.values()]
    with use_language("zh"):
        names_zh = [kind_name(k) for k in KINDS]
        meanings_zh = [str(m) for m in KINDS.values()]
    assert list(KINDS) == names_zh
    assert ["punctuation", "date", "numbering", "level", "formatting"] == names_en[:5]
    for meaning in meanings_en:
        assert len(WORD.findall(meaning)) >= 3, meaning
    for meaning in meanings_zh:
        _assert_chinese(meaning)


def test_the_fix_command_reports_in_english_and_chinese(planted, tmp_path):
    out = tmp_path / "out.docx"
    english = _run(["--lang", "en", "fix", str(planted), "-o", str(out)])
    assert 0 == english.exit_code, english.output
    assert re.search(r" → .*out\.docx: \d+ changes by the template official\.", english.output)
    assert "paragraph 6 “1、围绕主题，开展学习活…”  [numbering]  1、 → 一、" in english.output
    assert "  [level]  level-3 heading → level-1 heading" in english.output
    assert "page  [page setup]  no page number → the page number “— 1 —” in the footer" in (
        english.output
    )
    assert not re.search("[应实]为|修正了|段“", english.output)

    chinese = _run(["fix", str(planted), "-o", str(out), "--overwrite"], ZH)
    assert 0 == chinese.exit_code, chinese.output
    assert "按模板 official 修正了" in chinese.output
    assert "第6段“1、围绕主题，开展学习活…”  [编号]  1、 → 一、" in chinese.output
    assert "页面  [页面]  没有页码 → 页脚中的页码“— 1 —”" in chinese.output
    for line in chinese.output.splitlines():
        _assert_chinese(line)


def test_the_fix_command_json_keeps_its_kinds_and_tells_the_rest_in_the_language(planted, tmp_path):
    out = tmp_path / "out.docx"
    args = ["fix", str(planted), "-o", str(out), "--overwrite", "--json"]
    english = json.loads(_run(["--lang", "en", *args]).output)
    chinese = json.loads(_run(["--lang", "zh", *args]).output)
    assert [c["kind"] for c in english["changes"]] == [c["kind"] for c in chinese["changes"]]
    level_en = next(c for c in english["changes"] if c["kind"] == "标题")
    level_zh = next(c for c in chinese["changes"] if c["kind"] == "标题")
    assert ("level-3 heading", "level-1 heading") == (level_en["before"], level_en["after"])
    assert ("三级标题", "一级标题") == (level_zh["before"], level_zh["after"])


def test_an_existing_output_is_refused_in_the_language(planted, tmp_path):
    out = tmp_path / "out.docx"
    out.write_bytes(b"x")
    english = _run(["--lang", "en", "fix", str(planted), "-o", str(out)])
    chinese = _run(["--lang", "zh", "fix", str(planted), "-o", str(out)])
    assert 1 == english.exit_code == chinese.exit_code
    assert "already exists; docgen does not overwrite files unless asked" in english.stderr
    assert "已存在" in chinese.stderr
    assert "already exists" not in chinese.stderr


def test_a_missing_part_is_named_in_the_language_it_is_shown_in():
    with use_language("en"), pytest.raises(DataError) as caught:
        docgen.fix(_planted(recipients=False), template="notice")
    assert "fix.missing_part" == caught.value.code
    with use_language("en"):
        english = str(caught.value)
    with use_language("zh"):
        chinese = str(caught.value)
    assert "has no the recipients" not in english
    assert "a fix does not invent content" in english
    assert "has no recipients (主送机关: a line flush left" in english
    assert "文档中没有主送机关（标题下顶格" in chinese
    assert "修正不会凭空添加内容" in chinese
    assert "invent" not in chinese


def test_a_lost_sentence_is_named_in_the_language_it_is_shown_in(monkeypatch):
    from docgen.fixing import _fix as fixing  # noqa: PLC0415

    monkeypatch.setattr(fixing, "lost_sentences", lambda before, after: ["学习的目的是为了内化。"])
    with pytest.raises(DataError) as caught:
        docgen.fix(_planted())
    assert "fix.text_lost" == caught.value.code
    with use_language("en"):
        english = str(caught.value)
    with use_language("zh"):
        chinese = str(caught.value)
    assert "would lose 1 sentence when re-laid out by the template official" in english
    assert "“学习的目的是为了内化。”" in english
    assert "按模板 official 重新排版会丢失 1 句：“学习的目的是为了内化。”；未写出文件" in chinese


# --- the web API -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client():
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx2" if find_spec("httpx2") else "httpx")
    from tests.test_web import make_client  # noqa: PLC0415

    with make_client() as c:
        yield c


def _post(client, route: str, language: str) -> dict:
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = client.post(
        route,
        files={"file": ("通知.docx", _planted(), docx)},
        data={"template": "official"},
        headers={"Accept-Language": language},
    )
    assert 200 == response.status_code, response.text
    body: dict = response.json()
    return body


def test_api_check_answers_in_the_language_of_accept_language(client):
    english = _post(client, "/api/check", "en-US,en;q=0.9")
    chinese = _post(client, "/api/check", "zh-CN,zh;q=0.9")
    assert [f["code"] for f in english["findings"]] == [f["code"] for f in chinese["findings"]]
    en = {f["code"]: f for f in english["findings"]}
    zh = {f["code"]: f for f in chinese["findings"]}
    assert "the margins differ from the template's" == en["page.margin"]["message"]
    assert "页边距与模板不同" == zh["page.margin"]["message"]
    assert "no leading zero" in en["date.leading_zero"]["message"]
    assert "日期中的月、日不编虚位" in zh["date.leading_zero"]["message"]
    for f in english["findings"]:
        _assert_english(f["message"])
    for f in chinese["findings"]:
        _assert_chinese(f["message"])


def test_api_fix_answers_in_the_language_of_accept_language(client):
    english = _post(client, "/api/fix", "en")
    chinese = _post(client, "/api/fix", "zh-CN")
    assert ("通知-fixed.docx", "通知-修正.docx") == (english["filename"], chinese["filename"])
    assert [c["kind"] for c in english["changes"]] == [c["kind"] for c in chinese["changes"]]
    assert any(c["before"] == "level-3 heading" for c in english["changes"])
    assert any(c["before"] == "三级标题" for c in chinese["changes"])
    for f in english["findings"]:
        _assert_english(f["message"])
    for f in chinese["findings"]:
        _assert_chinese(f["message"])
