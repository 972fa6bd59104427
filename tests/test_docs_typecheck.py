"""The documented examples pass ``mypy --strict``: what the docs call, the types accept.

Every Python example — the ```` ```python ```` blocks of ``README.md`` and ``docs/**/*.md``
(a ``>>>`` block by its statements), found as tests/test_docs_examples.py finds them, and the
scripts in ``examples/`` — is written to a folder as a module and checked in one mypy run,
with the project's own mypy settings (strict) against this checkout's ``docgen``.

* The blocks of a page share one module, as they share one namespace when the page runs; each
  sits at its page line, so mypy's line numbers are the page's.  A page reuses a name for a new
  example (``template`` a python-docx document, later a ``docgen.Template``), so redefinition
  is allowed.
* A ``<!-- no-test -->`` block is not run, so it gets a module of its own; the packages it
  needs and the test environment does not install (Flask, Django, Dask) are typed ``Any``,
  and so are decorators from them — docgen's part of the block is still checked.
"""

from __future__ import annotations

import ast
import doctest
import importlib.util
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import ROOT
from tests.docblocks import Block, blocks

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
SCRIPTS = sorted((ROOT / "examples").glob("*.py"))


@dataclass
class Source:
    """A module made of documented code: where each of its lines comes from."""

    origin: Path  # the page or script
    lines: list[str]
    blocks: list[Block] = field(default_factory=list)  # empty for a script
    untested: bool = False  # a <!-- no-test --> block

    def place(self, line: int) -> str:
        """``docs/faq.md:190 (block 7)``: the page line, and which Python block of it."""
        where = f"{self.origin.relative_to(ROOT)}:{line}"
        python = [b for b in blocks(self.origin) if b.kind in {"python", "doctest"}]
        for n, block in enumerate(python, 1):
            if block.line <= line < block.line + len(block.code.splitlines()):
                return f"{where} (block {n})"
        return where


def _code_lines(block: Block) -> list[tuple[int, str]]:
    """``(page line, code)`` for each line of a block: a doctest block by its statements."""
    if block.kind == "python":
        return [(block.line + i, ln) for i, ln in enumerate(block.code.splitlines())]
    return [
        (block.line + example.lineno + i, ln)
        for example in doctest.DocTestParser().get_examples(block.code)
        for i, ln in enumerate(example.source.splitlines())
    ]


def _place_lines(source: Source, block: Block) -> None:
    for line, code in _code_lines(block):
        source.lines[line - 1] = code
    source.blocks.append(block)


def sources() -> list[Source]:
    """The documented examples as modules, each line at the line it has in its page."""
    out: list[Source] = []
    for page in PAGES:
        length = len(page.read_text("utf-8").splitlines())
        shared = Source(page, [""] * length)
        for block in blocks(page):
            if block.kind not in {"python", "doctest"}:
                continue
            if block.no_test is None:
                _place_lines(shared, block)
            else:  # after the blocks before it, whose names it may use
                alone = Source(page, list(shared.lines), list(shared.blocks), untested=True)
                _place_lines(alone, block)
                out.append(alone)
        if shared.blocks:
            out.append(shared)
    out.extend(Source(s, s.read_text("utf-8").splitlines()) for s in SCRIPTS)
    return out


def _not_installed(source: Source) -> set[str]:
    """The top-level packages a block imports that are not installed here."""
    tree = ast.parse("\n".join(source.lines))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    tops = {name.split(".")[0] for name in names}
    return {top for top in tops if importlib.util.find_spec(top) is None}


def _ini(values: dict[str, object]) -> list[str]:
    def value(v: object) -> str:
        if isinstance(v, list):
            return ", ".join(map(str, v))
        return str(v)

    return [f"{k} = {value(v)}" for k, v in values.items()]


def mypy_config(modules: dict[str, Source]) -> str:
    """The project's mypy settings (pyproject.toml) for the example modules, as an INI file."""
    with (ROOT / "pyproject.toml").open("rb") as f:
        settings = dict(tomllib.load(f)["tool"]["mypy"])
    overrides = settings.pop("overrides", [])
    settings.pop("files", None)  # the modules are given instead
    settings["mypy_path"] = str(ROOT)  # this checkout's docgen, before any installed one
    lines = ["[mypy]", *_ini(settings)]
    # examples on one page reuse names (docgen itself is checked as `mypy docgen` checks it)
    lines += ["", f"[mypy-{','.join(modules)}]", "allow_redefinition = True"]
    for override in overrides:
        module = override["module"]
        names = module if isinstance(module, list) else [module]
        rest = {k: v for k, v in override.items() if k != "module"}
        lines += ["", f"[mypy-{','.join(names)}]", *_ini(rest)]
    missing = sorted({m for s in modules.values() if s.untested for m in _not_installed(s)})
    if missing:
        lines += ["", f"[mypy-{','.join(f'{m},{m}.*' for m in missing)}]"]
        lines += ["ignore_missing_imports = True"]
    untested = [name for name, s in modules.items() if s.untested]
    if untested:
        # their frameworks (Flask, Dask…) may be installed without type hints; calls into
        # docgen, which has them, are still checked
        lines += ["", f"[mypy-{','.join(untested)}]", "disallow_untyped_decorators = False"]
        lines += ["disallow_untyped_calls = False"]
    return "\n".join(lines) + "\n"


def _module_name(source: Source, n: int) -> str:
    stem = "".join(c if c.isalnum() else "_" for c in str(source.origin.relative_to(ROOT)))
    return f"example_{n}_{stem}"


def test_the_sources_hold_every_python_block_and_script():
    found = sources()
    assert SCRIPTS, "examples/*.py"
    assert {s.origin for s in found} >= {ROOT / "README.md", ROOT / "docs" / "model.md"}
    python = [b for p in PAGES for b in blocks(p) if b.kind in {"python", "doctest"}]
    assert set(python) == {b for s in found for b in s.blocks}


def test_the_documented_examples_pass_mypy_strict(tmp_path):
    folder = tmp_path / "examples"
    folder.mkdir()
    modules = {_module_name(s, n): s for n, s in enumerate(sources(), 1)}
    for name, source in modules.items():
        (folder / f"{name}.py").write_text("\n".join(source.lines) + "\n", "utf-8")
    config = tmp_path / "mypy.ini"
    config.write_text(mypy_config(modules), "utf-8")
    # One mypy run, in a process of its own: mypy run in this one (mypy.api.run) leaves it
    # changed — the recursion limit raised from 1000 to 16384, the collector's thresholds, the
    # environment — and a later test of docgen's nesting limits would pass or fail by order.
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(config),
            "--cache-dir",
            str(tmp_path / "cache"),
            "--no-error-summary",
            *sorted(str(p) for p in folder.glob("*.py")),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report, errors, status = check.stdout, check.stderr, check.returncode
    # Each error at its page line; once, though a block before a no-test one is in two modules.
    problems: dict[str, None] = {}
    for line in report.splitlines():
        path, _, rest = line.partition(":")
        number, _, message = rest.partition(":")
        name = Path(path).stem
        at_page = name in modules and number.isdigit()
        problems[f"{modules[name].place(int(number))}:{message}" if at_page else line] = None
    assert not errors, errors
    assert 0 == status, "the documented examples do not type-check:\n" + "\n".join(problems)
