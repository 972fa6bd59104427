"""The built wheel carries the built-in templates: installed outside the source tree, it renders.

Its version is the one in pyproject.toml, and docgen reports that same version.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import venv
import zipfile
from email.parser import HeaderParser
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_the_installed_wheel_renders_the_built_in_template(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    wheel = next(dist.glob("docgen_cn-*.whl"))
    with zipfile.ZipFile(wheel) as zf:  # the Chinese messages, compiled (docgen.i18n)
        assert "docgen/locale/zh/LC_MESSAGES/docgen.mo" in zf.namelist()
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    # The dependencies come from this environment (a path line in a .pth file, read after the
    # venv's own site-packages); the wheel itself is installed in the new venv.
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(purelib, "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
        check=True,
        timeout=300,
    )
    script = (
        "import docgen, pathlib, sys\n"
        "assert pathlib.Path(docgen.__file__).is_relative_to(sys.prefix), docgen.__file__\n"
        "r = docgen.Report('题', sections=[docgen.Section('一节', blocks=['正文'])])\n"
        "doc = docgen.render(r, 'work-summary')\n"
        "pathlib.Path('out.docx').write_bytes(doc.to_bytes())\n"
        "print(docgen.Template.load('work-summary').source)\n"
        "from docgen.i18n import _, use_language\n"
        "with use_language('zh'):\n"
        "    assert _('found {found}', found='x') == '实际为x'\n"
    )
    out = subprocess.run(
        [str(python), "-c", script],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "_builtin_templates" in out.stdout
    assert Path(out.stdout.strip()).is_relative_to(env_dir)
    assert (tmp_path / "out.docx").stat().st_size > 5000

    # one version everywhere: pyproject.toml → the wheel's metadata → docgen.__version__ and
    # `docgen --version` of the installed package
    with zipfile.ZipFile(wheel) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = HeaderParser().parsestr(zf.read(name).decode("utf-8"))
    declared = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert declared is not None
    assert declared.group(1) == metadata["Version"]
    assert f"docgen_cn-{metadata['Version']}-" in wheel.name
    imported = subprocess.run(
        [str(python), "-c", "import docgen; print(docgen.__version__)"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    command = subprocess.run(
        [str(bindir / "docgen"), "--version"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    assert metadata["Version"] == imported
    assert f"docgen, version {metadata['Version']}" == command
