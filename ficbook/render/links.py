"""Links between documents, written once every document's name is known.

A chapter may be split into several files, so the file a link points into is known only
after splitting. A link is written as a placeholder naming the target id (`ref`); each
draft lists the ids it holds (`Draft.anchors`, recorded as the split places each block),
and `resolve` writes the placeholders from that table: no document is searched for ids.
"""

from __future__ import annotations

import re

from ficbook.model import MovedNote, NoteRef
from ficbook.render.rendition import Document, Draft, page

_REF = re.compile("\x00([A-Za-z][A-Za-z0-9._-]*)\x00")


def ref(anchor: str) -> str:
    """An href to the element with id `anchor`, wherever it ends up."""
    return f"\x00{anchor}\x00"


def anchor_of(r: NoteRef | MovedNote) -> str:
    """The id of the link left in the text for an appendix note: stable within its story."""
    return f"noteref-{r.anchor}" if r.anchor else f"noteref-{r.number:03d}"


def note_anchor(note: NoteRef | MovedNote) -> str:
    """The id of the note itself in the notes appendix."""
    return f"note-{note.anchor}" if note.anchor else f"note-{note.number:03d}"


def finish(d: Draft) -> Document | None:
    """The draft's document when it links to no other (no `ref` in it), else None."""
    try:
        content = page(d.title, d.body, d.lang, d.body_class)
    except UnicodeEncodeError:
        return None  # text that cannot be written: `resolve` fails on it, as ever
    # A link placeholder holds "\x00", and UTF-8 writes nothing else as a zero byte: a page
    # without one is done (a memchr; the text's own "\x00" test is a slow loop in wide
    # strings).
    return Document(d.name, d.uid, d.title, content) if b"\x00" not in content else None


def resolve(drafts: list[Draft]) -> list[Document]:
    """The finished documents: every `ref` written as `file.xhtml#id` from the drafts' anchors."""
    finished = [finish(d) for d in drafts]
    if None not in finished:  # no links at all (no notes appendix: most books)
        return finished  # type: ignore[return-value]
    where: dict[str, str] = {}
    for d in drafts:
        for anchor in d.anchors:
            where.setdefault(anchor, d.name.rsplit("/", 1)[-1])

    def sub(m: re.Match[str]) -> str:
        anchor = m.group(1)
        if anchor not in where:
            raise AssertionError(f"link to a missing id {anchor!r}")
        return f"{where[anchor]}#{anchor}"

    return [doc if doc is not None else
            Document(d.name, d.uid, d.title, page(d.title, _REF.sub(sub, d.body), d.lang, d.body_class))
            for d, doc in zip(drafts, finished)]
