"""The work of ``/api/check`` and ``/api/fix``, done in render processes.

Each job is a plain function of picklable arguments, run by the worker pool under its time
limit as :mod:`docgen.web.work`'s jobs are; the upload arrives as bytes and is read from
memory, never from a path.

Asked for a preview (``preview=true``), a job also draws the first pages of the upload — and of
the fixed document — as PNG: the ``.docx`` converted to PDF by this process's warm LibreOffice
(:func:`docgen.converter.convert_to_pdf`), then :func:`~docgen.web.work.pdf_pages`.  Where
LibreOffice or ``pdftoppm`` is missing (or fails) the check or fix is still returned, with
``preview`` ``null`` and the reason in ``preview_error``.
"""

from __future__ import annotations

import base64
from typing import Any

import attrs

from docgen.checking import check
from docgen.converter import convert_to_pdf
from docgen.errors import DocgenError
from docgen.files import safe_filename
from docgen.fixing import fix
from docgen.i18n import _
from docgen.pdf import PdfError
from docgen.web.work import _scrubbed, load_template, pdf_pages, remaining

__all__ = ["DocxJob", "check_job", "fix_job"]


@attrs.frozen
class DocxJob:
    """An uploaded ``.docx`` (its name as the user gave it) and the template to hold it to."""

    name: str
    content: bytes
    template: str
    template_dirs: tuple[str, ...]
    preview: bool = False
    pages: int = 8
    dpi: int = 80


class _Previews:
    """Page previews for one job: the first failure (a tool missing) stops the rest."""

    def __init__(self, job: DocxJob) -> None:
        self.job = job
        self.error: dict[str, Any] | None = None

    def pages(self, docx: bytes, name: str) -> dict[str, Any] | None:
        """``{"pages": [data: URLs], "more_pages"}`` of *docx*, or None (see ``error``)."""
        if not self.job.preview or self.error is not None:
            return None
        try:
            pdf = convert_to_pdf(docx, timeout=remaining(120), name=name)
            pages, more = pdf_pages(pdf, pages=self.job.pages, dpi=self.job.dpi)
        except PdfError as exc:
            self.error = exc.to_dict()
            return None
        return {
            "pages": [
                "data:image/png;base64," + base64.b64encode(p).decode("ascii") for p in pages
            ],
            "more_pages": more,
        }


def check_job(job: DocxJob) -> dict[str, Any]:
    """``{"file", "template", "ok", "findings"}``, as ``docgen check --json`` prints it.

    With ``preview``, also ``preview`` (the upload's pages) and ``preview_error``.
    """
    template = load_template(job.template, job.template_dirs)
    try:
        findings = check(job.content, template=template)
    except DocgenError as exc:
        raise _scrubbed(exc, "<docx>", job.name) from None
    previews = _Previews(job)
    return {
        "file": job.name,
        "template": template.name,
        "ok": not findings,
        "findings": [f.to_dict() for f in findings],
        "preview": previews.pages(job.content, job.name),
        "preview_error": previews.error,  # after the previews: set by them
    }


def fix_job(job: DocxJob) -> dict[str, Any]:
    """The fixed document and its changes, the findings left, and a file name for it.

    With ``preview``, also ``preview`` (the upload's pages), ``fixed_preview`` (the fixed
    document's) and ``preview_error``.
    """
    template = load_template(job.template, job.template_dirs)
    try:
        result = fix(job.content, template=template)
    except DocgenError as exc:
        raise _scrubbed(exc, "<docx>", job.name) from None
    content = result.document.to_bytes()
    stem = job.name.rsplit(".", 1)[0] if "." in job.name else job.name
    filename = safe_filename(_("{stem}-fixed", stem=stem[:80]) + ".docx")
    previews = _Previews(job)
    return {
        "file": job.name,
        "template": template.name,
        "filename": filename,
        "changes": [c.to_dict() for c in result.changes],
        "findings": [f.to_dict() for f in check(content, template=template)],
        "warnings": list(result.warnings),
        "document": base64.b64encode(content).decode("ascii"),
        "preview": previews.pages(job.content, job.name),
        "fixed_preview": previews.pages(content, filename),
        "preview_error": previews.error,  # after the previews: set by them
    }
