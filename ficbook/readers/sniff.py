"""What kind of file a story is, from its bytes first and its name second.

Saved pages are often renamed `.txt`, EPUBs arrive as `.zip`, and text dumps keep a few
stray `<i>` tags: the extension alone decides nothing.
"""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["text", "html", "epub", "zip"]

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


def sniff(data: bytes, name: str = "") -> Kind:
    if data[:4] == b"PK\x03\x04":
        return "epub" if b"mimetypeapplication/epub+zip" in data[:100] or _zip_has_opf(data) else "zip"
    head = _head(data)
    if _STRONG.search(head[:4096]):
        return "html"
    lower = name.lower()
    tags = len(_BLOCK_TAGS.findall(data[:65536]))
    if lower.endswith((".htm", ".html", ".xhtml")) and re.search(rb"<[A-Za-z!/]", data[:65536]):
        return "html"
    # A text file with markup in every paragraph is a page whose head was cut off.
    if tags >= 8 and head.startswith(b"<"):
        return "html"
    return "text"


def _zip_has_opf(data: bytes) -> bool:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return any(n.lower().endswith(".opf") for n in zf.namelist()[:2000])
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
