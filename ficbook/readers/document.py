"""Files writers write (DOCX, ODT, Markdown, FB2): each reader turns its file into plain
HTML and its metadata into card fields; this module makes the Story: the headings
become chapters (Word's `Heading 1`, Markdown's `#`, FB2's sections), the rest goes
through the same HTML block reader as saved pages, and then the same rules run."""

from __future__ import annotations

from dataclasses import dataclass, field

from bs4 import PageElement, Tag

from ficbook.model import Block, BlockQuote, Chapter, Epigraph, Note, Paragraph, Story, StoryMeta
from ficbook.readers.html.blocks import blocks_of, tidy
from ficbook.readers.html.common import finish_blocks, heading_text, story_chapters
from ficbook.readers.html.context import PageContext
from ficbook.readers.html.tree import parse, text_of
from ficbook.text import block_text

_LEVELS = ("h1", "h2", "h3")


@dataclass
class Document:
    """What a format reader found: its HTML and the card fields its metadata gives."""

    html: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    summary: tuple[Block, ...] = ()
    tags: tuple[str, ...] = ()
    end_notes: tuple[Note, ...] = ()
    diagnostics: list = field(default_factory=list)


def story_of(doc: Document, ctx: PageContext, fallback_title: str) -> Story:
    soup = parse(doc.html)
    body = soup.body or soup
    counts = {h: len(body.find_all(h)) for h in _LEVELS}
    title = doc.title
    first = next((c for c in body.children if isinstance(c, Tag)), None)
    level: str | None = None
    if first is not None and first.name in _LEVELS and title and _same(text_of(first), title):
        ctx.info("chrome-dropped", f"title repeated “{text_of(first)}”")
        counts[first.name] -= 1
        first.decompose()
        first = next((c for c in body.children if isinstance(c, Tag)), None)
    if counts["h1"] == 1 and first is not None and first.name == "h1" and (
            counts["h2"] or not title):
        # a document that opens with its one top heading: the title, chapters below it
        title = title or text_of(first)
        ctx.info("header-field", f"title: “{text_of(first)}” (the document's first heading)")
        first.decompose()
        level = "h2" if counts["h2"] else None
    elif counts["h1"] >= 1:
        level = "h1"
    elif counts["h2"] >= 1:
        level = "h2"
    chapters = _opening_quote(_split(body, level, ctx), ctx)
    meta = StoryMeta(title=title or fallback_title, authors=doc.authors, language=doc.language,
                     tags=doc.tags)
    return Story(meta=meta, chapters=story_chapters(chapters, ctx.name), summary=doc.summary,
                 end_notes=doc.end_notes, path=ctx.name)


def _split(body: Tag, level: str | None, ctx: PageContext) -> list[Chapter]:
    chapters: list[Chapter] = []
    current: str | None = None
    run: list[PageElement] = []

    def close() -> None:
        holder = parse("<div></div>").div
        assert holder is not None
        for node in run:
            holder.append(node)
        blocks: list[Block] = tidy(blocks_of(holder, ctx))
        if blocks or current is not None:
            chapters.append(Chapter(current, finish_blocks(blocks)))

    for child in list(body.children):
        if isinstance(child, Tag) and level is not None and child.name == level:
            if run or chapters or current is not None:
                close()
            current, run = " ".join(heading_text(child).split()) or None, []
            ctx.info("chapter", f"chapter heading “{current}”")
            continue
        run.append(child.extract())
    close()
    return chapters


# Words a quotation before the first chapter may have and still be the work's epigraph
# (a motto, a line crediting the original: "Fan fiction on Tolkien's world").
_EPIGRAPH_WORDS = 80


def _opening_quote(chapters: list[Chapter], ctx: PageContext) -> list[Chapter]:
    """A short quotation alone before the first of several chapters is the first
    chapter's epigraph, not an untitled chapter of its own."""
    if len(chapters) < 3 or chapters[0].title is not None or chapters[1].title is None:
        return chapters
    blocks = chapters[0].blocks
    quotes = [b for b in blocks if isinstance(b, BlockQuote)]
    if not blocks or len(quotes) < len(blocks):
        return chapters
    inner = [p for q in quotes for p in q.blocks]
    paras = [p for p in inner if isinstance(p, Paragraph)]
    if len(paras) < len(inner) or sum(len(block_text(p).split()) for p in paras) > _EPIGRAPH_WORDS:
        return chapters
    ctx.info("epigraph", f"the quotation before the first chapter “{block_text(paras[0])[:50]}” "
                         "is its epigraph")
    first = chapters[1]
    epigraph = Epigraph(tuple(paras), ())
    return [Chapter(first.title, (epigraph, *first.blocks), first.line, first.summary),
            *chapters[2:]]


def _same(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(s.replace("’", "'").split()).lower()
    return norm(a) == norm(b)
