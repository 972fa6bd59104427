"""The work of ``/api/check`` and ``/api/fix``, done in render processes.

Each job is a plain function of picklable arguments, run by the worker pool under its time
limit as :mod:`docgen.web.work`'s jobs are; the upload arrives as bytes and is read from
memory, never from a path.
"""

from __future__ import annotations

import base64
from typing import Any

import attrs

from docgen.checking import check
from docgen.errors import DocgenError
from docgen.files import safe_filename
from docgen.fixing import fix
from docgen.web.work import _scrubbed, load_template

__all__ = ["DocxJob", "check_job", "fix_job"]


@attrs.frozen
class DocxJob:
    """An uploaded ``.docx`` (its name as the user gave it) and the template to hold it to."""

    name: str
    content: bytes
    template: str
    template_dirs: tuple[str, ...]


def check_job(job: DocxJob) -> dict[str, Any]:
    """``{"file", "template", "ok", "findings"}``, as ``docgen check --json`` prints it."""
    template = load_template(job.template, job.template_dirs)
    try:
        findings = check(job.content, template=template)
    except DocgenError as exc:
        raise _scrubbed(exc, "<docx>", job.name) from None
    return {
        "file": job.name,
        "template": template.name,
        "ok": not findings,
        "findings": [f.to_dict() for f in findings],
    }


def fix_job(job: DocxJob) -> dict[str, Any]:
    """The fixed document and its changes, the findings left, and a file name for it."""
    template = load_template(job.template, job.template_dirs)
    try:
        result = fix(job.content, template=template)
    except DocgenError as exc:
        raise _scrubbed(exc, "<docx>", job.name) from None
    content = result.document.to_bytes()
    stem = job.name.rsplit(".", 1)[0] if "." in job.name else job.name
    return {
        "file": job.name,
        "template": template.name,
        "filename": safe_filename(f"{stem[:80]}-修正.docx"),
        "changes": [c.to_dict() for c in result.changes],
        "findings": [f.to_dict() for f in check(content, template=template)],
        "warnings": list(result.warnings),
        "document": base64.b64encode(content).decode("ascii"),
    }
