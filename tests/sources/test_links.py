"""`url:` entries through FanFicFare's test site (test1.com makes stories without any
network; some of its story ids raise the archives' errors): fetch once into the download
cache, rebuild without a connection, --update, --offline, and one line per failure."""

from __future__ import annotations

import errno
import socket
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ficbook import outputs
from ficbook.cli.app import app
from ficbook.sources import cache

pytest.importorskip("fanficfare")
runner = CliRunner()


class Guard:
    """Every attempt to open a connection is recorded and refused."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.attempts: list[object] = []

        def refuse(sock, address, *args):  # noqa: ANN001
            self.attempts.append(address)
            raise OSError(errno.ENETUNREACH, "network is unreachable (test guard)")

        monkeypatch.setattr(socket.socket, "connect", refuse)
        monkeypatch.setattr(socket.socket, "connect_ex", refuse)
        monkeypatch.setattr(socket, "create_connection",
                            lambda address, *a, **k: refuse(None, address))


def shelf(tmp_path: Path, *urls: str, extra: str = "") -> Path:
    (tmp_path / "recipes").mkdir(exist_ok=True)
    lines = ["title: Links", "disclaimers: credits", "stories:"] + [f"  - url: {u}" for u in urls]
    recipe = tmp_path / "recipes" / "links.yaml"
    recipe.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return recipe


def build(*args: str):
    return runner.invoke(app, ["build", "--jobs", "1", *args])


def opf(book: Path) -> str:
    with zipfile.ZipFile(book) as z:
        return z.read("epub/content.opf").decode()


def texts(book: Path) -> str:
    with zipfile.ZipFile(book) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("epub/text/"))


@pytest.fixture(scope="module")
def fetched(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """One build of a story, a series and three failing links (fetched once: ~6 s)."""
    root = tmp_path_factory.mktemp("links")
    recipe = shelf(root, "http://test1.com?sid=12", "http://test1.com?sid=666",
                   "http://test1.com?seriesid=1", "http://test1.com?sid=668",
                   "http://test1.com?sid=665")
    mp = pytest.MonkeyPatch()
    mp.chdir(root)
    try:
        result = build(str(recipe))
    finally:
        mp.undo()
    return recipe, result


def test_each_failure_is_one_line_naming_recipe_line_and_link(fetched):
    recipe, result = fetched
    assert result.exit_code == 4, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("ficbook: ")]
    assert f"ficbook: {recipe}:5: http://test1.com?sid=666: not found" in errors
    assert any(line.startswith(f"ficbook: {recipe}:7: http://test1.com?sid=668: login needed")
               for line in errors)
    assert any(line.startswith(f"ficbook: {recipe}:8: http://test1.com?sid=665: login needed")
               and "is_adult" in line for line in errors)
    assert "Traceback" not in result.output


def test_the_other_stories_build_and_a_series_is_its_works_in_order(fetched):
    recipe, _ = fetched
    book = recipe.parent.parent / "build" / "links.epub"
    package = opf(book)
    sources = [s for s in package.split("<dc:source>")[1:]]
    assert [s.split("<")[0] for s in sources] == (
        ["http://test1.com?sid=12"] + [f"http://test1.com?sid={i}" for i in range(1, 10)])
    body = texts(book)
    titles = [f"Test Story Title {i}" for i in (12, 1, 2, 3, 4, 5, 6, 7, 8, 9)]
    places = [body.index(t) for t in titles]
    assert places == sorted(places)
    assert "Test Story Title 666" not in body
    # the address is on each card and on the credits page
    with zipfile.ZipFile(book) as z:
        cards = [z.read(n).decode() for n in z.namelist() if n.endswith("-card.xhtml")]
        assert any("Test Story Title 12" in c and "http://test1.com?sid=12" in c for c in cards)
        credits = [n for n in z.namelist() if "credits" in n]
        assert credits and "http://test1.com?sid=7" in z.read(credits[0]).decode()


def test_a_rebuild_uses_the_cache_and_makes_no_connection(fetched, monkeypatch):
    recipe, _ = fetched
    monkeypatch.chdir(recipe.parent.parent)
    guard = Guard(monkeypatch)
    before = cache.index_path(outputs.cache_dir(recipe)).read_bytes()
    result = build(str(recipe), "--offline", "--force")
    assert guard.attempts == []
    assert result.exit_code == 4  # the three links never fetched are still missing
    assert "not downloaded yet, and --offline makes no connection" in result.stderr
    assert "10 stories" in result.stderr
    assert cache.index_path(outputs.cache_dir(recipe)).read_bytes() == before


def test_offline_fails_clearly_on_a_link_not_yet_fetched(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    stories = tmp_path / "stories"
    stories.mkdir()
    (stories / "mine.txt").write_text("Mine\n\nA small story of my own words.\n", encoding="utf-8")
    recipe = shelf(tmp_path, "http://test1.com?sid=14")
    recipe.write_text(recipe.read_text() + "  - path: ../stories/mine.txt\n")
    guard = Guard(monkeypatch)
    result = build(str(recipe), "--offline")
    assert guard.attempts == []
    assert result.exit_code == 4
    assert (f"ficbook: {recipe}:4: http://test1.com?sid=14: not downloaded yet, and --offline "
            "makes no connection") in result.stderr
    assert "1 stories" in result.stderr or "1 story" in result.stderr
    assert not (tmp_path / "downloads" / outputs.file_name("http://test1.com?sid=14")).exists()


def test_story_files_never_connect(tmp_path, monkeypatch):
    from tests.conftest import RECIPES

    guard = Guard(monkeypatch)
    result = build(str(RECIPES / "spuffy.yaml"), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert guard.attempts == []


GROWING = """[teststory:1001]
title: A Story That Grows
chaptertitles: {titles}
"""


def test_update_asks_the_archive_for_new_chapters(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # FanFicFare reads ./personal.ini
    ini = tmp_path / "personal.ini"
    ini.write_text(GROWING.format(titles="Start,Middle"))
    recipe = shelf(tmp_path, "http://test1.com?sid=1001")
    book = tmp_path / "build" / "links.epub"
    assert build(str(recipe)).exit_code == 0
    assert "Middle" in texts(book) and "Finish" not in texts(book)
    ini.write_text(GROWING.format(titles="Start,Middle,Finish"))
    guard = Guard(monkeypatch)
    plain = build(str(recipe))  # in the cache: no connection, no new chapter
    assert guard.attempts == [] and plain.exit_code == 0
    assert "Finish" not in texts(book)
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    updated = build(str(recipe), "--update")
    assert updated.exit_code == 0, updated.output
    assert "Finish" in texts(book) and "Middle" in texts(book)


def test_site_refused_and_no_network(tmp_path, monkeypatch):
    from fanficfare import exceptions
    from fanficfare.adapters.adapter_test1 import TestSiteAdapter

    def refused(self):  # noqa: ANN001 - the site answering 403, as an archive does
        raise exceptions.HTTPErrorFFF(self.url, 403, "Forbidden")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(TestSiteAdapter, "extractChapterUrlsAndMetadata", refused)
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # the HTTP client's retry back-off
    Guard(monkeypatch)
    recipe = shelf(tmp_path, "http://test1.com?sid=20", "https://archiveofourown.org/works/1")
    result = build(str(recipe))
    assert result.exit_code == 4
    assert f"ficbook: {recipe}:4: http://test1.com?sid=20: site refused: HTTP 403" in result.stderr
    assert any(line.startswith(f"ficbook: {recipe}:5: https://archiveofourown.org/works/1: no network")
               for line in result.stderr.splitlines()), result.stderr
    assert "no story to build" in result.stderr
