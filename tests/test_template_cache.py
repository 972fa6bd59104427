"""Compiled templates kept on disk between processes (docgen.template_cache)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import docgen
import docgen.template
from docgen import template_cache
from examples.party_branch_summary import build_report
from tests.conftest import ROOT, texts

WORK_SUMMARY = ROOT / "templates" / "work-summary"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(folder))
    monkeypatch.setattr(docgen.template, "_CACHE", {})  # nothing compiled in this process yet
    return folder


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.docgen-template")) if folder.exists() else []


def _load_in_new_process(folder: Path, template: str) -> str:
    code = (
        "import sys, docgen; docgen.Template.load(sys.argv[1]); "
        "print('compiled' if 'docxtpl' in sys.modules else 'from the cache')"
    )
    env = {"DOCGEN_CACHE_DIR": str(folder), "PATH": "", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code, template],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return out.stdout.strip()


def test_a_template_compiled_by_one_process_is_read_by_the_next(cache: Path) -> None:
    assert "compiled" == _load_in_new_process(cache, "work-summary")
    assert 1 == len(_entries(cache))
    assert "from the cache" == _load_in_new_process(cache, "work-summary")


def test_a_cached_template_renders_the_same_bytes_as_a_fresh_compile(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = build_report()
    docgen.Template.load("work-summary")  # compiled, and written to the cache
    monkeypatch.setattr(docgen.template, "_CACHE", {})
    cached = docgen.Template.load("work-summary")
    assert 1 == len(_entries(cache))
    assert all(part.code is not None for part in cached.compiled.values())
    monkeypatch.setenv("DOCGEN_CACHE_DIR", "off")
    monkeypatch.setattr(docgen.template, "_CACHE", {})
    fresh = docgen.Template.load("work-summary")
    assert fresh is not cached
    assert docgen.render(report, fresh).to_bytes() == docgen.render(report, cached).to_bytes()


def test_a_damaged_entry_is_compiled_again_and_replaced(cache: Path, monkeypatch) -> None:
    docgen.Template.load("work-summary")
    (entry,) = _entries(cache)
    entry.write_bytes(b"not a pickle")
    monkeypatch.setattr(docgen.template, "_CACHE", {})
    tpl = docgen.Template.load("work-summary")
    assert ["小结"] == texts(docgen.render(docgen.Report("小结"), tpl).to_bytes())
    assert entry.read_bytes() != b"not a pickle"


def test_a_changed_manifest_is_compiled_again(cache: Path, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "mine"
    shutil.copytree(WORK_SUMMARY, folder)
    docgen.Template.load(folder)
    toml = folder / "template.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    monkeypatch.setattr(docgen.template, "_CACHE", {})
    docgen.Template.load(folder)
    assert 2 == len(_entries(cache))


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_CACHE_DIR", "off")
    monkeypatch.setattr(docgen.template, "_CACHE", {})
    assert template_cache.cache_dir() is None
    docgen.Template.load("work-summary")
    assert not list(tmp_path.iterdir())


def test_a_folder_that_cannot_be_written_is_skipped(tmp_path: Path, monkeypatch) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(blocked / "cache"))
    monkeypatch.setattr(docgen.template, "_CACHE", {})
    assert docgen.render(docgen.Report("题"), "work-summary").to_bytes()[:2] == b"PK"


def test_the_cache_keeps_at_most_max_entries(cache: Path, monkeypatch) -> None:
    monkeypatch.setattr(template_cache, "MAX_ENTRIES", 2)
    for n in range(4):
        template_cache.write_entry(f"key{n}", n)
    assert 2 == len(_entries(cache))
    assert 3 == template_cache.read_entry("key3")
    assert template_cache.read_entry("key0") is None
