"""The code in README.md runs as written, so the quick start cannot rot."""

from __future__ import annotations

import doctest
import re
import shutil

import docx

from tests.conftest import ROOT

README = ROOT / "README.md"


def test_readme_doctests_pass():
    result = doctest.testfile(
        str(README),
        module_relative=False,
        encoding="utf-8",
        optionflags=doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 0
    assert 0 == result.failed


def test_readme_python_blocks_run_and_write_the_document(tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text("utf-8"), re.DOTALL)
    runnable = [b for b in blocks if not b.lstrip().startswith(">>>")]
    assert runnable
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    for block in runnable:
        exec(compile(block, str(README), "exec"), {})
    document = docx.Document(str(tmp_path / "summary.docx"))
    assert "2013学年第一学期党支部工作小结（初稿）" == document.paragraphs[0].text
