"""Digests of files that seldom change, kept between runs by what `stat` says of them.

Every build takes the digest of ficbook's own files twice before it starts (the key of the
compiled converter, `native.source_key`, and of the books' records, `manifest.tool_key`:
1.5 MB read and hashed, 3% of what the process runs before its workers start). These
files change between runs seldom or never, so each file's digest is kept in the user's
cache folder with its size, mtime, ctime and inode, and taken again only when one of
those moved (any write moves the ctime, which no tool sets back): the trust the books'
records already give a file's size and mtime (`manifest.fresh`). No cache folder: every
digest is taken.
Only ficbook's own files (its source, the cover styles and fonts it ships): a user's
files (recipes, stories, the fonts of `$FICBOOK_COVERS`) are stamped by the books'
records (`manifest.stamp`), which a shelf would otherwise write here one by one.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable

from ficbook.inputs import digest, read_regular

_FILE = "digests.json"
_MAX = 5_000  # files remembered; past it, the older half is forgotten


class _Memo:
    def __init__(self) -> None:
        self.lock = threading.Lock()  # a Dask worker converts in several threads
        self.loaded = False
        self.known: dict[str, list] = {}  # path -> [size, mtime_ns, ctime_ns, inode, digest]
        self.changed = False


_memo = _Memo()


def file_digests(paths: Iterable[str], limit: int) -> dict[str, str]:
    """Each regular file's digest (`inputs.digest` of its bytes), by path; OSError as
    `inputs.read_regular` gives (not a regular file, over `limit` bytes, unreadable)."""
    from ficbook.usercache import folder

    where = folder()
    with _memo.lock:
        return _digests(paths, limit, where)


def _digests(paths: Iterable[str], limit: int, where: os.PathLike[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in paths:
        known = _known(where).get(path) if where is not None else None
        if known is not None:
            st = os.stat(path)
            if known[:4] == [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]:
                out[path] = known[4]
                continue
        data, st = read_regular(path, limit)
        out[path] = digest(data)
        if where is not None and os.stat(path).st_ctime_ns == st.st_ctime_ns:  # not written meanwhile
            _memo.known[path] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, out[path]]
            _memo.changed = True
    if _memo.changed and where is not None:
        _save(where)
    return out


def _known(where: os.PathLike[str] | str) -> dict[str, list]:
    if not _memo.loaded:
        _memo.loaded = True
        try:
            with open(os.path.join(where, _FILE), encoding="utf-8") as fh:
                data = json.load(fh)
            if isinstance(data, dict):
                _memo.known = {k: v for k, v in data.items() if isinstance(v, list) and len(v) == 5}
        except (OSError, ValueError):
            pass  # none yet, or damaged: taken anew and written again
    return _memo.known


def _save(where: os.PathLike[str] | str) -> None:
    """Temp file and rename; best effort (a digest not kept is only taken again)."""
    _memo.changed = False
    if len(_memo.known) > _MAX:
        _memo.known = dict(list(_memo.known.items())[-_MAX // 2:])
    path = os.path.join(where, _FILE)
    tmp = f"{path}.{os.getpid()}.part"
    try:
        os.makedirs(where, exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(_memo.known, fh)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
