"""Blocks and inlines -> XHTML fragments. Notes are written where `assemble` left them."""

from __future__ import annotations

from ficbook.model import (
    Block,
    BlockQuote,
    Book,
    Epigraph,
    Image,
    Inline,
    LineBreak,
    ListBlock,
    Note,
    NoteRef,
    Paragraph,
    Resource,
    SceneBreak,
    Styled,
    Table,
    Text,
)
from ficbook.render.links import anchor_of, note_anchor, ref
from ficbook.render.rendition import esc

SCENE_BREAK = '<hr class="scene-break"/>\n'

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


def lang_attr(lang: str | None, context: str | None) -> str:
    """` lang="x" xml:lang="x"` for an element whose language is not its context's (the
    language itself: an en-GB note in an en-US book is not marked)."""
    if not lang or not context or _primary(lang) == _primary(context):
        return ""
    return f' lang="{esc(lang)}" xml:lang="{esc(lang)}"'


def _primary(tag: str) -> str:
    return tag.split("-", 1)[0].lower()


class BlockWriter:
    """Renders blocks; collects the images they show in `images`.

    `lang` is the language of the document being written (`render_story` sets a story's):
    the labels the book prints are in the book's language, and carry it where the
    document's differs; a story's note written on a book page carries the story's."""

    def __init__(self, book: Book, images: dict[str, Resource] | None = None):
        self.book = book
        self.images: dict[str, Resource] = images if images is not None else {}
        self.lang: str | None = book.meta.language

    def blocks(self, blocks: tuple[Block, ...]) -> str:
        return "".join(self.block(b) for b in blocks)

    def each(self, blocks: tuple[Block, ...]) -> list[str]:
        """`[self.block(b) for b in blocks]`, for a chapter's blocks (split into files later).

        A paragraph of one text without alignment (nine blocks in ten) is written here as
        `paragraph` writes it, without the call. esc() leaves white space alone and writes
        nothing for nothing, so the escaped body is blank exactly when the text is.
        """
        out: list[str] = []
        add = out.append
        for b in blocks:
            if type(b) is Paragraph and b.align is None:
                inlines = b.inlines
                if len(inlines) == 1 and type(inlines[0]) is Text:
                    text = inlines[0].text
                    add("" if not text or text.isspace() else f"<p>{esc(text)}</p>\n")
                    continue
            add(self.block(b))
        return out

    def block(self, b: Block) -> str:
        if type(b) is Paragraph:  # nine blocks in ten: skip the isinstance chain
            return self.paragraph(b)
        if isinstance(b, SceneBreak):
            return SCENE_BREAK
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
        if isinstance(b, NoteRef):
            return self.noteref(b)
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

    def note(self, note: Note, lang: str | None = None) -> str:
        """A note; `lang`: its text's language when that is not the document's (a story's
        note on the book's notes or credits page)."""
        text_lang = lang or self.lang
        own = lang_attr(text_lang, self.lang)
        label = (f'<p class="note-label"{lang_attr(self.book.meta.language, text_lang)}>'
                 f'{esc(self.book.label(note.kind))}</p>')
        if note.kind == "summary":
            return (f'<div class="summary" role="doc-abstract"{own}>{label}'
                    f'{self.blocks(note.blocks)}</div>\n')
        cls = "disclaimer" if note.kind == "disclaimer" else "author-note"
        if note.kind in ("feedback", "dedication"):
            cls = f"author-note {note.kind}"
        return f'<aside class="{cls}" role="note"{own}>{label}{self.blocks(note.blocks)}</aside>\n'

    def noteref(self, r: NoteRef) -> str:
        """The link left where a note moved to the notes appendix stood."""
        return (f'<p class="noteref"{lang_attr(self.book.meta.language, self.lang)}>'
                f'<a id="{anchor_of(r)}" epub:type="noteref" '
                f'role="doc-noteref" href="{ref(note_anchor(r))}">'
                f'{esc(self.book.label(r.kind))}</a></p>\n')
