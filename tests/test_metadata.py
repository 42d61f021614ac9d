"""Anthology metadata gathered from the stories, read back by calibre's ebook-meta (a real client)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ficbook.assemble import assemble, describe, highest_rating
from ficbook.build import BuildOptions, build
from tests.bookcheck import NS, Book, build_rich, rich_recipe, rich_stories
from tests.conftest import RECIPES

needs_calibre = pytest.mark.skipif(shutil.which("ebook-meta") is None,
                                   reason="calibre's ebook-meta is not installed "
                                          "(apt-get install calibre)")


def test_recipe_silent_book_takes_its_metadata_from_the_stories() -> None:
    meta = assemble(rich_recipe(), rich_stories()).meta
    assert meta.rating == "M"  # T and M: the highest
    assert meta.warnings == ("Violence", "Character Death")  # union, each once, in order
    # Fandoms spelled two ways are one subject; pairings and tags follow.
    assert meta.subjects == ("Buffy: The Vampire Slayer", "Spike/Buffy", "angst", "Buffy/Angel")
    assert meta.description == "Long Road by Ann Writer; Short Walk by Bea Author & Cy Coauthor."
    assert meta.authors == ("Ann Writer", "Bea Author", "Cy Coauthor")


def test_the_recipe_wins_where_it_speaks() -> None:
    meta = assemble(rich_recipe(description="Mine.", subjects=["Anthology"]), rich_stories()).meta
    assert meta.description == "Mine."
    assert meta.subjects[0] == "Anthology" and "Spike/Buffy" in meta.subjects


@pytest.mark.parametrize("ratings,highest", [
    (["K", "K+", "T"], "T"), (["T", "MA", "M"], "MA"), (["PG-13", "R", "G"], "R"),
    (["General Audiences", "Explicit", "Mature"], "Explicit"), (["Weird"], "Weird"), ([], None),
])
def test_highest_rating_on_one_scale(ratings: list[str], highest: str | None) -> None:
    assert highest_rating(ratings) == highest


def test_description_handles_stories_without_authors() -> None:
    one, two = rich_stories()
    from dataclasses import replace
    anon = replace(two, meta=replace(two.meta, authors=()))
    assert describe([one, anon]) == "Long Road by Ann Writer; Short Walk."


def test_opf_carries_rating_warnings_subjects_and_accessibility(tmp_path: Path) -> None:
    path, _ = build_rich(tmp_path)
    book = Book(path)
    assert book.meta("language") == ["en"]
    assert book.meta("subject") == ["Buffy: The Vampire Slayer", "Spike/Buffy", "angst",
                                    "Buffy/Angel"]
    assert book.meta("creator") == ["Ann Writer", "Bea Author", "Cy Coauthor"]
    for prop in ("schema:accessMode", "schema:accessibilityFeature",
                 "schema:accessibilityHazard", "schema:accessibilitySummary"):
        assert book.prop(prop), prop
    title = book.text(book.path("text/title.xhtml"))
    assert "Rating: M · Warnings: Violence, Character Death" in title


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(RECIPES / "bangel.yaml",
                 BuildOptions(out_dir=tmp_path_factory.mktemp("meta"))).output


@needs_calibre
def test_ebook_meta_reads_title_authors_series_tags_and_cover(built: Path, tmp_path: Path) -> None:
    cover = tmp_path / "cover.jpg"
    out = subprocess.run(["ebook-meta", str(built), f"--get-cover={cover}"], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    fields = {k.strip(): v.strip() for k, _, v in
              (line.partition(":") for line in out.splitlines() if ":" in line)}
    assert fields["Title"] == "Forever Is a Long Time"
    book = Book(built)
    authors = book.meta("creator")
    assert authors and all(a in fields["Author(s)"] for a in authors)
    assert fields["Series"] == "Buffyverse Sampler #2"
    assert "Buffy the Vampire Slayer" in fields["Tags"] and "Buffy/Angel" in fields["Tags"]
    assert fields["Languages"] == "eng"
    assert cover.stat().st_size > 10_000 and cover.read_bytes()[:3] == b"\xff\xd8\xff"


@needs_calibre
def test_azw3_build_flag_writes_a_kindle_book(tmp_path: Path) -> None:
    result = build(RECIPES / "spuffy.yaml", BuildOptions(out_dir=tmp_path, azw3=True))
    azw3 = result.output.with_suffix(".azw3")
    assert azw3.read_bytes()[60:68] == b"BOOKMOBI"
    meta = subprocess.run(["ebook-meta", str(azw3)], capture_output=True, text=True,
                          timeout=120, check=True).stdout
    assert "Ashes and Embers" in meta
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporaries


def test_azw3_without_calibre_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ficbook.devices.azw3 import convert_azw3
    from ficbook.errors import OutputError

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(OutputError) as info:
        convert_azw3(tmp_path / "b.epub", tmp_path / "b.azw3")
    assert "ebook-convert" in str(info.value) and "\n" not in str(info.value)
    assert not (tmp_path / "b.azw3").exists()


def test_nav_uses_story_labels(tmp_path: Path) -> None:
    book = Book(build_rich(tmp_path)[0])
    labels = [a.text for a in book.nav().iterfind(".//x:nav[@epub:type='toc']/x:ol/x:li/x:a", NS)]
    assert "Long Road \u2014 Ann Writer" in labels
    assert "Short Walk \u2014 Bea Author & Cy Coauthor" in labels
