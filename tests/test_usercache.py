"""The user's cache of parsed package data: a value is made once and read back after,
a changed key replaces its entry, and no failure of the cache changes a result."""

from __future__ import annotations

import pytest

from ficbook import usercache


@pytest.fixture()
def made(tmp_path, monkeypatch):
    monkeypatch.setenv("FICBOOK_CACHE", str(tmp_path / "cache"))
    calls: list[str] = []

    def make(value: str):
        def inner() -> dict:
            calls.append(value)
            return {"value": value, "list": [1, 2]}
        return inner

    return calls, make, tmp_path / "cache"


def test_made_once_then_read_back(made):
    calls, make, folder = made
    assert usercache.cached("data.x", b"one", make("a")) == {"value": "a", "list": [1, 2]}
    assert usercache.cached("data.x", b"one", make("b")) == {"value": "a", "list": [1, 2]}
    assert calls == ["a"]
    assert len(list(folder.glob("data.x@*.pickle"))) == 1


def test_a_new_key_replaces_the_entry_of_its_kind_only(made):
    calls, make, folder = made
    usercache.cached("data.ao3", b"one", make("a"))
    usercache.cached("data.ao3-page", b"one", make("p"))
    assert usercache.cached("data.ao3", b"two", make("b"))["value"] == "b"
    assert len(list(folder.glob("data.ao3@*.pickle"))) == 1
    assert usercache.cached("data.ao3-page", b"one", make("q"))["value"] == "p"
    assert calls == ["a", "p", "b"]


def test_a_damaged_entry_is_made_anew(made):
    calls, make, folder = made
    usercache.cached("data.x", b"one", make("a"))
    (entry,) = folder.glob("data.x@*.pickle")
    entry.write_bytes(b"\x80\x05not a pickle")
    assert usercache.cached("data.x", b"one", make("b"))["value"] == "b"
    assert usercache.cached("data.x", b"one", make("c"))["value"] == "b"  # and kept again
    assert calls == ["a", "b"]


def test_off_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("FICBOOK_CACHE", "off")
    monkeypatch.chdir(tmp_path)
    n = []
    assert usercache.cached("data.x", b"k", lambda: n.append(1) or 5) == 5
    assert usercache.cached("data.x", b"k", lambda: n.append(1) or 5) == 5
    assert n == [1, 1] and not list(tmp_path.iterdir())


def test_a_folder_that_cannot_be_written_still_gives_the_value(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FICBOOK_CACHE", str(blocker / "cache"))
    assert usercache.cached("data.x", b"k", lambda: [3]) == [3]
    assert blocker.read_text() == "not a folder"


def test_default_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("FICBOOK_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert usercache.folder() == tmp_path / "ficbook"


def test_package_data_read_through_the_cache_equals_the_file(tmp_path, monkeypatch):
    from ruamel.yaml import YAML

    from ficbook import datafiles

    monkeypatch.setenv("FICBOOK_CACHE", str(tmp_path))
    datafiles.data_yaml.cache_clear()
    try:
        first = datafiles.data_yaml("languages/fr.yaml")
        datafiles.data_yaml.cache_clear()
        again = datafiles.data_yaml("languages/fr.yaml")  # from the pickle this time
        assert list(tmp_path.glob("data.languages.fr@*.pickle"))
        text = datafiles.data_file("languages/fr.yaml").read_text("utf-8")
        assert first == again == YAML(typ="safe", pure=True).load(text)
    finally:
        datafiles.data_yaml.cache_clear()
