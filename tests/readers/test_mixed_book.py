"""A recipe mixing text, saved pages and EPUBs builds clean; the book reads clean."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ficbook.build import BuildOptions, build
from ficbook.cli.app import app
from tests.conftest import STORIES, assert_epubcheck_clean
from tests.readers.epubs import ao3_epub, fff_epub
from tests.readers.helpers import FIXTURES

PAGES = ["ao3_multichapter.html", "ao3_spanish_complete.html", "ffnet_chapter.html",
         "efiction_story.html", "generic_mostly_chrome.html"]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mixed")
    stories = root / "stories"
    stories.mkdir()
    text = sorted(STORIES.glob("*.txt"))[0]
    shutil.copy(text, stories / "text-story.txt")
    for name in PAGES:
        shutil.copy(FIXTURES / name, stories / name)
    (stories / "lights-out.epub").write_bytes(ao3_epub())
    (stories / "watcher.epub").write_bytes(fff_epub())
    recipes = root / "recipes"
    recipes.mkdir()
    entries = ["text-story.txt", *PAGES, "lights-out.epub", "watcher.epub"]
    (recipes / "mixed.yaml").write_text(
        "title: Mixed Shelf\nlanguage: en\ndate: 2024-05-01\nstories:\n"
        + "".join(f"  - path: ../stories/{e}\n" for e in entries), "utf-8")
    return root


@pytest.fixture(scope="module")
def book(library: Path) -> Path:
    result = build(library / "recipes" / "mixed.yaml", BuildOptions(out_dir=library / "build"))
    assert result.stories == 8
    return result.output


def _documents(book: Path) -> dict[str, str]:
    with zipfile.ZipFile(book) as zf:
        return {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xhtml")}


def test_mixed_recipe_is_epubcheck_clean(book: Path):
    assert_epubcheck_clean([book])


def test_nothing_of_the_site_left_nothing_of_the_story_lost(book: Path):
    docs = _documents(book)
    everything = "\n".join(docs.values())
    text = re.sub(r"<[^>]+>", " ", everything)
    for gone in ("Posted originally", "drop by the Archive", "See the end of the", "Follow/Fav",
                 "Post Review", "Terms of Service", "Powered by eFiction", "Submit a Review",
                 "Sponsored", "Site news", "loved it", "Update Log", "Packaged:", "alert(",
                 "Type here"):
        assert gone not in text, gone
    for kept in ("The dust had not settled", "Las Vegas was exactly as tacky", "The crypt smelled",
                 "Willow counted the windows", "Dawn was asleep upstairs", "Angel no contestó",
                 "Faith found the candles first", "The library is quiet",
                 "Thanks to my beta", "Come find me on Tumblr", "Two more chapters to go",
                 "Written for the 2006 Femslash Ficathon", "Set in season three"):
        assert kept in text.replace("\u2019", "'"), kept
    for tag in ("<script", "<iframe", "<form", "onclick", "javascript:", "<style"):
        assert tag not in everything
    assert not re.search(r'<img[^>]+src="(?:https?:)?//', everything)
    assert re.search(r'<img[^>]+src="\.\./images/img-[0-9a-f]+\.png"', everything)
    # Chapter headings as AO3 gives them; notes set apart as markup.md says.
    assert ">Chapter 1: Crater</h2>" in everything
    assert 'class="author-note"' in everything and 'role="doc-abstract"' in everything
    # The Spanish story's pages carry their own language.
    spanish = [d for d in docs.values() if "Angel no contest" in d]
    assert spanish and all('xml:lang="es"' in d for d in spanish)


def test_story_tags_reach_the_card_and_dc_subject(book: Path):
    with zipfile.ZipFile(book) as zf:
        opf = next(zf.read(n).decode() for n in zf.namelist() if n.endswith(".opf"))
    assert "<dc:subject>Buffy the Vampire Slayer (TV)</dc:subject>" in opf
    assert "<dc:subject>Buffy Summers/Spike</dc:subject>" in opf
    cards = "\n".join(d for n, d in _documents(book).items() if n.endswith("-card.xhtml"))
    assert "Teen And Up Audiences" in cards and "Slow Burn, Very Slow" in cards
    assert "In progress" in cards


def test_inspect_reads_every_input_kind(library: Path):
    runner = CliRunner()
    for path in sorted((library / "stories").iterdir()):
        result = runner.invoke(app, ["inspect", str(path)])
        assert result.exit_code == 0, (path.name, result.output)
        assert "Story card" in result.output
