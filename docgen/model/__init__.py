"""The report model: typed, validated sections and blocks (pure data, no Word XML, no files).

A :class:`Report` is what a school writes every term: a title, an optional status such as
初稿, an intro, numbered sections with subsections, closing paragraphs and a signature.
Values are checked when an object is built; a wrong value raises
:class:`~docgen.errors.ValidationError` naming the field path and what was found:

>>> Section(3)
Traceback (most recent call last):
...
docgen.errors.ValidationError: Section.title: must be text; found 3 (an int)

Plain strings are accepted wherever a block is expected and become :class:`Paragraph`:

>>> Section("围绕主题，开展学习活动", blocks=["在本学期活动中，……"]).blocks[0].text
'在本学期活动中，……'

This package is also the one place that turns plain data (parsed YAML, JSON, TOML, a request)
into report classes, :func:`report_from_mapping`, and back, :func:`report_to_mapping`.
The code lives in private modules: ``_checks`` (validators and converters), ``_blocks``
(runs and blocks), ``_report`` (sections, signature, report), ``_structure`` (the cattrs
converter for data), ``_problems`` (its errors → one DataError), ``_mapping``
(``report_from_mapping``) and ``_unstructure`` (``report_to_mapping``).
"""

from __future__ import annotations

from docgen.model._blocks import (
    BLOCK_TYPES,
    Block,
    BulletList,
    Cell,
    Image,
    NumberedList,
    PageBreak,
    Paragraph,
    Run,
    Table,
)
from docgen.model._mapping import is_template_path, report_from_mapping, template_in_data
from docgen.model._report import Report, Section, Signature, blocks_of, map_images, map_text
from docgen.model._unstructure import InlineList, report_to_mapping

__all__ = [
    "BLOCK_TYPES",
    "Block",
    "BulletList",
    "Cell",
    "Image",
    "InlineList",
    "NumberedList",
    "PageBreak",
    "Paragraph",
    "Report",
    "Run",
    "Section",
    "Signature",
    "Table",
    "blocks_of",
    "is_template_path",
    "map_images",
    "map_text",
    "report_from_mapping",
    "report_to_mapping",
    "template_in_data",
]
