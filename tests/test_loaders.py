"""docgen.loaders: YAML / JSON / TOML data files → Report, and back."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import docgen
from docgen import loaders, model
from docgen.cn.calendar import Term
from docgen.cn.dates import DATE_STYLES
from docgen.errors import DataError
from docgen.loaders import dump_report, load_report, report_from_mapping
from docgen.model import (
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

DATA = Path(__file__).parent / "data" / "loaders"

SMALL_REPORT = Report(
    "2013学年第一学期工作小结",
    status="初稿",
    term=Term(2013, 1),
    intro=["2013学年是学校承上启下的关键年。"],
    sections=[
        Section(
            "围绕主题，开展学习活动",
            blocks=[
                "在本学期活动中，党支部组织全体党员学习。",
                Paragraph(["依托", Run("德育平台", bold=True), "开展活动。"]),
                BulletList(["备课", "上课"]),
                Table(
                    [["姓名", "课时"], ["张三", "12"], [Cell("合计 12", colspan=2)]],
                    widths_cm=[3, 4.5],
                ),
            ],
            subsections=[
                Section(
                    "迎接新优质学校中期评审",
                    blocks=[NumberedList(["上好课", "带好班"], level=3), PageBreak()],
                )
            ],
        )
    ],
    closing=["短短的一个学期已进尾声。"],
    signature=Signature("徐汇区东二小学党支部", date=dt.date(2014, 1, 1)),
    attachments=["学期工作计划"],
    extra={"school": "东二小学"},
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(DataError) as info:
        load_report(path)
    return str(info.value)


# --- reading the three formats -----------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["yaml", "json", "toml"])
def test_the_same_report_in_yaml_json_and_toml_loads_equal(suffix: str) -> None:
    assert SMALL_REPORT == load_report(DATA / f"small-report.{suffix}")


def test_a_yml_suffix_is_yaml(tmp_path: Path) -> None:
    assert Report("小结") == load_report(write(tmp_path, "a.yml", "title: 小结\n"))


@pytest.mark.parametrize("fmt", ["yaml", "YML", "json"])
def test_a_text_stream_is_read_in_the_given_format(fmt: str) -> None:
    assert Report("小结") == load_report(io.StringIO('{"title": "小结"}'), format=fmt)


def test_a_binary_stream_is_decoded_as_utf8() -> None:
    stream = io.BytesIO('title = "小结"\n'.encode())
    assert Report("小结") == load_report(stream, format="toml")


def test_format_overrides_the_suffix(tmp_path: Path) -> None:
    path = write(tmp_path, "report.txt", '{"title": "小结"}')
    assert Report("小结") == load_report(path, format="json")


def test_a_utf8_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("title: 小结\n".encode("utf-8-sig"))
    assert Report("小结") == load_report(path)


def test_yaml_keeps_chinese_and_month_strings_as_text(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "title: 小结\nstatus: 初稿\nattachments: [2014-01]\n")
    assert Report("小结", status="初稿", attachments=["2014-01"]) == load_report(path)


@pytest.mark.parametrize(
    "written",
    [
        "2014-01-15",
        "'2014-01-15'",
        "2014/1/15",
        "2014.01.15",
        "2014年1月15日",
        "2014-01-15 08:30:00",
    ],
)
def test_a_date_is_read_from_iso_and_chinese_forms(tmp_path: Path, written: str) -> None:
    path = write(tmp_path, "a.yaml", f"title: t\nsignature: {{org: o, date: {written}}}\n")
    report = load_report(path)
    assert report.signature is not None
    assert dt.date(2014, 1, 15) == report.signature.date


@pytest.mark.parametrize("written", ["2014-01", "'2014-01'", "2014年1月"])
def test_a_year_and_month_is_the_first_of_the_month(tmp_path: Path, written: str) -> None:
    path = write(tmp_path, "a.yaml", f"title: t\nsignature: {{org: o, date: {written}}}\n")
    report = load_report(path)
    assert report.signature is not None
    assert dt.date(2014, 1, 1) == report.signature.date


@pytest.mark.parametrize(
    "written",
    ["2014-01-15", "2014/1/15", "2014.01.15", "2014年1月15日", "二〇一四年一月十五日", "2014年1月"],
)
def test_python_takes_the_same_date_forms_as_a_data_file(tmp_path: Path, written: str) -> None:
    path = write(tmp_path, "a.yaml", f"title: t\nsignature: {{org: o, date: '{written}'}}\n")
    from_yaml = load_report(path).signature
    assert from_yaml is not None
    assert from_yaml == Signature("o", date=written)


def test_a_signature_built_in_python_reads_a_chinese_date() -> None:
    assert dt.date(2014, 1, 15) == Signature("徐汇区东二小学党支部", date="2014年1月15日").date


@pytest.mark.parametrize(
    "term", ["2013学年第一学期", "2013—2014学年上学期", {"year": 2013, "number": 1}]
)
def test_a_term_is_a_name_or_a_mapping(term: object) -> None:
    assert Term(2013, 1) == report_from_mapping({"title": "t", "term": term}).term


def test_a_term_mapping_keeps_its_start_date() -> None:
    data = {"title": "t", "term": {"year": 2013, "number": 1, "start": "2013-09-02"}}
    term = report_from_mapping(data).term
    assert term is not None
    assert dt.date(2013, 9, 2) == term.start


def test_a_signature_may_be_just_the_organisation() -> None:
    report = report_from_mapping({"title": "t", "signature": "徐汇区东二小学党支部"})
    assert Signature("徐汇区东二小学党支部") == report.signature


def test_blocks_take_strings_mappings_and_every_type() -> None:
    blocks = [
        "纯文本",
        {"text": "有样式", "style": "note", "indent": False},
        {"type": "paragraph", "runs": ["甲", {"text": "乙", "emphasis": True}]},
        {"type": "bullet_list", "items": ["一", {"text": "二"}]},
        {"type": "numbered_list", "items": ["一"], "start": 3, "continue_previous": True},
        {"type": "image", "source": "/abs/logo.png", "width_cm": 4, "caption": "图1 校徽"},
        {"type": "page_break"},
    ]
    expected = (
        Paragraph("纯文本"),
        Paragraph("有样式", style="note", indent=False),
        Paragraph(["甲", Run("乙", emphasis=True)]),
        BulletList(["一", "二"]),
        NumberedList(["一"], start=3, continue_previous=True),
        Image("/abs/logo.png", width_cm=4, caption="图1 校徽"),
        PageBreak(),
    )
    assert expected == report_from_mapping({"title": "t", "intro": blocks}).intro


def test_a_single_string_stands_for_a_one_item_list() -> None:
    report = report_from_mapping({"title": "t", "closing": "完", "attachments": "附件"})
    assert ((Paragraph("完"),), ("附件",)) == (report.closing, report.attachments)


def test_an_empty_yaml_value_is_an_empty_list(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "title: t\nintro:\nsections:\n- title: 甲\n  blocks:\n")
    assert Report("t", sections=[Section("甲")]) == load_report(path)


def test_table_cells_take_numbers_blanks_and_spanning_mappings() -> None:
    table = {"type": "table", "rows": [[1, None, 2.5], [{"colspan": 2}, {"text": "x"}]]}
    expected = Table([["1", "", "2.5"], [Cell("", colspan=2), "x"]])
    assert (expected,) == report_from_mapping({"title": "t", "intro": [table]}).intro


def test_a_section_may_be_just_its_title() -> None:
    assert (Section("甲"),) == report_from_mapping({"title": "t", "sections": ["甲"]}).sections


def test_relative_image_paths_are_relative_to_the_data_file(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "title: t\nintro:\n- {type: image, source: logo.png}\n")
    assert (Image(str(tmp_path / "logo.png")),) == load_report(path).intro


PIXEL_URL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEA"
    "wS2OUAAAAABJRU5ErkJggg=="
)


def test_a_picture_given_as_a_data_url_becomes_its_bytes() -> None:
    report = report_from_mapping(
        {
            "title": "t",
            "sections": [{"title": "一", "blocks": [{"type": "image", "source": PIXEL_URL}]}],
        }
    )
    picture = report.sections[0].blocks[0]
    assert isinstance(picture, Image)
    assert isinstance(picture.source, bytes)
    assert picture.source.startswith(b"\x89PNG")


@pytest.mark.parametrize("path", ["/etc/passwd", "logo.png", "../../secret.png", "C:\\x.png"])
def test_data_that_may_not_name_files_has_its_picture_paths_refused(path: str) -> None:
    data = {"title": "t", "closing": ["完", {"type": "image", "source": path}]}
    with pytest.raises(DataError) as info:
        report_from_mapping(data, source="request", allow_files=False)
    assert "request: closing[1].source" == info.value.where
    assert "data: URL" in str(info.value.expected)
    assert repr(path) == info.value.found
    assert (
        report_from_mapping(
            {**data, "closing": [{"type": "image", "source": PIXEL_URL}]}, allow_files=False
        )
        .closing[0]
        .source.startswith(b"\x89PNG")
    )


def test_a_broken_data_url_says_what_a_good_one_looks_like() -> None:
    data = {"title": "t", "intro": [{"type": "image", "source": "data:image/png;base64,@@@"}]}
    with pytest.raises(DataError, match="is not a valid data: URL") as info:
        report_from_mapping(data, source="x.json")
    assert "x.json: intro[0].source" == info.value.where
    assert "base64" in str(info.value.expected)


# --- errors: file, path, expected, found --------------------------------------------------------


def test_a_wrong_type_deep_inside_names_file_path_expected_and_found(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "x.yaml",
        "title: t\nsections:\n- title: 甲\n- title: 乙\n  subsections:\n  - title: 3\n",
    )
    expected = (
        f"{path}: sections[1].subsections[0].title: must be text;"
        ' expected "3" in quotes; found 3 (an int)'
    )
    assert expected == error_of(path)


def test_an_unknown_key_is_named_with_the_allowed_keys(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "x.yaml", "title: t\nsectoins: []\n"))
    assert "x.yaml: sectoins: is not a known key (did you mean sections?)" in message
    assert "expected one of title, status, intro, sections, closing, signature" in message


def test_an_unknown_key_deep_inside_has_its_full_path(tmp_path: Path) -> None:
    text = "title: t\nintro:\n- text: [甲, {text: 乙, bolt: true}]\n"
    message = error_of(write(tmp_path, "x.yaml", text))
    assert "x.yaml: intro[0].text[1].bolt: is not a known key (did you mean bold?)" in message


def test_an_unknown_block_type_lists_the_block_types(tmp_path: Path) -> None:
    text = "title: t\nsections:\n- title: 甲\n  blocks:\n  - 文\n  - {type: tabel, rows: [[a]]}\n"
    message = error_of(write(tmp_path, "x.yaml", text))
    place = "x.yaml: sections[0].blocks[1].type"
    assert f"{place}: is not a block type (did you mean table?)" in message
    types = "paragraph / bullet_list / numbered_list / table / image / page_break"
    assert f"expected {types};" in message
    assert "found 'tabel'" in message


def test_a_bad_date_says_which_forms_are_dates(tmp_path: Path) -> None:
    text = '{"title": "t", "signature": {"org": "o", "date": "2014-13-01"}}'
    message = error_of(write(tmp_path, "x.json", text))
    expected = (
        "x.json: signature.date: is not a date; expected a date such as 2014-01-15 or 2014-01;"
        " found '2014-13-01' (a str)"
    )
    assert message.endswith(expected)


def test_a_yaml_date_that_is_no_date_names_its_line(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "x.yaml", "title: t\nsignature:\n  date: 2014-02-30\n"))
    assert "x.yaml, line 3, column 9: is not valid YAML: '2014-02-30' looks like a date" in message


def test_a_bad_term_name_shows_good_ones(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "x.toml", 'title = "t"\nterm = "2013学年第三学期"\n'))
    assert "x.toml: term: is not a term name; expected a name such as 2013学年第一学期" in message
    assert "found '2013学年第三学期'" in message


def test_a_bad_term_number_names_the_field(tmp_path: Path) -> None:
    text = '{"title": "t", "term": {"year": 2013, "number": 3}}'
    message = error_of(write(tmp_path, "x.json", text))
    expected = (
        "x.json: term.number: a school year has two terms; expected 1 (第一学期) or 2 (第二学期)"
    )
    assert f"{expected}; found 3" in message


def test_a_missing_required_field_is_named(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "x.yaml", "status: 初稿\n"))
    assert message.endswith("x.yaml: title: is required; expected text")


def test_a_model_validation_error_gets_the_data_path(tmp_path: Path) -> None:
    text = "title: t\nsections:\n- title: 甲\n  blocks:\n  - {type: table, rows: [[a, b], [c]]}\n"
    message = error_of(write(tmp_path, "x.yaml", text))
    assert "x.yaml: sections[0].blocks[0].rows: has rows of different widths" in message
    assert "found rows covering [1, 2] columns" in message


def test_a_string_where_a_list_is_needed_is_an_error(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "x.yaml", "title: t\nsections: 甲乙\n"))
    assert message.endswith("x.yaml: sections: must be a list of sections; found '甲乙' (a str)")


def test_a_misspelt_paragraph_text_is_reported_under_text(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "x.yaml", "title: t\nintro:\n- {text: 5}\n"))
    assert message.endswith("x.yaml: intro[0].text: must be a list of runs; found 5 (an int)")


def test_several_problems_are_listed_together_one_per_line(tmp_path: Path) -> None:
    text = (
        "title: 3\n"
        "sectoins: []\n"
        "signature: {org: o, date: 明天}\n"
        "intro:\n- {type: table, rows: 表}\n- {type: image, source: a.png, width_cm: 大}\n"
    )
    expected = [
        f"{tmp_path / 'x.yaml'}: has 5 problems:",
        '  title: must be text; expected "3" in quotes; found 3 (an int)',
        "  intro[0].rows: must be a list of rows, each a list of cells; found '表' (a str)",
        "  intro[1].width_cm: must be a number; found '大' (a str)",
        "  signature.date: is not a date; expected a date such as 2014-01-15 or 2014-01;"
        " found '明天' (a str)",
        "  sectoins: is not a known key (did you mean sections?); expected one of title, status,"
        " intro, sections, closing, signature, term, attachments, extra, template",
    ]
    assert expected == error_of(write(tmp_path, "x.yaml", text)).splitlines()


def test_the_error_keeps_its_parts_for_json_output() -> None:
    with pytest.raises(DataError) as info:
        report_from_mapping({"title": "t", "sections": [{"title": None}]}, source="request")
    expected = {
        "code": "data.wrong_type",
        "error": "DataError",
        "message": "must be text",
        "where": "request: sections[0].title",
        "expected": None,
        "found": "nothing (an empty value)",
        "problems": [
            {
                "code": "data.wrong_type",
                "path": "/sections/0/title",
                "message": "must be text",
                "expected": None,
                "found": "nothing (an empty value)",
            }
        ],
    }
    assert expected == info.value.to_dict()


@pytest.mark.parametrize(
    ("name", "text", "where", "problem"),
    [
        ("x.yaml", "title: t\nsections:\n- title: a: b\n", "line 3, column 11", "valid YAML"),
        ("x.yaml", "title: t\n\tstatus: s\n", "line 2, column 1", "not tabs"),
        # a missing comma: Python 3.13 places a trailing comma's error on the comma, 3.12 after it
        ("x.json", '{"title": "t"\n "intro": [1]}\n', "line 2, column 2", "valid JSON"),
        ("x.toml", 'title = "t"\nstatus = 初稿\n', "line 2, column 10", "valid TOML"),
    ],
)
def test_a_syntax_error_names_file_line_and_column(
    tmp_path: Path, name: str, text: str, where: str, problem: str
) -> None:
    message = error_of(write(tmp_path, name, text))
    assert f"{name}, {where}: is not valid" in message
    assert problem in message


def test_a_syntax_error_points_at_the_column_under_chinese_text(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "x.yaml", "title: 甲：乙: 丙\n"))
    assert ["    title: 甲：乙: 丙", "                 ^"] == message.splitlines()[1:]


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    message = error_of(tmp_path / "missing.yaml")
    assert f"{tmp_path / 'missing.yaml'}: no such file" in message


@pytest.mark.parametrize("text", ["", "  \n\n", "# 只有注释\n"])
def test_an_empty_file_says_it_is_empty(tmp_path: Path, text: str) -> None:
    assert "x.yaml: is empty" in error_of(write(tmp_path, "x.yaml", text))


def test_a_top_level_list_asks_for_a_mapping(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "x.yaml", "- title: 甲\n- title: 乙\n"))
    assert "x.yaml: must hold a mapping of report fields at the top level" in message
    assert "found a list of 2 items" in message


def test_a_gbk_file_is_read_with_a_warning_naming_it(tmp_path: Path) -> None:
    # docgen reads text one way everywhere (docgen.files.decode_text): GBK, as Chinese Windows
    # saves it, is read, with a warning that names the file
    path = tmp_path / "x.yaml"
    path.write_bytes("title: 小结\n".encode("gbk"))
    with pytest.warns(docgen.DocgenWarning, match=r"x\.yaml: not UTF-8 .*read as GB18030"):
        assert "小结" == docgen.load_report(path).title


def test_a_file_that_is_neither_utf8_nor_gbk_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"title: t\nintro: \xff\xff\n")
    message = error_of(path)
    assert "x.yaml: is neither UTF-8 nor GBK/GB18030 text" in message
    assert "(line 2)" in message


def test_an_unknown_suffix_asks_for_format(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "x.txt", "title: t\n"))
    assert "x.txt: has a suffix docgen does not read" in message


def test_a_folder_is_not_a_data_file(tmp_path: Path) -> None:
    assert f"{tmp_path}: is a folder, not a data file" == error_of(tmp_path)


def test_a_file_without_suffix_asks_for_format(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "report", "title: t\n"))
    assert message.endswith(
        "report: has no suffix to tell its format; expected .yaml or .yml or"
        " .json or .toml, or format="
    )


def test_text_and_runs_together_are_an_error() -> None:
    with pytest.raises(DataError, match=r"^<data>: intro\[0\]: has both text: and runs:"):
        report_from_mapping({"title": "t", "intro": [{"text": "a", "runs": ["a"]}]})


def test_list_items_take_only_paragraphs() -> None:
    items = [{"type": "paragraph", "text": "一"}, {"type": "table", "rows": [["a"]]}]
    with pytest.raises(DataError) as info:
        report_from_mapping({"title": "t", "intro": [{"type": "bullet_list", "items": items}]})
    expected = "<data>: intro[0].items[1].type: can only be a paragraph here"
    assert str(info.value).startswith(expected)


def test_a_stream_without_format_asks_for_format() -> None:
    with pytest.raises(DataError, match="<stream>: needs format="):
        load_report(io.StringIO("title: t\n"))


# --- dumping -------------------------------------------------------------------------------------


def test_dump_omits_defaults_and_writes_plain_text_as_strings() -> None:
    report = Report(
        "小结",
        sections=[Section("甲", blocks=["文", Table([["a", "b"]], header_rows=0)])],
        signature=Signature("东二小学", date=dt.date(2014, 1, 1)),
        term=Term(2013, 1),
    )
    expected = (
        "title: 小结\n"
        "sections:\n"
        "- title: 甲\n"
        "  blocks:\n"
        "  - 文\n"
        "  - type: table\n"
        "    rows:\n"
        "    - [a, b]\n"
        "    header_rows: 0\n"
        "signature:\n"
        "  org: 东二小学\n"
        "  date: 2014-01-01\n"
        "term: 2013学年第一学期\n"
    )
    assert expected == dump_report(report)


def test_dump_writes_multiline_text_as_a_block() -> None:
    expected = "title: 小结\nclosing:\n- |-\n  第一行\n  第二行\n"
    assert expected == dump_report(Report("小结", closing=["第一行\n第二行"]))


def test_dump_json_keeps_chinese_and_writes_dates_as_iso() -> None:
    report = Report("小结", signature=Signature("东二小学", date=dt.date(2014, 1, 15)))
    expected = {"title": "小结", "signature": {"org": "东二小学", "date": "2014-01-15"}}
    text = dump_report(report, format="json")
    assert ("小结" in text, expected) == (True, json.loads(text))


def test_dump_json_refuses_image_bytes() -> None:
    with pytest.raises(DataError, match="cannot be written as JSON"):
        dump_report(Report("t", intro=[Image(b"\x89PNG")]), format="json")


def test_dump_refuses_an_unknown_format() -> None:
    with pytest.raises(DataError, match="expected yaml or json"):
        dump_report(Report("t"), format="xml")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_the_small_report_survives_dump_and_load(fmt: str) -> None:
    parse = yaml.safe_load if fmt == "yaml" else json.loads
    assert SMALL_REPORT == report_from_mapping(parse(dump_report(SMALL_REPORT, format=fmt)))


def test_a_term_with_a_start_date_survives_dump_and_load() -> None:
    report = Report("t", term=Term(2013, 2, start=dt.date(2014, 2, 17)))
    term = report_from_mapping(yaml.safe_load(dump_report(report))).term
    assert term is not None
    assert dt.date(2014, 2, 17) == term.start


# --- round trip with Hypothesis-built reports ---------------------------------------------------

texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=8)
runs = st.builds(
    Run,
    texts,
    bold=st.booleans(),
    italic=st.booleans(),
    underline=st.booleans(),
    emphasis=st.booleans(),
)
paragraphs = st.builds(
    Paragraph,
    st.one_of(texts, st.lists(st.one_of(texts, runs), max_size=3)),
    style=st.none() | st.sampled_from(["note", "BodyText"]),
    indent=st.booleans(),
)
items = st.lists(st.one_of(texts, paragraphs), max_size=3)
cells = st.builds(Cell, st.one_of(texts, st.lists(paragraphs, min_size=1, max_size=2)))


@st.composite
def tables(draw: st.DrawFn) -> Table:
    columns = draw(st.integers(1, 3))
    rows = draw(
        st.lists(st.lists(cells, min_size=columns, max_size=columns), min_size=1, max_size=3)
    )
    widths = st.lists(st.floats(0.5, 20) | st.integers(1, 20), min_size=columns, max_size=columns)
    return Table(
        rows,
        header_rows=draw(st.integers(0, len(rows))),
        widths_cm=draw(st.none() | widths),
        caption=draw(st.none() | texts),
    )


blocks = st.one_of(
    texts,
    paragraphs,
    st.builds(BulletList, items),
    st.builds(
        NumberedList,
        items,
        level=st.none() | st.integers(1, 4),
        start=st.integers(1, 9),
        continue_previous=st.booleans(),
    ),
    tables(),
    st.builds(
        Image,
        texts.filter(bool) | st.binary(max_size=8),
        width_cm=st.none() | st.floats(0.5, 20),
        caption=st.none() | texts,
    ),
    st.just(PageBreak()),
)
sections = st.recursive(
    st.builds(Section, texts, blocks=st.lists(blocks, max_size=2)),
    lambda children: st.builds(
        Section,
        texts,
        blocks=st.lists(blocks, max_size=2),
        subsections=st.lists(children, max_size=2),
    ),
    max_leaves=4,
)
extra_values = (
    st.none() | st.booleans() | st.integers() | texts | st.lists(st.integers(), max_size=3)
)
reports = st.builds(
    Report,
    texts,
    status=st.none() | texts,
    intro=st.lists(blocks, max_size=2),
    sections=st.lists(sections, max_size=2),
    closing=st.lists(blocks, max_size=2),
    signature=st.none()
    | st.builds(
        Signature,
        texts,
        name=st.none() | texts,
        date=st.none() | st.dates(),
        date_style=st.sampled_from(DATE_STYLES),
    ),
    term=st.none() | st.builds(Term, st.integers(1, 9998), st.sampled_from([1, 2])),
    attachments=st.lists(texts, max_size=2),
    extra=st.dictionaries(
        st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True), extra_values, max_size=3
    ),
)


@settings(max_examples=50, deadline=None)
@given(reports)
def test_any_report_survives_dump_to_yaml_and_load(report: Report) -> None:
    assert report == report_from_mapping(yaml.safe_load(dump_report(report)))


def _no_image_bytes(report: Report) -> bool:
    blocks_ = [*report.intro, *report.closing]
    blocks_ += [b for s in report.walk() for b in s.blocks]
    return not any(isinstance(b, Image) and isinstance(b.source, bytes) for b in blocks_)


@settings(max_examples=50, deadline=None)
@given(reports.filter(_no_image_bytes))
def test_any_report_survives_dump_to_json_and_load(report: Report) -> None:
    assert report == report_from_mapping(json.loads(dump_report(report, format="json")))


# --- the model layer turns data into reports; loaders only read and write files -------------


@settings(max_examples=50, deadline=None)
@given(reports)
def test_any_report_survives_report_to_mapping_and_back(report: Report) -> None:
    assert report == model.report_from_mapping(model.report_to_mapping(report))


def test_loaders_hand_data_to_the_model_converter() -> None:
    assert loaders.report_from_mapping is model.report_from_mapping
    assert loaders.map_images is model.map_images
    assert loaders.BLOCK_TYPES is model.BLOCK_TYPES


def test_report_to_mapping_marks_the_lists_a_data_file_may_write_on_one_line() -> None:
    data = model.report_to_mapping(SMALL_REPORT)
    table = data["sections"][0]["blocks"][3]
    assert "table" == table["type"]
    assert all(isinstance(row, model.InlineList) for row in table["rows"])
    assert isinstance(data["attachments"], model.InlineList)
    assert not isinstance(data["sections"], model.InlineList)
