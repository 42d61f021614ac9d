"""MuPDF lays out every sample book: every word of it on the pages, in order, and every
contents entry on the page where its target begins (tests/engines/mupdf.py)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from tests.engines import mupdf

pytest.importorskip("pymupdf", reason="PyMuPDF is in the [test] extra: pip install -e '.[test]'")


def test_every_word_of_every_sample_book_is_on_its_pages_in_order(sample_books) -> None:
    problems = [p for path in sample_books.values() for p in mupdf.problems(path)]
    assert problems == []


def test_the_rich_book_too(rich_book: Path) -> None:
    """A picture between words, note references and a notes appendix, a credits page."""
    assert mupdf.problems(rich_book) == []


def test_the_pages_hold_the_story_not_only_the_front_matter(sample_books) -> None:
    shown = mupdf.render(sample_books["spuffy"])
    assert len(shown.pages) > 10
    assert "pavement" in shown.words and "vampire" in shown.words
    assert shown.toc[0][1] == "Ashes and Embers"


# ---------------------------------------------------------------- the check can fail


def _edited(path: Path, out: Path, edits: dict[str, tuple[str, str]]) -> Path:
    """A copy of the book with `old` replaced by `new` (once) in the named entries."""
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename in edits:
                old, new = edits[info.filename]
                text = data.decode()
                assert old in text, (info.filename, old)
                data = text.replace(old, new, 1).encode()
            dst.writestr(info, data)
    out.write_bytes(buf.getvalue())
    return out


def test_a_hidden_paragraph_is_reported(sample_books, tmp_path: Path) -> None:
    book = _edited(sample_books["spuffy"], tmp_path / "hidden.epub", {
        "epub/text/s01-c01.xhtml": ("<p>Sneakers", '<p class="gone">Sneakers'),
        "epub/styles/book.css": ("p {", "p.gone { display: none }\np {"),
    })
    [problem] = mupdf.problems(book)
    assert "text/s01-c01.xhtml: word 3 'sneakers'" in problem


def test_text_pushed_off_the_page_is_reported(sample_books, tmp_path: Path) -> None:
    book = _edited(sample_books["spuffy"], tmp_path / "clipped.epub", {
        "epub/text/s02-c01.xhtml": ("<p>", '<p style="margin-left: 2000pt">'),
    })
    [problem] = mupdf.problems(book)
    assert problem.startswith("clipped.epub: text/s02-c01.xhtml: word ")


def test_an_entry_that_lands_on_the_wrong_page_is_reported(sample_books, tmp_path: Path) -> None:
    # MuPDF's outline comes from the NCX: one that disagrees with the nav document sends
    # the reader past the story card.
    book = _edited(sample_books["spuffy"], tmp_path / "misnav.epub", {
        "epub/toc.ncx": ('src="text/s02-card.xhtml"', 'src="text/s02-c01.xhtml"'),
    })
    [problem] = mupdf.problems(book)
    assert re.search(r"'Touch' -> text/s02-card.xhtml: page \d+ shows '.+', expected 'touch author unknown rating' first",
                     problem), problem


def test_an_outline_that_differs_from_the_nav_is_reported(sample_books, tmp_path: Path) -> None:
    book = _edited(sample_books["spuffy"], tmp_path / "retitled.epub", {
        "epub/toc.ncx": ("<text>Touch</text>", "<text>Touched</text>"),
    })
    [problem] = mupdf.problems(book)
    assert "outline differs from the nav document" in problem and "Touched" in problem
