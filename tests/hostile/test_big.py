"""Big inputs, built by the CLI in a child process: memory bounded (peak RSS of that
child, from wait4), time bounded (RLIMIT_CPU), no network, one line on failure.

The full-size cases (a 50 MB line, a million one-word lines) are marked `slow`; the same
shapes at a twentieth of the size are built with the rest of the corpus (test_corpus.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ficbook.errors import ExitCode
from ficbook.readers.source import MAX_TEXT_BYTES
from tests.conftest import assert_epubcheck_clean
from tests.hostile import harness
from tests.hostile.corpus import CASES, Book, Case, Fails, Setup, story_case

# The full-size ones; the small shapes are built with the rest of the corpus (test_corpus).
BIG = [pytest.param(c, id=c.id, marks=[pytest.mark.slow])
       for c in CASES if c.big and c.slow and isinstance(c.expect, Book)]


_books: list[Path] = []


@pytest.mark.parametrize("case", BIG)
def test_big_text_builds_in_bounded_memory(case: Case, tmp_path: Path):
    run, book, setup = harness.build_in_child(case, tmp_path)
    harness.check_big(case, run, book, setup)
    _books.append(book)


@pytest.mark.slow
def test_big_books_pass_epubcheck():
    if not _books:
        pytest.skip("no big book was built in this run")
    assert_epubcheck_clean(_books)


def test_text_over_the_limit_is_refused_before_reading(tmp_path: Path):
    setup = story_case("huge.txt", b"")(tmp_path / "shelf")
    with open(setup.story, "r+b") as f:  # sparse: no disk space, no time
        f.truncate(MAX_TEXT_BYTES + 1)
        f.write(b"Spike")
    run = harness.run_cli(["build", str(setup.recipe), "--out", str(tmp_path / "build"), "-q", "-j", "1"],
                  tmp_path / "stderr.txt")
    line = harness.one_error_line(run.stderr)
    assert run.code == ExitCode.STORY
    assert Path(line.file).name == "huge.txt"
    assert re.search(r"story is 64 MB of text; the limit is 64 MB: split it", line.message), line
    assert run.peak_mb < 200
    assert harness.stray_books(tmp_path / "shelf" / "build") == []
    assert run.cpu_s < 20


FULL_DISK = next(c for c in CASES if c.id == "full-disk")


def test_full_disk_leaves_no_partial_book(tmp_path: Path):
    """RLIMIT_FSIZE stands in for a full disk: writes past it fail with EFBIG."""
    shelf = tmp_path / "shelf"
    setup: Setup = FULL_DISK.make(shelf)
    before = harness.hash_tree(shelf)
    run = harness.run_cli(["build", str(setup.recipe), "-q", "-j", "1"], tmp_path / "stderr.txt",
                  fsize=20_000)
    expect = FULL_DISK.expect
    assert isinstance(expect, Fails)
    line = harness.one_error_line(run.stderr)
    assert run.code == expect.code
    assert expect.message in line.message
    assert line.file == str(setup.out)
    assert list((shelf / "build").iterdir()) == []
    assert harness.hash_tree(shelf, skip=shelf / "build") == before
