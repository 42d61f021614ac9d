"""Paths resolved the way `os.path.realpath` does, for thousands of files in a few folders."""

from __future__ import annotations

import os


def realpath(path: str | os.PathLike[str], folders: dict[str, str]) -> str:
    """`os.path.realpath(path)`, each folder resolved once (`folders` keeps them): the same
    answer, as realpath resolves the folders before a name the same whatever the name,
    then the name itself, which only a symlink changes. A symlink, a last part that is
    empty, "." or "..", and a relative path (the current folder may change) go to
    realpath whole. A story in a shelf of 2,000 costs one lstat instead of one per part."""
    text = os.fspath(path)
    folder, name = os.path.split(text)
    if not os.path.isabs(text) or name in ("", ".", "..") or os.path.islink(text):
        return os.path.realpath(text)
    real = folders.get(folder)
    if real is None:
        real = folders[folder] = os.path.realpath(folder)
    return os.path.join(real, name)
