"""Digests of seldom-changed files kept between runs (`ficbook.digests`): taken again
whenever the file was written, even with its size and mtime put back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ficbook import digests
from ficbook.inputs import digest


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("FICBOOK_CACHE", str(folder))
    monkeypatch.setattr(digests, "_memo", digests._Memo())
    return folder


def new_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the next process starts with: only the file in the cache folder."""
    monkeypatch.setattr(digests, "_memo", digests._Memo())


def test_kept_and_used_while_the_file_is_untouched(cache: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    font = tmp_path / "font.ttf"
    font.write_bytes(b"glyphs" * 1000)
    path = str(font)
    assert digests.file_digests([path], 1 << 20) == {path: digest(font.read_bytes())}
    assert (cache / "digests.json").is_file()
    new_run(monkeypatch)
    read = []
    monkeypatch.setattr(digests, "read_regular", lambda *a: read.append(a) or (b"", os.stat(path)))
    assert digests.file_digests([path], 1 << 20) == {path: digest(font.read_bytes())}
    assert read == []  # from the kept digest, the file not read


def test_a_file_written_with_its_size_and_mtime_put_back_is_read_again(cache: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "rules.py"
    source.write_text("A = 1\n")
    path = str(source)
    first = digests.file_digests([path], 1 << 20)[path]
    st = source.stat()
    source.write_text("A = 2\n")  # same size
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))  # same mtime: only the ctime tells
    new_run(monkeypatch)
    again = digests.file_digests([path], 1 << 20)[path]
    assert again == digest(b"A = 2\n") != first


def test_a_damaged_memo_is_taken_anew(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.mkdir()
    (cache / "digests.json").write_text("{not json")
    story = tmp_path / "story.txt"
    story.write_bytes(b"Once upon a time")
    assert digests.file_digests([str(story)], 1 << 20)[str(story)] == digest(b"Once upon a time")
    new_run(monkeypatch)
    assert str(story) in digests._known(cache)


def test_without_a_cache_folder_every_digest_is_taken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FICBOOK_CACHE", "off")
    monkeypatch.setattr(digests, "_memo", digests._Memo())
    story = tmp_path / "story.txt"
    story.write_bytes(b"text")
    assert digests.file_digests([str(story)], 1 << 20) == {str(story): digest(b"text")}
    assert digests._memo.known == {}


def test_what_is_not_a_regular_file_or_too_big_is_refused(cache: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 100)
    with pytest.raises(OSError):
        digests.file_digests([str(big)], 10)
    with pytest.raises(OSError):
        digests.file_digests([str(tmp_path)], 1 << 20)  # a folder


def test_threads_taking_digests_at_once(cache: Path, tmp_path: Path) -> None:
    """Asked from several threads at once (a Dask worker converts in several): the memo
    is written whole, never while another thread adds to it."""
    from concurrent.futures import ThreadPoolExecutor

    files = []
    for n in range(64):
        f = tmp_path / f"font{n}.ttf"
        f.write_bytes(bytes([n]) * 5000)
        files.append(str(f))
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda p: digests.file_digests([p], 1 << 20), files * 4))
    assert [r[p] for r, p in zip(results, files * 4)] == [digest(open(p, "rb").read()) for p in files * 4]
    assert set(digests._known(cache)) == set(files)


def _cover_files(folder: Path) -> list[Path]:
    style = folder / "plain.yaml"
    style.write_text("name: plain\n")
    (folder / "fonts").mkdir()
    font = folder / "fonts" / "Serif.ttf"
    font.write_bytes(b"outlines" * 4096)
    return [style, font]


def test_the_bundled_cover_files_are_stamped_from_the_kept_digests(cache: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Every book's record lists the cover styles and fonts ficbook ships (11 MB): a run's
    # first record read and hashed them all while the workers waited.
    from ficbook.batch import manifest
    from ficbook.cover import folder as cover_folder

    bundled = tmp_path / "covers"
    bundled.mkdir()
    files = _cover_files(bundled)
    monkeypatch.delenv("FICBOOK_COVERS", raising=False)
    monkeypatch.setattr(cover_folder, "covers_dir", lambda: bundled)
    monkeypatch.setattr(manifest, "_seen", {})
    first = [manifest.stamp(p) for p in files]
    assert [s.digest for s in first] == [digest(p.read_bytes()) for p in files]
    new_run(monkeypatch)  # the next process: the digests kept in the cache folder, no others
    monkeypatch.setattr(manifest, "_seen", {})
    read: list[str] = []
    monkeypatch.setattr(digests, "read_regular", lambda path, limit: read.append(path))
    monkeypatch.setattr(manifest, "read_regular", lambda path, limit: read.append(path))
    assert [manifest.stamp(p) for p in files] == first
    assert read == []  # kept: no cover file read again


def test_the_cover_files_of_ficbook_covers_are_a_users_and_stamped_as_read(cache: Path, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from ficbook.batch import manifest

    mine = tmp_path / "my-covers"
    mine.mkdir()
    files = _cover_files(mine)
    monkeypatch.setenv("FICBOOK_COVERS", str(mine))
    monkeypatch.setattr(manifest, "_seen", {})
    stamps = [manifest.stamp(p) for p in files]
    assert [s.digest for s in stamps] == [digest(p.read_bytes()) for p in files]
    assert not (cache / "digests.json").exists()  # a user's files are not kept there
