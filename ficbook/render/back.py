"""The back matter: the notes appendix (`notes: appendix`) and the credits page."""

from __future__ import annotations

from ficbook.model import Book, BookStory
from ficbook.render.blocks import BlockWriter
from ficbook.render.links import anchor_of, note_anchor, ref
from ficbook.render.rendition import Draft, esc
from ficbook.render.split import split
from ficbook.render.story import story_label
from ficbook.text import join_names

CREDITS = "text/credits.xhtml"
_CLOSE_LIST = "</ol>\n"
_OPEN_LIST = '<ol class="appendix-notes">\n'


def notes_appendix(book: Book, writer: BlockWriter) -> list[Draft]:
    """`notes: appendix`: every moved note, grouped by story, linked both ways."""
    blocks: list[str] = []
    anchors: dict[int, str] = {}
    current: BookStory | None = None
    for bs, moved in book.appendix:
        if bs is not current:
            if current is not None:
                blocks.append(_CLOSE_LIST)
            current = bs
            blocks.append(f'<h2 class="notes-story">{esc(story_label(bs))}</h2>\n' + _OPEN_LIST)
        note_id = note_anchor(moved)
        where = f'<p class="note-origin">{esc(moved.origin)}</p>' if moved.origin else ""
        back = (f'<p class="note-back"><a href="{ref(anchor_of(moved))}" '
                f'role="doc-backlink">{esc(book.label("back-to-text"))}</a></p>')
        anchors[len(blocks)] = note_id
        blocks.append(f'<li class="appendix-note" id="{note_id}" epub:type="endnote">'
                      f'{where}{writer.note(moved.note, _lang(book, bs))}{back}</li>\n')
    blocks.append(_CLOSE_LIST)
    # A story's list may straddle a split: close and reopen it around each cut.
    pieces = split(blocks, anchors, closing=_CLOSE_LIST, reopen=_OPEN_LIST)
    title = book.label("notes")
    drafts = []
    for i, piece in enumerate(pieces):
        name = "notes" if i == 0 else f"notes-{i + 1}"
        head = (f'<h1 class="notes-appendix-title">{esc(title)}</h1>\n' if i == 0 else "")
        anchor = ' id="notes-appendix"' if i == 0 else ""
        body = (f'<section class="notes-appendix" epub:type="endnotes" role="doc-endnotes"{anchor}>\n{head}'
                f'{piece.html}</section>\n')
        held = ("notes-appendix", *piece.anchors) if i == 0 else piece.anchors
        drafts.append(Draft(f"text/{name}.xhtml", name, title, body, book.meta.language,
                            "back-matter", held))
    return drafts


def credits_page(book: Book, writer: BlockWriter) -> Draft:
    """`disclaimers: credits`: every story's title, author, source and disclaimers."""
    items = []
    for bs in book.stories:
        meta = bs.story.meta
        author = join_names(meta.authors) if meta.authors else book.label("unknown-author")
        lines = [f'<h2 class="credit-title"><a href="{bs.key}-card.xhtml">{esc(meta.title)}</a></h2>',
                 f'<p class="credit-author">{esc(author)}</p>']
        if meta.source:
            lines.append(f'<p class="credit-source">{esc(book.label("source"))}: '
                         f'{esc(meta.source)}</p>')
        lines.extend(writer.note(d, _lang(book, bs)) for d in bs.credits)
        items.append('<div class="credit">\n' + "\n".join(lines) + "\n</div>\n")
    title = book.label("credits")
    body = (f'<section class="credits" epub:type="credits" role="doc-credits">\n'
            f'<h1 class="credits-title">{esc(title)}</h1>\n' + "".join(items) + "</section>\n")
    return Draft(CREDITS, "credits", title, body, book.meta.language, "back-matter")


def _lang(book: Book, bs: BookStory) -> str | None:
    """A story's language: its notes on the book's pages carry it."""
    return bs.story.meta.language or book.meta.language
