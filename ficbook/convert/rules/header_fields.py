"""The labels of a story's header block (`Title:`, `Author:`, `Rating:`, `Summary:`,
`Disclaimer:`…): which field of the card each one fills, and how a line is read as one."""

from __future__ import annotations

import re

# label (lower case, spaces collapsed) -> StoryMeta field, or "note:<kind>", or "summary"
LABELS: dict[str, str] = {
    "title": "title", "story title": "title", "name": "title",
    "author": "authors", "authors": "authors", "by": "authors", "written by": "authors",
    "writer": "authors", "pen name": "authors",
    "category": "fandoms", "categories": "fandoms", "fandom": "fandoms", "fandoms": "fandoms",
    "rating": "rating", "rated": "rating",
    "pairing": "pairings", "pairings": "pairings", "relationship": "pairings",
    "relationships": "pairings", "ship": "pairings", "ships": "pairings",
    "characters": "characters", "character": "characters",
    "warnings": "warnings", "warning": "warnings", "archive warnings": "warnings",
    "archive warning": "warnings", "content warnings": "warnings",
    "genre": "genres", "genres": "genres",
    "tags": "tags", "additional tags": "tags", "freeform": "tags",
    "status": "status", "series": "series",
    "published": "published", "posted": "published",
    "word count": "words", "words": "words", "wordcount": "words", "stats": "words",
    "hits": "words", "kudos": "words", "bookmarks": "words", "comments": "words",
    "summary": "summary", "description": "summary", "blurb": "summary",
    "disclaimer": "note:disclaimer", "disclaimers": "note:disclaimer",
    "feedback": "note:feedback",
    "dedication": "note:dedication", "dedicated to": "note:dedication",
    "story notes": "note:author-note", "notes": "note:author-note", "note": "note:author-note",
    "a/n": "note:author-note", "an": "note:author-note", "a.n.": "note:author-note",
    "a/ns": "note:author-note", "author's note": "note:author-note",
    "author's notes": "note:author-note", "authors note": "note:author-note",
    "authors notes": "note:author-note", "author note": "note:author-note",
    "authors' note": "note:author-note", "n/a": "note:author-note",
    "spoilers": "extra", "spoiler": "extra", "beta": "extra", "beta reader": "extra",
    "betas": "extra", "beta'd by": "extra", "timeline": "extra", "setting": "extra",
    "prompt": "extra", "challenge": "extra", "updated": "extra", "completed": "extra",
    "language": "extra", "crossover": "extra", "universe": "extra", "length": "extra",
    "chapters": "extra", "season": "extra", "feedback to": "extra", "archive": "extra",
    "email": "extra", "e-mail": "extra", "website": "extra", "url": "extra",
}
# Fields whose value may run over several lines; under any other, a line without a label
# ends the header.
RUNS_OVER = {"summary", "warnings", "characters", "tags", "pairings", "fandoms", "genres",
              "extra", "note:disclaimer", "note:feedback", "note:dedication",
              "note:author-note"}
LIST_FIELDS = {"authors", "fandoms", "pairings", "characters", "warnings", "genres", "tags"}
SPLIT = {
    "authors": r",|;|&| and ",
    "fandoms": r",|;",
    "pairings": r",|;",
    "characters": r",|;|&| and ",
    "warnings": r",|;",
    "genres": r",|;|/",
    "tags": r",|;",
}

LABEL_RE = re.compile(r"^\s*([A-Za-z][A-Za-z'’./ ]{0,24}?)\s*[:：]\s*(.*)$", re.DOTALL)
UNKNOWN_LABEL = re.compile(r"^[A-Z][A-Za-z'’]*(?: [A-Za-z'’]+){0,2}$")
BY_LINE = re.compile(r"^\s*by\s+(\S.{0,60})$", re.IGNORECASE)


def label_kind(label: str) -> str | None:
    key = " ".join(label.lower().replace("’", "'").split())
    return LABELS.get(key)


def field_of(text: str) -> tuple[str, str, str | None] | None:
    """(label, value, kind) when the line starts with a label; kind None when unknown."""
    m = LABEL_RE.match(text)
    if not m:
        return None
    label, value = m.group(1).strip(), m.group(2)
    kind = label_kind(label)
    if kind is None and not UNKNOWN_LABEL.match(label):
        return None
    return label, value, kind
