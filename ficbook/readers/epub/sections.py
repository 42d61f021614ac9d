"""EPUB 3 documents that say what their sections are (`epub:type`).

A book made as one document (the EPUB 3 samples, some exporters) holds its title page,
its chapters and its notes as `<section>`s: `frontmatter`/`titlepage`, `bodymatter` with a
section per chapter, `backmatter`/`rearnotes`. Read as one page, the title page made the
whole book "furniture" and nothing was left. So the front matter is set aside (but its
epigraph opens the first chapter and its dedication goes to the card: they are the
author's words), the sections of the body are chapters, and the back matter is the
author's end notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from bs4 import Tag

_FRONT = frozenset({"frontmatter", "titlepage", "halftitlepage", "cover", "toc", "landmarks",
                    "copyright-page", "loi", "lot", "seriespage", "imprint", "colophon"})
_BACK = frozenset({"backmatter", "rearnotes", "endnotes", "footnotes", "afterword", "appendix"})
_HEADINGS = ("h1", "h2", "h3")


@dataclass(frozen=True)
class Sections:
    chapters: tuple[Tag, ...]  # each read as one chapter (the whole body when untyped)
    back: tuple[Tag, ...]  # back matter: the author's end notes
    front: tuple[str, ...]  # the front matter's kinds, set aside ("titlepage")
    dedications: tuple[Tag, ...] = ()  # found in the front matter


def epub_types(tag: Tag) -> set[str]:
    return set(str(tag.get("epub:type") or "").split())


def split_sections(body: Tag) -> Sections:
    """The document's chapters and back matter; a document whose sections say nothing of
    what they are is one chapter."""
    typed = [t for t in body.find_all("section") if epub_types(t) & (_FRONT | _BACK | {"bodymatter"})]
    if not typed or not any(epub_types(t) & {"bodymatter"} for t in typed):
        return Sections((body,), (), ())
    front: list[str] = []
    back: list[Tag] = []
    epigraphs: list[Tag] = []
    dedications: list[Tag] = []
    for t in typed:
        kinds = epub_types(t)
        if t.parent is None or kinds & {"bodymatter"}:
            continue  # already taken out with a section around it
        if kinds & _FRONT:
            front.append(" ".join(sorted(kinds & _FRONT)))
            epigraphs += [e.extract() for e in t.find_all(True) if "epigraph" in epub_types(e)]
            dedications += [e.extract() for e in t.find_all(True) if "dedication" in epub_types(e)]
            t.extract()
        elif kinds & _BACK:
            back.append(t.extract())
    # the back matter's innermost typed sections ("rearnotes" inside "backmatter") are one
    parts = [s for s in body.find_all("section")
             if any(isinstance(c, Tag) and c.name in _HEADINGS for c in s.children)]
    top = [s for s in parts if not any(p in parts for p in s.parents)]
    if len(top) < 2 or _letters(body) > sum(map(_letters, top)):
        top = [body]  # text outside the sections: the body is read whole, nothing left out
    heading = next((c for c in top[0].children if isinstance(c, Tag) and c.name in _HEADINGS), None)
    for e in reversed(epigraphs):  # under the first chapter's heading
        if heading is not None:
            heading.insert_after(e)
        else:
            top[0].insert(0, e)
    return Sections(tuple(top), tuple(back), tuple(front), tuple(dedications))


def _letters(tag: Tag) -> int:
    return sum(len(w) for w in tag.get_text().split())
