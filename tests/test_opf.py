"""The package document, nav document and NCX written as strings (`ficbook.epub.opf`) are
byte for byte what ebooklib's lxml writer made of the same book, which they replaced."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime

import pytest
from ebooklib import epub
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ficbook.assemble import assemble
from ficbook.epub.opf import Guide, Item, Metadata, attr, nav_document, ncx_document, package_document, text
from ficbook.epub.package import CONTAINER, book_metadata, nav_depth, package
from ficbook.model import Resource
from ficbook.recipe import Recipe
from ficbook.render import NavEntry, render
from tests.bookcheck import png, rich_recipe, rich_stories

WHEN = datetime(2024, 5, 1, tzinfo=UTC)
TRICKY = 'Fish & "Chips" <b>\'n\'</b> > café — 😀\tand\nmore\r'


class _Files:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def writestr(self, name: str, data: str | bytes, compress_type: int | None = None) -> None:
        self.files[name] = data.encode() if isinstance(data, str) else data


class _Reference(epub.EpubWriter):
    """ebooklib 0.20's writer as `package` used it: the package's xml:lang added."""

    def _write_opf_file(self, root) -> None:  # noqa: ANN001
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.book.language)
        super()._write_opf_file(root)


def _toc(entries: tuple[NavEntry, ...], counter: list[int]) -> list:
    out: list = []
    for e in entries:
        counter[0] += 1
        if e.children:
            out.append((epub.Section(e.title, href=e.href), _toc(e.children, counter)))
        else:
            out.append(epub.Link(e.href, e.title, f"nav{counter[0]:04d}"))
    return out


def ebooklib_writes(meta: Metadata, items: list[Item], spine: list[str], guide: list[Guide],
                    toc: tuple[NavEntry, ...], nav_title: str) -> tuple[bytes, bytes, bytes]:
    """(content.opf, nav.xhtml, toc.ncx) as ebooklib writes them for this book."""
    eb = epub.EpubBook()
    eb.metadata, eb.uid, eb.title, eb.language = meta.entries, meta.identifier, meta.title, meta.language
    eb.FOLDER_NAME = "epub"
    by_id = {}
    for it in items:
        if it.id == "ncx":
            item = epub.EpubNcx()
        elif it.id == "nav":
            item = nav = epub.EpubNav(uid="nav", file_name="nav.xhtml", title=nav_title)
        else:
            item = epub.EpubItem(uid=it.id, file_name=it.href, media_type=it.media_type, content=b"")
            if it.properties:
                item.properties = [it.properties]
        eb.add_item(item)
        by_id[it.id] = item
    eb.spine = [by_id[uid] for uid in spine]
    eb.toc = _toc(toc, [0])
    eb.guide = [{"type": g.type, "href": g.href, "title": g.title} for g in guide]
    writer = _Reference("", eb, {"epub3_pages": False, "mtime": WHEN, "play_order": {"enabled": True}})
    writer.out = _Files()
    writer._write_opf()
    return writer.out.files["epub/content.opf"], writer._get_nav(nav), writer._get_ncx()


def test_a_whole_book_is_packaged_as_ebooklib_packaged_it():
    recipe = rich_recipe(series={"name": TRICKY, "index": 2.5}, editor="Ed <itor>", subtitle="Sub",
                         description=TRICKY, subjects=["A & B", "C"]).model_copy(update={
        "stories": [], "parts": Recipe.model_validate({"title": "T", "parts": [
            {"title": "One & Only", "stories": [{"path": "long-road.txt"}]},
            {"title": "Two", "stories": [{"path": "short-walk.txt"}]}]}).parts})
    book = assemble(recipe, rich_stories())
    rendition = render(book, "cover.png")
    data = package(book, rendition, Resource("cover.png", "image/png", png("blue")))
    zf = zipfile.ZipFile(io.BytesIO(data))
    docs = rendition.documents
    items = [Item("styles/book.css", "css", "text/css"),
             Item("images/cover.png", "cover-image", "image/png", "cover-image"),
             *(Item(f"images/{r.name}", f"img-{r.name.replace('.', '-')}", r.media_type)
               for r in rendition.resources),
             *(Item(d.name, d.uid, "application/xhtml+xml") for d in docs),
             Item("toc.ncx", "ncx", "application/x-dtbncx+xml"),
             Item("nav.xhtml", "nav", "application/xhtml+xml", "nav")]
    marks = rendition.landmarks
    guide = [Guide("cover", marks.cover, "Cover"), Guide("toc", marks.contents, "Contents"),
             Guide("text", marks.start, "Start")]
    opf, nav, ncx = ebooklib_writes(book_metadata(book, rendition, "cover.png"), items,
                                    [d.uid for d in docs if d.in_spine], guide, rendition.nav, "Contents")
    assert nav_depth(rendition.nav) == 3  # parts, stories, chapters
    ncx = ncx.replace(b'<meta content="0" name="dtb:depth"/>', b'<meta content="3" name="dtb:depth"/>')
    assert zf.read("epub/content.opf") == opf
    assert zf.read("epub/nav.xhtml") == nav
    assert zf.read("epub/toc.ncx") == ncx
    assert b"One &amp; Only" in nav and b"&lt;b&gt;" in opf


def _shapes() -> tuple[NavEntry, ...]:
    """Links, sections with and without a page of their own, nested three deep, odd hrefs."""
    link = NavEntry
    return (link(TRICKY, "text/a.xhtml#x"),
            link("Pageless", "", (link("B", "text/b.xhtml"),
                                  link("Inner", "text/inner.xhtml", (link("C", "./text/c.xhtml"),)),
                                  link("D", "text//d.xhtml"))),
            link("Deep", "text/deep.xhtml", (link("", "", (link("", "", (link("E", "text/e.xhtml"),)),)),)),
            link("F", "text/sub/../f.xhtml"))


def _metadata_book(description: str, series: str) -> Metadata:
    eb = Metadata("urn:uuid:1 & 2", TRICKY, "fr")
    eb.add_metadata("DC", "description", description)
    eb.add_metadata("DC", "creator", TRICKY, {"id": "creator01"})
    eb.add_metadata(None, "meta", "aut", {"refines": "#creator01", "property": "role"})
    eb.add_metadata(None, "meta", "", {"name": "calibre:series", "content": series})
    eb.add_metadata(None, "meta", None, {"name": "empty"})
    eb.add_metadata("OPF", "generator", "", {"name": "other", "content": "x"})
    eb.add_metadata("OPF", "modified", "", {"property": "dcterms:modified"})  # written once
    return eb


@pytest.mark.parametrize(("description", "series"), [
    (TRICKY, TRICKY),
    ("bad \x0b control", "fine"),  # lxml refuses the text: ebooklib leaves the element empty
    ("fine", "bad \x01 control"),  # lxml refuses the attribute: ebooklib leaves it out
])
def test_odd_text_and_every_shape_of_navigation_as_ebooklib(description, series):
    items = [Item("text/a.xhtml", "a", "application/xhtml+xml"),
             Item("images/p q.png", "img-p-q", "image/png"),
             Item('text/odd&"<name>.xhtml', "odd&id", "application/xhtml+xml"),
             Item("toc.ncx", "ncx", "application/x-dtbncx+xml"),
             Item("nav.xhtml", "nav", "application/xhtml+xml", "nav")]
    guide = [Guide("toc", "text/a.xhtml", TRICKY), Guide("notes", "text/n.xhtml", "N"),
             Guide("text", "text/a.xhtml#s", "Start")]
    opf, nav, ncx = ebooklib_writes(_metadata_book(description, series), items, ["a", "odd&id"], guide,
                                    _shapes(), TRICKY)
    assert package_document(_metadata_book(description, series), items, ["a", "odd&id"], guide, WHEN) == opf
    assert nav_document("fr", TRICKY, _shapes(), guide) == nav
    assert ncx_document("urn:uuid:1 & 2", TRICKY, _shapes(), 0) == ncx
    assert b'<content src="text/b.xhtml"/>' in ncx  # the pageless section points to its first link


def test_a_title_lxml_refuses_is_refused():
    with pytest.raises(ValueError, match="XML compatible"):
        nav_document("en", "Contents", (NavEntry("bad \x00", "text/a.xhtml"),), [])


def _lxml_text(value: str) -> str:
    el = etree.Element("t")
    el.text = value
    return etree.tostring(el, encoding="utf-8").decode()[3:-4]


def _lxml_attr(value: str) -> str:
    return etree.tostring(etree.Element("t", {"a": value}), encoding="utf-8").decode()[6:-3]


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8") | st.sampled_from('&<>"\'\r\n\t\x0b\ufffe]]>'), max_size=12))
def test_escaping_is_libxml2s(value):
    for ours, theirs in ((text, _lxml_text), (attr, _lxml_attr)):
        try:
            expected = theirs(value)
        except ValueError:
            with pytest.raises(ValueError):
                ours(value)
            continue
        assert ours(value) == expected


def test_the_ncx_depth_is_the_navigation_depth():
    flat = (NavEntry("A", "text/a.xhtml"),)
    nested = (NavEntry("P", "text/p.xhtml", flat),)
    assert re.search(rb'content="1" name="dtb:depth"', ncx_document("u", "T", flat, nav_depth(flat)))
    assert re.search(rb'content="2" name="dtb:depth"', ncx_document("u", "T", nested, nav_depth(nested)))


def test_metadata_are_kept_in_the_order_ebooklib_kept_them():
    eb = epub.EpubBook()
    eb.set_identifier("urn:x")
    eb.set_title("T")
    eb.set_language("fr")
    md = Metadata("urn:x", "T", "fr")
    for book in (eb, md):
        book.add_metadata("DC", "creator", "A", {"id": "creator01"})
        book.add_metadata(None, "meta", "aut", {"refines": "#creator01", "property": "role"})
        book.add_metadata("DC", "language", "en")
        book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    assert md.entries == eb.metadata
    assert list(md.entries) == list(eb.metadata)  # the namespaces' order too
    assert CONTAINER == (epub.CONTAINER_XML % {"folder_name": "epub"}).encode()
