"""Bad templates and bad data: each raises the right DocgenError naming the place."""

from __future__ import annotations

import io
import pickle
import zipfile

import pytest

import docgen
from docgen import Report, Section


def test_missing_variables_are_reported_all_together_with_part_tag_and_paragraph(make_template):
    tpl = make_template(
        ("BodyText", "校名：{{ school }}"),
        ("BodyText", "{{ title }}"),
        ("BodyText", "班级：{{ klass.name }}"),
        footer="第{{ page_note }}页",
    )
    with pytest.raises(docgen.UndefinedVariableError) as info:
        docgen.render({"title": "题", "klass": {}}, tpl)
    message = str(info.value)
    assert "3 name(s)" in message
    assert (
        "school (in word/document.xml, tag {{ school }}, paragraph “校名：{{ school }}”)" in message
    )
    assert "name (of a dict)" in message
    assert "page_note (in word/footer1.xml" in message
    assert str(tpl) in message


def test_a_missing_variable_is_never_rendered_as_a_blank(make_template, tmp_path):
    tpl = make_template(("BodyText", "{% if extra_field %}有{% endif %}{{ other }}"))
    with pytest.raises(docgen.UndefinedVariableError, match=r"extra_field.*other|other"):
        docgen.render({}, tpl)


def test_an_unknown_filter_names_the_filter_the_part_and_the_paragraph(make_template):
    tpl = make_template(("BodyText", "日期：{{ day|cn_dat('long') }}"))
    with pytest.raises(docgen.UnknownFilterError) as info:
        docgen.Template.load(tpl)
    message = str(info.value)
    assert "cn_dat" in message
    assert "word/document.xml" in message
    assert "日期：" in message
    assert "cn_date" in message  # the filters docgen does provide are listed


def test_a_jinja_syntax_error_names_the_part_and_the_paragraph(make_template):
    tpl = make_template(("BodyText", "第一段"), ("BodyText", "{% if x %}没有结束"))
    with pytest.raises(docgen.TemplateSyntaxError) as info:
        docgen.Template.load(tpl)
    message = str(info.value)
    assert "word/document.xml" in message
    assert "没有结束" in message or "第一段" in message
    assert "syntax error" in message


def test_a_file_that_is_not_a_docx_is_a_package_error(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"this is not a zip")
    with pytest.raises(docgen.PackageError) as info:
        docgen.Template.load(bad)
    assert "bad.docx" in str(info.value)
    assert "zip" in str(info.value)


def test_a_zip_without_a_main_document_is_a_package_error(tmp_path):
    bad = tmp_path / "empty.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    bad.write_bytes(buf.getvalue())
    with pytest.raises(docgen.PackageError, match=r"empty\.docx.*word/document\.xml"):
        docgen.Template.load(bad)


def test_xml_with_a_dtd_is_refused_without_being_resolved(tmp_path, make_template):
    src = make_template(("BodyText", "x"))
    out = tmp_path / "dtd.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/styles.xml":
                data = data.replace(
                    b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1
                )
            zout.writestr(info, data)
    with pytest.raises(docgen.PackageError, match="DTD"):
        docgen.Template.load(out)


def test_an_unknown_template_name_lists_the_built_in_ones():
    with pytest.raises(docgen.TemplateNotFoundError) as info:
        docgen.render(Report("题"), "work-sumary")
    assert "work-sumary" in str(info.value)
    assert "work-summary" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_a_report_built_with_a_wrong_type_names_the_field_path():
    with pytest.raises(docgen.ValidationError) as info:
        Report("题", sections=[Section("一"), {"title": "二", "subsections": [{"title": 3}]}])
    assert "sections[1].subsections[0].title" in str(info.value)
    assert "found 3 (an int)" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_a_section_deeper_than_the_scheme_is_an_error_naming_it():
    deep = Section(
        "1",
        subsections=[
            Section(
                "2",
                subsections=[Section("3", subsections=[Section("4", subsections=[Section("5")])])],
            )
        ],
    )
    with pytest.raises(docgen.RenderError, match=r"sections\[0\]\.subsections\[0\]"):
        docgen.render(Report("题", sections=[deep]))


def test_a_picture_that_is_not_one_names_the_block():
    with pytest.raises(docgen.RenderError, match=r"intro\[0\]\.source.*PNG, JPEG"):
        docgen.render(Report("题", intro=[docgen.Image(b"not a picture")]))


def test_a_missing_picture_file_names_the_path(tmp_path):
    with pytest.raises(docgen.RenderError, match=r"nope\.png"):
        docgen.render(Report("题", intro=[docgen.Image(tmp_path / "nope.png")]))


def test_a_sandboxed_template_cannot_reach_python_internals(make_template):
    tpl = make_template(("BodyText", "{{ ''.__class__.__mro__[1].__subclasses__() }}"))
    with pytest.raises(docgen.TemplateError, match=r"sandbox|unsafe|__class__"):
        docgen.render({}, tpl)


def test_a_filter_given_a_bad_value_names_the_paragraph(make_template):
    tpl = make_template(("BodyText", "金额：{{ amount|rmb_upper }}"))
    with pytest.raises(docgen.RenderError) as info:
        docgen.render({"amount": "12.345"}, tpl)
    assert "金额：" in str(info.value)
    assert "12.345" in str(info.value)


def test_an_undefined_value_used_in_arithmetic_is_reported_not_dropped(make_template):
    tpl = make_template(("BodyText", "合计：{{ total + 1 }}"))
    with pytest.raises(docgen.UndefinedVariableError) as info:
        docgen.render({}, tpl)
    assert "total" in str(info.value)
    assert "合计：" in str(info.value)


@pytest.mark.parametrize(
    "tag", ["{{ day|cn_date }}", "{{ day|cn_date('long') }}", "{{ n|cn_number(True) }}"]
)
def test_a_missing_name_given_to_a_chinese_filter_is_reported_with_the_other_missing_names(
    make_template, tag
):
    tpl = make_template(("BodyText", f"日期：{tag}"), ("BodyText", "校名：{{ school }}"))
    with pytest.raises(docgen.UndefinedVariableError) as info:
        docgen.render({}, tpl)
    message = str(info.value)
    assert "2 name(s)" in message
    assert f"tag {tag}" in message
    assert "school (in word/document.xml" in message


def test_a_filter_given_a_wrong_value_says_what_it_expected_once(make_template):
    tpl = make_template(("BodyText", "日期：{{ day|cn_date }}"))
    with pytest.raises(docgen.RenderError) as info:
        docgen.render({"day": "下周一"}, tpl)
    message = str(info.value)
    assert "paragraph “日期：{{ day|cn_date }}”" in message
    assert "found '下周一'" in message
    assert 1 == message.count("expected a date")


def test_a_bad_term_inside_a_report_names_the_report_field():
    with pytest.raises(docgen.ValidationError) as info:
        Report("题", term={"year": 2013, "number": 3})
    assert str(info.value).startswith("term")


@pytest.mark.parametrize(
    "error",
    [
        docgen.UndefinedVariableError("uses 1 name(s)", where="a.docx", found="missing teacher"),
        docgen.DataError("is not a number", where="x.yaml: title", expected="text", found="3"),
        docgen.errors.ValidationError("must be text"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_an_error_sent_to_another_process_keeps_every_field(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(error) is type(copy)
    assert str(error) == str(copy)
    assert error.to_dict() == copy.to_dict()
