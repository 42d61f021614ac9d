"""Converted stories kept in memory, so a story several books share is converted once."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ficbook.inputs import Read, digest, recording, replay

if TYPE_CHECKING:  # the no-change path of a batch imports this module and little else
    from ficbook.convert import ConvertOptions, ConvertResult
    from ficbook.pieces import StoryPiece


class StoryMemo:
    """Converted stories of this process, keyed by path, content hash and options.

    A story shared by several recipes is converted once per process (and once per run:
    `batch` converts the shared ones before its workers fork, and they inherit the memo).
    Bounded by the bytes of source kept (least recently used first out), so a long batch
    does not keep a whole library of parsed stories in memory. The files a story's reader
    opened besides the story (pictures beside a saved page) are kept with it and noted
    again on a hit, so that every book using it records them (`ficbook.inputs`).
    """

    def __init__(self, max_source_bytes: int = 16 * 1024 * 1024):
        self.max_source_bytes = max_source_bytes
        self._kept: OrderedDict[tuple, tuple[ConvertResult, int, tuple[Read, ...]]] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0
        self.ready: dict[tuple, tuple[ConvertResult, tuple[Read, ...]]] = {}
        self.pieces: dict[tuple, tuple[StoryPiece, tuple[Read, ...]]] = {}

    @property
    def room(self) -> int:
        """Bytes of source the memo can still keep without dropping any."""
        return self.max_source_bytes - self._bytes

    def convert(self, path: Path, display: str, options: ConvertOptions) -> ConvertResult:
        from ficbook.readers import read_story
        from ficbook.readers.source import read_source

        with recording() as notes:  # read_source notes the story itself
            source = read_source(path, display=display)
        story = notes.get(str(path))
        key = (str(path), display, story.digest if story else digest(source.data), options)
        ready = self.ready.pop(key, None)
        if ready is not None:  # converted by a worker for this run (`batch.workers`)
            result, reads = ready
            self.keep(key, result, len(source.data), reads)
            self.hits += 1
            replay(reads)
            return result
        hit = self._kept.get(key)
        if hit is not None:
            self._kept.move_to_end(key)
            self.hits += 1
            replay(hit[2])
            return hit[0]
        self.misses += 1
        with recording() as notes:
            result = read_story(source, options)
        self.keep(key, result, len(source.data), tuple(notes.values()))
        return result

    def keep(self, key: tuple, result: ConvertResult, size: int, reads: tuple[Read, ...]) -> None:
        if size <= self.max_source_bytes and key not in self._kept:
            self._kept[key] = (result, size, reads)
            self._bytes += size
            while self._bytes > self.max_source_bytes:
                _, (_, dropped, _) = self._kept.popitem(last=False)
                self._bytes -= dropped

    def deliver(self, key: tuple, result: ConvertResult, reads: tuple[Read, ...]) -> None:
        """A story a worker converted, with its key as `convert` makes it: held for the
        book of the run that asks for it (not bounded: the run sends only what its books
        need), then kept like any other."""
        self.ready[key] = (result, reads)

    def deliver_piece(self, where: tuple, piece: StoryPiece, reads: tuple[Read, ...]) -> None:
        """A story a worker converted and made into its piece of a book, for the build of
        that book (`where`: `build.piece_place`); `reads`: the story file as the worker
        read it, and the other files its reader read."""
        self.pieces[where] = (piece, reads)

    def piece(self, where: Callable[[], tuple]) -> StoryPiece | None:
        """The piece delivered for `where()` (once), its files noted as read; else None.
        `where` is asked only when pieces were delivered: most builds have none."""
        hit = self.pieces.pop(where(), None) if self.pieces else None
        if hit is None:
            return None
        self.hits += 1
        replay(hit[1])
        return hit[0]
