"""Books built in worker processes, for `--jobs` above 1 (see `pool.run`).

A worker killed from outside (the kernel's out-of-memory killer sends SIGKILL) breaks a
`ProcessPoolExecutor` as a whole: every book still pending fails with BrokenProcessPool.
Here only the book that worker was building fails; the others go to a fresh pool and the
batch goes on. Which book a worker is building is known from its stage messages, which
carry its process id.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ficbook.batch import manifest
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
    from concurrent.futures import Future, ProcessPoolExecutor

MAX_ATTEMPTS = 3  # a book whose worker keeps being killed fails after this many pools


def run_pool(todo: list[Path], job: Job, key: str, reporter: Reporter,
             outcomes: dict[Path, Outcome], workers: int, plans: dict[Path, _Plan]) -> None:
    # Imported here: a --jobs 1 build never needs them (15 ms of start-up).
    import multiprocessing as mp

    # fork: workers start at once with ficbook already imported (spawn re-imports it all),
    # and with the stories several books share already converted.
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    queue = ctx.SimpleQueue()
    import ficbook.build  # noqa: F401 - imported once here, shared by the forked workers

    try:
        with _few_collections():
            _worker["shared"] = _convert_shared(todo, reporter, plans) if ctx.get_start_method() == "fork" else None
    except KeyboardInterrupt:
        raise Interrupted(list(outcomes.values())) from None
    # Biggest books first: the last one to finish then is a small one, not a long tail.
    left = sorted(todo, key=lambda r: -manifest.weight(r, output_path(r, job.out_dir)))
    attempts = dict.fromkeys(todo, 0)
    try:
        while left:
            for recipe in left:
                attempts[recipe] += 1
            left = _one_pool(left, job, key, reporter, outcomes, min(workers, len(left)), plans, ctx, queue)
            for recipe in [r for r in left if attempts[r] >= MAX_ATTEMPTS]:
                left.remove(recipe)
                _finish(recipe, _died(recipe, "again and again"), outcomes, reporter)
    finally:
        _worker.pop("shared", None)  # the workers have their copies
    _drain(queue, reporter, {})


def _one_pool(todo: list[Path], job: Job, key: str, reporter: Reporter, outcomes: dict[Path, Outcome],
              workers: int, plans: dict[Path, _Plan], ctx, queue) -> list[Path]:  # noqa: ANN001
    """Build `todo` on one pool; returns the books to build again when it broke."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(queue, job, key))
    futures: dict[Future, Path] = {}
    running: dict[int, Path] = {}  # worker pid -> the book it said it is building
    processes: dict = {}
    broken: list[Path] = []
    # The workers are forked during the first submits: a reporter with a drawing thread
    # stops it meanwhile, so no child starts with a lock held by a thread it does not have.
    forking = getattr(reporter, "forking", contextlib.nullcontext)
    try:
        with forking():
            for recipe in todo:
                futures[pool.submit(_work, recipe, *_links(plans, recipe))] = recipe
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.05, return_when=FIRST_COMPLETED)
            processes.update(getattr(pool, "_processes", None) or {})
            _drain(queue, reporter, running)
            for fut in done:
                recipe = futures[fut]
                if not fut.cancelled() and isinstance(fut.exception(), BrokenProcessPool):
                    broken.append(recipe)
                    continue
                _finish(recipe, _result(fut, recipe), outcomes, reporter)
                if job.fail_fast and outcomes[recipe].status == "failed":
                    for other in pending:
                        other.cancel()
        pool.shutdown(wait=True)
    except KeyboardInterrupt:
        _stop(pool)
        _sweep(todo, job)
        raise Interrupted(list(outcomes.values())) from None
    if not broken:
        return []
    _drain(queue, reporter, running)
    killed = _killed(processes)
    for pid, how in killed.items():
        recipe = running.get(pid)
        if recipe in broken:
            broken.remove(recipe)
            _finish(recipe, _died(recipe, how), outcomes, reporter)
    _sweep(broken, job)  # the other workers were stopped mid-book: their temporary files
    return broken


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


def _finish(recipe: Path, outcome: Outcome, outcomes: dict[Path, Outcome], reporter: Reporter) -> None:
    outcomes[recipe] = outcome
    reporter.finished(outcome)


def _result(fut: Future, recipe: Path) -> Outcome:
    if fut.cancelled():
        return Outcome(recipe, "cancelled")
    try:
        return fut.result()
    except Exception as exc:  # noqa: BLE001 - the worker failed outside the build: that book failed
        return _died(recipe, f"{type(exc).__name__}: {exc}")


def _drain(queue, reporter: Reporter, running: dict[int, Path]) -> None:  # noqa: ANN001
    while not queue.empty():
        pid, recipe, stage = queue.get()
        running[pid] = Path(recipe)
        reporter.stage(Path(recipe), stage)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Ctrl-C: workers get SIGTERM, unwind (temp files removed), and exit."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
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
    pool.shutdown(wait=True, cancel_futures=True)
    gc.collect()  # the finished thread leaves that registry (a weak dictionary)


def _convert_shared(todo: list[Path], reporter: Reporter, plans: dict[Path, _Plan]) -> StoryMemo:
    """The stories more than one of these books use (same file, same options), converted
    here once: the forked workers inherit the memo, so each is converted once per run
    rather than once per worker. As many as the memo keeps without dropping any; a recipe
    or story with a problem is left to its worker, which reports it."""
    from ficbook.build import convert_options, convert_story

    users: dict[tuple, list[tuple[Path, object, object]]] = {}
    for recipe_path in todo:
        if recipe_path not in plans:
            continue
        recipe = plans[recipe_path].recipe
        for entry in recipe.all_stories:  # type: ignore[attr-defined]
            key = (recipe.story_path(entry), convert_options(recipe, entry))  # type: ignore[attr-defined]
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
    return memo


# ------------------------------------------------------------------ in the worker

_worker: dict = {}


def _init_worker(queue, job: Job, key: str) -> None:  # noqa: ANN001
    # Ctrl-C reaches the whole process group: the parent decides, workers wait for SIGTERM.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_term)
    _worker.update(queue=queue, job=job, key=key, memo=_worker.get("shared") or StoryMemo(),
                   busy=False)


def _on_term(signum, frame) -> None:  # noqa: ANN001
    if _worker.get("busy"):
        raise KeyboardInterrupt  # unwinds through write_atomic, which removes its temp file
    os._exit(int(ExitCode.INTERRUPTED))


def _work(recipe: Path, links: tuple[str, ...] = (), warnings: tuple[str, ...] = ()) -> Outcome:
    queue = _worker["queue"]
    pid = os.getpid()
    _worker["busy"] = True
    try:
        return build_one(recipe, _worker["job"], _worker["key"], _worker["memo"],
                         lambda stage: queue.put((pid, str(recipe), stage)), links, warnings)
    except KeyboardInterrupt:
        os._exit(int(ExitCode.INTERRUPTED))
    finally:
        _worker["busy"] = False
