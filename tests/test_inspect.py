"""``inspect_template``: templates as Word and WPS really store them, checked before a render."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

import docgen
from docgen import Report, Section, Signature, _docxtpl
from docgen.errors import PackageError, TemplateNotFoundError, UnknownFilterError
from docgen.inspect import Finding, Inspection, Variable, inspect_template
from tests.conftest import EXAMPLE_YAML, texts
from tools.build_templates import (
    R_NS,
    W_NS,
    build_docx,
    paragraph,
    read_manifest,
    template_names,
)

DATA = Path(__file__).resolve().parent / "data" / "inspect"
FONTS = read_manifest("work-summary")["fonts"]
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."


# --- building templates the way Word and WPS store them ------------------------------------


def p(text: str, style: str = "BodyText") -> str:
    """One paragraph, one run: what a template author types in one go."""
    return paragraph(style, text)


def run(text: str, rpr: str = "") -> str:
    return f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def runs(*pieces: tuple[str, str], style: str = "BodyText") -> str:
    """A paragraph whose text Word stored in several runs, each with its own formatting."""
    body = "".join(run(text, rpr) for text, rpr in pieces)
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{body}</w:p>'


def _with_parts(data: bytes, *, header: str | None, footnotes: str | None) -> bytes:
    """Add a header part and/or a footnotes part, with their relationships and content types."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            content = src.read(info).decode("utf-8")
            if info.filename == "word/_rels/document.xml.rels":
                extra = ""
                if header is not None:
                    extra += f'<Relationship Id="rId90" Type="{REL}header" Target="header1.xml"/>'
                if footnotes is not None:
                    extra += (
                        f'<Relationship Id="rId91" Type="{REL}footnotes" Target="footnotes.xml"/>'
                    )
                content = content.replace("</Relationships>", extra + "</Relationships>")
            elif info.filename == "[Content_Types].xml":
                extra = ""
                if header is not None:
                    extra += (
                        f'<Override PartName="/word/header1.xml" ContentType="{CT}header+xml"/>'
                    )
                if footnotes is not None:
                    extra += (
                        '<Override PartName="/word/footnotes.xml" '
                        f'ContentType="{CT}footnotes+xml"/>'
                    )
                content = content.replace("</Types>", extra + "</Types>")
            elif info.filename == "word/document.xml" and header is not None:
                content = content.replace(
                    "<w:sectPr>", '<w:sectPr><w:headerReference w:type="default" r:id="rId90"/>'
                )
            dst.writestr(info, content.encode("utf-8"))
        if header is not None:
            dst.writestr(
                "word/header1.xml",
                DECL + f'<w:hdr xmlns:w="{W_NS}" xmlns:r="{R_NS}">{header}</w:hdr>',
            )
        if footnotes is not None:
            dst.writestr(
                "word/footnotes.xml",
                DECL + f'<w:footnotes xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
                '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
                "</w:footnote>"
                '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
                "<w:continuationSeparator/></w:r></w:p></w:footnote>"
                f'<w:footnote w:id="1">{footnotes}</w:footnote></w:footnotes>',
            )
    return buf.getvalue()


@pytest.fixture
def build(tmp_path):
    """Write a template .docx from body paragraphs (and a header, footnotes, a manifest)."""
    count = 0

    def make(
        *paragraphs: str,
        header: str | None = None,
        footnotes: str | None = None,
        toml: str | None = None,
    ) -> Path:
        nonlocal count
        count += 1
        data = build_docx({"name": f"t{count}", "fonts": FONTS}, "".join(paragraphs))
        if header is not None or footnotes is not None:
            data = _with_parts(data, header=header, footnotes=footnotes)
        path = tmp_path / f"inspect{count}.docx"
        path.write_bytes(data)
        if toml is not None:
            path.with_suffix(".toml").write_text(toml, encoding="utf-8")
        return path

    return make


def found(result: Inspection, code: str, level: str | None = None) -> list[Finding]:
    return [f for f in result.findings if f.code == code and (level is None or f.level == level)]


def codes(result: Inspection) -> set[str]:
    return {f.code for f in result.findings}


# --- the built-in template ---------------------------------------------------------------


def test_the_built_in_work_summary_inspects_without_errors_or_warnings():
    result = inspect_template("work-summary")
    assert [] == result.errors
    assert [] == result.warnings
    assert result.ok
    assert {"title", "status", "body", "signature_block"} <= set(result.variables)
    assert all(v.supplied_by == "report" for v in result.variables.values())


def test_the_built_in_template_inspects_cleanly_with_the_example_data():
    result = inspect_template("work-summary", data=docgen.load_report(EXAMPLE_YAML))
    assert [] == result.errors
    assert result.data_given


@pytest.mark.parametrize("name", template_names())
def test_every_built_in_template_inspects_without_errors(name):
    assert [] == inspect_template(name).errors


# --- the nested variable tree ------------------------------------------------------------


LOOPS = (
    p("{{ title }}", "Title"),
    p("{%p for s in sections %}"),
    p("{{ s.label }}{{ s.title }}", "Heading1"),
    p("{%p for b in s.blocks %}"),
    p("{{ b }}"),
    p("{%p endfor %}"),
    p("{%p endfor %}"),
    p("{{ signature.org }}", "Signature"),
    p("{{ signature.date|cn_date('year_month') }}", "Signature"),
)


def test_the_variable_tree_nests_loops_with_the_names_used_on_their_variable(build):
    result = inspect_template(build(*LOOPS))
    assert [] == result.errors
    sections = result.variables["sections"]
    [loop] = sections.loops
    assert ("s", "sections") == (loop.var, loop.over)
    assert "{%p for s in sections %}" == loop.places[0].paragraph
    assert {"label", "title", "blocks"} == set(loop.item.attributes)
    title = loop.item.attributes["title"]
    assert "s.title" == title.path
    assert ("word/document.xml", "{{ s.label }}{{ s.title }}") == (
        title.places[0].part,
        title.places[0].paragraph,
    )
    [inner] = loop.item.attributes["blocks"].loops
    assert ("b", "s.blocks") == (inner.var, inner.over)
    assert "{{ b }}" == inner.item.places[0].paragraph
    signature = result.variables["signature"]
    assert {"org", "date"} == set(signature.attributes)
    assert "signature.date" == signature.attributes["date"].path
    assert ["cn_date"] == list(result.filters)
    assert "docgen" == result.filters["cn_date"].kind


def test_loop_variables_and_locals_are_not_reported_as_template_names(build):
    result = inspect_template(
        build(
            p("{% set n = 3 %}{{ n }}{% for i in range(n) %}{{ loop.index }}{{ i }}{% endfor %}"),
            p("{% with sig = signature %}{{ sig.org }}{% endwith %}"),
        )
    )
    assert {"signature"} == set(result.variables)
    assert {"org"} == set(result.variables["signature"].attributes)
    assert [] == result.errors


def test_a_table_row_loop_lists_the_fields_of_its_rows(build):
    cell = '<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>{}</w:tc>'
    table = (
        '<w:tbl><w:tblPr><w:tblW w:w="4000" w:type="dxa"/></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>'
        "<w:tr>" + cell.format(p("姓名")) + cell.format(p("成绩")) + "</w:tr>"
        "<w:tr>" + cell.format(p("{%tr for r in rows %}")) + cell.format(p("")) + "</w:tr>"
        "<w:tr>" + cell.format(p("{{ r.name }}")) + cell.format(p("{{ r.score }}")) + "</w:tr>"
        "<w:tr>" + cell.format(p("{%tr endfor %}")) + cell.format(p("")) + "</w:tr>"
        "</w:tbl>"
    )
    result = inspect_template(build(table, p("")), data={"rows": [{"name": "张三", "score": 90}]})
    [loop] = result.variables["rows"].loops
    assert {"name", "score"} == set(loop.item.attributes)
    assert "{{ r.score }}" == loop.item.attributes["score"].places[0].paragraph
    assert "{%tr for r in rows %}" == loop.places[0].paragraph
    assert [] == result.errors
    assert [] == result.warnings


def test_headers_and_footnotes_are_inspected_with_their_part(build):
    result = inspect_template(
        build(
            p("{{ title }}", "Title"),
            header=p("{{ school }}　{{ term }}"),
            footnotes=p("数据来源：{{ source.name }}"),
        )
    )
    assert {"word/document.xml", "word/header1.xml", "word/footnotes.xml"} <= set(result.parts)
    school = result.variables["school"]
    assert ("word/header1.xml", "{{ school }}　{{ term }}") == (
        school.places[0].part,
        school.places[0].paragraph,
    )
    assert "report" == result.variables["term"].supplied_by
    assert "word/footnotes.xml" == result.variables["source"].attributes["name"].places[0].part
    # without data, names outside the report model are warnings, with their place
    undefined = {(f.part, f.paragraph) for f in found(result, "undefined-variable", "warning")}
    assert {
        ("word/header1.xml", "{{ school }}　{{ term }}"),
        ("word/footnotes.xml", "数据来源：{{ source.name }}"),
    } == undefined
    assert result.ok


# --- tags as Word really stores them -------------------------------------------------------


def test_a_tag_split_over_runs_with_different_formatting_is_noted_with_both_pieces(build):
    result = inspect_template(
        build(
            runs(("签名：", ""), ("{{ sig", "<w:b/>"), ("nature.org }}", "<w:i/>")),
        )
    )
    [note] = found(result, "split-tag")
    assert "info" == note.level
    assert ("word/document.xml", "签名：{{ signature.org }}") == (note.part, note.paragraph)
    assert "“{{ sig” (bold)" in note.message
    assert "“nature.org }}” (italic)" in note.message
    assert "first piece" in note.message
    assert "org" in result.variables["signature"].attributes
    assert result.ok


def test_a_tag_split_over_runs_of_the_same_formatting_needs_nothing(build):
    result = inspect_template(
        build(runs(("{{ ti", '<w:sz w:val="32"/>'), ("tle }}", '<w:sz w:val="32"/>')))
    )
    [note] = found(result, "split-tag")
    assert "nothing needs doing" in note.message
    assert ["title"] == list(result.variables)


def test_a_tag_broken_across_paragraphs_is_an_error(build):
    result = inspect_template(build(p("{{ signature."), p("org }}"), p("{{ title }}")))
    [error] = found(result, "split-tag", "error")
    assert "{{ signature." == error.paragraph
    assert "no closing }}" in error.message
    assert not result.ok
    # docxtpl would join the two paragraphs: Jinja then reads one tag, which inspect reports
    # at the paragraph where it begins
    result = inspect_template(build(p("{{ title }"), p("{{ signature.org }}")))
    assert ["{{ title }"] == [f.paragraph for f in found(result, "syntax-error")]


def test_a_tag_in_a_text_box_is_a_warning_reported_once_for_both_copies(build):
    box = (DATA / "textbox-paragraph.xml").read_text(encoding="utf-8")
    path = build(p("{{ title }}", "Title"), box)
    result = inspect_template(path)
    [warning] = found(result, "tag-in-textbox")
    assert ("warning", "学校：{{ school }}") == (warning.level, warning.paragraph)
    assert ["word/document.xml"] == [pl.part for pl in result.variables["school"].places]
    # and docgen does fill both copies of the box
    out = docgen.render({"title": "标题", "school": "东二小学"}, path).to_bytes()
    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        assert 2 == zf.read("word/document.xml").decode("utf-8").count("东二小学")


# A mail-merge field whose instruction holds a tag.
FIELD = (
    '<w:p><w:r><w:t xml:space="preserve">姓名：</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> MERGEFIELD {{ name }} </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    "<w:r><w:t>«name»</w:t></w:r>"
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
)


def test_a_tag_inside_a_field_code_is_an_error(build):
    result = inspect_template(build(FIELD))
    [error] = found(result, "tag-in-field")
    assert ("error", "word/document.xml", "姓名：«name»") == (
        error.level,
        error.part,
        error.paragraph,
    )
    assert "Ctrl+Shift+F9" in error.message


def test_a_tag_in_the_shown_text_of_a_field_is_a_warning(build):
    field = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> HYPERLINK "http://example.org" '
        "</w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>{{ title }}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    [warning] = found(inspect_template(build(field)), "tag-in-field")
    assert "warning" == warning.level


def test_full_width_braces_are_pointed_out(build):
    result = inspect_template(build(p("｛｛ title ｝｝")))
    [warning] = found(result, "fullwidth-braces")
    assert "｛｛ title ｝｝" == warning.paragraph


def test_a_tag_in_deleted_tracked_text_is_a_warning(build):
    deleted = (
        '<w:p><w:r><w:t xml:space="preserve">{{ title }}</w:t></w:r>'
        '<w:del w:id="1" w:author="张老师" w:date="2014-01-01T00:00:00Z"><w:r>'
        "<w:delText>{{ old }}</w:delText></w:r></w:del></w:p>"
    )
    assert ["tracked-changes"] == [
        f.code for f in found(inspect_template(build(deleted)), "tracked-changes")
    ]


# --- curly and full-width punctuation inside tags --------------------------------------------


def test_curly_quotes_in_a_filter_argument_are_read_as_ascii_and_noted(build):
    result = inspect_template(
        build(p("日期：{{ signature.date|cn_date(‘chinese’) }}", "Signature"))
    )
    assert result.ok
    [note] = found(result, "normalized-quotes")
    assert ("info", "日期：{{ signature.date|cn_date(‘chinese’) }}") == (note.level, note.paragraph)
    assert "{{ signature.date|cn_date('chinese') }}" in note.message


def test_templates_with_curly_and_full_width_punctuation_render(build):
    path = build(
        p("{{ signature.date|cn_date(‘chinese’) }}"),
        p("{{ signature.date|cn_date（＂year_month＂） }}"),
        p("{{ title ～ “（初稿）” }}"),
        p("{{ '他说“好”' }}{% if status ＝＝ “初稿” %}！{% endif %}"),
    )
    report = Report("小结", status="初稿", signature=Signature("东二小学", date=date(2014, 1, 15)))
    assert [
        "二〇一四年一月十五日",
        "2014年1月",
        "小结（初稿）",
        "他说“好”！",
    ] == texts(docgen.render(report, path).to_bytes())
    assert inspect_template(path).ok


def test_string_literals_keep_their_curly_quotes_and_full_width_brackets():
    src = _docxtpl.preprocess('<w:p><w:r><w:t>{{ "“（初稿）”" ~ ‘x’ }}</w:t></w:r></w:p>')
    assert "{{ \"“（初稿）”\" ~ 'x' }}" in src
    assert "{{ 'it\\'s' }}" in _docxtpl.preprocess("<w:p><w:r><w:t>{{ ‘it's’ }}</w:t></w:r></w:p>")


def test_preprocess_notes_where_it_read_punctuation_as_ascii():
    src, notes = _docxtpl.preprocess_noting(
        "<w:p><w:r><w:t>{{ a }}{{ d|cn_date（‘long’） }}"
        "{% if x ＝＝ 1 %}{% endif %}</w:t></w:r></w:p>"
    )
    assert [
        ("{{ d|cn_date（‘long’） }}", "{{ d|cn_date('long') }}"),
        ("{% if x ＝＝ 1 %}", "{% if x == 1 %}"),
    ] == [(n.written, n.read) for n in notes]
    assert all(src[n.offset :].startswith(n.read) for n in notes)


# --- Jinja errors, reported and gone past ---------------------------------------------------


def test_an_unknown_filter_is_an_error_with_a_suggestion_and_inspection_goes_on(build):
    path = build(p("{{ signature.date|cn_dat('long') }}"), p("{{ title }}", "Title"))
    with pytest.raises(UnknownFilterError):
        docgen.Template.load(path)
    result = inspect_template(path)
    [error] = found(result, "unknown-filter")
    assert ("error", "{{ signature.date|cn_dat('long') }}") == (error.level, error.paragraph)
    assert "“cn_date”" in error.message
    assert "unknown" == result.filters["cn_dat"].kind
    assert {"signature", "title"} == set(result.variables)


def test_a_syntax_error_names_its_paragraph_and_the_rest_is_still_inspected(build):
    result = inspect_template(
        build(
            p("{{ title + }}", "Title"),
            p("{{ signature.org }}"),
            p("{% if status %}"),
        ),
        data=Report("标题"),
    )
    errors = found(result, "syntax-error")
    assert ["{{ title + }}", "{% if status %}"] == [e.paragraph for e in errors]
    assert "never closed" in errors[1].message
    assert "signature" in result.variables
    # and the data check still runs on what could be read
    [undefined] = found(result, "undefined-variable")
    assert "{{ signature.org }}" == undefined.paragraph


def test_an_endfor_without_its_for_is_explained(build):
    [error] = found(inspect_template(build(p("{{ title }}"), p("{%p endfor %}"))), "syntax-error")
    assert "{%p endfor %}" == error.paragraph
    assert "not open here" in error.message


def test_a_broken_template_is_inspected_without_raising(build):
    path = build(
        p("{% for s in %}"),
        p("{{ s.title|nope }}"),
        p("{% endfor %}"),
        p("{{ body }}"),
        p("{{ 1 +* 2 }}"),
        header=p("{% if %}"),
    )
    result = inspect_template(path, data={"x": 1})
    assert not result.ok
    assert {"syntax-error", "body-slot-inline"} <= codes(result)
    json.dumps(result.to_dict(), ensure_ascii=False)
    assert "\n  error [syntax-error] word/" in result.format_text()


def test_body_without_p_is_an_error(build):
    result = inspect_template(build(p("{{ title }}", "Title"), p("{{ body }}")))
    [error] = found(result, "body-slot-inline")
    assert "{{p body }}" in error.message
    assert "{{ body }}" == error.paragraph


def test_text_beside_a_paragraph_tag_is_reported_as_dropped(build):
    result = inspect_template(
        build(p("正文如下：{{p body }}"), p("{%p if status %}（初稿）"), p("{%p endif %}"))
    )
    dropped = found(result, "dropped-text")
    assert ["正文如下：{{p body }}", "{%p if status %}（初稿）"] == [d.paragraph for d in dropped]
    assert "“正文如下：”" in dropped[0].message


# --- the report model, the manifest and the data ------------------------------------------


def test_unknown_attributes_of_the_report_model_are_warnings_with_a_suggestion(build):
    result = inspect_template(
        build(p("{{ signature.orgg }}"), p("{% for s in sections %}{{ s.titel }}{% endfor %}"))
    )
    messages = [f.message for f in found(result, "unknown-attribute", "warning")]
    assert 2 == len(messages)
    assert "Did you mean signature.org?" in messages[0]
    assert "Did you mean s.title?" in messages[1]


def test_with_report_data_names_the_report_lacks_are_errors(build):
    path = build(p("{{ title }}"), header=p("{{ school }}"))
    without = inspect_template(path, data=Report("标题"))
    [error] = found(without, "undefined-variable")
    assert ("error", "word/header1.xml", "{{ school }}") == (
        error.level,
        error.part,
        error.paragraph,
    )
    assert "extra:" in error.message
    with_extra = inspect_template(path, data=Report("标题", extra={"school": "东二小学"}))
    assert with_extra.ok
    assert "extra" == with_extra.variables["school"].supplied_by


def test_guarded_uses_are_not_errors(build):
    path = build(
        p("{% if signature %}{{ signature.org }}{% endif %}"),
        p("{{ school|default('') }}{% if phone is defined %}{{ phone }}{% endif %}"),
    )
    assert inspect_template(path, data=Report("标题")).ok
    unguarded = inspect_template(build(p("{{ signature.org }}")), data=Report("标题"))
    [error] = found(unguarded, "undefined-variable")
    assert "signature is empty" in error.message


def test_mapping_data_is_checked_item_by_item(build):
    path = build(
        p("{%p for r in rows %}"), p("{{ r.name }}：{{ r.score|cn_number }}"), p("{%p endfor %}")
    )
    result = inspect_template(path, data={"rows": [{"name": "甲", "score": 1}, {"name": "乙"}]})
    [error] = found(result, "unknown-attribute")
    assert "rows[1]" in error.message
    assert "{{ r.name }}：{{ r.score|cn_number }}" == error.paragraph
    [not_a_list] = found(inspect_template(path, data={"rows": 3}), "not-a-list")
    assert "{%p for r in rows %}" == not_a_list.paragraph


def test_manifest_fields_are_supplied_names_and_required_ones_are_checked_with_data(build):
    toml = '[fields.doc_number]\ndescription = "发文字号"\n'
    path = build(p("{{ doc_number }}"), toml=toml)
    assert "manifest" == inspect_template(path).variables["doc_number"].supplied_by
    assert [] == inspect_template(path).findings
    [error] = found(inspect_template(path, data=Report("标题")), "missing-field")
    assert "发文字号" in error.message
    assert inspect_template(path, data=Report("标题", extra={"doc_number": "沪教〔2014〕1号"})).ok


def test_a_style_the_manifest_names_but_the_docx_lacks_is_a_warning(build):
    toml = '[styles]\nheading1 = "MyHeading"\nheading2 = "heading 2"\n'
    path = build(p("{{p body }}"), toml=toml)
    result = inspect_template(path)
    warnings = found(result, "missing-style")
    assert 2 == len(warnings)
    first, second = warnings
    assert "“MyHeading”" in first.message
    assert "heading1" in first.message
    assert "Normal" in first.message
    assert ("word/document.xml", "{{p body }}") == (first.part, first.paragraph)
    assert 'heading2 = "Heading2"' in second.message  # the name was given, not the id


def test_a_broken_manifest_is_a_finding_not_an_exception(build):
    result = inspect_template(build(p("{{ title }}"), toml="numbering = 3\n"))
    [error] = found(result, "manifest-error")
    assert "numbering" in error.message


# --- output --------------------------------------------------------------------------------


def test_to_dict_is_json_ready_and_nested(build):
    data = inspect_template(build(*LOOPS, p("{{ x|cn_dat }}"))).to_dict()
    again = json.loads(json.dumps(data, ensure_ascii=False))
    assert again == data
    assert not data["ok"]
    assert {"error": 1, "warning": 1, "info": 0} == data["summary"]
    sections = next(v for v in data["variables"] if v["name"] == "sections")
    loop = sections["loops"][0]
    assert ("s", "sections") == (loop["var"], loop["over"])
    titles = [a["path"] for a in loop["item"]["attributes"]]
    assert ["s.label", "s.title", "s.blocks"] == titles
    assert {"level", "code", "message", "part", "paragraph"} == set(data["findings"][0])


def test_format_text_shows_the_tree_and_the_findings(build):
    text = inspect_template(build(*LOOPS, p("{{ x|cn_dat }}"))).format_text()
    assert re.search(r"\n  sections  \[report\]", text)
    assert "for s in sections" in text
    assert "s.title" in text
    assert "for b in s.blocks" in text
    assert "[unknown-filter]" in text
    assert "1 error(s)" in text


def test_a_variable_keeps_one_node_per_attribute():
    var = Variable("signature", "signature")
    assert "signature.org" == var.child("org").path
    assert var.child("org") is var.child("org")


def test_what_is_not_a_template_raises(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(PackageError):
        inspect_template(bad)
    with pytest.raises(TemplateNotFoundError):
        inspect_template(tmp_path / "missing.docx")


def test_report_data_is_checked_section_by_section(build):
    path = build(p("{%p for s in sections %}"), p("{{ s.label }}{{ s.titel }}"), p("{%p endfor %}"))
    report = Report("标题", sections=[Section("一节"), Section("二节")])
    [error] = found(inspect_template(path, data=report), "unknown-attribute")
    assert "error" == error.level
    assert "sections[0] (s in the template) has no “titel” in the data" in error.message
    assert "Did you mean s.title?" in error.message
    # a report without sections cannot show it, but the report model still does
    [warning] = found(inspect_template(path, data=Report("标题")), "unknown-attribute")
    assert "warning" == warning.level


def test_a_loaded_template_or_the_bytes_of_a_docx_can_be_inspected(build):
    path = build(*LOOPS)
    from_template = inspect_template(docgen.Template.load(path))
    from_bytes = inspect_template(path.read_bytes())
    assert list(from_template.variables) == list(from_bytes.variables)
    assert "<bytes>" == from_bytes.source
    assert str(path) == from_template.source


def test_a_syntax_error_in_a_header_leaves_the_body_inspected(build):
    result = inspect_template(build(*LOOPS, header=p("{{ school }")))
    [error] = found(result, "syntax-error")
    assert ("word/header1.xml", "{{ school }") == (error.part, error.paragraph)
    assert {"title", "sections", "signature"} == set(result.variables)


def test_the_same_loop_in_two_parts_is_one_loop_with_two_places(build):
    loop = (p("{%p for a in attachments %}"), p("{{ a }}"), p("{%p endfor %}"))
    result = inspect_template(build(*loop, header="".join(loop)))
    [one] = result.variables["attachments"].loops
    assert ["word/document.xml", "word/header1.xml"] == [pl.part for pl in one.places]
    assert 2 == len(one.item.places)


def test_a_default_style_the_docx_lacks_is_a_warning_naming_the_role(build, tmp_path):
    path = build(p("{{p body }}"), p("{{p signature_block }}"))
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["word/styles.xml"] = re.sub(
        rb'<w:style w:type="paragraph" w:styleId="Heading2">.*?</w:style>',
        b"",
        parts["word/styles.xml"],
    )
    stripped = tmp_path / "no-heading2.docx"
    with zipfile.ZipFile(stripped, "w") as zf:
        for name, content in parts.items():
            zf.writestr(name, content)
    [warning] = found(inspect_template(stripped), "missing-style")
    assert "level-2 headings" in warning.message
    assert "Heading2, 2" in warning.message
    assert "{{p body }}" == warning.paragraph
    # a report one level deep never needs it
    shallow = Report("标题", sections=[Section("一节")])
    assert [] == found(inspect_template(stripped, data=shallow), "missing-style")


def test_the_inspector_knows_every_name_a_report_template_sees(monkeypatch):
    # the inspector checks names against the context render builds, made by the same function
    import docgen.context  # noqa: PLC0415
    from docgen.inspect._checks import _report_values  # noqa: PLC0415

    seen = {}
    real = docgen.context.report_context

    def capture(report, scheme, writer, **options):
        seen.update(real(report, scheme, writer, **options))
        return seen

    monkeypatch.setattr(docgen.context, "report_context", capture)
    report = Report("题", sections=[Section("一")], extra={"klass": "三（2）班"})
    with pytest.warns(docgen.DocgenWarning, match=r"extra\.klass: not used"):
        docgen.render(report, "work-summary")
    assert set(seen) == set(_report_values(report))
    assert ["一、"] == [s.label for s in _report_values(report)["sections"]]
