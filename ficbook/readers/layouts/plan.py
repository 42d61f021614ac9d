"""What a layout engine finds in a file's lines, before any paragraph is made: the card's
fields, where the summaries and notes are, which lines are each chapter's text. Lines
are 0-based indices into the decoded text's lines; `build` turns a plan into a Story."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ficbook.model import NoteKind


@dataclass
class NotePlan:
    label: str | None
    kind: NoteKind = "author-note"
    lines: list[int] = field(default_factory=list)


@dataclass
class ChapterPlan:
    title: str | None
    line: int | None = None  # its heading's line
    summary: list[int] = field(default_factory=list)
    before: list[NotePlan] = field(default_factory=list)
    body: list[int] = field(default_factory=list)
    after: list[NotePlan] = field(default_factory=list)


@dataclass
class Plan:
    fields: dict[str, Any] = field(default_factory=dict)
    extra: list[tuple[str, str]] = field(default_factory=list)
    summary: list[int] = field(default_factory=list)
    front: list[NotePlan] = field(default_factory=list)
    end: list[NotePlan] = field(default_factory=list)
    chapters: list[ChapterPlan] = field(default_factory=list)
    # True: the layout does not mark chapters; the generic heading finder splits the text
    find_chapters: bool = False
    # True: an edition of a printed book (Project Gutenberg): the text before its first
    # chapter heading is the book's front matter (`bookfront`), not a chapter
    book_front: bool = False
    # The edition's own lines (a licence, a header) the layout dropped, in order, for a
    # recipe that keeps them (`boilerplate: keep`), as (label, lines)
    boilerplate: list[tuple[str, list[int]]] = field(default_factory=list)
    # Lines the layout shortened (a pointer cut from a note's last line): index -> text
    replaced: dict[int, str] = field(default_factory=dict)

    def chapter(self) -> ChapterPlan:
        """The current chapter, an untitled one made when there is none yet."""
        if not self.chapters:
            self.chapters.append(ChapterPlan(None))
        return self.chapters[-1]
