"""Books built with worker processes, for `--jobs` above 1 (see `pool.run`): the run's
tasks (`schedule`) on a `ProcessPoolExecutor` whose workers are forked from this process.

A local worker killed from outside (the kernel's out-of-memory killer sends SIGKILL) breaks
a `ProcessPoolExecutor` as a whole. Here only the book that worker was building (or the
books waiting for the chunk it was converting) fails; the other tasks go to a fresh pool.
Which task a worker runs is known from its messages, which carry its process id.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import signal
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ficbook.batch import tasks
from ficbook.batch.memo import StoryMemo
from ficbook.batch.one import (
    Interrupted,
    Job,
    Outcome,
    Reporter,
    _few_collections,
    _links,
    _Plan,
    _read,
    _sweep,
)
from ficbook.batch.schedule import Run, Task, Work, chunk_args, chunk_items, deliver, plan
from ficbook.errors import ExitCode

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ficbook.convert import ConvertOptions
    from ficbook.recipe import Recipe, StoryEntry


class Local(Run):
    """A local process pool, forked: workers start at once with ficbook imported and the
    stories several books share already converted (the parent's memo, inherited)."""

    def __init__(self, *args: Any, workers: int) -> None:
        super().__init__(*args)
        import multiprocessing as mp

        self.ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        self.workers = workers
        self.spool = _spool()
        self.running: dict[int, int] = {}  # worker pid -> the task it said it runs
        self.processes: dict = {}
        self.pool = self._pool()
        self.window = 2 * workers
        self.helps = True

    def _pool(self):  # noqa: ANN202
        from concurrent.futures import ProcessPoolExecutor

        # A queue of its own: a worker killed while writing to one holds its lock for good.
        self.queue = self.ctx.SimpleQueue()
        covers = tuple(sorted({self.plans[b].recipe.cover.style for b in self.work.split
                               if b in self.plans and self.plans[b].recipe.cover.file is None}))
        return ProcessPoolExecutor(self.workers, mp_context=self.ctx, initializer=tasks.init_local,
                                   initargs=(self.queue, self.spool, covers))

    def submit(self, task: Task) -> Future:
        # The workers are forked during the first submits: a reporter with a drawing thread
        # stops it meanwhile, so no child starts with a lock held by a thread it does not have.
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        with getattr(self.reporter, "forking", contextlib.nullcontext)():
            try:
                if task.book:
                    book = task.books[0]
                    fut = self.pool.submit(tasks.build_book, task.id, book, self.job, self.key,
                                           *_links(self.plans, book))
                else:
                    fut = self.pool.submit(tasks.convert_chunk, task.id, *chunk_args(task))
            except BrokenProcessPool as exc:  # broke since the last look: like any future of it
                fut = Future()
                fut.set_exception(exc)
        self.processes.update(getattr(self.pool, "_processes", None) or {})
        return fut

    def spare(self) -> Any:
        return self.pool.submit

    def messages(self) -> None:
        self.processes.update(getattr(self.pool, "_processes", None) or {})
        while not self.queue.empty():
            pid, task_id, stage = self.queue.get()
            self.running[pid] = task_id
            task = self.by_id.get(task_id)
            if stage is not None and task is not None:
                self.reporter.stage(task.books[0], stage)

    def broken(self, exc: BaseException) -> bool:
        from concurrent.futures.process import BrokenProcessPool

        return isinstance(exc, BrokenProcessPool)

    def recover(self, lost: list[Task]) -> None:
        self.pool.shutdown(wait=True)
        self.messages()
        for pid, how in _killed(self.processes).items():
            task = self.by_id.get(self.running.get(pid, -1))
            if task in lost:
                lost.remove(task)
                self.lose(task, how)
        _sweep([t.books[0] for t in lost if t.book], self.job)  # the stopped workers' temp files
        self.processes.clear()
        self.running.clear()
        self.pool = self._pool()
        self.send(lost)

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.messages()

    def stop(self) -> None:
        """Workers get SIGTERM, unwind (temp files removed), and exit."""
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        for p in processes:
            if p.is_alive():
                p.terminate()
        deadline = time.monotonic() + 5
        for p in processes:
            p.join(max(0.0, deadline - time.monotonic()))
            if p.is_alive():
                p.kill()
                p.join()
        # With the workers gone, wait for the pool's manager thread as well: at exit Python
        # 3.11 wakes every manager thread still registered, and one that closed its wake-up
        # pipe meanwhile printed an EBADF traceback (seen 1 Ctrl-C in 13 on a loaded machine).
        self.pool.shutdown(wait=True, cancel_futures=True)
        gc.collect()  # the finished thread leaves that registry (a weak dictionary)
        self.messages()


def run_pool(todo: list[Path], job: Job, key: str, reporter: Reporter,
             outcomes: dict[Path, Outcome], workers: int, plans: dict[Path, _Plan]) -> None:
    import ficbook.build  # noqa: F401 - imported once here, shared by the forked workers

    work = plan(todo, job, plans, workers)
    if any(t.book for t in work.tasks):  # workers that write books need these too
        import ficbook.cover.render
        import ficbook.epub.package  # noqa: F401
    # the recipes as this run read them: the workers inherit them
    tasks._worker["read"] = {os.path.abspath(r): read for r in todo if (read := _read(plans, r))}
    try:
        with _few_collections():
            memo = _convert_shared(todo, work, reporter, plans)
    except KeyboardInterrupt:
        raise Interrupted(list(outcomes.values())) from None
    tasks._worker["memo"] = memo  # the forked workers' own memo starts as a copy of this one
    # Only chunks (one big book): this process converts too, so one worker fewer keeps
    # one converter per core, and its share of the stories needs no shipping.
    helpers = workers - 1 if workers > 1 and not any(t.book for t in work.tasks) else workers
    local = Local(todo, job, key, reporter, outcomes, plans, work, memo, workers=helpers)
    # Everything made so far (the libraries, the recipes, the converter's caches) out of
    # the collector's reach, here and in the workers forked from here: a collection walks
    # every object it tracks, and in a worker each one walked is a page copied from this
    # process (Python's documentation of gc.freeze): 2-3% less CPU and wall for the 10 MB
    # book (twelve alternated pairs), 1,300 fewer page faults.
    gc.freeze()
    try:
        with _few_collections():  # as in one book's build: the stories held here are many
            local.run()
    finally:
        gc.unfreeze()  # a library caller's next run: nothing held for good
        tasks._worker.pop("memo", None)
        tasks._worker.pop("read", None)
        shutil.rmtree(local.spool, ignore_errors=True)  # and a killed worker's half-written chunk


def _spool() -> str:
    """The run's folder for converted chunks: in memory (/dev/shm) where there is one."""
    import tempfile

    shm = "/dev/shm"
    return tempfile.mkdtemp(prefix="ficbook-", dir=shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None)


def _killed(processes: dict) -> dict[int, str]:
    """Workers that died of something other than the pool stopping them, and how."""
    out = {}
    for pid, p in processes.items():
        p.join(5)
        code = p.exitcode
        if code is None or code in (0, int(ExitCode.INTERRUPTED), -signal.SIGTERM):
            continue
        out[pid] = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
    return out


def _convert_shared(todo: list[Path], work: Work, reporter: Reporter, plans: dict[Path, _Plan]) -> StoryMemo:
    """The stories more than one book task uses (same file, same options), converted here
    once: the forked workers inherit the memo, so each is converted once per run rather
    than once per worker. As many as the memo keeps without dropping any; a recipe or
    story with a problem is left to its worker, which reports it. With chunks to send, the
    first story of the first chunk is converted here too: the converter's caches (language
    data, patterns) then load once, before the fork, not once per worker."""
    from ficbook.build import convert_story

    users: dict[tuple, list[tuple[Path, Recipe, StoryEntry]]] = {}
    for recipe_path in todo:
        if recipe_path not in plans or recipe_path in work.split:
            continue
        recipe = plans[recipe_path].recipe
        for entry in recipe.all_stories:
            key = (recipe.story_path(entry), _options(recipe, entry))
            users.setdefault(key, []).append((recipe_path, recipe, entry))
    memo = StoryMemo()
    for (path, _), books in users.items():
        if len(books) < 2:
            continue
        try:
            if os.stat(path).st_size > memo.room:
                continue
            recipe_path, recipe, entry = books[0]
            reporter.stage(recipe_path, "convert")
            convert_story(recipe, entry, memo)
        except Exception:  # noqa: BLE001 - likewise
            continue
    first = next((t for t in work.tasks if not t.book), None)
    if first is not None:
        _warm_up(first, memo, work)
    return memo


def _options(recipe: Recipe, entry: StoryEntry) -> ConvertOptions:
    from ficbook.build import convert_options

    return convert_options(recipe, entry)


def _warm_up(task: Task, memo: StoryMemo, work: Work) -> None:
    """Make the chunk's first story here (see `_convert_shared`) and take it off the chunk."""
    first = Task(task.id, False, task.books, task.stories[:1], pieces=task.pieces)
    deliver(memo, first, chunk_items(first))
    task.stories = task.stories[1:]
