"""The document model: what every reader produces and every writer consumes.

Frozen dataclasses only. Readers (plain text, HTML, EPUB) end here; nothing after this
module knows which kind of file a story came from. Every block may carry the source
line it came from so that diagnostics can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, Union

# ---------------------------------------------------------------- inlines

# Text and Paragraph are built about 90,000 times each per 10 MB of stories. Their
# `__init__` is written out: a frozen dataclass's own sets each field with
# object.__setattr__, which looks the name up first; the slot's descriptor (`_set_*`,
# taken from the class once it exists) is the same store, 40% cheaper. Everything else
# is the dataclass's (eq, hash, repr, replace, pickling); tests/test_render_fast.py checks
# that the signature, defaults and behaviour are what the generated `__init__` gives.


@dataclass(frozen=True, slots=True, init=False)
class Text:
    text: str

    def __init__(self, text: str) -> None:
        _set_text(self, text)


_set_text = Text.text.__set__


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


Inline = Union[Text, Styled, LineBreak, Image]


def Emphasis(*children: Inline) -> Styled:  # noqa: N802 - reads like a constructor
    return Styled("em", tuple(children))


def Strong(*children: Inline) -> Styled:  # noqa: N802
    return Styled("strong", tuple(children))


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


_set_inlines = Paragraph.inlines.__set__
_set_line = Paragraph.line.__set__
_set_align = Paragraph.align.__set__


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


Block = Union[Paragraph, SceneBreak, BlockQuote, Epigraph, ListBlock, Table, Note]


# ---------------------------------------------------------------- story


@dataclass(frozen=True, slots=True)
class Chapter:
    title: str | None
    blocks: tuple[Block, ...]
    line: int | None = None
    summary: tuple[Block, ...] = ()


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
    # `words`, counted once (the card, the contents and the build summary all ask); not an
    # init field, so a story made by dataclasses.replace() counts its own words again.
    _words: int = field(default=-1, init=False, repr=False, compare=False)

    @property
    def words(self) -> int:
        """The sum of `count_words` over the chapters' blocks but notes."""
        if self._words < 0:
            self.count_words_of(_story_texts(self.chapters))
        return self._words

    def count_words_of(self, texts: list[str]) -> int:
        """`words`, counted from `texts`: what `_story_texts` gives for this story.

        For the renderer, which has the texts in hand; a count already made is kept.
        """
        if self._words < 0:
            # Counted over the blocks' texts joined by "\n": a separator that is white
            # space, so no word straddles two blocks and each counts its own words.
            n = count_text_words("\n".join(texts))
            object.__setattr__(self, "_words", n)  # a cache: the story itself stays frozen
        return self._words


# ---------------------------------------------------------------- helpers


def inline_text(inlines: tuple[Inline, ...]) -> str:
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Styled):
            out.append(inline_text(node.children))
        elif isinstance(node, LineBreak):
            out.append("\n")
    return "".join(out)


def block_text(block: Block) -> str:
    """The plain text of a block, for word counts and 'nothing lost' checks."""
    if isinstance(block, Paragraph):
        inlines = block.inlines
        if len(inlines) == 1 and type(inlines[0]) is Text:  # most paragraphs
            return inlines[0].text
        return inline_text(inlines)
    if isinstance(block, (BlockQuote, Note)):
        return "\n".join(block_text(b) for b in block.blocks)
    if isinstance(block, Epigraph):
        return "\n".join([*(block_text(b) for b in block.blocks),
                          inline_text(block.attribution)])
    if isinstance(block, ListBlock):
        return "\n".join(block_text(b) for item in block.items for b in item)
    if isinstance(block, Table):
        return "\n".join(inline_text(c.inlines) for row in block.rows for c in row)
    return ""


def _story_texts(chapters: tuple[Chapter, ...]) -> list[str]:
    """`[block_text(b) for c in chapters for b in c.blocks if not isinstance(b, Note)]`.

    A one-text paragraph (nine blocks in ten) gives its text here without the call:
    block_text's own first case, so the texts are the same.
    """
    texts: list[str] = []
    add = texts.append
    for chapter in chapters:
        for b in chapter.blocks:
            if type(b) is Paragraph:
                inlines = b.inlines
                if len(inlines) == 1 and type(inlines[0]) is Text:
                    add(inlines[0].text)
                    continue
            if not isinstance(b, Note):
                add(block_text(b))
    return texts


def count_words(block: Block) -> int:
    return len(block_text(block).split())


# `str.split()` splits at runs of the characters `str.isspace()` accepts: these (a test
# checks both lists against every code point).
ASCII_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
OTHER_SPACES = ("\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _by_lead_byte(chars: str) -> tuple[tuple[bytes, re.Pattern[bytes]], ...]:
    """For each first byte of the characters' UTF-8 forms: the byte and a pattern for them.

    `lead in data` is a memchr (fast), so a pattern runs only where its first byte is there;
    the regex engine seeks a pattern's literal first byte quickly too. Each pattern is that
    byte then (middle bytes, a class of last bytes) | …: a class is one test where a list of
    whole forms would be tried one by one at every match of the first byte.
    """
    groups: dict[bytes, dict[bytes, bytes]] = {}
    for c in chars:
        utf8 = c.encode()
        lasts = groups.setdefault(utf8[:1], {})
        lasts[utf8[1:-1]] = lasts.get(utf8[1:-1], b"") + utf8[-1:]
    return tuple(
        (lead, re.compile(re.escape(lead) + b"(?:" + b"|".join(
            re.escape(middle) + b"[" + re.escape(last) + b"]" for middle, last in lasts.items())
            + b")"))
        for lead, lasts in groups.items())


_OTHER_SPACES_UTF8 = _by_lead_byte(OTHER_SPACES)
# A UTF-8 byte -> b" " for an ASCII space, b"w" for anything else: every byte of a
# non-ASCII character is >= 0x80, so none of them looks like an ASCII space.
_SPACE_OR_WORD = bytes(0x20 if chr(i) in ASCII_SPACES else 0x77 for i in range(256))


def count_text_words(text: str) -> int:
    """`len(text.split())`, without a string per word (1.8 million in a 10 MB book)."""
    data = text.encode("utf-8", "surrogatepass")  # lone surrogates: 3 bytes >= 0x80 each
    if any(lead in data and pattern.search(data) for lead, pattern in _OTHER_SPACES_UTF8):
        return len(text.split())  # a no-break space or the like: rare in stories
    # Only ASCII spaces split words here: each word is a run of b"w"; count where runs start.
    flat = data.translate(_SPACE_OR_WORD)
    return flat.count(b" w") + flat.startswith(b"w")


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


@dataclass(frozen=True, slots=True)
class BookStory:
    story: Story
    number: int  # 1-based, in reading order: file names and ids derive from it
    notes: NotesPlacement = "inline"
    disclaimers: DisclaimerPlacement = "story"

    @property
    def key(self) -> str:
        return f"s{self.number:02d}"


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

    @property
    def stories(self) -> tuple[BookStory, ...]:
        return tuple(s for p in self.parts for s in p.stories)

    def label(self, kind: str) -> str:
        return dict(self.labels).get(kind) or DEFAULT_LABELS.get(kind, kind)


DEFAULT_LABELS = {
    "author-note": "Author's note",
    "disclaimer": "Disclaimer",
    "summary": "Summary",
    "feedback": "Feedback",
    "dedication": "Dedication",
    "contents": "Contents",
    "edited-by": "Edited by",
    "rating": "Rating",
    "category": "Category",
    "pairing": "Pairing",
    "characters": "Characters",
    "warnings": "Warnings",
    "genre": "Genre",
    "status": "Status",
    "words": "Words",
    "chapters": "Chapters",
    "source": "Source",
    "tags": "Tags",
    "by": "by",
    "notes": "Notes",
    "credits": "Credits",
    "back-to-text": "Back to the text",
    "chapter": "Chapter",
    "unknown-author": "Author unknown",
}
