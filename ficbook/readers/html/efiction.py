"""eFiction archives (viewstory.php pages): `#pagetitle`, labelled notes, `#story`.

The default skin: `div#pagetitle` ("Title by Author"), an info box of
`span.label` + value pairs (Summary, Rated, Categories, Characters, Completed…),
`div.notes` with "Story Notes:", "Author's Chapter Notes:" or "Chapter End Notes:",
`div#story`, and a jump menu naming the chapter. Skins differ, so the story block
itself falls back to the text-density search.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup, Tag

from ficbook.model import Block, Chapter, Note, Story, StoryMeta
from ficbook.readers.html.blocks import blocks_of, tidy
from ficbook.readers.html.common import finish_blocks, source_url, split_list, story_chapters
from ficbook.readers.html.context import PageContext
from ficbook.readers.html.generic import main_block, strip_chrome
from ficbook.readers.html.tree import find_tag, text_of

_FIELDS = {
    "rated": "rating", "rating": "rating", "categories": "fandoms", "category": "fandoms",
    "characters": "characters", "pairing": "pairings", "pairings": "pairings",
    "warnings": "warnings", "genres": "genres", "genre": "genres", "series": "series",
    "completed": "status",
}
_SKIP = frozenset({"chapters", "word count", "read", "reads", "published", "updated",
                   "challenges", "reviews", "read count"})


def is_efiction(soup: BeautifulSoup) -> bool:
    return find_tag(soup, id="story") is not None and (
        find_tag(soup, id="pagetitle") is not None or find_tag(soup, cls="jumpmenu") is not None
        or "viewstory.php" in str(soup)[:200_000])


def read_efiction(soup: BeautifulSoup, ctx: PageContext, raw: str) -> Story:
    fields: dict[str, Any] = {}
    extra: list[tuple[str, str]] = []
    title = ""
    authors: tuple[str, ...] = ()
    pagetitle = find_tag(soup, id="pagetitle")
    if isinstance(pagetitle, Tag):
        links = pagetitle.find_all("a")
        story_link = next((a for a in links if "viewstory" in str(a.get("href") or "")), None)
        user_links = [a for a in links if "viewuser" in str(a.get("href") or "")]
        text = text_of(pagetitle)
        title = text_of(story_link) if story_link else re.split(r"\s+by\s+", text)[0]
        authors = tuple(text_of(a) for a in user_links) or tuple(
            split_list(re.split(r"\s+by\s+", text, maxsplit=1)[1])) if " by " in text else ()
    summary: tuple[Block, ...] = ()
    for label in soup.find_all("span", class_="label"):
        key = text_of(label).rstrip(":").strip().lower()
        value_nodes = _value_after(label)
        value = " ".join(v for v in value_nodes if v).strip()
        if key == "summary":
            continue  # read as blocks below
        if not value or key in _SKIP or "notes" in key:
            continue
        name = _FIELDS.get(key)
        if name == "status":
            fields["status"] = "Complete" if value.lower().startswith("yes") else "In progress"
        elif name in ("rating", "series"):
            fields[name] = value
        elif name:
            fields[name] = split_list(value)
        else:
            extra.append((text_of(label).rstrip(":").strip(), value))
    summary_label = soup.find("span", class_="label", string=re.compile(r"^\s*Summary", re.I))
    if isinstance(summary_label, Tag) and summary_label.parent is not None:
        holder = summary_label.parent
        summary_label.extract()
        # The summary runs to the first <br> (the info box continues after it).
        parts = []
        for node in list(holder.children):
            if isinstance(node, Tag) and (node.name == "br" or "label" in (node.get("class") or [])):
                break
            parts.append(node)
        frag = BeautifulSoup("<div></div>", "lxml").div
        assert frag is not None
        for node in parts:
            frag.append(node.extract())
        summary = tuple(tidy(blocks_of(frag, ctx)))

    front: list[Note] = []
    start: list[Block] = []
    end: list[Block] = []
    for notes in soup.find_all("div", class_="notes"):
        note_label = find_tag(notes, cls="label")
        kind = text_of(note_label).lower() if note_label else ""
        body = find_tag(notes, cls="noteinfo") or notes
        if note_label is not None and body is notes:
            note_label.extract()
        note_blocks = tuple(tidy(blocks_of(body, ctx)))
        if not note_blocks:
            continue
        if "story notes" in kind:
            front.append(Note("author-note", note_blocks, label="Story Notes"))
        elif "end" in kind:
            end.append(Note("author-note", note_blocks, label="Chapter End Notes"))
        else:
            start.append(Note("author-note", note_blocks, label="Chapter Notes"))
        notes.decompose()

    chapter_title = None
    menu = find_tag(soup, cls="jumpmenu")
    select = menu.find("select") if isinstance(menu, Tag) else None
    if isinstance(select, Tag):
        chosen = select.find("option", selected=True)
        if chosen is not None and len(select.find_all("option")) > 1:
            chapter_title = re.sub(r"^\d+\.\s*", "", chosen.get_text(" ", strip=True)) or None
    story = find_tag(soup, id="story")
    assert isinstance(story, Tag)
    if len(text_of(story).split()) < 20:  # a skin that wraps the text elsewhere
        strip_chrome(soup.body or soup, ctx)
        story = main_block(soup.body or soup)
    blocks = start + tidy(blocks_of(story, ctx)) + end
    ctx.info("chrome-dropped", "eFiction page furniture (menus, review links, footer)")
    url = source_url(soup, raw)
    if url:
        fields["source"] = url
    meta = StoryMeta(title=title or "Untitled", authors=authors, extra=tuple(extra),
                     **fields)
    chapters = [Chapter(chapter_title, finish_blocks(blocks))]
    return Story(meta=meta, chapters=story_chapters(chapters, ctx.name), summary=summary,
                 front_notes=tuple(front), path=ctx.name)


def _value_after(label: Tag) -> list[str]:
    """The text after a `span.label` up to the next label or line break."""
    out: list[str] = []
    for node in label.next_siblings:
        if isinstance(node, Tag) and (node.name == "br" or "label" in (node.get("class") or [])):
            break
        out.append(text_of(node) if isinstance(node, Tag) else str(node).strip())
    return [re.sub(r"\s+", " ", o).strip(" ;") for o in out]

