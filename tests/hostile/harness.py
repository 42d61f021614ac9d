"""Shared checks for hostile input: one clean error line, or a whole book that lost no word;
builds in a child process with its peak memory measured.

Used by the corpus (`test_corpus.py`) and the full-size big files (`test_big.py`), so that
every case is held to the same outcome rules. Other tests may use them too
(`one_error_line`, `stray_books`, `hash_tree`).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import resource
import signal
import subprocess
import sys
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from tests.bookcheck import Book

# `ficbook: FILE[:LINE[:COL]]: message`: the file is named, the message is not empty.
ERROR_LINE = re.compile(r"^ficbook: (?P<file>[^:]+)(?::\d+(?::\d+)?)?: (?P<message>\S.*)$")


def tokens(text: str) -> Counter[str]:
    """The words a reader sees: letter/digit runs, plus each pictograph (emoji) on its own.

    Punctuation is left out on purpose: typography turns -- into an em dash and ' into ’.
    """
    text = unicodedata.normalize("NFC", text)
    found = re.findall(r"\w+", text)
    found += [c for c in text if unicodedata.category(c) == "So"]
    return Counter(found)


def lost_words(story_text: str, book_text: str, dropped: list[str] = ()) -> Counter[str]:
    """Words of `story_text` (with their counts) missing from the book and the dropped lines."""
    have = tokens(book_text)
    for line in dropped:
        have.update(tokens(line))
    want = tokens(story_text)
    return Counter({w: n - have[w] for w, n in want.items() if have[w] < n})


def book_text(path: Path) -> str:
    """All the text of all XHTML documents of a book, read back with zipfile and lxml."""
    book = Book(path)
    parts = []
    for p in book.xhtml_paths:
        root = book.doc(p)
        for el in root.iter():
            # a line break or a block ends a word, as it does on the page
            if isinstance(el.tag, str) and etree.QName(el).localname in _BREAKS:
                el.tail = " " + (el.tail or "")
                el.text = " " + (el.text or "")
        parts.append("".join(root.itertext()))
    return "\n".join(parts)


_BREAKS = frozenset({"br", "p", "div", "li", "td", "th", "dt", "dd", "blockquote", "section",
                     "aside", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "hr", "tr",
                     "header", "footer", "nav", "title"})


def hash_tree(folder: Path, skip: Path | None = None) -> dict[str, str]:
    """sha256 of every regular file under `folder` (symlinks by target name), `skip` left out."""
    out: dict[str, str] = {}
    for p in sorted(folder.rglob("*")):
        if skip is not None and (p == skip or skip in p.parents):
            continue
        if p.is_symlink():
            out[str(p)] = "-> " + str(p.readlink())
        elif p.is_file():
            try:
                out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
            except PermissionError:
                out[str(p)] = "unreadable"
    return out


def stray_books(folder: Path) -> list[Path]:
    """Book files or temporary parts left in `folder` (after a failure there must be none)."""
    if not folder.exists():
        return []
    return [p for p in folder.rglob("*") if ".epub" in p.name or p.name.endswith(".part")]


@dataclass(frozen=True)
class ErrorLine:
    file: str
    message: str


def one_error_line(stderr: str) -> ErrorLine:
    """Exactly one `ficbook: FILE[:LINE]: message` line; other lines only its indented details."""
    assert "Traceback" not in stderr, stderr
    assert "internal error" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    heads = [line for line in lines if line.startswith("ficbook:")]
    assert len(heads) == 1, stderr
    assert all(line.startswith("  ") for line in lines if line not in heads), stderr
    m = ERROR_LINE.match(heads[0])
    assert m, f"not `ficbook: FILE[:LINE]: message`: {heads[0]!r}"
    return ErrorLine(m["file"], m["message"])


ACTIVE_XPATH = ("//*[local-name()='script' or local-name()='iframe' or local-name()='form' "
                "or local-name()='object' or local-name()='embed' or local-name()='input' "
                "or local-name()='frame' or local-name()='button']")


def active_content(path: Path) -> list[str]:
    """Scripts, frames, forms, event handlers, javascript: or remote links left in a book."""
    found: list[str] = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if not name.endswith((".xhtml", ".html", ".css", ".opf")):
                continue
            data = zf.read(name)
            if name.endswith(".css"):
                if re.search(rb"@import|url\(\s*['\"]?(?:https?:|//)", data, re.I):
                    found.append(f"{name}: remote CSS")
                continue
            root = etree.parse(io.BytesIO(data)).getroot()
            for el in root.xpath(ACTIVE_XPATH):
                found.append(f"{name}: <{etree.QName(el).localname}>")
            for el in root.iter():
                if not isinstance(el.tag, str):
                    continue
                for attr, value in el.attrib.items():
                    local = etree.QName(attr).localname.lower()
                    v = value.strip().lower()
                    if local.startswith("on"):
                        found.append(f"{name}: {local}= handler")
                    if local in ("href", "src", "xlink:href", "poster", "srcset", "data") and (
                            v.startswith(("javascript:", "http:", "https:", "//", "data:text"))):
                        # Links out of the book are fine for the reader to follow; sources
                        # the reading system would fetch are not, and javascript: never.
                        if local != "href" or v.startswith("javascript:") or el.tag.endswith("link"):
                            found.append(f"{name}: {local}={value[:60]}")
    return found


def read_all(path: Path) -> list[bytes]:
    with zipfile.ZipFile(path) as zf:
        return [zf.read(n) for n in zf.namelist()]


# ------------------------------------------------------------------ big inputs, in a child

_CHILD = """
import atexit, os, resource, socket, sys
def peak():
    # The child's own high-water mark: wait4's ru_maxrss also counts the test process it
    # was forked from (Linux keeps the old image's peak across exec). Forked workers are
    # counted through RUSAGE_CHILDREN.
    kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    try:
        with open("/proc/self/status") as f:
            kb = max(kb, next(int(l.split()[1]) for l in f if l.startswith("VmHWM:")))
    except (OSError, StopIteration):
        kb = max(kb, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    with open(os.environ["FICBOOK_TEST_PEAK"], "w") as f:
        f.write(str(kb))
atexit.register(peak)
import socket, sys
def refuse(*a, **k):
    raise OSError("network access attempted")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from ficbook.cli.app import main
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
    """`ficbook ARGS` in a child; its own peak RSS (reported by the child as it exits;
    wait4's when it was killed) and CPU time, via wait4."""
    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_limit, cpu_limit))
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes fail with EFBIG instead
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    peak_file = stderr_file.with_name(stderr_file.name + ".peak")
    peak_file.unlink(missing_ok=True)
    with stderr_file.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-c", _CHILD, *args], stdout=subprocess.DEVNULL,
                                stderr=err, preexec_fn=limits,
                                env={**os.environ, "FICBOOK_TEST_PEAK": str(peak_file)})
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    peak_kb = int(peak_file.read_text()) if peak_file.exists() else usage.ru_maxrss
    return Run(proc.returncode, stderr_file.read_text(), peak_kb / 1024,
               usage.ru_utime + usage.ru_stime)


def build_in_child(case, tmp_path: Path) -> tuple[Run, Path, object]:  # noqa: ANN001 - corpus.Case
    """`ficbook build` of the case's shelf in a child process; its inputs checked unchanged."""
    shelf = tmp_path / "shelf"
    setup = case.make(shelf)
    before = hash_tree(shelf)
    run = run_cli(["build", str(setup.recipe), "--out", str(shelf / "build"), "-q", "-j", "1"],
                  tmp_path / "stderr.txt")
    assert hash_tree(shelf, skip=shelf / "build") == before
    return run, shelf / "build" / "book.epub", setup


def check_big(case, run: Run, book: Path, setup) -> None:  # noqa: ANN001 - corpus types
    """Built, within the case's memory bound, with as many matches of its pattern as the input."""
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert run.peak_mb < case.max_mb, f"peak RSS {run.peak_mb:.0f} MB (cpu {run.cpu_s:.1f} s)"
    with zipfile.ZipFile(book) as zf:
        text = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".xhtml"))
    assert setup.story is not None
    assert len(re.findall(case.count, text)) == len(re.findall(case.count, setup.story.read_bytes()))


@dataclass(frozen=True)
class Bound:
    """What a run may cost: peak RSS and CPU seconds (generous for a loaded machine; the
    old, unbounded behaviour of each case needs many times more)."""

    max_mb: float
    max_cpu_s: float


def bounded_run(args: list[str], stderr_file: Path, bound: Bound) -> Run:
    """`ficbook ARGS` in a child held to `bound`: RLIMIT_CPU stops a runaway (a little
    past the bound, so the failure says how much it took), then both are asserted."""
    run = run_cli(args, stderr_file, cpu_limit=int(bound.max_cpu_s * 2) + 1)
    assert "Traceback" not in run.stderr, run.stderr
    assert "internal error" not in run.stderr, run.stderr
    assert run.peak_mb < bound.max_mb, f"peak RSS {run.peak_mb:.0f} MB > {bound.max_mb} MB"
    assert run.cpu_s < bound.max_cpu_s, f"CPU {run.cpu_s:.1f} s > {bound.max_cpu_s} s"
    return run
