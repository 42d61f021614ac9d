"""Incremental builds: only the books whose recipe, stories, cover style, fonts or
ficbook changed are rebuilt; a shared story is converted once per process."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from ficbook.batch import manifest as cache
from ficbook.batch import pool as batch
from ficbook.batch.memo import StoryMemo
from ficbook.build import BuildOptions, build
from tests.conftest import ROOT


@pytest.fixture
def shelf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of recipes/, stories/ and covers/ (FICBOOK_COVERS points at the copy)."""
    for name in ("recipes", "stories", "covers"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for p in (tmp_path / "stories").rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    # spuffy gets a cover style of its own, so a style edit can touch one book only.
    shutil.copy(tmp_path / "covers" / "classic.yaml", tmp_path / "covers" / "mine.yaml")
    spuffy = tmp_path / "recipes" / "spuffy.yaml"
    spuffy.write_text(spuffy.read_text("utf-8").replace("style: classic", "style: mine"), "utf-8")
    monkeypatch.setenv("FICBOOK_COVERS", str(tmp_path / "covers"))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


def run(shelf: Path, **job) -> dict[str, str]:
    recipes = sorted((shelf / "recipes").glob("*.yaml"))
    outcomes = batch.run(recipes, batch.Job(out_dir=shelf / "out", **job))
    assert all(o.status != "failed" for o in outcomes), [o.error for o in outcomes]
    return {o.recipe.stem: o.status for o in outcomes}


ALL_BUILT = {"bangel": "built", "everything": "built", "formats": "built", "phares": "built",
             "spuffy": "built"}
NONE_BUILT = {"bangel": "unchanged", "everything": "unchanged", "formats": "unchanged",
              "phares": "unchanged", "spuffy": "unchanged"}


def test_second_run_builds_nothing_and_keeps_the_figures(shelf: Path):
    first = batch.run([shelf / "recipes" / "everything.yaml"], batch.Job(out_dir=shelf / "out"))
    again = batch.run([shelf / "recipes" / "everything.yaml"], batch.Job(out_dir=shelf / "out"))
    assert (first[0].status, again[0].status) == ("built", "unchanged")
    assert (again[0].stories, again[0].words, again[0].size, again[0].output) == \
        (first[0].stories, first[0].words, first[0].size, first[0].output)


def test_a_changed_story_rebuilds_only_its_books(shelf: Path):
    assert run(shelf) == ALL_BUILT
    assert run(shelf) == NONE_BUILT
    story = shelf / "stories" / "002_f0742a020cd08a60.txt"  # in bangel and everything
    story.write_text(story.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    assert run(shelf) == {"bangel": "built", "everything": "built", "formats": "unchanged",
                          "phares": "unchanged", "spuffy": "unchanged"}
    assert run(shelf) == NONE_BUILT


def test_touch_alone_rebuilds_nothing(shelf: Path):
    """Content decides, not timestamps: a touched file is hashed and found the same."""
    run(shelf)
    story = shelf / "stories" / "001_d39001a75b639f10.txt"
    st = story.stat()
    os.utime(story, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert run(shelf) == NONE_BUILT
    # and the manifests now hold the new mtime: the next check is a stat, not a hash
    manifest = json.loads((shelf / "out" / ".ficbook-cache" / "spuffy.json").read_text("utf-8"))
    [entry] = [e for e in manifest["inputs"] if e[0] == str(story.resolve())]
    assert entry[2] == story.stat().st_mtime_ns


def test_a_changed_cover_style_rebuilds_only_the_books_using_it(shelf: Path):
    run(shelf)
    style = shelf / "covers" / "mine.yaml"
    style.write_text(style.read_text("utf-8") + "\n# a change\n", "utf-8")
    assert run(shelf) == {"bangel": "unchanged", "everything": "unchanged", "formats": "unchanged",
                          "phares": "unchanged", "spuffy": "built"}


def test_a_changed_font_rebuilds_books_with_generated_covers(shelf: Path):
    run(shelf)
    font = next((shelf / "covers" / "fonts").glob("*.ttf"))
    font.write_bytes(font.read_bytes() + b"\0")
    assert run(shelf) == ALL_BUILT


def test_recipe_edit_deleted_book_force_and_environment(shelf: Path, monkeypatch):
    run(shelf)
    recipe = shelf / "recipes" / "bangel.yaml"
    recipe.write_text(recipe.read_text("utf-8").replace("Wine Into Blood", "Wine"), "utf-8")
    assert run(shelf)["bangel"] == "built"
    (shelf / "out" / "spuffy.epub").unlink()
    assert run(shelf) == {"bangel": "unchanged", "everything": "unchanged", "formats": "unchanged",
                          "phares": "unchanged", "spuffy": "built"}
    assert run(shelf, force=True) == ALL_BUILT
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # changes every book's bytes
    assert run(shelf) == ALL_BUILT


def test_a_replaced_book_is_rebuilt(shelf: Path):
    run(shelf)
    book = shelf / "out" / "everything.epub"
    book.write_bytes(b"not my book")
    assert run(shelf)["everything"] == "built"
    assert book.read_bytes()[:2] == b"PK"


def test_a_failed_build_keeps_the_old_book_and_retries(shelf: Path):
    run(shelf)
    story = shelf / "stories" / "004_1a435b0c9c30b316.txt"  # in bangel and everything
    kept = story.read_bytes()
    story.write_bytes(b"   \n")  # empty: a story error
    outcomes = batch.run([shelf / "recipes" / "bangel.yaml"], batch.Job(out_dir=shelf / "out"))
    assert outcomes[0].status == "failed"
    assert (shelf / "out" / "bangel.epub").exists()
    story.write_bytes(kept)
    assert run(shelf) == NONE_BUILT  # back as it was: the old book is the right one


def test_tool_key_is_stable_and_follows_the_environment(monkeypatch):
    assert cache.tool_key() == cache.tool_key()
    key = cache.tool_key()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")
    assert cache.tool_key() != key


def test_library_versions_are_read_as_importlib_metadata_reads_them(tmp_path, monkeypatch):
    from importlib.metadata import version

    for name in (*cache._LIBRARIES, "typer", "rich", "pytest", "ficbook", "no-such-library-here"):
        try:
            expected = version(name)
        except Exception:  # PackageNotFoundError
            expected = "-"
        assert cache._version(name, {}) == expected, name
    # the first folder on sys.path wins; an .egg-info is importlib.metadata's to read
    for folder, entry, meta, text in (
            ("a", "Ficbook_Fake-2.0.dist-info", "METADATA", "Name: ficbook-fake\nVersion: 2.0\n\nbody"),
            ("b", "ficbook_fake-1.0.dist-info", "METADATA", "Name: ficbook-fake\nVersion: 1.0\n"),
            ("c", "eggy.egg-info", "PKG-INFO", "Metadata-Version: 1.1\nName: eggy\nVersion: 3.0\n")):
        (tmp_path / folder / entry).mkdir(parents=True)
        (tmp_path / folder / entry / meta).write_text(text)
    monkeypatch.setattr("sys.path", [str(tmp_path / "a"), str(tmp_path / "b"), str(tmp_path / "c")])
    assert cache._version("ficbook.fake", {}) == version("ficbook.fake") == "2.0"
    assert cache._version("eggy", {}) == version("eggy") == "3.0"
    assert cache._libraries() == ",".join(f"{n}=-" for n in cache._LIBRARIES)


def test_paths_resolve_as_realpath_resolves_them(tmp_path, monkeypatch):
    (tmp_path / "real" / "deep").mkdir(parents=True)
    (tmp_path / "real" / "deep" / "file.txt").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "deep" / "alias.txt").symlink_to("file.txt")
    (tmp_path / "real" / "up").symlink_to("deep/..")
    monkeypatch.chdir(tmp_path)
    names = ["link/deep/file.txt", "link/deep/alias.txt", "link/deep/missing", "link/up/deep/file.txt",
             "link/../real/deep/file.txt", "link/deep/../deep/file.txt", "link/./deep//file.txt",
             "link/deep/", "link", "missing/x", ""]
    for name in names:
        for path in (str(tmp_path / name) if name else str(tmp_path), name or "."):
            assert cache._realpath(path) == os.path.realpath(path), path
            assert cache._realpath(Path(path)) == os.path.realpath(path), path
    # a folder retargeted between runs: the next run (tool_key) resolves it anew
    (tmp_path / "other" / "deep").mkdir(parents=True)
    before = cache._realpath(str(tmp_path / "link" / "deep" / "file.txt"))
    (tmp_path / "link").unlink()
    (tmp_path / "link").symlink_to(tmp_path / "other")
    cache.tool_key()
    after = cache._realpath(str(tmp_path / "link" / "deep" / "file.txt"))
    assert before != after == os.path.realpath(tmp_path / "link" / "deep" / "file.txt")


def test_package_files_are_listed_as_rglob_lists_them(tmp_path):
    for name in ("a/b.py", "a-b.py", "a.py", "A.py", ".hidden", "a/__pycache__/b.cpython-311.pyc",
                 "c/d/e.yaml", "c/d/x.class", "c/f.pyc", "é.txt", "z/y/x/w.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    (tmp_path / "linked").symlink_to(tmp_path / "c")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    expected = [str(p.relative_to(tmp_path)) for p in sorted(tmp_path.rglob("*"))
                if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".class")]
    assert cache._package_files(tmp_path) == expected
    assert "c/d/e.yaml" in expected and "linked/d/e.yaml" not in expected and "dangling" not in expected


def test_asking_for_the_kobo_copy_builds_it_and_dropping_it_rebuilds_nothing(shelf: Path):
    assert run(shelf) == ALL_BUILT
    assert run(shelf, kepub=True) == ALL_BUILT  # the .kepub.epub copies were missing
    assert (shelf / "out" / "spuffy.kepub.epub").exists()
    assert run(shelf, kepub=True) == NONE_BUILT
    assert run(shelf) == NONE_BUILT
    (shelf / "out" / "bangel.kepub.epub").unlink()
    assert run(shelf, kepub=True) == {"bangel": "built", "everything": "unchanged",
                                      "formats": "unchanged", "phares": "unchanged", "spuffy": "unchanged"}


def test_a_story_shared_by_recipes_is_converted_once(shelf: Path):
    def recipe(name: str, stories: list[str]) -> Path:
        path = shelf / "recipes" / f"{name}.yaml"
        path.write_text(f"title: {name}\nstories:\n"
                        + "".join(f"  - path: ../stories/{s}\n" for s in stories), "utf-8")
        return path

    stories = sorted(p.name for p in (shelf / "stories").glob("*.txt"))
    one = recipe("one", stories[:2])
    both = recipe("both", stories[:4])  # the first two again, and two more
    memo = StoryMemo()
    opts = BuildOptions(out_dir=shelf / "memo")
    build(one, opts, memo=memo)
    build(both, opts, memo=memo)
    assert (memo.misses, memo.hits) == (4, 2)
    # the memo changes nothing in the book
    alone = build(both, BuildOptions(out_dir=shelf / "alone"))
    assert alone.output.read_bytes() == (shelf / "memo" / "both.epub").read_bytes()


def test_memo_keys_on_content_not_just_path(shelf: Path):
    memo = StoryMemo()
    opts = BuildOptions(out_dir=shelf / "memo")
    build(shelf / "recipes" / "spuffy.yaml", opts, memo=memo)
    story = shelf / "stories" / "001_d39001a75b639f10.txt"
    story.write_text(story.read_text("utf-8").replace("Small feet.", "Tiny feet."), "utf-8")
    build(shelf / "recipes" / "spuffy.yaml", opts, memo=memo)
    assert (memo.misses, memo.hits) == (3, 1)


def test_memo_is_bounded():
    memo = StoryMemo(max_source_bytes=20_000)
    stories = sorted((ROOT / "stories").glob("*.txt"))
    from ficbook.convert import ConvertOptions
    for p in stories:
        memo.convert(p, p.name, ConvertOptions())
    assert memo._bytes <= 20_000 and len(memo._kept) < len(stories)
