"""The front matter: cover, title page, contents, part title pages."""

from __future__ import annotations

import functools

from ficbook import naming
from ficbook.language import count_label
from ficbook.model import Book, BookStory
from ficbook.render.links import ref
from ficbook.render.rendition import Document, Draft, esc, page
from ficbook.text import join_names, number_text

COVER = "text/cover.xhtml"
TITLE = "text/title.xhtml"
CONTENTS = "text/contents.xhtml"


def cover_page(book: Book, cover_name: str) -> Document:
    body = (f'<section class="cover" epub:type="cover">'
            f'<img class="cover-image" role="doc-cover" src="../images/{esc(cover_name)}" '
            f'alt="{esc(book.meta.title)}"/></section>\n')
    return Document(COVER, "cover-page", book.meta.title,
                    page(book.meta.title, body, book.meta.language, "cover"))


def title_page(book: Book) -> Draft:
    m = book.meta
    lines = [f'<h1 class="book-title">{esc(m.title)}</h1>']
    if m.subtitle:
        lines.append(f'<p class="book-subtitle">{esc(m.subtitle)}</p>')
    if m.series:
        index = f", {number_text(m.series_index)}" if m.series_index is not None else ""
        lines.append(f'<p class="book-series">{esc(m.series)}{esc(index)}</p>')
    if m.editor:
        lines.append(f'<p class="book-editor">{esc(book.label("edited-by"))} {esc(m.editor)}</p>')
    elif m.authors:
        lines.append(f'<p class="book-editor">{esc(join_names(m.authors))}</p>')
    facts = []
    if m.rating:
        facts.append(f"{book.label('rating')}: {m.rating}")
    if m.warnings:
        facts.append(f"{book.label('warnings')}: {', '.join(m.warnings)}")
    if facts:
        lines.append(f'<p class="book-rating">{esc(" · ".join(facts))}</p>')
    body = ('<section class="book-title" epub:type="titlepage">\n' + "\n".join(lines)
            + "\n</section>\n")
    return Draft(TITLE, "title-page", m.title, body, m.language, "front-matter")


def contents_page(book: Book) -> Draft:
    label = functools.cache(book.label)  # a lookup per story and label: 2,000 stories, 8,000 lookups

    def entry(bs: BookStory) -> str:
        meta = bs.story.meta
        facts = []
        if meta.rating:
            facts.append(f"{label('rating')}: {meta.rating}")
        facts.append(f"{bs.words:,} {label(count_label(bs.story.meta.language)).lower()}")
        author = meta.authors and (
            f' <span class="contents-author">{esc(label("by"))} '
            f'{esc(join_names(meta.authors))}</span>') or ""
        change = (f' <span class="contents-change contents-{bs.change}">'
                  f'{esc(label(bs.change))}</span>' if bs.change else "")
        return (f'<li class="contents-story"><a href="{bs.key}-card.xhtml">{esc(meta.title)}</a>'
                f'{author} <span class="contents-meta">{esc(" · ".join(facts))}</span>{change}</li>\n')

    parts = []
    for part_no, part in enumerate(book.parts, 1):
        items = "".join(entry(bs) for bs in part.stories)
        if part.title is None:
            parts.append(items)
        else:
            parts.append(f'<li class="contents-part"><a href="{part_name(book, part_no)}">'
                         f'{esc(part.title)}</a>\n<ol class="contents">\n{items}</ol></li>\n')
    back = []
    if book.appendix:
        back.append(f'<li class="contents-back"><a href="{ref("notes-appendix")}">'
                    f'{esc(book.label("notes"))}</a></li>\n')
    if book.credits:
        back.append(f'<li class="contents-back"><a href="credits.xhtml">'
                    f'{esc(book.label("credits"))}</a></li>\n')
    title = book.label("contents")
    body = (f'<section class="contents" epub:type="toc" role="doc-toc">\n<h1 class="contents-title">{esc(title)}</h1>\n'
            f'<ol class="contents">\n{"".join(parts)}{"".join(back)}</ol>\n</section>\n')
    return Draft(CONTENTS, "contents-page", title, body, book.meta.language, "front-matter")


def part_name(book: Book, part_no: int) -> str:
    """From the part's title, not its place: adding a part moves no other one's file."""
    keys = naming.unique(naming.part_key(p.title) for p in book.parts)
    return f"{keys[part_no - 1]}.xhtml"


def part_page(book: Book, part_no: int, title: str) -> Draft:
    body = (f'<section class="part" epub:type="part" role="doc-part">\n<h1 class="part-title">{esc(title)}</h1>\n'
            "</section>\n")
    name = part_name(book, part_no)
    return Draft(f"text/{name}", name.removesuffix(".xhtml"), title, body,
                 book.meta.language, "front-matter")
