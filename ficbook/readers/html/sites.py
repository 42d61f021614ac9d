"""Saved pages of sites read by a profile of CSS selectors (`engine: selectors` in
`ficbook/data/layouts/*.yaml`): WordPress serials, Royal Road, XenForo threadmarks,
Wattpad, Tumblr, LiveJournal and Dreamwidth, archives in other languages. A profile says
where the title, the author, the story and the author's notes are, which blocks are the
site's (dropped and listed), and which lines of text are its furniture. A new site is a
new file plus a fixture."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from bs4 import BeautifulSoup, Tag

from ficbook.model import Block, Chapter, Note, Paragraph, Story, StoryMeta, Text
from ficbook.readers.html.blocks import blocks_of, tidy
from ficbook.readers.html.common import (
    finish_blocks,
    page_language,
    page_title,
    source_url,
    story_chapters,
)
from ficbook.readers.html.context import PageContext
from ficbook.readers.html.tree import text_of
from ficbook.readers.layouts.profiles import Profile, profiles

if TYPE_CHECKING:
    from ficbook.readers.layouts.detect import Detection


def site_profile(raw: str, forced: str | None) -> Detection | None:
    """The selectors profile for a page, by its signs (or the recipe's `layout:`)."""
    from ficbook.readers.layouts.detect import detect

    if forced == "none":
        return None
    if forced:
        p = profiles().get(forced)
        return detect(raw, "html", forced=forced) if p is not None and p.engine == "selectors" \
            else None
    found = detect(raw, "html")
    return found if found and found.profile.engine == "selectors" else None


def _select(root: Tag, selectors: str | Iterable[str] | None) -> list[Tag]:
    if not selectors:
        return []
    for sel in [selectors] if isinstance(selectors, str) else selectors:
        found = root.select(sel)
        if found:
            return found
    return []


def read_site(soup: BeautifulSoup, ctx: PageContext, raw: str, profile: Profile) -> Story:
    data = profile.data
    if data.get("hidden_by_style"):
        _drop_hidden(soup, ctx, profile.name)
    for sel in data.get("unwrap_users") or ():  # a user link: its name only
        for tag in soup.select(sel):
            tag.replace_with(text_of(tag))
    fields: dict[str, Any] = {}
    title = _text(_select(soup, data.get("title")))
    authors = tuple(dict.fromkeys(text_of(a) for a in _select(soup, data.get("author"))
                                  if text_of(a)))
    for sel in data.get("drop") or ():  # the site's blocks, once the card is read
        for tag in soup.select(sel):
            if tag.parent is not None:
                text = " ".join(text_of(tag).split())
                if text:
                    ctx.info("chrome-dropped", f"{profile.name}: dropped “{text[:100]}”")
                tag.decompose()
    page_text = soup.get_text("\n")
    for pattern in data.get("author_text") or ():
        m = re.search(pattern, page_text, re.MULTILINE)
        if m and not authors:
            authors = (" ".join(m.group("author").split()),)
    if not title:
        title = _from_page_title(page_title(soup), data.get("title_split"))
    line_chrome = _line_chrome(data.get("line_chrome"))
    containers = _select(soup, data.get("content"))
    if not containers:
        from ficbook.errors import StoryError

        raise StoryError(f"no story text found where {profile.name} pages keep it "
                         f"({', '.join(_as_list(data.get('content')))})", file=ctx.name)
    chapters: list[Chapter] = []
    for box in containers:
        post = _post(box, data.get("post"))
        chapter_title = _text(_select(box, data.get("chapter_title"))) or (
            _text(_select(post, data.get("chapter_title_outside"))) if post is not None
            else "") or None
        for tag in _select(box, data.get("chapter_title")):
            tag.decompose()
        before: list[Note] = []
        after: list[Note] = []
        inside = _select(box, data.get("notes"))
        outside = _select(post, data.get("notes_outside")) if post is not None else []
        for note_box in inside + [n for n in outside if box not in n.parents]:
            note_blocks = tuple(tidy(blocks_of(note_box, ctx)))
            label = data.get("notes_label") or "Author's note"
            if note_blocks and isinstance(note_blocks[0], Paragraph) and _starts_label(note_blocks[0], label):
                note_blocks = note_blocks[1:]
            position = _position(box, note_box) if note_box in inside else (
                0.0 if _order(note_box) < _order(box) else 1.0)
            note_box.decompose()
            if note_blocks:
                (before if position < 0.5 else after).append(Note("author-note", note_blocks, label=label))
        blocks = [b for b in tidy(blocks_of(box, ctx)) if not _is_line_chrome(b, line_chrome, ctx)]
        if blocks and isinstance(blocks[0], Paragraph) and title and _same(blocks[0], title):
            ctx.info("chrome-dropped", f"title repeated “{title}”")
            blocks = blocks[1:]
        if blocks or before or after:
            chapters.append(Chapter(chapter_title, finish_blocks([*before, *blocks, *after])))
    lang = page_language(soup)
    if lang:
        fields["language"] = lang
    url = source_url(soup, raw)
    if url:
        fields["source"] = url
    chapter_like = data.get("chapter_like")
    if len(chapters) == 1 and chapters[0].title and (
            chapters[0].title == title or chapter_like and not re.match(
                chapter_like, chapters[0].title, re.IGNORECASE)):
        # one post whose title is no chapter's ("Chapter 3: …", "1.04"): a post of its
        # own, its title the story's (a blog post, a one-shot)
        title = chapters[0].title
        chapters[0] = Chapter(None, chapters[0].blocks)
    meta = StoryMeta(title=title or "Untitled", authors=authors, **fields)
    ctx.info("header-field", f"{profile.name}: title “{meta.title}”"
                             + (f", by {', '.join(authors)}" if authors else ""))
    return Story(meta=meta, chapters=story_chapters(chapters, ctx.name), path=ctx.name)


_HIDDEN_RULE = re.compile(r"\.([A-Za-z_][\w-]*)\s*\{[^}]*display\s*:\s*none", re.IGNORECASE)


def _drop_hidden(soup: BeautifulSoup, ctx: PageContext, name: str) -> None:
    """Elements of classes the page's own <style> hides (`display: none`): a site's
    hidden anti-copying sentences, never shown to a reader."""
    hidden: set[str] = set()
    for style in soup.find_all("style"):
        hidden.update(_HIDDEN_RULE.findall(style.get_text()))
    if not hidden:
        return
    for tag in soup.find_all(class_=lambda c: c in hidden if c else False):
        if tag.parent is not None and tag.name not in ("html", "body"):
            ctx.info("chrome-dropped", f"{name}: hidden by the page's style “{' '.join(text_of(tag).split())[:100]}”")
            tag.decompose()


def _same(p: Paragraph, title: str) -> bool:
    from ficbook.text import inline_text

    return " ".join(inline_text(p.inlines).split()).lower() == title.lower()


def _as_list(value: str | Iterable[str] | None) -> list[str]:
    return [value] if isinstance(value, str) else list(value or ())


def _post(box: Tag, selector: str | None) -> Tag | None:
    """The post (or page) a story box belongs to: its nearest ancestor matching `selector`
    (a forum post, for its threadmark title and notes); the whole page without one."""
    if not selector:
        root = box
        while isinstance(root.parent, Tag):
            root = root.parent
        return root
    parent = box.parent
    while isinstance(parent, Tag):
        if parent.css.match(selector):
            return parent
        parent = parent.parent
    return None


def _order(tag: Tag) -> tuple[int, int]:
    return (tag.sourceline or 0, tag.sourcepos or 0)


def _text(tags: list[Tag]) -> str:
    if not tags:
        return ""
    tag = tags[0]
    text = str(tag.get("content") or "") if tag.name == "meta" else text_of(tag)
    return " ".join(text.split())


def _from_page_title(title: str | None, split: str | None) -> str:
    if not title:
        return ""
    return re.split(split or r"\s+[|–—-]\s+", title)[0].strip()


def _line_chrome(patterns: str | Iterable[str] | None) -> re.Pattern[str] | None:
    items = _as_list(patterns)
    return re.compile("|".join(f"(?:{p})" for p in items), re.IGNORECASE) if items else None


def _is_line_chrome(b: Block, pattern: re.Pattern[str] | None, ctx: PageContext) -> bool:
    if pattern is None or not isinstance(b, Paragraph):
        return False
    from ficbook.text import inline_text

    text = " ".join(inline_text(b.inlines).split())
    if text and len(text) <= 200 and pattern.fullmatch(text):
        ctx.info("chrome-dropped", f"“{text}”")
        return True
    return False


def _starts_label(p: Paragraph, label: str) -> bool:
    from ficbook.text import inline_text

    text = inline_text(p.inlines).strip().rstrip(":").lower()
    return text.startswith("a note from") or text == label.lower()


def _position(box: Tag, inner: Tag) -> float:
    """Where `inner` stands in `box`'s text, 0 (top) to 1 (bottom)."""
    total = len(text_of(box)) or 1
    before = 0
    for s in box.find_all(string=True):
        if inner in s.parents:
            break
        before += len(s)
    return min(1.0, before / total)


__all__ = ["read_site", "site_profile", "Text"]
