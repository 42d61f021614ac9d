"""Archive of Our Own downloads (HTML, and the inside of AO3's EPUBs).

The layout is otwarchive's `app/views/downloads/`: `#preface` (a message with the work
URL, `dl.tags`, `h1` title, `.byline`, Summary and Notes blockquotes), `#chapters`
(per chapter a `div.meta.group` with `h2.heading`, summary and notes, then
`div.userstuff`, then `div.meta#endnotesN`) and `#afterword` (end notes, works inspired
by this one, and the "please drop by the Archive and comment" line, which is chrome).

AO3 makes its EPUBs with calibre, which renames the classes (`_ao3_classes`): `userstuff`
becomes `userstuff1`, `userstuff2`…, and a class with no style of its own (`meta group`,
the preface's `meta`) becomes `calibre1`. So the chapter's meta group is also known by
the `.heading` it holds, and the preface's by its `.byline`.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup, Tag

from ficbook.model import Block, Chapter, Note, Story, StoryMeta
from ficbook.readers.html.blocks import blocks_of, tidy
from ficbook.readers.html.common import ao3_stats, classes, finish_blocks, language_code, split_list, story_chapters
from ficbook.readers.html.context import PageContext
from ficbook.readers.html.tree import find_tag, find_tags, text_of


def is_ao3(soup: BeautifulSoup) -> bool:
    preface = find_tag(soup, id="preface")
    if preface is None:
        return False
    message = preface.find("p", class_="message")
    return bool(preface.find("dl", class_="tags") or (
        message and "archive of our own" in text_of(message).lower()) or find_tag(soup, id="chapters"))


# dt label (lower case, no colon, singular) -> field
_TAGS = {
    "rating": "rating", "archive warning": "warnings", "fandom": "fandoms",
    "relationship": "pairings", "character": "characters", "additional tag": "tags",
    "category": "category", "language": "language", "series": "series",
    "collection": "collections", "stat": "stats",
}


def _label(text: str) -> str:
    label = text.strip().rstrip(":").strip().lower()
    return label[:-1] if label.endswith("s") and label[:-1] in _TAGS else label


def read_ao3(soup: BeautifulSoup, ctx: PageContext) -> Story:
    preface = _joined(soup, "preface")
    assert isinstance(preface, Tag)
    fields: dict[str, Any] = {}
    extra: list[tuple[str, str]] = []
    dl = preface.find("dl", class_="tags")
    if isinstance(dl, Tag):
        for dt in dl.find_all("dt"):
            dd = dt.find_next_sibling("dd")
            if not isinstance(dd, Tag):
                continue
            label, value = _label(text_of(dt)), text_of(dd)
            key = _TAGS.get(label)
            if key in ("fandoms", "pairings", "characters", "tags", "warnings"):
                # Tags are links: read them one by one, commas inside a tag stay.
                links = [text_of(a) for a in dd.find_all("a")]
                fields[key] = tuple(v for v in links if v) or split_list(value)
            elif key == "rating":
                fields["rating"] = value
            elif key == "category":
                extra.append(("Relationship type", value))
            elif key == "language":
                fields["language"] = language_code(value)
                if fields["language"] is None:
                    ctx.info("language-unknown", f"AO3 language {value!r} not recognised")
            elif key == "series":
                m = re.match(r"Part\s+(\d+)\s+of\s+(.+?)(?:,\s*Part\s+\d+\s+of.*)?$", value)
                fields["series"] = m.group(2).strip() if m else value
                extra.append(("Series", value))
            elif key == "collections":
                extra.append(("Collections", value))
            elif key == "stats":
                fields.update(ao3_stats(value))
            else:
                extra.append((text_of(dt).rstrip(":"), value))

    byline_div = find_tag(preface, cls="byline")
    meta_div = preface.find("div", class_="meta") or (
        byline_div.parent if isinstance(byline_div, Tag) and isinstance(byline_div.parent, Tag) else preface)
    h1 = meta_div.find("h1")
    message = preface.find("p", class_="message")
    title = text_of(h1) if h1 else ""
    bold = message.find("b") if isinstance(message, Tag) else None
    if not title and isinstance(bold, Tag):
        title = text_of(bold)
    byline = find_tag(meta_div, cls="byline")
    authors: tuple[str, ...] = ()
    if isinstance(byline, Tag):
        links = [text_of(a) for a in byline.find_all("a")]
        authors = tuple(a for a in links if a) or tuple(
            a.strip() for a in re.split(r",| and ", re.sub(r"^by\s+", "", text_of(byline))) if a.strip())
    if isinstance(message, Tag):
        for a in message.find_all("a"):
            href = str(a.get("href") or "")
            if "/works/" in href:
                fields["source"] = href
                break
        ctx.info("chrome-dropped", "AO3 preface message (\"Posted originally on the Archive…\")")

    summary, front = _preface_notes(meta_div, ctx)
    related = meta_div.find("ul", recursive=False)
    if isinstance(related, Tag):
        for li in related.find_all("li"):
            extra.append(("Related work", text_of(li)))

    chapters = _chapters(soup, ctx)
    end_notes = _afterword(soup, ctx, extra)
    meta = StoryMeta(title=title or "Untitled", authors=authors, extra=tuple(extra),
                     **fields)
    return Story(meta=meta, chapters=story_chapters(chapters, ctx.name), summary=summary,
                 front_notes=front, end_notes=end_notes, path=ctx.name)


def _labelled_blocks(container: Tag, ctx: PageContext) -> list[tuple[str, Tag]]:
    """AO3's `<p>Label</p><blockquote class="userstuff">…</blockquote>` pairs, in order."""
    out: list[tuple[str, Tag]] = []
    label = ""
    for child in container.children:
        if not isinstance(child, Tag):
            continue
        if child.name == "p" and not _ao3_classes(child):
            label = text_of(child).rstrip(":").strip().lower()
        elif child.name == "blockquote":
            out.append((label, child))
        elif "endnote-link" in classes(child):
            ctx.info("chrome-dropped", f"AO3 link line: {text_of(child)!r}")
    return out


def _preface_notes(meta_div: Tag, ctx: PageContext) -> tuple[tuple[Block, ...], tuple[Note, ...]]:
    summary: tuple[Block, ...] = ()
    front: list[Note] = []
    for label, quote in _labelled_blocks(meta_div, ctx):
        blocks = tuple(tidy(blocks_of(quote, ctx)))
        if not blocks:
            continue
        if label == "summary":
            summary = blocks
        else:
            front.append(Note("author-note", blocks, label="Notes"))
    return summary, tuple(front)


def _chapters(soup: BeautifulSoup, ctx: PageContext) -> list[Chapter]:
    # An EPUB split into files repeats the `#chapters` wrapper in each: read them all.
    roots = find_tags(soup, id="chapters") or [soup.body or soup]
    children = [c for r in roots for c in r.children if isinstance(c, Tag)]
    groups = [c for c in children if _is_meta_group(c)]
    if not groups:
        texts = [c for c in children if c.name == "div" and "userstuff" in _ao3_classes(c)]
        blocks: list[Block] = []
        for t in texts or roots:
            blocks.extend(_text(t, ctx))
        return [Chapter(None, finish_blocks(tidy(blocks)))]
    chapters: list[Chapter] = []
    title: str | None = None
    summary: tuple[Block, ...] = ()
    blocks = []
    started = False
    for child in children:
        cls = _ao3_classes(child)
        if _is_meta_group(child):
            if started:
                chapters.append(Chapter(title, finish_blocks(blocks), summary=summary))
            started, blocks, summary = True, [], ()
            heading = find_tag(child, cls="heading") or child.find(("h2", "h3"))
            title = text_of(heading) if heading else None
            for label, quote in _labelled_blocks(child, ctx):
                note_blocks = tuple(tidy(blocks_of(quote, ctx)))
                if not note_blocks:
                    continue
                if "summary" in label:
                    summary = note_blocks
                else:
                    blocks.append(Note("author-note", note_blocks, label="Chapter Notes"))
        elif "userstuff" in cls:
            blocks.extend(tidy(_text(child, ctx)))
        elif "meta" in cls or str(child.get("id") or "").startswith("endnotes"):
            for _, quote in _labelled_blocks(child, ctx):
                note_blocks = tuple(tidy(blocks_of(quote, ctx)))
                if note_blocks:
                    blocks.append(Note("author-note", note_blocks, label="Chapter End Notes"))
    if started:
        chapters.append(Chapter(title, finish_blocks(blocks), summary=summary))
    return chapters


def _joined(soup: BeautifulSoup, id_: str) -> Tag | None:
    """The element with this id, with the children of any later one of the same id moved
    into it: calibre splits an EPUB's preface and afterword over files, each part in its
    own copy of the wrapper (the first may be an empty page break)."""
    found = [t for t in find_tags(soup, id=id_) if isinstance(t, Tag)]
    for part in found[1:]:
        for child in list(part.children):
            found[0].append(child.extract())
    return found[0] if found else None


def _ao3_classes(tag: Tag) -> set[str]:
    """The tag's classes as AO3 named them: calibre's own (`calibre7`) dropped, the number
    it appends (`userstuff2`) taken off. AO3's class names never end in a digit."""
    return {re.sub(r"\d+$", "", k) for k in classes(tag) if not re.fullmatch(r"calibre\d*", k)}


def _is_meta_group(tag: Tag) -> bool:
    """A chapter's `div.meta.group`: by its classes, or (calibre renamed them) by the
    chapter heading it holds."""
    return tag.name == "div" and (
        {"meta", "group"} <= _ao3_classes(tag)
        or tag.find(class_="heading", recursive=False) is not None)


def _text(userstuff: Tag, ctx: PageContext) -> list[Block]:
    # On-site pages (and some old downloads) carry a hidden "Chapter Text" landmark.
    for landmark in find_tags(userstuff, cls="landmark"):
        landmark.decompose()
    return blocks_of(userstuff, ctx)


def _afterword(soup: BeautifulSoup, ctx: PageContext, extra: list[tuple[str, str]]) -> tuple[Note, ...]:
    after = _joined(soup, "afterword")
    if not isinstance(after, Tag):
        return ()
    notes: list[Note] = []
    endnotes = find_tag(after, id="endnotes")
    if isinstance(endnotes, Tag):
        for _, quote in _labelled_blocks(endnotes, ctx):
            blocks = tuple(tidy(blocks_of(quote, ctx)))
            if blocks:
                notes.append(Note("author-note", blocks, label="End Notes"))
    for dl in after.find_all("dl"):
        works = [text_of(dd) for dd in dl.find_all("dd")]
        if works:
            extra.append(("Works inspired by this one", "; ".join(works)))
    for message in after.find_all("p", class_="message"):
        ctx.info("chrome-dropped", f"AO3 afterword: {text_of(message)!r}")
    return tuple(notes)
