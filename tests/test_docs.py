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


def test_docs_send_free_text_to_curl_with_form_string():
    # curl cuts an -F value at its first ";" (its own ;type= syntax): free text would be lost
    for page in [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]:
        text = page.read_text(encoding="utf-8")
        assert re.search(r"^\s*curl\b.*\s-F\s+['\"]?text=", text, re.MULTILINE) is None, page.name
        assert "-OJ" not in re.sub(r"`curl -OJ`", "", text), page.name
