"""docgen check: a document compared with its template's conventions (docs/check.md).

A document made with python-docx to follow the ``official`` template (GB/T 9704) has no
findings; each problem planted in it alone is found with its code and paragraph.  Every
example and starter docgen renders has no findings with its own template.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

import docgen
from docgen.checking import CODES, CheckFinding
from docgen.cli import main
from docgen.errors import DataError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
BUILT_INS = ["work-summary", "work-plan", "meeting-minutes", "notice", "official", "term-comment"]

# From /work/shared/examples/party-branch-summary-2013.txt, shaped as a 公文.
TITLE = "关于开展党员学习实践活动的通知"
RECIPIENTS = "各党小组："
INTRO = (
    "2013学年是学校承上启下的关键年，上承新三年发展规划推动，下启新优质学校中期调整，"
    "我校党支部根据区教育党工委的工作要求及学校的工作实际，围绕“走进新发展，走向新优质”"
    "的工作中心，认真落实党员教育工作。"
)
H1 = ["一、围绕主题，开展学习活动", "二、重在实践，落实发展规划"]
H2 = "（一）迎接新优质学校中期评审"
H3 = ["1.做好迎评准备", "2.总结创建经验"]
BODY = (
    "在本学期活动中，我校党支部根据工作要求，计划、组织、动员全体党员围绕工作中心，"
    "对《十八届三中全会精神》《东二小学新三年发展规划》等文件做了全面系统的学习。"
)
BODY2 = (
    "学习的目的是为了内化，内化的形式是结合实践，这是党员教育活动的指导思想。"
    "我校党支部立足于教育教学工作，广泛深入地开展了各项专题活动。"
)
ORG = "徐汇区东二小学党支部"
DATE = "2014年1月15日"

# Paragraph numbers in the document _official_like() builds.
P_TITLE, P_RECIPIENTS, P_INTRO, P_H1, P_BODY1, P_H2, P_BODY2 = 1, 2, 3, 4, 5, 6, 7
P_H3A, P_BODY3, P_H3B, P_BODY4, P_H1B, P_BODY5, P_EMPTY, P_ORG, P_DATE = range(8, 17)


def _fonts(rpr, face: str | None = None, size: float | None = None) -> None:
    """Set the East Asian face and size on a w:rPr (themes removed, as Word does)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    if face:
        for a in ("w:eastAsiaTheme", "w:asciiTheme", "w:hAnsiTheme"):
            rfonts.attrib.pop(qn(a), None)
        rfonts.set(qn("w:eastAsia"), face)
        rfonts.set(qn("w:ascii"), "Times New Roman")
        rfonts.set(qn("w:hAnsi"), "Times New Roman")
    if size:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = rpr.makeelement(qn(tag), {})
                rpr.append(el)
            el.set(qn("w:val"), str(round(size * 2)))


def _footer(footer, align: str, text: str = "— {} —") -> None:
    p = footer.paragraphs[0]
    p.alignment = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "left": WD_ALIGN_PARAGRAPH.LEFT}.get(
        align, WD_ALIGN_PARAGRAPH.CENTER
    )
    before, _, after = text.partition("{}")
    run = p.add_run(before)
    _fonts(run._r.get_or_add_rPr(), "宋体", 14)
    field = (
        '<w:fldChar w:fldCharType="begin"/>',
        '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>1</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    )
    for inner in field:
        xml = f'<w:r {nsdecls("w")}><w:rPr><w:sz w:val="28"/></w:rPr>{inner}</w:r>'
        p._p.append(parse_xml(xml))
    run = p.add_run(after)
    _fonts(run._r.get_or_add_rPr(), "宋体", 14)


def _official_like(
    *, footers: bool = True, texts: dict[int, str] | None = None
) -> docx.document.Document:
    """A python-docx document laid out as the official template asks (GB/T 9704)."""
    d = docx.Document()
    section = d.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), "579")
    normal = d.styles["Normal"]
    _fonts(normal.element.get_or_add_rPr(), "仿宋", 16)
    fmt = normal.paragraph_format
    fmt.line_spacing = Pt(28.95)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(32)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if footers:
        d.settings.odd_and_even_pages_header_footer = True
        _footer(section.footer, "right")
        _footer(section.even_page_footer, "left")
    texts = texts or {}

    def para(n: int, text: str, face: str | None = None, size: float | None = None):
        p = d.add_paragraph()
        text = texts.get(n, text)
        if text:
            run = p.add_run(text)
            if face or size:
                _fonts(run._r.get_or_add_rPr(), face, size)
        assert len(d.paragraphs) == n
        return p

    title = para(P_TITLE, TITLE, "黑体", 22)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = 0
    para(P_RECIPIENTS, RECIPIENTS).paragraph_format.first_line_indent = 0
    para(P_INTRO, INTRO)
    para(P_H1, H1[0], "黑体")
    para(P_BODY1, BODY)
    para(P_H2, H2, "楷体")
    para(P_BODY2, BODY2)
    para(P_H3A, H3[0])
    para(P_BODY3, BODY)
    para(P_H3B, H3[1])
    para(P_BODY4, BODY2)
    para(P_H1B, H1[1], "黑体")
    para(P_BODY5, BODY)
    para(P_EMPTY, "")
    for n, text in ((P_ORG, ORG), (P_DATE, DATE)):
        p = para(n, text)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = 0
    return d


def _bytes(d) -> bytes:
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _check(d, template: str = "official") -> list[CheckFinding]:
    return docgen.check(_bytes(d), template=template)


def test_a_document_laid_out_as_the_template_asks_has_no_findings():
    assert [] == _check(_official_like())


# --- each problem planted alone ---------------------------------------------------------------


def _section(d):
    return d.sections[0]


def _set_page(attr: str, value):
    def plant(d):
        setattr(_section(d), attr, value)

    return plant


def _pformat(n: int, **changes):
    def plant(d):
        fmt = d.paragraphs[n - 1].paragraph_format
        for key, value in changes.items():
            setattr(fmt, key, value)

    return plant


def _run_fonts(n: int, face: str | None = None, size: float | None = None):
    def plant(d):
        _fonts(d.paragraphs[n - 1].runs[0]._r.get_or_add_rPr(), face, size)

    return plant


def _char_spacing(d):
    rpr = d.styles["Normal"].element.get_or_add_rPr()
    rpr.append(parse_xml(f'<w:spacing {nsdecls("w")} w:val="60"/>'))


def _no_footers(d):
    section = _section(d)
    section.footer.is_linked_to_previous = True
    section.even_page_footer.is_linked_to_previous = True


def _footer_text(d):
    p = _section(d).footer.paragraphs[0]
    p.runs[0].text = "第 "
    p.runs[-1].text = " 页"


def _footer_centred(d):
    _section(d).footer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _line_break(d):
    d.paragraphs[P_BODY2 - 1].runs[0].add_break()
    d.paragraphs[P_BODY2 - 1].add_run("（续）")


def _two_empty(d):
    body = d.paragraphs[P_BODY3 - 1]._p
    for _ in range(2):
        body.addprevious(parse_xml(f"<w:p {nsdecls('w')}/>"))


def _numbered(d):
    ppr = d.paragraphs[P_H1 - 1]._p.get_or_add_pPr()
    ppr.append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
    )


def _no_org(d):
    p = d.paragraphs[P_ORG - 1]
    p._p.getparent().remove(p._p)


PLANTED: list[tuple[str, Callable | dict[int, str], str, int | None]] = [
    ("letter paper", _set_page("page_width", Mm(215.9)), "page.size", None),
    ("top margin", _set_page("top_margin", Mm(25)), "page.margin", None),
    ("type area", _set_page("right_margin", Mm(20)), "page.type_area", None),
    ("lines per page", _set_page("bottom_margin", Mm(20)), "page.lines", None),
    ("characters per line", _char_spacing, "page.chars", None),
    ("no page number", _no_footers, "page.number", None),
    ("page number form", _footer_text, "page.number_style", None),
    ("page number position", _footer_centred, "page.number_position", None),
    ("title face", _run_fonts(P_TITLE, face="宋体"), "text.title_font", P_TITLE),
    ("title size", _run_fonts(P_TITLE, size=16), "text.title_size", P_TITLE),
    ("heading face", _run_fonts(P_H1, face="仿宋"), "text.heading_font", P_H1),
    ("heading size", _run_fonts(P_H2, size=18), "text.heading_size", P_H2),
    ("body face", _run_fonts(P_BODY2, face="宋体"), "text.body_font", P_BODY2),
    ("body size", _run_fonts(P_BODY3, size=14), "text.body_size", P_BODY3),
    ("line spacing", _pformat(P_BODY1, line_spacing=1.5), "text.line_spacing", P_BODY1),
    ("indent", _pformat(P_BODY4, first_line_indent=0), "text.indent", P_BODY4),
    (
        "alignment",
        _pformat(P_BODY5, alignment=WD_ALIGN_PARAGRAPH.LEFT),
        "text.alignment",
        P_BODY5,
    ),
    ("empty paragraphs", _two_empty, "text.empty_paragraph", P_BODY3),
    ("line break", _line_break, "text.line_break", P_BODY2),
    ("jump", {P_H1B: "三、重在实践，落实发展规划"}, "numbering.jump", P_H1B),
    ("repeat", {P_H3B: "1.总结创建经验"}, "numbering.repeat", P_H3B),
    ("mixed", {P_H3B: "2、总结创建经验"}, "numbering.mixed", P_H3B),
    ("style", {P_H3A: "1、做好迎评准备", P_H3B: "2、总结创建经验"}, "numbering.style", P_H3A),
    ("level skip", {P_H2: "（1）迎接新优质学校中期评审"}, "numbering.level_skip", P_H2),
    ("automatic numbering", _numbered, "numbering.auto", P_H1),
    ("half width", {P_BODY1: BODY.replace("，", ",", 2)}, "punct.half_width", P_BODY1),
    ("quotes", {P_INTRO: INTRO.replace("新优质”", "新优质“")}, "punct.mixed_quotes", P_INTRO),
    ("brackets", {P_BODY2: "党员们（全体在职党员]参加了学习。"}, "punct.mixed_brackets", P_BODY2),
    (
        "doc number brackets",
        {P_BODY2: "现将徐教[2014]1号转发给你们。"},
        "punct.doc_number",
        P_BODY2,
    ),
    ("doubled", {P_BODY3: BODY.replace("，", "，，", 1)}, "punct.doubled", P_BODY3),
    ("leading zero", {P_BODY4: "活动于2014年01月05日结束。"}, "date.leading_zero", P_BODY4),
    ("zero", {P_BODY4: "活动于二零一四年一月结束。"}, "date.zero", P_BODY4),
    ("signature date form", {P_DATE: "2014.1.15"}, "date.signature_form", P_DATE),
    (
        "signature date position",
        _pformat(P_DATE, alignment=WD_ALIGN_PARAGRAPH.LEFT),
        "date.signature_position",
        P_DATE,
    ),
    (
        "doc number form",
        {P_BODY2: "现将徐教〔14〕01号转发给你们。"},
        "elements.doc_number",
        P_BODY2,
    ),
    (
        "recipients",
        _pformat(P_RECIPIENTS, first_line_indent=Pt(32)),
        "elements.recipients",
        P_RECIPIENTS,
    ),
    ("attachment", {P_EMPTY: "附件：1、学习资料目录"}, "elements.attachment", P_EMPTY),
    ("signature", _no_org, "elements.signature", P_DATE - 1),
    ("colophon", {P_EMPTY: "抄送：区教育党工委"}, "elements.colophon", P_EMPTY),
]


@pytest.mark.parametrize(
    ("plant", "code", "paragraph"),
    [pytest.param(plant, code, n, id=name) for name, plant, code, n in PLANTED],
)
def test_each_planted_problem_is_found_with_its_code_and_paragraph(plant, code, paragraph):
    if isinstance(plant, dict):
        d = _official_like(texts=plant)
    else:
        d = _official_like()
        plant(d)
    found = _check(d)
    assert (code, paragraph) in [(f.code, f.paragraph) for f in found], found
    hit = next(f for f in found if f.code == code)
    assert hit.expected
    assert hit.found
    assert hit.message
    if paragraph is not None:
        assert d.paragraphs[paragraph - 1].text.startswith(hit.excerpt.rstrip("…"))


def _self_numbering_official(folder: Path) -> Path:
    """The official template with its heading styles numbering themselves (w:numPr)."""
    target = folder / "numbered"
    shutil.copytree(ROOT / "templates" / "official", target)
    docx_path = target / "template.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(docx_path) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/styles.xml":
                text = data.decode("utf-8")
                for level in (1, 2, 3, 4):
                    start = text.index(f'w:styleId="Heading{level}"')
                    at = text.index("<w:pPr>", start) + len("<w:pPr>")
                    numbered = (
                        f'<w:numPr><w:ilvl w:val="{level - 1}"/><w:numId w:val="1"/></w:numPr>'
                    )
                    text = text[:at] + numbered + text[at:]
                data = text.encode("utf-8")
            dst.writestr(info, data)
    docx_path.write_bytes(buffer.getvalue())
    return target


@pytest.mark.usefixtures("chinese")  # the Chinese wording, as teachers read it
def test_a_typed_label_where_the_template_numbers_headings_itself_is_found(tmp_path):
    template = _self_numbering_official(tmp_path)
    found = docgen.check(_bytes(_official_like()), template=template)
    typed = [f for f in found if f.code == "numbering.typed"]
    assert P_H1 in [f.paragraph for f in typed]
    hit = next(f for f in typed if f.paragraph == P_H1)
    assert "自动编号" in hit.expected
    assert "一、" in hit.found


def test_every_code_is_planted_or_documented():
    planted = {code for _, _, code, _ in PLANTED} | {"numbering.typed"}  # planted above
    untested = set(CODES) - planted
    assert set() == untested
    page = (ROOT / "docs" / "check.md").read_text(encoding="utf-8")
    assert [] == [code for code in CODES if f"`{code}`" not in page]


@pytest.mark.usefixtures("chinese")  # the Chinese wording, as teachers read it
def test_a_finding_says_where_in_chinese():
    d = _official_like(texts={P_BODY1: BODY.replace("，", ",", 1)})
    (hit,) = [f for f in _check(d) if f.code == "punct.half_width"]
    assert f"第{P_BODY1}段" in str(hit)
    assert "“,”" in hit.found
    assert "“，”" == hit.expected
    assert json.loads(json.dumps(hit.to_dict()))["paragraph"] == P_BODY1


# --- what docgen renders is clean -------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_rendered_with_its_template_has_no_findings(example):
    template = yaml.safe_load(example.read_text(encoding="utf-8"))["template"]
    rendered = docgen.render(docgen.load_report(example))
    assert [] == docgen.check(rendered.to_bytes(), template=template)


@pytest.mark.parametrize("name", BUILT_INS)
def test_every_starter_rendered_has_no_findings(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    data = tmp_path / f"{name}.yaml"
    assert 0 == CliRunner().invoke(main, ["new", name, "-o", str(data)]).exit_code
    out = tmp_path / "out.docx"
    assert 0 == CliRunner().invoke(main, ["render", str(data), "-o", str(out)]).exit_code
    assert [] == docgen.check(out, template=name)


def test_a_summary_is_checked_against_its_own_template():
    summary = docgen.render(docgen.load_report(ROOT / "examples" / "party-branch-summary.yaml"))
    assert [] == docgen.check(summary.to_bytes(), template="work-summary")
    codes = {f.code for f in docgen.check(summary.to_bytes(), template="official")}
    assert "numbering.style" in codes  # 1、 is SCHOOL's second level, not GB/T 9704's


# --- bad input --------------------------------------------------------------------------------


def test_not_a_zip_is_a_data_error():
    with pytest.raises(DataError, match="not a Word document"):
        docgen.check(b"plain text, not a package")


def test_a_word_97_file_is_a_data_error():
    with pytest.raises(DataError, match="Word 97"):
        docgen.check(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)


def test_a_zip_without_a_document_is_a_data_error():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(DataError, match=r"has no word/document\.xml"):
        docgen.check(out.getvalue())


def test_a_package_over_the_unpacked_limit_is_a_data_error(monkeypatch):
    monkeypatch.setenv("DOCGEN_MAX_UNPACKED_MB", "0.001")
    with pytest.raises(DataError, match="unpacks to more than the limit"):
        docgen.check(_bytes(_official_like()))


def test_a_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        docgen.check(tmp_path / "none.docx")


# --- the command ------------------------------------------------------------------------------


@pytest.mark.usefixtures("chinese")  # the Chinese wording, as teachers read it
def test_the_command_exits_0_on_a_clean_document(tmp_path):
    path = tmp_path / "clean.docx"
    path.write_bytes(_bytes(_official_like()))
    result = CliRunner().invoke(main, ["check", str(path)])
    assert 0 == result.exit_code, result.output
    assert "未发现问题" in result.output


@pytest.mark.usefixtures("chinese")  # the Chinese wording, as teachers read it
def test_the_command_exits_1_and_says_where_in_chinese(tmp_path):
    path = tmp_path / "planted.docx"
    path.write_bytes(_bytes(_official_like(texts={P_H1B: "三、重在实践，落实发展规划"})))
    result = CliRunner().invoke(main, ["check", str(path), "-t", "official"])
    assert 1 == result.exit_code
    assert f"第{P_H1B}段“三、重在实践，落实发展规…”" in result.output
    assert "[numbering.jump]" in result.output
    assert "应为：" in result.output
    assert "实为：" in result.output


def test_the_command_prints_json_for_tools(tmp_path):
    path = tmp_path / "planted.docx"
    path.write_bytes(_bytes(_official_like(texts={P_BODY4: "活动于2014年01月05日结束。"})))
    result = CliRunner().invoke(main, ["check", str(path), "--json"])
    assert 1 == result.exit_code
    data = json.loads(result.output)
    assert data["ok"] is False
    assert {"code": "date.leading_zero", "paragraph": P_BODY4} in [
        {"code": f["code"], "paragraph": f["paragraph"]} for f in data["findings"]
    ]


def test_the_command_honours_the_template_dir(tmp_path):
    shutil.copytree(
        docgen.Template.load("work-summary").source.rsplit("/", 1)[0], tmp_path / "ours"
    )
    summary = docgen.render(docgen.load_report(ROOT / "examples" / "party-branch-summary.yaml"))
    path = tmp_path / "summary.docx"
    path.write_bytes(summary.to_bytes())
    result = CliRunner().invoke(
        main, ["--template-dir", str(tmp_path), "check", str(path), "-t", "ours", "--json"]
    )
    assert 0 == result.exit_code, result.output
    assert json.loads(result.output)["findings"] == []


@pytest.mark.parametrize(
    "args",
    [["check"], ["check", "x.docx", "--bogus"], ["check", "x.docx", "-t"]],
    ids=["no file", "unknown option", "no template"],
)
def test_the_command_exits_2_on_usage_errors(args):
    assert 2 == CliRunner().invoke(main, args).exit_code


def test_the_command_exits_1_on_a_file_that_is_not_a_docx(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_text("not a package", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert 1 == result.exit_code
    assert "not a Word document" in result.stderr
