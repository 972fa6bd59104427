"""docgen fix: a document re-laid out by a template keeps every sentence and loses its problems.

The documents are made with python-docx's defaults (Letter paper, 宋体 11 pt, 1.15 spacing)
with problems planted: half-width punctuation, leading-zero dates, wrong faces, typed
numbering labels of the wrong form, empty spacing paragraphs.  A fix removes them all, says
so in its list of changes, and keeps the text; a fix that would lose text is refused.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

import docgen
from docgen.checking._read import read_docx
from docgen.cli import main
from docgen.errors import DataError
from docgen.fixing import KINDS, Change, FixResult
from docgen.fixing._text import canonical, fix_dates, fix_text, lost_sentences
from tests.conftest import ROOT

TITLE = "关于开展党员学习实践活动的通知"
RECIPIENTS = "各党小组："
INTRO = (
    "2013学年是学校承上启下的关键年,我校党支部根据区教育党工委的工作要求(试行),"
    "认真落实党员教育工作。"
)
H1 = ["1、围绕主题，开展学习活动", "2、重在实践，落实发展规划"]
H2 = "（1）迎接新优质学校中期评审"
BODY1 = "在本学期活动中,我校党支部于2013年09月05日组织全体党员学习。"
BODY2 = "学习的目的是为了内化;内化的形式是结合实践。"
BODY3 = "我校党支部立足于教育教学工作，广泛深入地开展了各项专题活动。"
ORG = "徐汇区东二小学党支部"
DATE = "2014年01月15日"

# The codes the planted problems give, each gone after the fix.
PLANTED = {
    "punct.half_width",
    "date.leading_zero",
    "text.title_font",
    "text.body_font",
    "text.body_size",
    "text.heading_font",
    "text.indent",
    "text.line_spacing",
    "numbering.style",
    "numbering.level_skip",
    "text.empty_paragraph",
    "page.size",
    "page.margin",
    "page.number",
}


def _planted(*, recipients: bool = True, typed_spaces: bool = False) -> bytes:
    """A python-docx document with the problems of PLANTED."""
    d = docx.Document()
    d.add_paragraph(TITLE).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if recipients:
        d.add_paragraph(RECIPIENTS)
    d.add_paragraph(INTRO)
    d.add_paragraph("")
    d.add_paragraph("")
    d.add_paragraph(H1[0])
    body = d.add_paragraph(("　　" if typed_spaces else "") + BODY1)
    body.runs[0].font.name = "宋体"
    body.runs[0].font.size = Pt(12)
    d.add_paragraph(H2)
    d.add_paragraph(BODY2)
    d.add_paragraph(H1[1])
    d.add_paragraph(BODY3)
    d.add_paragraph(ORG).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.add_paragraph(DATE).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _texts(data: bytes) -> list[str]:
    return [p.text for p in read_docx(data).paragraphs]


def _codes(data: bytes, template: str = "official") -> set[str]:
    return {f.code for f in docgen.check(data, template=template)}


# --- the words ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("2014年01月05日", "2014年1月5日"),
        ("2014 年 01 月 05 日", "2014 年 1 月 5 日"),
        ("定于01月05日召开", "定于1月5日召开"),
        ("2014年10月20日", "2014年10月20日"),
        ("二零一四年一月", "二〇一四年一月"),
        ("二○一四年一月", "二〇一四年一月"),
        ("编号0105，共01份", "编号0105，共01份"),
    ],
)
def test_dates_lose_their_leading_zeros_and_a_year_its_wrong_zero(before, after):
    assert after == fix_dates(before)


def test_punctuation_next_to_chinese_becomes_full_width_and_numbers_keep_theirs():
    assert "学习，实践（试行）；共1,000元，12:30开会。" == fix_text(
        "学习,实践(试行);共1,000元,12:30开会。"
    )


def test_the_kept_text_ignores_labels_punctuation_width_dates_and_spaces():
    assert canonical("1、 学习, 2014年01月05日") == canonical("一、学习，2014年1月5日")
    assert canonical("学习") != canonical("学吧")


def test_a_missing_sentence_is_named_and_a_moved_label_is_not():
    before = ["一、学习", "内化是目的。实践是形式;总结是方法。", "附件"]
    after = ["（一）学习", "内化是目的。", "实践是形式；", "附件"]
    assert ["总结是方法。"] == lost_sentences(before, after)


# --- the fix of a document ----------------------------------------------------------------


def test_the_planted_problems_are_found_before_the_fix():
    assert PLANTED <= _codes(_planted())


def test_a_fix_removes_the_planted_problems_and_keeps_every_sentence():
    source = _planted()
    result = docgen.fix(source)
    fixed = result.document.to_bytes()
    assert isinstance(result, FixResult)
    assert set() == PLANTED & _codes(fixed)
    assert len(docgen.check(fixed)) < len(docgen.check(source)) // 10
    assert [] == lost_sentences(_texts(source), _texts(fixed))
    assert "official" == result.document.template


def test_the_fixed_text_reads_as_gbt9704_writes_it():
    texts = _texts(docgen.fix(_planted()).document.to_bytes())
    assert "一、围绕主题，开展学习活动" in texts
    assert "（一）迎接新优质学校中期评审" in texts
    assert "二、重在实践，落实发展规划" in texts
    assert "在本学期活动中，我校党支部于2013年9月5日组织全体党员学习。" in texts
    assert "学习的目的是为了内化；内化的形式是结合实践。" in texts
    assert "2014年1月15日" in texts
    assert 1 == texts.count(RECIPIENTS)


@pytest.mark.usefixtures("chinese")  # the Chinese wording, as teachers read it
def test_the_changes_say_what_changed_where_in_chinese():
    changes = docgen.fix(_planted()).changes
    assert all(isinstance(c, Change) and c.kind in KINDS for c in changes)
    got = {(c.kind, c.paragraph, c.before, c.after) for c in changes}
    assert ("日期", 7, "2013年09月05日", "2013年9月5日") in got
    assert ("日期", 13, "2014年01月15日", "2014年1月15日") in got
    assert ("编号", 6, "1、", "一、") in got
    assert ("编号", 8, "（1）", "（一）") in got
    assert ("标题", 8, "四级标题", "二级标题") in got
    assert ("标点", 9, "为了内化;内化的形", "为了内化；内化的形") in got
    kinds = {c.kind for c in changes}
    assert {"标点", "日期", "编号", "标题", "格式", "空段落", "页面"} == kinds
    fonts = next(c for c in changes if c.kind == "格式" and c.paragraph == 7)
    assert "宋体；小四（12磅）" in fonts.before
    assert "仿宋；三号（16磅）" in fonts.after
    assert str(fonts).startswith("第7段“在本学期活动中,我校党支…” [格式] 宋体")
    assert {"kind", "paragraph", "excerpt", "before", "after"} == set(changes[0].to_dict())


def test_a_paragraph_that_becomes_the_title_is_said_to_take_the_titles_format(chinese):
    d = docx.Document(io.BytesIO(_planted()))
    d.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT  # read as body text before the fix
    out = io.BytesIO()
    d.save(out)
    changes = [c for c in docgen.fix(out.getvalue()).changes if c.paragraph == 1]
    assert ("标题", "正文", "文件标题") in {(c.kind, c.before, c.after) for c in changes}
    title_format = next(c for c in changes if c.kind == "格式")
    # not the body text's 仿宋 三号 it was checked against before it became the title
    assert "文件标题的格式" == title_format.after


def test_a_gongwen_keeps_its_red_header_doc_number_and_title_and_needs_no_new_words():
    source = docgen.render(docgen.load_report(ROOT / "examples" / "official.yaml")).to_bytes()
    result = docgen.fix(source)
    fixed = read_docx(result.document.to_bytes()).paragraphs
    assert [] == [c for c in result.changes if c.kind in {"标点", "日期", "标题"}]
    assert [] == lost_sentences(_texts(source), [p.text for p in fixed])
    assert [("上海市徐汇区教育局文件", True), ("徐教〔2014〕1号", False)] == [
        (p.text, p.red) for p in fixed[:2]
    ]
    assert ["关于做好2014年寒假期间", "学校安全工作的通知"] == [p.text for p in fixed[3:5]]
    assert {"Title"} == {p.style_id for p in fixed[3:5]}


@pytest.mark.parametrize("template", ["official", "work-summary", "notice"])
def test_a_fix_keeps_the_text_for_each_template(template):
    result = docgen.fix(_planted(), template=template)
    fixed = result.document.to_bytes()
    assert [] == lost_sentences(_texts(_planted()), _texts(fixed))
    assert {"punct.half_width", "date.leading_zero"}.isdisjoint(_codes(fixed, template))


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "tests" / "data" / "party-branch-summary-2013.txt",
        *sorted((ROOT / "tests" / "data" / "importers").glob("*.txt")),
    ],
    ids=lambda p: p.name,
)
@pytest.mark.parametrize("template", ["work-summary", "official"])
def test_the_importer_texts_rendered_then_fixed_lose_no_sentence(path, template):
    report = docgen.import_text(path.read_text("utf-8")).report
    rendered = docgen.render(report, "work-summary").to_bytes()
    fixed = docgen.fix(rendered, template=template).document.to_bytes()
    assert [] == lost_sentences(_texts(rendered), _texts(fixed))
    lines = path.read_text("utf-8").splitlines()
    paragraphs = lines if len(lines) > 1 else lines[0].split()  # one line: split at spaces
    assert [] == lost_sentences(paragraphs, _texts(fixed))


def test_the_recipients_line_becomes_the_notice_templates_recipients():
    texts = _texts(docgen.fix(_planted(), template="notice").document.to_bytes())
    assert 1 == texts.count(RECIPIENTS)
    assert texts.index(RECIPIENTS) < texts.index(fix_text(INTRO))


def test_a_notice_without_recipients_is_refused_naming_what_is_missing():
    with pytest.raises(DataError) as caught:
        docgen.fix(_planted(recipients=False), template="notice")
    assert "fix.missing_part" == caught.value.code
    assert "主送机关" in str(caught.value)
    assert "recipients" in caught.value.message


def test_missing_gongwen_parts_are_left_out_not_invented():
    paragraphs = read_docx(docgen.fix(_planted(recipients=False)).document.to_bytes()).paragraphs
    assert not any(p.red for p in paragraphs)  # no 发文机关标志
    assert not any("〔" in p.text for p in paragraphs)  # no 发文字号


def test_a_fix_that_would_lose_a_sentence_is_refused_naming_it(monkeypatch):
    import docgen.fixing._fix as fixing  # noqa: PLC0415

    real = fixing.import_docx

    def drop_a_paragraph(data, *, source):
        result = real(data, source=source)
        report = result.report
        first = report.sections[0]
        shorter = type(first)(first.title, blocks=(), subsections=first.subsections)
        return type(result)(type(report)(**{**_fields(report), "sections": (shorter,)}))

    monkeypatch.setattr(fixing, "import_docx", drop_a_paragraph)
    with pytest.raises(DataError) as caught:
        docgen.fix(_planted())
    assert "fix.text_lost" == caught.value.code
    assert "“在本学期活动中，我校党支…”" in caught.value.message
    assert "“我校党支部立足于教育教学…”" in caught.value.message


def _fields(report: docgen.Report) -> dict:
    import attrs  # noqa: PLC0415

    return {f.name: getattr(report, f.name) for f in attrs.fields(type(report))}


def test_a_file_that_is_not_a_docx_is_a_data_error(tmp_path):
    path = tmp_path / "a.docx"
    path.write_text("只是文字", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        docgen.fix(path)
    assert caught.value.code.startswith(("data.", "package."))


def test_fix_is_part_of_the_public_api():
    assert docgen.fix is docgen.fixing.fix
    assert {"fix", "FixResult", "FixChange"} <= set(docgen.__all__)
    assert docgen.FixChange is Change


# --- the command --------------------------------------------------------------------------


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "通知.docx"
    path.write_bytes(_planted())
    return path


@pytest.mark.usefixtures("chinese")  # the Chinese wording, as teachers read it
def test_the_command_writes_the_fixed_document_and_lists_the_changes(source, tmp_path):
    out = tmp_path / "通知-修正.docx"
    result = CliRunner().invoke(main, ["fix", str(source), "-o", str(out)])
    assert 0 == result.exit_code, result.output
    assert "按模板 official 修正了" in result.output
    assert "第7段“在本学期活动中,我校党支…”  [日期]  2013年09月05日 → 2013年9月5日" in result.output
    assert "[编号]  1、 → 一、" in result.output
    assert "页面  [页面]" in result.output
    assert PLANTED.isdisjoint(_codes(out.read_bytes()))


def test_the_command_never_overwrites_without_being_asked(source, tmp_path):
    out = tmp_path / "out.docx"
    out.write_bytes(b"mine")
    result = CliRunner().invoke(main, ["fix", str(source), "-o", str(out)])
    assert 1 == result.exit_code
    assert "already exists" in result.output
    assert b"mine" == out.read_bytes()
    result = CliRunner().invoke(main, ["fix", str(source), "-o", str(out), "--overwrite"])
    assert 0 == result.exit_code, result.output
    assert out.read_bytes().startswith(b"PK")


def test_the_command_prints_json_for_tools(source, tmp_path):
    out = tmp_path / "out.docx"
    args = ["fix", str(source), "-t", "work-summary", "-o", str(out), "--json"]
    result = CliRunner().invoke(main, args)
    assert 0 == result.exit_code, result.output
    data = json.loads(result.output)
    assert "work-summary" == data["template"]
    assert {"标点", "日期"} <= {c["kind"] for c in data["changes"]}


def test_the_command_refuses_a_lost_sentence_and_writes_nothing(source, tmp_path, monkeypatch):
    import docgen.fixing._fix as fixing  # noqa: PLC0415

    monkeypatch.setattr(fixing, "lost_sentences", lambda before, after: ["学习的目的是为了内化。"])
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(main, ["--json-errors", "fix", str(source), "-o", str(out)])
    assert 1 == result.exit_code
    assert "fix.text_lost" == json.loads(result.output.strip().splitlines()[-1])["code"]
    assert not out.exists()


def test_the_command_exits_1_on_a_missing_part_and_on_a_file_that_is_not_a_docx(tmp_path):
    notice = tmp_path / "n.docx"
    notice.write_bytes(_planted(recipients=False))
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(main, ["fix", str(notice), "-t", "notice", "-o", str(out)])
    assert 1 == result.exit_code
    assert "主送机关" in result.output
    text = tmp_path / "t.docx"
    text.write_text("文字", encoding="utf-8")
    assert 1 == CliRunner().invoke(main, ["fix", str(text), "-o", str(out)]).exit_code
    assert not out.exists()


@pytest.mark.parametrize("args", [["fix"], ["fix", "a.docx"], ["fix", "a.docx", "-o"]])
def test_the_command_exits_2_on_usage_errors(args):
    assert 2 == CliRunner().invoke(main, args).exit_code


def test_a_chinese_sentences_half_width_full_stop_becomes_a_full_stop_and_no_text_is_lost():
    document = docx.Document()
    document.add_paragraph("关于召开期末工作会议的通知")
    document.add_paragraph("定于下午召开会议.请全体教师(含实习教师)准时参加.会议时间为下午3:30.")
    buffer = io.BytesIO()
    document.save(buffer)
    result = docgen.fix(buffer.getvalue(), template="official")
    text = "".join(p.text for p in docx.Document(io.BytesIO(result.document.to_bytes())).paragraphs)
    assert "定于下午召开会议。请全体教师（含实习教师）准时参加。会议时间为下午3:30。" in text
    assert any(c.kind == "标点" and "。" in c.after for c in result.changes)
