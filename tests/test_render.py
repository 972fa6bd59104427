"""Rendering reports into templates: the example end to end, and what docxtpl users trip on."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

import docgen
from docgen import (
    BulletList,
    Cell,
    Image,
    NumberedList,
    PageBreak,
    Paragraph,
    Report,
    Run,
    Section,
    Signature,
    Table,
)
from docgen.cn import normalize_punctuation
from examples.party_branch_summary import build_report
from tests.conftest import EXAMPLE_TEXT, part, texts
from tools.build_templates import SUMMARY_LOOPS

CJK = re.compile(r"[\u3400-\u9fff]")


def example_paragraphs() -> list[str]:
    """The example's paragraphs as a person typesets them: full-width punctuation."""
    return [normalize_punctuation(p) for p in EXAMPLE_TEXT.read_text("utf-8").split(" ")]


@pytest.fixture(scope="module")
def example_docx() -> bytes:
    return docgen.render(build_report(), template="work-summary").to_bytes()


# --- the example, end to end --------------------------------------------------------------


def test_the_example_renders_to_exactly_its_text_in_order(example_docx):
    assert example_paragraphs() == texts(example_docx)


def test_raw_pasted_text_normalized_at_render_gives_the_same_document_text(example_docx):
    raw = EXAMPLE_TEXT.read_text("utf-8").split(" ")
    report = build_report()
    # rebuild the report from the raw (half-width) paragraphs, same structure
    by_text = {normalize_punctuation(p): p for p in raw}
    raw_report = docgen.model.map_text(report, lambda t: by_text.get(t, t))
    assert raw_report != report
    rendered = docgen.render(raw_report, "work-summary", normalize_punctuation=True)
    assert texts(example_docx) == texts(rendered.to_bytes())


def test_headings_are_numbered_by_the_school_scheme_and_use_heading_styles(example_docx):
    document = docx.Document(io.BytesIO(example_docx))
    headings = [
        (p.style.name, p.text[:2])
        for p in document.paragraphs
        if p.style.name.startswith("Heading")
    ]
    assert [
        ("Heading 1", "一、"),
        ("Heading 1", "二、"),
        ("Heading 2", "1、"),
        ("Heading 2", "2、"),
        ("Heading 2", "3、"),
        ("Heading 1", "三、"),
    ] == headings


def test_gbt9704_numbering_can_be_chosen_at_render():
    doc = docgen.render(build_report(), "work-summary", numbering="GBT9704")
    heads = [t for t in texts(doc.to_bytes()) if t.startswith(("一、", "二、", "三、", "（"))]
    assert ["一、", "二、", "（一）", "（二）", "（三）", "三、"] == [
        re.match(r"^(.、|（.）)", h).group(1) for h in heads
    ]


def test_body_paragraphs_carry_a_two_character_first_line_indent(example_docx):
    document = docx.Document(io.BytesIO(example_docx))
    body = [p for p in document.paragraphs if p.style.name == "Body Text"]
    assert 16 == len(body)  # intro 1, sections 3+1+1+3+1+4, closing 2
    for p in body:
        ind = p._p.pPr.find(qn("w:ind"))
        assert "200" == ind.get(qn("w:firstLineChars"))
        assert "640" == ind.get(qn("w:firstLine"))  # two characters of 三号 (16 pt)


def _east_asia_of(paragraph, run, styles) -> str | None:
    rfonts = run._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    if rfonts is not None and rfonts.get(qn("w:eastAsia")):
        return rfonts.get(qn("w:eastAsia"))
    style = paragraph.style
    while style is not None:
        el = style.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if el is not None and el.get(qn("w:eastAsia")):
            return el.get(qn("w:eastAsia"))
        style = style.base_style
    return styles


def test_every_chinese_run_resolves_to_an_east_asian_face_with_the_hint(example_docx):
    document = docx.Document(io.BytesIO(example_docx))
    faces = set()
    for p in document.paragraphs:
        for run in p.runs:
            if CJK.search(run.text):
                face = _east_asia_of(p, run, None)
                assert face in {"仿宋", "黑体", "楷体"}, (p.text, face)
                faces.add(face)
                rfonts = run._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
                assert "eastAsia" == rfonts.get(qn("w:hint"))
    assert {"仿宋", "黑体", "楷体"} == faces


def test_styles_carry_chinese_and_latin_faces_separately_and_declare_zh_cn(example_docx):
    styles = part(example_docx, "word/styles.xml")
    assert '<w:lang w:val="en-US" w:eastAsia="zh-CN"' in styles
    body = re.search(r'<w:style [^>]*w:styleId="BodyText".*?</w:style>', styles).group(0)
    assert 'w:eastAsia="仿宋"' in body
    assert 'w:ascii="Times New Roman"' in body
    assert 'w:sz w:val="32"' in body  # 三号
    title = re.search(r'<w:style [^>]*w:styleId="Title".*?</w:style>', styles).group(0)
    assert 'w:eastAsia="黑体"' in title
    assert 'w:sz w:val="44"' in title  # 二号


def test_the_signature_block_follows_gbt9704_unsealed_layout(example_docx):
    document = docx.Document(io.BytesIO(example_docx))
    org, date = document.paragraphs[-2], document.paragraphs[-1]
    assert ("徐汇区东二小学党支部", "2014年1月") == (org.text, date.text)
    assert org.alignment == date.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    org_right = org._p.pPr.find(qn("w:ind")).get(qn("w:rightChars"))
    date_right = date._p.pPr.find(qn("w:ind")).get(qn("w:rightChars"))
    # 署名 右空二字; the date starts two characters right of the 署名's first character:
    # 10 characters of 署名; the date is 4.5 characters plus three quarter-character gaps
    # Word puts between digits and Chinese -> the date's right indent is 10 - 5.25 = 4.75.
    assert ("200", "475") == (org_right, date_right)
    assert "" == document.paragraphs[-3].text  # one blank line under the body


def test_the_page_is_a4_with_gbt9704_margins_and_page_numbers(example_docx):
    document = docx.Document(io.BytesIO(example_docx))
    section = document.sections[0]
    assert (11906, 16838) == (section.page_width.twips, section.page_height.twips)
    assert (37, 28) == (round(section.top_margin.mm), round(section.left_margin.mm))
    footer = part(example_docx, "word/footer1.xml")
    assert "PAGE" in footer
    assert "— " in footer
    assert " —" in footer


def test_loading_the_yaml_gives_the_same_report_as_the_python_example():
    report = docgen.load_report(
        Path(__file__).parent.parent / "examples" / "party-branch-summary.yaml"
    )
    assert build_report() == report
    assert "work-summary" == report.template


# --- both template styles ------------------------------------------------------------------


LOOP_TEMPLATE = SUMMARY_LOOPS


def test_body_slot_and_explicit_loops_give_the_same_text(make_template, example_docx):
    loops = make_template(*LOOP_TEMPLATE)
    rendered = docgen.render(build_report(), loops).to_bytes()
    assert texts(example_docx) == texts(rendered)


def test_control_tag_paragraphs_leave_no_empty_paragraph_behind(make_template):
    loops = make_template(*LOOP_TEMPLATE)
    document = docx.Document(io.BytesIO(docgen.render(build_report(), loops).to_bytes()))
    assert all(p.text for p in document.paragraphs)
    assert not any("{%" in p.text or "{{" in p.text for p in document.paragraphs)


def test_a_plain_docxtpl_template_renders_a_plain_mapping_with_chinese_filters(make_template):
    tpl = make_template(
        (
            "BodyText",
            "{{ name }}：{{ n|cn_number }}，{{ year|cn_digits }}，"
            "{{ amount|rmb_upper }}，{{ 3|circled }}，"
            "{{ day|cn_date('chinese') }}，{{ day|term }}，"
            "{{ '三号'|font_size }}，{{ raw|punct }}",
        )
    )
    doc = docgen.render(
        {
            "name": "张三",
            "n": 10010,
            "year": 2014,
            "amount": "1409.50",
            "day": "2014-01-15",
            "raw": "小结(初稿)",
        },
        tpl,
    )
    assert [
        "张三：一万零一十，二〇一四，人民币壹仟肆佰零玖元伍角，③，二〇一四年一月十五日，"
        "2013学年第一学期，16.0，小结（初稿）"
    ] == texts(doc.to_bytes())


def test_rendering_one_template_twice_gives_two_correct_documents():
    template = docgen.Template.load("work-summary")
    before = dict(template.package.parts)
    first = docgen.render(Report("甲", sections=[Section("一节", blocks=["甲文"])]), template)
    second = docgen.render(Report("乙", sections=[Section("二节", blocks=["乙文"])]), template)
    assert ["甲", "一、一节", "甲文"] == texts(first.to_bytes())
    assert ["乙", "一、二节", "乙文"] == texts(second.to_bytes())
    assert before == template.package.parts


# --- what docxtpl users keep running into --------------------------------------------------


def test_ampersands_and_angle_brackets_in_data_never_corrupt_the_package(make_template):
    nasty = "A & B < C > D \" ' ]]> {{ x }} {% if %}"
    report = Report(
        nasty,
        intro=[nasty],
        sections=[Section(nasty, blocks=[Table([[nasty, nasty]]), BulletList([nasty])])],
        signature=Signature(nasty),
    )
    for template in ("work-summary", make_template(*LOOP_TEMPLATE)):
        data = docgen.render(report, template).to_bytes()
        assert texts(data).count(nasty) >= 3
        assert nasty in texts(data)[0]


def test_user_text_that_looks_like_jinja_is_printed_not_executed(make_template):
    tpl = make_template(("BodyText", "{{ note }}"))
    data = docgen.render({"note": "{{ 7*7 }} {% for x in y %}"}, tpl).to_bytes()
    assert ["{{ 7*7 }} {% for x in y %}"] == texts(data)


def test_a_newline_in_a_text_field_starts_a_new_paragraph_of_the_same_style(make_template):
    tpl = make_template(("Heading1", "{{ head }}"), ("BodyText", "前{{ text }}后"))
    document = docx.Document(
        io.BytesIO(docgen.render({"head": "一\n二", "text": "甲\n乙"}, tpl).to_bytes())
    )
    assert [
        ("Heading 1", "一"),
        ("Heading 1", "二"),
        ("Body Text", "前甲"),
        ("Body Text", "乙后"),
    ] == [(p.style.name, p.text) for p in document.paragraphs]
    xml = part(docgen.render({"head": "a\nb", "text": "c"}, tpl).to_bytes(), "word/document.xml")
    assert "<w:br/>" not in xml


def test_a_newline_in_a_report_paragraph_starts_a_new_body_paragraph():
    doc = docgen.render(Report("题", intro=["第一段\n第二段"]), "work-summary")
    document = docx.Document(io.BytesIO(doc.to_bytes()))
    assert [("Body Text", "第一段"), ("Body Text", "第二段")] == [
        (p.style.name, p.text) for p in document.paragraphs[1:3]
    ]


def test_characters_xml_cannot_hold_are_removed_with_a_warning():
    with pytest.warns(docgen.DocgenWarning, match="U\\+000B"):
        doc = docgen.render(Report("题", intro=["甲\x0b乙\x00丙"]), "work-summary")
    assert ["题", "甲乙丙"] == texts(doc.to_bytes())
    assert any("U+000B" in w for w in doc.warnings)


def test_each_numbered_list_restarts_at_one_unless_asked_to_continue():
    report = Report(
        "题",
        intro=[
            NumberedList(["甲", "乙"]),
            NumberedList(["丙", "丁"]),
            NumberedList(["戊"], continue_previous=True),
            NumberedList(["己"], start=5),
        ],
    )
    data = docgen.render(report, "work-summary").to_bytes()
    document = docx.Document(io.BytesIO(data))
    num_ids = [
        p._p.pPr.numPr.numId.val
        for p in document.paragraphs
        if p._p.pPr is not None and p._p.pPr.numPr is not None
    ]
    assert 6 == len(num_ids)
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3] == num_ids[4] != num_ids[5]
    numbering = part(data, "word/numbering.xml")
    for num_id, start in ((num_ids[0], 1), (num_ids[2], 1), (num_ids[5], 5)):
        assert re.search(
            rf'<w:num w:numId="{num_id}">.*?<w:startOverride w:val="{start}"/>', numbering
        )


def test_lists_in_each_loop_iteration_restart(make_template):
    tpl = make_template(
        ("BodyText", "{%p for s in sections %}"),
        ("BodyText", "{%p for b in s.blocks %}"),
        ("BodyText", "{{p b.xml }}"),
        ("BodyText", "{%p endfor %}"),
        ("BodyText", "{%p endfor %}"),
    )
    report = Report(
        "题",
        sections=[
            Section("一", blocks=[NumberedList(["甲", "乙"])]),
            Section("二", blocks=[NumberedList(["丙"])]),
        ],
    )
    document = docx.Document(io.BytesIO(docgen.render(report, tpl).to_bytes()))
    ids = [
        p._p.pPr.numPr.numId.val
        for p in document.paragraphs
        if p._p.pPr is not None and p._p.pPr.numPr is not None
    ]
    assert 3 == len(ids)
    assert ids[0] == ids[1] != ids[2]


def test_scheme_numbered_lists_use_the_numbering_scheme_level():
    report = Report("题", intro=[NumberedList(["上好课", "带好班"], level=3)])
    assert ["（1）上好课", "（2）带好班"] == texts(docgen.render(report).to_bytes())[1:]


def test_rich_runs_inherit_the_font_and_size_of_the_run_where_the_tag_stood(make_template):
    tpl = make_template(("Heading1", "{{ p }}"))
    para = Paragraph(["依托", Run("德育平台", bold=True), "和", Run("党工团", emphasis=True)])
    data = docgen.render({"p": para}, tpl).to_bytes()
    document = docx.Document(io.BytesIO(data))
    runs = document.paragraphs[0].runs
    assert ["依托", "德育平台", "和", "党工团"] == [r.text for r in runs]
    assert [None, True, None, None] == [r.bold for r in runs]
    for r in runs:  # every run keeps the template run's faces
        rfonts = r._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert "仿宋" == rfonts.get(qn("w:eastAsia"))
    em = runs[3]._r.find(f"{qn('w:rPr')}/{qn('w:em')}")
    assert "dot" == em.get(qn("w:val"))


def test_rich_runs_in_the_body_slot_carry_emphasis():
    report = Report(
        "题",
        intro=[
            Paragraph(
                [
                    Run("重点", bold=True, underline=True),
                    Run("着重", emphasis=True),
                    Run("斜", italic=True),
                ]
            )
        ],
    )
    xml = part(docgen.render(report).to_bytes(), "word/document.xml")
    assert re.search(r"<w:b/><w:bCs/><w:u w:val=\"single\"/></w:rPr><w:t[^>]*>重点", xml)
    assert re.search(r'<w:em w:val="dot"/></w:rPr><w:t[^>]*>着重', xml)
    assert re.search(r"<w:i/><w:iCs/></w:rPr><w:t[^>]*>斜", xml)


def test_tables_write_merged_cells_header_rows_widths_and_caption():
    table = Table(
        [
            ["姓名", "科目", "成绩"],
            [Cell("张三", rowspan=2), "语文", "90"],
            ["数学", "95"],
            [Cell("合计", colspan=2), "185"],
        ],
        widths_cm=[3, 4, 3],
        caption="表1 成绩",
    )
    data = docgen.render(Report("题", intro=[table])).to_bytes()
    document = docx.Document(io.BytesIO(data))
    t = document.tables[0]
    assert ["姓名", "科目", "成绩"] == [c.text for c in t.rows[0].cells]
    assert t.cell(1, 0)._tc is t.cell(2, 0)._tc  # vertical merge
    assert t.cell(3, 0)._tc is t.cell(3, 1)._tc  # horizontal merge
    assert "合计" == t.cell(3, 0).text
    assert [1701, 2268, 1701] == [c.width.twips for c in t.columns]
    assert "表1 成绩" in texts(data)
    xml = part(data, "word/document.xml")
    assert "<w:tblHeader/>" in xml
    assert xml.index("表1 成绩") < xml.index("<w:tbl>")  # 表题在表上


@pytest.mark.parametrize(
    ("widths", "where"),
    [
        ("3,4", r"Table\.widths_cm: must be a list"),  # not split into characters
        (5, r"Table\.widths_cm: must be a list"),
        ([3, 0], r"Table\.widths_cm\[1\]: must be a positive number"),
        ([3], r"Table\.widths_cm: needs one width per column"),
    ],
)
def test_table_widths_that_are_not_one_positive_number_per_column_name_the_field(widths, where):
    with pytest.raises(docgen.ValidationError, match=where):
        Table([["姓名", "成绩"]], widths_cm=widths)


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000010806000000f478d4fa0000000d49444154"
    "789c63f8cfc0f01f0005000201e2b7a9c50000000049454e44ae426082"
)


def test_images_are_embedded_with_width_and_caption(tmp_path):
    path = tmp_path / "logo.png"
    path.write_bytes(PNG)
    report = Report("题", intro=[Image(path, width_cm=4, caption="图1 校徽"), Image(PNG)])
    data = docgen.render(report).to_bytes()
    document = docx.Document(io.BytesIO(data))
    shapes = document.inline_shapes
    assert 2 == len(shapes)
    assert 4.0 == round(shapes[0].width.cm, 2)
    assert 2.0 == round(shapes[0].width.cm / shapes[0].height.cm, 2)  # aspect kept
    assert "图1 校徽" in texts(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        # the same picture twice (a file, then its bytes): stored once, placed twice
        assert 1 == len([n for n in zf.namelist() if n.startswith("word/media/")])
    assert 2 == part(data, "word/document.xml").count('r:embed="rIdDocgen')


def test_page_breaks_and_bullets_are_written():
    data = docgen.render(
        Report("题", intro=[BulletList(["甲", "乙"]), PageBreak(), "后"])
    ).to_bytes()
    xml = part(data, "word/document.xml")
    assert '<w:br w:type="page"/>' in xml
    assert 2 == xml.count('<w:pStyle w:val="ListBullet"/>')


def test_attachments_are_listed_under_the_body():
    data = docgen.render(Report("题", intro=["正文"], attachments=["学期工作安排表。", "名单"]))
    lines = texts(data.to_bytes())
    assert ["附件：1. 学期工作安排表", "　　　2. 名单"] == lines[2:4]


@pytest.mark.audit
def test_what_docgen_writes_has_no_schema_findings(tmp_path):
    path = tmp_path / "all.docx"
    report = Report(
        "题",
        status="初稿",
        intro=[
            Paragraph([Run("粗", bold=True), Run("点", emphasis=True)]),
            BulletList(["甲"]),
            NumberedList(["乙"]),
            Table([["a", Cell("b", rowspan=2)], ["c"]], caption="表"),
            Image(PNG, width_cm=2, caption="图"),
            PageBreak(),
        ],
        sections=[Section("一", blocks=["文"], subsections=[Section("二")])],
        signature=Signature("某校", date="2014-01-15", date_style="long"),
        attachments=["附"],
    )
    docgen.render(report).save(path)
    out = subprocess.run(
        [sys.executable, "-m", "openxml_audit", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Errors: 0" in out.stdout, out.stdout


# --- saving -------------------------------------------------------------------------------


def test_save_refuses_to_overwrite_unless_asked(tmp_path):
    path = tmp_path / "out.docx"
    path.write_bytes(b"precious")
    doc = docgen.render(Report("题"))
    with pytest.raises(docgen.OutputExistsError, match=r"out\.docx"):
        doc.save(path)
    assert b"precious" == path.read_bytes()
    doc.save(path, overwrite=True)
    assert doc.to_bytes() == path.read_bytes()
    assert path.stat().st_mode & 0o044  # readable by others like any new file, not 0600
    assert [path] == list(tmp_path.iterdir())  # no temporary file left


def test_save_leaves_no_partial_file_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "out.docx"

    def boom(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", boom)
    with pytest.raises(OSError, match="No space"):
        docgen.render(Report("题")).save(path)
    assert [] == list(tmp_path.iterdir())


def test_warnings_do_not_leak_when_none_are_raised():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert () == docgen.render(Report("题")).warnings


def test_templates_see_the_numbering_scheme_to_continue_headings(make_template):
    tpl = make_template(("BodyText", "{{ numbering.label(1, sections|length + 1) }}决议事项"))
    report = Report("题", sections=[Section("一"), Section("二")])
    assert ["三、决议事项"] == texts(docgen.render(report, tpl).to_bytes())
    assert ["（三）决议事项"] != texts(docgen.render(report, tpl, numbering="DECIMAL").to_bytes())
    assert ["3 决议事项"] == texts(docgen.render(report, tpl, numbering="DECIMAL").to_bytes())


def test_scheme_numbered_lists_continue_when_asked():
    report = Report(
        "题",
        intro=[
            NumberedList(["甲", "乙"], level=3),
            "中间一段",
            NumberedList(["丙"], level=3, continue_previous=True),
            NumberedList(["丁"], level=3),
        ],
    )
    lines = texts(docgen.render(report).to_bytes())
    assert ["（1）甲", "（2）乙", "中间一段", "（3）丙", "（1）丁"] == lines[1:]


@pytest.mark.parametrize(
    ("template", "style", "expected"),
    [
        ("work-summary", None, "2014年1月"),
        ("notice", None, "2014年1月15日"),
        ("official", None, "2014年1月15日"),
        ("notice", "year_month", "2014年1月"),  # the data's own style wins
        ("work-summary", "chinese", "二〇一四年一月十五日"),
    ],
)
@pytest.mark.filterwarnings("ignore:extra.recipients. not used")  # a 通知's field, in a 总结 too
def test_the_signature_date_follows_the_data_else_the_template(template, style, expected):
    report = docgen.Report(
        "关于寒假安全教育的通知",
        intro=["各班主任："],
        sections=[docgen.Section("一、安全", blocks=["注意安全。"])],
        signature=docgen.Signature("徐汇区东二小学", date="2014-01-15", date_style=style),
        extra={"recipients": "各班主任"},
    )
    paragraphs = [
        p.text.strip()
        for p in docx.Document(io.BytesIO(docgen.render(report, template).to_bytes())).paragraphs
    ]
    assert expected in paragraphs


def test_a_manifest_with_an_unknown_date_style_names_the_key():
    from docgen.manifest import Manifest  # noqa: PLC0415

    with pytest.raises(docgen.TemplateError) as info:
        Manifest.from_mapping({"name": "x", "date_style": "longest"})
    assert "template.toml: date_style" == info.value.where
    assert "year_month" in str(info.value.expected)
    assert "'longest'" == info.value.found
