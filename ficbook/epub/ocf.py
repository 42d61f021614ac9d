"""The EPUB container (OCF): a deterministic zip, written here rather than by `zipfile`.

`zipfile` can only deflate with the standard library's zlib, which was 0.19 s of a 10 MB
anthology's 0.27 s of packaging (bench/). ISA-L (the `isal` package) deflates the same
text about five times faster into a stream a few percent larger, so the entries are
compressed with it and laid out here. The layout is the plain zip format (APPNOTE 4.3):
no zip64 (a book is far below 4 GiB and 65,535 entries), no extra fields, no data
descriptors. The same entries give the same bytes, on one machine and for one ISA-L
version; ISA-L picks its code by CPU features, so another CPU may deflate differently
(the contents inflate the same).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from isal import isal_zlib

from ficbook.errors import OutputError

# ISA-L's levels are 0-3. On the bench anthology's 11.5 MB of XHTML: level 3 gives 5.00 MB
# in 0.05 s, level 2 5.09 MB in 0.04 s; zlib level 4 (used before) gave 4.88 MB in 0.19 s.
LEVEL = 3
# Already compressed: deflating again costs time and saves nothing.
_STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".woff", ".woff2")

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_VERSION = 20  # 2.0: deflate
_MADE_BY = (3 << 8) | _VERSION  # Unix, so that the permissions below are read
_UNIX_FILE = 0o100644 << 16


@dataclass(frozen=True, slots=True)
class Deflated:
    """A file's bytes deflated ahead of the zip, where its story was rendered (a worker)."""

    body: bytes  # raw deflate
    crc: int  # of the file's own bytes
    size: int


def deflate(data: bytes) -> Deflated:
    return Deflated(isal_zlib.compress(data, LEVEL, -15), zlib.crc32(data), len(data))


class Entry(NamedTuple):
    """One file of the zip (a named tuple: a 2,000-story book makes 8,600 of them while
    nothing else runs, and a frozen dataclass takes four times as long to make)."""

    name: str
    data: bytes
    compress: bool = True
    date_time: tuple[int, int, int, int, int, int] | None = None  # None: the zip's
    ready: Deflated | None = None  # deflated already: `data` is not read


def _dos(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    return (hour << 11 | minute << 5 | second // 2,
            (max(year, 1980) - 1980) << 9 | month << 5 | day)


def should_compress(name: str) -> bool:
    return name != "mimetype" and not name.lower().endswith(_STORED_SUFFIXES)


def write_zip(entries: Iterable[Entry], date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """The zip of `entries`, in the order given, each stamped with its own date or `date_time`."""
    return b"".join(zip_parts(entries, date_time))


def zip_parts(entries: Iterable[Entry], date_time: tuple[int, int, int, int, int, int]) -> list[bytes]:
    """`write_zip`'s bytes as the pieces they are made of, in order: a book's deflated
    pages are written to its file as they are (`outputs.write_atomic`), never copied into
    one string first (joining 50 MB cost more than the rest of packaging)."""
    default = _dos(date_time)
    parts: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    seen: set[str] = set()
    for entry in entries:
        if entry.name in seen:
            raise ValueError(f"duplicate zip entry: {entry.name}")
        seen.add(entry.name)
        name = entry.name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800  # bit 11: the name is UTF-8
        dos_time, dos_date = _dos(entry.date_time) if entry.date_time else default
        if entry.ready is not None or entry.compress:
            done = entry.ready or deflate(entry.data)
            method, body, crc, size = 8, done.body, done.crc, done.size
        else:
            method, body, crc, size = 0, entry.data, zlib.crc32(entry.data), len(entry.data)
        header = _LOCAL.pack(0x04034B50, _VERSION, flags, method, dos_time, dos_date,
                             crc, len(body), size, len(name), 0)
        parts += (header, name, body)
        central.append(_CENTRAL.pack(0x02014B50, _MADE_BY, _VERSION, flags, method, dos_time,
                                     dos_date, crc, len(body), size, len(name),
                                     0, 0, 0, 0, _UNIX_FILE, offset) + name)
        offset += len(header) + len(name) + len(body)
    directory = b"".join(central)
    if len(central) > 0xFFFF:
        raise OutputError(f"the book would hold {len(central):,} files; an EPUB holds at most "
                          "65,535: split the anthology into volumes")
    if offset + len(directory) > 0xFFFFFFFF:
        raise OutputError("the book would be larger than 4 GB, more than an EPUB holds: "
                          "split the anthology into volumes")
    end = _END.pack(0x06054B50, 0, 0, len(central), len(central), len(directory), offset, 0)
    parts += (directory, end)
    return parts
