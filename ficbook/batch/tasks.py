"""What a worker runs: a chunk of stories to convert, or a whole book.

Module-level functions with plain, picklable arguments, so the same tasks run in the
local process pool (`workers`) and on a Dask cluster (`cluster`). A chunk's stories come
back as bytes (`wire`), each with the key `StoryMemo.convert` gives it, and the process
that builds the book hands them to its memo (`StoryMemo.deliver`): the book is then built
exactly as if it had converted them itself, in recipe order, whatever ran where.
"""

from __future__ import annotations

import os
import signal
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ficbook.batch.memo import StoryMemo
from ficbook.batch.one import Job, Outcome, _few_collections, build_one
from ficbook.errors import ExitCode

if TYPE_CHECKING:
    from ficbook.convert import ConvertOptions, ConvertResult
    from ficbook.inputs import Read

# This process's state as a worker: the local pool's message queue (None on a cluster),
# its memo of converted stories, and whether a book is being written (see `_on_term`).
_worker: dict = {}


@dataclass(frozen=True)
class StoryTask:
    """One story to convert, named as the book's build will ask for it."""

    path: str  # str(recipe.story_path(entry))
    display: str
    options: ConvertOptions
    size: int  # bytes, to make chunks of about the same work


def init_local(queue, spool: str) -> None:  # noqa: ANN001
    """A local pool's worker: Ctrl-C reaches the whole process group, and the parent
    decides; a worker stops on SIGTERM (unwinding through `write_atomic` when busy).
    `spool`: the run's folder for converted chunks (see `convert_chunk`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_term)
    _worker.update(queue=queue, spool=spool, busy=False)


def _on_term(signum, frame) -> None:  # noqa: ANN001
    if _worker.get("busy"):
        raise KeyboardInterrupt  # unwinds through write_atomic, which removes its temp file
    os._exit(int(ExitCode.INTERRUPTED))


def _say(task: int, stage: str | None = None) -> None:
    """To the local pool's parent: this process runs `task` (now at `stage`)."""
    queue = _worker.get("queue")
    if queue is not None:
        queue.put((os.getpid(), task, stage))


class _ThreadMemo(threading.local):
    def __init__(self) -> None:
        self.memo = StoryMemo()


_thread = _ThreadMemo()


def _memo() -> StoryMemo:
    """A local pool's worker: the memo it inherited. A Dask worker may run tasks in several
    threads: one memo each (a memo is not shared between threads)."""
    return _worker.get("memo") or _thread.memo


def convert_chunk(task: int, stories: tuple[StoryTask, ...]) -> bytes | str:
    """`convert_stories` as bytes, for the process that builds the book. A local worker
    writes them to a file in the run's spool folder and returns its path: a worker killed
    while sending megabytes through the pool's pipe leaves the pool reading a half message
    for ever (seen), while a path is sent in one atomic write."""
    from ficbook.batch import wire

    _say(task)
    with _few_collections():  # as a book's build: its stories make no cycles worth finding
        data = wire.dumps(convert_stories(stories))
    spool = _worker.get("spool")
    if spool is None:
        return data
    path = os.path.join(spool, f"chunk-{task}-{os.getpid()}")
    with open(path, "wb") as fh:
        fh.write(data)
    return path


def convert_stories(stories: tuple[StoryTask, ...]) -> list[tuple[tuple, ConvertResult, tuple[Read, ...]]]:
    """Each story's memo key, conversion and the other files its reader read. A story that
    fails is left out: the book's build converts it again and reports the problem in its
    own words."""
    from ficbook.inputs import recording
    from ficbook.readers import read_story
    from ficbook.readers.source import read_source

    out = []
    for task in stories:
        try:
            with recording() as notes:
                source = read_source(Path(task.path), display=task.display)
            story = notes.get(task.path)
            if story is None:
                continue
            with recording() as notes:
                result = read_story(source, task.options)
        except Exception:  # noqa: BLE001 - see above
            continue
        out.append(((task.path, task.display, story.digest, task.options), result, tuple(notes.values())))
    return out


def build_book(task: int, recipe: Path, job: Job, key: str, links: tuple[str, ...] = (),
               warnings: tuple[str, ...] = ()) -> Outcome:
    """One whole book, written by this worker (on a cluster, into a folder the client shares)."""
    _say(task)
    local = _worker.get("queue") is not None
    _worker["busy"] = True
    try:
        return build_one(recipe, job, key, _memo(), lambda stage: _say(task, stage), links, warnings)
    except KeyboardInterrupt:
        if not local:  # a cluster's worker: not ours to end
            raise
        os._exit(int(ExitCode.INTERRUPTED))
    finally:
        _worker["busy"] = False
