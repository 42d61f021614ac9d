"""An AO3 work page saved from the browser (not the download): `#workskin` with its
preface (title, byline, summary, notes), `dl.work.meta` with the tags, `#chapters` with
each chapter's preface, text and end notes, and the work's end notes. The byline's
links are the authors (never the page's `<meta name="author">`, which names the site's
owner); the site's menus, kudos and comments are left out."""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup, Tag

from ficbook.model import Block, Chapter, Note, Story, StoryMeta
from ficbook.readers.html.blocks import blocks_of, tidy
from ficbook.readers.html.common import (
    classes,
    finish_blocks,
    language_code,
    source_url,
    story_chapters,
)
from ficbook.readers.html.context import PageContext
from ficbook.readers.html.tree import find_tag, find_tags, text_of

_LISTS = {"warning": "warnings", "fandom": "fandoms", "relationship": "pairings",
          "character": "characters", "freeform": "tags"}


def is_ao3_page(soup: BeautifulSoup) -> bool:
    skin = find_tag(soup, id="workskin")
    return isinstance(skin, Tag) and find_tag(skin, cls="byline") is not None and (
        soup.find("dl", class_="work") is not None or find_tag(soup, id="chapters") is not None)


def read_ao3_page(soup: BeautifulSoup, ctx: PageContext, raw: str) -> Story:
    skin = find_tag(soup, id="workskin")
    assert isinstance(skin, Tag)
    preface = find_tag(skin, cls="preface")
    fields: dict[str, Any] = {}
    extra: list[tuple[str, str]] = []
    dl = soup.find("dl", class_="work")
    if isinstance(dl, Tag):
        _tags(dl, fields, extra, ctx)
    title_tag = find_tag(preface, cls="title") if isinstance(preface, Tag) else None
    title = text_of(title_tag) if isinstance(title_tag, Tag) else "Untitled"
    byline = find_tag(preface, cls="byline") if isinstance(preface, Tag) else None
    authors: tuple[str, ...] = ()
    if isinstance(byline, Tag):
        links = [text_of(a) for a in byline.find_all("a")]
        authors = tuple(a for a in links if a) or tuple(
            a.strip() for a in re.split(r",| and ", text_of(byline)) if a.strip())
    ctx.info("header-field", f"title: “{title}”; authors from the byline: {', '.join(authors)}")
    summary = _quote(preface, "summary", ctx) if isinstance(preface, Tag) else ()
    front: list[Note] = []
    notes = _quote(preface, "notes", ctx) if isinstance(preface, Tag) else ()
    if notes:
        front.append(Note("author-note", notes, label="Notes"))
    chapters = _chapters(skin, ctx)
    end: list[Note] = []
    work_end = find_tag(soup, id="work_endnotes")
    if isinstance(work_end, Tag):
        blocks = _blockquote(work_end, ctx)
        if blocks:
            end.append(Note("author-note", blocks, label="End Notes"))
    url = source_url(soup, raw)
    if url:
        fields["source"] = url
    meta = StoryMeta(title=title, authors=authors, extra=tuple(extra), **fields)
    return Story(meta=meta, chapters=story_chapters(chapters, ctx.name), summary=summary,
                 front_notes=tuple(front), end_notes=tuple(end), path=ctx.name)


def _tags(dl: Tag, fields: dict[str, Any], extra: list[tuple[str, str]], ctx: PageContext) -> None:
    for dd in dl.find_all("dd", recursive=False):
        cls = set(classes(dd))
        links = tuple(text_of(a) for a in dd.find_all("a") if text_of(a))
        value = text_of(dd)
        key = next((c for c in ("rating", "warning", "category", "fandom", "relationship",
                                "character", "freeform", "language", "series", "stats",
                                "collections") if c in cls), None)
        if key == "rating":
            fields["rating"] = links[0] if links else value
        elif key in _LISTS:
            fields[_LISTS[key]] = links or tuple(v.strip() for v in value.split(",") if v.strip())
        elif key == "category":
            extra.append(("Relationship type", ", ".join(links) or value))
        elif key == "language":
            fields["language"] = language_code(value)
        elif key == "series":
            m = re.search(r"Part\s+\d+\s+of\s+(.+?)(?:\s*(?:→|Next Work).*)?$", value)
            if m:
                fields["series"] = m.group(1).strip()
        elif key == "stats":
            stats = {c: text_of(d) for d in dd.find_all("dd") for c in classes(d)}
            if stats.get("published"):
                fields["published"] = stats["published"]
            chapters = stats.get("chapters", "")
            m = re.match(r"(\d+)\s*/\s*(\d+|\?)", chapters)
            if m:
                fields["status"] = "Complete" if m.group(1) == m.group(2) else "In progress"
        elif key == "collections":
            extra.append(("Collections", value))


def _blockquote(box: Tag, ctx: PageContext) -> tuple[Block, ...]:
    """A module's note text; its associations ("For NAME.", "Inspired by…") come first."""
    from ficbook.model import Paragraph, Text

    out: list[Block] = []
    assoc = box.find("ul", class_="associations")
    if isinstance(assoc, Tag):
        out += [Paragraph((Text(" ".join(text_of(li).split())),)) for li in assoc.find_all("li")
                if text_of(li)]
    quote = box.find("blockquote")
    if isinstance(quote, Tag):
        out += tidy(blocks_of(quote, ctx))
    return tuple(out)


def _quote(preface: Tag, cls: str, ctx: PageContext) -> tuple[Block, ...]:
    for box in preface.find_all(class_=cls, recursive=False):
        if "end" not in classes(box):
            return _blockquote(box, ctx)
    return ()


def _chapters(skin: Tag, ctx: PageContext) -> list[Chapter]:
    holder = find_tag(skin, id="chapters")
    if not isinstance(holder, Tag):
        return []
    parts = [c for c in holder.find_all("div", recursive=False) if "chapter" in classes(c)
             and "preface" not in classes(c)]
    if not parts:
        parts = [holder]
    chapters: list[Chapter] = []
    for part in parts:
        title: str | None = None
        summary: tuple[Block, ...] = ()
        blocks: list[Block] = []
        after: list[Note] = []
        for child in part.find_all(True, recursive=False):
            cls = set(classes(child))
            if "userstuff" in cls:
                for landmark in find_tags(child, cls="landmark"):
                    landmark.decompose()
                blocks.extend(tidy(blocks_of(child, ctx)))
            elif "preface" in cls:
                head = find_tag(child, cls="title")
                if isinstance(head, Tag) and title is None and not blocks:
                    title = " ".join(text_of(head).split())
                for box in child.find_all(class_=("summary", "notes"), recursive=False):
                    quote = _blockquote(box, ctx)
                    if not quote:
                        continue
                    box_cls = set(classes(box))
                    if "end" in box_cls:
                        after.append(Note("author-note", quote, label="Chapter End Notes"))
                    elif "summary" in box_cls:
                        summary = quote
                    else:
                        blocks.insert(0, Note("author-note", quote, label="Chapter Notes"))
        chapters.append(Chapter(title, finish_blocks([*blocks, *after]), summary=summary))
    return chapters
