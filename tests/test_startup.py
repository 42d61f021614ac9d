"""Start-up (issue 20): `--version` answered before the command line loads, `--help` and
`inspect` without the libraries only a build needs. What a command imports is checked,
not how long it takes (timings are the bench's: bench/parallel.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ficbook import __version__
from tests.conftest import ROOT

HEAVY = ("PIL", "lxml", "ebooklib", "pydantic", "typer", "bs4", "ficbook.build", "ficbook.recipe",
         "importlib.metadata", "markdown_it", "pygments")

# Runs the real entry point, then prints which of HEAVY were imported, whatever the command did
# (ficbook.cli.noplugins's stand-in for pydantic's plugin loader is no import of pydantic).
PROBE = """
import atexit, json, sys
heavy = {heavy!r}
def real(m):
    return type(sys.modules[m]).__name__ != "_PluginsOff"
atexit.register(lambda: print("\\nLOADED " + json.dumps(sorted(
    h for h in heavy if any((m == h or m.startswith(h + ".")) and real(m) for m in list(sys.modules)))),
    file=sys.stderr))
sys.argv = ["ficbook", *{args!r}]
from ficbook.cli.entry import main
main()
"""


def loaded(*args: str, cwd: Path = ROOT) -> tuple[set[str], str]:
    proc = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY, args=args)], cwd=cwd,
                          capture_output=True, text=True, timeout=60)
    line = next(x for x in proc.stderr.splitlines() if x.startswith("LOADED "))
    return set(json.loads(line.removeprefix("LOADED "))), proc.stdout


def test_version_loads_no_library_at_all():
    modules, out = loaded("--version")
    assert out.strip() == f"ficbook {__version__}"  # what the command line's --version says
    assert modules == set()


def test_help_loads_the_command_line_but_no_book_library():
    modules, out = loaded("--help")
    assert "build" in out and "inspect" in out
    assert modules == {"typer"}  # typer needs pydantic only to run a command, not to list them


def test_inspect_of_a_text_file_loads_no_book_library():
    story = sorted((ROOT / "stories").glob("*.txt"))[0]
    modules, out = loaded("inspect", str(story))
    assert out.strip()
    # pydantic neither: plain values are read without typer's adapters (cli/plainvalues)
    assert modules == {"typer"}, modules


def test_a_rebuild_with_nothing_changed_loads_no_book_library(tmp_path, monkeypatch):
    for name in ("recipes", "stories", "covers"):
        shutil.copytree(ROOT / name, tmp_path / name)
    monkeypatch.setenv("FICBOOK_COVERS", str(tmp_path / "covers"))
    recipe, out = str(tmp_path / "recipes" / "spuffy.yaml"), str(tmp_path / "out")
    subprocess.run([sys.executable, "-m", "ficbook", "build", "--quiet", recipe, "-o", out],
                   cwd=tmp_path, check=True, capture_output=True, timeout=120)
    modules, out_text = loaded("build", recipe, "-o", out, "--json", cwd=tmp_path)
    assert json.loads(out_text)["books"][0]["status"] == "unchanged"
    # no recipe schema (pydantic), no importlib.metadata for the libraries' versions
    assert modules == {"typer"}, modules


# The command line as `main` makes it (the command given alone, typer's help drawn with
# rich's Markdown and Traceback deferred) and as typer makes it: the same output.
PLAIN = """
import sys
from ficbook.cli import richhelp
if {plain!r}:
    richhelp.install = lambda: None
from ficbook.cli import app
if {plain!r}:
    app._only_the_command_given = lambda args: None
sys.argv = ["ficbook", *{args!r}]
app.main()
"""


def test_the_command_line_says_what_typer_alone_says(tmp_path):
    story = str(sorted((ROOT / "stories").glob("*.txt"))[0])
    for colour in ("NO_COLOR", "FORCE_COLOR"):
        env = {**os.environ, "COLUMNS": "100", "TERM": "dumb", colour: "1"}
        for args in (["build", "--help"], ["inspect", "--help"], ["--debug", "cover", "--help"],
                     ["build"], ["build", "--jobs", "0", "x.yaml"], ["build", "--nope"],
                     ["inspect", str(tmp_path / "missing.txt")], ["inspect", story, "--off", "nope"],
                     ["--help"], [], ["biuld", "x.yaml"], ["--debug", "sideload"]):
            said = [subprocess.run([sys.executable, "-c", PLAIN.format(plain=plain, args=args)],
                                   cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
                    for plain in (False, True)]
            assert [(p.returncode, p.stdout, p.stderr) for p in said] == \
                   [(said[1].returncode, said[1].stdout, said[1].stderr)] * 2, args
            assert said[0].stdout or said[0].stderr


DEPUTIES = '''
import sys, typer
from typer.testing import CliRunner
from ficbook.cli import richhelp
if {deferred!r}:
    richhelp.install()
demo = typer.Typer(rich_markup_mode="markdown")
@demo.command()
def go(name: str = "x") -> None:
    """Do **this**, then *that*:

    * one
    * two
    """
result = CliRunner().invoke(demo, ["--help"], terminal_width=80)
import typer.rich_utils as ru
assert "rich.markdown" in sys.modules
assert ru.Traceback.from_exception.__qualname__ == "Traceback.from_exception"
print(result.output)
'''


def test_deferred_markdown_and_traceback_are_rich_s_own_when_used():
    said = [subprocess.run([sys.executable, "-c", DEPUTIES.format(deferred=deferred)], cwd=ROOT,
                           env={**os.environ, "COLUMNS": "80"}, capture_output=True, text=True,
                           timeout=60) for deferred in (True, False)]
    assert said[0].returncode == said[1].returncode == 0, said[0].stderr + said[1].stderr
    assert "this" in said[0].stdout and "**" not in said[0].stdout
    assert said[0].stdout == said[1].stdout


PLUGINS = """
import atexit, sys
def said():
    loader = sys.modules["pydantic.plugin._loader"]
    scanned = type(loader).__name__ == "module" and loader._plugins is not None
    print("\\nSCANNED", scanned, "METADATA", "importlib.metadata" in sys.modules, file=sys.stderr)
atexit.register(said)
sys.argv = ["ficbook", "build", "--quiet", "--force", {recipe!r}, "-o", {out!r}]
from ficbook.cli.entry import main
main()
"""


def test_pydantic_plugins_are_off_unless_the_user_says_otherwise(tmp_path):
    probe = PLUGINS.format(recipe=str(ROOT / "recipes" / "spuffy.yaml"), out=str(tmp_path))
    for setting, scanned in ((None, False), ("", True), ("some-plugin", True)):
        env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
        if setting is not None:
            env["PYDANTIC_DISABLE_PLUGINS"] = setting
        proc = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        # off: pydantic's loader (and importlib.metadata with it) is never imported
        assert f"SCANNED {scanned} METADATA {scanned}" in proc.stderr, proc.stderr


STAND_IN = """
import os, sys
from ficbook.cli import noplugins
noplugins.install()
from pydantic import BaseModel
class A(BaseModel):
    x: int
assert A(x="1").x == 1 and "importlib.metadata" not in sys.modules
stand_in = sys.modules[noplugins.LOADER]
assert stand_in.get_plugins() == ()
os.environ["PYDANTIC_DISABLE_PLUGINS"] = ""  # turned on later: pydantic's own answer
assert list(stand_in.get_plugins()) == [] and "importlib.metadata" in sys.modules
assert type(sys.modules[noplugins.LOADER]).__name__ == "module"
assert stand_in.PYDANTIC_ENTRY_POINT_GROUP == "pydantic"  # any other name: pydantic's module
print("OK")
"""


def test_the_stand_in_loader_answers_as_pydantics_own():
    env = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "1"}
    proc = subprocess.run([sys.executable, "-c", STAND_IN], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "OK", proc.stderr


def test_reading_recipes_for_a_build_loads_no_drawing_code():
    # Checking `cover.style` and listing the cover's files (cover.folder) need no Pillow:
    # with --jobs 2 the process that reads the recipes and starts the workers draws no
    # cover (a worker does), so Pillow is not on the way to the fork.
    # Nor does working out the words of a cover to be drawn by a worker (`cover_ahead`).
    probe = ("import sys; from pathlib import Path; from ficbook.batch import pool; "
             "from ficbook.build import cover_ahead; "
             "plans = pool._load_recipes([Path(sys.argv[1])]); assert plans; "
             "text = cover_ahead(next(iter(plans.values())).recipe); assert text and text.editor, text; "
             "print(sorted(m for m in ('PIL', 'ficbook.cover.style', 'ficbook.cover.render', "
             "'ficbook.cover.canvas') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", probe, str(ROOT / "recipes" / "spuffy.yaml")],
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stderr
