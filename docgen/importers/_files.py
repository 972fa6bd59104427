"""Files: the suffix decides the importer; text is decoded, .doc/.wps/.rtf/.odt converted."""

from __future__ import annotations

import os
from pathlib import Path

from docgen.errors import DataError
from docgen.files import decode_text, read_bytes
from docgen.i18n import lazy
from docgen.importers._docx import _OLE_MAGIC, _import_docx_bytes
from docgen.importers._markdown import import_markdown
from docgen.importers._paragraphs import ImportResult, _Warn
from docgen.importers._text import import_text
from docgen.pdf import LibreOfficeMissingError, LibreOfficeTimeoutError, PdfError, convert

# --- other formats through LibreOffice, and files ----------------------------------------------

# suffix → (what the file starts with, what it is)
_LIBREOFFICE_FORMATS: dict[str, tuple[tuple[bytes, ...], str]] = {
    ".doc": ((_OLE_MAGIC, b"{\\rtf", b"PK\x03\x04"), "a Word 97–2003 document (an OLE file)"),
    ".wps": ((_OLE_MAGIC,), "a WPS Writer document (an OLE file)"),
    ".rtf": ((b"{\\rtf",), "an RTF document (starting {\\rtf)"),
    ".odt": ((b"PK\x03\x04",), "an OpenDocument text (a zip package)"),
}
_INSTALL = (
    "LibreOffice's soffice: on Debian/Ubuntu `apt-get install libreoffice-writer-nogui`, on "
    "Windows or macOS LibreOffice from https://www.libreoffice.org/download/ (or set "
    "DOCGEN_SOFFICE to the soffice program)"
)


def _convert_to_docx(data: bytes, suffix: str, name: str, timeout: float) -> bytes:
    """A .doc/.wps/.rtf/.odt converted to .docx by LibreOffice headless, with its own profile."""
    magic, what = _LIBREOFFICE_FORMATS[suffix]
    if not data.startswith(magic):
        raise DataError(
            lazy("is not what its suffix {suffix} says", suffix=suffix),
            where=name,
            expected=what,
            found=lazy("{n} bytes starting {data!r}", n=len(data), data=data[:8]),
            code="data.format",
        )
    try:
        return convert(data, suffix, "docx:MS Word 2007 XML", ".docx", timeout=timeout, name=name)
    except LibreOfficeMissingError as exc:
        setting = f" (DOCGEN_SOFFICE={exc.found} names no program)" if exc.found else ""
        raise DataError(
            lazy(
                "LibreOffice is needed to read {suffix} files and was not found{setting}",
                suffix=suffix,
                setting=setting,
            ),
            where=name,
            expected=_INSTALL,
            code="data.libreoffice_missing",
        ) from None
    except LibreOfficeTimeoutError:
        raise DataError(
            lazy("LibreOffice did not convert it within {timeout:g} s", timeout=timeout),
            where=name,
            expected=lazy("{what} LibreOffice can open", what=what),
            code="data.libreoffice_timeout",
        ) from None
    except PdfError as exc:
        raise DataError(
            lazy("LibreOffice cannot read it"),
            where=name,
            expected=lazy("{what} LibreOffice can open", what=what),
            found=exc.found,
            code="data.unreadable",
        ) from None


_TEXT_SUFFIXES = (".txt", ".text")
_MARKDOWN_SUFFIXES = (".md", ".markdown")


def import_file(
    path: str | os.PathLike[str],
    *,
    normalize_punctuation: bool = False,
    timeout: float = 180,
) -> ImportResult:
    """Read a report from a file, by its suffix.

    ``.txt``/``.text`` → :func:`import_text` (decoded by :func:`docgen.files.decode_text`:
    UTF-8, UTF-16 with its mark, or GBK/GB18030 with a warning, as school computers often
    save), ``.md``/``.markdown`` → :func:`import_markdown`, ``.docx`` → :func:`import_docx`,
    and ``.doc``, ``.wps``, ``.rtf``, ``.odt`` converted to ``.docx`` by LibreOffice headless
    (``soffice``, each run with its own temporary profile and *timeout*
    seconds) and then read as ``.docx``.

    Raises:
        DataError: naming the file — a missing file, an unknown suffix, undecodable text, a
            file that is not what its suffix says, LibreOffice missing (with the command that
            installs it) or unable to read the file.
    """
    file = Path(path)
    name = os.fspath(path)
    suffix = file.suffix.lower()
    known = (*_TEXT_SUFFIXES, *_MARKDOWN_SUFFIXES, ".docx", *_LIBREOFFICE_FORMATS)
    if suffix not in known:
        raise DataError(
            lazy("has a suffix docgen cannot import"),
            where=name,
            expected=lazy("one of {allowed}", allowed=", ".join(known)),
            found=repr(file.suffix) if file.suffix else lazy("no suffix"),
            code="data.format",
        )
    data = read_bytes(file, name)
    if suffix == ".docx":
        return _import_docx_bytes(data, name, normalize=normalize_punctuation)
    if suffix in _LIBREOFFICE_FORMATS:
        converted = _convert_to_docx(data, suffix, name, timeout)
        return _import_docx_bytes(converted, name, normalize=normalize_punctuation)
    warn = _Warn(name)
    text = decode_text(data, name, warn=warn)
    reader = import_text if suffix in _TEXT_SUFFIXES else import_markdown
    result = reader(text, source=name, normalize_punctuation=normalize_punctuation)
    return ImportResult(result.report, [*warn.messages, *result.messages])
