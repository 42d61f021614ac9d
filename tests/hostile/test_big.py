"""Big inputs, built by the CLI in a child process: memory bounded (peak RSS of that
child, from wait4), time bounded (RLIMIT_CPU), no network, one line on failure.

The cases are the corpus's `big` ones. The full-size ones (a 50 MB line, a million one-word
lines) are marked `slow`; the same shapes at a twentieth of the size always run.
"""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from ficbook.errors import ExitCode
from ficbook.sources import MAX_TEXT_BYTES
from tests.conftest import assert_epubcheck_clean
from tests.hostile import harness
from tests.hostile.corpus import CASES, Book, Case, Fails, Setup, story_case

_CHILD = """
import socket, sys
def refuse(*a, **k):
    raise OSError("network access attempted")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from ficbook.cli import main
sys.argv = ["ficbook", *sys.argv[1:]]
main()
"""


@dataclass(frozen=True)
class Run:
    code: int
    stderr: str
    peak_mb: float
    cpu_s: float


def run_cli(args: list[str], stderr_file: Path, *, fsize: int | None = None,
            cpu_limit: int = 300) -> Run:
    """`ficbook ARGS` in a child; its own peak RSS and CPU time, via wait4."""
    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_limit, cpu_limit))
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes fail with EFBIG instead
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    with stderr_file.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-c", _CHILD, *args], stdout=subprocess.DEVNULL,
                                stderr=err, preexec_fn=limits)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(proc.returncode, stderr_file.read_text(), usage.ru_maxrss / 1024,
               usage.ru_utime + usage.ru_stime)


BIG = [pytest.param(c, id=c.id, marks=[pytest.mark.slow] if c.slow else [])
       for c in CASES if c.big and isinstance(c.expect, Book)]


def built(case: Case, tmp_path: Path) -> tuple[Run, Path, Setup]:
    shelf = tmp_path / "shelf"
    setup = case.make(shelf)
    before = harness.hash_tree(shelf)
    run = run_cli(["build", str(setup.recipe), "--out", str(shelf / "build"), "-q", "-j", "1"],
                  tmp_path / "stderr.txt")
    assert harness.hash_tree(shelf, skip=shelf / "build") == before
    return run, shelf / "build" / "book.epub", setup


_books: list[Path] = []


@pytest.mark.parametrize("case", BIG)
def test_big_text_builds_in_bounded_memory(case: Case, tmp_path: Path):
    run, book, setup = built(case, tmp_path)
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert run.peak_mb < case.max_mb, f"peak RSS {run.peak_mb:.0f} MB (cpu {run.cpu_s:.1f} s)"
    with zipfile.ZipFile(book) as zf:
        text = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".xhtml"))
    assert setup.story is not None
    assert len(re.findall(case.count, text)) == len(re.findall(case.count, setup.story.read_bytes()))
    _books.append(book)


def test_big_books_pass_epubcheck():
    if not _books:
        pytest.skip("no big book was built in this run")
    assert_epubcheck_clean(_books)


def test_text_over_the_limit_is_refused_before_reading(tmp_path: Path):
    setup = story_case("huge.txt", b"")(tmp_path / "shelf")
    with open(setup.story, "r+b") as f:  # sparse: no disk space, no time
        f.truncate(MAX_TEXT_BYTES + 1)
        f.write(b"Spike")
    run = run_cli(["build", str(setup.recipe), "--out", str(tmp_path / "build"), "-q", "-j", "1"],
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
    run = run_cli(["build", str(setup.recipe), "-q", "-j", "1"], tmp_path / "stderr.txt",
                  fsize=20_000)
    expect = FULL_DISK.expect
    assert isinstance(expect, Fails)
    line = harness.one_error_line(run.stderr)
    assert run.code == expect.code
    assert expect.message in line.message
    assert line.file == str(setup.out)
    assert list((shelf / "build").iterdir()) == []
    assert harness.hash_tree(shelf, skip=shelf / "build") == before
