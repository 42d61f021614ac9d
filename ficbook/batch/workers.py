"""Books built with helpers: worker processes (`--jobs` above 1) or a Dask cluster
(`--scheduler`, `cluster`). One executor runs two kinds of task (`tasks`):

- a **book**: a whole book built and written by a worker, for the books of a shelf;
- a **chunk** of stories to convert, for a book too big for one worker (more than its
  share of the run): its stories are cut into chunks of about the same size, converted
  everywhere at once, and this process builds the book from them, in recipe order, so
  its bytes do not depend on who converted what. Building here rather than in a worker
  ships the converted stories once, not twice.

Chunks go first, then books, biggest first: the last task to finish is a small one.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ficbook.batch import manifest, tasks
from ficbook.batch.memo import StoryMemo
from ficbook.batch.one import (
    Interrupted,
    Job,
    Outcome,
    Reporter,
    _few_collections,
    _links,
    _Plan,
    _sweep,
    build_one,
)
from ficbook.errors import ExitCode
from ficbook.outputs import output_path

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ficbook.convert import ConvertOptions
    from ficbook.recipe import Recipe, StoryEntry

MAX_ATTEMPTS = 3  # a task whose worker keeps being killed fails after this many pools
CHUNK_MIN, CHUNK_MAX = 256 * 1024, 4 * 1024 * 1024  # bytes of source per chunk


@dataclass
class Task:
    id: int
    book: bool  # a whole book, else a chunk of stories
    books: tuple[Path, ...]  # a book task: its recipe; a chunk: the books waiting for it
    stories: tuple[tasks.StoryTask, ...] = ()
    attempts: int = 0


@dataclass
class Work:
    """What the run does with helpers, planned before anything is submitted."""

    tasks: list[Task]
    split: dict[Path, set[int]]  # each book built here -> the chunks it waits for
    users: dict[tuple, int] = field(default_factory=dict)  # story -> how many times asked for


def _ident(story: tasks.StoryTask) -> tuple:
    """A story as the memo tells stories apart, less the digest of its bytes."""
    return (story.path, story.display, story.options)


def plan(todo: list[Path], job: Job, plans: dict[Path, _Plan], workers: int) -> Work:
    """Which books are split into chunks (those bigger than their share of the run, with
    stories to share out), the chunks, and the book tasks."""
    from ficbook.build import _display, convert_options

    stories: dict[Path, list[tasks.StoryTask]] = {}
    weight: dict[Path, int] = {}
    for recipe_path in todo:
        plan_ = plans.get(recipe_path)
        found: list[tasks.StoryTask] = []
        if plan_ is not None:
            recipe: Any = plan_.recipe
            for entry in recipe.all_stories:
                path = recipe.story_path(entry)
                try:
                    size = os.stat(path).st_size
                except OSError:
                    continue  # the build says what is wrong with it
                found.append(tasks.StoryTask(str(path), _display(path), convert_options(recipe, entry), size))
        stories[recipe_path] = found
        weight[recipe_path] = (sum(s.size for s in found) if found
                               else manifest.weight(recipe_path, output_path(recipe_path, job.out_dir)))
    total = sum(weight.values())
    split = sorted((r for r in todo if len(stories[r]) > 1 and weight[r] * workers > total),
                   key=lambda r: -weight[r])
    work = Work([], {r: set() for r in split})
    chunk_bytes = min(CHUNK_MAX, max(CHUNK_MIN, sum(weight[r] for r in split) // (workers * 4)))
    at: dict[tuple, Task] = {}  # a story several split books use is in one chunk
    for recipe_path in split:
        fresh: dict[tuple, tasks.StoryTask] = {}
        for story in stories[recipe_path]:
            ident = _ident(story)
            work.users[ident] = work.users.get(ident, 0) + 1
            if ident in at:
                at[ident].books = tuple(dict.fromkeys((*at[ident].books, recipe_path)))
            else:
                fresh.setdefault(ident, story)
        for group in _groups(list(fresh.values()), chunk_bytes):
            task = Task(len(work.tasks), False, (recipe_path,), tuple(group))
            work.tasks.append(task)
            at.update((_ident(s), task) for s in group)
    for task in work.tasks:
        for book in task.books:
            work.split[book].add(task.id)
    books = sorted((r for r in todo if r not in work.split), key=lambda r: -weight[r])
    work.tasks += [Task(len(work.tasks) + i, True, (r,)) for i, r in enumerate(books)]
    return work


def _groups(stories: list[tasks.StoryTask], size: int) -> list[list[tasks.StoryTask]]:
    """Consecutive stories in groups of about `size` bytes."""
    groups: list[list[tasks.StoryTask]] = [[]]
    held = 0
    for story in stories:
        if held >= size:
            groups.append([])
            held = 0
        groups[-1].append(story)
        held += story.size
    return [g for g in groups if g]


class Run:
    """One run's tasks on one executor; `Local` and `cluster.Cluster` say how to get one."""

    def __init__(self, todo: list[Path], job: Job, key: str, reporter: Reporter,
                 outcomes: dict[Path, Outcome], plans: dict[Path, _Plan], work: Work, memo: StoryMemo):
        self.todo, self.job, self.key, self.reporter = todo, job, key, reporter
        self.outcomes, self.plans, self.work, self.memo = outcomes, plans, work, memo
        self.futures: dict[Future, Task] = {}
        self.waiting = {book: set(ids) for book, ids in work.split.items()}
        self.ready: list[Path] = []  # split books whose chunks are all in
        self.by_id = {t.id: t for t in work.tasks}
        self.stopped = False
        self.queued: list[Task] = []  # not submitted yet
        self.window = 1 << 30  # tasks submitted ahead (a local pool: a few per worker)
        self.helps = False  # this process converts chunks too while it waits

    # ---------------------------------------------------------------- what an executor gives

    def submit(self, task: Task) -> Future:
        raise NotImplementedError

    def messages(self) -> None:
        """Stage messages from the workers, to the reporter."""

    def broken(self, exc: BaseException) -> bool:
        """True when `exc` means the executor broke as a whole (the local pool)."""
        return False

    def recover(self, lost: list[Task]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Every task done: let the executor go."""

    def stop(self) -> None:
        """Ctrl-C: stop every task now."""

    # ---------------------------------------------------------------- the loop

    def run(self) -> None:
        from concurrent.futures import FIRST_COMPLETED, wait

        try:
            self.send(self.work.tasks)
            for book in self.waiting:
                self.reporter.stage(book, "convert")
            while self.futures or self.queued or self.ready or self.waiting:
                self.refill()
                if self.ready:
                    self.build_here(self.ready.pop(0))
                    continue
                if not self.futures and not self.queued:  # chunks lost for good: the rest here
                    self.ready += list(self.waiting)
                    self.waiting.clear()
                    continue
                here = self.helps and any(not t.book for t in self.queued)
                done: set[Future] = set()
                if self.futures:
                    done, _ = wait(list(self.futures), timeout=0 if here else 0.05,
                                   return_when=FIRST_COMPLETED)
                self.messages()
                lost = [t for f in done if (t := self.collect(f)) is not None]
                if lost:
                    lost += [self.futures.pop(f) for f in list(self.futures)]
                    self.recover(lost)
                elif here and not done:
                    self.convert_here(next(t for t in self.queued if not t.book))
            self.close()
        except KeyboardInterrupt:
            self.stop()
            _sweep(self.todo, self.job)
            raise Interrupted(list(self.outcomes.values())) from None

    def send(self, todo: list[Task]) -> None:
        """Queue `todo` (tasks to run again go first, in their first order)."""
        self.queued = sorted([*todo, *self.queued], key=lambda t: t.id)

    def refill(self) -> None:
        """Keep the executor `window` tasks ahead, chunks first (`plan` ordered them)."""
        while self.queued and len(self.futures) < self.window:
            task = self.queued.pop(0)
            task.attempts += 1
            if task.attempts > MAX_ATTEMPTS:
                self.lose(task, "again and again")
            else:
                self.futures[self.submit(task)] = task

    def convert_here(self, task: Task) -> None:
        """Nothing to collect or build: this process converts a chunk as well (its stories
        need no shipping)."""
        self.queued.remove(task)
        with _few_collections():
            for key, result, reads in tasks.convert_stories(task.stories):
                self.memo.deliver(key, result, reads, self.work.users.get(key[:2] + key[3:], 1))
        self.chunk_done(task)

    def collect(self, fut: Future) -> Task | None:
        """A finished future's result where it goes; the task back when the executor broke."""
        task = self.futures.pop(fut)
        if fut.cancelled():
            if task.book:
                self.finish(Outcome(task.books[0], "cancelled"))
            return None
        exc = fut.exception()
        if exc is not None and self.broken(exc):
            return task
        if task.book:
            self.finish(fut.result() if exc is None else _died(task.books[0], f"{type(exc).__name__}: {exc}"))
            return None
        if exc is None:  # else the book converts what is missing itself
            from ficbook.batch import wire

            data = fut.result()
            if isinstance(data, str):  # a local worker's spool file
                with open(data, "rb") as fh:
                    data = fh.read()
                os.unlink(fh.name)
            with _few_collections():
                for key, result, reads in wire.loads(data):
                    self.memo.deliver(key, result, reads, self.work.users.get(key[:2] + key[3:], 1))
        self.chunk_done(task)
        return None

    def chunk_done(self, task: Task) -> None:
        for book in task.books:
            left = self.waiting.get(book)
            if left is not None:
                left.discard(task.id)
                if not left:
                    del self.waiting[book]
                    self.ready.append(book)

    def lose(self, task: Task, how: str) -> None:
        """The task's worker died: its books fail."""
        for book in task.books:
            if book in self.waiting or book in self.ready or task.book:
                self.waiting.pop(book, None)
                if book in self.ready:
                    self.ready.remove(book)
                self.finish(_died(book, how))

    def build_here(self, recipe: Path) -> None:
        outcome = build_one(recipe, self.job, self.key, self.memo,
                            lambda stage: self.reporter.stage(recipe, stage), *_links(self.plans, recipe))
        self.finish(outcome)

    def finish(self, outcome: Outcome) -> None:
        if outcome.recipe in self.outcomes:
            return
        self.outcomes[outcome.recipe] = outcome
        self.reporter.finished(outcome)
        if self.job.fail_fast and outcome.status == "failed" and not self.stopped:
            self.stopped = True
            for fut in self.futures:
                fut.cancel()
            for task in self.queued:
                if task.book:
                    self.finish(Outcome(task.books[0], "cancelled"))
            self.queued.clear()
            for book in [*self.waiting, *self.ready]:
                self.finish(Outcome(book, "cancelled"))
            self.waiting.clear()
            self.ready.clear()


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
        return ProcessPoolExecutor(self.workers, mp_context=self.ctx, initializer=tasks.init_local,
                                   initargs=(self.queue, self.spool))

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
                    fut = self.pool.submit(tasks.convert_chunk, task.id, task.stories)
            except BrokenProcessPool as exc:  # broke since the last look: like any future of it
                fut = Future()
                fut.set_exception(exc)
        self.processes.update(getattr(self.pool, "_processes", None) or {})
        return fut

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
    try:
        with _few_collections():  # as in one book's build: the stories held here are many
            local.run()
    finally:
        tasks._worker.pop("memo", None)
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


def _died(recipe: Path, how: str) -> Outcome:
    hint = " (out of memory?)" if "SIGKILL" in how else ""
    return Outcome(recipe, "failed", error=f"{recipe}: the build process died: {how}{hint}",
                   exit_code=int(ExitCode.FAILED))


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
    """Convert the chunk's first story here (see `_convert_shared`) and take it off the chunk."""
    for key, result, reads in tasks.convert_stories(task.stories[:1]):
        memo.deliver(key, result, reads, work.users.get(key[:2] + key[3:], 1))
    task.stories = task.stories[1:]
