"""Any other saved page: find the story by where the text is, not by a list of sites.

Menus, sidebars, comment threads and footers are short lines full of links; a story is
long runs of unlinked text. Each piece of text scores for the block that holds it (and
half for that block's parent); link-heavy blocks are discounted; the best block wins.
Elements that look like chrome by name (nav, footer, comments…) are removed first,
unless they hold most of the page's text: density beats names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from ficbook.model import Block, Chapter, Note, NoteKind, Paragraph, Story, StoryMeta, Text
from ficbook.readers.html.blocks import blocks_of, tidy
from ficbook.readers.html.common import (
    classes,
    finish_blocks,
    language_code,
    page_language,
    page_title,
    source_url,
    split_list,
    story_chapters,
)
from ficbook.readers.html.context import PageContext
from ficbook.readers.html.tree import BLOCK, DROP, text_of
from ficbook.text import block_text, count_words, inline_text

_CHROME_NAME = re.compile(
    r"(^|[-_ ])(nav|navbar|navigation|menu|menubar|sidebar|side-bar|footer|header|masthead|"
    r"banner|breadcrumbs?|comments?|comment-list|reviews?|review-form|respond|share|sharing|"
    r"social|ads?|advert\w*|sponsor\w*|promo|login|signup|search|widget|related|pagination|"
    r"pager|jumpmenu\d?|toolbar|cookie\w*|popup|modal)($|[-_ ])", re.IGNORECASE)
_CHROME_TAGS = ("header", "footer", "nav", "aside", "form")
_CHROME_ROLES = ("navigation", "banner", "contentinfo", "complementary", "search")
_PARA_TAGS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
                        "dd", "dt", "center"})
_CONTAINERS = frozenset({"div", "td", "th", "body", "article", "section", "main", "font",
                         "span", "blockquote", "center"})

# Header fields a saved page may start its text with (as plain-text stories do).
_FIELDS = {
    "title": "title", "author": "authors", "by": "authors", "rating": "rating",
    "rated": "rating", "fandom": "fandoms", "category": "fandoms", "pairing": "pairings",
    "pairings": "pairings", "relationship": "pairings", "characters": "characters",
    "warnings": "warnings", "warning": "warnings", "genre": "genres", "status": "status",
    "series": "series", "language": "language",
}
_NOTES: dict[str, NoteKind] = {"summary": "summary", "disclaimer": "disclaimer", "a/n": "author-note",
          "author's note": "author-note", "notes": "author-note", "feedback": "feedback",
          "dedication": "dedication"}
# An author's note is left to the converter's notes rule, as in a text file: with the
# paragraphs after it that go on talking.
_HEAD_NOTES: dict[str, NoteKind] = {k: v for k, v in _NOTES.items() if v != "author-note"}
_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z' /]{0,20}?)\s*:\s*(.+)$", re.DOTALL)


def words(text: str) -> int:
    return len(text.split())


def strip_chrome(root: Tag, ctx: PageContext) -> None:
    total = max(1, words(text_of(root)))
    for tag in list(root.find_all(True)):
        # not `tag.decomposed`: bs4 looks a missing `_decomposed` up as a child tag, a
        # search of the whole subtree for every tag (minutes on deeply nested pages)
        if vars(tag).get("_decomposed") or tag.parent is None:
            continue
        name = tag.name.lower()
        if name in DROP or name in _CHROME_TAGS:
            chrome = True
        else:
            ident = " ".join([str(tag.get("id") or ""), *classes(tag)])
            chrome = str(tag.get("role") or "") in _CHROME_ROLES or bool(ident.strip() and
                                                                         _CHROME_NAME.search(ident))
        if chrome and words(text_of(tag)) < total * 0.5:
            if name not in DROP:
                _log_dropped(ctx, text_of(tag))
            tag.decompose()
    for c in root.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()


def _log_dropped(ctx: PageContext, text: str) -> None:
    # Word for word, as the text converter lists each chrome line it drops: nothing a
    # reader might miss leaves without a trace in the log.
    if text:
        ctx.info("chrome-dropped", f"dropped page text “{text}”")


def report_outside(root: Tag, main: Tag, ctx: PageContext) -> None:
    """Log the text outside the main block, one line per block that holds it."""
    inside = {id(s) for s in main.find_all(string=True)}
    runs: dict[int, list[str]] = {}
    for s in root.find_all(string=True):
        if id(s) in inside or type(s) is not NavigableString or not s.strip():
            continue
        holder = s.parent
        if any(p.name in DROP for p in s.parents if isinstance(p, Tag)):
            continue
        while holder is not None and holder.name not in BLOCK:
            holder = holder.parent
        runs.setdefault(id(holder), []).append(str(s))
    for parts in runs.values():
        _log_dropped(ctx, " ".join("".join(parts).split()))


def main_block(root: Tag) -> Tag:
    scores: dict[int, float] = {}
    tags: dict[int, Tag] = {}

    def credit(tag: Tag | None, amount: float) -> None:
        if tag is not None:
            scores[id(tag)] = scores.get(id(tag), 0.0) + amount
            tags[id(tag)] = tag

    for s in root.find_all(string=True):
        if not isinstance(s, NavigableString) or isinstance(s, Comment):
            continue
        n = len(s.strip())
        if n < 2 or s.find_parent("a") is not None:
            continue
        holder = s.parent
        while holder is not None and holder.name not in _PARA_TAGS | _CONTAINERS:
            holder = holder.parent
        if holder is None:
            continue
        if holder.name in _PARA_TAGS:
            box = holder.parent
            while box is not None and box.name not in _CONTAINERS:
                box = box.parent
        else:
            box = holder
        credit(box, n)
        credit(box.parent if box is not None else None, n / 2)
    if not scores:
        return root
    best, best_score = root, -1.0
    for key, score in scores.items():
        tag = tags[key]
        text = len(text_of(tag)) or 1
        linked = sum(len(text_of(a)) for a in tag.find_all("a"))
        score *= max(0.0, 1 - linked / text)
        if score > best_score:
            best, best_score = tag, score
    return best


_CHAPTER_LINK = re.compile(r"(?:viewstory\.php\?(?:[^\"'>]*&(?:amp;)?)?sid=\d+&(?:amp;)?chapter=|"
                           r"/s/\d+/|/works/\d+/chapters/)(\d+)")


def _chapter_links(tag: Tag) -> set[str]:
    """The chapter numbers of the links under `tag` to one story's chapter pages."""
    return {m.group(1) for a in tag.find_all("a", href=True) if (m := _CHAPTER_LINK.search(str(a["href"])))}


def index_page(soup: BeautifulSoup) -> bool:
    """A story's index: links to several of its chapters and little text of its own (an
    eFiction story page with its chapter list, no chapter text)."""
    if len(_chapter_links(soup)) < 2:
        return False
    root = soup.body or soup
    linked = sum(words(text_of(a)) for a in root.find_all("a"))
    return words(text_of(root)) - linked < 400


# A link that takes the reader to the story elsewhere: "Read the fanfic", "Click to read",
# "Download the story" (not "Read more", a blog's link to its next post).
_READ_LINK = re.compile(r"(?:click(?: here)? to read|start reading|read (?:the |this )?"
                        r"(?:fan ?fic(?:tion)?|fic|story|work|book|online|now)|download"
                        r"(?: the (?:fan ?fic(?:tion)?|fic|story|work|book))?)\b", re.I)
_FORMATS = frozenset({"epub", "mobi", "azw3", "pdf", "txt", "html", "lit", "fb2", "rtf", "doc", "docx"})
# What a page says of the story's length: "Word count: 12,184", "Words: 2197"; the page's
# text runs elements together ("Salt LettersWord count:"), so a capital after a small letter
# starts the label too.
_STATED_WORDS = re.compile(r"(?:(?<![A-Za-z])|(?<=[a-z])(?=[A-Z]))(?i:word ?count|words)\s*:\s*"
                           r"(\d{1,3}(?:[,.\u00a0 ]\d{3})+|\d+)")
LANDING_MAX = 300  # a landing page's own text, at most: a summary, notes, fields


@dataclass(frozen=True, slots=True)
class Landing:
    """What a page shows of a story kept elsewhere (`landing_signs`)."""

    stated: int  # the length it states ("Word count: 12,184"), 0 if none
    ways: bool  # links to read or download it: "Read the fanfic", EPUB | MOBI | PDF


def landing_signs(soup: BeautifulSoup, page_text: str) -> Landing:
    """Read from the whole page, before its menus and link lists are dropped."""
    stated = max((int(re.sub(r"\D", "", m.group(1))) for m in _STATED_WORDS.finditer(page_text)),
                 default=0)
    links = soup.find_all("a", href=True)
    texts = [text_of(a).strip().lower() for a in links]
    ways = sum(t in _FORMATS for t in texts) >= 2 or any(_READ_LINK.match(t) for t in texts)
    return Landing(stated, ways)


def landing_page(signs: Landing, main: Tag, prose: int) -> bool:
    """A story's landing page, `main` its densest block (`prose` words): the story's fields
    and summary with links to read or download it; or a list of its chapters, linked,
    where the page states many more words than it holds (an eFiction story page, chapter
    notes and all; a chapter's page has its links to the others around its text, or a
    chapter's worth of text among them). A page that holds the length it states is the
    story: a drabble with download links."""
    if signs.stated and prose >= 0.6 * signs.stated:
        return False
    if signs.ways and prose < LANDING_MAX:
        return True
    return prose < 3 * LANDING_MAX and signs.stated >= 4 * max(prose, 1) and len(_chapter_links(main)) >= 2


def works_list(soup: BeautifulSoup) -> bool:
    """A list of works, not a work: an archive's series, tag, search or bookmarks page
    (AO3's `li.blurb`, FanFiction.Net's `div.z-list`), with little text beside the blurbs."""
    blurbs = [t for t in soup.find_all(("li", "div"))
              if {"blurb", "z-list"} & set(str(c) for c in (t.get("class") or []))]
    if not blurbs:
        return False
    root = soup.body or soup
    return words(text_of(root)) - sum(words(text_of(b)) for b in blurbs) < 400


def read_generic(soup: BeautifulSoup, ctx: PageContext, raw: str) -> Story:
    root = soup.body or soup
    if index_page(soup):
        from ficbook.errors import StoryError

        raise StoryError("no story text: the page is the story's index (links to its "
                         "chapters); save each chapter's own page", file=ctx.name)
    if works_list(soup):
        from ficbook.errors import StoryError

        raise StoryError("no story text: the page is a list of works (a series, tag or "
                         "search page); save each work's own page, or give its link", file=ctx.name)
    page_text = text_of(root)
    total = words(page_text)
    signs = landing_signs(soup, page_text)
    strip_chrome(root, ctx)
    main = main_block(root)
    kept = words(text_of(main))
    if landing_page(signs, main, kept):
        from ficbook.errors import StoryError

        raise StoryError("no story text: the page is the story's landing page (its summary, and "
                         "links to read or download it or to its chapters); save the story's own "
                         "pages or its download", file=ctx.name)
    title = _heading_title(root, main) or _title_from_page(page_title(soup))
    author_meta = soup.find("meta", attrs={"name": "author"})
    blocks = tidy(blocks_of(main, ctx))
    if total and kept < total:
        ctx.info("chrome-dropped", f"kept the main text block: {kept:,} of {total:,} words on "
                                   "the page; the rest was menus, links and comments")
        report_outside(root, main, ctx)
    meta, summary, front, blocks = header_fields(blocks)
    for n in front:  # each block set apart in the log with its words
        ctx.info(n.kind, f"{n.label}: set apart from the page's leading fields ({count_words(n)} words): "
                         f"“{block_text(n)[:60]}”")
    if not meta.get("title"):
        meta["title"] = title or "Untitled"
    if author_meta is not None and not meta.get("authors") and author_meta.get("content"):
        meta["authors"] = (str(author_meta["content"]).strip(),)
    if not meta.get("authors") and (holder := copyright_holder(page_text[-3000:])):
        meta["authors"] = (holder,)
        ctx.info("header-field", f"author: “{holder}” (the page's copyright line)")
    if not meta.get("language"):
        lang = page_language(soup)
        if lang:
            meta["language"] = lang
    url = source_url(soup, raw)
    if url:
        meta["source"] = url
    blocks = _drop_title_lines(blocks, str(meta["title"]))
    chapters = [Chapter(None, finish_blocks(blocks))]
    return Story(meta=StoryMeta(**meta), chapters=story_chapters(chapters, ctx.name),
                 summary=summary, front_notes=front, path=ctx.name)


# A personal site's footer names who wrote what it holds: "© Anna Reyes, 2019–2024",
# "Copyright © 2021 A. K. Reyes. All rights reserved."; a company or a site is no author.
_INITIALS = r"(?:[^\W\d_]\.\s?){1,3}"
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright\b)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–—]\s*\d{4})?[,.]?\s*)?"
    rf"(?P<name>(?:{_INITIALS}\s*)?[^\W\d_][\w'’-]+(?:\s+{_INITIALS}|\s+[^\W\d_][\w'’-]+){{0,3}})",
    re.IGNORECASE)
_NAME_WORD = re.compile(r"(?:[^\W\d_]\.){1,3}|[^\W\d_][\w'’-]*")
_NOT_A_PERSON = re.compile(
    r"\b(?:inc|ltd|llc|gmbh|corp|co|company|media|press|publishing|works|foundation|"
    r"organi[sz]ation|site|website|blog|all|rights|reserved|team|group|network|archive|"
    r"wordpress|tumblr|fanfiction|powered|theme|ооо|зао|сайт)\b|\.(?:com|net|org|ru)\b",
    re.IGNORECASE)


def copyright_holder(text: str) -> str | None:
    """The person a page's copyright line names (1-4 capitalised words or initials), or
    None."""
    for m in _COPYRIGHT.finditer(text):
        name = " ".join(m.group("name").split())
        parts = name.split()
        if not 1 <= len(parts) <= 4 or _NOT_A_PERSON.search(name):
            continue
        if all(_NAME_WORD.fullmatch(w) and w[0].isupper() for w in parts):
            return name
    return None


def header_fields(blocks: list[Block]) -> tuple[dict[str, Any], tuple[Block, ...],
                                                tuple[Note, ...], list[Block]]:
    """Leading `Label: value` paragraphs -> metadata, summary and notes (as in text files)."""
    meta: dict[str, Any] = {}
    extra: list[tuple[str, str]] = []
    summary: list[Block] = []
    front: list[Note] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if not isinstance(b, Paragraph):
            break
        lines = inline_text(b.inlines).split("\n")
        parsed = [_LABEL.match(line) for line in lines]
        if not all(m and m.group(1).strip().lower() in {**_FIELDS, **_HEAD_NOTES} for m in parsed):
            break
        for m in parsed:
            assert m is not None
            label, value = m.group(1).strip(), m.group(2).strip()
            key = label.lower()
            if key in _FIELDS:
                name = _FIELDS[key]
                if name in ("title", "rating", "status", "series"):
                    meta[name] = value
                elif name == "language":
                    meta["language"] = language_code(value)
                else:
                    meta[name] = split_list(value.replace(" & ", ", ")) if name == "authors" \
                        else split_list(value)
            elif _HEAD_NOTES[key] == "summary":
                summary.append(Paragraph((Text(value),)))
            else:
                front.append(Note(_HEAD_NOTES[key], (Paragraph((Text(value),)),),
                                  label=label))
        i += 1
    if extra:
        meta["extra"] = tuple(extra)
    return meta, tuple(summary), tuple(front), blocks[i:]


def _heading_title(root: Tag, main: Tag) -> str | None:
    for h in root.find_all(("h1", "h2")):
        text = text_of(h)
        if text and len(text) < 150:
            return text
    return None


def _title_from_page(title: str | None) -> str | None:
    if not title:
        return None
    return re.split(r"\s+[-|:\u2013\u2014]\s+", title)[0].strip() or None


def _drop_title_lines(blocks: list[Block], title: str) -> list[Block]:
    """The page's own heading repeated at the top of the text: the book has a card for it."""
    out = list(blocks)
    while out and isinstance(out[0], Paragraph):
        text = inline_text(out[0].inlines).strip().lower()
        if text and (text == title.lower() or text.startswith(title.lower() + " by ")):
            out.pop(0)
        else:
            break
    return out
