"""calibre, a second layout engine and the Kindle path.

- `ebook-convert` lays each sample book out as a PDF (Qt WebEngine, a Chromium): the book
  opens and paginates, every word is on its pages in order, and the PDF's outline is the
  nav document's contents, each entry on its target's page.
- `ficbook build --azw3` makes a Kindle book; `ebook-meta` reads it back and `ebook-convert`
  turns it back into an EPUB: title, authors, cover, the series as the reader sees it, the
  contents (stories and chapters) and every word survive.

Skips where calibre is not installed, except under CI=true (`make checkers` installs it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ficbook.build import BuildOptions, build
from tests.bookcheck import NS, Book
from tests.conftest import RECIPES
from tests.engines import mupdf
from tests.engines.conftest import missing

pytest.importorskip("pymupdf", reason="PyMuPDF is in the [test] extra: pip install -e '.[test]'")

TIMEOUT_SECONDS = 300
# calibre's PDF output renders with Qt WebEngine, a Chromium: as root it needs --no-sandbox.
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox",
       "CALIBRE_NO_NATIVE_FILEDIALOGS": "1"}


def calibre(*args: str) -> str:
    proc = subprocess.run(list(args), capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
                          env=ENV)
    assert proc.returncode == 0, f"{' '.join(args)}:\n{(proc.stderr or proc.stdout)[-2000:]}"
    return proc.stdout


@pytest.fixture(scope="session")
def needs_calibre() -> None:
    if shutil.which("ebook-convert") is None or shutil.which("ebook-meta") is None:
        missing("calibre's ebook-convert and ebook-meta are not installed")


@pytest.fixture(scope="session")
def pdfs(needs_calibre, sample_books, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("calibre-pdf")
    for name, book in sample_books.items():
        calibre("ebook-convert", str(book), str(out / f"{name}.pdf"))
    return {name: out / f"{name}.pdf" for name in sample_books}


def test_calibre_paginates_every_word_in_order(pdfs, sample_books) -> None:
    problems = []
    for name, pdf in pdfs.items():
        shown = mupdf.read_pdf(pdf)
        assert len(shown.pages) > 5, name
        book = Book(sample_books[name])
        problems += [f"{name}: {p}" for p in mupdf.order_problems(book, shown)]
    assert problems == []


def test_calibre_outline_is_the_nav_and_lands_on_each_target(pdfs, sample_books) -> None:
    problems = []
    for name, pdf in pdfs.items():
        book = Book(sample_books[name])
        shown = mupdf.read_pdf(pdf)
        assert [(level, title) for level, title, _ in shown.toc] == mupdf.nav_titles(book), name
        problems += [f"{name}: {p}" for p in mupdf.nav_problems(book, shown)]
    assert problems == []


# ---------------------------------------------------------------- Kindle


KINDLE_BOOKS = ("spuffy", "everything")  # editor as creator, a cover; several authors, parts


@pytest.fixture(scope="session")
def kindle(needs_calibre, tmp_path_factory) -> dict[str, tuple[Path, Path, str, Path]]:
    """Each book: (the EPUB, the EPUB made back from its AZW3, ebook-meta's report, the cover
    ebook-meta took out of the AZW3)."""
    out = tmp_path_factory.mktemp("kindle")
    books = {}
    for name in KINDLE_BOOKS:
        epub = build(RECIPES / f"{name}.yaml", BuildOptions(out_dir=out, azw3=True)).output
        azw3 = epub.with_suffix(".azw3")
        cover = out / f"{name}-cover.jpg"
        meta = calibre("ebook-meta", str(azw3), f"--get-cover={cover}")
        back = out / f"{name}-from-azw3.epub"
        calibre("ebook-convert", str(azw3), str(back))
        books[name] = (epub, back, meta, cover)
    return books


def _fields(report: str) -> dict[str, str]:
    return {k.strip(): v.strip() for k, _, v in
            (line.partition(":") for line in report.splitlines() if ":" in line)}


def test_kindle_book_keeps_title_authors_and_cover(kindle) -> None:
    from PIL import Image

    for name, (epub, _, report, cover) in kindle.items():
        book, fields = Book(epub), _fields(report)
        assert fields["Title"] == book.meta("title")[0], name
        assert fields["Author(s)"] == " & ".join(book.meta("creator")), name
        assert "Unknown" not in fields["Author(s)"], name
        assert fields["Published"].startswith("2024-05-01"), name
        with Image.open(cover) as img:
            assert img.width >= 600 and 1.4 < img.height / img.width < 1.8, (name, img.size)


def test_kindle_book_shows_the_series(kindle) -> None:
    """AZW3 has no series field (calibre's EXTH table holds none, and a Kindle takes series
    from Amazon's catalogue), so the series survives where a reader sees it: the title page."""
    for name, (epub, back, _, _) in kindle.items():
        series = Book(epub).opf.find(".//opf:meta[@property='belongs-to-collection']", NS).text
        index = Book(epub).opf.find(".//opf:meta[@property='group-position']", NS).text
        shown = [w for _, words in mupdf.spine_words(Book(back)) for w in words]
        assert mupdf.contains(shown, mupdf.words(f"{series} {index}")), name


def test_kindle_book_keeps_the_contents_and_every_word(kindle) -> None:
    for name, (epub, back, _, _) in kindle.items():
        original, returned = Book(epub), Book(back)
        ncx = returned.ncx()
        titles = [" ".join("".join(t.itertext()).split())
                  for t in ncx.iterfind(".//ncx:navPoint/ncx:navLabel/ncx:text", NS)]
        assert titles == [title for _, title in mupdf.nav_titles(original)], name
        pages = [w for _, w in mupdf.spine_words(returned)]
        assert mupdf.order_problems(original, mupdf.Rendered(pages, [])) == [], name
