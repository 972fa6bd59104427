"""Every example in docs/ runs, so the documentation cannot rot.

For each page ``docs/**/*.md``, in a fresh working folder holding a copy of ``examples/`` and the
files the pages call "yours" (see :func:`workdir`), in page order and sharing one namespace:

* a ```` ```python ```` block is executed; one starting with ``>>>`` (and any ```` ```pycon ````
  block) is run with doctest;
* a ```` ```sh ```` block whose first command starts with ``docgen `` is run line by line through
  click's ``CliRunner`` against ``docgen.cli.main``; ``cat FILE |``, ``docgen … | docgen …``,
  ``< FILE`` and ``> FILE`` are understood; every command must exit 0, or the code its comment
  names (``# … exit 1``); commands writing PDF or reading ``.doc`` need LibreOffice and are
  left out where it is not installed (unless ``DOCGEN_REQUIRE_LIBREOFFICE`` is set), as are
  Python blocks making PDFs (``format="pdf"``, ``.to_pdf(``);
* a block right after a ``<!-- no-test: reason -->`` line is not run (Python ones are still
  compiled) — for code needing what the test environment does not have (Flask, Django, Dask);
  a page whose Python needs an optional extra that is not installed (``docgen[web]``) is
  skipped from that block on; a command that runs until stopped (``docgen serve``) is run with
  ``--help`` appended, so its options are checked.

The tables of ``docs/conventions.md`` headed ``调用 / call | 结果 / result`` are checked too: each
call gives the documented result (its ``str`` or ``repr``), or raises the documented error.
"""

from __future__ import annotations

import csv
import doctest
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import warnings
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

import docgen
from docgen import cn
from docgen.cli import main
from tests.conftest import EXAMPLE_TEXT, EXAMPLE_YAML, ROOT
from tests.docblocks import Block, blocks

DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md"))

# Commands the docs describe before the CLI has them; skipped while missing, run once wired.
PENDING_COMMANDS = {"serve"}
# Commands that run until stopped: checked with --help appended (the options must exist).
LONG_RUNNING = {"serve"}
# At most this many blocks may be marked <!-- no-test -->: marks are for what cannot run here.
MAX_NO_TEST = 8
# Arguments that make a command need LibreOffice.
OFFICE_SUFFIXES = (".pdf", ".doc", ".rtf", ".odt", ".wps")
# Python that makes PDFs (render_many(format="pdf"), Document.to_pdf()) needs LibreOffice.
_OFFICE_PYTHON = re.compile(r"""format=["']pdfa?["']|\.to_pdf\(""")

ALL_BLOCKS = [b for page in PAGES for b in blocks(page)]
RUN_PAGES = [p for p in PAGES if any(b.kind and b.no_test is None for b in blocks(p))]


# --- the working folder -------------------------------------------------------------------


def _soffice_available() -> bool:
    if shutil.which("soffice") or shutil.which("libreoffice"):
        return True
    if os.environ.get("DOCGEN_REQUIRE_LIBREOFFICE"):
        pytest.fail("LibreOffice (soffice) is required here but not on PATH")
    return False


def workdir(path: Path) -> Path:
    """A folder like a user's: docgen's ``examples/`` and the files the docs call "yours".

    ``summary.yaml`` / ``data.yaml`` / ``summary.json`` — a report (the example summary);
    ``小结.txt`` — the same summary as pasted text; ``one-student.yaml`` — one 学期评语;
    ``students.csv`` / ``students.xlsx`` — a class list; ``logo.png`` — a school badge;
    ``bad.yaml`` — a data file with a typo; ``old-summary.doc`` — a Word 97 file (made
    through LibreOffice when a page needs it).
    """
    shutil.copytree(ROOT / "examples", path / "examples")
    shutil.copy(EXAMPLE_YAML, path / "summary.yaml")
    shutil.copy(EXAMPLE_YAML, path / "data.yaml")
    report = docgen.load_report(EXAMPLE_YAML)
    (path / "summary.json").write_text(docgen.dump_report(report, "json"), "utf-8")
    (path / "bad.yaml").write_text("title: 工作小结\nsectoins: []\n", "utf-8")
    shutil.copy(EXAMPLE_TEXT, path / "小结.txt")
    shutil.copy(DOCS / "img" / "logo.png", path / "logo.png")
    shutil.copy(ROOT / "examples" / "term-comments.csv", path / "students.csv")
    with (path / "students.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    (path / "one-student.yaml").write_text(
        "student: {name: 张小明, class: 三（2）班}\n"
        "comment: 你是一个懂事的孩子，上课专心听讲。\n"
        "teacher: 王老师\nterm: 2013学年第一学期\nschool: 徐汇区东二小学\ndate: '2014-01-20'\n",
        "utf-8",
    )
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path / "students.xlsx")
    return path


def _old_doc(path: Path) -> None:
    """``old-summary.doc``: the example summary saved as Word 97 by LibreOffice."""
    docx = path / "old-summary.docx"
    docx.write_bytes(docgen.render(docgen.load_report(EXAMPLE_YAML)).to_bytes())
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None
    profile = f"-env:UserInstallation=file://{path}/.lo-profile"
    command = [soffice, "--headless", profile, "--convert-to", "doc", "--outdir", str(path)]
    subprocess.run([*command, str(docx)], check=True, capture_output=True, timeout=180)
    docx.unlink()
    shutil.rmtree(path / ".lo-profile", ignore_errors=True)


# --- running blocks -----------------------------------------------------------------------


def _run_python(block: Block, namespace: dict[str, Any]) -> None:
    # Padding keeps the page's line numbers in tracebacks.
    code = compile("\n" * (block.line - 1) + block.code, str(block.page), "exec")
    exec(code, namespace)  # the docs' own examples


def _run_doctest(block: Block, namespace: dict[str, Any]) -> None:
    test = doctest.DocTestParser().get_doctest(
        block.code, namespace, str(block), str(block.page), block.line - 1
    )
    out = io.StringIO()
    runner = doctest.DocTestRunner(
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS, verbose=False
    )
    result = runner.run(test, out=out.write, clear_globs=False)
    namespace.update(test.globs)  # DocTest works on a copy; later blocks see its names
    assert test.examples, f"{block}: a doctest block without examples"
    assert 0 == result.failed, f"{block}: doctest failed\n{out.getvalue()}"


def _missing_module(exc: ImportError) -> str | None:
    """The third-party module an ImportError says is missing (directly or as its cause)."""
    for error in (exc, exc.__cause__):
        if isinstance(error, ModuleNotFoundError) and error.name:
            return None if error.name.split(".")[0] == "docgen" else error.name
    return None


_COMMENT = re.compile(r"(?:^|\s)#(?P<comment>.*)$")
_EXIT = re.compile(r"\bexit (?P<code>\d+)\b")


def _commands(code: str) -> list[tuple[str, int]]:
    """A shell block's commands, each with the exit code it expects (``# … exit 1``: 1).

    Continuation lines are joined; comments and blank lines are dropped.
    """
    out = []
    for line in re.sub(r"\\\n", " ", code).splitlines():
        comment = _COMMENT.search(line)
        command = line[: comment.start()] if comment else line
        expected = _EXIT.search(comment["comment"]) if comment else None
        if command.strip():
            out.append((command.strip(), int(expected["code"]) if expected else 0))
    return out


def _run_cli(block: Block, cwd: Path) -> None:
    runner = CliRunner()
    for command, expected_exit in _commands(block.code):
        lexer = shlex.shlex(command, posix=True, punctuation_chars="|<>")
        lexer.whitespace_split = True
        tokens = list(lexer)
        redirect: dict[str, str] = {}  # "<" and ">": the files read and written
        for op in ("<", ">"):
            if op in tokens:
                at = tokens.index(op)
                redirect[op] = tokens[at + 1]
                del tokens[at : at + 2]
        stages: list[list[str]] = [[]]
        for token in tokens:
            if token == "|":
                stages.append([])
            else:
                stages[-1].append(token)
        args = [a for stage in stages for a in stage]
        if any(a.lower().endswith(OFFICE_SUFFIXES) or a in {"--pdf", "--pdfa"} for a in args):
            if not _soffice_available():
                continue
            if "old-summary.doc" in args and not (cwd / "old-summary.doc").exists():
                _old_doc(cwd)
        data = (cwd / redirect["<"]).read_bytes() if "<" in redirect else None
        for n, stage in enumerate(stages):
            name, *rest = stage
            if name == "cat":
                data = b"".join((cwd / f).read_bytes() for f in rest)
                continue
            assert name == "docgen", f"{block}: `{command}`: only cat and docgen run in docs"
            sub = next((a for a in rest if a in main.commands or a in PENDING_COMMANDS), "")
            if sub in PENDING_COMMANDS and sub not in main.commands:
                break
            if sub in LONG_RUNNING:
                rest = [*rest, "--help"]
            result = runner.invoke(main, rest, input=data)
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                raise result.exception
            want = expected_exit if n == len(stages) - 1 else 0
            assert want == result.exit_code, (
                f"{block}: `{command}` exited {result.exit_code}\n{result.stderr}"
            )
            data = result.stdout_bytes
        else:
            if ">" in redirect:
                (cwd / redirect[">"]).write_bytes(data or b"")


@pytest.mark.parametrize("page", RUN_PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cwd = workdir(tmp_path)
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("DOCGEN_TEMPLATE_PATH", raising=False)
    # A block runs as a script in the working folder would.
    namespace: dict[str, Any] = {"__name__": "__docs__", "__file__": str(cwd / "example.py")}
    ran = 0
    with warnings.catch_warnings():
        # What docgen changed in the data to keep a document valid; the docs show it on purpose.
        warnings.simplefilter("ignore", docgen.DocgenWarning)
        for block in blocks(page):
            if block.no_test is not None or block.kind is None:
                continue
            if block.kind == "python":
                if _OFFICE_PYTHON.search(block.code) and not _soffice_available():
                    continue  # makes PDFs: left out where LibreOffice is not installed
                try:
                    _run_python(block, namespace)
                except ImportError as exc:
                    missing = _missing_module(exc)
                    if missing is None:
                        raise
                    # an optional extra (docgen[web]…) not installed: the rest of the page waits
                    pytest.skip(f"{block}: needs {missing}, which is not installed")
            elif block.kind == "doctest":
                _run_doctest(block, namespace)
            else:
                _run_cli(block, cwd)
            ran += 1
    assert ran > 0


def test_blocks_not_run_still_compile() -> None:
    marked = [b for b in ALL_BLOCKS if b.no_test is not None]
    assert len(marked) <= MAX_NO_TEST, "keep <!-- no-test --> rare: " + ", ".join(map(str, marked))
    for block in marked:
        assert block.no_test, f"{block}: say why it cannot run: <!-- no-test: reason -->"
        if block.lang in {"python", "py"}:
            compile(block.code, str(block), "exec")


def test_the_fence_parser_finds_every_kind_of_block() -> None:
    assert any(b.kind == "python" for b in ALL_BLOCKS)
    assert any(b.kind == "cli" for b in ALL_BLOCKS)
    assert any(b.kind == "doctest" for b in ALL_BLOCKS)


# --- the call/result tables of conventions.md ---------------------------------------------

_CALL_TABLE = re.compile(r"^\|\s*调用 / call\s*\|\s*结果 / result\s*\|")
_CELLS = re.compile(r"(?<!\\)\|")


def _call_rows() -> list[tuple[int, str, str]]:
    rows = []
    in_table = False
    for n, line in enumerate((DOCS / "conventions.md").read_text("utf-8").splitlines(), 1):
        if _CALL_TABLE.match(line):
            in_table = True
            continue
        if not line.startswith("|"):
            in_table = False
        if not in_table or set(line) <= set("|-: "):
            continue
        cells = [c.strip().replace("\\|", "|") for c in _CELLS.split(line)[1:-1]]
        call, result = cells[0], cells[1]
        if call.startswith("`") and call.endswith("`") and result.startswith("`"):
            rows.append((n, call.strip("`"), result.strip("`")))
    return rows


CALL_ROWS = _call_rows()
_CALL_NAMES: dict[str, Any] = {
    "c": cn,
    "date": date,
    "datetime": datetime,
    "Decimal": Decimal,
    **{name: getattr(cn, name) for name in cn.__all__},
}


def test_conventions_tables_were_found() -> None:
    assert len(CALL_ROWS) > 100


@pytest.mark.parametrize(
    ("line", "call", "expected"), CALL_ROWS, ids=[f"L{r[0]}" for r in CALL_ROWS]
)
def test_conventions_table_row(line: int, call: str, expected: str) -> None:
    error = getattr(docgen.errors, expected, None)
    if isinstance(error, type) and issubclass(error, Exception):
        with pytest.raises(error):
            eval(call, dict(_CALL_NAMES))  # the page's own examples
        return
    value = eval(call, dict(_CALL_NAMES))
    assert expected in {str(value), repr(value)}, f"conventions.md:{line}: {call} → {value!r}"


def test_the_example_script_run_twice_says_what_to_do_instead_of_a_traceback(tmp_path):
    script = ROOT / "examples" / "party_branch_summary.py"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = [sys.executable, str(script)]
    options = {"cwd": tmp_path, "capture_output": True, "text": True, "env": env, "check": False}
    first = subprocess.run(run, **options)  # noqa: PLW1510 - check is in options
    assert 0 == first.returncode, first.stderr
    second = subprocess.run(run, **options)  # noqa: PLW1510
    assert 1 == second.returncode
    assert "Traceback" not in second.stderr
    assert "party-branch-summary.docx: already exists" in second.stderr
    assert "--overwrite" in second.stderr
    again = [*run, "--overwrite"]
    third = subprocess.run(
        again, cwd=tmp_path, capture_output=True, text=True, env=env, check=False
    )
    assert 0 == third.returncode
