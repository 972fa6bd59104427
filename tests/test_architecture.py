"""The shape of the code (docs/architecture.md): layers, no cycles, small modules.

Read from the source with :mod:`ast`, so a new import that breaks a rule fails here with the
module and the import named, before anyone has to find it by reading.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import docgen

PACKAGE = Path(docgen.__file__).parent

# The layers, lowest first: a module may import from its own layer or a lower one, never from a
# higher one (docs/architecture.md draws them).
LAYERS: dict[str, int] = {
    "docgen.errors": 0,
    "docgen.i18n": 0,
    "docgen._version": 0,
    "docgen.limits": 0,
    "docgen.cn": 1,
    "docgen.model": 2,
    "docgen.ooxml": 2,
    "docgen.zipout": 2,
    "docgen.opc": 2,
    "docgen.files": 2,
    "docgen.registry": 2,
    "docgen.filters": 2,
    "docgen.pdf": 3,
    "docgen.converter": 3,
    "docgen.fontmap": 3,
    "docgen.template_cache": 2,
    "docgen.processes": 2,
    "docgen.links": 3,
    "docgen.tablewidths": 3,
    "docgen.manifest": 3,
    "docgen.sandbox": 3,
    "docgen.environment": 3,
    "docgen.values": 3,
    "docgen.body": 3,
    "docgen.pictures": 3,
    "docgen.listnumbering": 3,
    "docgen.tables": 3,
    "docgen.postrender": 3,
    "docgen.context": 3,
    "docgen._docxtpl": 3,
    "docgen.loaders": 3,
    "docgen.records": 3,
    "docgen.template": 4,
    "docgen.rendering": 5,
    "docgen.batch": 6,
    "docgen.outputs": 5,
    "docgen.printing": 6,
    "docgen.combining": 6,
    "docgen.importers": 6,
    "docgen.inspect": 6,
    "docgen.checking": 6,
    "docgen.fixing": 6,
    "docgen.starter": 6,
    "docgen.cli": 7,
    "docgen.web": 7,
    "docgen.__main__": 8,
    "docgen": 8,  # the public face re-exports everything
}
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _unit(module: str) -> str:
    """The layer entry a module belongs to (``docgen.cn.dates`` → ``docgen.cn``)."""
    for depth in (2, 1):
        candidate = ".".join(module.split(".")[:depth])
        if candidate in LAYERS:
            return candidate
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and docs/architecture.md")


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.If) and top_level_only:  # `if TYPE_CHECKING:` holds no import
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "docgen":
                found.update(f"docgen.{a.name}" for a in node.names)
            elif node.module.startswith("docgen."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("docgen"))
    modules = _modules()
    return {name for name in found if name in modules}


def test_every_module_belongs_to_a_layer() -> None:
    for module in _modules():
        _unit(module)


def test_no_module_imports_from_a_higher_layer() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, path in _modules().items()
        for target in _imports(path, top_level_only=False)
        if LAYERS[_unit(target)] > LAYERS[_unit(module)]
    ]
    assert [] == wrong


def test_there_is_no_import_cycle() -> None:
    graph = {m: _imports(p, top_level_only=True) for m, p in _modules().items()}
    cycles = []
    for start in graph:
        stack, seen = [(start, (start,))], set()
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start and len(path) > 1:
                    cycles.append(" → ".join((*path, start)))
                elif nxt not in seen and nxt not in path:
                    seen.add(nxt)
                    stack.append((nxt, (*path, nxt)))
    assert [] == cycles


@pytest.mark.parametrize("module", sorted(_modules()))
def test_no_module_is_longer_than_600_lines(module: str) -> None:
    lines = _modules()[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines: split it by concern"


def test_the_public_api_names_no_engine_internals() -> None:
    internals = {"Manifest", "CompiledPart", "Sandbox", "BodyWriter", "TimeUp", "finish_part"}
    assert set() == internals & set(docgen.__all__)
    for name in docgen.__all__:  # every public name resolves, lazily or not
        assert getattr(docgen, name) is not None


def test_importing_docgen_loads_no_engine_module() -> None:
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    code = "import sys, docgen; print(sorted(m for m in sys.modules if m.startswith('docgen')))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "['docgen']" == out.strip()


def test_the_render_function_stays_a_function_whoever_imports_the_module_first() -> None:
    import importlib  # noqa: PLC0415

    importlib.import_module("docgen.rendering")
    assert callable(docgen.render)
    assert docgen.render is importlib.import_module("docgen.rendering").render


def test_layers_table_lists_only_real_modules() -> None:
    assert set(LAYERS) == {_unit(m) for m in _modules()}
