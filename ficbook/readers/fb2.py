"""FB2 (FictionBook XML, as Russian-language archives hand out): the title-info to
the card, sections to chapters, emphasis and strong kept, the notes body to end notes."""

from __future__ import annotations

from lxml import etree

from ficbook.errors import StoryError
from ficbook.readers.document import Document
from ficbook.readers.written import xml

_FB = "{http://www.gribuser.ru/xml/fictionbook/2.0}"


def read_fb2(data: bytes, name: str) -> Document:
    from html import escape

    from ficbook.model import Note, Paragraph, Text

    root = xml(data, name, "the FictionBook file")
    ns = _FB if root.tag.startswith(_FB) else ""

    def find(el: etree._Element | None, path: str) -> etree._Element | None:
        return el.find("/".join(f"{ns}{p}" for p in path.split("/"))) if el is not None else None

    info = find(root, "description/title-info")
    title_el = find(info, "book-title")
    title = (title_el.text or "").strip() if title_el is not None else None
    authors: list[str] = []
    for a in info.findall(f"{ns}author") if info is not None else ():
        parts = [(a.findtext(f"{ns}{p}") or "").strip()
                 for p in ("first-name", "middle-name", "last-name")]
        full = " ".join(p for p in parts if p) or (a.findtext(f"{ns}nickname") or "").strip()
        if full:
            authors.append(full)
    lang_el = find(info, "lang")
    lang = (lang_el.text or "").strip() if lang_el is not None else None
    genres = tuple((g.text or "").strip() for g in info.findall(f"{ns}genre")) \
        if info is not None else ()

    def inline(el: etree._Element) -> str:
        parts = [escape(el.text or "")]
        for child in el:
            local = _local(child)
            inner = inline(child)
            if local == "emphasis":
                parts.append(f"<em>{inner}</em>")
            elif local == "strong":
                parts.append(f"<strong>{inner}</strong>")
            elif local == "strikethrough":
                parts.append(f"<s>{inner}</s>")
            elif local in ("sup", "sub"):
                parts.append(f"<{local}>{inner}</{local}>")
            elif local == "a" and (child.get("type") == "note"):
                pass  # a footnote's number: the notes are set apart at the end
            elif local != "image":
                parts.append(inner)
            parts.append(escape(child.tail or ""))
        return "".join(parts)

    def plain(el: etree._Element) -> str:
        return " ".join("".join(el.itertext()).split())

    out: list[str] = []

    def block(el: etree._Element, depth: int) -> None:
        local = _local(el)
        if local == "section":
            head = el.find(f"{ns}title")
            if head is not None:
                level = min(depth, 3)
                out.append(f"<h{level}>{escape(' '.join(plain(p) for p in head))}</h{level}>")
            for child in el:
                if child is not head:
                    block(child, depth + 1)
        elif local == "p":
            out.append(f"<p>{inline(el)}</p>")
        elif local == "subtitle":
            out.append(f"<p align=\"center\">{inline(el)}</p>")
        elif local == "empty-line":
            out.append("<p>* * *</p>" if _between_text(el) else "")
        elif local in ("poem", "cite", "epigraph"):
            inner: list[str] = []
            for child in el.iter(f"{ns}p", f"{ns}v", f"{ns}text-author"):
                inner.append(f"<p>{inline(child)}</p>")
            out.append(f"<blockquote>{''.join(inner)}</blockquote>")
        elif local == "title":
            out.append(f"<h1>{escape(' '.join(plain(p) for p in el))}</h1>")
        elif local == "table":
            out.append(f"<p>{escape(plain(el))}</p>")

    bodies = root.findall(f"{ns}body")
    main = next((b for b in bodies if b.get("name") is None), bodies[0] if bodies else None)
    if main is None:
        raise StoryError("a FictionBook file without a <body>", file=name)
    sections = main.findall(f"{ns}section")
    depth = 2 if len(sections) > 1 or main.find(f"{ns}title") is not None else 1
    for child in main:
        local = _local(child)
        if local == "title":
            continue  # the book's title: on the card
        block(child, depth if local == "section" else 1)
    annotation = find(info, "annotation")
    summary = tuple(Paragraph((Text(plain(p)),)) for p in annotation) if annotation is not None \
        else ()
    end: list[Note] = []
    for b in bodies:
        if b is main:
            continue
        paras = tuple(Paragraph((Text(plain(p)),)) for p in b.iter(f"{ns}p")
                      if plain(p) and _local(p.getparent()) != "title")
        if paras:
            end.append(Note("author-note", paras, label="Notes"))
    return Document("\n".join(out), title=title or None, authors=tuple(authors),
                    language=lang or None, summary=summary, tags=genres, end_notes=tuple(end))


def _local(el: etree._Element) -> str:
    """An element's name without its namespace; "" for an entity, a comment, a PI."""
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _between_text(el: etree._Element) -> bool:
    """An <empty-line/> between paragraphs of a section: a scene break; at its ends: none."""
    return el.getprevious() is not None and el.getnext() is not None
