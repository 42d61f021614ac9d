"""Book -> Rendition: finished XHTML documents and the navigation tree. Pure.

The markup follows `markup.md` (class names, reading order, navigation). Documents are
written as strings: it is the fastest way to make XHTML in Python, and every piece of
text goes through `esc`, so the output is always well-formed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from ficbook.errors import Diagnostic
from ficbook.model import (
    Block, BlockQuote, Book, BookStory, Chapter, Epigraph, Image, Inline, LineBreak,
    ListBlock, Note, Paragraph, Resource, SceneBreak, Story, Styled, Table, Text, block_text,
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
    # Notes and disclaimers the recipe dropped, for the build log.
    diagnostics: tuple[Diagnostic, ...] = field(default=())


def esc(text: str) -> str:
    # html.escape rewrites only these five characters: text without them comes back as it
    # is, and five `in` scans cost a quarter of escape()'s five replace() calls.
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return escape(text, quote=True)
    return text


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

    def __init__(self, book: Book, images: dict[str, Resource] | None = None):
        self.book = book
        self.images: dict[str, Resource] = images if images is not None else {}

    def blocks(self, blocks: tuple[Block, ...]) -> str:
        return "".join(self.block(b) for b in blocks)

    def block(self, b: Block) -> str:
        if isinstance(b, Paragraph):
            return self.paragraph(b)
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

    def paragraph(self, p: Paragraph) -> str:
        inlines = p.inlines
        if len(inlines) == 1 and type(inlines[0]) is Text:
            body = esc(inlines[0].text)  # most paragraphs: one plain text
        else:
            body = render_inlines(inlines, self.images)
        if not body or body.isspace():  # `not body.strip()` without the copy
            return ""
        cls = f' class="{p.align}"' if p.align else ""
        return f"<p{cls}>{body}</p>\n"

    def note(self, note: Note) -> str:
        label = f'<p class="note-label">{esc(self.book.label(note.kind))}</p>'
        if note.kind == "summary":
            return f'<div class="summary" role="doc-abstract">{label}{self.blocks(note.blocks)}</div>\n'
        cls = "disclaimer" if note.kind == "disclaimer" else "author-note"
        if note.kind in ("feedback", "dedication"):
            cls = f"author-note {note.kind}"
        return f'<aside class="{cls}" role="note">{label}{self.blocks(note.blocks)}</aside>\n'


# ------------------------------------------------------------------ cross-document links

# Links between documents are written as placeholders naming the target id, and resolved
# once every document exists: a chapter may be split, so a note's file is known only then.
_REF = re.compile("\x00([A-Za-z][A-Za-z0-9._-]*)\x00")
_ID = re.compile(r'\sid="([^"]+)"')


def ref(anchor: str) -> str:
    """An href to the element with id `anchor`, wherever it ends up."""
    return f"\x00{anchor}\x00"


@dataclass(frozen=True)
class _Draft:
    name: str
    uid: str
    title: str
    body: str
    lang: str
    body_class: str = ""


def _resolve(drafts: list[_Draft]) -> list[Document]:
    try:
        pages: list[bytes | None] = [page(d.title, d.body, d.lang, d.body_class) for d in drafts]
    except UnicodeEncodeError:
        pages = [None] * len(drafts)  # text that cannot be written: fail below, as ever
    # A link placeholder holds "\x00", and UTF-8 writes nothing else as a zero byte: a page
    # without one is done (a memchr; the text's own "\x00" test is a slow loop in wide
    # strings). With no links at all (no notes appendix: most books), no ids to look for.
    done = [p is not None and b"\x00" not in p for p in pages]
    if all(done):
        return [Document(d.name, d.uid, d.title, p) for d, p in zip(drafts, pages)]
    where: dict[str, str] = {}
    for d in drafts:
        for anchor in _ID.findall(d.body):
            where.setdefault(anchor, d.name.rsplit("/", 1)[-1])

    def sub(m: re.Match[str]) -> str:
        anchor = m.group(1)
        if anchor not in where:
            raise AssertionError(f"link to a missing id {anchor!r}")
        return f"{where[anchor]}#{anchor}"

    return [Document(d.name, d.uid, d.title,
                     p if ok else page(d.title, _REF.sub(sub, d.body), d.lang, d.body_class))
            for d, p, ok in zip(drafts, pages, done)]


# ------------------------------------------------------------------ where notes go


@dataclass(frozen=True)
class _AppendixNote:
    number: int
    story: BookStory
    origin: str | None  # "Chapter 2", for stories with more than one chapter
    note: Note


@dataclass
class _BackMatter:
    """What the stories send to the end of the book, and what they report."""

    notes: list[_AppendixNote] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    counter: int = 0


def _is_disclaimer(note: Note) -> bool:
    return note.kind == "disclaimer"


def story_disclaimers(story: Story) -> list[Note]:
    """Every disclaimer of a story, wherever the author put it, each text once."""
    found: list[Note] = []
    seen: set[str] = set()
    notes = [*story.front_notes,
             *[b for c in story.chapters for b in c.blocks if isinstance(b, Note)],
             *story.end_notes]
    for note in notes:
        key = " ".join(block_text(note).split()).casefold()
        if _is_disclaimer(note) and key not in seen:
            seen.add(key)
            found.append(note)
    return found


def _origin(bs: BookStory, book: Book, c_no: int | None) -> str | None:
    chapters = bs.story.chapters
    if c_no is None or len(chapters) < 2:
        return None
    return chapters[c_no - 1].title or f"{book.label('chapter')} {c_no}"


class StoryWriter(BlockWriter):
    """Writes one story's blocks, placing its notes as the story's modes say."""

    def __init__(self, book: Book, bs: BookStory, back: _BackMatter,
                 images: dict[str, Resource]):
        super().__init__(book, images)
        self.bs = bs
        self.back = back
        self.chapter: int | None = None  # the chapter being written, for origins
        self.story_end: list[tuple[str | None, Note]] = []
        # The plain texts of the chapters' blocks but notes, in order, gathered by `each`
        # for the story's word count (model._story_texts, without a second walk).
        self.texts: list[str] = []

    def block(self, b: Block) -> str:
        if type(b) is Paragraph:  # nine blocks in ten: skip the isinstance chain
            return self.paragraph(b)
        if isinstance(b, Note):
            return self.placed(b)
        return super().block(b)

    def each(self, blocks: tuple[Block, ...]) -> list[str]:
        """`[self.block(b) for b in blocks]`, a chapter's blocks; their texts go to `texts`.

        A paragraph of one text without alignment (nine blocks in ten) is written here as
        `paragraph` writes it, without the call. esc() leaves white space alone and writes
        nothing for nothing, so the escaped body is blank exactly when the text is.
        """
        out: list[str] = []
        add, add_text = out.append, self.texts.append
        for b in blocks:
            if type(b) is not Paragraph:
                if not isinstance(b, Note):
                    add_text(block_text(b))
                add(self.block(b))
                continue
            inlines = b.inlines
            if len(inlines) == 1 and type(inlines[0]) is Text:
                text = inlines[0].text  # block_text's own first case
                add_text(text)
                if b.align is None:
                    add("" if not text or text.isspace() else f"<p>{esc(text)}</p>\n")
                    continue
            else:
                add_text(block_text(b))
            add(self.paragraph(b))
        return out

    def placed(self, note: Note) -> str:
        """A note where the author put it: in place, a link, or nothing."""
        if note.kind == "summary":
            return self.note(note)
        if _is_disclaimer(note):
            if self.bs.disclaimers == "drop":
                self._dropped(note, "disclaimers: drop")
            return ""  # on the card or the credits page: see story_disclaimers
        mode = self.bs.notes
        if mode == "inline":
            return self.note(note)
        origin = _origin(self.bs, self.book, self.chapter)
        if mode == "story-end":
            self.story_end.append((origin, note))
            return ""
        if mode == "appendix":
            self.back.counter += 1
            n = self.back.counter
            self.back.notes.append(_AppendixNote(n, self.bs, origin, note))
            return (f'<p class="noteref"><a id="noteref-{n:03d}" epub:type="noteref" '
                    f'role="doc-noteref" href="{ref(f"note-{n:03d}")}">'
                    f'{esc(self.book.label(note.kind))}</a></p>\n')
        self._dropped(note, "notes: drop")
        return ""

    def _dropped(self, note: Note, why: str) -> None:
        words = block_text(note).split()
        preview = " ".join(words[:8]) + ("\u2026" if len(words) > 8 else "")
        self.back.diagnostics.append(Diagnostic(
            "warning", "note-dropped",
            f"{self.book.label(note.kind)} dropped ({why}), {len(words)} words: "
            f"\u201c{preview}\u201d",
            file=self.bs.story.path or None, line=note.line))


# ------------------------------------------------------------------ the book


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
    authors = _join_names(bs.story.meta.authors)
    return f"{bs.story.meta.title} \u2014 {authors}" if authors else bs.story.meta.title


def render(book: Book, cover_name: str | None) -> Rendition:
    """The whole book: front matter, each story, back matter, and the navigation tree."""
    images: dict[str, Resource] = {}
    back = _BackMatter()
    drafts: list[_Draft] = []
    docs: list[Document] = []
    if cover_name:
        docs.append(cover_page(book, cover_name))
    drafts.append(title_page(book))
    nav: list[NavEntry] = [NavEntry(book.meta.title, "text/title.xhtml"),
                           NavEntry(book.label("contents"), "text/contents.xhtml")]
    for part_no, part in enumerate(book.parts, 1):
        story_navs: list[NavEntry] = []
        if part.title is not None:
            drafts.append(part_page(book, part_no, part.title))
        for bs in part.stories:
            writer = StoryWriter(book, bs, back, images)
            story_drafts, story_nav = render_story(book, bs, writer)
            drafts.extend(story_drafts)
            story_navs.append(story_nav)
        if part.title is not None:
            nav.append(NavEntry(part.title, f"text/part{part_no:02d}.xhtml", tuple(story_navs)))
        else:
            nav.extend(story_navs)
    if back.notes:
        appendix = notes_appendix(book, back.notes, BlockWriter(book, images))
        drafts.extend(appendix)
        nav.append(NavEntry(book.label("notes"), appendix[0].name))
    if any(bs.disclaimers == "credits" for bs in book.stories):
        drafts.append(credits_page(book, BlockWriter(book, images)))
        nav.append(NavEntry(book.label("credits"), "text/credits.xhtml"))
    # The contents page lists the back matter, known only now.
    drafts.insert(1, contents_page(book, appendix=bool(back.notes)))
    docs.extend(_resolve(drafts))
    return Rendition(tuple(docs), tuple(nav), tuple(images.values()), tuple(back.diagnostics))


def cover_page(book: Book, cover_name: str) -> Document:
    body = (f'<section class="cover" epub:type="cover">'
            f'<img class="cover-image" src="../images/{esc(cover_name)}" '
            f'alt="{esc(book.meta.title)}"/></section>\n')
    return Document("text/cover.xhtml", "cover-page", book.meta.title,
                    page(book.meta.title, body, book.meta.language, "cover"))


def title_page(book: Book) -> _Draft:
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
    facts = []
    if m.rating:
        facts.append(f"{book.label('rating')}: {m.rating}")
    if m.warnings:
        facts.append(f"{book.label('warnings')}: {', '.join(m.warnings)}")
    if facts:
        lines.append(f'<p class="book-rating">{esc(" · ".join(facts))}</p>')
    body = ('<section class="book-title" epub:type="titlepage">\n' + "\n".join(lines)
            + "\n</section>\n")
    return _Draft("text/title.xhtml", "title-page", m.title, body, m.language, "front-matter")


def contents_page(book: Book, appendix: bool = False) -> _Draft:
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
    back = []
    if appendix:
        back.append(f'<li class="contents-back"><a href="{ref("notes-appendix")}">'
                    f'{esc(book.label("notes"))}</a></li>\n')
    if any(bs.disclaimers == "credits" for bs in book.stories):
        back.append(f'<li class="contents-back"><a href="credits.xhtml">'
                    f'{esc(book.label("credits"))}</a></li>\n')
    title = book.label("contents")
    body = (f'<section class="contents" epub:type="toc">\n<h1 class="contents-title">{esc(title)}</h1>\n'
            f'<ol class="contents">\n{"".join(parts)}{"".join(back)}</ol>\n</section>\n')
    return _Draft("text/contents.xhtml", "contents-page", title, body, book.meta.language,
                  "front-matter")


def part_page(book: Book, part_no: int, title: str) -> _Draft:
    body = (f'<section class="part" epub:type="part">\n<h1 class="part-title">{esc(title)}</h1>\n'
            "</section>\n")
    return _Draft(f"text/part{part_no:02d}.xhtml", f"part{part_no:02d}", title, body,
                  book.meta.language, "front-matter")


def story_card(book: Book, bs: BookStory, notes: list[str]) -> str:
    """The story's card: title, author, facts (`words` among them), then `notes`."""
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
             f'<dl class="story-meta">{dl}</dl>', *notes]
    return (f'<section class="story-card" id="{bs.key}">\n' + "\n".join(parts) + "</section>\n")


def card_notes(bs: BookStory, writer: StoryWriter) -> list[str]:
    """The card's summary and leading notes, placed (and reported) before the chapters'."""
    story = bs.story
    parts: list[str] = []
    if story.summary:
        parts.append(writer.note(Note("summary", story.summary)))
    # Disclaimers on the card: the story's own, wherever it put them, each once, in the
    # place of the first one among the leading notes (or after them).
    disclaimers = story_disclaimers(story) if bs.disclaimers == "story" else []
    shown = False
    for note in story.front_notes:
        if _is_disclaimer(note):
            if disclaimers and not shown:
                parts.extend(writer.note(d) for d in disclaimers)
                shown = True
            elif bs.disclaimers == "drop":
                writer.placed(note)  # reports it
            continue
        html = writer.placed(note)
        if html:
            parts.append(html)
    if disclaimers and not shown:
        parts.extend(writer.note(d) for d in disclaimers)
    return parts


def render_story(book: Book, bs: BookStory, writer: StoryWriter) -> tuple[list[_Draft], NavEntry]:
    story = bs.story
    lang = story.meta.language or book.meta.language
    label = story_label(bs, book)
    notes = card_notes(bs, writer)
    drafts: list[_Draft] = []
    chapter_navs: list[NavEntry] = []
    n = len(story.chapters)
    for c_no, chapter in enumerate(story.chapters, 1):
        writer.chapter = c_no
        trailing = story.end_notes if c_no == n else ()
        chapter_drafts = render_chapter(book, bs, chapter, c_no, n, trailing, writer, lang)
        drafts.extend(chapter_drafts)
        title = chapter.title or f"{book.label('chapter')} {c_no}"
        chapter_navs.append(NavEntry(title, chapter_drafts[0].name))
    writer.chapter = None
    if writer.story_end:
        drafts.append(story_notes(book, bs, writer, lang))
    # The card comes first but is written last: its word count is made from the texts
    # the chapters' writing gathered.
    story.count_words_of(writer.texts)
    drafts.insert(0, _Draft(f"text/{bs.key}-card.xhtml", f"{bs.key}-card", story.meta.title,
                            story_card(book, bs, notes), lang, "story-card-page"))
    nav = NavEntry(label, drafts[0].name, tuple(chapter_navs) if n > 1 else ())
    return drafts, nav


def render_chapter(book: Book, bs: BookStory, chapter: Chapter, c_no: int, n: int,
                   trailing: tuple[Note, ...], writer: StoryWriter, lang: str) -> list[_Draft]:
    base = f"{bs.key}-c{c_no:02d}"
    heading = ""
    if chapter.title or n > 1:
        title = chapter.title or f"{book.label('chapter')} {c_no}"
        heading = f'<h2 class="chapter-title">{esc(title)}</h2>\n'
    summary = writer.note(Note("summary", chapter.summary)) if chapter.summary else ""
    chunks = _split(writer.each(chapter.blocks)) or [""]
    # The story's trailing notes belong after the text, not in the last chapter.
    writer.chapter = None
    trailing_html = "".join(writer.placed(note) for note in trailing)
    drafts = []
    title = chapter.title or bs.story.meta.title
    for i, chunk in enumerate(chunks):
        first, last = i == 0, i == len(chunks) - 1
        name = base if first else f"{base}-{i + 1}"
        body = (f'<section class="chapter" epub:type="chapter" id="{name}">\n'
                f'{heading + summary if first else ""}{chunk}</section>\n'
                f'{trailing_html if last else ""}')
        drafts.append(_Draft(f"text/{name}.xhtml", name, title, body, lang, "chapter-page"))
    return drafts


def story_notes(book: Book, bs: BookStory, writer: StoryWriter, lang: str) -> _Draft:
    """`notes: story-end`: the story's notes gathered after its text, in the author's order."""
    items = []
    for origin, note in writer.story_end:
        where = f'<p class="note-origin">{esc(origin)}</p>\n' if origin else ""
        items.append(where + writer.note(note))
    name = f"{bs.key}-notes"
    title = f"{bs.story.meta.title}: {book.label('notes')}"
    body = (f'<section class="story-notes" id="{name}">\n'
            f'<h2 class="story-notes-title">{esc(book.label("notes"))}</h2>\n'
            + "".join(items) + "</section>\n")
    return _Draft(f"text/{name}.xhtml", name, title, body, lang, "back-matter")


def notes_appendix(book: Book, notes: list[_AppendixNote], writer: BlockWriter) -> list[_Draft]:
    """`notes: appendix`: every moved note, grouped by story, linked both ways."""
    blocks: list[str] = []
    current: BookStory | None = None
    for an in notes:
        if an.story is not current:
            if current is not None:
                blocks.append("</ol>\n")
            current = an.story
            blocks.append(f'<h2 class="notes-story">{esc(story_label(an.story, book))}</h2>\n'
                          '<ol class="appendix-notes">\n')
        where = f'<p class="note-origin">{esc(an.origin)}</p>' if an.origin else ""
        back = (f'<p class="note-back"><a href="{ref(f"noteref-{an.number:03d}")}" '
                f'role="doc-backlink">{esc(book.label("back-to-text"))}</a></p>')
        blocks.append(f'<li class="appendix-note" id="note-{an.number:03d}" epub:type="endnote">'
                      f'{where}{writer.note(an.note)}{back}</li>\n')
    blocks.append("</ol>\n")
    # A story's list may straddle a split: close and reopen it around each cut.
    chunks = _split(blocks, closing="</ol>\n", reopen='<ol class="appendix-notes">\n')
    title = book.label("notes")
    drafts = []
    for i, chunk in enumerate(chunks):
        name = "notes" if i == 0 else f"notes-{i + 1}"
        head = (f'<h1 class="notes-appendix-title">{esc(title)}</h1>\n' if i == 0 else "")
        anchor = ' id="notes-appendix"' if i == 0 else ""
        body = (f'<section class="notes-appendix" epub:type="endnotes"{anchor}>\n{head}{chunk}'
                "</section>\n")
        drafts.append(_Draft(f"text/{name}.xhtml", name, title, body, book.meta.language,
                             "back-matter"))
    return drafts


def credits_page(book: Book, writer: BlockWriter) -> _Draft:
    """`disclaimers: credits`: every story's title, author, source and disclaimers."""
    items = []
    for bs in book.stories:
        meta = bs.story.meta
        author = _join_names(meta.authors) if meta.authors else book.label("unknown-author")
        lines = [f'<h2 class="credit-title"><a href="{bs.key}-card.xhtml">{esc(meta.title)}</a></h2>',
                 f'<p class="credit-author">{esc(author)}</p>']
        if meta.source:
            lines.append(f'<p class="credit-source">{esc(book.label("source"))}: '
                         f'{esc(meta.source)}</p>')
        if bs.disclaimers == "credits":
            lines.extend(writer.note(d) for d in story_disclaimers(bs.story))
        items.append('<div class="credit">\n' + "\n".join(lines) + "\n</div>\n")
    title = book.label("credits")
    body = (f'<section class="credits" epub:type="credits">\n'
            f'<h1 class="credits-title">{esc(title)}</h1>\n' + "".join(items) + "</section>\n")
    return _Draft("text/credits.xhtml", "credits", title, body, book.meta.language, "back-matter")


_SCENE_BREAK = '<hr class="scene-break"'


def _split(rendered: list[str], closing: str = "", reopen: str = "") -> list[str]:
    """Group rendered blocks into chunks under MAX_DOC_BYTES, preferring scene breaks.

    `closing`/`reopen` wrap a cut that falls inside an open list (the notes appendix).
    """
    if sum(map(len, rendered)) <= MAX_DOC_BYTES:
        return _one_chunk(rendered)  # most chapters: the loop below would never cut
    chunks: list[list[str]] = [[]]
    size = 0
    for html in rendered:
        if not html:
            continue
        if size + len(html) > MAX_DOC_BYTES and chunks[-1] and html != closing:
            # Move back to the last scene break in this chunk, if it is not too far back.
            current = chunks[-1]
            cut = max((i for i, h in enumerate(current) if h.startswith(_SCENE_BREAK)),
                      default=-1)
            if cut > len(current) // 2:
                chunks[-1], rest = current[:cut], current[cut + 1:]
                chunks.append(rest)
            else:
                chunks.append([])
            size = sum(len(h) for h in chunks[-1])
            if closing and chunks[-2][-1] != closing and not html.startswith("<h2"):
                chunks[-2].append(closing)
                chunks[-1].insert(0, reopen)
        if not chunks[-1] and html.startswith(_SCENE_BREAK):
            continue  # never a scene break at the start of a file
        chunks[-1].append(html)
        size += len(html)
    return ["".join(c) for c in chunks if c]


def _one_chunk(rendered: list[str]) -> list[str]:
    """`_split` of blocks that fit in one file: all of them, but leading scene breaks."""
    for i, html in enumerate(rendered):
        if html and not html.startswith(_SCENE_BREAK):
            return ["".join(rendered[i:])]
    return []


def _join_names(names: tuple[str, ...]) -> str:
    if len(names) <= 2:
        return " & ".join(names)
    return ", ".join(names[:-1]) + " & " + names[-1]


def _number(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else str(x)
