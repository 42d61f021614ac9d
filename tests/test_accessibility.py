"""Package metadata that readers, libraries and accessibility checkers rely on, kept true to
what each book holds: its language, its creators, its date, its pictures."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ficbook.assemble import assemble
from ficbook.epub.package import package, publication_date
from ficbook.model import Image, Paragraph, Resource
from ficbook.render import render
from tests.bookcheck import NS, Book, rich_recipe, rich_stories

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _book(_tmp: Path, stories=None, cover: bool = False, **recipe) -> Book:
    from tests.bookcheck import png

    book = assemble(rich_recipe(**recipe), stories or rich_stories())
    rendition = render(book, "cover.png" if cover else None)
    data = package(book, rendition, Resource("cover.png", "image/png", png("blue")) if cover else None)
    return Book(data)


def _anonymous(stories):
    return [replace(s, meta=replace(s.meta, authors=())) for s in stories]


def _without_alt(stories):
    """The rich stories with their one picture's description removed."""
    one, two = stories
    chapters = list(one.chapters)
    blocks = []
    for b in chapters[1].blocks:
        if isinstance(b, Paragraph):
            b = replace(b, inlines=tuple(replace(i, alt="") if isinstance(i, Image) else i
                                         for i in b.inlines))
        blocks.append(b)
    chapters[1] = replace(chapters[1], blocks=tuple(blocks))
    return [replace(one, chapters=tuple(chapters)), two]


def _role(book: Book, element) -> str | None:
    found = book.opf.find(f".//opf:meta[@refines='#{element.get('id')}'][@property='role']", NS)
    return None if found is None else found.text


def test_the_package_declares_the_books_language(tmp_path: Path) -> None:
    for lang in ("en", "pt-BR"):
        book = _book(tmp_path, language=lang)
        assert book.opf.get(XML_LANG) == lang
        assert book.meta("language") == [lang]


def test_story_authors_are_the_creators_and_the_editor_a_contributor(tmp_path: Path) -> None:
    book = _book(tmp_path, editor="Ed Itor")
    creators = book.opf.findall(".//dc:creator", NS)
    assert [c.text for c in creators] == ["Ann Writer", "Bea Author", "Cy Coauthor"]
    assert {_role(book, c) for c in creators} == {"aut"}
    [editor] = book.opf.findall(".//dc:contributor", NS)
    assert editor.text == "Ed Itor" and _role(book, editor) == "edt"


def test_unknown_authors_give_the_editor_as_creator(tmp_path: Path) -> None:
    book = _book(tmp_path, stories=_anonymous(rich_stories()), editor="Ed Itor")
    [creator] = book.opf.findall(".//dc:creator", NS)
    assert creator.text == "Ed Itor" and _role(book, creator) == "edt"
    assert book.opf.findall(".//dc:contributor", NS) == []


def test_unknown_authors_and_no_editor_give_various(tmp_path: Path) -> None:
    book = _book(tmp_path, stories=_anonymous(rich_stories()))
    assert book.meta("creator") == ["Various"]
    renamed = _book(tmp_path, stories=_anonymous(rich_stories()),
                    labels={"various-authors": "Divers auteurs"})
    assert renamed.meta("creator") == ["Divers auteurs"]


def test_the_date_carries_a_time_so_calibre_keeps_the_day() -> None:
    assert publication_date("2024-05-01") == "2024-05-01T12:00:00Z"
    assert publication_date("2024-05-31") == "2024-05-31T12:00:00Z"


def test_accessibility_metadata_for_a_described_picture_and_a_cover(tmp_path: Path) -> None:
    book = _book(tmp_path, cover=True)
    assert book.prop("schema:accessMode") == ["textual", "visual"]
    assert book.prop("schema:accessModeSufficient") == ["textual"]
    assert "alternativeText" in book.prop("schema:accessibilityFeature")
    assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(
        book.prop("schema:accessibilityFeature"))
    assert book.prop("schema:accessibilityHazard") == ["none"]
    [summary] = book.prop("schema:accessibilitySummary")
    assert "cover image" in summary and "1 picture, each with a text description" in summary


def test_accessibility_metadata_for_a_picture_without_description(tmp_path: Path) -> None:
    book = _book(tmp_path, stories=_without_alt(rich_stories()))
    assert book.prop("schema:accessModeSufficient") == ["textual,visual"]
    assert "alternativeText" not in book.prop("schema:accessibilityFeature")
    [summary] = book.prop("schema:accessibilitySummary")
    assert "not every one has a text description" in summary and "cover" not in summary


def test_accessibility_metadata_for_text_only(tmp_path: Path) -> None:
    recipe = rich_recipe()
    recipe = recipe.model_copy(update={"stories": recipe.stories[1:]})
    book = assemble(recipe, rich_stories()[1:])  # the second story: no picture; and no cover
    book = Book(package(book, render(book, None), None))
    assert book.prop("schema:accessMode") == ["textual"]
    assert book.prop("schema:accessModeSufficient") == ["textual"]
    assert "alternativeText" not in book.prop("schema:accessibilityFeature")
    [summary] = book.prop("schema:accessibilitySummary")
    assert "picture" not in summary and "cover" not in summary


# epub:type -> the DPUB-ARIA role that goes with it, where that role is allowed on the element
# the book uses (ARIA in HTML). `titlepage` has no role; `cover` is a role of the cover
# image, not of its section; `endnote` (on li) is deprecated in DPUB-ARIA 1.1.
ROLES = {"chapter": "doc-chapter", "toc": "doc-toc", "part": "doc-part",
         "endnotes": "doc-endnotes", "credits": "doc-credits", "noteref": "doc-noteref"}


def test_every_epub_type_with_a_role_carries_it(tmp_path: Path) -> None:
    from ficbook.build import BuildOptions, build
    from tests.bookcheck import EPUB_TYPE, build_rich
    from tests.conftest import SAMPLE_RECIPES

    paths = [build(p, BuildOptions(out_dir=tmp_path)).output for p in SAMPLE_RECIPES]
    paths.append(build_rich(tmp_path, "appendix", "credits")[0])
    seen, wrong = set(), []
    for path in paths:
        book = Book(path)
        # (a landmarks entry's epub:type names where it leads, not what the link is)
        for doc, el in book.find_all(".//*[@epub:type][not(ancestor::x:nav[@epub:type='landmarks'])]"):
            for kind in el.get(EPUB_TYPE).split():
                if kind in ROLES:
                    seen.add(kind)
                    if el.get("role") != ROLES[kind]:
                        wrong.append(f"{path.name}: {doc}: epub:type={kind} role={el.get('role')}")
        for doc, img in book.find_all(".//x:img[@class='cover-image']"):
            if img.get("role") != "doc-cover":
                wrong.append(f"{path.name}: {doc}: cover image without role doc-cover")
    assert wrong == []
    assert seen == set(ROLES)  # every kind was met, so the check ran on each
