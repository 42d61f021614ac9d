"""Faults and signals (issue 16): a worker killed by SIGKILL fails only its book; temporary
files belong to the process that made them; Ctrl-C and SIGTERM at any moment end the
program with one line and the usual code."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from ficbook.batch import pool as batch
from ficbook.outputs import sweep
from tests.conftest import ROOT

FICBOOK = [sys.executable, "-m", "ficbook"]


def shelf_of(root: Path, books: int, copies: int) -> Path:
    """`books` recipes, each one sample story repeated `copies` times (a second or two each)."""
    (root / "stories").mkdir(parents=True)
    (root / "recipes").mkdir()
    samples = sorted((ROOT / "stories").glob("*.txt"))
    for b in range(books):
        body = samples[b % len(samples)].read_text("utf-8").strip()
        (root / "stories" / f"s{b}.txt").write_text("\n\n* * *\n\n".join([body] * copies) + "\n", "utf-8")
        (root / "recipes" / f"book{b}.yaml").write_text(
            f"title: Book {b}\nstories:\n  - path: ../stories/s{b}.txt\n", "utf-8")
    return root


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def test_a_worker_killed_fails_only_its_book(tmp_path: Path):
    shelf = shelf_of(tmp_path, books=5, copies=300)  # a few seconds a book: the kill lands mid-book
    out = shelf / "out"
    proc = subprocess.Popen([*FICBOOK, "build", str(shelf / "recipes"), "-o", str(out), "--jobs", "2",
                             "--json"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(children(proc.pid)) < 2:
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.5)  # both workers are building their first book
    victim = children(proc.pid)[0]
    os.kill(victim, signal.SIGKILL)  # what the out-of-memory killer does
    stdout, stderr = proc.communicate(timeout=300)
    books = json.loads(stdout)["books"]
    failed = [b for b in books if b["status"] == "failed"]
    assert len(failed) == 1, stderr
    assert "the build process died: killed by SIGKILL" in failed[0]["error"]
    assert sorted(b["status"] for b in books) == ["built"] * 4 + ["failed"], stderr
    assert proc.returncode == 1
    assert "Traceback" not in stderr and "internal error" not in stderr
    for book in out.glob("*.epub"):
        assert zipfile.ZipFile(book).testzip() is None
    assert [p.name for p in out.rglob("*.part")] == []


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_temporary_files_are_swept_only_when_their_owner_is_gone(tmp_path: Path):
    book = tmp_path / "book.epub"
    alive = subprocess.Popen(["sleep", "60"])
    try:
        mine = tmp_path / f".book.epub.{alive.pid}-abcd1234.part"
        stale = tmp_path / f".book.epub.{dead_pid()}-efgh5678.part"
        other_book = tmp_path / f".book2.epub.{dead_pid()}-ijkl9012.part"
        not_ours = tmp_path / ".book.epub.notes.part"
        for p in (mine, stale, other_book, not_ours):
            p.write_bytes(b"half a book")
        assert sweep(book) == [stale]
        assert mine.exists() and other_book.exists() and not_ours.exists()
    finally:
        alive.kill()
        alive.wait()
    assert sweep(book) == [mine]


def test_a_build_removes_the_part_file_a_killed_build_left(tmp_path: Path):
    shelf = shelf_of(tmp_path, books=1, copies=1)
    out = shelf / "out"
    out.mkdir()
    stale = out / f".book0.epub.{dead_pid()}-zzzz0000.part"
    stale.write_bytes(b"x" * 100_000)
    alive = subprocess.Popen(["sleep", "60"])
    try:
        busy = out / f".book0.epub.{alive.pid}-yyyy0000.part"  # a concurrent build's
        busy.write_bytes(b"y" * 100)
        [outcome] = batch.run([shelf / "recipes" / "book0.yaml"], batch.Job(out_dir=out))
        assert outcome.status == "built"
        assert not stale.exists() and busy.exists()
    finally:
        alive.kill()
        alive.wait()


def handles_sigterm(pid: int) -> bool:
    """ficbook's entry point has set its handlers: the first thing it does, before the
    command line's libraries load (SIGTERM's bit in the caught-signals mask)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    mask = next(int(line.split()[1], 16) for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(mask & (1 << (signal.SIGTERM - 1)))


# Delays after ficbook's first line of code ran (the interpreter's own start-up, before
# any code of ficbook's, is Python's): 0 to 0.2 s is while typer, pydantic and the rest load.
@pytest.mark.parametrize(("sig", "delay", "code", "word"), [
    (signal.SIGINT, 0.0, 130, "interrupted"), (signal.SIGINT, 0.1, 130, "interrupted"),
    (signal.SIGINT, 0.2, 130, "interrupted"), (signal.SIGINT, 0.6, 130, "interrupted"),
    (signal.SIGTERM, 0.0, 143, "terminated"), (signal.SIGTERM, 0.1, 143, "terminated"),
    (signal.SIGTERM, 0.6, 143, "terminated"), (signal.SIGTERM, 1.5, 143, "terminated")])
def test_a_signal_at_any_moment_ends_with_one_line(tmp_path: Path, sig: int, delay: float, code: int,
                                                   word: str):
    shelf = shelf_of(tmp_path, books=1, copies=10000)  # 4-5 s of work (35 MB): never done before the signal
    proc = subprocess.Popen([str(Path(sys.executable).with_name("ficbook")), "build",
                             str(shelf / "recipes"), "-o", str(shelf / "out"), "-j", "1", "-q"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not handles_sigterm(proc.pid):
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.002)
    time.sleep(delay)
    assert proc.poll() is None, "the build ended before the signal"
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr and "Aborted" not in stderr
    heads = [line for line in stderr.splitlines() if line.startswith("ficbook:")]
    assert len(heads) == 1 and heads[0].startswith(f"ficbook: {word}"), stderr
    others = [line for line in stderr.splitlines() if line.strip() and line not in heads]
    assert all(": warning: " in line for line in others), stderr  # the story's own warnings
    leftovers = list((shelf / "out").rglob("*.part")) if (shelf / "out").exists() else []
    assert leftovers == []
