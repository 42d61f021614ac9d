"""Names inside the book that survive a rebuild.

A story's files and element ids come from a stable key of the story, never from its
position: its source URL when it has one, else the path the recipe gives and its title.
Adding, removing or reordering other stories then leaves every other story's file names
and ids as they were, and with them the places a reader keeps by file and id (Kobo: file
and span id; KOReader: the file, by its place in the spine). File names follow the book's
contract: ASCII, lower case, no spaces; the key starts with a letter, so it is an XML id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

_SLUG_CHARS = 24


def slug(text: str, limit: int = _SLUG_CHARS) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=3).hexdigest()


def story_key(path: str | None, title: str, source: str | None = None) -> str:
    """`s-<title>-<6 hex>`: the hash of the source URL, else of the path and the title."""
    if source and re.match(r"https?://", source.strip(), re.IGNORECASE):
        identity = source.strip()
    else:
        identity = f"{(path or '').replace(chr(92), '/')}\n{title}"
    words = slug(title)
    return f"s-{words}-{_digest(identity)}" if words else f"s-{_digest(identity)}"


def part_key(title: str | None) -> str:
    words = slug(title or "")
    return f"part-{words}-{_digest(title or '')}" if words else f"part-{_digest(title or '')}"


def unique(keys: Iterable[str]) -> list[str]:
    """The keys, a repeated one numbered (`-2`, `-3`) in order of appearance."""
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key}-{seen[key]}")
    return out
