"""Every sample recipe builds a book that passes EPUBCheck and follows markup.md."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from ficbook.build import BuildOptions, build
from ficbook.recipe import load_recipe
from tests.bookcheck import EPUB_TYPE, NS, story_file
from tests.conftest import SAMPLE_RECIPES, assert_epubcheck_clean


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("books")
    return {p.stem: build(p, BuildOptions(out_dir=out)).output for p in SAMPLE_RECIPES}


class Epub:
    """A built book read back with zipfile and lxml: no ficbook code involved."""

    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path)
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//{*}rootfile").get("full-path")
        self.base = self.opf_path.rsplit("/", 1)[0] + "/" if "/" in self.opf_path else ""
        self.opf = etree.fromstring(self.zip.read(self.opf_path))
        self.manifest = {i.get("id"): i for i in self.opf.iterfind(".//opf:manifest/opf:item", NS)}

    def meta(self, tag: str) -> list[str]:
        return [e.text for e in self.opf.iterfind(f".//opf:metadata/dc:{tag}", NS)]

    def prop(self, prop: str) -> list[str]:
        return [e.text for e in self.opf.iterfind(f".//opf:metadata/opf:meta[@property='{prop}']", NS)]

    def story_file(self, n: int, rest: str) -> str:
        return story_file(self.spine, n, rest)

    def named(self, name: str) -> list[str]:
        return [e.get("content") for e in self.opf.iterfind(f".//opf:metadata/opf:meta[@name='{name}']", NS)]

    @property
    def spine(self) -> list[str]:
        return [self.manifest[i.get("idref")].get("href")
                for i in self.opf.iterfind(".//opf:spine/opf:itemref", NS)]

    def xhtml(self, href: str) -> etree._Element:
        return etree.fromstring(self.zip.read(self.base + href))

    def raw(self, href: str) -> bytes:
        return self.zip.read(self.base + href)


def test_every_sample_book_passes_epubcheck_with_zero_messages(books):
    assert_epubcheck_clean(list(books.values()))


def test_rebuilding_gives_byte_identical_books(books, tmp_path: Path):
    for path in SAMPLE_RECIPES:
        again = build(path, BuildOptions(out_dir=tmp_path)).output
        assert again.read_bytes() == books[path.stem].read_bytes(), path.name


def test_zip_layout_and_file_names(books):
    for path in books.values():
        zf = zipfile.ZipFile(path)
        first = zf.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert zf.read("mimetype") == b"application/epub+zip"
        for info in zf.infolist():
            assert re.fullmatch(r"[a-z0-9._/-]+", info.filename, re.I), info.filename
            assert " " not in info.filename
            if not info.filename.startswith("META-INF/"):
                assert info.filename == info.filename.lower(), info.filename


def test_package_metadata(books):
    book = Epub(books["spuffy"])
    recipe = load_recipe(Path("recipes/spuffy.yaml"))
    assert book.meta("title") == [recipe.title]
    assert book.meta("language") == ["en"]
    [identifier] = book.meta("identifier")
    assert identifier == recipe.uuid and identifier.startswith("urn:uuid:")
    assert book.meta("description") == [recipe.description]
    assert set(recipe.subjects) <= set(book.meta("subject"))
    # series in both EPUB 3 and calibre forms
    assert book.prop("belongs-to-collection") == ["Buffyverse Sampler"]
    assert book.prop("group-position") == ["1"]
    assert book.named("calibre:series") == ["Buffyverse Sampler"]
    assert book.named("calibre:series_index") == ["1"]
    # no story author is known: the editor is the creator, with role edt (calibre and Kobo
    # file a book without a creator under "Unknown")
    assert book.opf.findall(".//dc:contributor", NS) == []
    [creator] = book.opf.findall(".//dc:creator", NS)
    assert creator.text == recipe.editor
    role = book.opf.find(f".//opf:meta[@refines='#{creator.get('id')}'][@property='role']", NS)
    assert role.text == "edt"
    # with authors, the editor is a contributor beside them
    other = Epub(books["bangel"])
    [contributor] = other.opf.findall(".//dc:contributor", NS)
    assert contributor.text == recipe.editor
    assert other.meta("creator") == ["Singing Violin"]
    # a time of day keeps calibre from moving the 1st of the month to the 2nd
    assert book.meta("date") == ["2024-05-01T12:00:00Z"]
    assert book.opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    for prop in ("schema:accessMode", "schema:accessibilityFeature", "schema:accessibilityHazard",
                 "schema:accessibilitySummary"):
        assert book.prop(prop), prop


def test_every_story_author_is_a_creator_with_a_unique_id(books):
    book = Epub(books["bangel"])
    creators = book.opf.findall(".//dc:creator", NS)
    assert "Singing Violin" in [c.text for c in creators]
    ids = [c.get("id") for c in creators]
    assert len(ids) == len(set(ids)) and all(ids)


def test_cover_is_declared_and_first_in_the_spine(books):
    book = Epub(books["spuffy"])
    covers = [i for i in book.manifest.values() if "cover-image" in (i.get("properties") or "")]
    assert len(covers) == 1
    assert book.named("cover") == [covers[0].get("id")]
    assert book.spine[0] == "text/cover.xhtml"
    img = book.xhtml("text/cover.xhtml").find(".//x:img", NS)
    assert img.get("src") == "../" + covers[0].get("href")


def test_reading_order(books):
    book = Epub(books["spuffy"])
    assert book.spine == [
        "text/cover.xhtml", "text/title.xhtml", "text/contents.xhtml",
        book.story_file(1, "card"), book.story_file(1, "c01"), book.story_file(1, "notes"),  # notes: story-end
        book.story_file(2, "card"), book.story_file(2, "c01"),
    ]
    # Story files are named by the story's stable key, never by its position.
    assert all(re.fullmatch(r"text/s-[a-z0-9-]+-[0-9a-f]{6}-(card|c01|notes)\.xhtml", h)
               for h in book.spine[3:])
    notes = book.xhtml(book.story_file(1, "notes"))
    assert "As always, please review." in "".join(notes.itertext())
    assert "As always, please review." not in book.raw(book.story_file(1, "c01")).decode()
    title = book.xhtml("text/title.xhtml").find(".//x:section", NS)
    assert title.get("class") == "book-title" and title.get(EPUB_TYPE) == "titlepage"
    assert "Ashes and Embers" in "".join(title.itertext())


def test_contents_page_lists_each_story_with_author_rating_and_words(books):
    book = Epub(books["bangel"])
    contents = book.xhtml("text/contents.xhtml")
    section = contents.find(".//x:section[@class='contents']", NS)
    assert section is not None
    items = section.findall(".//x:li[@class='contents-story']", NS)
    assert len(items) == 2
    text = " ".join("".join(li.itertext()) for li in items)
    assert "Fight For Me" in text and "Singing Violin" in text and "Rating: K" in text
    assert re.search(r"\d[\d,]* words", text)
    for li in items:
        assert li.find("x:a", NS).get("href").endswith("-card.xhtml")


def test_story_card_markup(books):
    book = Epub(books["bangel"])
    card = book.xhtml(book.story_file(2, "card")).find(".//x:section[@class='story-card']", NS)
    assert card.find("x:h1[@class='story-title']", NS).text == "Fight For Me"
    assert card.find("x:p[@class='story-author']", NS).text == "Singing Violin"
    dl = card.find("x:dl[@class='story-meta']", NS)
    facts = dict(zip([dt.text for dt in dl.findall("x:dt", NS)],
                     [dd.text for dd in dl.findall("x:dd", NS)]))
    assert facts["Rating"] == "K"
    assert facts["Category"] == "Buffy: The Vampire Slayer"
    assert int(facts["Words"].replace(",", "")) > 1000
    summary = card.find("x:div[@class='summary']", NS)
    assert summary.get("role") == "doc-abstract"
    assert "One last reunion" in "".join(summary.itertext())
    # bangel.yaml has `disclaimers: credits`: not on the card, on one credits page.
    assert card.find("x:aside[@class='disclaimer']", NS) is None
    credits = book.xhtml("text/credits.xhtml").find(".//x:section[@class='credits']", NS)
    text = "".join(credits.itertext())
    assert "Fight For Me" in text and "Singing Violin" in text
    assert "The Buffyverse and characters therein are not mine." in text
    # and where a story keeps its disclaimer on the card (everything.yaml, story 3):
    everything = Epub(books["everything"])
    card = everything.xhtml(everything.story_file(3, "card"))
    disclaimer = card.find(".//x:aside[@class='disclaimer']", NS)
    assert disclaimer.get("role") == "note"
    assert disclaimer.find("x:p[@class='note-label']", NS).text == "Disclaimer"
    assert "Not mine." in "".join(disclaimer.itertext())


def test_header_fields_are_not_story_text(books):
    book = Epub(books["bangel"])
    prefix = book.story_file(2, "c01").removesuffix("01.xhtml")
    chapter = b"".join(book.raw(h) for h in book.spine if h.startswith(prefix))
    for label in (b"Title:", b"Author:", b"Rating:", b"Summary:", b"Disclaimer:", b"Category:"):
        assert label not in chapter


def test_chapter_files_and_paragraphs(books):
    for path in books.values():
        book = Epub(path)
        for href in book.spine:
            doc = book.xhtml(href)
            if not re.search(r"-c\d+(-\d+)?\.xhtml$", href):
                continue
            section = doc.find(".//x:section", NS)
            assert section.get("class") == "chapter" and section.get(EPUB_TYPE) == "chapter"
            for p in doc.iterfind(".//x:p", NS):
                assert "".join(p.itertext()).strip(), f"empty paragraph in {href}"
            hrs = section.findall("x:hr", NS)
            children = list(section)
            for hr in hrs:
                assert hr.get("class") == "scene-break"
                assert children.index(hr) not in (0, len(children) - 1), href


def test_every_document_declares_encoding_and_language(books):
    book = Epub(books["everything"])
    for item in book.manifest.values():
        if item.get("media-type") != "application/xhtml+xml":
            continue
        raw = book.raw(item.get("href"))
        assert re.match(rb"<\?xml version=.1\.0. encoding=.utf-8.\?>", raw), item.get("href")
        root = etree.fromstring(raw)
        assert root.get("lang") and root.get("{http://www.w3.org/XML/1998/namespace}lang")


def _nav_tree(ol: etree._Element) -> list:
    tree = []
    for li in ol.findall("x:li", NS):
        label = li.find("x:a", NS)
        if label is None:
            label = li.find("x:span", NS)
        sub = li.find("x:ol", NS)
        tree.append((label.text, _nav_tree(sub) if sub is not None else []))
    return tree


def _ncx_tree(parent: etree._Element) -> list:
    return [(np.find("ncx:navLabel/ncx:text", NS).text, _ncx_tree(np))
            for np in parent.findall("ncx:navPoint", NS)]


def test_nav_and_ncx_hold_the_same_nested_tree(books):
    book = Epub(books["everything"])
    nav_item = next(i for i in book.manifest.values() if "nav" in (i.get("properties") or "").split())
    nav = book.xhtml(nav_item.get("href"))
    toc = nav.find(".//x:nav", NS)
    assert toc.get(EPUB_TYPE) == "toc"
    nav_tree = _nav_tree(toc.find("x:ol", NS))
    ncx_item = next(i for i in book.manifest.values() if i.get("media-type") == "application/x-dtbncx+xml")
    ncx_tree = _ncx_tree(book.xhtml(ncx_item.get("href")).find("ncx:navMap", NS))
    assert nav_tree == ncx_tree
    titles = [t for t, _ in nav_tree]
    assert titles[:2] == ["The Sunnydale Shelf", "Contents"]
    # parts nest above stories, in recipe order
    parts = dict(nav_tree[2:-1])
    assert list(parts) == ["Spike and Buffy", "Buffy and Angel", "Everyone Else"]
    assert nav_tree[-1] == ("Notes", [])  # back matter last (notes: appendix)
    assert [t for t, _ in parts["Buffy and Angel"]] == ["Wine Into Blood", "Fight For Me \u2014 Singing Violin"]


def test_stylesheet_is_css21(books):
    css = Epub(books["spuffy"]).raw("styles/book.css").decode()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for banned in ("calc(", "var(", "min(", "max(", "@supports", "flex", "grid"):
        assert banned not in css
    assert not re.search(r"\d(rem|vw|vh)\b", css)
    assert not re.search(r"(^|[\s,}])(div|span)\s*[{,]", css)
