"""Small pieces the site readers share: decoding a page, languages, labels, chapters."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from ficbook.errors import Diagnostic, StoryError
from ficbook.model import Block, Chapter, Note, SceneBreak
from ficbook.readers.decode import declared_charset, decode
from ficbook.readers.html.tree import text_of

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_page(data: bytes, name: str, encoding: str | None) -> tuple[str, list[Diagnostic]]:
    """The recipe's `encoding:` first, then the page's own declaration, then UTF-8/cp1252."""
    if not encoding:
        m = _XML_ENCODING.search(data[:200]) or _META_CHARSET.search(data[:8192])
        # as browsers read it: latin-1 is cp1252, "utf-16" is UTF-8, "undefined" is nothing
        declared = declared_charset(m.group(1).decode("ascii", "replace")) if m else None
        if declared:
            try:
                text, _, diags = decode(data, name, declared)
                return text, diags
            except StoryError:
                pass  # the declaration lies (common): detect instead
    text, _, diags = decode(data, name, encoding)
    return text, diags


# AO3 writes a work's language by its own name; FanFiction.Net by its English name.
_LANGUAGES = {
    "english": "en", "español": "es", "spanish": "es", "français": "fr", "french": "fr",
    "deutsch": "de", "german": "de", "italiano": "it", "italian": "it", "português": "pt",
    "português brasileiro": "pt-BR", "português europeu": "pt-PT", "portuguese": "pt",
    "русский": "ru", "russian": "ru", "polski": "pl", "polish": "pl", "nederlands": "nl",
    "dutch": "nl", "svenska": "sv", "swedish": "sv", "suomi": "fi", "finnish": "fi",
    "dansk": "da", "danish": "da", "norsk": "no", "norwegian": "no", "čeština": "cs",
    "czech": "cs", "magyar": "hu", "hungarian": "hu", "türkçe": "tr", "turkish": "tr",
    "ελληνικά": "el", "greek": "el", "українська": "uk", "ukrainian": "uk", "română": "ro",
    "romanian": "ro", "català": "ca", "catalan": "ca", "bahasa indonesia": "id",
    "indonesian": "id", "tiếng việt": "vi", "vietnamese": "vi", "日本語": "ja",
    "japanese": "ja", "한국어": "ko", "korean": "ko", "中文": "zh", "chinese": "zh",
    "中文-普通话 國語": "zh", "中文-广东话 粵語": "yue", "עברית": "he", "hebrew": "he",
    "العربية": "ar", "arabic": "ar", "हिन्दी": "hi", "hindi": "hi", "filipino": "fil",
    "tagalog": "tl", "latine": "la", "latin": "la", "esperanto": "eo", "hrvatski": "hr",
    "croatian": "hr", "srpski": "sr", "serbian": "sr", "slovenčina": "sk", "slovak": "sk",
    "lietuvių kalba": "lt", "latviešu valoda": "lv", "eesti": "et", "íslenska": "is",
    "gaeilge": "ga", "cymraeg": "cy", "thai": "th", "ไทย": "th", "farsi": "fa", "فارسی": "fa",
}
_BCP47 = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def ao3_stats(value: str) -> dict[str, str]:
    """What AO3's stats line says of the work: "Published: 2019-03-01 … Chapters: 2/2"
    (a download's `dd`, or a copied page's line) -> published, status."""
    out: dict[str, str] = {}
    m = re.search(r"Published:\s*(\S+)", value)
    if m:
        out["published"] = m.group(1)
    m = re.search(r"Chapters:\s*(\d+)\s*/\s*(\d+|\?)", value)
    if m:
        out["status"] = "Complete" if m.group(1) == m.group(2) else "In progress"
    elif re.search(r"Completed:", value):
        out["status"] = "Complete"
    return out


def page_language(soup: BeautifulSoup) -> str | None:
    """The page's own `lang` (`<html lang="fr">`), as a language code."""
    return language_code(str((soup.html or soup).get("lang") or "")) if soup.html else None


def language_code(value: str | None) -> str | None:
    if not value:
        return None
    v = value.strip()
    code = _LANGUAGES.get(v.lower())
    if code:
        return code
    if _BCP47.match(v) and len(v.split("-")[0]) <= 3:
        return v
    return None


def split_list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in re.split(r"\s*,\s*", value) if v.strip())


def finish_blocks(blocks: list[Block]) -> tuple[Block, ...]:
    while blocks and isinstance(blocks[0], SceneBreak):
        blocks.pop(0)
    while blocks and isinstance(blocks[-1], SceneBreak):
        blocks.pop()
    return tuple(blocks)


def story_chapters(chapters: list[Chapter], name: str) -> tuple[Chapter, ...]:
    """Chapters with text; a story whose every chapter is empty is refused clearly."""
    kept = [c for c in chapters if any(not isinstance(b, Note) for b in c.blocks)]
    if not kept:
        raise StoryError("no story text found in the page", file=name)
    # A chapter of notes only (a "hiatus note") keeps its place when others have text.
    return tuple(c for c in chapters if c.blocks)


def classes(tag: Tag) -> list[str]:
    value: str | list[str] = tag.get("class") or []
    return [value] if isinstance(value, str) else list(value)


def page_title(soup: BeautifulSoup) -> str | None:
    t = soup.find("title")
    return t.get_text(" ", strip=True) if t else None


def source_url(soup: BeautifulSoup, raw: str) -> str | None:
    for sel in ('link[rel="canonical"]', 'meta[property="og:url"]'):
        tag = soup.select_one(sel)
        if tag:
            url = str(tag.get("href") or tag.get("content") or "")
            if url.startswith(("http://", "https://")):
                return url
    m = re.search(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", raw[:2000])
    return m.group(1) if m and m.group(1).startswith("http") else None


# ------------------------------------------------------------------ chapter headings

_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
_TEXT = frozenset({"p", "li", "blockquote", "pre", "table", "dl", "h5", "h6"})


def heading_text(tag: Tag) -> str:
    """A heading's text; a heading drawn as a picture, its picture's alt text ("Chapter
    Three"). An ornament beside the words (`<h2><img alt=""/> Chapter One</h2>`) is no text."""
    text = text_of(tag)
    if text:
        return text
    return " ".join(alt for img in tag.find_all("img") if (alt := " ".join(str(img.get("alt") or "").split())))


def first_heading(body: Tag) -> Tag | None:
    """The h1-h4 a chapter's file opens with, before any text (looked for inside the
    wrappers around both: `<div class="chapter"><h2>…`); None when text comes first."""
    for tag in body.find_all(True):
        if tag.name in _HEADINGS:
            return tag if heading_text(tag) else None
        if tag.name in _TEXT or any(isinstance(c, NavigableString) and not isinstance(c, Comment)
                                    and c.strip() for c in tag.children):
            return None
    return None
