"""Converted stories kept in memory, so a story several books share is converted once."""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

from ficbook.batch.manifest import Stamp, digest, stamp

if TYPE_CHECKING:  # the no-change path of a batch imports this module and little else
    from ficbook.convert import ConvertOptions, ConvertResult


class StoryMemo:
    """Converted stories of this process, keyed by path, content hash and options.

    A story shared by several recipes is converted once per process (and once per run:
    `batch` converts the shared ones before its workers fork, and they inherit the memo).
    Bounded by the bytes of source kept (least recently used first out), so a long batch
    does not keep a whole library of parsed stories in memory. Also remembers the stamp of
    every story read, for the manifests.
    """

    def __init__(self, max_source_bytes: int = 16 * 1024 * 1024):
        self.max_source_bytes = max_source_bytes
        self.stamps: dict[str, Stamp] = {}
        self._kept: OrderedDict[tuple, tuple[ConvertResult, int]] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    @property
    def room(self) -> int:
        """Bytes of source the memo can still keep without dropping any."""
        return self.max_source_bytes - self._bytes

    def convert(self, path: Path, display: str, options: ConvertOptions) -> ConvertResult:
        from ficbook.readers import read_story
        from ficbook.readers.source import read_source

        try:
            st = os.stat(path)
        except OSError:
            st = None  # read_source reports the problem in its own words
        source = read_source(path, display=display)
        s = stamp(path, source.data, st) if st is not None else None
        if s is not None:
            self.stamps[str(path)] = s
        key = (str(path), display, s.digest if s else digest(source.data), options)
        hit = self._kept.get(key)
        if hit is not None:
            self._kept.move_to_end(key)
            self.hits += 1
            return hit[0]
        self.misses += 1
        result = read_story(source, options)
        size = len(source.data)
        if size <= self.max_source_bytes:
            self._kept[key] = (result, size)
            self._bytes += size
            while self._bytes > self.max_source_bytes:
                _, (_, dropped) = self._kept.popitem(last=False)
                self._bytes -= dropped
        return result
