"""A calibre library as a source: the fixture library stories/calibre-library (made by
calibredb from our own stories: tests/sources/calibre_fixture/make_library.sh), read
through calibredb and through metadata.db, with the same result."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from ficbook.build import BuildOptions, build
from ficbook.errors import RecipeError, StoryError
from ficbook.sources import calibre
from ficbook.sources.calibre import find_books
from tests.conftest import ROOT

LIBRARY = ROOT / "stories" / "calibre-library"
SEARCHES = [None, 'tags:"Spike/Buffy" and #status:Complete', "author:quill or series:harbour",
            "not tags:=Angst", "tags:spike and not (title:lamp or #status:=in-progress)",
            '"long road"', "#status:~^in"]


def needs_calibredb() -> None:
    if calibre.calibredb() is None:
        if os.environ.get("CI"):
            pytest.fail("calibredb is missing under CI (make checkers installs calibre)")
        pytest.skip("calibre is not installed")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("sort", ["series", "date", "title"])
def test_metadata_db_and_calibredb_find_the_same_books(sort):
    needs_calibredb()
    for search in SEARCHES:
        assert find_books(LIBRARY, search, sort=sort, via="sqlite") == \
            find_books(LIBRARY, search, sort=sort, via="calibredb"), search


def test_what_metadata_db_says():
    books = find_books(LIBRARY, 'tags:"Spike/Buffy" and #status:Complete', via="sqlite")
    assert [(b.id, b.title, b.series_label) for b in books] == [
        (1, "Low Tide", "Harbour Lights [1]"), (2, "The Lamp at the Pier", "Harbour Lights [2]")]
    low = books[0]
    assert low.authors == ("Wren Hollis",)
    assert low.tags == ("Fluff", "Spike/Buffy")
    assert low.url == "https://archiveofourown.org/works/1001"
    assert low.comments == "<p>The harbour floor, counted.</p>"
    assert low.epub is not None and low.epub.is_file()
    road = find_books(LIBRARY, "title:road", via="sqlite")[0]
    assert road.authors == ("Mara Quill", "Wren Hollis")
    assert [b.id for b in find_books(LIBRARY, sort="date", via="sqlite")] == [3, 1, 2, 4]
    assert [b.id for b in find_books(LIBRARY, sort="title", via="sqlite")] == [3, 2, 4, 1]
    assert [b.id for b in find_books(LIBRARY, ids=[4, 1], via="sqlite")] == [4, 1]


def test_the_library_is_never_written(tmp_path):
    library = tmp_path / "library"
    shutil.copytree(LIBRARY, library)
    before = {p: digest(p) for p in library.rglob("*") if p.is_file()}
    for search in SEARCHES:
        find_books(library, search, via="sqlite")
    after = {p: digest(p) for p in library.rglob("*") if p.is_file()}
    assert after == before  # no journal, no changed byte


def test_bad_search_and_missing_things_are_one_line():
    with pytest.raises(RecipeError, match="unknown field `colour`"):
        find_books(LIBRARY, "colour:red", via="sqlite")
    with pytest.raises(RecipeError, match="not closed"):
        find_books(LIBRARY, "(tags:spike", via="sqlite")
    with pytest.raises(StoryError, match="no book with id 99"):
        find_books(LIBRARY, ids=[99], via="sqlite")
    with pytest.raises(StoryError, match="not a calibre library"):
        find_books(ROOT / "stories", via="sqlite")


def recipe(tmp_path: Path, calibre_yaml: str, extra: str = "") -> Path:
    (tmp_path / "recipes").mkdir(exist_ok=True)
    path = tmp_path / "recipes" / "shelf.yaml"
    path.write_text(f"title: Shelf\ndate: 2024-06-01\ndisclaimers: credits\n{extra}calibre:\n"
                    f"  library: {LIBRARY}\n{calibre_yaml}", encoding="utf-8")
    return path


def read(book: Path) -> dict[str, str]:
    with zipfile.ZipFile(book) as z:
        return {n: z.read(n).decode() for n in z.namelist() if n.endswith((".xhtml", ".opf"))}


def card(files: dict[str, str], title: str) -> str:
    """The story card with this title (card file names come from the stories' titles)."""
    return next(text for name, text in files.items() if name.endswith("-card.xhtml") and title in text)


def test_calibre_fills_the_story_cards_and_the_recipe_overrides(tmp_path, monkeypatch):
    monkeypatch.setattr(calibre, "calibredb", lambda: None)
    path = recipe(tmp_path, "  search: 'tags:\"Spike/Buffy\" and #status:Complete'\n"
                            "  books:\n    2: {title: The Pier Lamp, source: 'https://example.org/pier'}\n")
    result = build(path, BuildOptions(out_dir=tmp_path / "out"))
    files = read(result.output)
    card1, card2 = card(files, "Low Tide"), card(files, "The Pier Lamp")
    assert "Low Tide" in card1 and "Wren Hollis" in card1
    assert "The harbour floor, counted." in card1  # comments as the summary, HTML gone
    assert "https://archiveofourown.org/works/1001" in card1 and "Fluff, Spike/Buffy" in card1
    assert "The Pier Lamp" in card2 and "https://example.org/pier" in card2
    opf = files["epub/content.opf"]
    assert "<dc:source>https://archiveofourown.org/works/1001</dc:source>" in opf
    assert "<dc:source>https://example.org/pier</dc:source>" in opf
    assert "https://example.org/pier" in files["epub/text/credits.xhtml"]
    # metadata.db is an input: a changed library rebuilds the book
    assert LIBRARY / "metadata.db" in result.inputs


def test_calibredb_and_metadata_db_make_the_same_book(tmp_path, monkeypatch):
    needs_calibredb()
    path = recipe(tmp_path, "  search: 'author:hollis'\n  sort: date\n")
    via_calibredb = build(path, BuildOptions(out_dir=tmp_path / "a")).output.read_bytes()
    monkeypatch.setattr(calibre, "calibredb", lambda: None)
    via_sqlite = build(path, BuildOptions(out_dir=tmp_path / "b")).output.read_bytes()
    assert via_calibredb == via_sqlite


def test_stories_and_a_library_together(tmp_path, monkeypatch):
    monkeypatch.setattr(calibre, "calibredb", lambda: None)
    story = tmp_path / "mine.txt"
    story.write_text("Mine\n\nA story of my own, first in the book.\n", encoding="utf-8")
    path = recipe(tmp_path, "  ids: [3]\n", extra=f"stories:\n  - path: {story}\n")
    files = read(build(path, BuildOptions(out_dir=tmp_path / "out")).output)
    spine = re.findall(r'<itemref idref="([^"]+)"', files["epub/content.opf"])
    cards = [i for i in spine if i.endswith("card")]
    assert len(cards) == 2 and "mine" in cards[0] and "filing" in cards[1]


def test_the_sample_calibre_recipe_builds_a_valid_book(tmp_path, monkeypatch):
    """examples/harbour.yaml, built as `make test` builds the samples: EPUBCheck-clean."""
    from tests.conftest import assert_epubcheck_clean

    monkeypatch.setattr(calibre, "calibredb", lambda: None)
    result = build(ROOT / "examples" / "harbour.yaml", BuildOptions(out_dir=tmp_path))
    assert result.stories == 2
    files = read(result.output)
    assert "Low Tide" in card(files, "Low Tide")
    assert "two stubborn people who will not go home" in card(files, "The Lamp at the Pier")
    assert_epubcheck_clean([result.output])
