"""The sdist is complete: installed with pip, its own tests pass against the installed package.

A packager (a Linux distribution, conda-forge) builds from the sdist and runs its tests.  This
builds the sdist with the build backend's own hook, installs it in a new venv (the dependencies
come from this environment), removes the unpacked ``docgen/`` so that every import reaches the
installed package, and runs a subset of the unpacked tests that needs no LibreOffice.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

# Fast, and together they read every folder the sdist must carry: templates/, examples/,
# tools/, docs/, tests/data/, README.md, LICENSE, CHANGELOG.md, pyproject.toml, mkdocs.yml.
SUBSET = [
    "tests/test_render.py",
    "tests/test_builtin_templates.py",
    "tests/test_contract_starters.py",
    "tests/test_docs.py",
    "tests/test_importers.py",
    "tests/test_inspect.py",
    "tests/test_loaders.py",
    "tests/test_publishing.py",
    "tests/test_docxtpl_preprocessing.py",
]
MARKS = "not libreoffice and not slow"


def _build_sdist(out: Path) -> Path:
    backend = "import hatchling.build as b, sys; print(b.build_sdist(sys.argv[1]))"
    name = subprocess.run(
        [sys.executable, "-c", backend, str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.strip()
    return out / name


def test_the_sdist_installs_and_its_tests_pass_against_the_installed_package(tmp_path):
    sdist = _build_sdist(tmp_path / "dist")
    with tarfile.open(sdist) as tar:
        names = tar.getnames()
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # 3.10.12+
        tar.extractall(tmp_path / "unpacked", **safe)
    (top,) = {n.split("/", 1)[0] for n in names}
    source = tmp_path / "unpacked" / top
    for needed in ["LICENSE", "CHANGELOG.md", "README.md", "docs", "templates", "tests", "tools"]:
        assert (source / needed).exists(), f"the sdist has no {needed}"
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # the dependencies (and hatchling, to build the wheel) from this environment
    Path(purelib, "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", sdist],
        check=True,
        timeout=300,
    )
    shutil.rmtree(source / "docgen")  # every `import docgen` now reaches the installed one
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTEST_ADDOPTS"}}
    out = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", "-m", MARKS, *SUBSET],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert 0 == out.returncode, out.stdout[-4000:] + out.stderr[-2000:]
    passed = re.search(r"(\d+) passed", out.stdout)
    assert passed is not None
    assert int(passed.group(1)) > 300, out.stdout[-2000:]
    located = subprocess.run(
        [str(python), "-c", "import docgen; print(docgen.__file__)"],
        cwd=source,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert Path(located).is_relative_to(env_dir)
