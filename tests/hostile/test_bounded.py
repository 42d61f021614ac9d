"""Work bounded by the input's size (issue 16): each class of input that once cost time or
memory growing faster than what it holds, built in a child held to a memory and CPU bound
(`harness.bounded_run`). The bounds are generous for a loaded machine; the old behaviour
of each case needs many times more (measured: noted per case).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from ficbook.errors import ExitCode
from tests.hostile import harness
from tests.hostile.corpus import STORY_HTML_TEXT, Setup, epub, recipe_for, story_case
from tests.hostile.harness import Bound


@dataclass(frozen=True)
class Bounded:
    id: str
    make: Callable[[Path], Setup]
    bound: Bound
    fails: str = ""  # a substring of the one error line, when the case must fail
    code: int = 0
    warns: str = ""  # a substring of a warning the build must print
    count: tuple[bytes, int] | None = None  # a pattern and how often the book's XHTML has it


def repeated_spine(shelf: Path) -> Setup:
    """A small EPUB whose spine lists one 400 kB chapter 150 times (60 MB if each were read)."""
    para = f"<p>{STORY_HTML_TEXT} Spike counted {{}}.</p>"
    body = "<h1>The one chapter</h1>" + "".join(para.format(i) for i in range(3000))
    data = epub({"ch1.xhtml": body}, spine_extra='<itemref idref="c0"/>' * 149)
    return story_case("repeats.epub", data)(shelf)


def long_title(shelf: Path) -> Setup:
    """A 1 MB title (under the recipe's size limit): the cover shows its first words."""
    words = " ".join(f"Sunnydale{i % 97}" for i in range(95_000))[:1_000_000 - 200]
    setup = story_case("story.txt", b"Buffy patrolled the cemetery until dawn.\n")(shelf)
    setup.recipe.write_text(f"title: {words}\nstories:\n  - path: ../stories/story.txt\n", "utf-8")
    return setup


def long_author_line(shelf: Path) -> Setup:
    """A story whose `Author:` line is 20,000 characters: the cover's credit line."""
    names = " ".join(f"Writer{i}" for i in range(2_500))[:20_000].strip()
    text = (f"Title: Patrol\nAuthor: {names}\n\nBuffy patrolled the cemetery until dawn.\n\n"
            "Spike watched from the crypt.\n")
    return story_case("story.txt", text.encode())(shelf)


def one_picture_many_times(shelf: Path) -> Setup:
    """One 4000 × 4000 picture shown by 60 <img> tags: decoded once, stored once."""
    imgs = "".join(f'<p>Panel {i}: <img src="big.png" alt="panel {i}"></p>' for i in range(60))
    setup = story_case("comic.html", (f"<html><head><title>Comic</title></head><body>"
                                      f"<p>{STORY_HTML_TEXT}</p>{imgs}</body></html>").encode())(shelf)
    buf = io.BytesIO()
    Image.new("RGB", (4000, 4000), (180, 40, 40)).save(buf, "PNG", compress_level=1)
    (shelf / "stories" / "big.png").write_bytes(buf.getvalue())
    return setup


def declared_huge_png() -> bytes:
    """99 bytes that declare a 20000 × 20000 RGB picture (and hold almost none of it)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 20_000, 20_000, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def cover_picture(key: str) -> Callable[[Path], Setup]:
    def make(shelf: Path) -> Setup:
        setup = story_case("story.txt", b"Buffy patrolled the cemetery until dawn.\n")(shelf)
        (shelf / "recipes" / "huge.png").write_bytes(declared_huge_png())
        recipe = recipe_for(shelf, "story.txt", f"cover:\n  {key}: huge.png\n")
        return Setup(recipe, story=setup.story)
    return make


CASES = [
    # old: every spine entry parsed again: 958 MB
    Bounded("epub-spine-repeats-one-chapter", repeated_spine, Bound(400, 40),
            warns="lists 149 document(s) more than once", count=(rb"Spike counted 2999\.", 1)),
    # old: balanced wrapping quadratic in the length: MemoryError; the author line 79 s
    Bounded("cover-title-1mb", long_title, Bound(600, 60), warns="the cover shows its first 200"),
    Bounded("story-author-line-20000-characters", long_author_line, Bound(400, 40),
            warns="cover's credit is"),
    # old: decoded and re-encoded once per <img>: 60 times, 19 s
    Bounded("one-picture-60-img-tags", one_picture_many_times, Bound(500, 8),
            count=(rb'<img [^>]*src="[./]*images/img-', 60)),
    Bounded("cover-image-declares-20000x20000", cover_picture("image"), Bound(300, 20),
            fails="cover image is too large to use", code=int(ExitCode.RECIPE)),
    Bounded("cover-file-declares-20000x20000", cover_picture("file"), Bound(300, 20),
            fails="cover file is too large to use", code=int(ExitCode.RECIPE)),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_work_is_bounded(case: Bounded, tmp_path: Path):
    shelf = tmp_path / "shelf"
    setup = case.make(shelf)
    before = harness.hash_tree(shelf)
    run = harness.bounded_run(["build", str(setup.recipe), "--out", str(shelf / "build"), "-q", "-j", "1"],
                              tmp_path / "stderr.txt", case.bound)
    assert harness.hash_tree(shelf, skip=shelf / "build") == before
    book = shelf / "build" / "book.epub"
    if case.fails:
        line = harness.one_error_line(run.stderr)
        assert run.code == case.code, run.stderr
        assert case.fails in line.message, run.stderr
        assert harness.stray_books(shelf / "build") == []
        return
    assert run.code == 0, run.stderr
    assert case.warns in run.stderr, run.stderr
    if case.count is not None:
        pattern, times = case.count
        with zipfile.ZipFile(book) as zf:
            xhtml = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".xhtml"))
            pictures = [n for n in zf.namelist() if "/img-" in n or n.startswith("img-")]
        import re

        assert len(re.findall(pattern, xhtml)) == times
        if b"img" in pattern:
            assert len(pictures) == 1, pictures
