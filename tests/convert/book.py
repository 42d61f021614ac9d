"""Render one converted story as the book would, for golden files and XML checks."""

from __future__ import annotations

from ficbook.assemble import place
from ficbook.model import Book, BookMeta, Part, Story
from ficbook.render import Document, render


def story_documents(story: Story) -> list[Document]:
    book = Book(BookMeta(title="Test", identifier="urn:uuid:00000000-0000-4000-8000-000000000000",
                         language="en"), (Part(None, (place(story, 1),)),))
    return list(render(book, None).documents)
