"""`ficbook build`: recipes in, books out, with progress and a summary."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ficbook.cli import output
from ficbook.cli.output import err, report_error
from ficbook.errors import FicbookError


def build(
    recipes: Annotated[list[str], typer.Argument(help="Recipe files (.yaml), folders of recipes, "
                                                 "or globs such as 'shelf/**/*.yaml'.",
                                                 show_default=False, metavar="RECIPE")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for the books "
                                                "\\[default: build/ beside the recipes' folder].",
                                                show_default=False)] = None,
    check: Annotated[bool, typer.Option("--check", help="Run EPUBCheck on each book; any "
                                        "message, warning included, fails the build.")] = False,
    kepub: Annotated[bool, typer.Option("--kepub", help="Also write NAME.kepub.epub for Kobo.")] = False,
    azw3: Annotated[bool, typer.Option("--azw3", help="Also write NAME.azw3 for Kindle "
                                       "(needs calibre's ebook-convert).")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, show_default=False,
                                                help="Books built at once \\[default: all cores].")] = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild every book, even those "
                                        "whose recipe, stories and cover are unchanged.")] = False,
    fail_fast: Annotated[bool, typer.Option("--fail-fast", help="Stop at the first book that "
                                            "fails (books being built are finished).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary; "
                                        "problems still go to stderr.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON on stdout "
                                          "(for scripts).")] = False,
    send: Annotated[str | None, typer.Option("--send", metavar="ADDRESS", help="Mail the books "
                                                "built to ADDRESS (see `ficbook send`).")] = None,
    split: Annotated[float | None, typer.Option("--split", metavar="MB", min=0.01,
                                                   help="Write a book over MB megabytes as volumes "
                                                   "(NAME-vol1.epub, …), split between stories.",
                                                   show_default=False)] = None,
    opds: Annotated[bool, typer.Option("--opds", help="Write the output folders' OPDS catalog "
                                       "as static files (see `ficbook opds`).")] = False,
    update: Annotated[bool, typer.Option("--update", help="Ask the archives of the recipes' "
                                         "`url:` links for new chapters.")] = False,
    offline: Annotated[bool, typer.Option("--offline", help="Never connect: `url:` links are "
                                          "read from the download cache only.")] = False,
    scheduler: Annotated[str | None, typer.Option("--scheduler", metavar="ADDRESS",
                                                     help="Build on a Dask cluster (tcp://HOST:8786; "
                                                     "needs ficbook[dask]): stories and OUT in folders "
                                                     "its workers share.", show_default=False)] = None,
) -> None:
    """Build each RECIPE into OUT/<recipe-name>.epub, in parallel, skipping books whose
    recipe, stories, cover style and fonts are unchanged since the last build.

    Progress goes to stderr, the summary table (or --json) to stdout. Exit code 0 when
    every book was built or up to date; otherwise the failure's own code (3 recipe,
    4 story, 5 EPUBCheck, 6 output), 1 for mixed failures, 130 after Ctrl-C.

    [bold]Examples[/bold]

      ficbook build recipes/spuffy.yaml

      ficbook build recipes/                      [dim]# every recipe in the folder[/dim]

      ficbook build 'shelf/**/*.yaml' --out books/ --jobs 4 --check
    """
    import time

    from ficbook.batch import pool as batch
    from ficbook.cli import progress

    start = time.perf_counter()
    paths, missing = batch.expand(recipes)
    job = batch.Job(out_dir=out, kepub=kepub, azw3=azw3, jobs=jobs or _cores(), force=force,
                    split_mb=split, scheduler=scheduler,
                    fail_fast=fail_fast, debug=output.debug)
    fetch_failures = _fetch_links(paths, update, offline)
    show = progress.reporter(quiet)
    for outcome in missing:
        progress.QuietReporter().finished(outcome)
    show.start(len(paths))
    try:
        outcomes = missing + batch.run(paths, job, show)
    except batch.Interrupted:
        from ficbook.cli.signals import say_stopped

        raise typer.Exit(say_stopped("; books not finished were not written")) from None
    except FicbookError as exc:  # --scheduler: no Dask, or no scheduler there
        report_error(exc)
        raise typer.Exit(int(exc.exit_code)) from None
    finally:
        show.close()
    if check:
        outcomes = _epubcheck(outcomes)
    seconds = time.perf_counter() - start
    if as_json:
        progress.summary_json(outcomes, seconds)
    elif not quiet:
        progress.summary_table(outcomes, seconds)
    code = batch.exit_code(outcomes)
    if fetch_failures:  # the books were built without those links
        from ficbook.errors import ExitCode

        code = int(ExitCode.STORY) if code in (0, int(ExitCode.STORY)) else int(ExitCode.FAILED)
    if code:
        raise typer.Exit(code)
    if opds:
        from ficbook.cli.serve import write as write_catalog
        for folder in dict.fromkeys(o.output.parent for o in outcomes if o.output):
            write_catalog(folder)
    if send:
        from ficbook.cli.send import mail_books
        from ficbook.volumes import all_volumes
        mail_books([p for o in outcomes if o.output for p in all_volumes(o.output)], send,
                   dry_run=False)


def _fetch_links(paths: list[Path], update: bool, offline: bool) -> list:
    """Only `url:` entries connect, and only here (ficbook.sources.links)."""
    from ficbook.sources.links import prepare

    failures = prepare(paths, update=update, offline=offline)
    for failure in failures:
        err(f"ficbook: {failure.format()}")
    return failures


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _epubcheck(outcomes: list) -> list:
    from ficbook.batch import pool as batch
    from ficbook.epub.epubcheck import check as run_check
    from ficbook.volumes import all_volumes

    first = {p: o.output for o in outcomes if o.status in ("built", "unchanged") and o.output
             for p in all_volumes(o.output)}
    books = list(first)
    if not books:
        return outcomes
    try:
        results = run_check(books)
    except FicbookError as exc:
        report_error(exc)
        raise typer.Exit(int(exc.exit_code)) from None
    verdicts: dict[Path, str] = {}
    for res in results:
        book = first.get(Path(res.path), Path(res.path))
        if res.ok:
            verdicts.setdefault(book, "ok")
        else:
            for msg in res.messages:
                err(msg)
            err(f"ficbook: {res.path}: EPUBCheck: {res.errors} errors, {res.warnings} warnings")
            verdicts[book] = f"{res.errors} errors, {res.warnings} warnings"
    return batch.with_check(outcomes, verdicts)
