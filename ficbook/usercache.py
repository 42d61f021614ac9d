"""What ficbook makes of its own data, kept between runs in the user's cache folder.

Parsing the package's 25 YAML data files costs some 60 ms a process, and unpacking
py3langid's model (LZMA) most of two seconds in every process that meets a story not in
plain English; a pickle of either loads in a few milliseconds (the model: 0.2 s). Each
entry is keyed by what it was made from (the file's bytes, the library's version), so a
changed file or library makes a new entry and the old one of that kind is removed. Any
failure (no cache folder, a full disk, a damaged entry) makes the value anew: the cache
can only make a run faster, never change what it does.

The folder: FICBOOK_CACHE, else $XDG_CACHE_HOME/ficbook, else ~/.cache/ficbook;
FICBOOK_CACHE=off keeps nothing. Entries are pickles, read only from the user's own
cache folder (anyone who can write there can already run code as the user).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
_PROTOCOL = 5


def folder() -> Path | None:
    """The cache folder, or None when caching is off."""
    env = os.environ.get("FICBOOK_CACHE")
    if env:
        return None if env.lower() == "off" else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ficbook"


def cached(kind: str, key: bytes, make: Callable[[], T]) -> T:
    """`make()`, or what it gave last time for the same `kind` and `key`. `kind` names
    one thing ("data.languages.en"): a new key replaces its entry."""
    where = folder()
    if where is None:
        return make()
    digest = hashlib.blake2b(key + sys.version.encode(), digest_size=12).hexdigest()
    path = where / f"{kind}@{digest}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        pass
    except Exception:  # a damaged or foreign entry: made anew below
        pass
    value = make()
    _store(where, path, kind, value)
    return value


def _store(where: Path, path: Path, kind: str, value: object) -> None:
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=where)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        for old in where.glob(f"{kind}@*.pickle"):  # the entries of older files or versions
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError):
        pass  # nothing kept: the next run makes it again
