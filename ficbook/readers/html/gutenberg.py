"""Project Gutenberg's HTML editions, old and new: the card from the edition's metadata,
its boilerplate (`#pg-header`, `#pg-footer`, a `<pre>` header, everything outside the
START/END markers, `Produced by`, transcriber's notes) and page numbers (`.pagenum`)
dropped and listed, chapters from the book's own headings."""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from ficbook.errors import StoryError
from ficbook.model import Block, Chapter, ListBlock, Note, Paragraph, SceneBreak, Story, StoryMeta, Table
from ficbook.readers.html.blocks import blocks_of, tidy
from ficbook.readers.html.common import finish_blocks, language_code, page_title, story_chapters
from ficbook.readers.html.context import PageContext
from ficbook.readers.html.tree import find_tag, find_tags, text_of

_START = re.compile(r"\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG", re.IGNORECASE)
_END = re.compile(r"\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG|^\s*End of (?:the )?Project "
                  r"Gutenberg", re.IGNORECASE)
_EBOOK_OF = re.compile(r"Project Gutenberg(?:'s)? e-?(?:book|text) of (?P<title>.+?)"
                       r"(?:,\s+by\s+(?P<author>.+?))?\s*$", re.IGNORECASE)
_FIELD = re.compile(r"^\s*(Title|Author|Language)\s*:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_EDITION = re.compile(r"^\s*(?:\[?Transcriber['’]s Notes?|Produced by|E-?text prepared by|Transcribed from)\b",
                      re.IGNORECASE)
_EDITION_CLASS = re.compile(r"^(?:transnote|tnote|transcriber\w*|tn)$", re.IGNORECASE)
_HEADINGS = ("h1", "h2", "h3", "h4")


def is_gutenberg(soup: BeautifulSoup, raw: str) -> bool:
    if soup.find(id=re.compile(r"^pg-(?:header|footer)$")):
        return True
    head = raw[:20000]
    return bool(_START.search(head) and (_EBOOK_OF.search(head) or _END.search(raw[-30000:])))


def read_gutenberg(soup: BeautifulSoup, ctx: PageContext, keep_boilerplate: bool = False) -> Story:
    fields = _fields(soup)
    dropped: list[str] = []
    body = soup.body or soup
    pages = find_tags(body, cls="pagenum")
    for tag in pages:
        tag.decompose()
    if pages:
        ctx.info("chrome-dropped", f"{len(pages)} page numbers (.pagenum)")
    for tag in list(body.find_all(id=re.compile(r"^pg-(?:header|footer)$"))) + \
            list(find_tags(body, cls="pg-boilerplate")):
        if tag.parent is not None:
            _drop(tag, "Project Gutenberg boilerplate", ctx, dropped)
    for pre in list(body.find_all("pre")):
        if "project gutenberg" in text_of(pre).lower():
            _drop(pre, "Project Gutenberg header", ctx, dropped)
    _cut_outside_markers(body, ctx, dropped)
    for tag in list(body.find_all(True)):
        if tag.parent is None or vars(tag).get("_decomposed"):
            continue
        cls = " ".join(tag.get("class") or [])
        if any(_EDITION_CLASS.match(c) for c in cls.split()):
            _drop(tag, "transcriber's note", ctx, dropped)
        elif tag.name in ("p", "div") and _EDITION.match(text_of(tag)) and len(text_of(tag)) < 600:
            _drop(tag, "edition note", ctx, dropped)
    chapters = _book_front(_chapters(body, ctx, str(fields.get("title") or "")), ctx,
                           dropped)
    chapters, end = _footnotes(chapters, ctx)
    if not any(b for c in chapters for b in c.blocks):
        raise StoryError("no story text: the file holds only Project Gutenberg boilerplate",
                         file=ctx.name)
    front: tuple[Note, ...] = ()
    if keep_boilerplate and dropped:
        from ficbook.model import Paragraph, Text

        front = (Note("disclaimer", tuple(Paragraph((Text(t),)) for t in dropped),
                      label="Project Gutenberg"),)
    meta = StoryMeta(title=str(fields.get("title") or "Untitled"),
                     authors=tuple(fields.get("authors", ())),
                     language=fields.get("language"))
    return Story(meta=meta, chapters=story_chapters(chapters, ctx.name), front_notes=front,
                 end_notes=end, path=ctx.name)


# The book's notes gathered after its last chapter under their own heading, each one
# opening with its mark: "[1] …", "1. …", "* …".
_NOTES_HEADING = re.compile(r"\s*(?:foot\s*notes|end\s*notes|notes|anmerkungen|fußnoten|notas|"
                            r"note|примечания|przypisy)\s*[:.]?\s*", re.IGNORECASE)
_NOTE_MARK = re.compile(r"\s*(?:\[\w{1,4}\]|\(\d{1,3}\)|\d{1,3}[.)]|[*†‡§])")


def _footnotes(chapters: list[Chapter], ctx: PageContext) -> tuple[list[Chapter], tuple[Note, ...]]:
    """A last section headed "FOOTNOTES" whose paragraphs each open with a note's mark: the
    book's notes, after the story (as a Markdown file's footnotes), not its last chapter."""
    from ficbook.text import block_text

    if len(chapters) < 2:
        return chapters, ()
    *story, last = chapters
    if not last.title or not _NOTES_HEADING.fullmatch(last.title) or not last.blocks \
            or not all(isinstance(b, Paragraph) and _NOTE_MARK.match(block_text(b)) for b in last.blocks):
        return chapters, ()
    label = last.title.rstrip(":. ")
    ctx.info("author-note", f"{label}: the book's {len(last.blocks)} notes after its last chapter, set apart")
    return story, (Note("author-note", last.blocks, label=label),)


def _fields(soup: BeautifulSoup) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def meta(name: str) -> str | None:
        tag = soup.find("meta", attrs={"name": re.compile(rf"^(?:dc|dcterms)\.{name}$", re.I)})
        return str(tag.get("content")).strip() if isinstance(tag, Tag) and tag.get("content") \
            else None

    title, creator, lang = meta("title"), meta("creator"), meta("language")
    header = find_tag(soup, id="pg-machine-header") or soup.find("pre")
    text = header.get_text("\n") if isinstance(header, Tag) else ""
    found = {m.group(1).lower(): m.group(2) for m in _FIELD.finditer(text)}
    title = title or found.get("title")
    author = found.get("author")
    if creator and not author:
        # "Winslow, Thea" -> "Thea Winslow"; dates after a second comma dropped
        parts = [p.strip() for p in creator.split(",")]
        author = f"{parts[1]} {parts[0]}" if len(parts) >= 2 and not parts[1][:1].isdigit() \
            else parts[0]
    m = _EBOOK_OF.search(page_title(soup) or "")
    if m:
        title = title or m.group("title")
        author = author or m.group("author")
    if title:
        out["title"] = " ".join(title.split())
    if author:
        out["authors"] = tuple(a.strip() for a in re.split(r"\s+and\s+|;", author) if a.strip())
    code = language_code(lang or found.get("language"))
    if code:
        out["language"] = code
    return out


def _drop(tag: Tag, what: str, ctx: PageContext, dropped: list[str]) -> None:
    text = text_of(tag)
    if text:
        dropped.append(text)
        short = " ".join(text.split())
        ctx.info("chrome-dropped", f"{what}: “{short[:80]}{'…' if len(short) > 80 else ''}” "
                                   f"({len(text.split())} words)")
    tag.decompose()


def _cut_outside_markers(body: Tag, ctx: PageContext, dropped: list[str]) -> None:
    """Old editions without `#pg-header`: everything up to the START marker's element and
    from the END marker's element on, at the body's top level."""
    children = [c for c in body.children if isinstance(c, Tag)]
    start = next((k for k, c in enumerate(children) if _START.search(text_of(c))), None)
    if start is not None:
        for c in children[:start + 1]:
            _drop(c, "Project Gutenberg header", ctx, dropped)
        children = children[start + 1:]
    end = next((k for k, c in enumerate(children) if _END.search(text_of(c))), None)
    if end is not None:
        for c in children[end:]:
            _drop(c, "Project Gutenberg licence", ctx, dropped)


def _chapters(body: Tag, ctx: PageContext, title: str) -> list[Chapter]:
    """Split at the book's chapter headings: the heading level that occurs most often
    (twice or more) below the title's."""
    counts = {h: len(body.find_all(h)) for h in _HEADINGS}
    level = next((h for h in _HEADINGS[1:] if counts[h] >= 2), None) or \
        next((h for h in _HEADINGS if counts[h] >= 2), None)
    chapters: list[Chapter] = []
    current: str | None = None
    blocks: list[Block] = []
    for child in list(body.children):
        if isinstance(child, Tag) and child.name == level:
            if blocks or chapters or current is not None:
                chapters.append(Chapter(current, finish_blocks(tidy(blocks))))
            current, blocks = _heading(child), []
            continue
        if isinstance(child, Tag) and child.name in _HEADINGS and \
                _same(text_of(child), title):
            ctx.info("chrome-dropped", f"title page repeated: “{text_of(child)}”")
            continue
        wrapper = BeautifulSoup("", "html.parser").new_tag("div")
        wrapper.append(child.extract() if isinstance(child, Tag) else child.extract())
        blocks.extend(blocks_of(wrapper, ctx))
    chapters.append(Chapter(current, finish_blocks(tidy(blocks))))
    return [c for c in chapters if c.blocks or c.title]


# Leading sections looked at for the printed book's front matter (title page, "By NAME",
# contents, the title again), and the chapters that must remain after them.
_FRONT_SECTIONS = 5


def _book_front(chapters: list[Chapter], ctx: PageContext, dropped: list[str]) -> list[Chapter]:
    """The printed book's front matter, cut by its headings into sections of its own
    (`By Lewis Carroll`, `Contents`, the title again): leading sections holding no prose,
    verse or note (`layouts.bookmatter.kind` on each paragraph's lines; a table or a list
    is matter) are not chapters. Dropped and listed; the first section with text stops it."""
    from ficbook.readers.layouts.bookmatter import kind
    from ficbook.text import block_text

    def matter(c: Chapter) -> bool:
        for b in c.blocks:
            if isinstance(b, (Table, ListBlock, SceneBreak)):
                continue
            if not isinstance(b, Paragraph):
                return False  # a quotation, an epigraph, a note: the book's text
            lines = [ln.strip() for ln in block_text(b).split("\n") if ln.strip()]
            if lines and (kind(lines) != "matter" or _sentence(" ".join(lines))):
                return False
        return True

    k = 0
    while k < min(_FRONT_SECTIONS, len(chapters) - 2) and matter(chapters[k]):
        k += 1
    for c in chapters[:k]:
        text = " ".join(filter(None, [c.title or "", *(block_text(b) for b in c.blocks)]))
        if text.strip():
            dropped.append(text)
        short = " ".join(text.split())
        ctx.info("chrome-dropped", f"the printed book's front matter: “{short[:80]}"
                                   f"{'…' if len(short) > 80 else ''}” ({len(text.split())} words)")
    return chapters[k:]


# A line of the printing history: "Reprinted April, June 1891; March 1892.", "Kelmscott
# Press Edition, 1892.", "First printed serially in the Commonweal, 1890."
_PRINTING = re.compile(r"(?=.*\b(?:1[5-9]|20)\d\d\b)(?=.*\b(?:(?:re)?print(?:ed|ing)|impression|edition)\b)",
                       re.IGNORECASE)


def _sentence(text: str) -> bool:
    """A sentence of a few words in lower case: story text, however short (a title page
    shouts, a contents line ends in its page number, a printing history names years)."""
    from ficbook.readers.layouts.bookmatter import shouts

    return len(text.split()) >= 6 and text.rstrip().endswith((".", "!", "?", "…", "\"", "”", "»")) \
        and not shouts(text) and not _PRINTING.match(text)


def _heading(tag: Tag) -> str:
    """The heading's text, its lines (at `<br>`) joined by a colon: `CHAPTER I.<br>THE
    GLASSBLOWER` -> `CHAPTER I: THE GLASSBLOWER`; the text of inline elements runs on
    (`<a>II</a>. Papa se fâche.` -> `II. Papa se fâche`)."""
    lines = [""]
    for node in tag.descendants:
        if isinstance(node, Tag) and node.name == "br":
            lines.append("")
        elif isinstance(node, NavigableString) and not isinstance(node, Comment):
            lines[-1] += str(node)
    parts = [" ".join(p.split()) for p in lines if p.strip()]
    if len(parts) > 1:
        return f"{parts[0].rstrip('.')}: {' '.join(parts[1:])}"
    return parts[0].rstrip(".") if parts else ""


def _same(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(s.replace("’", "'").split()).lower().strip(" .")
    return bool(b) and norm(a) == norm(b)
