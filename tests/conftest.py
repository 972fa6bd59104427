"""Shared fixtures: reopening rendered documents and building small templates."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from hypothesis import settings

from tools.build_templates import build_docx, paragraph, read_manifest

# No time limit per Hypothesis example: a deadline is a timing assertion, and on a shared 2-core
# CI machine a busy moment (LibreOffice converting in the next test) fails a correct example.
settings.register_profile("docgen", deadline=None)
settings.load_profile("docgen")

ROOT = Path(__file__).resolve().parent.parent

# Compiled templates go to a cache folder of the test run's own (inherited by the processes
# tests start), never to the user's ~/.cache/docgen.
if "DOCGEN_CACHE_DIR" not in os.environ:
    import tempfile

    os.environ["DOCGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="docgen-test-cache-")
EXAMPLE_TEXT = ROOT / "tests" / "data" / "party-branch-summary-2013.txt"
EXAMPLE_YAML = ROOT / "examples" / "party-branch-summary.yaml"


def texts(data: bytes) -> list[str]:
    """The visible text of every body paragraph, in order, empty ones left out."""
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text.strip()]


def part(data: bytes, name: str) -> str:
    """One part of a package as text."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name).decode("utf-8")


def soffice_convert(
    soffice: str,
    *sources: Path | str,
    out_dir: Path,
    to: str = "pdf",
    env: dict[str, str] | None = None,
) -> None:
    """Convert *sources* with LibreOffice into *out_dir*, with a profile of their own there."""
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={(out_dir / 'lo-profile').as_uri()}",
            "--convert-to",
            to,
            "--outdir",
            str(out_dir),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env=env,
    )


@pytest.fixture
def make_template(tmp_path: Path) -> Callable[..., Path]:
    """Build a template .docx in the work-summary styles from (style, text) paragraphs."""
    fonts = read_manifest("work-summary")["fonts"]
    count = 0

    def make(*paragraphs: tuple[str, str], footer: str | None = None) -> Path:
        nonlocal count
        count += 1
        body = "".join(
            paragraph(style, text, fonts["body"], faces=True) for style, text in paragraphs
        )
        data = build_docx({"name": f"t{count}", "fonts": fonts}, body)
        if footer is not None:
            buf = io.BytesIO()
            with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
                for info in src.infolist():
                    content = src.read(info)
                    if info.filename == "word/footer1.xml":
                        content = re.sub(
                            rb"<w:p>.*</w:p>", paragraph("Footer", footer).encode(), content
                        )
                    dst.writestr(info, content)
            data = buf.getvalue()
        path = tmp_path / f"template{count}.docx"
        path.write_bytes(data)
        return path

    return make


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """docgen's messages in Chinese, as under ``LANG=zh_CN.UTF-8``: the library, the command
    line (without ``--lang``) and the web API (without ``Accept-Language``) all follow it."""
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")


@pytest.fixture(scope="session")
def soffice() -> str:
    """The LibreOffice binary; these tests are skipped only where it is not installed and
    DOCGEN_REQUIRE_LIBREOFFICE is unset (``.ci/run`` installs it and sets the variable)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("DOCGEN_REQUIRE_LIBREOFFICE"):
        pytest.fail("LibreOffice (soffice) is required here but not on PATH")
    pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    raise AssertionError  # unreachable; pytest.skip raises
