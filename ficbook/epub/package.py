"""Rendition + cover -> .epub bytes.

`opf` writes the package document (from the metadata gathered here), the nav document
and the NCX, as ebooklib's writer did; the
documents come finished (most deflated already, where their story was rendered), and
`ocf.zip_parts` packs it all deterministically: `mimetype` first and stored, fixed order,
fixed times.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, time

from ficbook.datafiles import data_text
from ficbook.epub.ocf import Deflated, Entry, should_compress, zip_parts
from ficbook.epub.opf import (
    NAV_NAME,
    NCX_NAME,
    Guide,
    Item,
    Metadata,
    nav_document,
    ncx_document,
    package_document,
)
from ficbook.errors import OutputError
from ficbook.model import Book, Resource
from ficbook.render import NavEntry, Rendition
from ficbook.text import number_text

CSS_NAME = "styles/book.css"
FOLDER = "epub"  # markup.md: lower-case names inside the zip
CONTAINER = (b'<?xml version="1.0" encoding="utf-8"?>\n'  # as ebooklib wrote it
             b'<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">\n'
             b'  <rootfiles>\n'
             b'    <rootfile media-type="application/oebps-package+xml" full-path="epub/content.opf"/>\n'
             b'  </rootfiles>\n</container>\n')


def stylesheet(book: Book) -> bytes:
    css = data_text("book.css")
    if book.css:
        css += "\n/* from the recipe */\n" + book.css + "\n"
    return css.encode("utf-8")


def story_languages(book: Book) -> list[str]:
    """The stories' languages other than the book's, in reading order, each once."""
    book_lang = book.meta.language.lower()
    return list(dict.fromkeys(
        lang for bs in book.stories if (lang := bs.story.meta.language)
        and lang.lower() != book_lang))


def package(book: Book, rendition: Rendition, cover: Resource | None,
            cover_data: Callable[[], bytes] | None = None) -> bytes:
    """`cover`: the cover image, written under images/ as `cover.name`; `cover_data`: its
    bytes, asked for as late as they are needed (a worker may still be drawing it)."""
    return b"".join(package_parts(book, rendition, cover, cover_data))


def package_parts(book: Book, rendition: Rendition, cover: Resource | None,
                  cover_data: Callable[[], bytes] | None = None) -> list[bytes]:
    """`package`'s bytes in pieces (`ocf.zip_parts`), to be written as they are."""
    m = book.meta
    md = book_metadata(book, rendition, cover.name if cover else None)
    items = [Item(CSS_NAME, "css", "text/css")]
    files: dict[str, bytes] = {"mimetype": b"application/epub+zip",
                               "META-INF/container.xml": CONTAINER}
    content = f"{FOLDER}/"
    files[content + CSS_NAME] = stylesheet(book)
    if cover:
        items.append(Item(f"images/{cover.name}", "cover-image", cover.media_type, "cover-image"))
        files[f"{content}images/{cover.name}"] = cover.data
    for res in rendition.resources:
        items.append(Item(f"images/{res.name}", f"img-{_id(res.name)}", res.media_type))
        files[f"{content}images/{res.name}"] = res.data
    spine: list[str] = []
    ready: dict[str, Deflated] = {}  # the zip's name -> the document deflated already
    for doc in rendition.documents:
        items.append(Item(doc.name, doc.uid, "application/xhtml+xml"))
        if doc.packed is not None:
            ready[content + doc.name] = doc.packed
        files[content + doc.name] = doc.content
        if doc.in_spine:
            spine.append(doc.uid)
    if not rendition.nav or not spine:
        raise OutputError("nothing to write: the book has no contents")
    items += [Item(NCX_NAME, "ncx", "application/x-dtbncx+xml"),
              Item(NAV_NAME, "nav", "application/xhtml+xml", "nav")]
    marks = rendition.landmarks
    guide = [Guide("cover", marks.cover, "Cover")] if marks.cover else []
    guide.append(Guide("toc", marks.contents, book.label("contents")))
    if marks.start:
        guide.append(Guide("text", marks.start, "Start"))

    mtime = datetime.combine(datetime.fromisoformat(m.date or "2000-01-01").date(), time(0),
                             tzinfo=UTC)
    files[content + "content.opf"] = package_document(md, items, spine, guide, mtime)
    files[content + NCX_NAME] = ncx_document(m.identifier, m.title, rendition.nav, nav_depth(rendition.nav))
    files[content + NAV_NAME] = nav_document(m.language, book.label("contents") or m.title, rendition.nav, guide)
    if cover and cover_data is not None:
        files[f"{content}images/{cover.name}"] = cover_data()
    return rezip(files, mtime, ready=ready)


def book_metadata(book: Book, rendition: Rendition, cover_name: str | None) -> Metadata:
    """The package's metadata, in the order they are written."""
    m = book.meta
    md = Metadata(m.identifier, m.title, m.language)
    for lang in story_languages(book):  # the other languages the stories are written in
        md.add_metadata("DC", "language", lang)
    _people(md, book)
    if m.description:
        md.add_metadata("DC", "description", m.description)
    if m.date:
        md.add_metadata("DC", "date", publication_date(m.date))
    for subject in m.subjects:
        md.add_metadata("DC", "subject", subject)
    md.add_metadata("DC", "publisher", "ficbook")
    # Each story's address, so calibre and FanFicFare recognise the works inside.
    for source in dict.fromkeys(bs.story.meta.source for bs in book.stories if bs.story.meta.source):
        md.add_metadata("DC", "source", source)
    if m.series:
        md.add_metadata(None, "meta", m.series, {"property": "belongs-to-collection",
                                                 "id": "series"})
        md.add_metadata(None, "meta", "series", {"refines": "#series",
                                                 "property": "collection-type"})
        md.add_metadata(None, "meta", "", {"name": "calibre:series", "content": m.series})
        if m.series_index is not None:
            index = number_text(m.series_index)
            md.add_metadata(None, "meta", index, {"refines": "#series",
                                                  "property": "group-position"})
            md.add_metadata(None, "meta", "", {"name": "calibre:series_index", "content": index})
    _accessibility(md, rendition, cover_name)
    if cover_name:
        md.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    return md


def nav_depth(entries: tuple[NavEntry, ...]) -> int:
    return max((1 + nav_depth(e.children) if e.children else 1 for e in entries), default=0)


def publication_date(day: str) -> str:
    """The recipe's day as a `dc:date` that every reader shows as that day.

    calibre reads a date without a time as "the month is right, the day may be off by
    one" and moves the 1st to the 2nd and the last day to the one before (its
    `fix_only_date`); a time of day keeps the day. Noon UTC is the same calendar day in
    every time zone from UTC-11 to UTC+11, where calibre shows local time.
    """
    return f"{day}T12:00:00Z" if len(day) == 10 else day


def _people(md: Metadata, book: Book) -> None:
    """Every story author is a `dc:creator` (role aut). A book whose authors are all unknown
    still gets a creator, or calibre and Kobo file it under "Unknown": the editor (role edt,
    which calibre takes as the author when there is no other), else "Various"."""
    m = book.meta
    if m.editor:
        md.add_metadata("DC", "contributor" if m.authors else "creator", m.editor, {"id": "editor"})
        md.add_metadata(None, "meta", "edt", {"refines": "#editor", "property": "role",
                                              "scheme": "marc:relators"})
    elif not m.authors:
        md.add_metadata("DC", "creator", book.label("various-authors"), {"id": "creator01"})
    for i, author in enumerate(m.authors, 1):
        md.add_metadata("DC", "creator", author, {"id": f"creator{i:02d}"})
        md.add_metadata(None, "meta", "aut", {"refines": f"#creator{i:02d}", "property": "role",
                                              "scheme": "marc:relators"})


_ALT = re.compile(rb'\salt="([^"]*)"')


def _accessibility(md: Metadata, rendition: Rendition, cover_name: str | None) -> None:
    """schema.org accessibility metadata that says what this book is: pictures only when it
    has some, and text alone sufficient only when every picture has a text description."""
    tags = [tag for doc in rendition.documents for tag in doc.pictures()
            if not (cover_name and f'src="../images/{cover_name}"'.encode() in tag)]
    described = all((a := _ALT.search(tag)) and a.group(1).strip() for tag in tags)
    pictures = len(tags)
    summary = ["Text with headings, a table of contents and navigation by story and chapter."]
    if cover_name:  # the cover page's <img> has the title as its description
        summary.append("The cover image repeats the title shown as text on the title page.")
    if pictures > 0:
        summary.append(f"The stories hold {pictures} picture{'s' * (pictures > 1)}"
                       + (", each with a text description." if described else
                          "; not every one has a text description."))
    props: list[tuple[str, str]] = [("schema:accessMode", "textual")]
    if pictures or cover_name:
        props.append(("schema:accessMode", "visual"))
    props.append(("schema:accessModeSufficient", "textual" if described else "textual,visual"))
    props += [("schema:accessibilityFeature", f) for f in
              ("structuralNavigation", "tableOfContents", "readingOrder")]
    if (pictures or cover_name) and described:
        props.append(("schema:accessibilityFeature", "alternativeText"))
    props += [("schema:accessibilityHazard", "none"),  # still pictures and text only
              ("schema:accessibilitySummary", " ".join(summary))]
    for prop, value in props:
        md.add_metadata(None, "meta", value, {"property": prop})


def rezip(files: dict[str, bytes], when: datetime, ready: dict[str, Deflated] | None = None) -> list[bytes]:
    """Pack with `mimetype` first and stored, entries in a fixed order, fixed times (the
    zip in pieces: `ocf.zip_parts`). `ready` maps a name to its bytes deflated already
    (`files` then holds nothing for it)."""
    ready = ready or {}
    order = [n for n in ("mimetype", "META-INF/container.xml") if n in files]
    names = order + sorted(n for n in files if n not in order)
    stamp = (when.year, when.month, when.day, 0, 0, 0)
    return zip_parts((Entry(n, files[n], compress=should_compress(n), ready=ready.get(n)) for n in names),
                     stamp)


def _id(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name)
