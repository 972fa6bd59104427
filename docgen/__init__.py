"""docgen: typed report objects to well-formed Chinese Word documents.

>>> import docgen
>>> report = docgen.Report("2013学年第一学期党支部工作小结", status="初稿",
...                        sections=[docgen.Section("围绕主题，开展学习活动", blocks=["……"])])
>>> doc = docgen.render(report, template="work-summary")
>>> doc.to_bytes()[:2]
b'PK'
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from docgen import cn
from docgen.batch import BatchResult, render_many
from docgen.errors import (
    DataError,
    DocgenError,
    DocgenWarning,
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
from docgen.importers import (
    ImportResult,
    import_docx,
    import_file,
    import_markdown,
    import_text,
)
from docgen.inspect import Finding, Inspection, inspect_template
from docgen.loaders import dump_report, load_report, report_from_mapping
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
)
from docgen.pdf import PdfError
from docgen.records import read_records
from docgen.render import Document, render
from docgen.template import Template

try:
    __version__ = version("docgen-cn")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = [
    "BatchResult",
    "BulletList",
    "Cell",
    "DataError",
    "DocgenError",
    "DocgenWarning",
    "Document",
    "Finding",
    "Image",
    "ImportResult",
    "Inspection",
    "NumberedList",
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
    "cn",
    "dump_report",
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
