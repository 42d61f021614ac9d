"""`--split N` / `split: N`: an anthology over N MB written as volumes at story
boundaries, each a whole, valid book with its own cover and the series set."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ficbook.build import BuildOptions, build
from ficbook.cli.app import app
from ficbook.volumes import all_volumes
from tests.bookcheck import NS, Book
from tests.conftest import RECIPES, STORIES, assert_epubcheck_clean

ALL_TITLES = ["In the Shadows", "Touch", "Wine Into Blood", "Fight For Me", "New Year’s Eve"]


def story_titles(book: Book) -> list[str]:
    titles = []
    for href in book.spine:
        if href.endswith("-card.xhtml"):
            h1 = book.doc(book.path(href)).find(".//x:h1[@class='story-title']", NS)
            titles.append("".join(h1.itertext()))
    return titles


def test_a_big_book_becomes_volumes_each_a_whole_book(tmp_path: Path) -> None:
    whole = build(RECIPES / "everything.yaml", BuildOptions(out_dir=tmp_path / "whole"))
    assert story_titles(Book(whole.output)) == ALL_TITLES
    limit_mb = 0.5 * whole.size / 1e6
    result = build(RECIPES / "everything.yaml", BuildOptions(out_dir=tmp_path, split_mb=limit_mb))
    volumes = all_volumes(result.output)
    assert len(volumes) >= 2 and not (tmp_path / "everything.epub").exists()
    assert result.output == tmp_path / "everything-vol1.epub"
    assert set(result.outputs) == set(volumes)
    titles, identifiers = [], set()
    for n, path in enumerate(volumes, 1):
        book = Book(path)
        assert book.meta("title") == [f"The Sunnydale Shelf, Vol. {n}"]
        assert book.prop("belongs-to-collection") == ["The Sunnydale Shelf"]
        assert book.prop("group-position")[0] in (str(n), f"{n}.0")
        identifiers.add(book.meta("identifier")[0])
        assert book.opf.find(".//opf:item[@properties='cover-image']", NS) is not None
        here = story_titles(book)
        assert path.stat().st_size <= limit_mb * 1e6 or len(here) == 1
        titles += here
    assert titles == ALL_TITLES  # every story once, in order: split only between stories
    assert len(identifiers) == len(volumes)
    assert_epubcheck_clean(volumes)
    again = build(RECIPES / "everything.yaml", BuildOptions(out_dir=tmp_path / "again",
                                                            split_mb=limit_mb))
    assert [p.read_bytes() for p in volumes] == [p.read_bytes() for p in all_volumes(again.output)]


def test_a_book_under_the_limit_stays_one_book(tmp_path: Path) -> None:
    result = build(RECIPES / "spuffy.yaml", BuildOptions(out_dir=tmp_path, split_mb=40))
    assert result.output == tmp_path / "spuffy.epub"
    assert not list(tmp_path.glob("*-vol*.epub"))


def test_recipe_key_cli_option_and_incremental_rebuild(tmp_path: Path) -> None:
    recipes = tmp_path / "recipes"
    recipes.mkdir()
    text = (RECIPES / "everything.yaml").read_text().replace("../stories/", f"{STORIES}/")
    (recipes / "shelf.yaml").write_text(text + "split: 0.15\n")
    args = ["build", str(recipes / "shelf.yaml"), "--out", str(tmp_path / "a"), "--jobs", "1",
            "--kepub", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    volumes = sorted((tmp_path / "a").glob("shelf-vol*.epub"))
    assert len([v for v in volumes if not v.name.endswith(".kepub.epub")]) >= 2
    assert any(v.name.endswith(".kepub.epub") for v in volumes)
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    assert '"unchanged": 1' in again.output and '"built": 0' in again.output  # incremental
    result = CliRunner().invoke(app, ["build", str(RECIPES / "spuffy.yaml"), "--out",
                                      str(tmp_path / "b"), "--jobs", "1", "--quiet", "--split", "0.25",
                                      "--check"])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "b").glob("spuffy-vol*.epub"))) == 2
