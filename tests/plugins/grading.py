"""Filters for the tests of user filters: importable, so worker processes can use them."""

from __future__ import annotations


def grade(score: int) -> str:
    """等第 of a score: 优 (90+), 良 (75+), 合格 (60+), 须努力."""
    for floor, name in ((90, "优"), (75, "良"), (60, "合格")):
        if score >= floor:
            return name
    return "须努力"


def huge(text: str) -> str:
    """A filter that builds more text than a document may hold."""
    return text * 10_000_000
