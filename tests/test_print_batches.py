"""Print-ready batches: PDFs per record through a warm LibreOffice pool that survives crashes.

The pool's logic (chunks, lanes, time limits, a crash mid-chunk) is tested against a stand-in
``soffice`` whose behaviour each document chooses; real LibreOffice converts real records and
is killed mid-batch in the tests marked ``libreoffice``.
"""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

import docgen
from docgen.cli import main
from docgen.converter import Converter
from docgen.pdf import LibreOfficeTimeoutError, PdfError
from tests.conftest import ROOT
from tests.test_web import make_client
from tests.test_web import render as web_render

FAKE = r'''#!{python}
"""A stand-in soffice: converts each input in order; an input's bytes say what to do."""
import os, pathlib, sys, time
args = sys.argv[1:]
out = pathlib.Path(args[args.index("--outdir") + 1])
state = pathlib.Path(os.environ["FAKE_STATE"])
with (state / "starts").open("a") as f:
    f.write("start\n")
for source in [pathlib.Path(a) for a in args if a.endswith(".docx")]:
    data = source.read_bytes()
    if data == b"HANG":
        time.sleep(60)
    if data.startswith(b"CRASH"):
        marker = state / data.decode()
        if data == b"CRASH-ALWAYS" or not marker.exists():
            marker.touch()
            os.kill(os.getpid(), 9)
    if data == b"BROKEN":
        print("Error: source file could not be loaded", file=sys.stderr)
        continue
    time.sleep(0.01)
    (out / (source.stem + ".pdf")).write_bytes(b"%PDF-1.4\n" + data + b"\n%%EOF\n")
'''


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    program = tmp_path / "soffice"
    program.write_text(FAKE.replace("{python}", sys.executable))
    program.chmod(0o755)
    state = tmp_path / "state"
    state.mkdir()
    monkeypatch.setenv("DOCGEN_SOFFICE", str(program))
    monkeypatch.setenv("FAKE_STATE", str(state))
    return state


def _starts(state: Path) -> int:
    path = state / "starts"
    return len(path.read_text().splitlines()) if path.exists() else 0


def _docs(n: int) -> list[tuple[str, bytes]]:
    return [(f"doc{i}", f"document {i}".encode()) for i in range(n)]


def test_many_documents_are_converted_per_libreoffice_start(fake_soffice):
    with Converter(lanes=1) as converter:
        got = dict(converter.convert(_docs(12)))
    expected = {f"doc{i}": f"%PDF-1.4\ndocument {i}\n%%EOF\n".encode() for i in range(12)}
    assert expected == got
    assert 1 == _starts(fake_soffice)


def test_lanes_share_the_work_one_start_each(fake_soffice):
    with Converter(lanes=3) as converter:
        got = dict(converter.convert(_docs(30)))
    assert 30 == len(got)
    assert all(isinstance(pdf, bytes) for pdf in got.values())
    assert 3 == _starts(fake_soffice)


def test_a_document_that_hangs_is_stopped_at_its_limit_and_the_rest_go_on(fake_soffice):
    docs = [("before", b"one"), ("hangs", b"HANG"), ("after", b"two")]
    began = time.monotonic()
    with Converter(lanes=1, timeout=1.5) as converter:
        got = dict(converter.convert(docs))
    assert time.monotonic() - began < 20
    assert isinstance(got["hangs"], LibreOfficeTimeoutError)
    assert "hangs: LibreOffice did not finish within 1.5 s" in str(got["hangs"])
    assert got["before"].endswith(b"%%EOF\n")
    assert got["after"].endswith(b"%%EOF\n")


def test_a_crash_costs_only_the_document_being_converted_which_is_retried_once(fake_soffice):
    docs = [("a", b"one"), ("crashes", b"CRASH-ONCE"), ("b", b"two"), ("c", b"three")]
    with Converter(lanes=1) as converter:
        got = dict(converter.convert(docs))
    assert all(isinstance(pdf, bytes) for pdf in got.values()), got
    assert b"CRASH-ONCE" in got["crashes"]
    assert 3 == _starts(fake_soffice)  # the chunk, the retry alone, the rest


def test_a_document_that_crashes_libreoffice_twice_is_reported(fake_soffice):
    docs = [("a", b"one"), ("bad", b"CRASH-ALWAYS"), ("b", b"two")]
    with Converter(lanes=1) as converter:
        got = dict(converter.convert(docs))
    assert isinstance(got["bad"], PdfError)
    assert "bad: LibreOffice stopped while converting it, twice" in str(got["bad"])
    assert isinstance(got["a"], bytes)
    assert isinstance(got["b"], bytes)


def test_a_document_libreoffice_cannot_open_is_reported_with_its_words(fake_soffice):
    with Converter(lanes=1) as converter:
        got = dict(converter.convert([("a", b"one"), ("broken", b"BROKEN"), ("b", b"two")]))
    assert "could not be loaded" in str(got["broken"])
    assert isinstance(got["b"], bytes)


def _processes_under(folder: Path) -> list[int]:
    """Processes whose command line names *folder* (LibreOffice's profile is under it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if str(folder).encode() in cmdline:
                found.append(int(entry.name))
    return found


def test_closing_stops_libreoffice_and_removes_every_profile(fake_soffice, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    converter = Converter(lanes=2, timeout=30)
    results = converter.convert([("hangs", b"HANG"), ("also", b"HANG")])
    thread = threading.Thread(target=lambda: list(results), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while len(_processes_under(tmp_path)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_under(tmp_path)
    converter.close()
    thread.join(timeout=10)
    time.sleep(0.2)
    assert [] == _processes_under(tmp_path)
    assert [] == list(tmp_path.glob("docgen-office-*"))


# --- render_many and docgen batch with real LibreOffice --------------------------------------


def _comments(n: int) -> list[dict[str, object]]:
    return [
        {
            "term": "2013学年第一学期",
            "student": {"name": f"学生{i:02d}", "class": "三（2）班"},
            "comment": f"第{i}位同学，本学期表现很好。",
            "teacher": "王老师",
        }
        for i in range(n)
    ]


def _pdftotext(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode("utf-8")


@pytest.mark.libreoffice
def test_render_many_writes_one_pdf_per_record_named_as_the_docx_would_be(
    soffice, tmp_path, monkeypatch
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    out = tmp_path / "pdfs"
    stages: list[str] = []
    results = docgen.render_many(
        "term-comment",
        _comments(6),
        out,
        name="{student.name}.docx",
        workers=2,
        format="pdf",
        progress=lambda r: stages.append(r.stage),
    )
    assert [None] * 6 == [r.error for r in results]
    assert sorted(f"学生{i:02d}.pdf" for i in range(6)) == sorted(p.name for p in out.iterdir())
    text = _pdftotext(out / "学生03.pdf").replace(" ", "")
    assert "第3位同学，本学期表现很好。" in text
    assert 6 == stages.count("render")
    assert 6 == stages.count("pdf")
    assert [] == list(tmp_path.glob("docgen-office-*"))  # no profile left
    assert [] == list(tmp_path.glob("docgen-batch-*"))  # nor the drafts
    assert [] == _processes_under(tmp_path)


@pytest.mark.libreoffice
def test_the_cli_batch_writes_pdfs_and_pdfa(soffice, tmp_path):
    data = tmp_path / "students.csv"
    with data.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["term", "student.name", "student.class", "comment", "teacher"])
        writer.writerows(
            [["2013学年第一学期", f"学生{i}", "三（2）班", "很好。", "王老师"] for i in range(3)]
        )
    out = tmp_path / "pdfa"
    result = CliRunner().invoke(
        main,
        [
            "batch",
            "term-comment",
            str(data),
            "-o",
            str(out),
            "--format",
            "pdfa",
            "--name",
            "{student.name}.docx",
        ],
    )
    assert 0 == result.exit_code, result.stderr
    assert ["学生0.pdf", "学生1.pdf", "学生2.pdf"] == sorted(p.name for p in out.iterdir())
    assert b"pdfaid:part" in (out / "学生1.pdf").read_bytes()  # the PDF/A marker
    assert "converting to PDF" in result.stderr


@pytest.mark.libreoffice
def test_a_libreoffice_killed_mid_batch_costs_nothing_but_a_retry(soffice, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    template = docgen.Template.load("term-comment")
    docs = [(f"d{i}", docgen.render(r, template).to_bytes()) for i, r in enumerate(_comments(8))]
    killed: list[int] = []

    def kill_the_first_office() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            pdfs = list(tmp_path.glob("docgen-office-*/lane0/out/*.pdf"))
            offices = [
                pid
                for pid in _processes_under(tmp_path)
                if b"soffice.bin" in Path(f"/proc/{pid}/cmdline").read_bytes()
            ]
            if pdfs and offices:  # mid-chunk: some converted, the rest not yet
                os.kill(offices[0], signal.SIGKILL)
                killed.append(offices[0])
                return
            time.sleep(0.01)

    with Converter(lanes=1) as converter:
        killer = threading.Thread(target=kill_the_first_office, daemon=True)
        killer.start()
        got = dict(converter.convert(docs))
        killer.join(timeout=5)
        starts = converter.starts
    assert killed, "the test did not get to kill LibreOffice"
    assert {} == {name: str(pdf) for name, pdf in got.items() if not isinstance(pdf, bytes)}
    assert 8 == len(got)
    assert starts >= 2
    assert [] == _processes_under(tmp_path)
    assert [] == list(tmp_path.glob("docgen-office-*"))


def test_an_unknown_format_is_a_data_error(tmp_path):
    with pytest.raises(docgen.DataError, match="format: is not an output format"):
        docgen.render_many("term-comment", _comments(1), tmp_path, format="odt")


def test_render_many_pdf_goes_through_a_given_executor(fake_soffice, tmp_path):
    with ThreadPoolExecutor(2) as pool:
        results = docgen.render_many(
            "term-comment",
            _comments(4),
            tmp_path / "out",
            name="{n}.docx",
            format="pdf",
            executor=pool,
        )
    assert [None] * 4 == [r.error for r in results]
    assert ["1.pdf", "2.pdf", "3.pdf", "4.pdf"] == sorted(
        p.name for p in (tmp_path / "out").iterdir()
    )
    assert (tmp_path / "out" / "1.pdf").read_bytes().startswith(b"%PDF-1.4\nPK")  # the .docx


@pytest.mark.libreoffice
def test_the_service_keeps_libreoffice_warm_and_leaves_nothing_behind(
    soffice, tmp_path, monkeypatch
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with make_client() as client:
        for _ in range(2):
            response = web_render(client, format="pdf")
            assert 200 == response.status_code, response.text
            assert response.content.startswith(b"%PDF")
        office = "docgen-service-office-*/worker-*/docgen-office-*/lane0/profile"
        assert 1 == len(list(tmp_path.glob(office)))  # one warm profile for both requests
    assert [] == list(tmp_path.glob("docgen-service-office-*"))
    assert [] == _processes_under(tmp_path)


def test_an_output_ending_in_docx_is_one_combined_document_not_a_folder(tmp_path):
    import docx  # noqa: PLC0415

    out = tmp_path / "全班评语.docx"
    results = docgen.render_many("term-comment", _comments(5), out)
    assert out.is_file()
    assert [str(out)] * 5 == [r.path for r in results]
    document = docx.Document(str(out))
    assert 5 == len(document.sections)
    text = "\n".join(p.text for p in document.paragraphs)
    assert all(f"第{i}位同学" in text for i in range(5))
    with pytest.raises(docgen.OutputExistsError):  # refused before rendering, not after
        docgen.render_many("term-comment", _comments(1), out)


@pytest.mark.libreoffice
def test_the_cli_writes_one_pdf_for_the_whole_class(soffice, tmp_path):
    data = tmp_path / "students.csv"
    with data.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["term", "student.name", "student.class", "comment", "teacher"])
        writer.writerows(
            [
                ["2013学年第一学期", f"学生{i}", "三（2）班", f"第{i}位。", "王老师"]
                for i in range(4)
            ]
        )
    out = tmp_path / "all.pdf"
    result = CliRunner().invoke(main, ["batch", "term-comment", str(data), "-o", str(out)])
    assert 0 == result.exit_code, result.stderr
    assert out.is_file()
    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+4$", pages, re.MULTILINE), pages
    text = _pdftotext(out).replace(" ", "")
    assert all(f"第{i}位。" in text for i in range(4))
    assert 4 == text.count("—1—")  # page numbers restart for each record


@pytest.mark.libreoffice
def test_ctrl_c_during_the_pdf_stage_leaves_no_libreoffice_and_no_profile(soffice, tmp_path):
    data = tmp_path / "students.csv"
    with data.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["term", "student.name", "student.class", "comment", "teacher"])
        writer.writerows(
            [["2013学年第一学期", f"学生{i}", "三班", "好。", "王老师"] for i in range(400)]
        )
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    command = [
        sys.executable,
        "-m",
        "docgen",
        "batch",
        "term-comment",
        str(data),
        "-o",
        str(tmp_path / "out"),
        "--format",
        "pdf",
    ]
    batch = subprocess.Popen(
        command, env={**os.environ, "TMPDIR": str(scratch)}, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(scratch.glob("docgen-office-*/lane0/out/*")):
        time.sleep(0.05)  # LibreOffice is converting
    assert _processes_under(scratch)
    # still converting: 400 records are two LibreOffice starts, several seconds of work
    assert batch.poll() is None, "the batch ended before it could be interrupted"
    batch.send_signal(signal.SIGINT)
    _, stderr = batch.communicate(timeout=60)
    assert batch.returncode != 0
    assert b"Traceback" not in stderr
    time.sleep(0.3)
    assert [] == _processes_under(scratch)
    assert [] == list(scratch.iterdir())  # no profile, no drafts


# --- a batch whose PDF step fails: each record says why, with a pdf.* code (issue 19) ----------

_REFUSING = '''#!{python}
"""A stand-in soffice that can open nothing."""
import sys
print("Error: source file could not be loaded", file=sys.stderr)
'''


def _documented_codes():
    return set(
        re.findall(
            r"^\| `([a-z_]+\.[a-z_]+)` \|",
            (ROOT / "docs" / "errors.md").read_text(encoding="utf-8"),
            flags=re.MULTILINE,
        )
    )


@pytest.mark.parametrize("cause", ["missing", "refusing"])
def test_a_batch_whose_pdf_step_fails_gives_each_record_a_documented_pdf_code(
    tmp_path, monkeypatch, cause
):
    if cause == "missing":
        monkeypatch.setenv("DOCGEN_SOFFICE", str(tmp_path / "no-soffice-here"))
        code = "pdf.libreoffice_missing"
    else:
        program = tmp_path / "soffice"
        program.write_text(_REFUSING.replace("{python}", sys.executable))
        program.chmod(0o755)
        monkeypatch.setenv("DOCGEN_SOFFICE", str(program))
        code = "pdf.failed"
    reports = [docgen.Report("甲"), docgen.Report("乙")]
    results = docgen.render_many("work-summary", reports, tmp_path / "out", format="pdf")
    assert [(False, "pdf", code)] * 2 == [(r.ok, r.stage, r.code) for r in results]
    assert all(r.error.startswith(f"record {i + 1}: ") for i, r in enumerate(results))
    assert not list((tmp_path / "out").glob("*.pdf"))
    assert code in _documented_codes()

    records = tmp_path / "records.csv"
    records.write_text("title\n甲\n", encoding="utf-8")
    args = ["--lang", "zh", "batch", "work-summary", str(records), "-o", str(tmp_path / "cli")]
    result = CliRunner().invoke(main, [*args, "--format", "pdf"])
    assert 0 != result.exit_code
    assert "失败 1 份" in result.stderr, result.stderr


def test_every_pdf_code_is_in_docs_errors_md():
    import docgen.pdf  # noqa: PLC0415

    codes = {
        cls.default_code
        for cls in vars(docgen.pdf).values()
        if isinstance(cls, type) and issubclass(cls, docgen.DocgenError)
    }
    assert {"pdf.failed", "pdf.libreoffice_missing", "pdf.timeout"} <= codes
    assert codes <= _documented_codes()
