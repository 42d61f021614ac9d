"""The command line: exit codes, one-line errors naming the file, no output on failure."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ficbook import __version__
from ficbook.cli.app import app
from ficbook.errors import ExitCode

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def recipe(shelf: Path, text: str, name: str = "book.yaml") -> Path:
    path = shelf / "recipes" / name
    path.write_text(text, encoding="utf-8")
    return path


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("ficbook:")]


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"ficbook {__version__}"


def test_help_has_examples():
    result = run("build", "--help")
    assert result.exit_code == 0
    assert "ficbook build recipes/spuffy.yaml" in result.stdout


def test_minimal_recipe_builds_into_build_beside_the_recipes_folder(shelf: Path):
    path = recipe(shelf, "title: Holdout\nlanguage: en\nstories:\n  - path: ../stories/fight.txt\n")
    result = run("build", str(path))
    assert result.exit_code == 0, result.stderr
    assert (shelf / "build" / "book.epub").is_file()


def test_out_option(shelf: Path, tmp_path: Path):
    path = recipe(shelf, "title: Holdout\nstories:\n  - path: ../stories/fight.txt\n")
    result = run("build", str(path), "--out", str(tmp_path / "elsewhere"))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "elsewhere" / "book.epub").is_file()


def assert_fails(shelf: Path, result, code: ExitCode, first_line: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.stderr)
    lines = error_lines(result)
    assert lines and lines[0] == first_line, result.stderr
    assert "Traceback" not in result.stderr
    assert not (shelf / "build").exists() or not any((shelf / "build").glob("*.epub"))


def test_missing_recipe(shelf: Path):
    missing = shelf / "recipes" / "nope.yaml"
    assert_fails(shelf, run("build", str(missing)), ExitCode.RECIPE,
                 f"ficbook: {missing}: recipe not found")


def test_invalid_yaml(shelf: Path):
    path = recipe(shelf, "title: [Holdout\nstories: x\n")
    assert_fails(shelf, run("build", str(path)), ExitCode.RECIPE,
                 f"ficbook: {path}:2:8: invalid YAML: expected ',' or ']', but got ':'")


def test_schema_errors_listed_one_per_line(shelf: Path):
    path = recipe(shelf, "titel: Holdout\nstories:\n  - path: ../stories/fight.txt\n")
    result = run("build", str(path))
    assert_fails(shelf, result, ExitCode.RECIPE, f"ficbook: {path}: 2 problems in recipe")
    assert f"  {path}:1:1: title: required key is missing" in result.stderr.splitlines()
    assert f"  {path}:1:1: titel: unknown key (did you mean `title`?)" in result.stderr.splitlines()


def test_missing_story(shelf: Path):
    path = recipe(shelf, "title: X\nstories:\n  - path: ../stories/gone.txt\n")
    result = run("build", str(path))
    assert result.exit_code == ExitCode.STORY
    [line] = error_lines(result)
    assert line.startswith("ficbook: ") and line.endswith(
        "stories/gone.txt: story file not found (check `path:` in the recipe)")


def test_empty_story(shelf: Path):
    (shelf / "stories" / "empty.txt").write_text("  \n\n")
    path = recipe(shelf, "title: X\nstories:\n  - path: ../stories/empty.txt\n")
    result = run("build", str(path))
    assert result.exit_code == ExitCode.STORY
    assert error_lines(result)[0].endswith("stories/empty.txt: story file is empty")


def test_binary_story_is_not_text(shelf: Path):
    (shelf / "stories" / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    path = recipe(shelf, "title: X\nstories:\n  - path: ../stories/picture.txt\n")
    result = run("build", str(path))
    assert result.exit_code == ExitCode.STORY
    assert "stories/picture.txt: not a text file" in error_lines(result)[0]


def test_one_bad_recipe_does_not_stop_the_others(shelf: Path):
    good = recipe(shelf, "title: Good\nstories:\n  - path: ../stories/fight.txt\n", "good.yaml")
    bad = recipe(shelf, "title: Bad\nstories:\n  - path: ../stories/gone.txt\n", "bad.yaml")
    result = run("build", str(bad), str(good))
    assert result.exit_code == ExitCode.STORY
    assert (shelf / "build" / "good.epub").is_file()
    assert not (shelf / "build" / "bad.epub").exists()


def test_failed_rebuild_keeps_the_previous_book(shelf: Path):
    path = recipe(shelf, "title: X\nstories:\n  - path: ../stories/fight.txt\n")
    assert run("build", str(path)).exit_code == 0
    before = (shelf / "build" / "book.epub").read_bytes()
    (shelf / "stories" / "fight.txt").write_text("")
    assert run("build", str(path)).exit_code == ExitCode.STORY
    assert (shelf / "build" / "book.epub").read_bytes() == before
    assert [p.name for p in (shelf / "build").iterdir() if p.suffix != ".json"
            and not p.name.startswith(".ficbook")] == ["book.epub"]
