"""Where books are written: the book for a recipe and its copies for devices. One
definition, used by the build, the batch records, sideloading and the cover preview;
and how every output is written (temporary file, then rename)."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from ficbook.errors import OutputError

# The copies a book can have beside it, by device format.
KEPUB_SUFFIX = ".kepub.epub"  # Kobo's own engine
AZW3_SUFFIX = ".azw3"  # Kindle (made with calibre)


def output_path(recipe_path: Path, out_dir: Path | None) -> Path:
    """`--out DIR`, else `build/` beside the recipes' folder (recipes/x.yaml -> build/x.epub)."""
    folder = out_dir if out_dir is not None else recipe_path.resolve().parent.parent / "build"
    return folder / f"{recipe_path.stem}.epub"


def kepub_path(book: Path) -> Path:
    return book.with_name((book_stem(book) or book.stem) + KEPUB_SUFFIX)


def azw3_path(book: Path) -> Path:
    return book.with_name((book_stem(book) or book.stem) + AZW3_SUFFIX)


def book_stem(book: Path) -> str | None:
    """NAME for NAME.epub, NAME.kepub.epub and NAME.azw3 alike; None for other files."""
    name = book.name
    for suffix in (KEPUB_SUFFIX, AZW3_SUFFIX, ".epub"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return None


# ------------------------------------------------------------------ writing


def write_atomic(path: Path, data: bytes | Sequence[bytes], what: str = "the book") -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file.
    `data`: the bytes, or pieces of them written one after the other (`_write_pieces`).

    The temporary file's name carries the writer's process id (`.NAME.PID-XXXXXXXX.part`):
    it belongs to that process, and only once that process is gone may another one
    remove it (`sweep`) — never the file of a build still running beside this one.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        sweep(path)
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path.name), suffix=".part", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror or exc}", file=str(path.parent)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
            else:
                _write_pieces(fh, data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {what}: {exc.strerror or exc}", file=str(path)) from None
        raise


def _write_pieces(fh: BinaryIO, pieces: Sequence[bytes]) -> None:
    """`pieces` in order, a thousand to a `writev` call: a book's 50 MB took ten times as
    long to write as one joined string (measured), and joining them costs a copy too."""
    if not hasattr(os, "writev"):
        fh.writelines(pieces)
        return
    fh.flush()
    fd = fh.fileno()
    todo: list[bytes | memoryview] = list(pieces)
    start = 0
    while start < len(todo):
        batch = todo[start:start + 1024]
        written = os.writev(fd, batch)
        if written == sum(map(len, batch)):  # the usual case: all of them
            start += len(batch)
            continue
        if not written:
            raise OSError(errno.EIO, "the file takes no more bytes")
        while start < len(todo) and written >= len(todo[start]):  # whole pieces written
            written -= len(todo[start])
            start += 1
        if written:  # a piece written in part: the rest of it next
            todo[start] = memoryview(todo[start])[written:]


def _temp_prefix(name: str) -> str:
    """`.NAME.PID-`, NAME cut so that the temporary name (8 random characters and `.part`
    after it) fits the usual 255-byte limit whenever the book's own name does."""
    owner = f".{os.getpid()}-"
    prefix = f".{name}"
    while len(os.fsencode(prefix + owner)) > 255 - 8 - len(".part"):
        prefix = prefix[:-1]
    return prefix + owner


_OWNED = re.compile(r"\.(\d+)-[^.]{6,}\.part$")


def sweep(path: Path) -> list[Path]:
    """Remove the temporary files of `path` whose writer is gone (killed mid-write);
    returns them. Files of a live process, and files not named by `write_atomic`, stay."""
    removed: list[Path] = []
    prefix = _temp_prefix(path.name)[: -len(f".{os.getpid()}-")]
    try:
        names = os.listdir(path.parent)
    except OSError:
        return removed
    for name in names:
        if not name.startswith(prefix + "."):
            continue
        m = _OWNED.search(name)
        if m is None or name[len(prefix):m.start()] or _alive(int(m[1])):
            continue
        try:
            os.unlink(path.parent / name)
            removed.append(path.parent / name)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # ours, from before: we are not writing it now (one write at a time)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process: leave its file alone
    return True


# ---------------------------------------------------------------- downloads (a recipe's links)

DOWNLOADS = "downloads"


def cache_dir(recipe_path: Path) -> Path:
    """`downloads/` beside the default `build/` folder: the recipes' folder's parent. The
    same for every `--out`, so a rebuild elsewhere needs no new connection."""
    return Path(os.path.realpath(recipe_path)).parent.parent / DOWNLOADS


def file_name(url: str) -> str:
    """A readable, stable, safe name: the site and the link's last parts, and a hash."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", re.sub(r"^https?://(www\.)?", "", url)).strip("-")[:60]
    return f"{slug}-{hashlib.sha1(url.encode()).hexdigest()[:10]}.epub"


def download_path(recipe_path: Path, url: str) -> Path:
    return cache_dir(recipe_path) / file_name(url.strip())
