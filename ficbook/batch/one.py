"""One book of a batch: what a run is asked to do (`Job`), how each book ends (`Outcome`),
and `build_one`, which the parent and the worker processes (`workers`) both call."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from ficbook.batch import manifest
from ficbook.batch.memo import StoryMemo
from ficbook.errors import ExitCode, FicbookError
from ficbook.outputs import azw3_path, kepub_path, output_path, sweep

if TYPE_CHECKING:
    from ficbook.recipe import Recipe

Status = Literal["built", "unchanged", "failed", "cancelled"]


@dataclass(frozen=True)
class Job:
    out_dir: Path | None = None
    kepub: bool = False
    azw3: bool = False
    jobs: int = 1
    force: bool = False
    fail_fast: bool = False
    debug: bool = False  # failures carry the traceback
    split_mb: float | None = None  # `--split N`: volumes of at most N MB
    scheduler: str | None = None  # `--scheduler tcp://HOST:8786`: a Dask cluster builds them


@dataclass(frozen=True)
class Outcome:
    recipe: Path
    status: Status
    output: Path | None = None
    stories: int = 0
    words: int = 0
    size: int = 0
    seconds: float = 0.0
    error: str | None = None  # one line, with file and line
    details: tuple[str, ...] = ()
    exit_code: int = 0
    diagnostics: tuple[str, ...] = ()  # formatted warnings and errors from the converter
    stages: tuple[tuple[str, float], ...] = ()  # (stage, seconds) for the benchmark
    check: str | None = None  # EPUBCheck: "ok" or the counts (--check)


class Reporter(Protocol):
    def stage(self, recipe: Path, stage: str) -> None: ...
    def finished(self, outcome: Outcome) -> None: ...


class _NoReporter:
    def stage(self, recipe: Path, stage: str) -> None:
        pass

    def finished(self, outcome: Outcome) -> None:
        pass


class Interrupted(Exception):
    """Ctrl-C: the outcomes so far, workers stopped, temporary files removed."""

    def __init__(self, outcomes: list[Outcome]):
        super().__init__("interrupted")
        self.outcomes = outcomes


# ------------------------------------------------------------------ inputs


def _real(path: Path | str) -> str:
    return os.path.realpath(path)


@dataclass(frozen=True)
class _Plan:
    """A recipe to build, read in the parent: what it reads, before the run writes anything."""

    recipe: Recipe  # imported only when there is work
    links: tuple[str, ...]  # the story paths as the recipe gives them (symlinks unresolved)
    inputs: frozenset[str]  # every file the book is made from, resolved
    warnings: tuple[str, ...] = ()  # about the recipe itself, formatted
    stamp: manifest.Stamp | None = None  # the recipe file as it was read, stamped before

    @property
    def stories(self) -> int:
        return len(self.recipe.all_stories)


def _device_copies(output: Path, job: Job) -> tuple[Path, ...]:
    """The paths `build.write_device_outputs` writes for these options."""
    return ((kepub_path(output),) if job.kepub else ()) + ((azw3_path(output),) if job.azw3 else ())


def _sweep(recipes: list[Path], job: Job) -> None:
    """Temporary files our stopped workers left beside the books (`write_atomic`); those
    of another build still running beside this one stay (they carry its process id)."""
    for recipe in recipes:
        output = output_path(recipe, job.out_dir)
        for path in (output, kepub_path(output)):
            sweep(path)


def _links(plans: dict[Path, _Plan], recipe: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What build_one needs from the plan: the story links and the recipe's warnings."""
    plan = plans.get(recipe)
    return (plan.links, plan.warnings) if plan else ((), ())


def _read(plans: dict[Path, _Plan], recipe: Path) -> tuple[Recipe, manifest.Stamp] | None:
    """The recipe as the run read it, and its stamp (`build_one`'s `read`)."""
    plan = plans.get(recipe)
    return (plan.recipe, plan.stamp) if plan is not None and plan.stamp is not None else None


# ------------------------------------------------------------------ one book


def build_one(recipe: Path, job: Job, key: str, memo: StoryMemo,
              report: Callable[[str], None], links: tuple[str, ...] = (),
              warnings: tuple[str, ...] = (), elsewhere: Callable[..., Any] | None = None,
              read: tuple[Recipe, manifest.Stamp] | None = None) -> Outcome:
    """Build one book and record its manifest; every failure becomes an Outcome.
    `links`: the story paths as the recipe gives them, recorded with the files they resolve
    to; `warnings`: about the recipe, shown with the book's own; `elsewhere`: an idle
    worker's submit (`BuildOptions.elsewhere`); `read`: the recipe as this run read it
    already, with the stamp taken before (the run parses each recipe once)."""
    from ficbook.build import BuildOptions, build
    from ficbook.inputs import recording

    start = time.perf_counter()
    marks: list[tuple[str, float]] = []

    def on_stage(stage: str) -> None:
        marks.append((stage, time.perf_counter()))
        report(stage)

    output = output_path(recipe, job.out_dir)
    try:
        with recording() as known:  # what each file was when it was read
            try:  # before it is read
                known[os.path.abspath(recipe)] = read[1] if read else manifest.stamp(recipe)
            except OSError:
                pass  # load_recipe says what is wrong
            previous = manifest.previous_stories(output)
            options = BuildOptions(out_dir=job.out_dir, kepub=job.kepub, azw3=job.azw3,
                                   split_mb=job.split_mb, elsewhere=elsewhere,
                                   story_change=(functools.partial(manifest.change, previous, known)
                                                 if previous is not None else None))
            with _no_collections():  # the build sweeps each story's garbage itself
                result = build(recipe, options, on_stage=on_stage, memo=memo, recipe=read[0] if read else None)
        manifest.record(result, key, known, also=links, earlier=previous)
    except FicbookError as exc:  # named by its file, else by the recipe
        return Outcome(recipe, "failed", output, seconds=time.perf_counter() - start,
                       error=str(exc) if exc.file else f"{recipe}: {exc}",
                       details=tuple(exc.details), exit_code=int(exc.exit_code))
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:
        details = tuple(traceback.format_exc().splitlines()) if job.debug else ()
        return Outcome(recipe, "failed", output, seconds=time.perf_counter() - start,
                       error=f"{recipe}: internal error: {type(exc).__name__}: {exc} "
                             f"(please report it; --debug shows the traceback)",
                       details=details, exit_code=int(ExitCode.FAILED))
    end = time.perf_counter()
    stages = tuple((name, (marks[i + 1][1] if i + 1 < len(marks) else end) - t)
                   for i, (name, t) in enumerate(marks))
    diagnostics = warnings + tuple(d.format() for d in result.diagnostics if d.severity != "info")
    return Outcome(recipe, "built", result.output, result.stories, result.words, result.size,
                   end - start, diagnostics=diagnostics, stages=stages)


@contextlib.contextmanager
def _few_collections():
    """A book's stories stay alive while it builds and make no cycles worth finding: the
    default thresholds rescan them over and over (5% of a build, measured)."""
    saved = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


@contextlib.contextmanager
def _no_collections():
    """A book's build (which sweeps each story's garbage: `build._swept`) or one chunk of
    its stories (`schedule`): no automatic cycle search, a sweep of the youngest
    generation at the end. Even few collections took 5-7% of the time (perf: each walks
    the objects kept, spread over memory), and the garbage a chunk leaves in cycles (an
    HTML story's parse tree) is bounded by the chunk's size (4 MB of source at most)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect(0)  # what was made since the last sweep is all in the youngest generation


