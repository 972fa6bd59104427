"""Writing a ``.docx`` zip from members compressed once and reused.

Python's :mod:`zipfile` compresses every member it writes.  A template's unchanging parts
(styles, fonts, theme, settings, media) are the same for every document, so docgen deflates
them once when the template is compiled and writes the stored bytes for each document; only the
parts a render changes are compressed.  The format written is plain PKZIP 2.0 (deflate, no
zip64: a ``.docx`` never needs 4 GiB), which every reader of ``.docx`` accepts.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterable
from typing import Any, BinaryIO

import attrs

__all__ = ["Member", "UnseekableStream", "deflate", "write_zip"]

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_DOS_DATE = (2014 - 1980) << 9 | 1 << 5 | 1  # 2014-01-01, a fixed date: same input, same bytes
_UTF8_NAMES = 0x800


@attrs.define(frozen=True)
class Member:
    """One compressed zip member, ready to be written any number of times."""

    name: bytes
    crc: int
    size: int
    data: bytes
    flags: int


def deflate(name: str, data: bytes, level: int = 6) -> Member:
    """Compress one member (raw deflate, as zip stores it).

    >>> m = deflate("word/document.xml", b"<w:document/>")
    >>> (m.size, zlib.decompress(m.data, -15))
    (13, b'<w:document/>')
    """
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    encoded = name.encode("utf-8")
    flags = _UTF8_NAMES if not name.isascii() else 0
    return Member(encoded, zlib.crc32(data), len(data), packed, flags)


def write_zip(members: Iterable[Member]) -> bytes:
    """A zip archive holding *members* in order.

    >>> import io, zipfile
    >>> data = write_zip([deflate("a.txt", b"hello"), deflate("目录/b.txt", b"world")])
    >>> with zipfile.ZipFile(io.BytesIO(data)) as zf:
    ...     [(i.filename, zf.read(i)) for i in zf.infolist()]
    [('a.txt', b'hello'), ('目录/b.txt', b'world')]
    """
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for m in members:
        local = _LOCAL.pack(
            b"PK\x03\x04", 20, m.flags, 8, 0, _DOS_DATE, m.crc, len(m.data), m.size, len(m.name), 0
        )
        chunks += (local, m.name, m.data)
        central.append(
            _CENTRAL.pack(
                b"PK\x01\x02",
                20,
                20,
                m.flags,
                8,
                0,
                _DOS_DATE,
                m.crc,
                len(m.data),
                m.size,
                len(m.name),
                0,
                0,
                0,
                0,
                0o644 << 16,
                offset,
            )
            + m.name
        )
        offset += len(local) + len(m.name) + len(m.data)
    directory = b"".join(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(chunks) + directory + end


class UnseekableStream(io.RawIOBase):
    """A file that cannot seek, so :mod:`zipfile` writes each member in one pass.

    Written as a stream, no member's header is patched afterwards: half the time per member
    of a batch's zip.
    """

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh

    def writable(self) -> bool:
        """Always: the stream only writes."""
        return True

    def write(self, data: Any) -> int:
        """Pass *data* on to the file."""
        return self._fh.write(data)

    def flush(self) -> None:
        """Flush the file."""
        self._fh.flush()
