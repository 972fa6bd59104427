"""What a package index shows of docgen, and the metadata behind it."""

from __future__ import annotations

import re
import sys

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from tests.conftest import ROOT
from tools.min_deps import constraints, lowest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
README = (ROOT / "README.md").read_text(encoding="utf-8")

# Markdown links and pictures, reference definitions, and HTML src/href attributes.
_TARGETS = [
    re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)"),
    re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE),
    re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']+)""", re.IGNORECASE),
]


def _targets(markdown: str) -> list[str]:
    text = re.sub(r"```.*?```", "", markdown, flags=re.DOTALL)  # code is shown, not followed
    text = re.sub(r"`[^`\n]*`", "", text)
    return [m.group(1) for pattern in _TARGETS for m in pattern.finditer(text)]


def test_the_target_finder_sees_links_pictures_references_and_html():
    sample = (
        "[a](docs/a.md) ![b](docs/b.png) [c](https://example.org/c)\n"
        '[d]: docs/d.md\n<img src="docs/e.png"> `[not](code.md)`\n'
    )
    assert ["docs/a.md", "docs/b.png", "https://example.org/c", "docs/d.md", "docs/e.png"] == (
        _targets(sample)
    )


def test_the_readme_has_no_relative_link_or_picture():
    """A package index shows README.md alone: a relative link or picture would be broken there."""
    relative = [t for t in _targets(README) if not re.match(r"https://", t)]
    assert [] == relative


def test_the_long_description_is_the_readme():
    assert "README.md" == PROJECT["readme"]


def test_the_license_file_is_the_mit_license_the_metadata_names():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "MIT" == PROJECT["license"]
    assert ["LICENSE"] == PROJECT["license-files"]
    assert text.startswith("MIT License\n\nCopyright (c) 2026 docgen contributors\n")
    assert "Permission is hereby granted, free of charge" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text
    # PEP 639: with a license expression, "License ::" classifiers are deprecated (and refused)
    assert [] == [c for c in PROJECT["classifiers"] if c.startswith("License ::")]


def test_the_classifiers_say_who_it_is_for_and_what_it_runs_on():
    classifiers = set(PROJECT["classifiers"])
    assert {
        "Intended Audience :: Education",
        "Natural Language :: Chinese (Simplified)",
        "Operating System :: OS Independent",
        "Programming Language :: Python :: 3",
        "Topic :: Office/Business :: Office Suites",
        "Typing :: Typed",
    } <= classifiers
    assert any(c.startswith("Development Status :: ") for c in classifiers)
    supported = SpecifierSet(PROJECT["requires-python"])
    versions = sorted(
        (c.rsplit(" ", 1)[1] for c in classifiers if re.fullmatch(r".*:: 3\.\d+", c)),
        key=lambda v: int(v.split(".")[1]),
    )
    assert versions
    assert [] == [v for v in versions if v not in supported]
    assert versions[0] == str(supported).removeprefix(">="), "the oldest supported is listed"


def test_project_urls_are_absolute_and_only_what_exists():
    urls = PROJECT.get("urls", {})
    assert [] == [u for u in urls.values() if not u.startswith("https://")]
    # docgen has no public host yet: a listed address must come from somewhere real, such as
    # the documentation site mkdocs.yml names
    site = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    if "Documentation" in urls:
        assert site is not None, "Documentation points at a site mkdocs.yml does not name"
        assert urls["Documentation"].startswith(site.group(1).rstrip("/"))


def test_the_changelog_has_an_unreleased_section_and_one_for_this_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", changelog, re.MULTILINE)
    assert "Unreleased" == headings[0]
    assert PROJECT["version"] in headings


def test_every_dependency_has_a_lowest_version_to_test():
    pins = constraints(ROOT / "pyproject.toml", ["web"])
    assert len(pins) == len(PROJECT["dependencies"]) + len(PROJECT["optional-dependencies"]["web"])
    assert all("==" in pin for pin in pins)
    assert "docxtpl==0.17" in pins


def test_docxtpl_is_pinned_below_the_versions_not_checked():
    """docgen calls docxtpl's internals (docgen/_docxtpl.py): a new minor version is checked
    (tests/test_docxtpl_preprocessing.py) before the upper bound moves."""
    (docxtpl,) = [r for r in map(Requirement, PROJECT["dependencies"]) if r.name == "docxtpl"]
    assert any(spec.operator == "<" for spec in docxtpl.specifier)


def test_lowest_refuses_a_requirement_without_a_lower_bound():
    with pytest.raises(SystemExit, match="expected one lower bound"):
        lowest("docxtpl<0.21")
    assert 'tomli==2.0; python_version < "3.11"' == lowest("tomli>=2.0; python_version < '3.11'")


def test_the_sdist_carries_what_the_tests_read():
    include = set(PYPROJECT["tool"]["hatch"]["build"]["targets"]["sdist"]["include"])
    assert {"docgen", "templates", "tests", "examples", "tools", "docs", "LICENSE"} <= include
