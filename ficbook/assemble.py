"""Recipe + converted stories -> Book: order, numbering, parts, overrides, metadata. Pure."""

from __future__ import annotations

import dataclasses
import os
from datetime import date, datetime, timezone

from ficbook.model import Book, BookMeta, BookStory, Paragraph, Part, Story, Text
from ficbook.recipe import Recipe, StoryEntry

# FanFiction.Net, MPAA-style and AO3 ratings on one scale, so the book can carry the highest.
_RATING_RANK = {
    "k": 0, "g": 0, "general audiences": 0, "fr7": 0,
    "k+": 1, "pg": 1, "fr13": 1,
    "t": 2, "pg-13": 2, "teen and up audiences": 2, "teen": 2, "fr15": 2,
    "m": 3, "r": 3, "mature": 3, "fr18": 3,
    "ma": 4, "nc-17": 4, "e": 4, "explicit": 4, "fr21": 4,
}


def apply_overrides(story: Story, entry: StoryEntry) -> Story:
    """The recipe's per-story `title`, `author`, `summary`, `rating`, `language` win."""
    meta = story.meta
    changes: dict[str, object] = {}
    if entry.title:
        changes["title"] = entry.title
    if entry.author:
        changes["authors"] = tuple(a.strip() for a in entry.author.split(" & ") if a.strip())
    if entry.rating:
        changes["rating"] = entry.rating
    if entry.language:
        changes["language"] = entry.language
    if changes:
        story = dataclasses.replace(story, meta=dataclasses.replace(meta, **changes))
    if entry.summary:
        story = dataclasses.replace(story, summary=(Paragraph((Text(entry.summary),)),))
    return story


def assemble(recipe: Recipe, stories: list[Story]) -> Book:
    """`stories` are converted in the order of `recipe.all_stories`."""
    entries = recipe.all_stories
    assert len(entries) == len(stories)
    numbered = [
        BookStory(apply_overrides(story, entry), number=i,
                  notes=entry.notes or recipe.notes,
                  disclaimers=entry.disclaimers or recipe.disclaimers)
        for i, (story, entry) in enumerate(zip(stories, entries), 1)
    ]
    if recipe.parts:
        parts, at = [], 0
        for p in recipe.parts:
            parts.append(Part(p.title, tuple(numbered[at:at + len(p.stories)])))
            at += len(p.stories)
    else:
        parts = [Part(None, tuple(numbered))]
    meta = book_meta(recipe, [b.story for b in numbered])
    return Book(meta=meta, parts=tuple(parts), labels=tuple(sorted(recipe.labels.items())),
                css=recipe.css or "")


def book_meta(recipe: Recipe, stories: list[Story]) -> BookMeta:
    """The anthology's metadata: the recipe's where it speaks, else gathered from stories."""
    authors: list[str] = []
    for s in stories:
        for a in s.meta.authors:
            if a not in authors:
                authors.append(a)
    # The recipe's subjects first, then each story's fandoms, pairings and tags, each once
    # ("Buffy: The Vampire Slayer" and "Buffy the Vampire Slayer" are one subject).
    subjects = _union([list(recipe.subjects),
                       *([*s.meta.fandoms, *s.meta.pairings, *s.meta.tags] for s in stories)])
    return BookMeta(
        title=recipe.title,
        identifier=recipe.uuid,
        language=recipe.language,
        subtitle=recipe.subtitle,
        editor=recipe.editor,
        description=recipe.description or describe(stories),
        date=build_date(recipe).isoformat(),
        series=recipe.series.name if recipe.series else None,
        series_index=recipe.series.index if recipe.series else None,
        subjects=tuple(subjects),
        authors=tuple(authors),
        rating=highest_rating([s.meta.rating for s in stories if s.meta.rating]),
        warnings=tuple(_union([list(s.meta.warnings) for s in stories])),
    )


def _key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _union(groups: list[list[str]]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for group in groups:
        for item in group:
            k = _key(item)
            if k and k not in seen:
                seen.add(k)
                out.append(item.strip())
    return out


def build_date(recipe: Recipe) -> date:
    """The book's date: the recipe's, else SOURCE_DATE_EPOCH, else a fixed epoch.

    Never "today": the same recipe must give the same bytes on every run.
    """
    if recipe.date:
        return recipe.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return date(2000, 1, 1)


def describe(stories: list[Story]) -> str:
    """"Title by Author; Title by Author." — what a library shows before the book is opened."""
    def by(s: Story) -> str:
        return f"{s.meta.title} by {_names(s.meta.authors)}" if s.meta.authors else s.meta.title
    return "; ".join(by(s) for s in stories) + "."


def _names(names: tuple[str, ...]) -> str:
    return " & ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " & " + names[-1]


def highest_rating(ratings: list[str]) -> str | None:
    """The strictest rating on one scale (K < K+ < T < M < MA, G < PG … < NC-17, AO3's)."""
    known = [r for r in ratings if r.strip().lower() in _RATING_RANK]
    if not known:
        return ratings[0] if ratings else None
    return max(known, key=lambda r: _RATING_RANK[r.strip().lower()])
