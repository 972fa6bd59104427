#!/usr/bin/env python3
"""The two quick-start commands, with nothing but Python 3.10+ and pip.

    python3 tasks.py example   # set up .venv and render the example summary to .docx
    python3 tasks.py test      # set up .venv and run the whole test suite
    python3 tasks.py lint      # ruff and mypy (run by .ci/run after the tests)
    python3 tasks.py min-deps  # the oldest dependency versions pyproject.toml allows, in
                               # .venv-min, and a smoke subset of the tests (run by .ci/run)
    python3 tasks.py translations  # extract the messages (pyproject's [tool.babel]), update
                               # docgen/locale/zh/.../docgen.po, compile its .mo

Each command creates ``.venv`` on first use and (re)installs docgen with its test extras
whenever ``pyproject.toml`` changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
EXAMPLE = ROOT / "examples" / "party-branch-summary.yaml"
OUTPUT = ROOT / "party-branch-summary.docx"


def run(*cmd: str | os.PathLike[str]) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    code = subprocess.call([str(c) for c in cmd], cwd=ROOT)
    if code:
        sys.exit(code)


def setup() -> None:
    """Create .venv and install docgen (editable) with its test extras when needed."""
    if sys.version_info < (3, 10):
        sys.exit(f"docgen needs Python 3.10 or newer; this is {sys.version.split()[0]}")
    if not PY.exists():
        print(f"creating {VENV.name}/", flush=True)
        venv.create(VENV, with_pip=True)
    stamp = VENV / ".docgen-installed"
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == want:
        return
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", ".[test,web]")
    stamp.write_text(want)


def example() -> None:
    setup()
    run(BIN / "docgen", "render", EXAMPLE.relative_to(ROOT), "-o", OUTPUT.name, "--overwrite")
    print(f"open {OUTPUT} in Word, WPS or LibreOffice")


def test() -> None:
    setup()
    run(PY, "-m", "pytest", *sys.argv[2:])


# Fast tests that cover rendering, the command line, batches, templates, importers and the
# web API; the openxml-audit tests are left out (openxml-audit needs a newer lxml than ours).
MIN_DEPS_TESTS = [
    "tests/test_render.py",
    "tests/test_cli.py",
    "tests/test_batch.py",
    "tests/test_inspect.py",
    "tests/test_contract_explicit_loops.py",
    "tests/test_contract_plain_templates.py",
    "tests/test_contract_starters.py",
    "tests/test_contract_which_template.py",
    "tests/test_loaders.py",
    "tests/test_errors.py",
    "tests/test_tables.py",
    "tests/test_postrender.py",
    "tests/test_importers.py",
    "tests/test_web.py",
    "tests/test_docxtpl_preprocessing.py",
    "docgen",
]


def min_deps() -> None:
    """The runtime and web dependencies at their lowest allowed versions, in .venv-min."""
    setup()  # .venv has packaging, which tools/min_deps.py reads the requirements with
    env_dir = ROOT / ".venv-min"
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    if not python.exists():
        print(f"creating {env_dir.name}/", flush=True)
        venv.create(env_dir, with_pip=True)
    pins = subprocess.run(
        [str(PY), "tools/min_deps.py", "--extra", "web"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    constraints = env_dir / "constraints.txt"
    constraints.write_text(pins)
    print(pins, end="", flush=True)
    run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    # the test tools are not pinned; the constraints keep them from lifting docgen's own
    # dependencies (hypothesis needs attrs) above their minimum
    tools = ["pytest", "hypothesis", "httpx"]
    run(python, "-m", "pip", "install", "--quiet", "-c", constraints, ".[web]", *tools)
    run(python, "-m", "pip", "check")
    marks = "not libreoffice and not slow and not audit"
    run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", marks, *MIN_DEPS_TESTS)


def lint() -> None:
    setup()
    run(PY, "-m", "ruff", "check", ".")
    run(PY, "-m", "ruff", "format", "--check", ".")
    run(PY, "-m", "mypy")


POT = "docgen/locale/docgen.pot"


def translations() -> None:
    """Extract docgen's messages, merge them into the Chinese catalog, compile it.

    Translate the new (empty) msgstr entries in docgen/locale/zh/LC_MESSAGES/docgen.po and
    run it again: tests/test_i18n.py fails while a message has no Chinese.
    """
    setup()
    pybabel = BIN / ("pybabel.exe" if os.name == "nt" else "pybabel")
    run(
        pybabel,
        "extract",
        "-F",
        "pyproject.toml",
        "--sort-by-file",
        "--omit-header",
        "--no-wrap",
        "-o",
        POT,
        "docgen",
    )
    run(
        pybabel,
        "update",
        "-i",
        POT,
        "-d",
        "docgen/locale",
        "-D",
        "docgen",
        "-l",
        "zh",
        "--no-wrap",
        "--ignore-obsolete",
        "--ignore-pot-creation-date",
    )
    run(pybabel, "compile", "-d", "docgen/locale", "-D", "docgen", "-l", "zh", "--statistics")
    # click's own messages (docgen/cli/clicktext.py): translated by hand, only compiled here
    run(pybabel, "compile", "-d", "docgen/locale", "-D", "click", "-l", "zh", "--statistics")


COMMANDS = {
    "example": example,
    "test": test,
    "lint": lint,
    "min-deps": min_deps,
    "translations": translations,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        sys.exit(2)
    COMMANDS[sys.argv[1]]()
