"""The rules every e-reader needs (field-notes.md), checked on every book we can build here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ficbook.assemble import assemble
from ficbook.build import BuildOptions, build
from ficbook.devices.kepub import kepubify
from ficbook.epub.package import package
from ficbook.model import Chapter, Paragraph, SceneBreak, Story, StoryMeta, Text
from ficbook.render import MAX_DOC_BYTES, render
from tests.bookcheck import NS, Book, build_rich, link_problems, rich_recipe
from tests.conftest import SAMPLE_RECIPES, assert_epubcheck_clean

SAFE_NAME = re.compile(r"^[a-z0-9._/-]+$")


def huge_story() -> Story:
    """About 1.5 MB of text in one chapter, scene breaks every 40 paragraphs."""
    blocks = []
    for i in range(3000):
        if i and i % 40 == 0:
            blocks.append(SceneBreak())
        blocks.append(Paragraph((Text(f"Paragraph {i:04d}. " + "Words that go on and on. " * 20),)))
    return Story(StoryMeta("Huge", ("Prolific Author",)), (Chapter(None, tuple(blocks)),),
                 path="huge.txt")


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("devices")
    paths = [build(p, BuildOptions(out_dir=out, kepub=True)).output for p in SAMPLE_RECIPES]
    paths += [out / f"{p.stem}.kepub.epub" for p in SAMPLE_RECIPES]
    rich = build_rich(out, "appendix", "credits")[0]
    paths.append(rich)
    kepub = out / "rich.kepub.epub"  # images, noterefs and the appendix, Kobo-marked
    kepub.write_bytes(kepubify(rich.read_bytes()))
    paths.append(kepub)
    recipe = rich_recipe().model_copy(update={"stories": rich_recipe().stories[:1]})
    book = assemble(recipe, [huge_story()])
    huge = out / "huge.epub"
    huge.write_bytes(package(book, render(book, None), None))
    paths.append(huge)
    return paths


def test_all_pass_epubcheck(books: list[Path]) -> None:
    assert_epubcheck_clean(books)


def test_file_names_are_ascii_lower_case_without_spaces(books: list[Path]) -> None:
    for path in books:
        for name in Book(path).zip.namelist():
            if name not in ("mimetype", "META-INF/container.xml"):
                assert SAFE_NAME.match(name), f"{path.name}: {name}"


def test_every_xml_file_declares_its_encoding(books: list[Path]) -> None:
    for path in books:
        book = Book(path)
        for name in book.zip.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                head = book.zip.read(name)[:60].lower().replace(b"'", b'"')
                assert head.startswith(b'<?xml version="1.0" encoding="utf-8"?>'), f"{path.name}: {name}"


def test_language_links_images_and_bodies(books: list[Path]) -> None:
    for path in books:
        book = Book(path)
        assert re.match(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$", book.meta("language")[0])
        for doc in book.xhtml_paths:
            root = book.doc(doc)
            assert root.get("lang") and root.get("{http://www.w3.org/XML/1998/namespace}lang")
            for img in root.iter(f"{{{NS['x']}}}img"):
                assert img.get("src"), f"{path.name}: {doc}: <img> without src"
        assert link_problems(book) == [], path.name


def test_accessibility_metadata(books: list[Path]) -> None:
    for path in books:
        book = Book(path)
        assert "textual" in book.prop("schema:accessMode")
        assert book.prop("schema:accessibilityFeature")
        assert book.prop("schema:accessibilityHazard") == ["none"]
        assert book.prop("schema:accessibilitySummary")[0].strip()


def test_huge_story_is_split_below_300_kb_without_losing_a_word(books: list[Path]) -> None:
    book = Book(books[-1])
    first = re.escape(book.story_file(1, "c01").removesuffix(".xhtml"))
    chapters = [h for h in book.spine if re.match(rf"{first}(-\d+)?\.xhtml$", h)]
    assert len(chapters) >= 5
    sizes = [len(book.zip.read(book.path(h))) for h in chapters]
    assert max(sizes) < 300_000 and max(sizes) <= MAX_DOC_BYTES + 2_000
    text = " ".join(book.text(book.path(h)) for h in chapters)
    numbers = re.findall(r"Paragraph (\d{4})\.", text)
    assert numbers == [f"{i:04d}" for i in range(3000)]
    for h in chapters:
        section = book.doc(book.path(h)).find(".//x:section", NS)
        assert section[0].tag != f"{{{NS['x']}}}hr" and section[-1].tag != f"{{{NS['x']}}}hr"
    # Most cuts fall on scene breaks: each later file starts where a scene starts.
    starts = [re.search(r"Paragraph (\d{4})", book.text(book.path(h))).group(1) for h in chapters[1:]]
    assert sum(int(s) % 40 == 0 for s in starts) >= len(starts) - 1


def test_the_stylesheet_in_the_book_has_no_rule_for_bare_div_or_span(books: list[Path]) -> None:
    from ficbook.recipe.csslint import lint_css

    for path in books:
        book = Book(path)
        css = [n for n in book.zip.namelist() if n.endswith(".css")]
        assert css and all(lint_css(book.zip.read(n).decode()) == [] for n in css)
