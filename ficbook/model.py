"""The document model: what every reader produces and every writer consumes.

Frozen dataclasses only. Readers (plain text, HTML, EPUB) end here; nothing after this
module knows which kind of file a story came from. Every block may carry the source
line it came from so that diagnostics can point at it.
"""

from __future__ import annotations

import copyreg
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ficbook.errors import Diagnostic
from ficbook.language.data import ENGLISH, book_labels

# ---------------------------------------------------------------- inlines

# Text and Paragraph are built about 90,000 times each per 10 MB of stories. Their
# `__init__` is written out: a frozen dataclass's own sets each field with
# object.__setattr__, which looks the name up first; the slot's descriptor (`_set_*`,
# taken from the class once it exists) is the same store, 40% cheaper. Everything else
# is the dataclass's (eq, hash, repr, replace, pickling); tests/test_model.py checks
# that the signature, defaults and behaviour are what the generated `__init__` gives.


@dataclass(frozen=True, slots=True, init=False)
class Text:
    text: str

    def __init__(self, text: str) -> None:
        _set_text(self, text)


_set_text = vars(Text)["text"].__set__  # the slot's own descriptor


StyleKind = Literal["em", "strong", "u", "s", "sub", "sup", "small-caps"]


@dataclass(frozen=True, slots=True)
class Styled:
    """Emphasis, strong, underline…: `kind` names the XHTML element to write."""

    kind: StyleKind
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A forced line break inside a paragraph (poetry, letters, lyrics)."""


@dataclass(frozen=True, slots=True)
class Image:
    """An image inside a story; `resource` is packaged into the book."""

    resource: Resource
    alt: str = ""


Inline = Text | Styled | LineBreak | Image


@dataclass(frozen=True, slots=True)
class Resource:
    """Bytes to put in the book (an image); `name` is a safe ASCII file name."""

    name: str
    media_type: str
    data: bytes = field(repr=False)


# ---------------------------------------------------------------- blocks

Align = Literal["center", "right"]


@dataclass(frozen=True, slots=True, init=False)
class Paragraph:
    inlines: tuple[Inline, ...]
    line: int | None = None
    align: Align | None = None

    def __init__(self, inlines: tuple[Inline, ...], line: int | None = None,
                 align: Align | None = None) -> None:  # see Text
        _set_inlines(self, inlines)
        _set_line(self, line)
        _set_align(self, align)


_set_inlines = vars(Paragraph)["inlines"].__set__
_set_line = vars(Paragraph)["line"].__set__
_set_align = vars(Paragraph)["align"].__set__


@dataclass(frozen=True, slots=True)
class SceneBreak:
    line: int | None = None


@dataclass(frozen=True, slots=True)
class BlockQuote:
    """A letter, lyrics, a quoted document."""

    blocks: tuple[Block, ...]
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Epigraph:
    blocks: tuple[Paragraph, ...]
    attribution: tuple[Inline, ...]
    line: int | None = None


@dataclass(frozen=True, slots=True)
class ListBlock:
    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    line: int | None = None


@dataclass(frozen=True, slots=True)
class TableCell:
    inlines: tuple[Inline, ...]
    header: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[tuple[TableCell, ...], ...]
    line: int | None = None


NoteKind = Literal["author-note", "disclaimer", "summary", "feedback", "dedication"]


@dataclass(frozen=True, slots=True)
class Note:
    """Set-apart material that is not story text: an author's note, a disclaimer…

    Inside a chapter's blocks a note stands where the author put it (between scenes,
    at the top or the end of a chapter). `label` is the author's own label, if any
    ("A/N", "Author's Note"); the book uses its own consistent label.
    """

    kind: NoteKind
    blocks: tuple[Block, ...]
    label: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class NoteRef:
    """Where a note moved to the notes appendix stood: a link to note `number` there.

    Only `assemble` makes these, when it places a story's notes (`BookStory.chapters`).
    """

    number: int
    kind: NoteKind
    anchor: str = ""  # stable within its story: "<story key>-01" (ids noteref-… and note-…)


Block = Paragraph | SceneBreak | BlockQuote | Epigraph | ListBlock | Table | Note | NoteRef


# ---------------------------------------------------------------- story


@dataclass(frozen=True, slots=True)
class Chapter:
    title: str | None
    blocks: tuple[Block, ...]
    line: int | None = None
    summary: tuple[Block, ...] = ()
    # The part this chapter begins ("Book One", "Part I"): parts nest above chapters in
    # the story's navigation.
    part: str | None = None


@dataclass(frozen=True, slots=True)
class StoryMeta:
    title: str
    authors: tuple[str, ...] = ()
    rating: str | None = None
    fandoms: tuple[str, ...] = ()  # "Category"/"Fandom"
    pairings: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    status: str | None = None  # "Complete", "In progress"
    series: str | None = None
    language: str | None = None  # BCP 47, when the story says or the recipe sets it
    source: str | None = None  # where it came from: a URL, an archive, a file name
    published: str | None = None
    # Labels the converter does not know ("Spoilers", "Beta"…), in order: kept on the card.
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Story:
    meta: StoryMeta
    chapters: tuple[Chapter, ...]
    summary: tuple[Block, ...] = ()
    # Set apart before the text: disclaimers, leading author's notes, feedback requests.
    front_notes: tuple[Note, ...] = ()
    # Trailing notes after the last chapter (the author talking, not the story).
    end_notes: tuple[Note, ...] = ()
    path: str = ""  # the source file, for messages


# ---------------------------------------------------------------- book


@dataclass(frozen=True, slots=True)
class BookMeta:
    title: str
    identifier: str  # urn:uuid:…
    language: str
    subtitle: str | None = None
    editor: str | None = None
    description: str | None = None
    date: str | None = None  # ISO 8601 date
    series: str | None = None
    series_index: float | None = None
    subjects: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()  # every story author, in order of first appearance
    rating: str | None = None
    warnings: tuple[str, ...] = ()  # the union of the stories' warnings


NotesPlacement = Literal["inline", "story-end", "appendix", "drop"]
DisclaimerPlacement = Literal["story", "credits", "drop"]
StoryChange = Literal["new", "updated"]  # a story file since the book's previous build


@dataclass(frozen=True, slots=True)
class MovedNote:
    """A note the recipe sends away from where the author put it (`story-end`, `appendix`)."""

    note: Note
    origin: str | None  # "Chapter 2", for stories with more than one chapter
    number: int = 0  # its number in the notes appendix (0: not there)
    anchor: str = ""  # as its NoteRef's


@dataclass(frozen=True, slots=True)
class BookStory:
    """A story as the book shows it: its notes and disclaimers placed, its words counted.

    Made by `ficbook.assemble.place`; the writer writes these fields as they are.
    """

    story: Story  # as converted, with the recipe's overrides
    number: int  # 1-based, in reading order: file names and ids derive from it
    words: int  # the chapters' words, notes apart
    card: tuple[Block, ...]  # the summary, disclaimers and leading notes on the story's card
    chapters: tuple[Chapter, ...]  # the chapters, each note in place, linked, or gone
    after: tuple[Block, ...]  # the story's trailing notes that stay after its text
    story_end: tuple[MovedNote, ...] = ()  # `notes: story-end`, in the author's order
    appendix: tuple[MovedNote, ...] = ()  # `notes: appendix`, numbered across the book
    credits: tuple[Note, ...] = ()  # `disclaimers: credits`: the disclaimers, each once
    diagnostics: tuple[Diagnostic, ...] = ()  # notes and disclaimers dropped
    stable: str = ""  # the story's stable key (ficbook.naming), its files' and ids' prefix
    change: StoryChange | None = None  # since the book's previous build

    @property
    def key(self) -> str:
        return self.stable or f"s{self.number:02d}"


@dataclass(frozen=True, slots=True)
class Part:
    title: str | None  # None: the anthology has no parts
    stories: tuple[BookStory, ...]


@dataclass(frozen=True, slots=True)
class Book:
    meta: BookMeta
    parts: tuple[Part, ...]
    labels: tuple[tuple[str, str], ...] = ()  # "author-note" -> "Author's note", …
    css: str = ""  # the recipe's extra CSS
    credits: bool = False  # a credits page (some story has `disclaimers: credits`)

    @property
    def stories(self) -> tuple[BookStory, ...]:
        return tuple(s for p in self.parts for s in p.stories)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """The notes and disclaimers the recipe dropped, in reading order, for the build log."""
        return tuple(d for bs in self.stories for d in bs.diagnostics)

    @property
    def appendix(self) -> tuple[tuple[BookStory, MovedNote], ...]:
        """The notes appendix, in order: each moved note with its story."""
        return tuple((bs, moved) for bs in self.stories for moved in bs.appendix)

    def label(self, kind: str) -> str:
        return label_of(self.labels, kind, self.meta.language)


def label_of(labels: tuple[tuple[str, str], ...], kind: str, language: str | None = None) -> str:
    """The book's label for `kind`: the recipe's `labels:`, else the book language's
    (English's where its file has none)."""
    return dict(labels).get(kind) or book_labels(language).get(kind, kind)


# The labels a book prints, in English (ficbook/data/languages/en.yaml); a book in another
# language prints its own (`label_of`), and a recipe's `labels:` wins over both.
DEFAULT_LABELS = book_labels(ENGLISH)



# ---------------------------------------------------------------- pickling

def by_fields(cls: type) -> Callable[[object], tuple]:
    """A pickle reducer rebuilding an object of the dataclass `cls` by calling it with its
    fields. Compiled (ficbook.native), a frozen class cannot be unpickled the dataclass way
    (its state is set attribute by attribute, which a frozen class refuses), and worker
    processes send model objects back through plain pickle (a cover drawn by a worker:
    `build.CoverJob`); `batch.wire` uses it for its other classes too."""
    names = tuple(f.name for f in dataclasses.fields(cls) if f.init)

    def reduce(obj: object) -> tuple:
        return cls, tuple(getattr(obj, n) for n in names)

    return reduce


for _cls in (Text, Styled, LineBreak, Image, Resource, Paragraph, SceneBreak, BlockQuote, Epigraph, ListBlock,
             TableCell, Table, Note, NoteRef, Chapter, StoryMeta, Story, BookMeta, MovedNote, BookStory, Part,
             Book):
    copyreg.pickle(_cls, by_fields(_cls))
