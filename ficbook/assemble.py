"""Recipe + converted stories -> Book: order, numbering, parts, overrides, metadata, and
where each note and disclaimer goes (`place`), with each story's words counted once. Pure.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from ficbook import naming
from ficbook.convert import ConvertOptions
from ficbook.convert.rules.typography import card_typography, line_fixer
from ficbook.errors import Diagnostic
from ficbook.language import numbered as numbered_label
from ficbook.model import (
    Block,
    Book,
    BookMeta,
    BookStory,
    Chapter,
    DisclaimerPlacement,
    MovedNote,
    Note,
    NoteRef,
    NotesPlacement,
    Paragraph,
    Part,
    Story,
    StoryChange,
    Text,
    label_of,
)
from ficbook.recipe import Recipe, StoryEntry
from ficbook.text import block_text, join_names, story_words

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
    changes: dict[str, Any] = {}
    if entry.title:
        changes["title"] = entry.title
    if entry.author:
        changes["authors"] = tuple(a.strip() for a in entry.author.split(" & ") if a.strip())
    if entry.rating:
        changes["rating"] = entry.rating
    if entry.language:
        changes["language"] = entry.language
    if entry.source:  # a link's address, calibre's `url` identifier, or the recipe's
        changes["source"] = entry.source
    if entry.tags is not None:
        changes["tags"] = tuple(entry.tags)
    if entry.series:
        changes["series"] = entry.series
    if changes:
        story = dataclasses.replace(story, meta=dataclasses.replace(meta, **changes))
    if entry.summary:
        story = dataclasses.replace(story, summary=(Paragraph((Text(entry.summary),)),))
    return story


def typeset(story: Story, entry: StoryEntry, rules: Mapping[str, bool]) -> Story:
    """The headings, the card's fields and the recipe's summary with the typography of the
    story's paragraphs (`rules`: the recipe's converter rules; the story's own win)."""
    fix = line_fixer(ConvertOptions(rules=tuple(sorted({**rules, **entry.rules}.items())),
                                    language=story.meta.language))
    if entry.summary:
        story = dataclasses.replace(story, summary=(Paragraph((Text(fix(entry.summary)),)),))
    return card_typography(story, fix)


def assemble(recipe: Recipe, stories: list[Story],
             changes: Sequence[StoryChange | None] | None = None) -> Book:
    """`stories` are converted in the order of `recipe.all_stories`; `changes` says, for
    each, "new" or "updated" since the book's previous build (or None)."""
    entries = recipe.all_stories
    assert len(entries) == len(stories)
    shown = [apply_overrides(story, entry) for story, entry in zip(stories, entries)]
    keys = naming.unique(story_key(entry, story) for story, entry in zip(shown, entries))
    numbered: list[BookStory] = []
    for i, (story, entry) in enumerate(zip(shown, entries), 1):
        numbered.append(book_story(recipe, entry, story, i, keys[i - 1],
                                   first_note=1 + sum(len(b.appendix) for b in numbered)))
    return bind(recipe, numbered, changes)


def story_key(entry: StoryEntry, shown: Story) -> str:
    """The story's key in the book (`naming`), from its title as written (before typography)
    and after the recipe's overrides; `naming.unique` numbers one a book repeats."""
    return naming.story_key(entry.path, shown.meta.title, shown.meta.source)


def book_story(recipe: Recipe, entry: StoryEntry, shown: Story, number: int, key: str,
               first_note: int = 1) -> BookStory:
    """One story as the book shows it (`shown`: with the recipe's overrides): its headings
    and card typeset, its notes placed, its words counted. Needs nothing of the other
    stories but the number of its first note in the appendix."""
    story = typeset(shown, entry, recipe.rules)
    bs = place(story, number, entry.notes or recipe.notes, entry.disclaimers or recipe.disclaimers,
               functools.partial(label_of, _labels(recipe)), first_note=first_note, key=key)
    return dataclasses.replace(bs, stable=key)


def bind(recipe: Recipe, numbered: Sequence[BookStory],
         changes: Sequence[StoryChange | None] | None = None) -> Book:
    """The book from its stories in reading order: parts, metadata, the credits page."""
    if changes:  # most stories are unchanged: those are kept as they are
        numbered = [bs if change == bs.change else dataclasses.replace(bs, change=change)
                    for bs, change in zip(numbered, changes)]
    entries = recipe.all_stories
    # the recipe's own titles in the book language's typography
    book_fix = line_fixer(ConvertOptions(rules=tuple(sorted(recipe.rules.items())), language=recipe.language))
    if recipe.parts:
        parts, at = [], 0
        for p in recipe.parts:
            parts.append(Part(p.title and book_fix(p.title), tuple(numbered[at:at + len(p.stories)])))
            at += len(p.stories)
    else:
        parts = [Part(None, tuple(numbered))]
    meta = book_meta(recipe, [b.story for b in numbered], book_fix)
    credits = any((e.disclaimers or recipe.disclaimers) == "credits" for e in entries)
    return Book(meta=meta, parts=tuple(parts), labels=_labels(recipe), css=recipe.css or "",
                credits=credits)


def frame(recipe: Recipe) -> Book:
    """What a story's own pages take from the book, known before any story is read: its
    language and labels (`ficbook.pieces` renders a story with it, wherever it was read)."""
    return Book(BookMeta(recipe.title, recipe.uuid, recipe.language), (), _labels(recipe),
                recipe.css or "")


def _labels(recipe: Recipe) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(recipe.labels.items()))


# ------------------------------------------------------------------ where notes go


def place(story: Story, number: int, notes: NotesPlacement = "inline",
          disclaimers: DisclaimerPlacement = "story",
          label: Callable[[str], str] = functools.partial(label_of, ()), first_note: int = 1,
          key: str = "") -> BookStory:
    """The story as the book shows it: each note and disclaimer where the modes put it.

    `notes`: `inline` (where the author put it), `story-end` (gathered after the story),
    `appendix` (a link where it stood, the note in the book's notes appendix, numbered from
    `first_note`), `drop` (reported). `disclaimers`: `story` (on the card, each text once),
    `credits` (on the credits page), `drop` (reported). Summaries always stay.
    """
    placer = _Placer(story, notes, disclaimers, label, first_note, key)
    card = placer.card()
    chapters = tuple(placer.chapter(c, c_no) for c_no, c in enumerate(story.chapters, 1))
    after = placer.blocks(story.end_notes, None)
    return BookStory(
        story, number, words=story_words(story.chapters, story.meta.language), card=card, chapters=chapters,
        after=after, story_end=tuple(placer.story_end), appendix=tuple(placer.appendix),
        credits=tuple(story_disclaimers(story)) if disclaimers == "credits" else (),
        diagnostics=tuple(placer.diagnostics))


def story_disclaimers(story: Story) -> list[Note]:
    """Every disclaimer of a story, wherever the author put it, each text once."""
    found: list[Note] = []
    seen: set[str] = set()
    notes = [*story.front_notes,
             *[b for c in story.chapters for b in c.blocks if isinstance(b, Note)],
             *story.end_notes]
    for note in notes:
        key = " ".join(block_text(note).split()).casefold()
        if note.kind == "disclaimer" and key not in seen:
            seen.add(key)
            found.append(note)
    return found


class _Placer:
    """Places one story's notes in reading order: card, chapters, trailing notes."""

    def __init__(self, story: Story, notes: NotesPlacement, disclaimers: DisclaimerPlacement,
                 label: Callable[[str], str], first_note: int, key: str = ""):
        self.story, self.notes, self.disclaimers = story, notes, disclaimers
        self.key = key  # the story's stable key: its notes' ids derive from it
        self.label = label
        self.next_note = first_note
        self.story_end: list[MovedNote] = []
        self.appendix: list[MovedNote] = []
        self.diagnostics: list[Diagnostic] = []

    def card(self) -> tuple[Block, ...]:
        """The summary, then the leading notes; the story's disclaimers (each once) in the
        place of the first leading one, or after the notes."""
        story = self.story
        out: list[Block] = []
        if story.summary:
            out.append(Note("summary", story.summary))
        shown = story_disclaimers(story) if self.disclaimers == "story" else []
        pending = bool(shown)
        for note in story.front_notes:
            if note.kind == "disclaimer":
                if pending:
                    out.extend(shown)
                    pending = False
                else:
                    self.place(note, None)  # reported, when dropped
                continue
            placed = self.place(note, None)
            if placed is not None:
                out.append(placed)
        if pending:
            out.extend(shown)
        return tuple(out)

    def chapter(self, chapter: Chapter, c_no: int) -> Chapter:
        if Note not in map(type, chapter.blocks):
            return chapter  # most chapters: nothing to place
        return dataclasses.replace(chapter, blocks=self.blocks(chapter.blocks, c_no))

    def blocks(self, blocks: tuple[Block, ...], c_no: int | None) -> tuple[Block, ...]:
        out: list[Block] = []
        for b in blocks:
            if isinstance(b, Note):
                placed = self.place(b, c_no)
                if placed is not None:
                    out.append(placed)
            else:
                out.append(b)
        return tuple(out)

    def place(self, note: Note, c_no: int | None) -> Note | NoteRef | None:
        """A note where the author put it: itself, a link to it, or nothing."""
        if note.kind == "summary":
            return note
        if note.kind == "disclaimer":
            if self.disclaimers == "drop":
                self._dropped(note, "disclaimers: drop")
            return None  # on the card or the credits page: see story_disclaimers
        if self.notes == "inline":
            return note
        if self.notes == "drop":
            self._dropped(note, "notes: drop")
            return None
        origin = self._origin(c_no)
        if self.notes == "story-end":
            self.story_end.append(MovedNote(note, origin))
            return None
        number = self.next_note
        self.next_note += 1
        anchor = f"{self.key}-{len(self.appendix) + 1:02d}" if self.key else ""
        self.appendix.append(MovedNote(note, origin, number, anchor))
        return NoteRef(number, note.kind, anchor)

    def _origin(self, c_no: int | None) -> str | None:
        chapters = self.story.chapters
        if c_no is None or len(chapters) < 2:
            return None
        return chapters[c_no - 1].title or numbered_label(self.label("chapter"), c_no)

    def _dropped(self, note: Note, why: str) -> None:
        words = block_text(note).split()
        preview = " ".join(words[:8]) + ("\u2026" if len(words) > 8 else "")
        self.diagnostics.append(Diagnostic(
            "warning", "note-dropped",
            f"{self.label(note.kind)} dropped ({why}), {len(words)} words: "
            f"\u201c{preview}\u201d",
            file=self.story.path or None, line=note.line))


def book_meta(recipe: Recipe, stories: list[Story], fix: Callable[[str], str] = str) -> BookMeta:
    """The anthology's metadata: the recipe's where it speaks, else gathered from stories;
    `fix` gives the recipe's title, subtitle, editor and description the book's typography."""
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
        title=fix(recipe.title),
        identifier=recipe.uuid,
        language=recipe.language,
        subtitle=recipe.subtitle and fix(recipe.subtitle),
        editor=recipe.editor and fix(recipe.editor),
        description=fix(recipe.description) if recipe.description else describe(stories),
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
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date(2000, 1, 1)


def describe(stories: list[Story]) -> str:
    """"Title by Author; Title by Author." — what a library shows before the book is opened."""
    def by(s: Story) -> str:
        return f"{s.meta.title} by {join_names(s.meta.authors)}" if s.meta.authors else s.meta.title
    return "; ".join(by(s) for s in stories) + "."



def highest_rating(ratings: list[str]) -> str | None:
    """The strictest rating on one scale (K < K+ < T < M < MA, G < PG … < NC-17, AO3's)."""
    known = [r for r in ratings if r.strip().lower() in _RATING_RANK]
    if not known:
        return ratings[0] if ratings else None
    return max(known, key=lambda r: _RATING_RANK[r.strip().lower()])
