"""The command line. The only module that prints and picks exit codes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ficbook import __version__
from ficbook.errors import ExitCode, FicbookError

app = typer.Typer(
    name="ficbook",
    help="Turn fan fiction saved as text, HTML or EPUB into EPUB 3 anthologies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

# Set by --debug: show tracebacks instead of one-line errors.
_debug = False


def err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def report_error(exc: FicbookError) -> None:
    err(f"ficbook: {exc}")
    for detail in exc.details:
        err(f"  {detail}")


def _version(value: bool) -> None:
    if value:
        print(f"ficbook {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Show the version and exit.")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    """Turn fan fiction saved as text, HTML or EPUB into EPUB 3 anthologies.

    [bold]Examples[/bold]

      ficbook build recipes/spuffy.yaml            [dim]# writes build/spuffy.epub[/dim]

      ficbook build recipes/*.yaml --out ~/books --check
    """
    global _debug
    _debug = debug


@app.command()
def build(
    recipes: Annotated[list[Path], typer.Argument(help="Recipe files (.yaml).", show_default=False)],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Folder for the books "
                                                "[default: build/ beside the recipes' folder].",
                                                show_default=False)] = None,
    check: Annotated[bool, typer.Option("--check", help="Run EPUBCheck on each book; any "
                                        "message, warning included, fails the build.")] = False,
    kepub: Annotated[bool, typer.Option("--kepub", help="Also write NAME.kepub.epub for Kobo.")] = False,
    azw3: Annotated[bool, typer.Option("--azw3", help="Also write NAME.azw3 for Kindle "
                                       "(needs calibre's ebook-convert).")] = False,
) -> None:
    """Build each RECIPE into OUT/<recipe-name>.epub.

    [bold]Examples[/bold]

      ficbook build recipes/spuffy.yaml

      ficbook build recipes/spuffy.yaml recipes/bangel.yaml --out books/ --check
    """
    from ficbook.build import BuildOptions
    from ficbook.build import build as build_book

    options = BuildOptions(out_dir=out, kepub=kepub, azw3=azw3)
    failed: list[int] = []
    built = []
    for recipe in recipes:
        try:
            result = build_book(recipe, options)
        except FicbookError as exc:
            if _debug:
                raise
            report_error(exc)
            failed.append(int(exc.exit_code))
            continue
        for d in result.diagnostics:
            if d.severity != "info":
                err(d.format())
        built.append(result)
        print(f"{result.output}  {result.stories} stories, {result.words:,} words, "
              f"{result.size / 1024:,.0f} KB")
    if check and built:
        from ficbook.epubcheck import check as run_check

        try:
            results = run_check([b.output for b in built])
        except FicbookError as exc:
            report_error(exc)
            raise typer.Exit(int(exc.exit_code)) from None
        for res in results:
            if res.ok:
                print(f"{res.path}  EPUBCheck: no messages")
            else:
                for msg in res.messages:
                    err(msg)
                err(f"ficbook: {res.path}: EPUBCheck: {res.errors} errors, {res.warnings} warnings")
                failed.append(int(ExitCode.CHECK))
    if failed:
        # One code for the whole run: the same failure everywhere keeps its own code.
        raise typer.Exit(failed[0] if len(set(failed)) == 1 else int(ExitCode.FAILED))


# Commands that live in their own modules (one line each; keep this block together).
# (none yet)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err("ficbook: interrupted")
        sys.exit(int(ExitCode.INTERRUPTED))
