"""The EPUB's documents as story parts: the source book's own furniture (cover, title page,
update log, table of contents) recognised and set aside, FanFicFare's title-page fields
and notes divs read, each other document a chapter."""

from __future__ import annotations

import posixpath
import re
from typing import Any

from bs4 import BeautifulSoup, Tag

from ficbook.errors import Diagnostic
from ficbook.model import Block, Chapter, Note, StoryMeta
from ficbook.readers.html.blocks import blocks_of, tidy
from ficbook.readers.html.common import (
    classes,
    finish_blocks,
    first_heading,
    heading_text,
    language_code,
    split_list,
)
from ficbook.readers.html.context import PageContext
from ficbook.readers.html.tree import text_of

_FURNITURE_NAMES = re.compile(
    r"(^|[/_-])(title_?page|titlepage|title|log_?page|toc_?page|toc|nav|cover|contents|"
    r"copyright|colophon|information|info)(\.x?html?)$", re.IGNORECASE)
_FIELD_LINE = re.compile(r"^\s*([A-Z][A-Za-z /']{1,30}):\s*\S")


def furniture(path: str, body: Tag, guide: set[str], meta: dict[str, Any]) -> str | None:
    """What kind of furniture page the document is ("title page", …), or None for text."""
    types = " ".join(str(t.get("epub:type") or "") for t in [body, *body.find_all(True, limit=5)])
    text = text_of(body)
    n_words = len(text.split())
    lines = [line for line in body.get_text("\n").split("\n") if line.strip()]
    fields = sum(1 for line in lines if _FIELD_LINE.match(line))
    name = posixpath.basename(path)
    if "toc" in types.split() or re.search(r"(^|_)toc", name, re.I):
        return "table of contents"
    if "log_page" in name or re.match(r"^\s*update log\b", text, re.I):
        return "update log"
    if "titlepage" in types or "title-page" in types or re.search(r"title_?page", name, re.I):
        return "title page"
    if "cover" in types.split() or (n_words < 5 and body.find(("img", "svg", "image"))):
        return "cover page"
    if path in guide and n_words < 400:
        return "title page"
    links = sum(len(text_of(a)) for a in body.find_all("a"))
    if n_words > 3 and links / max(1, len(text)) > 0.6 and len(body.find_all("a")) > 2:
        return "table of contents"
    # A title page by content: the title, and mostly "Label: value" lines.
    title = str(meta.get("title") or "").lower()
    if n_words < 400 and fields >= 3 and (not title or title in text.lower()):
        return "title page"
    if _FURNITURE_NAMES.search(name) and n_words < 150:
        return "title page"
    return None


def title_page_fields(body: Tag) -> dict[str, str]:
    """FanFicFare's title page: `<b>Label:</b> value<br/>` lines, the summary among them."""
    out: dict[str, str] = {}
    # Labels are bold: join each label with the text up to the next bold label.
    for b in body.find_all(("b", "strong")):
        label = text_of(b).rstrip(":").strip().lower()
        if not label or len(label) > 30:
            continue
        parts: list[str] = []
        for node in b.next_siblings:
            if isinstance(node, Tag) and (node.name in ("b", "strong") or (
                    node.name == "br" and "".join(parts).strip())):
                break
            parts.append(text_of(node) if isinstance(node, Tag) else str(node))
        value = re.sub(r"\s+", " ", " ".join(parts)).strip(" :")
        if value:
            out[label] = value
    return out


_FFF_FIELDS = {
    "category": "fandoms", "categories": "fandoms", "fandom": "fandoms", "fandoms": "fandoms",
    "genre": "genres", "genres": "genres", "characters": "characters",
    "relationships": "pairings", "pairing": "pairings", "pairings": "pairings", "ships": "pairings",
    "rating": "rating", "rated": "rating", "warnings": "warnings", "warning": "warnings",
    "status": "status", "language": "language", "series": "series",
    "freeform tags": "tags", "additional tags": "tags", "tags": "tags",
}


def merge_fields(meta: dict[str, Any], fff: dict[str, str]) -> StoryMeta:
    """The OPF's metadata with the title page's fields (FanFicFare's) over it."""
    fields = {k: v for k, v in meta.items() if k != "description"}
    for label, value in fff.items():
        key = _FFF_FIELDS.get(label)
        if not key:
            continue
        if key == "status":
            fields["status"] = "Complete" if value.lower().startswith("complete") else "In progress"
        elif key == "language":
            fields["language"] = fields.get("language") or language_code(value)
        elif key in ("rating", "series"):
            fields[key] = value if key == "rating" else fields.get("series") or value
        else:
            fields[key] = split_list(value)
    if fields.get("tags"):
        # FanFicFare copies every category, genre and status into dc:subject: keep the rest.
        known = {v.lower() for k in ("fandoms", "genres", "characters", "pairings", "warnings")
                 for v in fields.get(k, ())}
        known |= {"completed", "in-progress", "complete", str(fields.get("rating", "")).lower()}
        fields["tags"] = tuple(t for t in fields["tags"] if t.lower() not in known)
    fields.setdefault("title", "Untitled")
    return StoryMeta(**fields)


def summary_blocks(description: object, name: str, diags: list[Diagnostic]) -> tuple[Block, ...]:
    """The OPF's description (HTML or plain paragraphs) as blocks."""
    if not description:
        return ()
    text = str(description)
    soup = BeautifulSoup(f"<div>{text}</div>" if "<" in text else
                         "<div>" + "".join(f"<p>{p}</p>" for p in
                                           re.split(r"\n\s*\n", _escape(text))) + "</div>", "lxml")
    ctx = PageContext(name, None, diags)
    return tuple(tidy(blocks_of(soup.div or soup, ctx)))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ------------------------------------------------------------------ chapters


def chapter(body: Tag, ctx: PageContext, toc_title: str | None) -> Chapter | None:
    """One document as a chapter: its heading (else the NCX's title), its FanFicFare notes
    as notes (a "Summary" note at the top as the chapter's summary); None when empty."""
    title = toc_title
    heading = body.find(class_=re.compile(r"fff_chapterhead|chapter-?title|chaptertitle", re.I))
    if heading is None:
        heading = first_heading(body)  # an h2 with a picture in it too
    if isinstance(heading, Tag) and len(text := heading_text(heading)) < 200:
        title = text or title
        heading.decompose()
    head: list[Block] = []
    foot: list[Block] = []
    summary: tuple[Block, ...] = ()
    for div in body.find_all("div", class_="fff_chapter_notes"):
        into = foot if "fff_foot_notes" in classes(div) else head
        for label, note_blocks in _fff_notes(div, ctx):
            if "summary" in label.lower() and into is head:
                summary = note_blocks
            else:
                into.append(Note("author-note", note_blocks, label=label or None))
        div.decompose()
    blocks = head + tidy(blocks_of(body, ctx)) + foot
    if not blocks:
        return None
    return Chapter(title, finish_blocks(blocks), summary=summary)


def back_matter(section: Tag, ctx: PageContext) -> Note | None:
    """A back-matter section (the poem's own notes) as one end note, labelled by its heading."""
    heading = first_heading(section)
    label = heading_text(heading) if isinstance(heading, Tag) else None
    if isinstance(heading, Tag):
        heading.decompose()
    blocks = tidy(blocks_of(section, ctx))
    return Note("author-note", finish_blocks(blocks), label=label or None) if blocks else None


def _fff_notes(div: Tag, ctx: PageContext) -> list[tuple[str, tuple[Block, ...]]]:
    out: list[tuple[str, tuple[Block, ...]]] = []
    label = ""
    for child in div.children:
        if isinstance(child, Tag) and child.name in ("b", "strong"):
            label = text_of(child).rstrip(":").strip()
        elif isinstance(child, Tag) and child.name == "blockquote":
            blocks = tuple(tidy(blocks_of(child, ctx)))
            if blocks:
                out.append((label, blocks))
        elif isinstance(child, Tag) and child.name != "hr" and text_of(child):
            blocks = tuple(tidy(blocks_of(child, ctx)))
            if blocks:
                out.append((label, blocks))
    return out
