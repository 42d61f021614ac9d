"""The command line. The only module that prints and picks exit codes."""

from __future__ import annotations

import inspect
import sys
from typing import Annotated

import typer

from ficbook import __version__
from ficbook.cli import build as build_command
from ficbook.cli import cover as cover_command
from ficbook.cli import inspect as inspect_command
from ficbook.cli import new as new_command
from ficbook.cli import output, plainvalues, richhelp
from ficbook.cli import send as send_command
from ficbook.cli import serve as serve_command
from ficbook.cli import sideload as sideload_command
from ficbook.cli.output import err
from ficbook.errors import ExitCode

plainvalues.install()  # plain values without pydantic: `inspect` never loads it
richhelp.install()  # help and usage errors without rich's Markdown and Traceback

app = typer.Typer(
    name="ficbook",
    help="Turn fan fiction saved as text, HTML or EPUB into EPUB 3 anthologies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        print(f"ficbook {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool | None, typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Show the version and exit.")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    """Turn fan fiction saved as text, HTML or EPUB into EPUB 3 anthologies.

    [bold]Examples[/bold]

      ficbook build recipes/spuffy.yaml            [dim]# writes build/spuffy.epub[/dim]

      ficbook build recipes/*.yaml --out ~/books --check
    """
    output.debug = debug


# One module per command; this list is the order `--help` shows them in.
app.command("build")(build_command.build)
app.command("inspect")(inspect_command.inspect)
app.command("new")(new_command.new)
app.command("sideload")(sideload_command.sideload)
app.command("send")(send_command.send)
app.command("serve")(serve_command.serve)
app.command("opds")(serve_command.opds)
app.command("cover")(cover_command.cover)


def _reflow(doc: str) -> str:
    """Docstrings wrap at 90 columns; help is reflowed to the terminal, so join the lines
    of each plain paragraph (indented example lines stay as they are)."""
    paragraphs = []
    for para in doc.strip().split("\n\n"):
        lines = para.split("\n")
        plain = all(line and not line[0].isspace() for line in lines)
        paragraphs.append(" ".join(lines) if plain else para)
    return "\n\n".join(paragraphs)


for _info in app.registered_commands:
    _info.help = _reflow(inspect.getdoc(_info.callback) or "")
if app.registered_callback is not None:
    app.registered_callback.help = _reflow(inspect.getdoc(app.registered_callback.callback) or "")


def _only_the_command_given(args: list[str]) -> None:
    """`ficbook build …` makes the command line of `build` alone: typer reads every
    command's signature to make one (~10 ms of a build's start-up for eight). Only when
    the command's name comes first (after --debug), so that the list of commands
    (`ficbook --help`, a misspelt name) stays whole; tests/test_startup.py holds the
    output the same."""
    given = args[1:] if args[:1] == ["--debug"] else args
    if given and any(info.name == given[0] for info in app.registered_commands):
        app.registered_commands = [info for info in app.registered_commands if info.name == given[0]]


def main() -> None:
    from ficbook.cli import signals

    _only_the_command_given(sys.argv[1:])
    try:
        app()
    except SystemExit:
        if signals.signalled():  # typer ends Ctrl-C with a silent exit 130: say so, once
            signals.exit_stopped()
        raise
    except KeyboardInterrupt:
        signals.exit_stopped()
    except Exception as exc:  # a bug, not the input's fault: one line unless --debug
        if output.debug:
            raise
        err(f"ficbook: internal error: {type(exc).__name__}: {exc} "
            "(please report it; --debug shows the traceback)")
        sys.exit(int(ExitCode.FAILED))
