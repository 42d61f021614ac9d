"""What kind of file a story is, from its bytes first and its name second.

Saved pages are often renamed `.txt`, EPUBs arrive as `.zip`, and text dumps keep a few
stray `<i>` tags: the extension alone decides nothing.
"""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["text", "html", "epub", "zip", "docx", "odt", "fb2", "markdown"]

_STRONG = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<\?xml[^>]*>\s*<(?:!doctype|html)",
                     re.IGNORECASE)
_BLOCK_TAGS = re.compile(rb"<(?:p|div|br|table|td|span|blockquote|center|font|hr)(?:\s[^>]*)?/?>",
                         re.IGNORECASE)


def _head(data: bytes) -> bytes:
    head = data[:8192]
    # UTF-16 pages: look at them as ASCII.
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(head) > 3 and head[1:2] == b"\x00"):
        head = head.replace(b"\x00", b"")
    return head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")


_FB2 = re.compile(rb"<FictionBook[\s>]")
_ODT = b"mimetypeapplication/vnd.oasis.opendocument.text"
# Markdown: a front matter block, or ATX headings on lines of their own
_MD_FRONT = re.compile(rb"\A---[ \t]*\r?\n(?:[^\n]*\n){0,30}?(?:title|author)\s*:", re.IGNORECASE)
_MD_HEADING = re.compile(rb"^#{1,6} (?!#)[^\s#]", re.MULTILINE)  # not a "# # #" break


def sniff(data: bytes, name: str = "") -> Kind:
    if data[:4] == b"PK\x03\x04":
        if data[30:30 + len(_ODT)] == _ODT or data[:100].find(_ODT) >= 0:
            return "odt"
        if b"mimetypeapplication/epub+zip" in data[:100]:
            return "epub"
        members = _zip_names(data)
        if "word/document.xml" in members:
            return "docx"
        if "content.xml" in members and any(n == "mimetype" for n in members):
            return "odt"
        return "epub" if any(n.lower().endswith(".opf") for n in members) else "zip"
    head = _head(data)
    if _FB2.search(head[:4096]):
        return "fb2"
    if _STRONG.search(head[:4096]):
        return "html"
    lower = name.lower()
    if lower.endswith((".htm", ".html", ".xhtml")) and re.search(rb"<[A-Za-z!/]", data[:65536]):
        return "html"
    # A text file with markup in every paragraph is a page whose head was cut off. (The
    # tags are counted only then: a count over 64 KB is most of a story's sniffing.)
    if head.startswith(b"<") and len(_BLOCK_TAGS.findall(data[:65536])) >= 8:
        return "html"
    if _MD_FRONT.match(head) or (lower.endswith((".md", ".markdown", ".mdown"))
                                 and _MD_HEADING.search(head)) \
            or ((b"\n#" in head or head[:1] == b"#") and len(_MD_HEADING.findall(head)) >= 3):
        return "markdown"
    return "text"


def _zip_names(data: bytes) -> list[str]:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return zf.namelist()[:2000]
    except (zipfile.BadZipFile, OSError, ValueError):
        return []
