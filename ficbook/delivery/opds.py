"""The OPDS 1.2 catalog of a library, as Atom feeds written with lxml.

One set of feeds serves both ways: a running server (`ficbook serve`, links from the
site root, with OpenSearch) and static files (`ficbook opds`, links relative to the
`opds/` folder, so the catalog works wherever a web server puts it; no search without a
server). Feed names are file names: `index.xml`, `new.xml`, `new-2.xml` (page 2),
`series.xml`, `series-<slug>.xml`, `authors.xml`, `author-<slug>.xml`, `editors.xml`,
`editor-<slug>.xml`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from lxml import etree

from ficbook.delivery.library import Entry, fold, slug

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
_NSMAP = {None: ATOM, "dc": DC, "dcterms": DCTERMS, "opds": OPDS}

NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH_TYPE = "application/opensearchdescription+xml"
EPUB_TYPE = "application/epub+zip"
KEPUB_TYPE = "application/kepub+zip"
REL_ACQUIRE = "http://opds-spec.org/acquisition"
REL_IMAGE = "http://opds-spec.org/image"
REL_THUMB = "http://opds-spec.org/image/thumbnail"
PAGE_SIZE = 25
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Site:
    """How links are written: from the server's root, or relative to `opds/` on disk."""

    feed: Callable[[str], str]  # feed name -> href
    book: Callable[[str], str]  # a book's path in the library -> href
    image: Callable[[str], str]  # "covers/<key>.jpg" -> href
    search: str | None = None  # the OpenSearch description, when there is a server
    search_feed: Callable[[str, int], str] | None = None  # (terms, page) -> href


SERVER = Site(feed=lambda n: "/opds" if n == "index.xml" else f"/opds/{n}",
              book=lambda p: "/books/" + quote(p), image=lambda n: f"/opds/{n}",
              search="/opds/search.xml",
              search_feed=lambda q, page: f"/opds/search?q={quote(q)}"
              + (f"&page={page}" if page > 1 else ""))
STATIC = Site(feed=lambda n: n, book=lambda p: "../" + quote(p), image=lambda n: n)


def cover_name(entry: Entry) -> str | None:
    if not entry.cover:
        return None
    ext = {"image/png": "png", "image/gif": "gif", "image/webp": "webp"}.get(entry.cover_type or "", "jpg")
    return f"covers/{entry.key}.{ext}"


def thumbnail_name(entry: Entry) -> str | None:
    return f"thumbs/{entry.key}.jpg" if entry.cover else None


class Catalog:
    def __init__(self, entries: list[Entry], site: Site, title: str = "ficbook library",
                 page_size: int = PAGE_SIZE):
        self.entries = entries  # newest first
        self.site = site
        self.title = title
        self.page_size = page_size
        self.updated = max((e.modified for e in entries), default=_EPOCH)
        self.groups: dict[str, dict[str, list[Entry]]] = {"series": defaultdict(list),
                                                         "author": defaultdict(list),
                                                         "editor": defaultdict(list)}
        for e in entries:
            if e.series:
                self.groups["series"][e.series].append(e)
            for name in dict.fromkeys(e.authors):
                self.groups["author"][name].append(e)
            for name in dict.fromkeys(e.editors):
                self.groups["editor"][name].append(e)
        for books in self.groups["series"].values():
            books.sort(key=lambda e: (_index(e.series_index), e.title.casefold()))

    # ------------------------------------------------------------------ feeds by name

    def names(self) -> list[str]:
        """Every feed the catalog has (what a static copy writes)."""
        out = ["index.xml"]
        out += _paged("new", len(self.entries), self.page_size)
        for kind, plural in (("series", "series"), ("author", "authors"), ("editor", "editors")):
            out += _paged(plural, len(self.groups[kind]), self.page_size)
            for name, books in self.groups[kind].items():
                out += _paged(f"{kind}-{slug(name)}", len(books), self.page_size)
        return out

    def feed(self, name: str) -> bytes | None:
        stem, page = _page_of(name)
        if stem is None:
            return None
        if stem == "index":
            return self._root() if page == 1 else None
        if stem == "new":
            return self._books(stem, page, "Newest first", self.entries)
        for kind, plural, label in (("series", "series", "By series"),
                                    ("author", "authors", "By author"),
                                    ("editor", "editors", "By editor")):
            if stem == plural:
                return self._list(kind, plural, page, label)
            if stem.startswith(kind + "-"):
                for value, books in self.groups[kind].items():
                    if f"{kind}-{slug(value)}" == stem:
                        return self._books(stem, page, value, books)
        return None

    def kind(self, name: str) -> str:
        """The feed's media type: navigation for the root and the lists, else acquisition."""
        stem, _ = _page_of(name)
        return NAVIGATION if stem in ("index", "series", "authors", "editors") else ACQUISITION

    def search(self, terms: str, page: int = 1) -> bytes | None:
        search_feed = self.site.search_feed
        if search_feed is None:  # a static catalog: no server to search
            return None
        words = fold(terms).split()
        found = [e for e in self.entries if all(w in e.words for w in words)] if words else []
        pages = max(1, -(-len(found) // self.page_size))
        if page < 1 or page > pages:
            return None
        feed = self._feed(f"search:{terms}", f"Search: {terms}", ACQUISITION,
                          search_feed(terms, page))
        self._paging(feed, pages, page, lambda p: search_feed(terms, p), ACQUISITION)
        for e in found[(page - 1) * self.page_size: page * self.page_size]:
            self._book_entry(feed, e)
        return _bytes(feed)

    def opensearch(self, base: str = "") -> bytes:
        """The OpenSearch description; `base` makes its template absolute (scheme and host)."""
        root = etree.Element(f"{{{OPENSEARCH}}}OpenSearchDescription", nsmap={None: OPENSEARCH})
        etree.SubElement(root, f"{{{OPENSEARCH}}}ShortName").text = "ficbook"
        etree.SubElement(root, f"{{{OPENSEARCH}}}Description").text = f"Search {self.title}"
        etree.SubElement(root, f"{{{OPENSEARCH}}}InputEncoding").text = "UTF-8"
        etree.SubElement(root, f"{{{OPENSEARCH}}}OutputEncoding").text = "UTF-8"
        assert self.site.search_feed is not None, "OpenSearch needs a server"
        template = base + self.site.search_feed("", 1).replace("q=", "q={searchTerms}")
        etree.SubElement(root, f"{{{OPENSEARCH}}}Url", type=ACQUISITION, template=template)
        return _bytes(root)

    # ------------------------------------------------------------------ the feeds

    def _root(self) -> bytes:
        feed = self._feed("index", self.title, NAVIGATION, self.site.feed("index.xml"))
        rows = [("new", "Newest first", ACQUISITION, len(self.entries), "book"),
                ("series", "By series", NAVIGATION, len(self.groups["series"]), "series"),
                ("authors", "By author", NAVIGATION, len(self.groups["author"]), "author"),
                ("editors", "By editor", NAVIGATION, len(self.groups["editor"]), "editor")]
        for stem, title, kind, count, what in rows:
            if count or stem == "new":
                self._nav_entry(feed, stem, title, kind, _count(count, what), self.updated)
        return _bytes(feed)

    def _list(self, kind: str, plural: str, page: int, label: str) -> bytes | None:
        items = sorted(self.groups[kind].items(), key=lambda kv: fold(kv[0]))
        pages = max(1, -(-len(items) // self.page_size))
        if page > pages:
            return None
        name = _name(plural, page)
        feed = self._feed(plural, label, NAVIGATION, self.site.feed(name))
        self._paging(feed, pages, page, lambda p: self.site.feed(_name(plural, p)), NAVIGATION)
        for value, books in items[(page - 1) * self.page_size: page * self.page_size]:
            count = _count(len(books), "book")
            self._nav_entry(feed, f"{kind}-{slug(value)}", value, ACQUISITION, count,
                            max(b.modified for b in books))
        return _bytes(feed)

    def _books(self, stem: str, page: int, title: str, books: list[Entry]) -> bytes | None:
        pages = max(1, -(-len(books) // self.page_size))
        if page > pages:
            return None
        feed = self._feed(stem, title, ACQUISITION, self.site.feed(_name(stem, page)),
                          max((b.modified for b in books), default=self.updated))
        self._paging(feed, pages, page, lambda p: self.site.feed(_name(stem, p)), ACQUISITION)
        for e in books[(page - 1) * self.page_size: page * self.page_size]:
            self._book_entry(feed, e)
        return _bytes(feed)

    # ------------------------------------------------------------------ pieces

    def _feed(self, key: str, title: str, kind: str, self_href: str,
              updated: datetime | None = None) -> etree._Element:
        feed = etree.Element(f"{{{ATOM}}}feed", nsmap=_NSMAP)
        _text(feed, "id", f"urn:ficbook:opds:{quote(key, safe='')}")
        _text(feed, "title", title)
        _text(feed, "updated", _date(updated or self.updated))
        author = etree.SubElement(feed, f"{{{ATOM}}}author")
        _text(author, "name", "ficbook")
        _link(feed, "self", self_href, kind)
        _link(feed, "start", self.site.feed("index.xml"), NAVIGATION, title=self.title)
        if self.site.search:
            _link(feed, "search", self.site.search, OPENSEARCH_TYPE, title="Search")
        return feed

    def _paging(self, feed, pages: int, page: int, href: Callable[[int], str], kind: str) -> None:
        if pages == 1:
            return
        _link(feed, "first", href(1), kind)
        if page > 1:
            _link(feed, "previous", href(page - 1), kind)
        if page < pages:
            _link(feed, "next", href(page + 1), kind)
        _link(feed, "last", href(pages), kind)

    def _nav_entry(self, feed, stem: str, title: str, kind: str, content: str,
                   updated: datetime) -> None:
        entry = etree.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", title)
        _text(entry, "id", f"urn:ficbook:opds:{quote(stem, safe='')}")
        _text(entry, "updated", _date(updated))
        _text(entry, "content", content, type="text")
        _link(entry, "subsection", self.site.feed(_name(stem, 1)), kind, title=title)

    def _book_entry(self, feed, e: Entry) -> None:
        entry = etree.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", e.title)
        _text(entry, "id", e.identifier if ":" in e.identifier else f"urn:ficbook:book:{e.key}")
        _text(entry, "updated", _date(e.modified))
        for name in e.authors:
            _text(etree.SubElement(entry, f"{{{ATOM}}}author"), "name", name)
        for name in e.editors:
            _text(etree.SubElement(entry, f"{{{ATOM}}}contributor"), "name", name)
        if e.language:
            etree.SubElement(entry, f"{{{DC}}}language").text = e.language
        if e.published:
            etree.SubElement(entry, f"{{{DCTERMS}}}issued").text = e.published
        for subject in e.subjects:
            etree.SubElement(entry, f"{{{ATOM}}}category", term=subject, label=subject)
        if e.description:
            _text(entry, "summary", e.description, type="text")
        _text(entry, "content", _about(e), type="text")
        cover, thumb = cover_name(e), thumbnail_name(e)
        if cover and thumb:
            _link(entry, REL_IMAGE, self.site.image(cover), e.cover_type)
            _link(entry, REL_THUMB, self.site.image(thumb), "image/jpeg")
        _link(entry, REL_ACQUIRE, self.site.book(e.path), EPUB_TYPE, title="EPUB", length=e.size)
        if e.kepub:
            _link(entry, REL_ACQUIRE, self.site.book(e.kepub), KEPUB_TYPE,
                  title="Kobo (KEPUB)", length=e.kepub_size)


def _about(e: Entry) -> str:
    parts = []
    if e.authors:
        parts.append("By " + ", ".join(e.authors) + ".")
    if e.editors:
        parts.append("Edited by " + ", ".join(e.editors) + ".")
    if e.series:
        parts.append(f"{e.series}" + (f", {e.series_index}" if e.series_index else "") + ".")
    parts.append(f"EPUB, {e.size:,} bytes.")
    return " ".join(parts)


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("s" if n != 1 and not what.endswith("s") else "")


def _index(value: str | None) -> float:
    try:
        return float(value) if value else float("inf")
    except ValueError:
        return float("inf")


def _name(stem: str, page: int) -> str:
    return f"{stem}.xml" if page == 1 else f"{stem}-{page}.xml"


def _paged(stem: str, count: int, size: int) -> list[str]:
    return [_name(stem, p) for p in range(1, max(1, -(-count // size)) + 1)]


def _page_of(name: str) -> tuple[str | None, int]:
    if not name.endswith(".xml"):
        return None, 0
    stem = name[:-4]
    head, _, tail = stem.rpartition("-")
    if head and tail.isdigit() and not tail.startswith("0") and int(tail) > 1:
        return head, int(tail)
    return stem, 1


def _text(parent, tag: str, text: str, **attrs) -> etree._Element:
    el = etree.SubElement(parent, f"{{{ATOM}}}{tag}", **attrs)
    el.text = text
    return el


def _link(parent, rel: str, href: str, kind: str | None, **attrs) -> None:
    values = {"rel": rel, "href": href}
    if kind:
        values["type"] = kind
    values.update({k: str(v) for k, v in attrs.items() if v is not None})
    etree.SubElement(parent, f"{{{ATOM}}}link", **values)


def _date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
