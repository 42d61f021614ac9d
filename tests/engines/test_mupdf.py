"""MuPDF lays out every sample book: every word of it on the pages, in order, and every
contents entry on the page where its target begins (tests/engines/mupdf.py)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from tests.bookcheck import Book
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
        assert set(edits) <= set(src.namelist()), set(edits) - set(src.namelist())
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


def _files(path: Path, suffix: str) -> list[str]:
    """The spine's files ending in `suffix`, in reading order (story file names carry a key)."""
    return [h for h in Book(path).spine if h.endswith(suffix)]


def test_a_hidden_paragraph_is_reported(sample_books, tmp_path: Path) -> None:
    first = _files(sample_books["spuffy"], "-c01.xhtml")[0]
    book = _edited(sample_books["spuffy"], tmp_path / "hidden.epub", {
        f"epub/{first}": ("<p>Sneakers", '<p class="gone">Sneakers'),
        "epub/styles/book.css": ("p {", "p.gone { display: none }\np {"),
    })
    [problem] = mupdf.problems(book)
    assert f"{first}: word 3 'sneakers'" in problem


def test_text_pushed_off_the_page_is_reported(sample_books, tmp_path: Path) -> None:
    second = _files(sample_books["spuffy"], "-c01.xhtml")[1]
    book = _edited(sample_books["spuffy"], tmp_path / "clipped.epub", {
        f"epub/{second}": ("<p>", '<p style="margin-left: 2000pt">'),
    })
    [problem] = mupdf.problems(book)
    assert problem.startswith(f"clipped.epub: {second}: word ")


def test_an_entry_that_lands_on_the_wrong_page_is_reported(sample_books, tmp_path: Path) -> None:
    # MuPDF's outline comes from the NCX: one that disagrees with the nav document sends
    # the reader past the story card.
    card = _files(sample_books["spuffy"], "-card.xhtml")[1]
    text = _files(sample_books["spuffy"], "-c01.xhtml")[1]
    book = _edited(sample_books["spuffy"], tmp_path / "misnav.epub", {
        "epub/toc.ncx": (f'src="{card}"', f'src="{text}"'),
    })
    [problem] = mupdf.problems(book)
    assert re.search(rf"'Touch' -> {card}: page \d+ shows '.+', "
                     r"expected 'touch author unknown rating' first", problem), problem


def test_an_outline_that_differs_from_the_nav_is_reported(sample_books, tmp_path: Path) -> None:
    book = _edited(sample_books["spuffy"], tmp_path / "retitled.epub", {
        "epub/toc.ncx": ("<text>Touch</text>", "<text>Touched</text>"),
    })
    [problem] = mupdf.problems(book)
    assert "outline differs from the nav document" in problem and "Touched" in problem
