"""A story made into its part of the book where it was converted: placed, rendered and
deflated (`StoryPiece`), so that what stays in memory, or travels from a worker to the
process that writes the book, is the story's compressed pages and its metadata, not its
parsed text.

A story's pages depend on the book only through what the recipe says (the book's language
and labels, the story's place and modes: `assemble.frame`, `assemble.book_story`) and its
key. The key is the one fact that needs the other stories: `naming.unique` numbers a key
the book repeats (the same file twice, two copies of one web page), so `build` checks the
pieces' keys and builds the book from the stories themselves when one repeats. A page
that links into another document (a note moved to the appendix, and the appendix's links
back) stays a draft for `render` to resolve with the book's other pages; the others are
finished here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ficbook.assemble import apply_overrides, book_story, story_key
from ficbook.convert import ConvertResult
from ficbook.epub.ocf import deflate
from ficbook.errors import Diagnostic
from ficbook.model import Book, BookStory, Resource, Story
from ficbook.recipe import Recipe, StoryEntry
from ficbook.render.blocks import BlockWriter
from ficbook.render.links import finish
from ficbook.render.rendition import Document, Draft, NavEntry, img_tags
from ficbook.render.story import render_story


@dataclass(frozen=True)
class StoryPiece:
    shell: BookStory  # the story as the book lists it: metadata, words, key, notes moved; no text
    pages: tuple[Document | Draft, ...]  # in reading order: deflated, or drafts with links
    nav: NavEntry
    resources: tuple[Resource, ...]  # the pictures its pages show, in order of first showing
    diagnostics: tuple[Diagnostic, ...]  # the converter's (the shell holds the placement's)


def story_piece(recipe: Recipe, entry: StoryEntry, number: int, result: ConvertResult,
                frame: Book) -> StoryPiece:
    """Story number `number` (1-based) of the recipe as its piece of the book; `frame`:
    `assemble.frame(recipe)`."""
    shown = apply_overrides(result.story, entry)
    bs = book_story(recipe, entry, shown, number, story_key(entry, shown))
    writer = BlockWriter(frame, {})
    drafts, nav = render_story(frame, bs, writer)
    pages: list[Document | Draft] = []
    for d in drafts:
        doc = None if d.anchors else finish(d)  # a page others link to stays a draft too
        pages.append(d if doc is None else _packed(doc))
    return StoryPiece(_shell(bs), tuple(pages), nav, tuple(writer.images.values()), result.diagnostics)


def _packed(doc: Document) -> Document:
    return dataclasses.replace(doc, content=b"", packed=deflate(doc.content),
                               packed_pictures=tuple(img_tags(doc.content)))


def _shell(bs: BookStory) -> BookStory:
    """`bs` without its text: what the contents, the notes appendix, the credits page, the
    cover and the package read of a story."""
    story = Story(bs.story.meta, (), path=bs.story.path)
    return dataclasses.replace(bs, story=story, card=(), chapters=(), after=(), story_end=())


def renumbered(shells: list[BookStory]) -> list[BookStory]:
    """The shells with their appendix notes numbered across the book, as `assemble` numbers
    them (each piece numbered its own from 1; the pages show keys, not numbers)."""
    out, first = [], 1
    for bs in shells:
        if bs.appendix:
            moved = tuple(dataclasses.replace(m, number=first + i) for i, m in enumerate(bs.appendix))
            bs = dataclasses.replace(bs, appendix=moved)
            first += len(moved)
        out.append(bs)
    return out
