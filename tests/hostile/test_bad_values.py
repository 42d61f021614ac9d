"""Bad values get their one-line error (or a whole book and a warning), never `internal
error` (issue 16). Cases as a table, judged like the corpus's (test_corpus.py)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ficbook.epub.ocf import Entry, write_zip
from ficbook.errors import ExitCode, OutputError
from tests.conftest import assert_epubcheck_clean
from tests.hostile import harness
from tests.hostile.corpus import (
    CP1252,
    GOOD_STORY,
    PROSE,
    STORY_HTML_TEXT,
    Book,
    Case,
    Fails,
    Setup,
    epub,
    recipe_case,
    story_case,
)
from tests.hostile.test_corpus import check_failure, params

PAGE = "<html><head>{head}<title>Page</title></head><body><p>{body}</p></body></html>"


def page(head: str, body: str, encoding: str) -> bytes:
    return PAGE.format(head=head, body=body).encode(encoding)


def odd_recipe_name(shelf: Path) -> Setup:
    """A recipe whose file name is not UTF-8 (Python sees a lone surrogate)."""
    setup = recipe_case("title: X\nstories:\n" + GOOD_STORY)(shelf)
    odd = setup.recipe.with_name(os.fsdecode(b"caf\xe9-\xff.yaml"))
    return Setup(setup.recipe.rename(odd))


def with_replacements(shelf: Path) -> Setup:
    text = "The first line is whole.\n\nThe second too.\n\n" + PROSE.replace("Willow", "Will\ufffd\ufffdw")
    return story_case("lossy.txt", text.encode())(shelf)


CASES: list[Case] = [
    Case("meta-charset-undefined",
         story_case("undef.html", page('<meta charset="undefined">', f"{STORY_HTML_TEXT} Café.", "utf-8")),
         Book(f"{STORY_HTML_TEXT} Café.")),
    Case("xml-encoding-undefined",
         story_case("undef.xhtml", b'<?xml version="1.0" encoding="undefined"?>'
                    + page("", STORY_HTML_TEXT, "utf-8")),
         Book(STORY_HTML_TEXT)),
    Case("meta-charset-utf16-but-cp1252",  # the HTML standard: read as UTF-8, checked, else detected
         story_case("u16.html", page('<meta charset="utf-16">', CP1252, "cp1252")), Book(CP1252)),
    Case("meta-charset-utf16-but-utf8",
         story_case("u16u8.html", page('<meta http-equiv="Content-Type" content="text/html; charset=UTF-16">',
                                       CP1252, "utf-8")), Book(CP1252)),
    Case("recipe-encoding-undefined",
         recipe_case("title: X\nstories:\n" + GOOD_STORY + "    encoding: undefined\n"),
         Fails(ExitCode.RECIPE, "unknown encoding 'undefined'", "recipe")),
    Case("recipe-encoding-base64",
         recipe_case("title: X\nstories:\n" + GOOD_STORY + "    encoding: base64\n"),
         Fails(ExitCode.RECIPE, "unknown encoding 'base64'", "recipe")),
    Case("recipe-date-2108", recipe_case("title: X\ndate: 2108-01-01\nstories:\n" + GOOD_STORY),
         Fails(ExitCode.RECIPE, "date: 2108-01-01 is outside the years an EPUB can hold",
               "recipe")),
    Case("recipe-date-0224", recipe_case("title: X\ndate: 0224-05-01\nstories:\n" + GOOD_STORY),
         Fails(ExitCode.RECIPE, "0224-05-01 is outside the years an EPUB can hold (1980-2107)", "recipe")),
    Case("recipe-identifier-not-a-uuid",
         recipe_case("title: X\nidentifier: urn:uuid:my-anthology-2024\nstories:\n" + GOOD_STORY),
         Fails(ExitCode.RECIPE, "'urn:uuid:my-anthology-2024' is not a UUID", "recipe")),
    Case("recipe-identifier-other-scheme",
         recipe_case("title: X\nidentifier: urn:isbn:9780000000002\nstories:\n" + GOOD_STORY),
         Book("Buffy")),
    Case("recipe-name-not-utf8", odd_recipe_name, Book("Buffy")),
    Case("css-import-remote",
         recipe_case('title: X\ncss: "@import url(http://evil.example/a.css);"\nstories:\n' + GOOD_STORY),
         Fails(ExitCode.RECIPE, "`@import` is not allowed", "recipe")),
    Case("css-remote-url",
         recipe_case('title: X\ncss: "p.x { list-style-image: url(https://evil.example/b.png) }"\n'
                     "stories:\n" + GOOD_STORY),
         Fails(ExitCode.RECIPE, "`url(` is not allowed", "recipe")),
    Case("css-file-url-escaped",
         recipe_case('title: X\ncss: "p.x { list-style-image: \\\\75 rl(file:///etc/passwd) }"\n'
                     "stories:\n" + GOOD_STORY),
         Fails(ExitCode.RECIPE, "`url(` is not allowed", "recipe")),
    Case("css-plain-is-fine",
         recipe_case('title: X\ncss: "p.x { font-style: italic } p.data:first-child { color: #333 }"\n'
                     "stories:\n" + GOOD_STORY),
         Book("Buffy")),
    Case("text-named-epub", story_case("book.epub", PROSE.encode()),
         Fails(ExitCode.STORY, "not an EPUB: this is a text file")),
    Case("error-page-named-epub",
         story_case("book.epub", b"<!DOCTYPE html><html><head><title>404 Not Found</title></head>"
                    b"<body><h1>Not Found</h1></body></html>"),
         Fails(ExitCode.STORY, "not an EPUB: this is a web page")),
    Case("png-named-epub", story_case("pic.epub", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
         Fails(ExitCode.STORY, "not an EPUB: this is a PNG image")),
    Case("replacement-characters", with_replacements, Book("The first line is whole. The second too. " + PROSE.replace("Willow", "Will w"))),
]

FAILS = [c for c in CASES if isinstance(c.expect, Fails)]
BOOKS = [c for c in CASES if isinstance(c.expect, Book)]
runner = CliRunner()


def app():  # noqa: ANN201
    from ficbook.cli.app import app as cli_app

    return cli_app


@pytest.mark.parametrize("case", params(FAILS))
def test_fails_with_one_clear_line(case: Case, tmp_path: Path):
    setup = case.make(tmp_path)
    before = harness.hash_tree(tmp_path)
    result = runner.invoke(app(), ["build", str(setup.recipe), "--quiet", "--jobs", "1",
                                   "--out", str(tmp_path / "build")])
    check_failure(case, setup, result.exit_code, result.stderr, tmp_path)
    assert harness.hash_tree(tmp_path, skip=tmp_path / "build") == before


_books: list[Path] = []


@pytest.mark.parametrize("case", params(BOOKS))
def test_builds_a_whole_book(case: Case, tmp_path: Path):
    setup = case.make(tmp_path)
    before = harness.hash_tree(tmp_path)
    result = runner.invoke(app(), ["build", str(setup.recipe), "--jobs", "1", "--out", str(tmp_path / "build")])
    assert result.exit_code == 0, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert harness.hash_tree(tmp_path, skip=tmp_path / "build") == before
    [book] = (tmp_path / "build").glob("*.epub")
    lost = harness.lost_words(case.expect.words, harness.book_text(book))
    assert not lost, f"words lost: {dict(lost)}"
    if case.id == "replacement-characters":
        assert "lossy.txt:5: warning: 2 replacement characters" in result.stderr, result.stderr
    _books.append(book)


def test_those_books_pass_epubcheck():
    if not _books:
        pytest.skip("no book was built in this run")
    assert_epubcheck_clean(_books)


def test_more_files_than_a_zip_holds_is_a_clear_error():
    entries = (Entry(f"f{i}.txt", b"", compress=False) for i in range(65_536))
    with pytest.raises(OutputError, match="the book would hold 65,536 files; an EPUB holds at most 65,535"):
        write_zip(entries, (2024, 1, 1, 0, 0, 0))


def test_sideload_of_a_broken_epub_to_a_kobo(tmp_path: Path):
    kobo = tmp_path / "kobo"
    (kobo / ".kobo").mkdir(parents=True)
    broken = tmp_path / "theirs.epub"
    broken.write_bytes(epub({"ch1.xhtml": "<p>An unclosed <b>paragraph</p>"}))
    with zipfile.ZipFile(broken) as zf:  # make the chapter really not XML
        files = {n: zf.read(n) for n in zf.namelist()}
    files["OEBPS/ch1.xhtml"] = files["OEBPS/ch1.xhtml"].replace(b"</b>", b"")
    with zipfile.ZipFile(broken, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    result = runner.invoke(app(), ["sideload", str(broken), "--to", str(kobo)])
    line = harness.one_error_line(result.stderr)
    assert "cannot make a KEPUB: OEBPS/ch1.xhtml is not well-formed XHTML" in line.message
    assert Path(line.file) == broken
    assert result.exit_code == ExitCode.FAILED
    assert not any(p.suffix == ".epub" for p in kobo.rglob("*"))


def test_an_absolute_story_path_outside_home_warns_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    story = tmp_path / "elsewhere" / "story.txt"
    story.parent.mkdir()
    story.write_text(PROSE, "utf-8")
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(f"title: {name}\nstories:\n  - path: {story}\n", "utf-8")
    result = runner.invoke(app(), ["build", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"),
                                   "--jobs", "1", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("outside your home folder") == 1, result.stderr
