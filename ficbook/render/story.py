"""One story: its card, its chapters (split into files), its gathered notes."""

from __future__ import annotations

from ficbook.language import count_label, numbered
from ficbook.model import Book, BookStory, Chapter, Note, NoteRef
from ficbook.render.blocks import BlockWriter, lang_attr
from ficbook.render.links import anchor_of
from ficbook.render.rendition import Draft, NavEntry, esc
from ficbook.render.split import split
from ficbook.text import join_names


def story_label(bs: BookStory) -> str:
    authors = join_names(bs.story.meta.authors)
    return f"{bs.story.meta.title} \u2014 {authors}" if authors else bs.story.meta.title


def card_name(bs: BookStory) -> str:
    return f"text/{bs.key}-card.xhtml"


def render_story(book: Book, bs: BookStory, writer: BlockWriter) -> tuple[list[Draft], NavEntry]:
    story = bs.story
    lang = story.meta.language or book.meta.language
    writer.lang = lang  # the story's documents: labels in them carry the book's language
    try:
        return _render_story(book, bs, writer, lang)
    finally:
        writer.lang = book.meta.language


def _render_story(book: Book, bs: BookStory, writer: BlockWriter,
                  lang: str) -> tuple[list[Draft], NavEntry]:
    story = bs.story
    card = [writer.block(b) for b in bs.card]
    card_anchors = tuple(anchor_of(b) for b in bs.card if isinstance(b, NoteRef))
    drafts = [Draft(card_name(bs), f"{bs.key}-card", story.meta.title,
                    story_card(book, bs, card), lang, "story-card-page", card_anchors)]
    chapter_navs: list[NavEntry] = []
    n = len(bs.chapters)
    for c_no, chapter in enumerate(bs.chapters, 1):
        after = bs.after if c_no == n else ()
        chapter_drafts = render_chapter(book, bs, chapter, c_no, after, writer, lang)
        drafts.extend(chapter_drafts)
        title = chapter.title or numbered(book.label("chapter"), c_no)
        entry = NavEntry(title, chapter_drafts[0].name)
        if chapter.part:  # a part nests the chapters from this one to the next part
            # the part links to the file, the chapter to its heading under the part's
            # title: two targets in reading order (one target would have two play orders)
            entry = NavEntry(title, f"{chapter_drafts[0].name}#{bs.key}-c{c_no:02d}-title")
            chapter_navs.append(NavEntry(chapter.part, chapter_drafts[0].name, (entry,)))
        elif chapter_navs and chapter_navs[-1].children:
            last = chapter_navs[-1]
            chapter_navs[-1] = NavEntry(last.title, last.href, (*last.children, entry))
        else:
            chapter_navs.append(entry)
    if bs.story_end:
        drafts.append(story_notes(book, bs, writer, lang))
    nav = NavEntry(story_label(bs), drafts[0].name, tuple(chapter_navs) if n > 1 else ())
    return drafts, nav


def story_card(book: Book, bs: BookStory, notes: list[str]) -> str:
    """The story's card: title, author, facts (`words` among them), then `notes`."""
    story, meta = bs.story, bs.story.meta
    # the book's labels, marked with its language in a story written in another
    label_lang = lang_attr(book.meta.language, meta.language or book.meta.language)
    author = esc(join_names(meta.authors)) if meta.authors else None
    author_html = (f'<p class="story-author">{author}</p>' if author is not None else
                   f'<p class="story-author"{label_lang}>{esc(book.label("unknown-author"))}</p>')
    facts: list[tuple[str, str]] = []  # (a label the book prints, value)
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
    after: list[tuple[str, str]] = [(book.label(count_label(story.meta.language)), f"{bs.words:,}")]
    if len(story.chapters) > 1:
        after.append((book.label("chapters"), str(len(story.chapters))))
    if meta.source:
        after.append((book.label("source"), meta.source))
    dl = "".join([*(f"<dt{label_lang}>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts),
                  # the story's own header labels, in its words
                  *(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in meta.extra),
                  *(f"<dt{label_lang}>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in after)])
    parts = [f'<h1 class="story-title">{esc(meta.title)}</h1>', author_html,
             f'<dl class="story-meta">{dl}</dl>', *(html for html in notes if html)]
    return (f'<section class="story-card" id="{bs.key}">\n' + "\n".join(parts) + "</section>\n")


def render_chapter(book: Book, bs: BookStory, chapter: Chapter, c_no: int,
                   after: tuple, writer: BlockWriter, lang: str) -> list[Draft]:
    """The chapter in one file or more; `after`: the story's trailing notes, after the text."""
    n = len(bs.chapters)
    base = f"{bs.key}-c{c_no:02d}"
    heading = ""
    # "Chapter 3" for an untitled chapter is the book's label, in the book's language
    label_lang = "" if chapter.title else lang_attr(book.meta.language, lang)
    if chapter.title or n > 1:
        title = chapter.title or numbered(book.label("chapter"), c_no)
        heading = f'<h2 class="chapter-title"{label_lang}>{esc(title)}</h2>\n'
    if chapter.part and heading:
        heading = (f'<p class="part-title">{esc(chapter.part)}</p>\n'
                   f'<h2 class="chapter-title" id="{base}-title"{label_lang}>{esc(title)}</h2>\n')
    summary = writer.note(Note("summary", chapter.summary)) if chapter.summary else ""
    blocks = chapter.blocks
    anchors = ({i: anchor_of(b) for i, b in enumerate(blocks) if type(b) is NoteRef}
               if NoteRef in map(type, blocks) else None)
    pieces = split(writer.each(blocks), anchors)
    after_html = "".join(writer.block(b) for b in after)
    after_anchors = tuple(anchor_of(b) for b in after if isinstance(b, NoteRef))
    drafts = []
    title = chapter.title or bs.story.meta.title
    count = max(len(pieces), 1)
    for i in range(count):
        first, last = i == 0, i == count - 1
        piece = pieces[i].html if pieces else ""
        name = base if first else f"{base}-{i + 1}"
        body = (f'<section class="chapter" epub:type="chapter" role="doc-chapter" id="{name}">\n'
                f'{heading + summary if first else ""}{piece}</section>\n'
                f'{after_html if last else ""}')
        held = (pieces[i].anchors if pieces else ()) + (after_anchors if last else ())
        drafts.append(Draft(f"text/{name}.xhtml", name, title, body, lang, "chapter-page", held))
    return drafts


def story_notes(book: Book, bs: BookStory, writer: BlockWriter, lang: str) -> Draft:
    """`notes: story-end`: the story's notes gathered after its text, in the author's order."""
    items = []
    for moved in bs.story_end:
        where = f'<p class="note-origin">{esc(moved.origin)}</p>\n' if moved.origin else ""
        items.append(where + writer.note(moved.note))
    name = f"{bs.key}-notes"
    title = f"{bs.story.meta.title}: {book.label('notes')}"
    body = (f'<section class="story-notes" id="{name}">\n'
            f'<h2 class="story-notes-title"{lang_attr(book.meta.language, lang)}>'
            f'{esc(book.label("notes"))}</h2>\n'
            + "".join(items) + "</section>\n")
    return Draft(f"text/{name}.xhtml", name, title, body, lang, "back-matter")
