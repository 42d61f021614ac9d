"""Book -> Rendition: finished XHTML documents and the navigation tree. Pure.

The markup follows `markup.md` (class names, reading order, navigation). Documents are
written as strings: it is the fastest way to make XHTML in Python, and every piece of
text goes through `esc`, so the output is always well-formed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from ficbook.model import (
    Block, BlockQuote, Book, BookStory, Chapter, Epigraph, Image, Inline, LineBreak,
    ListBlock, Note, Paragraph, Resource, SceneBreak, Styled, Table, Text,
)

# Split chapter files above this many bytes of XHTML: PocketBook and Kobo's Adobe engine
# choke on very large files.
MAX_DOC_BYTES = 260_000

CSS_HREF = "../styles/book.css"


@dataclass(frozen=True)
class Document:
    name: str  # path inside the book's content folder: "text/s01-c01.xhtml"
    uid: str  # manifest id
    title: str
    content: bytes
    in_spine: bool = True


@dataclass(frozen=True)
class NavEntry:
    title: str
    href: str  # relative to the content folder: "text/s01-card.xhtml"
    children: tuple[NavEntry, ...] = ()


@dataclass(frozen=True)
class Rendition:
    documents: tuple[Document, ...]
    nav: tuple[NavEntry, ...]
    resources: tuple[Resource, ...] = field(default=())


def esc(text: str) -> str:
    return escape(text, quote=True)


# ------------------------------------------------------------------ inlines and blocks


_TAGS = {"em": "em", "strong": "strong", "u": "u", "s": "s", "sub": "sub", "sup": "sup",
         "small-caps": "span"}


def render_inlines(inlines: tuple[Inline, ...], images: dict[str, Resource]) -> str:
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(esc(node.text))
        elif isinstance(node, Styled):
            tag = _TAGS[node.kind]
            cls = ' class="small-caps"' if node.kind == "small-caps" else ""
            out.append(f"<{tag}{cls}>{render_inlines(node.children, images)}</{tag}>")
        elif isinstance(node, LineBreak):
            out.append("<br/>")
        elif isinstance(node, Image):
            images[node.resource.name] = node.resource
            out.append(f'<img src="../images/{esc(node.resource.name)}" alt="{esc(node.alt)}"/>')
    return "".join(out)


class BlockWriter:
    """Renders blocks; collects images. Notes are written by `note`, overridable by mode."""

    def __init__(self, book: Book):
        self.book = book
        self.images: dict[str, Resource] = {}

    def blocks(self, blocks: tuple[Block, ...]) -> str:
        return "".join(self.block(b) for b in blocks)

    def block(self, b: Block) -> str:
        if isinstance(b, Paragraph):
            body = render_inlines(b.inlines, self.images)
            if not body.strip():
                return ""
            cls = f' class="{b.align}"' if b.align else ""
            return f"<p{cls}>{body}</p>\n"
        if isinstance(b, SceneBreak):
            return '<hr class="scene-break"/>\n'
        if isinstance(b, Epigraph):
            attribution = render_inlines(b.attribution, self.images)
            cite = f'<p class="attribution"><cite>{attribution}</cite></p>' if attribution else ""
            return f'<blockquote class="epigraph">{self.blocks(b.blocks)}{cite}</blockquote>\n'
        if isinstance(b, BlockQuote):
            return f"<blockquote>{self.blocks(b.blocks)}</blockquote>\n"
        if isinstance(b, ListBlock):
            tag = "ol" if b.ordered else "ul"
            items = "".join(f"<li>{self.blocks(item)}</li>" for item in b.items)
            return f"<{tag}>{items}</{tag}>\n"
        if isinstance(b, Table):
            rows = []
            for row in b.rows:
                cells = "".join(
                    f"<{'th' if c.header else 'td'}>{render_inlines(c.inlines, self.images)}"
                    f"</{'th' if c.header else 'td'}>" for c in row)
                rows.append(f"<tr>{cells}</tr>")
            return f'<table class="story-table"><tbody>{"".join(rows)}</tbody></table>\n'
        if isinstance(b, Note):
            return self.note(b)
        raise TypeError(f"unknown block {b!r}")

    def note(self, note: Note) -> str:
        label = f'<p class="note-label">{esc(self.book.label(note.kind))}</p>'
        if note.kind == "summary":
            return f'<div class="summary" role="doc-abstract">{label}{self.blocks(note.blocks)}</div>\n'
        cls = "disclaimer" if note.kind == "disclaimer" else "author-note"
        if note.kind in ("feedback", "dedication"):
            cls = f"author-note {note.kind}"
        return f'<aside class="{cls}" role="note">{label}{self.blocks(note.blocks)}</aside>\n'


# ------------------------------------------------------------------ documents


def page(title: str, body: str, lang: str, body_class: str = "") -> bytes:
    cls = f' class="{body_class}"' if body_class else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang="{esc(lang)}" xml:lang="{esc(lang)}">\n'
        f"<head>\n<title>{esc(title)}</title>\n"
        f'<link rel="stylesheet" type="text/css" href="{CSS_HREF}"/>\n</head>\n'
        f"<body{cls}>\n{body}</body>\n</html>\n"
    ).encode("utf-8")


def story_label(bs: BookStory, book: Book) -> str:
    authors = " & ".join(bs.story.meta.authors)
    return f"{bs.story.meta.title} \u2014 {authors}" if authors else bs.story.meta.title


def render(book: Book, cover_name: str | None) -> Rendition:
    """The whole book: front matter, each story, back matter, and the navigation tree."""
    writer = BlockWriter(book)
    docs: list[Document] = []
    if cover_name:
        docs.append(cover_page(book, cover_name))
    docs.append(title_page(book))
    docs.append(contents_page(book))
    nav: list[NavEntry] = [NavEntry(book.meta.title, "text/title.xhtml"),
                           NavEntry(book.label("contents"), "text/contents.xhtml")]
    for part_no, part in enumerate(book.parts, 1):
        story_navs: list[NavEntry] = []
        if part.title is not None:
            docs.append(part_page(book, part_no, part.title))
        for bs in part.stories:
            story_docs, story_nav = render_story(book, bs, writer)
            docs.extend(story_docs)
            story_navs.append(story_nav)
        if part.title is not None:
            nav.append(NavEntry(part.title, f"text/part{part_no:02d}.xhtml", tuple(story_navs)))
        else:
            nav.extend(story_navs)
    return Rendition(tuple(docs), tuple(nav), tuple(writer.images.values()))


def cover_page(book: Book, cover_name: str) -> Document:
    body = (f'<section class="cover" epub:type="cover">'
            f'<img class="cover-image" src="../images/{esc(cover_name)}" '
            f'alt="{esc(book.meta.title)}"/></section>\n')
    return Document("text/cover.xhtml", "cover-page", book.meta.title,
                    page(book.meta.title, body, book.meta.language, "cover"))


def title_page(book: Book) -> Document:
    m = book.meta
    lines = [f'<h1 class="book-title">{esc(m.title)}</h1>']
    if m.subtitle:
        lines.append(f'<p class="book-subtitle">{esc(m.subtitle)}</p>')
    if m.series:
        index = f", {_number(m.series_index)}" if m.series_index is not None else ""
        lines.append(f'<p class="book-series">{esc(m.series)}{esc(index)}</p>')
    if m.editor:
        lines.append(f'<p class="book-editor">{esc(book.label("edited-by"))} {esc(m.editor)}</p>')
    elif m.authors:
        lines.append(f'<p class="book-editor">{esc(_join_names(m.authors))}</p>')
    body = ('<section class="book-title" epub:type="titlepage">\n' + "\n".join(lines)
            + "\n</section>\n")
    return Document("text/title.xhtml", "title-page", m.title,
                    page(m.title, body, m.language, "front-matter"))


def contents_page(book: Book) -> Document:
    def entry(bs: BookStory) -> str:
        meta = bs.story.meta
        facts = []
        if meta.rating:
            facts.append(f"{book.label('rating')}: {meta.rating}")
        facts.append(f"{bs.story.words:,} {book.label('words').lower()}")
        author = meta.authors and (
            f' <span class="contents-author">{esc(book.label("by"))} '
            f'{esc(_join_names(meta.authors))}</span>') or ""
        return (f'<li class="contents-story"><a href="{bs.key}-card.xhtml">{esc(meta.title)}</a>'
                f'{author} <span class="contents-meta">{esc(" · ".join(facts))}</span></li>\n')

    parts = []
    for part_no, part in enumerate(book.parts, 1):
        items = "".join(entry(bs) for bs in part.stories)
        if part.title is None:
            parts.append(items)
        else:
            parts.append(f'<li class="contents-part"><a href="part{part_no:02d}.xhtml">'
                         f'{esc(part.title)}</a>\n<ol class="contents">\n{items}</ol></li>\n')
    title = book.label("contents")
    body = (f'<section class="contents" epub:type="toc">\n<h1 class="contents-title">{esc(title)}</h1>\n'
            f'<ol class="contents">\n{"".join(parts)}</ol>\n</section>\n')
    return Document("text/contents.xhtml", "contents-page", title,
                    page(title, body, book.meta.language, "front-matter"))


def part_page(book: Book, part_no: int, title: str) -> Document:
    body = (f'<section class="part" epub:type="part">\n<h1 class="part-title">{esc(title)}</h1>\n'
            "</section>\n")
    return Document(f"text/part{part_no:02d}.xhtml", f"part{part_no:02d}", title,
                    page(title, body, book.meta.language, "front-matter"))


def story_card(book: Book, bs: BookStory, writer: BlockWriter) -> str:
    story, meta = bs.story, bs.story.meta
    author = _join_names(meta.authors) if meta.authors else book.label("unknown-author")
    facts: list[tuple[str, str]] = []
    if meta.rating:
        facts.append((book.label("rating"), meta.rating))
    if meta.fandoms:
        facts.append((book.label("category"), ", ".join(meta.fandoms)))
    if meta.pairings:
        facts.append((book.label("pairing"), ", ".join(meta.pairings)))
    if meta.characters:
        facts.append((book.label("characters"), ", ".join(meta.characters)))
    if meta.warnings:
        facts.append((book.label("warnings"), ", ".join(meta.warnings)))
    if meta.genres:
        facts.append((book.label("genre"), ", ".join(meta.genres)))
    if meta.tags:
        facts.append((book.label("tags"), ", ".join(meta.tags)))
    if meta.status:
        facts.append((book.label("status"), meta.status))
    facts.extend(meta.extra)
    facts.append((book.label("words"), f"{story.words:,}"))
    if len(story.chapters) > 1:
        facts.append((book.label("chapters"), str(len(story.chapters))))
    if meta.source:
        facts.append((book.label("source"), meta.source))
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
    parts = [f'<h1 class="story-title">{esc(meta.title)}</h1>',
             f'<p class="story-author">{esc(author)}</p>',
             f'<dl class="story-meta">{dl}</dl>']
    if story.summary:
        parts.append(writer.note(Note("summary", story.summary)))
    for note in story.front_notes:
        if note.kind == "disclaimer" and bs.disclaimers != "story":
            continue
        parts.append(writer.note(note))
    return (f'<section class="story-card" id="{bs.key}">\n' + "\n".join(parts) + "</section>\n")


def render_story(book: Book, bs: BookStory, writer: BlockWriter) -> tuple[list[Document], NavEntry]:
    story = bs.story
    lang = story.meta.language or book.meta.language
    label = story_label(bs, book)
    docs = [Document(f"text/{bs.key}-card.xhtml", f"{bs.key}-card", story.meta.title,
                     page(story.meta.title, story_card(book, bs, writer), lang,
                          "story-card-page"))]
    chapter_navs: list[NavEntry] = []
    n = len(story.chapters)
    for c_no, chapter in enumerate(story.chapters, 1):
        trailing = story.end_notes if c_no == n else ()
        chapter_docs = render_chapter(book, bs, chapter, c_no, n, trailing, writer, lang)
        docs.extend(chapter_docs)
        title = chapter.title or f"Chapter {c_no}"
        chapter_navs.append(NavEntry(title, chapter_docs[0].name))
    nav = NavEntry(label, docs[0].name, tuple(chapter_navs) if n > 1 else ())
    return docs, nav


def render_chapter(book: Book, bs: BookStory, chapter: Chapter, c_no: int, n: int,
                   trailing: tuple[Note, ...], writer: BlockWriter, lang: str) -> list[Document]:
    base = f"{bs.key}-c{c_no:02d}"
    heading = ""
    if chapter.title or n > 1:
        heading = f'<h2 class="chapter-title">{esc(chapter.title or f"Chapter {c_no}")}</h2>\n'
    summary = writer.note(Note("summary", chapter.summary)) if chapter.summary else ""
    chunks = _split([writer.block(b) for b in chapter.blocks])
    trailing_html = "".join(writer.note(note) for note in trailing)
    docs = []
    title = chapter.title or bs.story.meta.title
    for i, chunk in enumerate(chunks):
        first, last = i == 0, i == len(chunks) - 1
        name = base if first else f"{base}-{i + 1}"
        body = (f'<section class="chapter" epub:type="chapter" id="{name}">\n'
                f'{heading + summary if first else ""}{chunk}</section>\n'
                f'{trailing_html if last else ""}')
        docs.append(Document(f"text/{name}.xhtml", name, title,
                             page(title, body, lang, "chapter-page")))
    return docs


def _split(rendered: list[str]) -> list[str]:
    """Group rendered blocks into chunks under MAX_DOC_BYTES, preferring scene breaks."""
    chunks: list[list[str]] = [[]]
    size = 0
    for html in rendered:
        if not html:
            continue
        if size + len(html) > MAX_DOC_BYTES and chunks[-1]:
            # Move back to the last scene break in this chunk, if it is not too far back.
            current = chunks[-1]
            cut = max((i for i, h in enumerate(current) if h.startswith('<hr class="scene-break"')),
                      default=-1)
            if cut > len(current) // 2:
                chunks[-1], rest = current[:cut], current[cut + 1:]
                chunks.append(rest)
            else:
                chunks.append([])
            size = sum(len(h) for h in chunks[-1])
        if not chunks[-1] and html.startswith('<hr class="scene-break"'):
            continue  # never a scene break at the start of a file
        chunks[-1].append(html)
        size += len(html)
    return ["".join(c) for c in chunks if c]


def _join_names(names: tuple[str, ...]) -> str:
    if len(names) <= 2:
        return " & ".join(names)
    return ", ".join(names[:-1]) + " & " + names[-1]


def _number(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else str(x)
