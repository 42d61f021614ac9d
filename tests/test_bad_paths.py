"""Bad paths and bad places to write: one clear line, a documented exit code, no partial book."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ficbook.cli.app import app
from ficbook.errors import ExitCode
from tests.hostile.harness import stray_books

runner = CliRunner()


def build(shelf: Path, recipe: str, *args: str, name: str = "book.yaml"):
    path = shelf / "recipes" / name
    path.write_text(recipe, encoding="utf-8")
    return path, runner.invoke(app, ["build", str(path), *args])


def only_error(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("ficbook:")]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_story_listed_twice(shelf: Path):
    path, result = build(shelf, "title: X\nstories:\n  - path: ../stories/fight.txt\n"
                                "  - path: ../stories/./fight.txt\n")
    assert result.exit_code == ExitCode.RECIPE
    assert only_error(result) == (
        f"ficbook: {path}:4:5: stories.1: story listed twice: ../stories/./fight.txt "
        "(also story 1, ../stories/fight.txt)")
    assert stray_books(shelf / "build") == []


def test_story_path_is_a_folder(shelf: Path):
    _, result = build(shelf, "title: X\nstories:\n  - path: ../stories\n")
    assert result.exit_code == ExitCode.STORY
    assert only_error(result).endswith("stories: is a folder, not a story file")


def test_symlink_loop(shelf: Path):
    loop = shelf / "stories" / "loop.txt"
    os.symlink(loop, loop)
    _, result = build(shelf, "title: X\nstories:\n  - path: ../stories/loop.txt\n")
    assert result.exit_code == ExitCode.STORY
    assert "loop.txt: cannot read story file: Too many levels of symbolic links" in only_error(result)


def test_unreadable_story(shelf: Path, monkeypatch: pytest.MonkeyPatch):
    # Tests may run as root, for whom chmod 000 changes nothing: make the read fail instead.
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "fight.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    _, result = build(shelf, "title: X\nstories:\n  - path: ../stories/fight.txt\n")
    assert result.exit_code == ExitCode.STORY
    assert only_error(result).endswith("fight.txt: story file is not readable (permission denied)")


def test_output_folder_that_cannot_be_written(shelf: Path):
    blocker = shelf / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    _, result = build(shelf, "title: X\nstories:\n  - path: ../stories/fight.txt\n",
                      "--out", str(blocker / "books"))
    assert result.exit_code == ExitCode.OUTPUT
    assert only_error(result) == f"ficbook: {blocker}/books: cannot write here: Not a directory"
    assert blocker.read_text() == "a file where the output folder should be"


def test_output_equal_to_a_story_file(shelf: Path):
    story = shelf / "stories" / "book.epub"
    shutil.copy(shelf / "stories" / "fight.txt", story)
    before = story.read_bytes()
    _, result = build(shelf, "title: X\nstories:\n  - path: ../stories/book.epub\n",
                      "--out", str(shelf / "stories"))
    assert result.exit_code == ExitCode.OUTPUT
    assert only_error(result) == (
        f"ficbook: {story}: the book would overwrite one of its own input files; "
        "use --out to write it elsewhere")
    assert story.read_bytes() == before


def test_full_disk_leaves_no_partial_book(shelf: Path):
    """RLIMIT_FSIZE stands in for a full disk: writes past it fail with EFBIG."""
    recipe = shelf / "recipes" / "book.yaml"
    recipe.write_text("title: X\nstories:\n  - path: ../stories/fight.txt\n")
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))\n"
        "from ficbook.cli.app import main\n"
        f"sys.argv = ['ficbook', 'build', {str(recipe)!r}]\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == ExitCode.OUTPUT, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("ficbook:")]
    assert lines == [f"ficbook: {shelf / 'build' / 'book.epub'}: cannot write the book: File too large"]
    assert list((shelf / "build").iterdir()) == []
