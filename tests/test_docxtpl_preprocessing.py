"""The part of docxtpl docgen relies on: ``patch_xml`` on an instance built without ``__init__``.

docgen/_docxtpl.py calls ``DocxTemplate.patch_xml`` on ``object.__new__(DocxTemplate)``, which
leans on two things docxtpl does not promise: that ``patch_xml`` never touches the instance, and
that ``__getattr__`` forwards unknown names to ``self.docx``.  pyproject.toml pins docxtpl to the
versions checked here; each case in tests/data/docxtpl/ is a tricky part (tags split across runs,
``{%p %}``/``{%tr %}``/``{%tc %}``/``{%r %}``, ``colspan``/``cellbg``/``vm``/``hm``, entities, curly
quotes, comments, escapes) with what docxtpl's preprocessing made of it.

After checking a new docxtpl by hand (docgen._docxtpl, docgen.postrender, the whole suite),
rewrite the expected outputs with ``python tests/test_docxtpl_preprocessing.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docxtpl
import pytest

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":  # run as a script: import docgen from this checkout
    sys.path.insert(0, str(ROOT))

from docgen import _docxtpl  # noqa: E402 - after the path set-up above

CASES = ROOT / "tests" / "data" / "docxtpl"
INPUTS = sorted(p for p in CASES.glob("*.xml") if not p.name.endswith(".expected.xml"))


def _expected(case: Path) -> Path:
    return case.with_name(case.stem + ".expected.xml")


def _changed(what: str) -> str:
    return (
        f"docxtpl {docxtpl.__version__} {what}. docgen calls docxtpl's patch_xml on an instance "
        "built without __init__: re-check docgen._docxtpl (and docgen.postrender) against this "
        "docxtpl before allowing it in pyproject.toml, then rewrite the expected outputs with "
        "`python tests/test_docxtpl_preprocessing.py`."
    )


def test_there_are_cases_each_with_its_expected_output():
    assert len(INPUTS) >= 7
    assert [] == [p.name for p in INPUTS if not _expected(p).exists()]


@pytest.mark.parametrize("case", INPUTS, ids=lambda p: p.stem)
def test_docxtpl_preprocesses_the_tricky_part_as_it_did(case: Path):
    expected = _expected(case).read_text(encoding="utf-8")
    actual = _docxtpl._patch_xml()(case.read_text(encoding="utf-8"))
    assert expected == actual, _changed(f"preprocesses tests/data/docxtpl/{case.name} differently")


def test_the_instance_without_a_document_fails_at_once_on_an_unknown_attribute():
    patch = _docxtpl._patch_xml()
    stateless = patch.__self__  # type: ignore[attr-defined]
    assert isinstance(stateless, docxtpl.DocxTemplate), _changed("changed DocxTemplate")
    with pytest.raises(AttributeError):
        stateless.no_such_attribute  # noqa: B018 - the lookup is the test


def test_patch_xml_reads_nothing_from_the_instance():
    """A second instance with no attributes at all gives the same output: nothing is read."""
    bare = object.__new__(docxtpl.DocxTemplate)
    bare.docx = None
    for case in INPUTS:
        source = case.read_text(encoding="utf-8")
        assert _docxtpl._patch_xml()(source) == bare.patch_xml(source), _changed(
            "reads the instance in patch_xml"
        )
    assert {"docx"} == set(vars(bare)), _changed("stores state on the instance in patch_xml")


if __name__ == "__main__":
    for case in INPUTS:
        out = _docxtpl._patch_xml()(case.read_text(encoding="utf-8"))
        _expected(case).write_text(out, encoding="utf-8")
        print(f"wrote {_expected(case).relative_to(ROOT)} (docxtpl {docxtpl.__version__})")
