"""FanFiction.Net (and FictionPress) pages saved from a browser.

`#profile_top` holds the title (`b.xcontrast_txt`), the author link, the summary
(`div.xcontrast_txt`) and the facts line (`span.xgray`: "Rated: Fiction T - English -
Romance/Angst - [Buffy S., Spike] - Chapters: 5 - Words: …"); `#pre_story_links` names
the fandom; `#chap_select` names the chapter; `#storytext` is the story. Everything
else on the page (menus, review boxes, follow buttons, ads) is chrome.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup, Tag

from ficbook.model import Chapter, Story, StoryMeta
from ficbook.readers.html.blocks import blocks_of, tidy
from ficbook.readers.html.common import finish_blocks, language_code, page_title, source_url, story_chapters
from ficbook.readers.html.context import PageContext
from ficbook.readers.html.tree import find_tag, text_of

_GENRES = frozenset({
    "adventure", "angst", "crime", "drama", "family", "fantasy", "friendship", "general",
    "horror", "humor", "hurt/comfort", "mystery", "parody", "poetry", "romance", "sci-fi",
    "spiritual", "supernatural", "suspense", "tragedy", "western",
})


def is_ffnet(soup: BeautifulSoup) -> bool:
    return find_tag(soup, id="storytext") is not None and (
        find_tag(soup, id="profile_top") is not None or find_tag(soup, id="chap_select") is not None
        or bool(re.search(r"fan ?fiction(?:\.net)?\b", page_title(soup) or "", re.IGNORECASE)
                and soup.find("a", href=re.compile(r"^(?:https?://[^/]+)?/u/\d+"))))


def read_ffnet(soup: BeautifulSoup, ctx: PageContext, raw: str) -> Story:
    top = find_tag(soup, id="profile_top")
    fields: dict[str, Any] = {}
    extra: list[tuple[str, str]] = []
    title = ""
    authors: tuple[str, ...] = ()
    summary: tuple = ()
    if isinstance(top, Tag):
        b = top.find("b", class_="xcontrast_txt") or top.find("b")
        title = text_of(b) if b else ""
        author = top.find("a", href=re.compile(r"^(?:https?://[^/]+)?/u/\d+"))
        authors = (text_of(author),) if author else ()
        summary_div = top.find("div", class_="xcontrast_txt")
        if isinstance(summary_div, Tag):
            summary = tuple(tidy(blocks_of(summary_div, ctx)))
        facts = top.find("span", class_="xgray")
        if isinstance(facts, Tag):
            fields.update(_facts(text_of(facts), extra))
    if not isinstance(top, Tag):
        title, authors = _old_page(soup, fields, extra)
    links = find_tag(soup, id="pre_story_links")
    if isinstance(links, Tag):
        crumbs = [text_of(a) for a in links.find_all("a")]
        if crumbs:
            fields["fandoms"] = tuple(f.strip() for f in crumbs[-1].split(" + ") if f.strip())
    url = source_url(soup, raw)
    if url:
        fields["source"] = re.sub(r"(/s/\d+)/\d+(/.*)?$", r"\1", url)

    chapter_title = None
    select = find_tag(soup, id="chap_select") or soup.find("select", attrs={"name": "chapter"})
    if isinstance(select, Tag):
        options = select.find_all("option")
        chosen = select.find("option", selected=True) or (options[0] if options else None)
        if chosen is not None and len(options) > 1:
            # the chosen option's own text: old pages leave <option> unclosed, and the
            # parser nests the rest of the menu inside it
            own = chosen.find(string=True, recursive=False) or ""
            chapter_title = re.sub(r"^\d+\.\s*", "", " ".join(str(own).split())) or None
    storytext = find_tag(soup, id="storytext")
    assert isinstance(storytext, Tag)
    blocks = tidy(blocks_of(storytext, ctx))
    ctx.info("chrome-dropped", "FanFiction.Net page furniture (menus, reviews, buttons)")
    chapters = [Chapter(chapter_title, finish_blocks(blocks))]
    meta = StoryMeta(title=title or "Untitled", authors=authors, extra=tuple(extra),
                     **fields)
    return Story(meta=meta, chapters=story_chapters(chapters, ctx.name),
                 summary=summary or (), path=ctx.name)


_TITLE = re.compile(r"^(?P<title>.+?)(?:\s+Chapter \d+\b.*?)?,\s+an? .+? fan ?fic\b", re.IGNORECASE)
_RATED = re.compile(r"(?:Fiction\s+)?Rated:\s*(?:Fiction\s+)?(K\+?|T|M|MA)\b[^\n]*?\bid:\s*\d+")


def _old_page(soup: BeautifulSoup, fields: dict[str, Any],
              extra: list[tuple[str, str]]) -> tuple[str, tuple[str, ...]]:
    """A page of FanFiction.Net's older layouts (no `#profile_top`): the title from the
    page's <title>, the author from the first profile link, the facts from the
    `Rated:` line wherever it stands."""
    title = ""
    m = _TITLE.match(page_title(soup) or "")
    if m:
        title = m.group("title").strip()
    author = soup.find("a", href=re.compile(r"^(?:https?://[^/]+)?/u/\d+"))
    authors = (text_of(author),) if isinstance(author, Tag) and text_of(author) else ()
    text = " ".join(soup.get_text(" ").split())
    rated = _RATED.search(text)
    if rated:
        fields.update(_facts(rated.group(0).replace("Fiction Rated:", "Rated: Fiction"), extra))
    return title, authors


def _facts(line: str, extra: list[tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {"status": "In progress"}
    parts = [p.strip() for p in line.split(" - ") if p.strip()]
    for i, part in enumerate(parts):
        label, _, value = part.partition(":")
        key = label.strip().lower()
        if value and key == "rated":
            out["rating"] = re.sub(r"^Fiction\s+", "", value.strip())
        elif value and key == "status":
            out["status"] = "Complete" if "complete" in value.lower() else value.strip()
        elif not value and key == "complete":  # the facts line's bare "- Complete -"
            out["status"] = "Complete"
        elif value and key == "published":
            out["published"] = value.strip()
        elif value and key in ("chapters", "words", "reviews", "favs", "follows", "updated", "id"):
            continue
        elif i == 1 and not value:
            out["language"] = language_code(part)
        elif not value and all(g.strip().lower() in _GENRES for g in part.split("/")):
            out["genres"] = tuple(g.strip() for g in part.split("/"))
        elif not value:
            pairings = re.findall(r"\[([^\]]+)\]", part)
            if pairings:
                out["pairings"] = tuple("/".join(n.strip() for n in p.split(",")) for p in pairings)
            rest = re.sub(r"\[[^\]]*\]", ",", part)
            chars = [c.strip() for c in re.split(r",", rest) if c.strip()]
            for p in pairings:
                chars.extend(n.strip() for n in p.split(","))
            if chars:
                out["characters"] = tuple(dict.fromkeys(chars))
        else:
            extra.append((label.strip(), value.strip()))
    return out
