"""Shared helpers for the markup reader tests."""

from __future__ import annotations

from pathlib import Path

from ficbook.convert import ConvertOptions, ConvertResult
from ficbook.model import Note, Story
from ficbook.readers import read_markup
from ficbook.readers.source import Source
from ficbook.text import block_text

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str, data: bytes | None = None, **options) -> ConvertResult:
    path = FIXTURES / name
    return read_markup(Source(path, data if data is not None else path.read_bytes()),
                       ConvertOptions(**options))


def chapter_text(story: Story, n: int = 0) -> str:
    """The story text of one chapter (notes excluded), one block a line."""
    return "\n".join(block_text(b) for b in story.chapters[n].blocks if not isinstance(b, Note))


def all_text(story: Story) -> str:
    """Everything a reader sees, notes and summaries included."""
    parts = [block_text(b) for b in story.summary]
    parts += [block_text(n) for n in story.front_notes]
    for c in story.chapters:
        parts += [c.title or ""] + [block_text(b) for b in c.summary + c.blocks]
    parts += [block_text(n) for n in story.end_notes]
    return "\n".join(parts)
