"""Every input has a limit and a clear error at it (docgen.limits): the reproductions of the audit.

Time limits here are generous upper bounds that fail only on a hang.
"""

from __future__ import annotations

import base64
import os
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import docgen
from docgen.cli import main
from docgen.limits import MAX_TABLE_COLUMNS
from tests.conftest import ROOT

# A 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_a_colspan_of_a_hundred_million_is_refused_at_once_naming_the_cell(tmp_path: Path) -> None:
    data = tmp_path / "wide.yaml"
    data.write_text(
        "title: t\nintro:\n  - {type: table, rows: [[{text: a, colspan: 100000000}]]}\n"
    )
    started = time.monotonic()
    result = CliRunner().invoke(main, ["render", str(data), "-o", str(tmp_path / "x.docx")])
    assert time.monotonic() - started < 10
    assert 1 == result.exit_code
    assert "intro[0].rows[0][0].colspan: must be at most 63" in result.output
    assert "100000000" in result.output
    assert not (tmp_path / "x.docx").exists()


def test_a_table_wider_than_word_allows_is_refused_naming_the_row() -> None:
    with pytest.raises(docgen.ValidationError) as info:
        docgen.Table([["x"] * (MAX_TABLE_COLUMNS + 1)])
    assert "Table.rows[0]: is wider than a Word table can be" in str(info.value)
    assert f"at most {MAX_TABLE_COLUMNS} columns" in str(info.value)
    assert MAX_TABLE_COLUMNS == docgen.Table([["x"] * MAX_TABLE_COLUMNS]).columns


def _render_picture(source: str) -> docgen.Document:
    report = docgen.Report("题", intro=[docgen.Image(source)])
    return docgen.render(report, "work-summary")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="a system with /dev/zero")
def test_a_device_as_a_picture_is_refused_before_a_byte_is_read() -> None:
    started = time.monotonic()
    with pytest.raises(docgen.RenderError) as info:
        _render_picture("/dev/zero")
    assert time.monotonic() - started < 10
    assert "intro[0].source (/dev/zero): is not a file" in str(info.value)
    assert "found a device" in str(info.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_as_a_picture_is_refused_instead_of_hanging(tmp_path: Path) -> None:
    pipe = tmp_path / "photo.png"
    os.mkfifo(pipe)
    started = time.monotonic()
    with pytest.raises(docgen.RenderError, match=r"is not a file.*a named pipe"):
        _render_picture(str(pipe))
    assert time.monotonic() - started < 10


def test_a_folder_as_a_picture_is_refused(tmp_path: Path) -> None:
    with pytest.raises(docgen.RenderError, match=r"is not a file.*a folder"):
        _render_picture(str(tmp_path))


def test_a_picture_over_the_size_limit_names_the_setting(tmp_path, monkeypatch) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG + b"\0" * 4000)
    monkeypatch.setenv("DOCGEN_MAX_PICTURE_MB", "0.001")  # 1,049 bytes
    with pytest.raises(docgen.RenderError) as info:
        _render_picture(str(photo))
    message = str(info.value)
    assert "is larger than the 0.001 MB a picture may be" in message
    assert "DOCGEN_MAX_PICTURE_MB" in message
    monkeypatch.delenv("DOCGEN_MAX_PICTURE_MB")
    assert _render_picture(str(photo)).to_bytes()[:2] == b"PK"


def test_a_file_that_is_not_a_picture_is_refused_without_showing_its_content(tmp_path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_text("root:x:0:0:password")
    with pytest.raises(docgen.RenderError) as info:
        _render_picture(str(secret))
    message = str(info.value)
    assert "is not a picture docgen can place" in message
    assert "root" not in message.replace(str(tmp_path), "")


def test_a_real_picture_file_is_placed(tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    data = _render_picture(str(photo)).to_bytes()
    assert b"word/media/docgen1.png" in data


@pytest.mark.skipif(sys.platform == "win32", reason="a symbolic link to a device")
def test_a_link_to_a_device_is_refused_too(tmp_path: Path) -> None:
    link = tmp_path / "photo.png"
    link.symlink_to("/dev/zero")
    with pytest.raises(docgen.RenderError, match=r"is not a file.*a device"):
        _render_picture(str(link))


def test_a_csv_with_more_records_than_the_limit_stops_while_reading(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DOCGEN_MAX_RECORDS", "3")
    data = tmp_path / "many.csv"
    data.write_text("name\n" + "".join(f"学生{n}\n" for n in range(10)), encoding="utf-8")
    with pytest.raises(docgen.DataError) as info:
        docgen.read_records(data)
    assert "many.csv: holds more than the 3 records a batch may have" in str(info.value)
    assert "DOCGEN_MAX_RECORDS" in str(info.value)
    monkeypatch.setenv("DOCGEN_MAX_RECORDS", "10")
    assert 10 == len(docgen.read_records(data))


def test_an_xlsx_that_unpacks_to_many_rows_stops_at_the_limit(tmp_path, monkeypatch) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name"])
    for n in range(2000):
        sheet.append([f"学生{n}"])
    path = tmp_path / "many.xlsx"
    book.save(path)
    monkeypatch.setenv("DOCGEN_MAX_RECORDS", "50")
    with pytest.raises(docgen.DataError, match="more than the 50 records"):
        docgen.read_records(path)


def test_a_column_named_twice_is_refused_instead_of_losing_one(tmp_path: Path) -> None:
    data = tmp_path / "twice.csv"
    data.write_text("name,comment,comment\n张三,好,很好\n", encoding="utf-8")
    with pytest.raises(docgen.DataError) as info:
        docgen.read_records(data)
    assert "twice.csv, row 1: names a column twice" in str(info.value)
    assert "found comment" in str(info.value)


@pytest.mark.parametrize(("name", "expected"), [("..", "document.docx"), (".", "document.docx")])
def test_a_record_named_dot_or_dot_dot_gets_a_real_file_name(tmp_path, name, expected) -> None:
    _, record = docgen.read_records(ROOT / "examples" / "term-comments.csv")[0]
    record["student"]["name"] = name
    (result,) = docgen.render_many(
        "term-comment", [record], tmp_path / "out", name="{student.name}.docx"
    )
    assert result.error is None
    assert expected == Path(str(result.path)).name
    assert [expected] == [p.name for p in (tmp_path / "out").iterdir()]


def _alias_bomb(bad_date: bool) -> str:
    """A few hundred bytes of YAML aliases standing for 9**9 values."""
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("title: t")
    if bad_date:
        lines.append("signature: {org: o, date: 2014-13-45}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("bad_date", [False, True])
def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path, bad_date: bool) -> None:
    data = tmp_path / "bomb.yaml"
    data.write_text(_alias_bomb(bad_date), encoding="utf-8")
    assert data.stat().st_size < 700
    started = time.monotonic()
    with pytest.raises(docgen.DataError) as info:
        docgen.load_report(data)
    assert time.monotonic() - started < 10
    assert "bomb.yaml, line" in str(info.value)
    assert "stands for more than 1,000,000 values" in str(info.value)
    assert "DOCGEN_MAX_DATA_VALUES" in str(info.value)


def test_ordinary_aliases_still_work(tmp_path: Path) -> None:
    data = tmp_path / "aliases.yaml"
    data.write_text("title: t\nextra: {a: &x [1, 2], b: *x}\n", encoding="utf-8")
    assert {"a": [1, 2], "b": [1, 2]} == dict(docgen.load_report(data).extra)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.json", '{"title": "t", "extra": {"x": ' + "[" * 5000 + "]" * 5000 + "}}"),
        ("deep.yaml", "title: t\nextra: {x: " + "[" * 200 + "]" * 200 + "}\n"),
        ("deep.toml", 'title = "t"\n[extra]\nx = ' + "[" * 100 + "]" * 100 + "\n"),
    ],
)
def test_data_nested_thousands_deep_is_a_clear_error(tmp_path: Path, name: str, text: str) -> None:
    data = tmp_path / name
    data.write_text(text, encoding="utf-8")
    with pytest.raises(docgen.DataError) as info:
        docgen.load_report(data)
    assert f"{name}: is nested deeper than the 64 levels docgen reads" in str(info.value)


def test_a_five_thousand_digit_number_is_a_clear_error(tmp_path: Path) -> None:
    data = tmp_path / "big.yaml"
    data.write_text("title: t\nextra: {n: " + "9" * 5000 + "}\n", encoding="utf-8")
    with pytest.raises(docgen.DataError) as info:
        docgen.load_report(data)
    message = str(info.value)
    assert "big.yaml, line 2, column 12" in message
    assert "is a number of 5,000 digits, too many to read" in message


@pytest.mark.parametrize("width", [float("nan"), float("inf")])
def test_a_picture_width_that_is_not_a_number_is_a_clear_error(width: float) -> None:
    with pytest.raises(docgen.ValidationError, match=r"width_cm: must be a positive number"):
        docgen.Image(PNG, width_cm=width)


def test_a_bad_date_in_a_yaml_record_file_names_its_line(tmp_path: Path) -> None:
    data = tmp_path / "records.yaml"
    data.write_text("- name: 张三\n  date: 2014-13-45\n", encoding="utf-8")
    with pytest.raises(docgen.DataError) as info:
        docgen.read_records(data)
    assert "records.yaml, line 2, column 9" in str(info.value)
    assert "looks like a date but is not one" in str(info.value)


def test_a_csv_cell_over_the_field_limit_names_the_row(tmp_path: Path) -> None:
    data = tmp_path / "big.csv"
    data.write_text("name,comment\n张三,好\n李四," + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(docgen.DataError) as info:
        docgen.read_records(data)
    assert "big.csv, row 3: cannot be read as CSV" in str(info.value)
    assert "131,072 characters" in str(info.value)


def test_a_render_building_just_under_limit_values_again_and_again_stops(tmp_path) -> None:
    from tests.test_reliability import write_template  # noqa: PLC0415

    tpl = write_template(
        tmp_path, "{% for i in range(400) %}{{ ('x' * 9999999)|length }}{% endfor %}"
    )
    started = time.monotonic()
    with pytest.raises(docgen.RenderError) as info:
        docgen.render({}, tpl)
    assert time.monotonic() - started < 20
    assert "200,000,000 characters or items one render may build in all" in str(info.value)


def test_a_template_of_two_hundred_thousand_tags_is_refused_before_compiling(tmp_path) -> None:
    from tests.test_reliability import write_template  # noqa: PLC0415

    tpl = write_template(tmp_path, "{{x}}" * 200_000)
    started = time.monotonic()
    with pytest.raises(docgen.TemplateError) as info:
        docgen.Template.load(tpl)
    assert time.monotonic() - started < 20
    assert "has 200,000 tags, more than the 20,000 one part may hold" in str(info.value)
    assert "word/document.xml" in str(info.value)


def test_a_zip_batch_on_a_full_disk_names_the_zip_and_leaves_no_part_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno  # noqa: PLC0415

    import docgen.zipout  # noqa: PLC0415

    written = [0]
    real_write = docgen.zipout.UnseekableStream.write

    def full_after_a_while(self, data):
        written[0] += len(data)
        if written[0] > 60_000:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(docgen.zipout.UnseekableStream, "write", full_after_a_while)
    records = [r for _, r in docgen.read_records(ROOT / "examples" / "term-comments.csv")] * 20
    target = tmp_path / "comments.zip"
    with pytest.raises(docgen.OutputError) as info:
        docgen.render_many("term-comment", records, target, name="{n}.docx")
    assert f"{target}: could not be written (No space left on device)" in str(info.value)
    assert [] == list(tmp_path.iterdir())  # neither the zip nor its .part


def test_formula_cells_without_a_saved_value_are_named_in_a_warning(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "score", "total"])
    sheet.append(["张三", 90, "=B2*2"])  # openpyxl saves the formula, not its value
    sheet.append(["李四", 80, 160])
    path = tmp_path / "scores.xlsx"
    book.save(path)
    with pytest.warns(docgen.DocgenWarning) as caught:
        records = docgen.read_records(path)
    message = str(caught[0].message)
    assert "scores.xlsx: 1 cell(s) hold a formula whose value was never saved" in message
    assert "row 2 total" in message
    assert ["", 160] == [r["total"] for _, r in records]
