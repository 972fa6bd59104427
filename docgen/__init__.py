"""docgen: typed report objects to well-formed Chinese Word documents.

>>> import docgen
>>> report = docgen.Report("2013学年第一学期党支部工作小结", status="初稿",
...                        sections=[docgen.Section("围绕主题，开展学习活动", blocks=["……"])])
>>> doc = docgen.render(report, template="work-summary")
>>> doc.to_bytes()[:2]
b'PK'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Every public name and the module it lives in.  Names are imported on first use (PEP 562), so
# ``import docgen`` costs little and a program that only renders never loads the importers, the
# inspector, the batch machinery or LibreOffice's helpers.
_WHERE = {
    "BatchResult": "docgen.batch",
    "render_many": "docgen.batch",
    "check": "docgen.checking",
    "CheckFinding": "docgen.checking",
    "combine": "docgen.combining",
    "DataError": "docgen.errors",
    "DocgenError": "docgen.errors",
    "DocgenWarning": "docgen.errors",
    "OutputError": "docgen.errors",
    "OutputExistsError": "docgen.errors",
    "PackageError": "docgen.errors",
    "RenderError": "docgen.errors",
    "RenderTimeoutError": "docgen.errors",
    "TemplateError": "docgen.errors",
    "TemplateNotFoundError": "docgen.errors",
    "TemplateSyntaxError": "docgen.errors",
    "UndefinedVariableError": "docgen.errors",
    "UnknownFilterError": "docgen.errors",
    "ValidationError": "docgen.errors",
    "FixChange": "docgen.fixing",
    "FixResult": "docgen.fixing",
    "fix": "docgen.fixing",
    "ImportResult": "docgen.importers",
    "import_docx": "docgen.importers",
    "import_file": "docgen.importers",
    "import_markdown": "docgen.importers",
    "import_text": "docgen.importers",
    "Finding": "docgen.inspect",
    "Inspection": "docgen.inspect",
    "inspect_template": "docgen.inspect",
    "dump_report": "docgen.loaders",
    "load_report": "docgen.loaders",
    "report_from_mapping": "docgen.model",
    "BulletList": "docgen.model",
    "Cell": "docgen.model",
    "Image": "docgen.model",
    "NumberedList": "docgen.model",
    "PageBreak": "docgen.model",
    "Paragraph": "docgen.model",
    "Report": "docgen.model",
    "Run": "docgen.model",
    "Section": "docgen.model",
    "Signature": "docgen.model",
    "Table": "docgen.model",
    "PdfError": "docgen.pdf",
    "read_records": "docgen.records",
    "Document": "docgen.rendering",
    "render": "docgen.rendering",
    "Template": "docgen.template",
}

if TYPE_CHECKING:  # what the names are, for type checkers and editors
    from docgen import cn
    from docgen.batch import BatchResult, render_many
    from docgen.checking import CheckFinding, check
    from docgen.combining import combine
    from docgen.errors import (
        DataError,
        DocgenError,
        DocgenWarning,
        OutputError,
        OutputExistsError,
        PackageError,
        RenderError,
        RenderTimeoutError,
        TemplateError,
        TemplateNotFoundError,
        TemplateSyntaxError,
        UndefinedVariableError,
        UnknownFilterError,
        ValidationError,
    )
    from docgen.fixing import FixChange, FixResult, fix
    from docgen.importers import (
        ImportResult,
        import_docx,
        import_file,
        import_markdown,
        import_text,
    )
    from docgen.inspect import Finding, Inspection, inspect_template
    from docgen.loaders import dump_report, load_report
    from docgen.model import (
        BulletList,
        Cell,
        Image,
        NumberedList,
        PageBreak,
        Paragraph,
        Report,
        Run,
        Section,
        Signature,
        Table,
        report_from_mapping,
    )
    from docgen.pdf import PdfError
    from docgen.records import read_records
    from docgen.rendering import Document, render
    from docgen.template import Template

    __version__: str


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from docgen._version import __version__  # noqa: PLC0415 - importlib.metadata is slow

        value: Any = __version__
    elif name == "cn":
        value = importlib.import_module("docgen.cn")
    elif name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
    else:
        raise AttributeError(f"module 'docgen' has no attribute {name!r}")
    globals()[name] = value  # once found, a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "BatchResult",
    "BulletList",
    "Cell",
    "CheckFinding",
    "DataError",
    "DocgenError",
    "DocgenWarning",
    "Document",
    "Finding",
    "FixChange",
    "FixResult",
    "Image",
    "ImportResult",
    "Inspection",
    "NumberedList",
    "OutputError",
    "OutputExistsError",
    "PackageError",
    "PageBreak",
    "Paragraph",
    "PdfError",
    "RenderError",
    "RenderTimeoutError",
    "Report",
    "Run",
    "Section",
    "Signature",
    "Table",
    "Template",
    "TemplateError",
    "TemplateNotFoundError",
    "TemplateSyntaxError",
    "UndefinedVariableError",
    "UnknownFilterError",
    "ValidationError",
    "__version__",
    "check",
    "cn",
    "combine",
    "dump_report",
    "fix",
    "import_docx",
    "import_file",
    "import_markdown",
    "import_text",
    "inspect_template",
    "load_report",
    "read_records",
    "render",
    "render_many",
    "report_from_mapping",
]
