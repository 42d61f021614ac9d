"""What a cover says (`CoverText`), apart from how it is drawn: the process that plans a
build works the words out before any story is read (`build.cover_ahead`) and sends them
to a worker to draw, and needs no Pillow for that."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CoverText:
    title: str
    subtitle: str | None = None
    editor: str | None = None
    authors: tuple[str, ...] = ()
    series: str | None = None
    series_index: float | None = None
    story_count: int = 0
    # the book's labels in its language: "edited-by", "and", "more", "story", "stories"
    labels: tuple[tuple[str, str], ...] = ()
