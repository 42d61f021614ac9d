"""The text reader's unit: a paragraph as found in the file, before any rule."""

from __future__ import annotations

from typing import NamedTuple


class RawPara(NamedTuple):
    """A paragraph as the reader finds it. A named tuple, not a frozen dataclass: there is
    one for every paragraph, and a tuple is built in a fraction of the time."""

    line: int  # 1-based line of its first line
    text: str  # lines joined: " " where unwrapped, "\n" where a line break stays
    gap: int  # blank lines before it
    brk: bool = False  # a scene break before it (blank-line run)
