"""What a worker runs: a chunk of stories to convert, or a whole book.

Module-level functions with plain, picklable arguments, so the same tasks run in the
local process pool (`workers`) and on a Dask cluster (`cluster`). A chunk's stories come
back as bytes (`wire`): each made into its piece of the book (`ficbook.pieces`: placed,
rendered, deflated; what travels is its compressed pages and its metadata), or, for a
book cut into volumes (which needs the stories themselves), converted, with the key
`StoryMemo.convert` gives it. The process that builds the book hands them to its memo
(`StoryMemo.deliver_piece`, `deliver`): the book is then built exactly as if it had made
them itself, in recipe order, whatever ran where.
"""

from __future__ import annotations

import os
import signal
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ficbook.batch.memo import StoryMemo
from ficbook.batch.one import Job, Outcome, _no_collections, build_one
from ficbook.errors import ExitCode

if TYPE_CHECKING:
    from ficbook.convert import ConvertOptions, ConvertResult
    from ficbook.inputs import Read
    from ficbook.pieces import StoryPiece
    from ficbook.recipe import Recipe

# This process's state as a worker: the local pool's message queue (None on a cluster),
# its memo of converted stories, the recipes as the run read them (a local pool's: the
# parent's, with their stamps, by absolute path; a cluster worker's: read here) and
# whether a book is being written (see `_on_term`).
_worker: dict = {}


@dataclass(frozen=True)
class StoryTask:
    """One story to convert, named as the book's build will ask for it."""

    path: str  # str(recipe.story_path(entry))
    display: str
    options: ConvertOptions
    size: int  # bytes, to make chunks of about the same work
    number: int = 0  # its place in its book, 1-based


def init_local(queue, spool: str, covers: tuple[str, ...] = ()) -> None:  # noqa: ANN001
    """A local pool's worker: Ctrl-C reaches the whole process group, and the parent
    decides; a worker stops on SIGTERM (unwinding through `write_atomic` when busy).
    `spool`: the run's folder for converted chunks (see `convert_chunk`); `covers`: the
    cover styles of the books put together in the parent, one of which this worker may
    draw at the end, while the parent packages (ready then, it is not the last to end)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_term)
    _worker.update(queue=queue, spool=spool, busy=False)
    if covers:
        from ficbook.cover import warm

        warm(covers)


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


def convert_chunk(task: int, stories: tuple[StoryTask, ...], book: str = "", recipe_file: str = "") -> bytes | str:
    """`make_pieces` (with the book's recipe) or `convert_stories` (without) as bytes, for
    the process that builds the book. A local worker writes them to a file in the run's
    spool folder and returns its path: a worker killed while sending megabytes through the
    pool's pipe leaves the pool reading a half message for ever (seen), while a path is
    sent in one atomic write."""
    from ficbook.batch import wire

    _say(task)
    with _no_collections():
        made = make_pieces(book, recipe_file, stories) if recipe_file else convert_stories(stories)
        data = wire.dumps(made)
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
    out = []
    for task in stories:
        done = _convert(task)
        if done is not None:
            story, result, reads = done
            out.append(((task.path, task.display, story.digest, task.options), result, reads))
    return out


def _convert(task: StoryTask) -> tuple[Read, ConvertResult, tuple[Read, ...]] | None:
    """The story file as read, its conversion and the other files its reader read; None
    when it fails (see `convert_stories`)."""
    from ficbook.inputs import recording
    from ficbook.readers import read_story
    from ficbook.readers.source import read_source

    try:
        with recording() as notes:
            source = read_source(Path(task.path), display=task.display)
        story = notes.get(task.path)
        if story is None:
            return None
        with recording() as notes:
            result = read_story(source, task.options)
    except Exception:  # noqa: BLE001 - see above
        return None
    return story, result, tuple(notes.values())


def make_pieces(book: str, recipe_file: str,
                stories: tuple[StoryTask, ...]) -> list[tuple[tuple, StoryPiece, tuple[Read, ...]]]:
    """Each story converted and made into its piece of `book` (the recipe path as the
    build is given it; `recipe_file`: the same, absolute), with where the build uses it
    (`build.piece_place`) and the files read: the story as read, then the others. A story
    that fails is left out, as in `convert_stories`."""
    from ficbook.assemble import frame
    from ficbook.build import piece_place
    from ficbook.pieces import story_piece

    recipe = _recipe(recipe_file)
    shared = frame(recipe)
    entries = recipe.all_stories
    out = []
    for task in stories:
        if not 0 < task.number <= len(entries):  # the recipe changed meanwhile
            continue
        entry = entries[task.number - 1]
        place = piece_place(book, task.number, recipe, entry)
        if place[2:] != (task.path, task.options):  # likewise
            continue
        done = _convert(task)
        if done is None:
            continue
        story, result, reads = done
        try:
            piece = story_piece(recipe, entry, task.number, result, shared)
        except Exception:  # noqa: BLE001 - the book's build makes it again, and says what is wrong
            continue
        out.append((place, piece, (story, *reads)))
    return out


def _recipe(path: str) -> Recipe:
    """The recipe at `path` (absolute), read once per process (a local pool's workers
    have the parent's already: `_worker["read"]`)."""
    read = _worker.get("read", {}).get(path)
    if read is not None:
        return read[0]
    known = _worker.setdefault("recipes", {})
    recipe = known.get(path)
    if recipe is None:
        from ficbook.recipe import load_recipe

        recipe = known[path] = load_recipe(Path(path))
    return recipe


def build_book(task: int, recipe: Path, job: Job, key: str, links: tuple[str, ...] = (),
               warnings: tuple[str, ...] = ()) -> Outcome:
    """One whole book, written by this worker (on a cluster, into a folder the client shares)."""
    _say(task)
    local = _worker.get("queue") is not None
    _worker["busy"] = True
    try:
        return build_one(recipe, job, key, _memo(), lambda stage: _say(task, stage), links, warnings,
                         read=_worker.get("read", {}).get(os.path.abspath(recipe)))
    except KeyboardInterrupt:
        if not local:  # a cluster's worker: not ours to end
            raise
        os._exit(int(ExitCode.INTERRUPTED))
    finally:
        _worker["busy"] = False
