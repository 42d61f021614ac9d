"""A book is built story by story: each story converted, placed, rendered and deflated
into its piece (`ficbook.pieces`) before the next is read. The book is the one built from
all its stories at once (the path a book cut into volumes takes), byte for byte."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import ficbook.build
from ficbook.build import BuildOptions, build
from tests.conftest import ROOT, SAMPLE_RECIPES


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    made: list[int] = []
    real = ficbook.build.story_piece

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(ficbook.build, "story_piece", counted)
    return made


@pytest.mark.parametrize("recipe", SAMPLE_RECIPES, ids=lambda p: p.stem)
def test_a_book_made_of_pieces_is_the_book_made_of_its_stories(recipe: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch):
    # The samples hold every notes and disclaimers mode (inline, story-end, appendix with
    # links both ways, credits, drop), parts, pictures and stories in other languages.
    made = _counting(monkeypatch)
    pieces = build(recipe, BuildOptions(out_dir=tmp_path / "pieces"))
    assert len(made) == pieces.stories
    made.clear()
    whole = build(recipe, BuildOptions(out_dir=tmp_path / "whole", split_mb=1_000_000))  # no volume that big
    assert made == []
    assert pieces.output.read_bytes() == whole.output.read_bytes()
    assert pieces.diagnostics == whole.diagnostics
    assert pieces.inputs == whole.inputs and pieces.words == whole.words


def test_two_copies_of_one_work_are_built_from_the_stories_with_their_keys_numbered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # A key comes from the work's address when it has one: two saved copies of one work
    # (same address, same title) would share it, which only the whole book can number.
    story = sorted((ROOT / "stories").glob("*.txt"))[0]
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(story.read_bytes())
    recipe = tmp_path / "twice.yaml"
    recipe.write_text("title: Twice\nstories:\n"
                      "  - {path: a.txt, title: Same, source: 'https://example.org/works/1'}\n"
                      "  - {path: b.txt, title: Same, source: 'https://example.org/works/1'}\n", "utf-8")
    made = _counting(monkeypatch)
    result = build(recipe, BuildOptions(out_dir=tmp_path / "out"))
    assert len(made) == 2  # tried, then the keys repeat: the book is made from the stories
    cards = {n for n in zipfile.ZipFile(result.output).namelist() if n.endswith("-card.xhtml")}
    assert cards == {"epub/text/s-same-3a6174-card.xhtml", "epub/text/s-same-3a6174-2-card.xhtml"}


def test_a_piece_keeps_no_text_and_its_pages_deflated(tmp_path: Path):
    from ficbook.assemble import frame
    from ficbook.build import convert_story
    from ficbook.pieces import story_piece
    from ficbook.recipe import load_recipe
    from ficbook.render.rendition import Document

    recipe = load_recipe(ROOT / "recipes" / "spuffy.yaml")
    entry = recipe.all_stories[0]
    result = convert_story(recipe, entry)
    piece = story_piece(recipe, entry, 1, result, frame(recipe))
    from ficbook.assemble import apply_overrides, book_story, story_key

    shown = apply_overrides(result.story, entry)
    whole = book_story(recipe, entry, shown, 1, story_key(entry, shown))
    assert whole.chapters and whole.story.chapters  # what the piece leaves out
    assert piece.shell.chapters == () and piece.shell.story.chapters == () and piece.shell.card == ()
    assert piece.shell.story.meta == whole.story.meta and piece.shell.words == whole.words > 0
    assert piece.shell.key == whole.key and piece.diagnostics == result.diagnostics
    pages = [p for p in piece.pages if isinstance(p, Document)]
    assert pages and all(p.content == b"" and p.packed is not None for p in pages)
    import zlib

    first = zlib.decompress(pages[0].packed.body, -15)
    assert zlib.crc32(first) == pages[0].packed.crc and len(first) == pages[0].packed.size
    assert first.startswith(b'<?xml version="1.0" encoding="utf-8"?>')


def test_pieces_travel_unchanged():
    from ficbook.assemble import frame
    from ficbook.batch import wire
    from ficbook.build import convert_story
    from ficbook.pieces import story_piece
    from ficbook.recipe import load_recipe

    for name in ("everything.yaml", "formats.yaml"):  # notes linked to the appendix; pictures
        recipe = load_recipe(ROOT / "recipes" / name)
        pieces = [story_piece(recipe, e, n, convert_story(recipe, e), frame(recipe))
                  for n, e in enumerate(recipe.all_stories, 1)]
        assert wire.loads(wire.dumps(pieces)) == pieces


def test_a_cover_drawn_by_a_worker_is_the_cover_drawn_here(tmp_path: Path, monkeypatch):
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor

    import ficbook.build

    def broken(*args):  # noqa: ANN002, ANN202 - a pool that broke since the last look
        raise RuntimeError("the pool broke")

    def dying(*args):  # noqa: ANN002, ANN202 - the worker drawing it died
        fut: Future = Future()
        fut.set_exception(RuntimeError("the worker died"))
        return fut

    recipe = ROOT / "recipes" / "spuffy.yaml"
    here = build(recipe, BuildOptions(out_dir=tmp_path / "here"))
    with ThreadPoolExecutor(1) as pool:
        ways = {"worker": pool.submit, "broken": broken, "dying": dying}
        for name, elsewhere in ways.items():
            there = build(recipe, BuildOptions(out_dir=tmp_path / name, elsewhere=elsewhere))
            assert there.output.read_bytes() == here.output.read_bytes(), name
            assert there.diagnostics == here.diagnostics
    # a worker process sends the cover back pickled; drawing it here again is not allowed
    monkeypatch.setattr(ficbook.build, "make_cover", broken)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        there = build(recipe, BuildOptions(out_dir=tmp_path / "process", elsewhere=pool.submit))
    assert there.output.read_bytes() == here.output.read_bytes()
