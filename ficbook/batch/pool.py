"""Many recipes at once: expand the inputs, skip what is up to date, build the rest in
parallel processes, report each book's stages as they happen.

One broken recipe or story never stops the others: each book ends as an `Outcome`
(built, unchanged, failed or cancelled). Ctrl-C stops the workers and removes their
temporary files; the books already written are whole (`write_atomic`: temp + rename).

Worker processes (`--jobs` above 1) are in `workers`. Shared stories: each worker keeps
its own `StoryMemo`, so a story used by several
recipes is converted at most once per worker (once per run with `--jobs 1`). Assigning
recipes to workers by shared story would need every recipe parsed up front; the per-worker
memo costs at most one conversion per extra worker instead.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import os
import signal
import threading
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ficbook.batch import manifest
from ficbook.batch.memo import StoryMemo
from ficbook.batch.one import (
    Interrupted,
    Job,
    Outcome,
    Reporter,
    _device_copies,
    _links,
    _no_collections,
    _NoReporter,
    _Plan,
    _read,
    _real,
    _sweep,
    build_one,
)
from ficbook.errors import ExitCode
from ficbook.outputs import output_path

__all__ = ["Interrupted", "Job", "Outcome", "Reporter", "build_one", "exit_code", "expand", "run",
           "with_check"]


def expand(inputs: Iterable[str | Path]) -> tuple[list[Path], list[Outcome]]:
    """Files, folders (every *.yaml and *.yml inside) and globs -> recipe paths, in order,
    each once. Inputs that match nothing come back as failed outcomes."""
    found: list[Path] = []
    missing: list[Outcome] = []
    for raw in inputs:
        text = str(raw)
        path = Path(text).expanduser()
        try:
            is_dir = path.is_dir()
        except OSError:  # a name too long to exist: the build says so, in its words
            found.append(path)
            continue
        if is_dir:
            inside = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            if not inside:
                missing.append(_failed_input(path, "no recipes (*.yaml, *.yml) in this folder"))
            found += inside
        elif path.exists() or not glob.has_magic(text):
            found.append(path)  # a missing file is reported by the build, in its words
        else:
            matches = sorted(Path(m) for m in glob.glob(os.path.expanduser(text), recursive=True))
            matches = [m for m in matches if m.is_file()]
            if not matches:
                missing.append(_failed_input(path, "no recipe matches this pattern"))
            found += matches
    seen: set[Path] = set()
    unique = []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique, missing


def _failed_input(path: Path, message: str) -> Outcome:
    return Outcome(path, "failed", error=f"{path}: {message}", exit_code=int(ExitCode.RECIPE))


# ------------------------------------------------------------------ the run


def run(recipes: list[Path], job: Job, reporter: Reporter | None = None) -> list[Outcome]:
    """Build every recipe (or skip it, unchanged). Outcomes in the order of `recipes`."""
    reporter = reporter or _NoReporter()
    key = manifest.tool_key()
    outcomes: dict[Path, Outcome] = {}

    def fail(recipe: Path, output: Path, error: str) -> None:
        outcomes[recipe] = Outcome(recipe, "failed", output, error=error, exit_code=int(ExitCode.OUTPUT))
        reporter.finished(outcomes[recipe])

    todo: list[Path] = []
    claimed: dict[str, Path] = {}
    inputs: dict[str, Path] = {}  # every input of every recipe in the run -> its recipe
    for recipe in recipes:
        output = output_path(recipe, job.out_dir)
        mine = (output, *_device_copies(output, job))
        other = next((claimed[k] for k in map(_real, mine) if claimed.get(k, recipe) != recipe), None)
        if other is not None:
            fail(recipe, output, f"{recipe}: writes the same book as {other} ({output}); rename one "
                                 f"recipe or build them with different --out folders")
            continue
        claimed.update((k, recipe) for k in map(_real, mine))
        recorded = None if job.force else manifest.fresh(recipe, output, key, _device_copies(output, job))
        if recorded is not None:
            outcomes[recipe] = Outcome(recipe, "unchanged", recorded.output, recorded.stories,
                                       recorded.words, recorded.size)
            reporter.finished(outcomes[recipe])
            inputs.update((k, recipe) for k in recorded.inputs)
        else:
            todo.append(recipe)
    with _no_collections():  # the libraries imported and the recipes read: nothing to collect
        loaded = _load_recipes(todo)
    for recipe, plan in loaded.items():
        inputs.update((k, recipe) for k in plan.inputs)
    building = []
    for recipe in todo:
        output = output_path(recipe, job.out_dir)
        clash = next(((o, inputs[_real(o)]) for o in (output, *_device_copies(output, job))
                      if _real(o) in inputs), None)
        if clash is None:
            building.append(recipe)
        elif clash[1] == recipe:
            fail(recipe, clash[0], f"{clash[0]}: the book would overwrite one of its own input "
                                   "files; use --out to write it elsewhere")
        else:
            fail(recipe, clash[0], f"{clash[0]}: the book would overwrite an input of {clash[1]}; "
                                   "use --out to write it elsewhere")
    # As many workers as there are books, or stories to share out (one big book).
    units = sum(loaded[r].stories if r in loaded else 1 for r in building)
    workers = max(1, min(job.jobs, units))
    with _terminate_as_interrupt():
        if job.scheduler and building:
            from ficbook.batch.cluster import run_cluster

            run_cluster(building, job, key, reporter, outcomes, loaded, job.scheduler)
        elif workers == 1:
            _run_here(building, job, key, reporter, outcomes, loaded)
        else:
            from ficbook.batch.workers import run_pool

            run_pool(building, job, key, reporter, outcomes, workers, loaded)
    return [outcomes[r] for r in recipes]


def _load_recipes(todo: list[Path]) -> dict[Path, _Plan]:
    """The recipes to build, parsed; a recipe with a problem is left to its build, which reports it."""
    if not todo:
        return {}
    from ficbook.build import cover_inputs
    from ficbook.recipe import load_recipe

    plans = {}
    warned: set[str] = set()
    for recipe_path in todo:
        try:
            stamp = manifest.stamp(recipe_path)  # before it is read, as build_one does
            recipe = load_recipe(recipe_path)
            named = [e.path for e in recipe.all_stories if e.path is not None]
            if len(named) < len(recipe.all_stories):
                continue  # a story given by its link: its build fetches it (and reports)
            base = os.fspath(recipe.base_dir)
            links = tuple(os.path.abspath(os.path.join(base, p)) for p in named)
            # a story's path is resolved already, and its link resolves to it
            inputs = frozenset((_real(recipe_path), *(str(recipe.story_path(e)) for e in recipe.all_stories),
                                *map(_real, cover_inputs(recipe))))
            warnings = _outside_home(recipe_path, named, warned)
            plans[recipe_path] = _Plan(recipe, links, inputs, warnings, stamp)
        except Exception:  # noqa: BLE001 - its build reports it, with the book's name
            continue
    return plans


def _outside_home(recipe: Path, paths: list[str], warned: set[str]) -> tuple[str, ...]:
    """A story named by an absolute path outside the user's home is allowed (README: paths),
    and said once per run: a recipe shared with someone else will not find it."""
    from ficbook.errors import Diagnostic

    home = os.path.realpath(Path.home())
    out = []
    for path in paths:
        if not os.path.isabs(os.path.expanduser(path)) or path in warned:
            continue
        real = os.path.realpath(os.path.expanduser(path))
        if real == home or real.startswith(home.rstrip(os.sep) + os.sep):
            continue
        warned.add(path)
        out.append(Diagnostic("warning", "story-outside-home",
                              f"story {path} is named by an absolute path outside your home "
                              "folder; the recipe will not find it on another computer",
                              str(recipe)).format())
    return tuple(out)


@contextlib.contextmanager
def _terminate_as_interrupt():
    """SIGTERM (a CI job cancelled, `kill`) stops the run like Ctrl-C: workers stopped,
    temporary files removed. Only from the main thread, where signals can be set."""
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL):
        yield  # not ours to set, or already set (the command line's: exit 143)
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run_here(todo: list[Path], job: Job, key: str, reporter: Reporter,
              outcomes: dict[Path, Outcome], plans: dict[Path, _Plan]) -> None:
    # One book shares no story with another: keeping its converted stories only holds memory.
    memo = StoryMemo() if len(todo) > 1 else StoryMemo(max_source_bytes=0)
    stopped = False
    for recipe in todo:
        if stopped:
            outcomes[recipe] = Outcome(recipe, "cancelled")
            reporter.finished(outcomes[recipe])
            continue
        try:
            outcome = build_one(recipe, job, key, memo, functools.partial(reporter.stage, recipe),
                                *_links(plans, recipe), read=_read(plans, recipe))
        except KeyboardInterrupt:
            _sweep([recipe], job)
            raise Interrupted(list(outcomes.values())) from None
        outcomes[recipe] = outcome
        reporter.finished(outcome)
        stopped = job.fail_fast and outcome.status == "failed"


def exit_code(outcomes: list[Outcome]) -> int:
    """One code for the run: the same failure everywhere keeps its own code, mixed ones 1."""
    codes = {o.exit_code for o in outcomes if o.status == "failed"}
    codes |= {int(ExitCode.CHECK) for o in outcomes if o.check not in (None, "ok")}
    if not codes:
        return int(ExitCode.OK)
    return codes.pop() if len(codes) == 1 else int(ExitCode.FAILED)


def with_check(outcomes: list[Outcome], results: dict[Path, str]) -> list[Outcome]:
    return [replace(o, check=results.get(o.output)) if o.output in results else o for o in outcomes]

