"""`ficbook build --scheduler tcp://HOST:8786`: the run's tasks on a Dask distributed cluster.

The same tasks as the local pool (`workers`), through distributed's `Client.get_executor()`,
a `concurrent.futures` executor: book tasks are built and written by the cluster's workers,
so the stories, the covers and the output folder must be at the same paths on every
worker (a shared folder); the chunks of a book too big for one worker come back here,
and this process builds that book. Progress comes from the futures as they finish;
Ctrl-C cancels every future not finished (a book a worker is writing is finished whole or
not at all: `write_atomic`), and the exit codes are the local build's.

Dask is an optional extra: `pip install 'ficbook[dask]'`.
"""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ficbook.batch import tasks
from ficbook.batch.memo import StoryMemo
from ficbook.batch.one import Interrupted, Job, Outcome, Reporter, _few_collections, _links, _Plan
from ficbook.batch.schedule import Run, chunk_args, plan
from ficbook.errors import FicbookError

if TYPE_CHECKING:
    from concurrent.futures import Future


class SchedulerError(FicbookError):
    """No Dask, or no scheduler at that address: nothing was built."""


class _Deferred:
    """Ctrl-C and SIGTERM noted, and acted on only between waits (`check`). Raised inside
    `concurrent.futures.wait`, KeyboardInterrupt can leave a future's lock taken (it takes
    them one by one); the Dask client's thread then blocks on that lock, and the cancels
    that wait for that thread hang the run for good."""

    def __init__(self) -> None:
        self.pending: list[int] = []
        self.old: dict[int, Any] = {}

    def __enter__(self) -> _Deferred:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self.old[signum] = signal.signal(signum, self.note)
        return self

    def note(self, signum: int, frame: Any) -> None:
        self.pending.append(signum)

    def check(self) -> None:
        if self.pending:
            signum, self.pending = self.pending[0], []
            handler = self.old.get(signum)
            if callable(handler):
                handler(signum, None)  # the program's own: notes which signal, and raises
            raise KeyboardInterrupt

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self.old.items():
            signal.signal(signum, handler)


class Cluster(Run):
    def __init__(self, *args: Any, client: Any, deferred: _Deferred) -> None:
        super().__init__(*args)
        self.client = client
        self.deferred = deferred
        # pure=False: a task sent again (a book built twice in one run) is run again
        self.executor = client.get_executor(pure=False)

    def submit(self, task: Any) -> Future:
        if task.book:
            book = task.books[0]
            return self.executor.submit(tasks.build_book, task.id, book.absolute(), self.job, self.key,
                                        *_links(self.plans, book))
        return self.executor.submit(tasks.convert_chunk, task.id, *chunk_args(task))

    def messages(self) -> None:
        self.deferred.check()  # between waits: where stopping is safe
        super().messages()

    def collect(self, fut: Future) -> Any:
        task = self.futures[fut]
        if task.book and not fut.cancelled() and fut.exception() is None:
            outcome = fut.result()  # named by the recipe as given here, not as sent
            self.futures.pop(fut)
            self.finish(replace(outcome, recipe=task.books[0]))
            return None
        return super().collect(fut)

    def close(self) -> None:
        self.executor.shutdown(wait=True)

    def stop(self) -> None:
        for fut in self.futures:
            fut.cancel()
        self.executor.shutdown(wait=False)  # cancels what the executor still holds


def run_cluster(todo: list[Path], job: Job, key: str, reporter: Reporter,
                outcomes: dict[Path, Outcome], plans: dict[Path, _Plan], address: str) -> None:
    try:
        from distributed import Client
    except ImportError:
        raise SchedulerError("--scheduler needs Dask: pip install 'ficbook[dask]'") from None
    try:
        client = Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerError(f"no Dask scheduler at {address}: {exc}") from None
    except KeyboardInterrupt:
        raise Interrupted(list(outcomes.values())) from None
    # What goes wrong reaches us through the futures and is reported as every build's is;
    # the client's own logs (a result still being gathered when Ctrl-C closes the client is
    # logged by tornado with a traceback, from the client's thread, before any `finally`)
    # are noise on the user's terminal.
    # (distributed's logging config gives some of their loggers levels of their own:
    # "tornado.application" is at ERROR under a "tornado" at CRITICAL)
    for name in list(logging.root.manager.loggerDict):
        if name.split(".")[0] in ("distributed", "tornado"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        threads = sum(client.nthreads().values()) or 1
        job = replace(job, out_dir=job.out_dir.absolute() if job.out_dir else None)  # the workers' cwd is not ours
        with _few_collections(), _Deferred() as deferred:  # few collections: as in one book's build
            Cluster(todo, job, key, reporter, outcomes, plans, plan(todo, job, plans, threads), StoryMemo(),
                    client=client, deferred=deferred).run()
    finally:
        client.close()
