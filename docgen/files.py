"""Writing files without ever leaving half of one, or overwriting one silently; reading text."""

from __future__ import annotations

import codecs
import contextlib
import itertools
import os
import re
import stat
import string
import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from docgen.errors import DataError, DocgenWarning, OutputExistsError, RenderError, Text
from docgen.i18n import _, lazy
from docgen.limits import PICTURE_SETTING, picture_limit

__all__ = [
    "BATCH_FLUSH_AT_END",
    "decode_text",
    "flush_to_disk",
    "name_from_pattern",
    "read_bytes",
    "read_picture",
    "refuse_existing",
    "safe_filename",
    "source_bytes",
    "toml_module",
    "write_atomic",
]

# Temporary names are ``.NAME.PID-N.part``: unique per process and per write without
# tempfile's random names (which cost more than writing a small document).  ``next`` on a
# count is atomic in CPython, so threads never share one.
_COUNTER = itertools.count()
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def refuse_existing(
    path: str | os.PathLike[str], *, overwrite: bool, expected: Text | None = None
) -> None:
    """Raise :class:`OutputExistsError` when *path* exists and *overwrite* is false.

    *expected* says how to get past it where the caller words it otherwise (the command
    line's ``--overwrite``, ``templates copy``'s ``--name``).
    """
    if not overwrite and os.path.exists(path):
        raise OutputExistsError(
            lazy("already exists; docgen does not overwrite files unless asked"),
            where=os.fspath(path),
            expected=expected or lazy("a new file name, or overwrite=True (--overwrite)"),
        )


def read_bytes(path: str | os.PathLike[str], name: str | None = None) -> bytes:
    """The bytes of the file at *path*.

    Raises:
        DataError: naming the file (*name*, else the path): it is missing
            (``data.not_found``), a folder or unreadable (``data.unreadable``).
    """
    where = name or os.fspath(path)
    try:
        with open(path, "rb") as file:
            return file.read()
    except FileNotFoundError:
        raise DataError(
            lazy("does not exist"),
            where=where,
            expected=lazy("an existing file"),
            code="data.not_found",
        ) from None
    except IsADirectoryError:
        raise DataError(
            lazy("is a folder"), where=where, expected=lazy("a file"), code="data.unreadable"
        ) from None
    except OSError as exc:
        raise DataError(
            lazy("cannot be read ({strerror})", strerror=exc.strerror or str(exc)),
            where=where,
            code="data.unreadable",
        ) from None


def source_bytes(
    source: str | os.PathLike[str] | bytes, unnamed: str = "<docx>"
) -> tuple[bytes, str]:
    """A document given as bytes or as a path: its bytes and the name errors give it.

    >>> source_bytes(b"PK")
    (b'PK', '<docx>')
    """
    if isinstance(source, (bytes, bytearray)):
        return bytes(source), unnamed
    return read_bytes(source), os.fspath(source)


def write_atomic(
    path: str | os.PathLike[str], data: bytes, *, overwrite: bool = False, durable: bool = True
) -> Path:
    """Write *data* to *path*: to a temporary file beside it first, then moved into place.

    An interrupted write leaves no partial file and the previous file intact.  Without
    *overwrite* an existing file is never replaced, even one that appears while writing.
    ``durable=False`` skips the per-file ``fsync`` (a batch flushes once at its end instead:
    see :func:`flush_to_disk`).
    """
    # Plain strings and os functions, not pathlib: a batch writes thousands of small
    # files, and pathlib's parsing cost as much as the writing itself.
    target = os.fspath(path)
    refuse_existing(target, overwrite=overwrite)
    fd, tmp = _temporary(target)
    try:
        try:
            view = memoryview(data)
            while view:  # os.write may write less than asked
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # atomic, and fails if the name was taken meanwhile
            except FileExistsError:
                raise OutputExistsError(
                    lazy("appeared while docgen was writing; it was left untouched"),
                    where=target,
                    expected=lazy("a new file name, or overwrite=True"),
                ) from None
            except OSError:  # file systems without hard links
                os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):  # gone when moved into place
            os.unlink(tmp)
    return Path(target)


def _temporary(target: str) -> tuple[int, str]:
    """A new, empty file beside *target* (open for writing), with the usual permissions.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     fd, tmp = _temporary(os.path.join(folder, "总结.docx"))
    ...     os.close(fd)
    ...     name = os.path.basename(tmp)
    ...     name.startswith(".总结.docx.") and name.endswith(".part")
    True
    """
    folder, name = os.path.split(target)
    while True:
        tmp = os.path.join(folder, f".{name}.{os.getpid()}-{next(_COUNTER)}.part")
        try:  # 0o666 less the umask, as any new file; O_EXCL: never an existing file
            return os.open(tmp, _NEW_FILE, 0o666), tmp
        except FileExistsError:  # left by a crashed process that had the same pid
            continue


def flush_to_disk() -> None:
    """Ask the OS to write every file written so far to disk (after a batch)."""
    sync = getattr(os, "sync", None)
    if sync is not None:  # POSIX; on Windows each batch file is written durably instead
        sync()


# Whether a batch may skip the per-file fsync and flush once at the end.
BATCH_FLUSH_AT_END = hasattr(os, "sync")


# --- reading text -------------------------------------------------------------------------------

_EXPECTED_TEXT = "text saved as UTF-8 or GBK (GB18030)"


def decode_text(raw: bytes, source: str, *, warn: Callable[[str], None] | None = None) -> str:
    r"""The text of a file's bytes *raw*; *source* names the file in messages.

    The one policy docgen reads text with, in this order:

    1. A UTF-16 byte-order mark (Notepad's "Unicode", Excel's "Unicode text"): UTF-16.
    2. UTF-8, with or without a byte-order mark (which is dropped).
    3. Anything else: GB18030, the superset of GBK that Chinese Windows, WPS and Excel save by
       default, with a warning, since the guess may be wrong. The message goes to *warn* when
       given (without the file name), else it is issued as a :class:`DocgenWarning` naming
       *source*.

    >>> decode_text("\ufeff小结".encode(), "a.txt")
    '小结'
    >>> decode_text("小结".encode("gbk"), "a.txt", warn=print)
    not UTF-8 (byte 0xbd at offset 2); read as GB18030 (GBK)
    '小结'

    Raises:
        DataError: naming *source*: NUL bytes without a UTF-16 mark (binary data), invalid
            UTF-16 after its mark, invalid UTF-8 after a UTF-8 mark, or bytes that are neither
            UTF-8 nor GB18030 (with the first offending byte, its offset and line).
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DataError(
                lazy("is not valid UTF-16 text (it starts with a UTF-16 byte-order mark)"),
                where=source,
                expected=_EXPECTED_TEXT,
                found=lazy("{reason} at byte {start}", reason=exc.reason, start=exc.start),
                code="data.encoding",
            ) from None
    if b"\x00" in raw[:4096]:
        raise DataError(
            lazy("is not a text file"),
            where=source,
            expected=_EXPECTED_TEXT,
            found=lazy("binary data (NUL bytes)"),
            code="data.encoding",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = lazy(
            "byte {byte} at offset {offset}", byte=format(raw[exc.start], "#04x"), offset=exc.start
        )
        line = raw.count(b"\n", 0, exc.start) + 1
    if raw.startswith(codecs.BOM_UTF8):
        raise DataError(
            lazy("is not valid UTF-8 text (it starts with a UTF-8 byte-order mark)"),
            where=source,
            expected=_EXPECTED_TEXT,
            found=lazy("{bad} (line {line})", bad=bad, line=line),
            code="data.encoding",
        )
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        raise DataError(
            lazy("is neither UTF-8 nor GBK/GB18030 text"),
            where=source,
            expected=_EXPECTED_TEXT,
            found=lazy("{bad} (line {line})", bad=bad, line=line),
            code="data.encoding",
        ) from None
    message = _("not UTF-8 ({bad}); read as GB18030 (GBK)", bad=bad)
    if warn is None:
        warnings.warn(
            DocgenWarning(lazy("{where}: {message}", where=source, message=message)), stacklevel=2
        )
    else:
        warn(message)
    return text


# --- file names -------------------------------------------------------------------------------

_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.IGNORECASE)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_MAX_NAME_BYTES = 150  # well under every file system's 255, leaving room for " (2)"


def safe_filename(name: str) -> str:
    """A file name that works on Windows, macOS and Linux, keeping Chinese as it is.

    Path separators and characters Windows forbids become ``_``; reserved device names get
    a ``_`` in front; trailing dots and spaces go; the name is kept under 150 bytes.

    >>> safe_filename("三(2)班/张三: 评语?.docx")
    '三(2)班_张三_ 评语_.docx'
    >>> safe_filename("../../etc/passwd"), safe_filename("CON.docx"), safe_filename(" . ")
    ('_.._etc_passwd', '_CON.docx', 'document')
    >>> safe_filename("..docx"), safe_filename(".docx")
    ('document.docx', 'document.docx')
    """
    name = _UNSAFE.sub("_", name)
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix.strip() and not stem.strip(" ."):  # "..docx", ".docx": no name at all
        name = f"document.{suffix}"
    name = name.strip(" .")  # no separators left; no hidden names
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    while len((stem + dot + suffix).encode("utf-8")) > _MAX_NAME_BYTES and stem:
        stem = stem[:-1]
    name = (stem + dot + suffix).strip()
    if not name.strip("._ "):
        return "document"
    if _RESERVED.match(name):
        name = "_" + name
    return name


class _Fields(string.Formatter):
    """``{title}``, ``{student.name}``, ``{extra.class}``, ``{n}``: fields of one record."""

    def __init__(self, record: Any, number: int) -> None:
        self.record = record
        self.number = number

    def get_field(
        self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]
    ) -> tuple[Any, str]:
        if field_name == "n":
            return self.number, field_name
        value: Any = self.record
        for part in field_name.split("."):
            if part.startswith("_"):
                raise KeyError(field_name)
            if isinstance(value, Mapping):
                value = value[part]
            elif not hasattr(value, part) and part in _extra(value):  # a report's extra
                value = _extra(value)[part]
            else:
                value = getattr(value, part)
        return ("" if value is None else value), field_name


def name_from_pattern(pattern: str, record: Any, number: int, label: str) -> str:
    """A safe file name from *pattern* (``{student.name}-{n}.docx``) filled from *record*.

    Fields name keys of a mapping or attributes of an object (a report's ``extra`` too);
    ``{n}`` is the record's *number*.  A field the record lacks is a :class:`DataError`
    naming the record's *label*.

    >>> name_from_pattern("{student.name}-{n}.docx", {"student": {"name": "张三"}}, 3, "r")
    '张三-3.docx'
    """
    try:
        name = _Fields(record, number).format(pattern)
    except (KeyError, AttributeError, IndexError, ValueError) as exc:
        raise DataError(
            lazy("has no value for the file-name pattern"),
            where=label,
            expected=lazy(
                "every field in {pattern!r} (fields of the record, or {{n}})", pattern=pattern
            ),
            found=lazy("missing {exc}", exc=exc),
            code="data.missing",
        ) from None
    return safe_filename(name)


def _extra(value: Any) -> Mapping[str, Any]:
    extra = getattr(value, "extra", None)
    return extra if isinstance(extra, Mapping) else {}


# --- pictures -----------------------------------------------------------------------------------

# What each picture format docgen places starts with (python-docx reads all of them).
_PICTURE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"BM",
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
)


def read_picture(path: str, where: str) -> bytes:
    """The bytes of the picture file *path*, read with a size cap; *where* names the field.

    Only a regular file is read (a device such as ``/dev/zero``, a named pipe or a folder is
    refused before a byte is read), at most :func:`docgen.limits.picture_limit` bytes of it
    (``DOCGEN_MAX_PICTURE_MB``), and its first bytes must be those of a PNG, JPEG, GIF, BMP
    or TIFF picture.

    Raises:
        RenderError: naming *where* and *path*: what was expected and what was found.
    """
    place = f"{where} ({path})"
    limit = picture_limit()
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise RenderError(
            lazy("cannot be read"),
            where=place,
            expected=lazy("a readable picture file"),
            found=exc.strerror or type(exc).__name__,
            code="render.picture_unreadable",
        ) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise RenderError(
            lazy("is not a file"),
            where=place,
            expected=lazy("a picture file (PNG, JPEG, GIF, BMP or TIFF)"),
            found=_file_kind(info.st_mode),
            code="render.picture_unreadable",
        )
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise RenderError(
            lazy("is larger than the {n:.3g} MB a picture may be", n=limit / 2**20),
            where=place,
            expected=lazy(
                "a smaller picture, or a higher limit in {PICTURE_SETTING} (in MB)",
                PICTURE_SETTING=PICTURE_SETTING,
            ),
            found=lazy("{max:,} bytes", max=max(info.st_size, len(data))),
            code="render.too_large",
        )
    if not data.startswith(_PICTURE_MAGIC):
        raise RenderError(
            lazy("is not a picture docgen can place"),
            where=place,
            expected=lazy("PNG, JPEG, GIF, BMP or TIFF data"),
            found=lazy("a file of {size:,} bytes in another format", size=len(data))
            if data
            else lazy("an empty file"),
            code="render.bad_picture",
        )
    return data


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def toml_module() -> Any:
    """The TOML reader, imported on first use: a YAML data file and a cached template need none.

    >>> toml_module().loads('name = "通知"')
    {'name': '通知'}
    """
    if sys.version_info >= (3, 11):
        import tomllib  # noqa: PLC0415

        return tomllib
    import tomli  # noqa: PLC0415 # pragma: no cover

    return tomli  # pragma: no cover
