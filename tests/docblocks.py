"""The fenced code blocks of a Markdown page, shared by the tests that run and type-check them.

See tests/test_docs_examples.py for what each kind of block is and how it runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)[^`]*$")
_NO_TEST = re.compile(r"^\s*<!--\s*no-test\b(?P<reason>.*?)-->\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    page: Path
    line: int  # the line of its first code line, counting from 1
    lang: str
    code: str
    no_test: str | None  # the reason given in <!-- no-test: … -->, "" without one

    @property
    def kind(self) -> str | None:
        """``python``, ``doctest``, ``cli`` or None (not run: shell, YAML, TOML, text…)."""
        first = next((ln.strip() for ln in self.code.splitlines() if ln.strip()), "")
        if self.lang in {"python", "py"}:
            return "doctest" if first.startswith(">>>") else "python"
        if self.lang == "pycon":
            return "doctest"
        if self.lang in {"sh", "bash", "shell"} and first.startswith("docgen "):
            return "cli"
        return None

    def __str__(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """The fenced code blocks of *page*, dedented to their fence."""
    lines = page.read_text("utf-8").splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        closing = re.compile(
            rf"^ {{0,{len(indent) + 3}}}{re.escape(fence[0])}{{{len(fence)},}}\s*$"
        )
        end = i + 1
        while end < len(lines) and not closing.match(lines[end]):
            end += 1
        body = [
            ln[len(indent) :] if ln.startswith(indent) else ln.lstrip() for ln in lines[i + 1 : end]
        ]
        before = next((lines[k] for k in range(i - 1, -1, -1) if lines[k].strip()), "")
        mark = _NO_TEST.match(before)
        reason = mark["reason"].strip(" :") if mark else None
        found.append(Block(page, i + 2, opening["info"].lower(), "\n".join(body) + "\n", reason))
        i = end + 1
    return found
