"""A griffe extension for the API reference: docgen's reST bits in Markdown docstrings.

docgen's docstrings are Google style, with a few reStructuredText habits the reference would
otherwise print literally: roles (``:func:`render```, ``:class:`~docgen.Report```) and ``::``
literal blocks.  Roles become inline code (``~`` keeps only the last name, as in Sphinx);
literal blocks become fenced code blocks.  Loaded by ``mkdocs.yml`` (mkdocstrings'
``extensions``); not part of the site.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|mod|data|attr|exc|obj|const):`(~?)([^`]+)`")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _role(match: re.Match[str]) -> str:
    target = match[2]
    return f"`{target.rsplit('.', 1)[-1] if match[1] else target}`"


def _literal_blocks(text: str) -> str:
    """``::`` and the indented block after it → a fenced block (Sphinx's rules for the colon)."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        opens = line.rstrip().endswith("::") and j > i + 1 and j < len(lines)
        if not opens or _indent(lines[j]) <= _indent(line):
            out.append(line)
            i += 1
            continue
        k = j
        while k < len(lines) and (not lines[k].strip() or _indent(lines[k]) > _indent(line)):
            k += 1
        while not lines[k - 1].strip():
            k -= 1
        lead = line.rstrip()[:-2]
        if lead.strip():  # "Filters::" → "Filters:"; "text ::" → "text"
            out.append(lead.rstrip() if lead.endswith(" ") else lead + ":")
        out.extend(["", "```", *textwrap.dedent("\n".join(lines[j:k])).split("\n"), "```"])
        i = k
    return "\n".join(out)


def convert(text: str) -> str:
    r"""*text* with Sphinx roles as inline code and ``::`` blocks as fenced code.

    >>> convert("See :func:`~docgen.render` and :class:`Report`.")
    'See `render` and `Report`.'
    >>> print(convert("Filters::\n\n    {{ 105|cn_number }}\n\nMore."))
    Filters:
    <BLANKLINE>
    ```
    {{ 105|cn_number }}
    ```
    <BLANKLINE>
    More.
    """
    return _literal_blocks(_ROLE.sub(_role, text))


class RestBits(griffe.Extension):
    """Rewrite every docstring once the object tree is built."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Convert the docstring of *obj* (every kind of object passes here)."""
        if obj.docstring is not None:
            obj.docstring.value = convert(obj.docstring.value)
