"""ficbook.cli.plainvalues reads plain command-line values without pydantic: every value
must come out exactly as typer's own adapter gives it, or raise typer's own error."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pytest
import typer
import typer.main
from typer import _coercion

from ficbook.cli import app as _app  # noqa: F401  (installs the plain reading)
from ficbook.cli.app import app as ficbook_app

demo = typer.Typer()


@demo.command()
def every_kind(
    name: Annotated[str, typer.Argument()],
    paths: Annotated[list[Path], typer.Argument()],
    words: Annotated[list[str] | None, typer.Option("--word")] = None,
    jobs: Annotated[int | None, typer.Option(min=1)] = None,
    port: Annotated[int, typer.Option(min=0, max=65535)] = 8080,
    size: Annotated[float | None, typer.Option(min=0.01)] = None,
    ratio: Annotated[float, typer.Option()] = 1.5,
    out: Annotated[Path | None, typer.Option()] = None,
    must: Annotated[Path | None, typer.Option(exists=True)] = None,
    afile: Annotated[Path | None, typer.Option(exists=True, dir_okay=False)] = None,
    adir: Annotated[Path | None, typer.Option(exists=True, file_okay=False)] = None,
    flag: Annotated[bool, typer.Option()] = False,
    maybe: Annotated[bool | None, typer.Option()] = None,
) -> None:
    """Not run: its parameters are read."""


VALUES = ["", "0", "1", "7", "007", "+7", "-7", " 7", "1_000", "٣", "65535", "65536",
          "99999999999999999999", "0.5", "0.001", "1.50", ".5", "1e3", "nan", "inf", "-",
          "a b", "\udcff", "a\x00b", "x/y/", "/", "/nonexistent/file", "stories",
          "stories/000_4a2aa88e777b0727.txt", "recipes/spuffy.yaml", 0, 1, 8080, 1.5, True, False,
          None, ("a", "b"), ["0", "2"], (), ("1", "x")]


def outcome(runtime, value, param, ctx):
    try:
        got = runtime.coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # the error typer would print, as it would print it
        return ("error", type(exc).__name__, getattr(exc, "message", str(exc)))
    return ("value", type(got).__name__, repr(got))


def params_of(application):
    group = typer.main.get_command(application)
    commands = group.commands.values() if hasattr(group, "commands") else [group]
    for command in commands:
        ctx = typer.main._click.Context(command)
        for param in command.params:
            yield param, ctx


@pytest.mark.parametrize("application", [demo, ficbook_app], ids=["demo", "ficbook"])
def test_plain_values_read_as_typers_adapter_reads_them(application, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    checked = 0
    for param, ctx in params_of(application):
        for value in VALUES:
            param._runtime_param = None
            ours = outcome(param.get_runtime_param(), value, param, ctx)
            theirs = outcome(_coercion.build_runtime_param(param.type_descriptor), value, param, ctx)
            assert ours == theirs, (param.name, value)
            checked += 1
    assert checked > 300


def test_plain_parameters_do_not_build_an_adapter():
    kinds = {}
    for param, _ctx in params_of(ficbook_app):
        param._runtime_param = None
        kinds[param.name] = type(param.get_runtime_param()).__name__
    assert kinds["recipes"] == kinds["jobs"] == kinds["split"] == kinds["file"] == "PlainRuntimeParam"
    assert set(kinds.values()) == {"PlainRuntimeParam"}, kinds
