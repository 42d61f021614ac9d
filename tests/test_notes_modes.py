"""Every notes and disclaimers mode, on the sample recipes and on a story with notes everywhere.

Each book is read back with lxml (tests/bookcheck.py), never through ficbook's own code:
where each note's text ends up, links resolving both ways, parts in nav and NCX, and
EPUBCheck with zero messages on all of the books in one run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from ficbook.build import BuildOptions, build
from ficbook.errors import RecipeError
from ficbook.recipe import parse_recipe
from tests.bookcheck import (
    DISCLAIMER_WORDS,
    NOTE_WORDS,
    NS,
    TEXT_WORDS,
    Book,
    build_rich,
    link_problems,
    noteref_problems,
)
from tests.conftest import SAMPLE_RECIPES, assert_epubcheck_clean

NOTES = ("inline", "story-end", "appendix", "drop")
DISCLAIMERS = ("story", "credits", "drop")
# Each notes mode and each disclaimers mode at least once on every sample recipe.
SAMPLE_MODES = (("inline", "story"), ("story-end", "credits"), ("appendix", "drop"),
                ("drop", "credits"))


def variant(recipe: Path, out: Path, notes: str, disclaimers: str,
            per_story: dict[int, dict] | None = None, **extra: object) -> Path:
    """The sample recipe with other modes, its story paths made absolute."""
    yaml = YAML()
    data = yaml.load(recipe.read_text("utf-8"))
    data["notes"], data["disclaimers"] = notes, disclaimers
    data.update(extra)
    entries = ([s for p in data["parts"] for s in p["stories"]] if "parts" in data
               else data["stories"])
    for n, entry in enumerate(entries):
        entry["path"] = str((recipe.parent / entry["path"]).resolve())
        entry.update((per_story or {}).get(n, {}))
    path = out / f"{recipe.stem}-{notes}-{disclaimers}.yaml"
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    return path


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], tuple]:
    out = tmp_path_factory.mktemp("modes")
    built: dict[tuple[str, str, str], tuple] = {}
    for recipe in SAMPLE_RECIPES:
        for notes, disclaimers in SAMPLE_MODES:
            result = build(variant(recipe, out, notes, disclaimers), BuildOptions(out_dir=out))
            built[(recipe.stem, notes, disclaimers)] = (result.output, result.diagnostics)
    for notes in NOTES:
        for disclaimers in DISCLAIMERS:
            path, book = build_rich(out, notes, disclaimers)
            built[("rich", notes, disclaimers)] = (path, book.diagnostics)
    return built


def test_every_book_passes_epubcheck_with_zero_messages(books) -> None:
    assert len(books) == len(SAMPLE_RECIPES) * len(SAMPLE_MODES) + len(NOTES) * len(DISCLAIMERS)
    assert_epubcheck_clean([path for path, _ in books.values()])


def test_links_resolve_both_ways_in_every_book(books) -> None:
    problems = []
    for key, (path, _) in books.items():
        book = Book(path)
        problems += [f"{key}: {p}" for p in link_problems(book) + noteref_problems(book)]
    assert not problems, "\n".join(problems)


def _where(book: Book, word: str) -> list[str]:
    return [href for href, text in book.spine_text() if word in text]


def test_inline_keeps_each_note_where_the_author_put_it(books) -> None:
    book = Book(books[("rich", "inline", "story")][0])
    assert _where(book, "FRONTNOTE") == [book.story_file(1, "card")]
    chapter1 = book.text(book.path(book.story_file(1, "c01")))
    # Top note before the first text, the mid note between the scenes.
    assert chapter1.index("TOPNOTE") < chapter1.index("ALPHA") < chapter1.index("MIDNOTE") \
        < chapter1.index("BETA")
    assert _where(book, "FEEDBACKNOTE") == [book.story_file(1, "c02")]
    assert _where(book, "TAILNOTE") == [book.story_file(2, "c01")]
    notes = book.find_all(".//x:aside[@class='author-note']")
    assert len(notes) == 5  # plus one feedback aside
    assert all(n.find("x:p", NS).get("class") == "note-label" for _, n in notes)


def test_story_end_gathers_notes_after_each_story_in_order(books) -> None:
    book = Book(books[("rich", "story-end", "story")][0])
    for word in NOTE_WORDS[:5]:
        assert _where(book, word) == [book.story_file(1, "notes")], word
    assert _where(book, "TAILNOTE") == [book.story_file(2, "notes")]
    text = book.text(book.path(book.story_file(1, "notes")))
    positions = [text.index(w) for w in NOTE_WORDS[:5]]
    assert positions == sorted(positions)
    spine = book.spine
    assert spine.index(book.story_file(1, "notes")) == spine.index(book.story_file(1, "c02")) + 1
    assert spine.index(book.story_file(2, "card")) == spine.index(book.story_file(1, "notes")) + 1
    assert "The Start" in text and "Chapter 2" in text  # where each note came from


def test_appendix_moves_notes_to_the_back_with_links_both_ways(books) -> None:
    book = Book(books[("rich", "appendix", "story")][0])
    for word in NOTE_WORDS:
        assert _where(book, word) == ["text/notes.xhtml"], word
    assert book.spine[-1] == "text/notes.xhtml"
    refs = book.find_all(".//x:a[@epub:type='noteref']")
    assert len(refs) == len(NOTE_WORDS)
    assert {p.rsplit("/", 1)[-1] for p, _ in refs} == {
        book.story_file(n, rest).rsplit("/", 1)[-1]
        for n, rest in ((1, "card"), (1, "c01"), (1, "c02"), (2, "c01"))}
    assert noteref_problems(book) == []
    section = book.doc(book.path("text/notes.xhtml")).find(".//x:section", NS)
    assert section.get("class") == "notes-appendix"
    assert [a.text for a in book.nav().iterfind(".//x:nav[@epub:type='toc']//x:a", NS)][-1] == "Notes"


def test_drop_removes_notes_and_lists_each_in_the_build_log(books) -> None:
    path, diagnostics = books[("rich", "drop", "drop")]
    book = Book(path)
    everything = " ".join(t for _, t in book.spine_text())
    for word in NOTE_WORDS + DISCLAIMER_WORDS:
        assert word not in everything, word
    for word in TEXT_WORDS:
        assert word in everything, word  # story text is never dropped
    dropped = [d for d in diagnostics if d.code == "note-dropped"]
    # Six notes, and three disclaimers of which two are the same text in one story.
    assert len(dropped) == 9
    assert all(d.file and d.line for d in dropped)
    assert any("MIDNOTE" in d.message and d.line == 13 for d in dropped)


def test_disclaimers_story_puts_each_disclaimer_once_on_the_card(books) -> None:
    book = Book(books[("rich", "inline", "story")][0])
    assert _where(book, "DISCLAIMER-ONE") == [book.story_file(1, "card")]
    assert book.text(book.path(book.story_file(1, "card"))).count("DISCLAIMER-ONE") == 1
    assert _where(book, "DISCLAIMER-TWO") == [book.story_file(2, "card")]
    assert not any("credits" in h for h in book.spine)


def test_disclaimers_credits_lists_every_story_on_one_page(books) -> None:
    book = Book(books[("rich", "inline", "credits")][0])
    assert _where(book, "DISCLAIMER-ONE") == ["text/credits.xhtml"]
    assert _where(book, "DISCLAIMER-TWO") == ["text/credits.xhtml"]
    credits = book.text(book.path("text/credits.xhtml"))
    for fact in ("Long Road", "Ann Writer", "https://example.org/1", "Short Walk",
                 "Bea Author & Cy Coauthor"):
        assert fact in credits
    assert book.spine[-1] == "text/credits.xhtml"
    # Notes appendix before the credits when both are asked for.
    both = Book(books[("rich", "appendix", "credits")][0])
    assert both.spine[-2:] == ["text/notes.xhtml", "text/credits.xhtml"]


def test_sample_recipes_put_their_front_notes_where_asked(books) -> None:
    # bangel's "Wine Into Blood" has Story Notes, an A/N and a Disclaimer up front.
    inline = Book(books[("bangel", "inline", "story")][0])
    card = inline.text(inline.path(inline.story_file(1, "card")))
    assert "Not mine. Never gonna be mine." in card and "my good friend Ares" in card
    end = Book(books[("bangel", "story-end", "credits")][0])
    assert "my good friend Ares" in end.text(end.path(end.story_file(1, "notes")))
    assert "Not mine. Never gonna be mine." in end.text(end.path("text/credits.xhtml"))
    appendix, diagnostics = books[("bangel", "appendix", "drop")]
    appendix = Book(appendix)
    assert "my good friend Ares" in appendix.text(appendix.path("text/notes.xhtml"))
    assert not any("Never gonna be mine" in t for _, t in appendix.spine_text())
    assert [d.code for d in diagnostics if d.code == "note-dropped"]


def test_per_story_overrides_win(tmp_path: Path) -> None:
    recipe = SAMPLE_RECIPES[[p.stem for p in SAMPLE_RECIPES].index("bangel")]
    path = variant(recipe, tmp_path, "inline", "story",
                   per_story={0: {"notes": "appendix", "disclaimers": "credits"}})
    book = Book(build(path, BuildOptions(out_dir=tmp_path)).output)
    assert "my good friend Ares" in book.text(book.path("text/notes.xhtml"))
    credits = book.text(book.path("text/credits.xhtml"))
    assert "Never gonna be mine" in credits
    # The other story keeps the book's modes: its disclaimer stays on its card.
    assert "Just borrowing" in book.text(book.path(book.story_file(2, "card")))
    assert "Just borrowing" not in credits


def test_labels_renamed_by_the_recipe_are_used_everywhere(tmp_path: Path) -> None:
    labels = {"author-note": "Note de l'auteur", "disclaimer": "Avertissement",
              "summary": "Résumé", "notes": "Notes de fin", "back-to-text": "Retour au texte",
              "chapter": "Chapitre", "contents": "Sommaire"}
    path, _ = build_rich(tmp_path, "appendix", "story", labels=labels)
    book = Book(path)
    labels_seen = {p.text for _, p in book.find_all(".//x:p[@class='note-label']")}
    assert labels_seen == {"Note de l'auteur", "Avertissement", "Résumé", "Feedback"}
    refs = {a.text for _, a in book.find_all(".//x:a[@epub:type='noteref']")}
    assert refs == {"Note de l'auteur", "Feedback"}
    assert {a.text for _, a in book.find_all(".//x:p[@class='note-back']/x:a")} == {
        "Retour au texte"}
    nav = [a.text for a in book.nav().iterfind(".//x:nav[@epub:type='toc']//x:a", NS)]
    assert "Chapitre 2" in nav and nav[-1] == "Notes de fin" and "Sommaire" in nav


def test_unknown_label_is_a_recipe_error_with_a_suggestion(tmp_path: Path) -> None:
    text = ("title: T\nstories:\n  - path: a.txt\nlabels:\n  author-notes: Note\n"
            "  disclaimer: Avertissement\n")
    with pytest.raises(RecipeError) as info:
        parse_recipe(text, tmp_path / "r.yaml")
    detail = "\n".join(info.value.details)
    assert "r.yaml:5:" in detail and "unknown label `author-notes`" in detail
    assert "did you mean `author-note`" in detail


def test_parts_nest_in_nav_ncx_and_contents(books) -> None:
    book = Book(books[("everything", "inline", "story")][0])
    nav = book.nav().find(".//x:nav[@epub:type='toc']", NS)
    top = nav.findall("x:ol/x:li", NS)
    titles = [li.find("x:a", NS).text for li in top]
    assert titles[2:] == ["Spike and Buffy", "Buffy and Angel", "Everyone Else"]
    spike = top[2].findall("x:ol/x:li/x:a", NS)
    assert [a.text.split(" \u2014 ")[0] for a in spike] == ["In the Shadows", "Touch"]
    ncx = book.ncx()
    assert ncx.find(".//ncx:meta[@name='dtb:depth']", NS).get("content") == "2"
    points = ncx.findall("ncx:navMap/ncx:navPoint", NS)
    assert [p.findtext("ncx:navLabel/ncx:text", namespaces=NS) for p in points][2:] == titles[2:]
    assert len(points[2].findall("ncx:navPoint", NS)) == 2
    contents = book.doc(book.path("text/contents.xhtml"))
    parts = contents.findall(".//x:li[@class='contents-part']", NS)
    assert [p.find("x:a", NS).text for p in parts] == titles[2:]
    assert len(parts[2].findall(".//x:li[@class='contents-story']", NS)) == 1


def test_ncx_depth_follows_nesting(books) -> None:
    flat = Book(books[("spuffy", "inline", "story")][0])  # one-chapter stories, no parts
    assert flat.ncx().find(".//ncx:meta[@name='dtb:depth']", NS).get("content") == "1"
    rich = Book(books[("rich", "inline", "story")][0])  # a two-chapter story
    assert rich.ncx().find(".//ncx:meta[@name='dtb:depth']", NS).get("content") == "2"

