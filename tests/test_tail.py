"""The serial tail of a big book's build made cheaper without changing what it writes:
real paths resolved folder by folder, the zip written from its pieces, the record made
from what the build read."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ficbook.batch import manifest
from ficbook.build import BuildResult
from ficbook.inputs import Read, digest
from ficbook.outputs import write_atomic
from ficbook.paths import realpath


def test_realpath_folder_by_folder_is_os_realpath(tmp_path, monkeypatch):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "story.txt").write_text("x")
    (tmp_path / "real" / "sub").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "alias.txt").symlink_to("story.txt")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    monkeypatch.chdir(tmp_path)
    folders: dict[str, str] = {}
    cases = [tmp_path / "real" / "story.txt", tmp_path / "linked" / "story.txt",
             tmp_path / "linked" / "alias.txt", tmp_path / "linked" / "sub" / ".." / "story.txt",
             tmp_path / "linked" / "missing.txt", f"{tmp_path}/linked/sub/", f"{tmp_path}//linked/./story.txt",
             f"{tmp_path}/linked/sub/..", tmp_path / "loop" / "story.txt", "linked/story.txt", "/"]
    for path in cases * 2:  # the second time from the folders remembered
        assert realpath(path, folders) == os.path.realpath(path), path
    assert folders  # folders were remembered, not resolved each time


def test_a_book_written_from_pieces_is_their_bytes_even_in_short_writes(tmp_path, monkeypatch):
    pieces = [b"PK", b"", os.urandom(5000), b"x" * 3, os.urandom(70_000)] * 300  # > 1024 a call
    real_writev = os.writev

    def short(fd, buffers):  # a file system that takes at most 9,999 bytes a call
        return real_writev(fd, [b"".join(bytes(b) for b in buffers)[:9999]])

    monkeypatch.setattr(os, "writev", short)
    out = tmp_path / "book.epub"
    write_atomic(out, pieces)
    assert out.read_bytes() == b"".join(pieces)
    assert [p.name for p in tmp_path.iterdir()] == ["book.epub"]  # no temporary file left


def test_a_story_changed_or_not_is_told_by_the_bytes_the_build_read(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("as read")
    as_read = Read(str(story), 7, 1, digest(b"as read"))
    previous = {str(story): manifest.Stamp(str(story), 7, 1, digest(b"as read"))}
    story.write_text("edited after the build read it")
    assert manifest.change(previous, {str(story): as_read}, story) is None
    assert manifest.change(previous, {}, story) == "updated"  # not read: the file as it is now
    assert manifest.change({}, {str(story): as_read}, story) == "new"


def _record(tmp_path: Path, known: dict, earlier: dict | None, also: tuple = ()) -> list:
    book = tmp_path / "out" / "book.epub"
    book.parent.mkdir(exist_ok=True)
    book.write_bytes(b"epub")
    result = BuildResult(tmp_path / "r.yaml", book, 1, 10, 4, inputs=(tmp_path / "font.ttf",),
                         outputs=(book,))
    manifest.record(result, "key", known, also=also, earlier=earlier)
    return json.loads(manifest.manifest_path(book).read_text())["inputs"]


def test_a_file_not_read_here_keeps_its_recorded_digest_while_its_stat_holds(tmp_path):
    font = tmp_path / "font.ttf"
    font.write_bytes(b"glyphs")
    st = os.stat(font)
    recorded = manifest.Stamp(str(font), st.st_size, st.st_mtime_ns, "recorded-digest")
    [entry] = _record(tmp_path, {}, {str(font): recorded})
    assert entry == [str(font), st.st_size, st.st_mtime_ns, "recorded-digest", os.path.realpath(font)]
    os.utime(font, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # touched: read again
    [entry] = _record(tmp_path, {}, {str(font): recorded})
    assert entry[3] == digest(b"glyphs")


def test_a_story_named_by_a_link_is_recorded_as_the_file_read(tmp_path):
    (tmp_path / "font.ttf").write_bytes(b"glyphs")
    story = tmp_path / "story.txt"
    story.write_text("words")
    link = tmp_path / "link.txt"
    link.symlink_to(story)
    read = Read(str(story), 5, os.stat(story).st_mtime_ns, "digest-of-what-was-read")
    entries = _record(tmp_path, {str(story): read}, None, also=(link,))
    by_path = {e[0]: e for e in entries}
    assert by_path[str(link)][3] == "digest-of-what-was-read"
    assert by_path[str(link)][4] == str(story)


@pytest.mark.parametrize("path", ["/a/b.txt", "/a/./b.txt", "/a//b.txt", "/a/../b.txt", "a/b.txt", "/a/.b/c", "/a/"])
def test_abspath_shortcut_is_abspath(path):
    assert manifest._abspath(path) == os.path.abspath(path)
