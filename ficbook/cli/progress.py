"""What a batch shows: progress on stderr (animated on a terminal, plain lines otherwise),
then a summary table or JSON on stdout. Only the CLI creates these."""

from __future__ import annotations

import contextlib
import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ficbook.batch.pool import Outcome

if TYPE_CHECKING:
    from rich.progress import TaskID

_STATUS = {"built": "built", "unchanged": "unchanged", "failed": "FAILED", "cancelled": "cancelled"}


def _name(path: Path | None) -> str:
    if path is None:
        return "-"
    try:
        text = str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        text = str(path)
    # a name that is not UTF-8 (surrogates here) cannot be printed as it is
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    return f"{n / 1024:,.0f} KB"


def problems(outcome: Outcome) -> list[str]:
    """The lines to print on stderr for one finished book."""
    lines = list(outcome.diagnostics)
    if outcome.status == "failed" and outcome.error:
        lines.append(f"ficbook: {outcome.error}")
        lines += [f"  {d}" for d in outcome.details]
    return lines


class QuietReporter:
    """--quiet: no progress; failures and warnings still go to stderr."""

    def __init__(self, stream: IO[str] | None = None):
        self.stream = stream or sys.stderr

    def start(self, total: int) -> None:
        pass

    def stage(self, recipe: Path, stage: str) -> None:
        pass

    def finished(self, outcome: Outcome) -> None:
        for line in problems(outcome):
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        pass


class PlainReporter(QuietReporter):
    """Not a terminal (CI, a pipe): one line per finished book, no animation."""

    def start(self, total: int) -> None:
        self.total, self.done = total, 0

    def finished(self, outcome: Outcome) -> None:
        self.done += 1
        width = len(str(self.total))
        what = _name(outcome.output) if outcome.status != "failed" else _name(outcome.recipe)
        line = f"[{self.done:>{width}}/{self.total}] {_STATUS[outcome.status]:<9} {what}"
        if outcome.status == "built":
            line += (f"  {outcome.stories} stories, {outcome.words:,} words, "
                     f"{size_text(outcome.size)}, {outcome.seconds:.2f} s")
        print(line, file=self.stream, flush=True)
        super().finished(outcome)


class RichReporter:
    """A terminal: an overall bar, and a line per book in progress with its stage."""

    def __init__(self, stream: IO[str] | None = None):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self.console = Console(file=stream or sys.stderr)
        # The per-book bars count stages; the first one counts books.
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=self.console, transient=True)
        self.tasks: dict[Path, TaskID] = {}
        self.lock = threading.Lock()

    def start(self, total: int) -> None:
        self.overall = self.progress.add_task("[bold]books", total=total)
        self.progress.start()

    def stage(self, recipe: Path, stage: str) -> None:
        from ficbook.build import STAGES  # already imported: a book is being built

        done = STAGES.index(stage) if stage in STAGES else 0
        with self.lock:
            task = self.tasks.get(recipe)
            label = f"  {recipe.stem} [dim]{stage}[/dim]"
            if task is None:
                self.tasks[recipe] = self.progress.add_task(label, total=len(STAGES), completed=done)
            else:
                self.progress.update(task, description=label, completed=done)

    def finished(self, outcome: Outcome) -> None:
        with self.lock:
            task = self.tasks.pop(outcome.recipe, None)
            if task is not None:
                self.progress.remove_task(task)
            self.progress.advance(self.overall)
            for line in problems(outcome):
                self.console.print(line, markup=False, highlight=False, soft_wrap=True)

    @contextlib.contextmanager
    def forking(self) -> Iterator[None]:
        """No drawing thread while worker processes are forked."""
        self.progress.stop()
        try:
            yield
        finally:
            self.progress.start()

    def close(self) -> None:
        self.progress.stop()


def reporter(quiet: bool, stream: IO[str] | None = None):
    stream = stream or sys.stderr
    if quiet:
        return QuietReporter(stream)
    if stream.isatty():
        return RichReporter(stream)
    return PlainReporter(stream)


# ------------------------------------------------------------------ the summary


def summary_table(outcomes: list[Outcome], seconds: float, stream: IO[str] | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_footer=len(outcomes) > 1, box=None, pad_edge=False)
    built = [o for o in outcomes if o.status in ("built", "unchanged")]
    failed = sum(o.status == "failed" for o in outcomes)
    table.add_column("Book", footer=f"{len(outcomes)} books", no_wrap=False, overflow="fold")
    table.add_column("Stories", justify="right", footer=f"{sum(o.stories for o in built):,}")
    table.add_column("Words", justify="right", footer=f"{sum(o.words for o in built):,}")
    table.add_column("Size", justify="right", footer=size_text(sum(o.size for o in built)))
    table.add_column("Time", justify="right", footer=f"{seconds:.2f} s")
    table.add_column("Status", footer=f"{failed} failed" if failed else "ok")
    for o in outcomes:
        ok = o.status in ("built", "unchanged")
        status = _STATUS[o.status]
        if o.status == "failed":
            status += f" (exit {o.exit_code})"
        if o.check is not None:
            status += ", EPUBCheck " + ("ok" if o.check == "ok" else o.check)
        table.add_row(_name(o.output if ok else o.recipe),
                      f"{o.stories:,}" if ok else "", f"{o.words:,}" if ok else "",
                      size_text(o.size) if ok else "",
                      f"{o.seconds:.2f} s" if o.status == "built" else "", status)
    stream = stream or sys.stdout
    width = None if stream.isatty() else 120  # a pipe: wide enough for paths, no wrapping
    Console(file=stream, width=width, highlight=False).print(table)


def summary_json(outcomes: list[Outcome], seconds: float, stream: IO[str] | None = None) -> None:
    books = [{
        "recipe": str(o.recipe), "output": str(o.output) if o.output else None,
        "status": o.status, "stories": o.stories, "words": o.words, "size": o.size,
        "seconds": round(o.seconds, 3), "exit_code": o.exit_code, "error": o.error,
        "details": list(o.details), "diagnostics": list(o.diagnostics), "check": o.check,
        "stages": {name: round(t, 4) for name, t in o.stages},
    } for o in outcomes]
    counts = {s: sum(o.status == s for o in outcomes)
              for s in ("built", "unchanged", "failed", "cancelled")}
    print(json.dumps({"books": books, **counts, "seconds": round(seconds, 3)}, indent=2),
          file=stream or sys.stdout)
