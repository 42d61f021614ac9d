"""Parts above chapters ("Book One" over "Chapter 1") nest in the story's navigation and
keep their title in the text."""

from __future__ import annotations

from ficbook.assemble import place
from ficbook.model import Book, BookMeta, Part
from ficbook.render import render
from tests.convert.helpers import run

TEXT = ("BOOK THE FIRST\n\nChapter 1\n\nThe first morning was cold.\n\nChapter 2\n\nColder.\n\n"
        "Book Two\n\nChapter 3\n\nThe thaw came in March.\n")


def test_parts_nest_above_their_chapters() -> None:
    story = run(TEXT).story
    assert [(c.part, c.title) for c in story.chapters] == [
        ("BOOK THE FIRST", "Chapter 1"), (None, "Chapter 2"), ("Book Two", "Chapter 3")]
    book = Book(BookMeta(title="T", identifier="urn:uuid:00000000-0000-4000-8000-000000000000",
                         language="en"), (Part(None, (place(story, 1),)),))
    rendition = render(book, None)
    entry = next(e for e in rendition.nav if e.children and e.children[0].title == "BOOK THE FIRST")
    assert [(p.title, [c.title for c in p.children]) for p in entry.children] == [
        ("BOOK THE FIRST", ["Chapter 1", "Chapter 2"]), ("Book Two", ["Chapter 3"])]
    first = entry.children[0]
    assert first.children[0].href.startswith(first.href + "#")  # two targets, in reading order
    pages = "".join(d.content.decode() if isinstance(d.content, bytes) else d.content
                    for d in rendition.documents)
    assert '<p class="part-title">BOOK THE FIRST</p>' in pages


def test_a_part_with_text_of_its_own_is_a_chapter() -> None:
    story = run("Part 1\n\nSome text.\n\nChapter 1\n\nMore text.\n").story
    assert [(c.part, c.title) for c in story.chapters] == [(None, "Part 1"), (None, "Chapter 1")]
