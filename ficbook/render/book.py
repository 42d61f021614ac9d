"""Book -> Rendition: every document in reading order, the navigation tree, the landmarks. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ficbook.model import Book, Resource
from ficbook.render.back import CREDITS, credits_page, notes_appendix
from ficbook.render.blocks import BlockWriter
from ficbook.render.front import (
    CONTENTS,
    TITLE,
    contents_page,
    cover_page,
    part_name,
    part_page,
    title_page,
)
from ficbook.render.links import resolve
from ficbook.render.rendition import Document, Draft, Landmarks, NavEntry, Rendition
from ficbook.render.story import card_name, render_story

if TYPE_CHECKING:
    from ficbook.pieces import StoryPiece


def render(book: Book, cover_name: str | None, pieces: Sequence[StoryPiece] | None = None) -> Rendition:
    """The whole book: cover, front matter, each story, back matter, and the navigation.

    `cover_name` is the cover image's file name under images/ (None: no cover page).
    `pieces`: the stories rendered already (`ficbook.pieces`), one per story of the book
    in reading order; the book's stories are then their shells.
    """
    images: dict[str, Resource] = {}
    writer = BlockWriter(book, images)
    docs: list[Document] = []
    if cover_name:
        docs.append(cover_page(book, cover_name))
    pages: list[Draft | Document] = [title_page(book), contents_page(book)]  # drafts until resolved
    rendered = iter(pieces or ())
    nav: list[NavEntry] = [NavEntry(book.meta.title, TITLE),
                           NavEntry(book.label("contents"), CONTENTS)]
    for part_no, part in enumerate(book.parts, 1):
        story_navs: list[NavEntry] = []
        if part.title is not None:
            pages.append(part_page(book, part_no, part.title))
        for bs in part.stories:
            if pieces is None:
                story_drafts, story_nav = render_story(book, bs, writer)
                pages.extend(story_drafts)
            else:
                piece = next(rendered)
                pages.extend(piece.pages)
                story_nav = piece.nav
                images.update((r.name, r) for r in piece.resources if r.name not in images)
            story_navs.append(story_nav)
        if part.title is not None:
            nav.append(NavEntry(part.title, f"text/{part_name(book, part_no)}", tuple(story_navs)))
        else:
            nav.extend(story_navs)
    if book.appendix:
        appendix = notes_appendix(book, writer)
        pages.extend(appendix)
        nav.append(NavEntry(book.label("notes"), appendix[0].name))
    if book.credits:
        pages.append(credits_page(book, writer))
        nav.append(NavEntry(book.label("credits"), CREDITS))
    # the pages finished with their story's piece stay as they are
    finished = iter(resolve([d for d in pages if isinstance(d, Draft)]))
    docs.extend(next(finished) if isinstance(d, Draft) else d for d in pages)
    stories = book.stories
    landmarks = Landmarks(contents=CONTENTS, cover=docs[0].name if cover_name else None,
                          start=card_name(stories[0]) if stories else None)
    return Rendition(tuple(docs), tuple(nav), landmarks, tuple(images.values()))
