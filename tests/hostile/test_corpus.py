"""Hostile input, table-driven: every case ends as a whole, valid book that lost no word,
or as one `ficbook: FILE[:LINE]: message` line with a non-zero exit code. Never a
traceback, never a partial book, never a changed input, never a network connection."""

from __future__ import annotations

import socket
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ficbook.build import BuildOptions, build
from tests.conftest import assert_epubcheck_clean
from tests.hostile import harness
from tests.hostile.corpus import CASES, Book, Case, Fails

SMALL = [c for c in CASES if not c.big]
# The big cases' small shapes are built here too (in a child process, memory measured),
# so that one EPUBCheck run checks every book; the full-size ones are in test_big.py.
BOOKS = [c for c in CASES if isinstance(c.expect, Book) and not c.slow]
FAILS = [c for c in SMALL if isinstance(c.expect, Fails)]


def params(cases: list[Case]) -> list:
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.xfail)]
                         if c.xfail else []) for c in cases]


class NetworkUsed(AssertionError):
    pass


def _no_connect(self, *args, **kwargs):  # noqa: ANN001
    raise NetworkUsed(f"network access attempted: {args!r}")


def _as_a_user(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may run as root, who reads any file: refuse mode-000 files as a user's
    process would, so the unreadable-file case means the same everywhere."""
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        try:
            mode = self.stat().st_mode
        except OSError:
            mode = stat.S_IRUSR
        if stat.S_ISREG(mode) and not mode & 0o444:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _no_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _no_connect)
    monkeypatch.setattr(socket, "create_connection", _no_connect)
    monkeypatch.setattr(socket, "getaddrinfo", _no_connect)


@dataclass
class Built:
    case: Case
    output: Path | None = None
    error: BaseException | None = None
    dropped: tuple[str, ...] = ()
    inputs_changed: bool = False
    child: tuple | None = None  # big cases: (run, book, setup) from harness.build_in_child


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """Build every book case once (in-process, offline); the tests below judge them."""
    mp = pytest.MonkeyPatch()
    mp.setattr(socket.socket, "connect", _no_connect)
    mp.setattr(socket, "getaddrinfo", _no_connect)
    out: dict[str, Built] = {}
    try:
        for case in BOOKS:
            shelf = tmp_path_factory.mktemp(case.id)
            record = Built(case)
            if case.big:  # inputs checked unchanged inside build_in_child
                try:
                    record.child = harness.build_in_child(case, shelf)
                    record.output = record.child[1]
                except AssertionError as exc:
                    record.error = exc
                out[case.id] = record
                continue
            setup = case.make(shelf)
            before = harness.hash_tree(shelf)
            try:
                result = build(setup.recipe, BuildOptions(out_dir=shelf / "build"))
            except (Exception, NetworkUsed) as exc:  # judged per case below
                record.error = exc
            else:
                record.output = result.output
                record.dropped = tuple(d.message for d in result.diagnostics
                                       if d.code == "chrome-dropped")
            record.inputs_changed = harness.hash_tree(shelf, skip=shelf / "build") != before
            out[case.id] = record
    finally:
        mp.undo()
    return out


@pytest.mark.parametrize("case", params(BOOKS))
def test_builds_a_whole_book(case: Case, books: dict[str, Built]):
    record = books[case.id]
    if record.error is not None:
        raise AssertionError(f"expected a book, got {type(record.error).__name__}: {record.error}")
    if record.child is not None:
        harness.check_big(case, *record.child)
        return
    assert not record.inputs_changed
    assert record.output is not None and record.output.stat().st_size > 0
    text = harness.book_text(record.output)
    lost = harness.lost_words(case.expect.words, text, list(record.dropped))
    assert not lost, f"words lost: {dict(lost)}"
    for needle in case.expect.absent:
        assert needle not in text, needle
    if case.expect.active:
        assert harness.active_content(record.output) == []
        raw = b"".join(harness.read_all(record.output))
        for needle in case.expect.absent:
            assert needle.encode() not in raw, needle


def test_every_book_passes_epubcheck(books: dict[str, Built]):
    paths = [b.output for b in books.values() if b.output is not None and b.output.exists()]
    assert paths
    assert_epubcheck_clean(paths)


def test_every_book_shows_every_word_in_mupdf(books: dict[str, Built]):
    """A reading engine lays each book out: every word on the pages, in order (issue 17).
    Not the big cases (test_big.py counts their words): MuPDF matches `p:first-child`
    by walking back over the siblings, so laying out a file of 17,000 one-word paragraphs
    takes it a minute."""
    pytest.importorskip("pymupdf")
    from tests.engines import mupdf

    built = {k: b.output for k, b in books.items()
             if b.output is not None and b.output.exists() and not b.case.big}
    assert built
    assert [p for name, path in built.items() for p in mupdf.problems(path, name)] == []


runner = CliRunner()


@pytest.mark.parametrize("case", params(FAILS))
def test_fails_with_one_clear_line(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    setup = case.make(tmp_path)
    _as_a_user(monkeypatch)
    before = harness.hash_tree(tmp_path)
    out_args = setup.args or ("--out", str(tmp_path / "build"))
    result = runner.invoke(app(), ["build", str(setup.recipe), "--quiet", "--jobs", "1", *out_args])
    check_failure(case, setup, result.exit_code, result.stderr, tmp_path)
    assert harness.hash_tree(tmp_path, skip=tmp_path / "build") == before


def check_failure(case: Case, setup, code: int, stderr: str, shelf: Path) -> None:  # noqa: ANN001
    expect = case.expect
    assert isinstance(expect, Fails)
    line = harness.one_error_line(stderr)
    assert code == expect.code, stderr
    assert expect.message in stderr, stderr
    named = {"story": setup.story, "recipe": setup.recipe, "out": setup.out}.get(expect.file,
                                                                                expect.file)
    if named is not None:
        assert Path(line.file).name == Path(named).name, stderr
    assert harness.stray_books(shelf / "build") == []


def app():  # noqa: ANN201
    from ficbook.cli.app import app as cli_app

    return cli_app


# Every input issue 8 names, by case id (the table may hold more).
ISSUE_8 = {
    "empty", "whitespace-only", "png-renamed-txt", "zip-renamed-txt", "stray-nul-bytes",
    "utf16-bom", "utf16le-no-bom", "cp1252", "latin-1", "cp1251", "mixed-utf8-cp1252-lines",
    "double-encoded-mojibake", "cr-only-line-ends", "one-line-50mb", "one-word-lines-1m",
    "word-10000-chars", "vertical-tab-and-escape", "lone-surrogates-surrogateescape",
    "right-to-left", "combining-marks", "emoji", "cjk", "text-that-looks-like-markup",
    "html-10000-nested-divs", "html-active-content", "epub-active-content",
    "html-broken-unclosed-tags", "epub-not-a-zip", "epub-zip-without-opf",
    "epub-opf-items-outside-zip", "epub-zip-bomb", "recipe-invalid-yaml",
    "recipe-duplicate-keys", "recipe-alias-bomb", "recipe-python-object-tag",
    "recipe-wrong-types", "recipe-unknown-keys", "recipe-empty-stories",
    "recipe-story-listed-twice", "story-path-is-a-folder", "story-unreadable",
    "story-symlink-loop", "output-folder-not-writable", "output-equals-story-file", "full-disk",
}


def test_corpus_covers_the_issue():
    ids = [c.id for c in CASES]
    assert len(set(ids)) == len(ids)
    assert ISSUE_8 - set(ids) == set()


def test_a_good_build_prints_nothing_but_warnings_it_means(tmp_path: Path):
    """Library warnings (ruamel's reused-anchor warning) never leak onto stderr."""
    from tests.hostile.corpus import recipe_case

    setup = recipe_case("title: &a X\nsubtitle: &a Y\nstories:\n  - path: ../stories/fight.txt\n")(tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # as a plain `python -W default` run would show them
        result = runner.invoke(app(), ["build", str(setup.recipe), "--quiet", "--jobs", "1",
                                       "--out", str(tmp_path / "build")])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert [str(w.message) for w in caught] == []
    assert (tmp_path / "build" / "book.epub").stat().st_size > 0


def test_a_long_recipe_name_builds_through_the_cli(tmp_path: Path):
    """The temporary names beside the book and its manifest must fit where the book's does."""
    from tests.hostile.corpus import long_recipe_name

    setup = long_recipe_name(tmp_path)
    result = runner.invoke(app(), ["build", str(setup.recipe), "--quiet", "--jobs", "1",
                                   "--out", str(tmp_path / "build")])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert (tmp_path / "build" / ("b" * 245 + ".epub")).stat().st_size > 0
    assert harness.stray_books(tmp_path / "build") == [tmp_path / "build" / ("b" * 245 + ".epub")]
