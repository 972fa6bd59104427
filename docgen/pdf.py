"""``.docx`` → PDF through LibreOffice headless (``soffice``).

Each conversion runs with its own temporary LibreOffice profile, so conversions in parallel
(threads, processes, a batch) do not collide on the shared user profile, and with a timeout,
so a hung office never hangs the caller.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docgen.errors import DocgenError

__all__ = ["INSTALL_HINT", "PdfError", "convert_to_pdf", "find_soffice"]

INSTALL_HINT = (
    "install LibreOffice: on Debian/Ubuntu `apt-get install libreoffice-writer-nogui "
    "fonts-noto-cjk`, on Windows or macOS from libreoffice.org; or set DOCGEN_SOFFICE to the "
    "soffice program"
)

# PDF/A-2b: LibreOffice's writer_pdf_Export filter, option SelectPdfVersion = 2.
_PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


class PdfError(DocgenError, RuntimeError):
    """LibreOffice is missing, failed, or took too long."""


def find_soffice() -> str:
    """The LibreOffice program to run.

    ``DOCGEN_SOFFICE`` first, then ``soffice``/``libreoffice`` on PATH, then the usual
    install places.

    Raises:
        PdfError: LibreOffice is not installed (the message says how to install it).
    """
    configured = os.environ.get("DOCGEN_SOFFICE")
    if configured:
        if Path(configured).is_file() or shutil.which(configured):
            return configured
        raise PdfError(
            "names no program",
            where="DOCGEN_SOFFICE",
            expected="the path of LibreOffice's soffice",
            found=configured,
        )
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    raise PdfError(
        "LibreOffice is needed to make a PDF and was not found", where="PATH", expected=INSTALL_HINT
    )


def convert_to_pdf(
    docx: bytes, *, pdfa: bool = False, timeout: float = 180, name: str = "document"
) -> bytes:
    """Convert a ``.docx`` (its bytes) to PDF and return the PDF's bytes.

    Args:
        docx: the document.
        pdfa: write PDF/A-2b, the archiving profile.
        timeout: seconds before LibreOffice is stopped and :class:`PdfError` raised.
        name: the document's name in error messages.
    """
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(docx)
        profile = (work / "profile").as_uri()
        command = [
            soffice,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            _PDFA_FILTER if pdfa else "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            # the command is LibreOffice and a file docgen wrote: no user input reaches a shell
            done = subprocess.run(  # noqa: S603
                command, capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL
            )
        except subprocess.TimeoutExpired:
            raise PdfError(
                f"LibreOffice did not finish within {timeout:g} s",
                where=name,
                expected="a conversion to PDF",
            ) from None
        except OSError as exc:
            raise PdfError(
                f"LibreOffice could not be started: {exc}", where=soffice, expected=INSTALL_HINT
            ) from None
        pdf = work / "document.pdf"
        if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            detail = (
                (done.stderr or done.stdout).decode(sys.getfilesystemencoding(), "replace").strip()
            )
            raise PdfError(
                "LibreOffice could not convert it to PDF",
                where=name,
                expected="a PDF",
                found=f"exit code {done.returncode}: {detail[:300] or 'no output'}",
            )
        return pdf.read_bytes()
