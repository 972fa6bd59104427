"""Many documents from one template: render_many and docgen batch."""

from __future__ import annotations

import csv
import io
import os
import shutil
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

import docgen
from docgen import Report, Section
from docgen.batch import render_many
from docgen.cli import main
from docgen.files import safe_filename
from examples.party_branch_summary import build_report
from tests.conftest import ROOT, texts

CSV = ROOT / "examples" / "term-comments.csv"


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def reports(n: int) -> list[Report]:
    return [
        Report(f"第{i}份小结", sections=[Section("一节", blocks=[f"正文{i}"])])
        for i in range(1, n + 1)
    ]


def test_the_fast_path_writes_exactly_what_a_single_render_writes(tmp_path):
    records = [build_report(), *reports(3)]
    results = render_many("work-summary", records, tmp_path, workers=2)
    assert all(r.ok for r in results)
    for record, result in zip(records, results, strict=True):
        single = docgen.render(record, "work-summary").to_bytes()
        batch = Path(result.path).read_bytes()
        assert parts(single) == parts(batch)
        assert texts(single) == texts(batch)


def test_names_come_from_the_pattern_and_are_unique_and_safe(tmp_path):
    records = [Report("三(2)班/总结"), Report("三(2)班/总结"), Report("../../逃逸"), Report("CON")]
    results = render_many("work-summary", records, tmp_path, name="{title}.docx")
    names = [Path(r.path).name for r in results]
    assert ["三(2)班_总结.docx", "三(2)班_总结 (2).docx", "_.._逃逸.docx", "_CON.docx"] == names
    assert {tmp_path} == {Path(r.path).parent for r in results}  # nothing escaped
    assert 4 == len(list(tmp_path.iterdir()))


def test_a_bad_record_is_reported_and_the_others_are_written(tmp_path):
    records = [{"title": "好"}, {"title": 3}, {"title": "也好"}]
    results = render_many("work-summary", records, tmp_path)
    assert [True, False, True] == [r.ok for r in results]
    assert "record 2" in results[1].error
    assert "title" in results[1].error
    assert 2 == len(list(tmp_path.iterdir()))


def test_on_error_stop_stops_at_the_first_bad_record(tmp_path):
    records = [{"title": "好"}, {"title": 3}, {"title": "不会生成"}]
    results = render_many("work-summary", records, tmp_path, on_error="stop")
    assert [True, False] == [r.ok for r in results]
    assert ["好.docx"] == [p.name for p in tmp_path.iterdir()]


def test_a_zip_holds_every_document_and_appears_only_when_complete(tmp_path):
    out = tmp_path / "out.zip"
    results = render_many("work-summary", reports(5), out, workers=2)
    assert all(r.ok for r in results)
    with zipfile.ZipFile(out) as zf:
        assert [f"第{i}份小结.docx" for i in range(1, 6)] == sorted(zf.namelist())
        assert ["第3份小结", "一、一节", "正文3"] == texts(zf.read("第3份小结.docx"))
    assert [out] == list(tmp_path.iterdir())  # no temporary file left
    with pytest.raises(docgen.OutputExistsError):
        render_many("work-summary", reports(1), out)


def test_skip_existing_completes_only_what_is_missing(tmp_path):
    render_many("work-summary", reports(4), tmp_path)
    (tmp_path / "第2份小结.docx").unlink()
    kept = (tmp_path / "第1份小结.docx").stat().st_mtime_ns
    results = render_many("work-summary", reports(4), tmp_path, skip_existing=True)
    assert [True, False, True, True] == [r.skipped for r in results]
    assert (tmp_path / "第2份小结.docx").exists()
    assert kept == (tmp_path / "第1份小结.docx").stat().st_mtime_ns
    again = render_many("work-summary", reports(1), tmp_path)
    assert "already exists" in again[0].error  # never overwritten without consent


def test_workers_started_by_spawn_compile_the_template_themselves(tmp_path, monkeypatch):
    # spawn is the default on Windows and macOS: nothing is inherited from the parent, the
    # pool's initializer receives the template's bytes and compiles them once per worker
    import functools  # noqa: PLC0415
    import multiprocessing  # noqa: PLC0415
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    import docgen.batch as batch  # noqa: PLC0415

    spawn = functools.partial(ProcessPoolExecutor, mp_context=multiprocessing.get_context("spawn"))
    monkeypatch.setattr(batch, "ProcessPoolExecutor", spawn)
    records = [build_report(), *reports(4)]
    results = render_many("work-summary", records, tmp_path, workers=2)
    assert all(r.ok for r in results)
    for record, result in zip(records, results, strict=True):
        assert parts(docgen.render(record, "work-summary").to_bytes()) == parts(
            Path(result.path).read_bytes()
        )
    assert not batch._WORKER_TEMPLATES  # the parent let go of the template


def test_workers_accept_the_template_the_caller_accepted_under_a_raised_limit(
    tmp_path, monkeypatch
):
    # the process-wide limit is far below the template's size; the caller raised it for this
    # template, and the workers (which compile it again from its bytes) follow the caller
    data = (ROOT / "templates" / "work-summary" / "template.docx").read_bytes()
    monkeypatch.setenv("DOCGEN_MAX_UNPACKED_MB", "0.001")
    with pytest.raises(docgen.PackageError, match="unpacks to more than the limit"):
        docgen.Template.from_bytes(data, source="summary.docx")
    tpl = docgen.Template.from_bytes(data, source="summary.docx", max_unpacked=50_000_000)
    with ThreadPoolExecutor(2) as executor:
        results = render_many(tpl, reports(3), tmp_path, executor=executor)
    assert [None, None, None] == [r.error for r in results]


def test_any_executor_can_run_the_batch(tmp_path):
    with ThreadPoolExecutor(2) as executor:
        results = render_many("work-summary", reports(6), tmp_path, executor=executor)
    assert 6 == sum(r.ok for r in results)


_REAL_RENDER_RECORD = None


def _dying(recipe, record, label, options):
    """Stands in for docgen.batch._render_record in forked workers: record 2 kills its worker."""
    if label == "record 2":
        os._exit(3)
    return _REAL_RENDER_RECORD(recipe, record, label, options)


@pytest.mark.skipif(os.name != "posix", reason="needs fork to inject the fault into workers")
def test_a_worker_that_dies_fails_only_its_record(tmp_path, monkeypatch):
    import multiprocessing  # noqa: PLC0415

    import docgen.batch as batch  # noqa: PLC0415

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("workers are not forked here, so the fault cannot be injected")
    monkeypatch.setattr(sys.modules[__name__], "_REAL_RENDER_RECORD", batch._render_record)
    monkeypatch.setattr(batch, "_render_record", _dying)  # forked workers inherit it
    results = render_many("work-summary", reports(6), tmp_path, workers=2)
    assert [True, False, True, True, True, True] == [r.ok for r in results]
    assert "worker process rendering it died" in results[1].error
    assert 5 == len(list(tmp_path.iterdir()))


@pytest.mark.skipif(os.name != "posix", reason="needs fork to inject the fault into workers")
def test_a_worker_that_dies_is_reported_in_chinese_under_chinese(tmp_path, monkeypatch):
    import multiprocessing  # noqa: PLC0415

    import docgen.batch as batch  # noqa: PLC0415
    from docgen.i18n import use_language  # noqa: PLC0415

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("workers are not forked here, so the fault cannot be injected")
    monkeypatch.setattr(sys.modules[__name__], "_REAL_RENDER_RECORD", batch._render_record)
    monkeypatch.setattr(batch, "_render_record", _dying)
    with use_language("zh"):
        results = render_many("work-summary", reports(3), tmp_path, workers=2)
    assert [True, False, True] == [r.ok for r in results]
    assert "render.worker_died" == results[1].code
    assert results[1].error.endswith("：生成它的工作进程意外退出（内存不足，或被强行结束）")


def test_safe_filename_keeps_chinese_and_removes_what_no_os_allows():
    assert "评语_张三.docx" == safe_filename("评语/张三.docx")
    assert "a_b_c_d_e_f_g_h_i.docx" == safe_filename('a<b>c:d"e\\f|g?h*i.docx')
    assert len(safe_filename("长" * 200 + ".docx").encode()) <= 150
    assert safe_filename("长" * 200 + ".docx").endswith(".docx")


# --- docgen batch ---------------------------------------------------------------------------


def test_batch_renders_a_csv_of_term_comments(tmp_path):
    out = tmp_path / "评语"
    result = CliRunner().invoke(
        main,
        [
            "batch",
            "term-comment",
            str(CSV),
            "-o",
            str(out),
            "--name",
            "{student.class}-{student.name}.docx",
            "--workers",
            "2",
        ],
    )
    assert 0 == result.exit_code, result.output
    files = sorted(out.iterdir())
    assert 40 == len(files)
    with CSV.open(encoding="utf-8") as fh:
        first = next(csv.DictReader(fh))
    doc = out / f"{first['student.class']}-{first['student.name']}.docx"
    lines = texts(doc.read_bytes())
    assert "徐汇区东二小学2013学年第一学期学生评语" == lines[0]
    assert f"班级：{first['student.class']}　　姓名：{first['student.name']}" == lines[1]
    assert first["comment"] == lines[2]
    assert ["班主任：王老师", "2014年1月20日"] == lines[3:]


def test_batch_reports_a_bad_row_by_number_and_exits_1(tmp_path):
    data = tmp_path / "students.csv"
    data.write_text(
        "student.name,student.class,comment,teacher,term\n"
        "张三,三（1）班,认真,王老师,2013学年第一学期\n"
        "李四,三（1）班,踏实,王老师\n"
        "王五,三（1）班,活泼,王老师,2013学年第一学期\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["batch", "term-comment", str(data), "-o", str(out), "--name", "{student.name}.docx"]
    )
    assert 1 == result.exit_code
    assert "row 3" in result.stderr
    assert "term" in result.stderr
    assert "2 written, 0 skipped, 1 failed" in result.stderr
    assert ["张三.docx", "王五.docx"] == sorted(p.name for p in out.iterdir())


def test_batch_reads_an_xlsx_sheet_with_gbk_friendly_names(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["student.name", "student.class", "comment", "teacher", "term"])
    sheet.append(["赵六", "三（2）班", "进步很大", "李老师", "2013学年第一学期"])
    sheet.append([None, None, None, None, None])
    sheet.append(["钱七", "三（2）班", "乐于助人", "李老师", "2013学年第一学期"])
    data = tmp_path / "students.xlsx"
    book.save(data)
    out = tmp_path / "out.zip"
    result = CliRunner().invoke(
        main,
        [
            "batch",
            "term-comment",
            str(data),
            "-o",
            str(out),
            "--name",
            "{n}-{student.name}.docx",
            "--json",
        ],
    )
    assert 0 == result.exit_code, result.output
    with zipfile.ZipFile(out) as zf:
        assert ["1-赵六.docx", "2-钱七.docx"] == sorted(zf.namelist())


def test_batch_of_reports_from_yaml_records(tmp_path):
    data = tmp_path / "summaries.yaml"
    data.write_text(
        "- title: 一班小结\n  intro: [甲]\n- title: 二班小结\n  intro: [乙]\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        main, ["batch", "work-summary", str(data), "-o", str(tmp_path / "out")]
    )
    assert 0 == result.exit_code, result.output
    assert ["二班小结", "乙"] == texts((tmp_path / "out" / "二班小结.docx").read_bytes())


def test_skip_existing_does_not_skip_a_file_cut_short(tmp_path):
    render_many("work-summary", reports(2), tmp_path)
    (tmp_path / "第2份小结.docx").write_bytes(b"")  # as a power loss could leave it
    results = render_many("work-summary", reports(2), tmp_path, skip_existing=True)
    assert results[0].skipped
    assert "not a complete document" in results[1].error
    assert b"" == (tmp_path / "第2份小结.docx").read_bytes()  # never overwritten silently


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize("name", ["班级.xls", "renamed.xlsx"])
def test_an_old_excel_workbook_is_refused_with_how_to_convert_it(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(OLE_SIGNATURE + bytes(504))
    with pytest.raises(docgen.DataError) as caught:
        docgen.read_records(path)
    message = str(caught.value)
    assert name in message
    assert "Excel 97-2003" in message
    assert "*.xlsx" in message
    assert "--convert-to xlsx" in message


def test_batch_from_an_old_excel_file_exits_1_with_the_conversion_hint(tmp_path):
    path = tmp_path / "评语.xls"
    path.write_bytes(OLE_SIGNATURE + bytes(504))
    result = CliRunner().invoke(main, ["batch", "term-comment", str(path), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "save it as" in result.stderr
    assert "Excel 工作簿" in result.stderr


def test_a_record_file_of_an_unknown_kind_is_refused_by_its_name_not_its_bytes(tmp_path):
    path = tmp_path / "scores.pdf"
    path.write_bytes(b"%PDF-1.7\n\xff\xfe\x00binary")
    with pytest.raises(docgen.DataError, match=r"not a kind of record file.*found \.pdf"):
        docgen.read_records(path)


def _term_comment_csv(tmp_path, blank: dict[int, str]) -> Path:
    """The example class list's first three students, with the cells in *blank* emptied."""
    with CSV.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[:4]
    header = rows[0]
    for row_number, column in blank.items():  # row numbers as a spreadsheet counts them
        rows[row_number - 1][header.index(column)] = " "
    path = tmp_path / "class.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_a_blank_cell_in_a_required_field_is_that_rows_error_naming_the_column(tmp_path):
    data = _term_comment_csv(tmp_path, {3: "student.name", 4: "teacher"})
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", "term-comment", str(data), "-o", str(out)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 2
    assert errors[0].startswith("Error: row 3:")
    assert "student.name is blank" in errors[0]
    assert errors[1].startswith("Error: row 4:")
    assert "teacher is blank (班主任)" in errors[1]
    assert "extra" not in result.stderr  # a spreadsheet has columns, not extra:
    assert "spreadsheet column" in errors[0]
    assert [p.name for p in out.iterdir()] == ["1.docx"]


def test_a_blank_optional_cell_is_fine(tmp_path):
    data = _term_comment_csv(tmp_path, {2: "date", 3: "school"})
    records = docgen.read_records(data)
    results = render_many("term-comment", records, tmp_path / "out", name="{n}.docx")
    assert [r.error for r in results] == [None, None, None]


def test_a_reports_blank_required_field_is_named_under_extra(tmp_path):
    folder = tmp_path / "with-number"
    shutil.copytree(ROOT / "templates" / "work-summary", folder)
    manifest = folder / "template.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "[styles]", '[fields.doc_number]\ndescription = "发文字号"\n\n[styles]', 1
        ),
        encoding="utf-8",
    )
    report = Report("工作总结", extra={"doc_number": ""})
    with pytest.raises(docgen.DataError) as caught:
        docgen.render(report, folder)
    assert "extra.doc_number is blank (发文字号)" in str(caught.value)
    assert "under extra:" in str(caught.value)
