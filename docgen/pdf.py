"""LibreOffice headless (``soffice``): finding it, its errors, its offline profile, one-off runs.

:func:`convert` runs one LibreOffice for one document (old Word formats read by the
importers), with its own temporary profile and a timeout.  PDFs go through
:mod:`docgen.converter`, which converts many documents per LibreOffice start.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from docgen.errors import DocgenError
from docgen.fontmap import fontconfig_xml
from docgen.i18n import lazy

__all__ = [
    "INSTALL_HINT",
    "PDFA_FILTER",
    "LibreOfficeMissingError",
    "LibreOfficeTimeoutError",
    "PdfError",
    "convert",
    "drawn_with",
    "find_soffice",
    "offline_profile",
    "system_fontconfig",
]

INSTALL_HINT = (
    "install LibreOffice: on Debian/Ubuntu `apt-get install libreoffice-writer-nogui "
    "fonts-noto-cjk`, on Windows or macOS from libreoffice.org; or set DOCGEN_SOFFICE to the "
    "soffice program"
)

# PDF/A-2b: LibreOffice's writer_pdf_Export filter, option SelectPdfVersion = 2.
PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
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

    default_code = "pdf.failed"


class LibreOfficeMissingError(PdfError):
    """LibreOffice is not installed (or ``DOCGEN_SOFFICE`` names no program)."""

    default_code = "pdf.libreoffice_missing"


class LibreOfficeTimeoutError(PdfError):
    """LibreOffice did not finish in time."""

    default_code = "pdf.timeout"


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
        raise LibreOfficeMissingError(
            lazy("names no program"),
            where="DOCGEN_SOFFICE",
            expected=lazy("the path of LibreOffice's soffice"),
            found=configured,
        )
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    raise LibreOfficeMissingError(
        lazy("LibreOffice is needed to make a PDF and was not found"),
        where="PATH",
        expected=INSTALL_HINT,
    )


def convert(
    data: bytes,
    source_suffix: str,
    convert_to: str,
    result_suffix: str,
    *,
    timeout: float = 180,
    name: str = "document",
) -> bytes:
    """Convert a document with LibreOffice headless and return the result's bytes.

    *convert_to* is LibreOffice's ``--convert-to`` argument (``pdf``,
    ``docx:MS Word 2007 XML``…).  Each run has its own temporary profile and a timeout.

    Raises:
        PdfError: LibreOffice is missing, failed (its own words are in the message), or took
            longer than *timeout* seconds.
    """
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="docgen-office-") as tmp:
        work = Path(tmp)
        source = work / f"document{source_suffix}"
        source.write_bytes(data)
        out_dir = work / "out"
        out_dir.mkdir()
        offline_profile(work / "profile")
        fonts = work / "fonts.conf"  # each face a template names drawn with a close free face
        fonts.write_text(fontconfig_xml(system_fontconfig()), encoding="utf-8")
        command = [
            soffice,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            convert_to,
            "--outdir",
            str(out_dir),
            str(source),
        ]
        try:
            # the command is LibreOffice and a file docgen wrote: no user input reaches a shell
            done = subprocess.run(  # noqa: S603
                command,
                capture_output=True,
                timeout=timeout,
                check=False,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "FONTCONFIG_FILE": str(fonts)},
            )
        except subprocess.TimeoutExpired:
            raise LibreOfficeTimeoutError(
                lazy("LibreOffice did not finish within {timeout:g} s", timeout=timeout),
                where=name,
                expected=lazy("a conversion to {lstrip}", lstrip=result_suffix.lstrip(".")),
            ) from None
        except OSError as exc:
            raise LibreOfficeMissingError(
                lazy("LibreOffice could not be started: {exc}", exc=exc),
                where=soffice,
                expected=INSTALL_HINT,
            ) from None
        result = out_dir / f"document{result_suffix}"
        if done.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
            output = (done.stderr + done.stdout).decode(sys.getfilesystemencoding(), "replace")
            detail = " ".join(ln for ln in output.splitlines() if "javaldx" not in ln).strip()
            raise PdfError(
                lazy(
                    "LibreOffice could not convert it to {lstrip}", lstrip=result_suffix.lstrip(".")
                ),
                where=name,
                expected=lazy(
                    "a document LibreOffice can open ({source_suffix})", source_suffix=source_suffix
                ),
                found=lazy(
                    "exit code {returncode}: {value}",
                    returncode=done.returncode,
                    value=detail[:300] or "no output",
                ),
            )
        return result.read_bytes()


# LibreOffice never fetches what a document links to (a picture by URL, a file:// or \\server
# path): documents are not in its trusted locations, and this setting blocks every link from
# such documents.  Without it, converting a document with an http-linked picture makes
# LibreOffice request the URL (a blind request from the server: intranet, cloud metadata).
_OFFLINE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop
 oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def offline_profile(profile: Path) -> None:
    """A new LibreOffice profile whose settings block links to other files and URLs."""
    user = profile / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(_OFFLINE_SETTINGS, encoding="utf-8")


def system_fontconfig() -> str:
    """The fontconfig file docgen's own includes: the one in effect for this process."""
    return os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"


def drawn_with(faces: Sequence[str], timeout: float = 30) -> dict[str, str | None]:
    """The family fontconfig picks for each face when docgen converts (None: no fontconfig).

    Asked of ``fc-match`` with the same font map LibreOffice gets (:mod:`docgen.fontmap`).
    """
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return dict.fromkeys(faces)
    with tempfile.TemporaryDirectory(prefix="docgen-fonts-") as tmp:
        config = Path(tmp) / "fonts.conf"
        config.write_text(fontconfig_xml(system_fontconfig()), encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(config)}
        found: dict[str, str | None] = {}
        for face in faces:
            done = subprocess.run(  # noqa: S603 - fc-match and a face name, no shell
                [fc_match, "-f", "%{family[0]}", face],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                env=env,
            )
            found[face] = (done.stdout.strip() or None) if done.returncode == 0 else None
    return found
