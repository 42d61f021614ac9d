"""`ficbook build` as a person and a script see it: summary table, --json, --quiet,
plain progress lines when stderr is not a terminal, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ficbook.cli.app import app
from ficbook.errors import ExitCode
from tests.conftest import ROOT

runner = CliRunner()


@pytest.fixture
def shelf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("recipes", "stories"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for p in (tmp_path / "stories").rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def build(*args: str):
    return runner.invoke(app, ["build", *args])


def test_summary_table_lists_every_book(shelf: Path):
    result = build("recipes", "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Book", "Stories", "Words", "Size", "Time", "Status"]
    samples = sorted(p.stem for p in (ROOT / "recipes").glob("*.yaml"))  # the sample recipes
    n = len(samples)
    rows = {line.split()[0]: line.split() for line in lines[1:n + 1]}
    assert set(rows) == {f"build/{name}.epub" for name in samples}
    everything = rows["build/everything.epub"]
    assert everything[1] == "5" and everything[-1] == "built"
    assert int(everything[2].replace(",", "")) > 7000
    assert lines[n + 1].split()[:2] == [str(n), "books"] and lines[n + 1].split()[-1] == "ok"
    # stderr is not a terminal here: plain lines, one per book, no animation codes
    progress = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert len(progress) == n and all(" built " in p for p in progress)
    assert progress[0].startswith(f"[1/{n}]") and "\x1b" not in result.stderr
    again = build("recipes", "--jobs", "1")
    assert [line.split()[-1] for line in again.stdout.splitlines()[1:n + 1]] == ["unchanged"] * n


def test_json_summary(shelf: Path):
    result = build("recipes/spuffy.yaml", "recipes/bangel.yaml", "--json", "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["built"], data["unchanged"], data["failed"]) == (2, 0, 0)
    books = {Path(b["recipe"]).stem: b for b in data["books"]}
    assert [Path(b["recipe"]).stem for b in data["books"]] == ["spuffy", "bangel"]  # as given
    spuffy = books["spuffy"]
    assert spuffy["status"] == "built" and spuffy["stories"] == 2
    assert spuffy["size"] == (shelf / "build" / "spuffy.epub").stat().st_size
    assert set(spuffy["stages"]) >= {"recipe", "convert", "render", "package", "write"}
    again = json.loads(build("recipes/spuffy.yaml", "--json").stdout)
    assert again["books"][0]["status"] == "unchanged" and again["unchanged"] == 1


def test_json_reports_a_failure_with_file_and_line(shelf: Path):
    (shelf / "recipes" / "broken.yaml").write_text("title: X\ntitle: Y\nstories: []\n", "utf-8")
    result = build("recipes", "--json", "--jobs", "2")
    assert result.exit_code == ExitCode.RECIPE
    data = json.loads(result.stdout)
    broken = next(b for b in data["books"] if b["status"] == "failed")
    assert broken["recipe"].endswith("broken.yaml") and broken["exit_code"] == ExitCode.RECIPE
    assert "broken.yaml:2:" in broken["error"]
    assert data["built"] == len(list((ROOT / "recipes").glob("*.yaml")))  # every sample
    assert "broken.yaml:2:" in result.stderr and "Traceback" not in result.stderr


def test_quiet_prints_nothing_but_problems(shelf: Path):
    result = build("recipes", "--quiet", "--jobs", "1")
    assert result.exit_code == 0 and result.stdout == ""
    # the converter's warnings still show, nothing else
    assert all(": warning: " in line for line in result.stderr.splitlines()), result.stderr
    result = build("recipes/spuffy.yaml", "recipes/missing.yaml", "-q")
    assert result.exit_code == ExitCode.RECIPE and result.stdout == ""
    assert result.stderr.strip() == "ficbook: recipes/missing.yaml: recipe not found"


def test_force_out_and_globs(shelf: Path):
    build("recipes/*.yaml", "--out", "books", "-q")
    result = build("recipes/s*.yaml", "--out", "books", "--force", "--json")
    data = json.loads(result.stdout)
    assert [(Path(b["output"]).name, b["status"]) for b in data["books"]] == [("spuffy.epub", "built")]
    result = build("nothing/*.yaml")
    assert result.exit_code == ExitCode.RECIPE
    assert "nothing/*.yaml: no recipe matches this pattern" in result.stderr


def test_help_names_the_options():
    result = runner.invoke(app, ["build", "--help"])
    for option in ("--jobs", "--force", "--fail-fast", "--quiet", "--json", "--out", "--check",
                   "--kepub", "--azw3"):
        assert option in result.stdout
