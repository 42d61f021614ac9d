"""Rendition + cover -> .epub bytes, and the atomic write of those bytes.

ebooklib writes the OPF, the nav document and the NCX; we hand it finished bytes only
(plain `EpubItem`s: `EpubHtml` would re-parse and rewrite our XHTML). Its zip is then
re-packed deterministically by `ocf.write_zip`: `mimetype` first and stored, fixed order,
fixed times.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, time

from ebooklib import epub

from ficbook.datafiles import data_text
from ficbook.epub.ocf import Deflated, Entry, should_compress, write_zip
from ficbook.errors import OutputError
from ficbook.model import Book, Resource
from ficbook.render import NavEntry, Rendition
from ficbook.text import number_text

CSS_NAME = "styles/book.css"

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
    m = book.meta
    eb = epub.EpubBook()
    eb.FOLDER_NAME = "epub"  # markup.md: lower-case names inside the zip
    eb.set_identifier(m.identifier)
    eb.set_title(m.title)
    eb.set_language(m.language)
    for lang in story_languages(book):  # the other languages the stories are written in
        eb.add_metadata("DC", "language", lang)
    _people(eb, book)
    if m.description:
        eb.add_metadata("DC", "description", m.description)
    if m.date:
        eb.add_metadata("DC", "date", publication_date(m.date))
    for subject in m.subjects:
        eb.add_metadata("DC", "subject", subject)
    eb.add_metadata("DC", "publisher", "ficbook")
    # Each story's address, so calibre and FanFicFare recognise the works inside.
    for source in dict.fromkeys(bs.story.meta.source for bs in book.stories if bs.story.meta.source):
        eb.add_metadata("DC", "source", source)
    if m.series:
        eb.add_metadata(None, "meta", m.series, {"property": "belongs-to-collection",
                                                 "id": "series"})
        eb.add_metadata(None, "meta", "series", {"refines": "#series",
                                                 "property": "collection-type"})
        eb.add_metadata(None, "meta", "", {"name": "calibre:series", "content": m.series})
        if m.series_index is not None:
            index = number_text(m.series_index)
            eb.add_metadata(None, "meta", index, {"refines": "#series",
                                                  "property": "group-position"})
            eb.add_metadata(None, "meta", "", {"name": "calibre:series_index", "content": index})
    _accessibility(eb, rendition, cover.name if cover else None)

    eb.add_item(epub.EpubItem(uid="css", file_name=CSS_NAME, media_type="text/css",
                              content=stylesheet(book)))
    if cover:
        image = epub.EpubItem(uid="cover-image", file_name=f"images/{cover.name}",
                              media_type=cover.media_type, content=cover.data)
        image.properties = ["cover-image"]
        eb.add_item(image)
        eb.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    for res in rendition.resources:
        eb.add_item(epub.EpubItem(uid=f"img-{_id(res.name)}", file_name=f"images/{res.name}",
                                  media_type=res.media_type, content=res.data))
    spine: list[epub.EpubItem | str] = []
    ready: dict[str, Deflated] = {}  # the zip's name -> the document deflated already
    for doc in rendition.documents:
        item = epub.EpubItem(uid=doc.uid, file_name=doc.name,
                             media_type="application/xhtml+xml", content=doc.content)
        if doc.packed is not None:
            ready[f"{eb.FOLDER_NAME}/{doc.name}"] = doc.packed
        eb.add_item(item)
        if doc.in_spine:
            spine.append(item)
    if not rendition.nav or not spine:
        raise OutputError("nothing to write: the book has no contents")
    eb.toc = _toc(rendition.nav, [0])
    eb.add_item(epub.EpubNcx())
    nav = epub.EpubNav(uid="nav", file_name="nav.xhtml", title=book.label("contents"))
    eb.add_item(nav)
    eb.spine = spine
    marks = rendition.landmarks
    eb.guide = [{"type": "cover", "href": marks.cover, "title": "Cover"}] if marks.cover else []
    eb.guide.append({"type": "toc", "href": marks.contents, "title": book.label("contents")})
    if marks.start:
        eb.guide.append({"type": "text", "href": marks.start, "title": "Start"})

    mtime = datetime.combine(datetime.fromisoformat(m.date or "2000-01-01").date(), time(0),
                             tzinfo=UTC)
    writer = _Writer("", eb, {"epub3_pages": False, "mtime": mtime, "play_order": {"enabled": True}})
    writer.process()
    writer.write()
    if cover and cover_data is not None:
        writer.out.files[f"{eb.FOLDER_NAME}/images/{cover.name}"] = cover_data()
    return rezip(writer.out.files, mtime, fix={"toc.ncx": lambda ncx: _ncx_depth(ncx, rendition.nav)},
                 ready=ready)


class _Files:
    """Stands in for the zip ebooklib writes: keeps each file's bytes for `rezip`."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def writestr(self, name: str, data: str | bytes, compress_type: int | None = None) -> None:
        self.files[name] = data.encode("utf-8") if isinstance(data, str) else data


class _Writer(epub.EpubWriter):
    """ebooklib's writer with the zip left out: `write_epub` zipped every file only for
    `rezip` to read it back (a third of packaging). `write` is ebooklib 0.20's, less the
    zip (pinned in pyproject.toml; tests/test_samples.py reads every book back)."""

    def _write_opf_file(self, root) -> None:
        # The package's own language: accessibility checkers (DAISY Ace) rate its absence
        # as serious, and ebooklib sets it only on the documents it writes.
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.book.language)
        super()._write_opf_file(root)

    def write(self) -> None:
        self.out = _Files()
        self.out.writestr("mimetype", "application/epub+zip")
        self._write_container()
        self._write_opf()
        self._write_items()


def nav_depth(entries: tuple[NavEntry, ...]) -> int:
    return max((1 + nav_depth(e.children) for e in entries), default=0)


def _ncx_depth(ncx: bytes, nav: tuple[NavEntry, ...]) -> bytes:
    # ebooklib always writes depth 0; readers that trust it flatten nested parts.
    fixed, n = re.subn(rb'(<meta content=")\d+(" name="dtb:depth"\s*/>)',
                       rb"\g<1>" + str(nav_depth(nav)).encode() + rb"\g<2>", ncx, count=1)
    assert n == 1, "dtb:depth not found in the NCX"
    return fixed


def publication_date(day: str) -> str:
    """The recipe's day as a `dc:date` that every reader shows as that day.

    calibre reads a date without a time as "the month is right, the day may be off by
    one" and moves the 1st to the 2nd and the last day to the one before (its
    `fix_only_date`); a time of day keeps the day. Noon UTC is the same calendar day in
    every time zone from UTC-11 to UTC+11, where calibre shows local time.
    """
    return f"{day}T12:00:00Z" if len(day) == 10 else day


def _people(eb: epub.EpubBook, book: Book) -> None:
    """Every story author is a `dc:creator` (role aut). A book whose authors are all unknown
    still gets a creator, or calibre and Kobo file it under "Unknown": the editor (role edt,
    which calibre takes as the author when there is no other), else "Various"."""
    m = book.meta
    if m.editor:
        eb.add_metadata("DC", "contributor" if m.authors else "creator", m.editor, {"id": "editor"})
        eb.add_metadata(None, "meta", "edt", {"refines": "#editor", "property": "role",
                                              "scheme": "marc:relators"})
    elif not m.authors:
        eb.add_metadata("DC", "creator", book.label("various-authors"), {"id": "creator01"})
    for i, author in enumerate(m.authors, 1):
        eb.add_metadata("DC", "creator", author, {"id": f"creator{i:02d}"})
        eb.add_metadata(None, "meta", "aut", {"refines": f"#creator{i:02d}", "property": "role",
                                              "scheme": "marc:relators"})


_ALT = re.compile(rb'\salt="([^"]*)"')


def _accessibility(eb: epub.EpubBook, rendition: Rendition, cover_name: str | None) -> None:
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
        eb.add_metadata(None, "meta", value, {"property": prop})


def _toc(entries: tuple[NavEntry, ...], counter: list[int]) -> list:
    out: list = []
    for e in entries:
        counter[0] += 1
        if e.children:
            section = epub.Section(e.title, href=e.href)
            out.append((section, _toc(e.children, counter)))
        else:
            out.append(epub.Link(e.href, e.title, f"nav{counter[0]:04d}"))
    return out


def rezip(files: dict[str, bytes], when: datetime,
          fix: dict[str, Callable[[bytes], bytes]] | None = None,
          ready: dict[str, Deflated] | None = None) -> bytes:
    """Pack with `mimetype` first and stored, entries in a fixed order, fixed times.

    `fix` maps a file name (the last path segment) to a function that rewrites its bytes;
    `ready` maps a name to its bytes deflated already (`files` then holds nothing for it).
    """
    fix = fix or {}
    ready = ready or {}
    names = list(files)
    order = ["mimetype", "META-INF/container.xml"]
    rest = sorted(n for n in names if n not in order)

    def entry(name: str) -> Entry:
        content = files[name]
        if name.rsplit("/", 1)[-1] in fix:
            content = fix[name.rsplit("/", 1)[-1]](content)
        return Entry(name, content, compress=should_compress(name), ready=ready.get(name))

    stamp = (when.year, when.month, when.day, 0, 0, 0)
    return write_zip((entry(n) for n in [n for n in order if n in names] + rest), stamp)


def _id(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name)
