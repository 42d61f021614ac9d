"""A place that survives a rebuild: a story's files and ids come from a stable key of the
story, not its position, so adding a story in front (or removing or reordering others)
leaves every other story's file names and ids unchanged; the contents page marks the
stories added or updated since the book's previous build."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from ficbook import naming
from ficbook.cli.app import app
from tests.bookcheck import NS, Book
from tests.conftest import STORIES, assert_epubcheck_clean

STORY_FILES = {"a.txt": "001_d39001a75b639f10.txt", "b.txt": "002_f0742a020cd08a60.txt",
               "c.txt": "003_48b722d619b5015f.txt", "new.txt": "004_1a435b0c9c30b316.txt"}


def recipe(folder: Path, paths: list[str], notes: str = "appendix") -> Path:
    lines = ["title: Places", "date: 2024-05-01", f"notes: {notes}", "parts:",
             "  - title: First", "    stories:"]
    lines += [f"      - path: ../stories/{p}" for p in paths[:2]]
    lines += ["  - title: Second", "    stories:"]
    lines += [f"      - path: ../stories/{p}" for p in paths[2:]]
    path = folder / "recipes" / "places.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def story_files(book: Book) -> dict[str, dict[str, list[str]]]:
    """For each story (by its card's title): its files, and the ids in each."""
    out: dict[str, dict[str, list[str]]] = {}
    current = None
    for href in book.spine:
        name = href.rsplit("/", 1)[-1]
        if not name.startswith("s-"):
            current = None
            continue
        doc = book.doc(book.path(href))
        if name.endswith("-card.xhtml"):
            current = "".join(doc.find(".//x:h1[@class='story-title']", NS).itertext())
            out[current] = {}
        out[current][name] = doc.xpath("//@id")
    return out


def contents_marks(book: Book) -> dict[str, str]:
    contents = book.doc(book.path("text/contents.xhtml"))
    marks = {}
    for li in contents.iterfind(".//x:li[@class='contents-story']", NS):
        changes = [s for s in li.iterfind("x:span", NS) if "contents-change" in s.get("class")]
        marks[li.find("x:a", NS).text] = changes[0].text if changes else ""
    return marks


def build(folder: Path) -> Book:
    result = CliRunner().invoke(app, ["build", str(folder / "recipes" / "places.yaml"), "--out",
                                      str(folder / "out"), "--jobs", "1", "--quiet", "--kepub"])
    assert result.exit_code == 0, result.output
    return Book(folder / "out" / "places.epub")


def test_a_story_added_in_front_moves_no_other_story(tmp_path: Path) -> None:
    (tmp_path / "recipes").mkdir()
    (tmp_path / "stories").mkdir()
    for name, source in STORY_FILES.items():
        shutil.copy(STORIES / source, tmp_path / "stories" / name)
    recipe(tmp_path, ["a.txt", "b.txt", "c.txt"])
    before = build(tmp_path)
    first = story_files(before)
    assert len(first) == 3 and all(files for files in first.values())
    assert set(contents_marks(before).values()) == {""}  # no previous build: no marks
    first_kepub = story_files(Book(tmp_path / "out" / "places.kepub.epub"))
    # Every story file is ASCII, lower case, without spaces.
    assert all(re.fullmatch(r"[a-z0-9-]+\.xhtml", n) for f in first.values() for n in f)

    recipe(tmp_path, ["new.txt", "a.txt", "b.txt", "c.txt"])
    after = build(tmp_path)
    second = story_files(after)
    assert len(second) == 4
    added = (set(second) - set(first)).pop()
    for title, files in first.items():
        assert second[title] == files, title  # the same files, each with the same ids
    assert contents_marks(after) == {**{t: "" for t in first}, added: "New"}
    assert_epubcheck_clean([tmp_path / "out" / "places.epub"])
    # The Kobo copy keeps places by file and span id: the same files, the same spans.
    second_kepub = story_files(Book(tmp_path / "out" / "places.kepub.epub"))
    assert any(i.startswith("kobo.") for f in first_kepub.values() for ids in f.values() for i in ids)
    for title in first:
        assert second_kepub[title] == first_kepub[title], title

    # A changed story is marked updated; the next build without changes marks nothing.
    (tmp_path / "stories" / "b.txt").write_text(
        (tmp_path / "stories" / "b.txt").read_text() + "\nOne more line at the end.\n")
    marks = contents_marks(build(tmp_path))
    assert [t for t, m in marks.items() if m] == [t for t in marks if marks[t] == "Updated"]
    assert list(marks.values()).count("Updated") == 1 and "New" not in marks.values()
    result = CliRunner().invoke(app, ["build", str(tmp_path / "recipes" / "places.yaml"), "--out",
                                      str(tmp_path / "out"), "--jobs", "1", "--quiet", "--force"])
    assert result.exit_code == 0
    assert set(contents_marks(Book(tmp_path / "out" / "places.epub")).values()) == {""}


def test_removing_and_reordering_keep_names(tmp_path: Path) -> None:
    (tmp_path / "recipes").mkdir()
    (tmp_path / "stories").mkdir()
    for name, source in STORY_FILES.items():
        shutil.copy(STORIES / source, tmp_path / "stories" / name)
    recipe(tmp_path, ["a.txt", "b.txt", "c.txt", "new.txt"], notes="story-end")
    whole = story_files(build(tmp_path))
    recipe(tmp_path, ["c.txt", "new.txt", "a.txt"], notes="story-end")
    fewer = story_files(build(tmp_path))
    assert fewer == {t: whole[t] for t in fewer}


def test_keys() -> None:
    key = naming.story_key("../stories/a.txt", "Fight For Me")
    assert re.fullmatch(r"s-fight-for-me-[0-9a-f]{6}", key)
    assert naming.story_key("../stories/a.txt", "Fight For Me") == key
    assert naming.story_key("../stories/b.txt", "Fight For Me") != key
    url = "https://archiveofourown.org/works/1"
    assert naming.story_key("a.txt", "T", url) == naming.story_key("elsewhere/a.txt", "T", url)
    assert naming.story_key("x.txt", "Émilie’s «Café»") .startswith("s-emilies-cafe-")
    assert re.fullmatch(r"s-[0-9a-f]{6}", naming.story_key("x.txt", "東京"))
    assert naming.unique(["a", "b", "a", "a"]) == ["a", "b", "a-2", "a-3"]
