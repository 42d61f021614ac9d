"""The files a book is made from, as they were read: what the incremental records compare.

Readers that open a file besides the recipe and the story (pictures beside a saved page,
the cover picture) read it through `read_input`, which notes the bytes it returned to
every active `recording()`. A record made from these notes describes the bytes the book
was really made from, even when a file changes while the book is being built.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Read:
    """One file as read: where, its size and mtime then, and the hash of the bytes used."""

    path: str
    size: int
    mtime_ns: int
    digest: str


class _Recorders(threading.local):
    """The active recordings of this thread: a Dask worker running in threads builds several
    books at once in one process, and each book records only its own reads."""

    def __init__(self) -> None:
        self.active: list[dict[str, Read]] = []


_recorders = _Recorders()


@contextlib.contextmanager
def recording() -> Iterator[dict[str, Read]]:
    """Notes of every input read inside the block, by path (nested blocks each get them)."""
    notes: dict[str, Read] = {}
    active = _recorders.active
    active.append(notes)
    try:
        yield notes
    finally:
        active.remove(notes)


def note(path: Path | str, data: bytes, st: os.stat_result) -> None:
    """Tell the active recordings that `data` was read from `path` (stat taken before)."""
    active = _recorders.active
    if not active:
        return
    read = Read(str(path), st.st_size, st.st_mtime_ns, digest(data))
    for notes in active:
        notes.setdefault(read.path, read)


def replay(reads: tuple[Read, ...]) -> None:
    """Notes taken earlier (a story converted once and used again) into the active recordings."""
    for notes in _recorders.active:
        for read in reads:
            notes.setdefault(read.path, read)


def read_regular(path: Path | str, limit: int) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most `limit` bytes, and its stat from before reading.

    Opened without blocking, so a FIFO named in place of a file cannot hang the build;
    devices (/dev/zero) and oversized files are refused before anything is read.
    Raises OSError (EINVAL: not a regular file; EFBIG: over `limit`).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if st.st_size > limit:
            raise OSError(errno.EFBIG, "file too large", str(path))
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:  # grew while we read it
            raise OSError(errno.EFBIG, "file too large", str(path))
        return data, st
    finally:
        os.close(fd)


def read_input(path: Path | str, limit: int) -> bytes | None:
    """An input file's bytes (noted for the records), or None when it is missing, not a
    regular file, larger than `limit` or unreadable: the caller says what that means."""
    try:
        data, st = read_regular(path, limit)
    except OSError:
        return None
    note(path, data, st)
    return data
