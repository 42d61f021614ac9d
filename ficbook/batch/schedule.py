"""A run's tasks, whatever runs them: which books are cut into chunks of stories (`plan`),
and the loop that sends the tasks to an executor and puts their results where they go
(`Run`). `workers.Local` runs it on a local process pool, `cluster.Cluster` on Dask.

Two kinds of task (`tasks`):

- a **book**: a whole book built and written by a worker, for the books of a shelf;
- a **chunk** of stories, for a book too big for one worker (more than its share of the
  run): its stories are cut into chunks, smaller toward the end, converted and made into
  their pieces of the book (`ficbook.pieces`) everywhere at once, and this process puts
  the book together from them, in recipe order, so its bytes do not depend on who made
  what. (A book cut into volumes gets its stories converted, not made into pieces.)

Chunks go first, then books, biggest first: the last task to finish is a small one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ficbook.batch import manifest, tasks
from ficbook.batch.memo import StoryMemo
from ficbook.batch.one import (
    Interrupted,
    Job,
    Outcome,
    Reporter,
    _links,
    _no_collections,
    _Plan,
    _read,
    _sweep,
    build_one,
)
from ficbook.errors import Diagnostic, ExitCode
from ficbook.outputs import output_path

if TYPE_CHECKING:
    from concurrent.futures import Future

MAX_ATTEMPTS = 3  # a task whose worker keeps being killed fails after this many pools
CHUNK_MIN, CHUNK_MAX = 256 * 1024, 4 * 1024 * 1024  # bytes of source per chunk


@dataclass
class Task:
    id: int
    book: bool  # a whole book, else a chunk of stories
    books: tuple[Path, ...]  # a book task: its recipe; a chunk: the book waiting for it
    stories: tuple[tasks.StoryTask, ...] = ()
    attempts: int = 0
    pieces: bool = False  # a chunk made into pieces of its book, else only converted


@dataclass
class Work:
    """What the run does with helpers, planned before anything is submitted."""

    tasks: list[Task]
    split: dict[Path, set[int]]  # each book built here -> the chunks it waits for


def plan(todo: list[Path], job: Job, plans: dict[Path, _Plan], workers: int) -> Work:
    """Which books are split into chunks (those bigger than their share of the run, with
    stories to share out), the chunks, and the book tasks."""
    from ficbook.build import _display, convert_options

    stories: dict[Path, list[tasks.StoryTask]] = {}
    weight: dict[Path, int] = {}
    whole: set[Path] = set()  # books cut into volumes: their stories come back converted
    for recipe_path in todo:
        plan_ = plans.get(recipe_path)
        found: list[tasks.StoryTask] = []
        if plan_ is not None and plan_.recipe.calibre is None:  # else its build finds the stories
            recipe: Any = plan_.recipe
            if job.split_mb or recipe.split:
                whole.add(recipe_path)
            for number, entry in enumerate(recipe.all_stories, 1):
                path = recipe.story_path(entry)
                try:
                    size = os.stat(path).st_size
                except OSError:
                    continue  # the build says what is wrong with it
                found.append(tasks.StoryTask(str(path), _display(path), convert_options(recipe, entry), size,
                                             number))
        stories[recipe_path] = found
        weight[recipe_path] = (sum(s.size for s in found) if found
                               else manifest.weight(recipe_path, output_path(recipe_path, job.out_dir)))
    total = sum(weight.values())
    split = sorted((r for r in todo if len(stories[r]) > 1 and weight[r] * workers > total),
                   key=lambda r: -weight[r])
    work = Work([], {r: set() for r in split})
    # A story two split books share is converted for each: its pieces differ by book.
    left = sum(weight[r] for r in split)
    for recipe_path in split:
        for group in _groups(stories[recipe_path], workers, left):
            left -= sum(s.size for s in group)
            task = Task(len(work.tasks), False, (recipe_path,), tuple(group), pieces=recipe_path not in whole)
            work.tasks.append(task)
            work.split[recipe_path].add(task.id)
    books = sorted((r for r in todo if r not in work.split), key=lambda r: -weight[r])
    work.tasks += [Task(len(work.tasks) + i, True, (r,)) for i, r in enumerate(books)]
    return work


def _groups(stories: list[tasks.StoryTask], workers: int, left: int) -> list[list[tasks.StoryTask]]:
    """Consecutive stories in groups, each an eighth of each worker's share of what is
    `left` to convert in the run (within CHUNK_MIN and CHUNK_MAX): big groups first, then
    smaller and smaller ("guided self-scheduling"). The run ends when the last chunk does,
    and a worker has the next chunk queued already, so the last ones must be small: with
    chunks all of one size, 96 MB in 4 MB chunks, one process waited a second at the end
    for the other's last two. Small chunks cost little each (their pages go deflated)."""
    groups: list[list[tasks.StoryTask]] = []
    i = 0
    while i < len(stories):
        size = min(CHUNK_MAX, max(CHUNK_MIN, left // (workers * 8)))
        group: list[tasks.StoryTask] = []
        held = 0
        while i < len(stories) and held < size:
            group.append(stories[i])
            held += stories[i].size
            i += 1
        groups.append(group)
        left -= held
    return groups


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
        self.ahead: dict[Path, tuple[tuple, Future]] = {}  # covers sent to be drawn: their words, the drawing
        self.redone: dict[Path, list[str]] = {}  # split books: why chunks came back without their stories

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
            self.refill()
            self.draw_ahead()
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
        with _no_collections():
            deliver(self.memo, task, chunk_items(task))
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
        if exc is None:
            try:
                self.receive(task, fut.result())
            except Exception as err:  # noqa: BLE001 - e.g. a spool file gone: as below
                exc = err
        if exc is not None:  # the book converts what is missing itself, and says so
            why = str(exc).splitlines()[0] if str(exc) else ""
            first = f" from {task.stories[0].display} on" if task.stories else ""
            self.redone.setdefault(task.books[0], []).append(
                f"{len(task.stories)} stories{first} ({type(exc).__name__}{': ' + why if why else ''})")
        self.chunk_done(task)
        return None

    def receive(self, task: Task, data: bytes | str) -> None:
        """A chunk's stories, as a worker sent them (a local worker: its spool file), to the memo."""
        from ficbook.batch import wire

        if isinstance(data, str):
            with open(data, "rb") as fh:
                data = fh.read()
            os.unlink(fh.name)
        with _no_collections():
            deliver(self.memo, task, wire.loads(data))

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

    def spare(self) -> Any:
        """The executor's `submit`, when it has workers that would wait with this process
        (the local pool's): the cover is drawn there while this process packages the book."""
        return None

    def draw_ahead(self) -> None:
        """The covers of the books built here whose words the recipe alone gives
        (`build.cover_ahead`), sent to be drawn while the stories are converted: else the
        cover is the last thing a book waits for, with every other process idle."""
        submit = self.spare()
        if submit is None:
            return
        from ficbook.build import cover_ahead
        from ficbook.cover import draw

        for book in self.waiting:
            recipe = self.plans[book].recipe
            text = cover_ahead(recipe)
            if text is not None:
                args = (text, recipe.cover, recipe.base_dir)
                self.ahead[book] = (args, submit(draw, *args))

    def build_here(self, recipe: Path) -> None:
        idle = not self.futures and not self.queued and not self.waiting
        elsewhere = self.spare() if idle else None
        if recipe in self.ahead:
            elsewhere = _drawn_ahead(*self.ahead.pop(recipe), elsewhere)
        links, warnings = _links(self.plans, recipe)
        for failed in self.redone.pop(recipe, ()):  # it still builds, only slower: said all the same
            warnings += (Diagnostic("warning", "chunk-redone", "a worker's chunk came back without its "
                                    f"stories, converted here instead: {failed}", str(recipe)).format(),)
        outcome = build_one(recipe, self.job, self.key, self.memo,
                            lambda stage: self.reporter.stage(recipe, stage), links, warnings,
                            elsewhere=elsewhere, read=_read(self.plans, recipe))
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


def _drawn_ahead(args: tuple, drawing: Future, otherwise: Callable[..., Future] | None) -> Callable[..., Future]:
    """The book's `elsewhere` (`build.BuildOptions`) when its cover was sent to be drawn
    from `args`: that drawing if the book asks for the same, else `otherwise`'s, else
    none (the book draws it)."""
    def submit(fn: Callable, *asked: Any) -> Future:
        if asked == args:
            return drawing
        if otherwise is None:
            raise LookupError("the cover drawn ahead has other words")
        return otherwise(fn, *asked)

    return submit


def chunk_args(task: Task) -> tuple:
    """`tasks.convert_chunk`'s arguments for a chunk, after the task's id: with the book's
    recipe path as given and absolute when the chunk is made into pieces."""
    book = task.books[0]
    return (task.stories, str(book), os.path.abspath(book)) if task.pieces else (task.stories,)


def chunk_items(task: Task) -> list:
    """What `tasks.convert_chunk` returns for the chunk, made in this process."""
    stories, *book = chunk_args(task)
    return tasks.make_pieces(book[0], book[1], stories) if book else tasks.convert_stories(stories)


def deliver(memo: StoryMemo, task: Task, items: list) -> None:
    """A chunk's stories to the memo the book's build asks."""
    if task.pieces:
        for where, piece, reads in items:
            memo.deliver_piece(where, piece, reads)
    else:
        for key, result, reads in items:
            memo.deliver(key, result, reads)


def _died(recipe: Path, how: str) -> Outcome:
    hint = " (out of memory?)" if "SIGKILL" in how else ""
    return Outcome(recipe, "failed", error=f"{recipe}: the build process died: {how}{hint}",
                   exit_code=int(ExitCode.FAILED))
