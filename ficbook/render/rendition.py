"""What the writer hands the packager: finished documents, navigation, landmarks; and the
page every document is written into.

The markup follows `markup.md` (class names, reading order, navigation). Documents are
written as strings: it is the fastest way to make XHTML in Python, and every piece of
text goes through `esc`, so the output is always well-formed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

from ficbook.model import Resource

if TYPE_CHECKING:
    from ficbook.epub.ocf import Deflated

CSS_HREF = "../styles/book.css"


_IMG = re.compile(rb"<img\b[^>]*>")


@dataclass(frozen=True)
class Document:
    name: str  # path inside the book's content folder: "text/s01-c01.xhtml"
    uid: str  # manifest id
    title: str
    content: bytes  # empty when `packed`
    in_spine: bool = True
    # Deflated where its story was rendered (`ficbook.pieces`), with the <img> tags it
    # holds (for the package's accessibility metadata): the content is not kept.
    packed: Deflated | None = None
    packed_pictures: tuple[bytes, ...] = ()

    def pictures(self) -> list[bytes]:
        """The document's <img> tags."""
        return list(self.packed_pictures) if self.packed is not None else img_tags(self.content)


def img_tags(content: bytes) -> list[bytes]:
    return _IMG.findall(content)


@dataclass(frozen=True)
class NavEntry:
    title: str
    href: str  # relative to the content folder: "text/s01-card.xhtml"
    children: tuple[NavEntry, ...] = ()


@dataclass(frozen=True)
class Landmarks:
    """The documents a reading system jumps to (EPUB 2 guide, EPUB 3 landmarks)."""

    contents: str  # "text/contents.xhtml"
    cover: str | None = None
    start: str | None = None  # where the reading begins: the first story's card


@dataclass(frozen=True)
class Rendition:
    documents: tuple[Document, ...]
    nav: tuple[NavEntry, ...]
    landmarks: Landmarks
    resources: tuple[Resource, ...] = field(default=())


@dataclass(frozen=True)
class Draft:
    """A document before its links are written: `body` may hold `links.ref` placeholders."""

    name: str
    uid: str
    title: str
    body: str
    lang: str
    body_class: str = ""
    anchors: tuple[str, ...] = ()  # the ids in `body` that other documents link to


def esc(text: str) -> str:
    # html.escape rewrites only these five characters: text without them comes back as it
    # is, and five `in` scans cost a quarter of escape()'s five replace() calls.
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return escape(text, quote=True)
    return text


def page(title: str, body: str, lang: str, body_class: str = "") -> bytes:
    cls = f' class="{body_class}"' if body_class else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang="{esc(lang)}" xml:lang="{esc(lang)}">\n'
        f"<head>\n<title>{esc(title)}</title>\n"
        f'<link rel="stylesheet" type="text/css" href="{CSS_HREF}"/>\n</head>\n'
        f"<body{cls}>\n{body}</body>\n</html>\n"
    ).encode()
