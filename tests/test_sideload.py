"""`ficbook sideload` onto fake mount points shaped like each device."""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ficbook.build import BuildOptions, build
from ficbook.cli.app import app
from ficbook.devices.sideload import SideloadError, detect_device, sideload
from tests.conftest import RECIPES

needs_calibre = pytest.mark.skipif(shutil.which("ebook-convert") is None,
                                   reason="calibre's ebook-convert is not installed")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sideload-books")
    return build(RECIPES / "spuffy.yaml", BuildOptions(out_dir=out, kepub=True)).output


def device(root: Path, kind: str) -> Path:
    layouts = {
        "kobo": [".kobo/KoboReader.sqlite"],
        "kindle": ["documents/", "system/thumbnails/"],
        "pocketbook": ["system/config/Settings/", "Books/"],
        "generic": [],
    }
    root.mkdir()
    for entry in layouts[kind]:
        target = root / entry
        if entry.endswith("/"):
            target.mkdir(parents=True)
        else:
            target.parent.mkdir(parents=True)
            target.write_bytes(b"")
    return root


@pytest.mark.parametrize("kind,folder", [("kobo", "."), ("kindle", "documents"),
                                         ("pocketbook", "Books"), ("generic", ".")])
def test_detects_each_device_from_its_files(tmp_path: Path, kind: str, folder: str) -> None:
    found = detect_device(device(tmp_path / kind, kind))
    assert found.kind == kind
    assert found.folder == tmp_path / kind / folder


def test_kobo_gets_the_kepub(tmp_path: Path, book: Path) -> None:
    mount = device(tmp_path / "KOBOeReader", "kobo")
    result = sideload(book, mount)
    assert result.dest == mount / "spuffy.kepub.epub" and result.status == "copied"
    assert result.dest.read_bytes() == book.with_name("spuffy.kepub.epub").read_bytes()
    kepub = zipfile.ZipFile(result.dest)
    chapter = next(n for n in kepub.namelist() if re.search(r"text/s-[a-z0-9-]+-c01\.xhtml$", n))
    assert b'class="koboSpan"' in kepub.read(chapter)


def test_kobo_kepub_is_made_when_missing_or_stale(tmp_path: Path, book: Path) -> None:
    lone = tmp_path / "books" / "lone.epub"
    lone.parent.mkdir()
    shutil.copy(book, lone)
    stale = lone.with_name("lone.kepub.epub")
    stale.write_bytes(b"old kepub")
    os.utime(stale, (1, 1))  # older than the EPUB
    mount = device(tmp_path / "kobo", "kobo")
    result = sideload(lone, mount)
    assert result.source == "KEPUB made from lone.epub"
    assert zipfile.ZipFile(result.dest).read("mimetype") == b"application/epub+zip"


def test_generic_and_pocketbook_get_the_epub(tmp_path: Path, book: Path) -> None:
    pocketbook = device(tmp_path / "pb", "pocketbook")
    assert sideload(book, pocketbook).dest == pocketbook / "Books" / "spuffy.epub"
    generic = device(tmp_path / "usb", "generic")
    result = sideload(book, generic)
    assert result.dest == generic / "spuffy.epub"
    assert result.dest.read_bytes() == book.read_bytes()


def test_never_overwrites_silently(tmp_path: Path, book: Path) -> None:
    mount = device(tmp_path / "usb", "generic")
    other = mount / "spuffy.epub"
    other.write_bytes(b"someone else's book")
    with pytest.raises(SideloadError, match="--force"):
        sideload(book, mount)
    assert other.read_bytes() == b"someone else's book"
    assert sideload(book, mount, force=True).status == "replaced"
    assert sideload(book, mount).status == "unchanged"
    assert sorted(p.name for p in mount.iterdir()) == ["spuffy.epub"]  # no temporary left


@needs_calibre
def test_kindle_gets_an_azw3_in_documents(tmp_path: Path, book: Path) -> None:
    mount = device(tmp_path / "Kindle", "kindle")
    result = sideload(book, mount)
    assert result.dest == mount / "documents" / "spuffy.azw3"
    assert result.dest.read_bytes()[60:68] == b"BOOKMOBI"  # a Mobipocket/KF8 container


def test_kindle_without_calibre_says_what_to_do(tmp_path: Path, book: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    mount = device(tmp_path / "Kindle", "kindle")
    with pytest.raises(SideloadError, match="needs the AZW3.*ebook-convert"):
        sideload(book, mount)
    assert list((mount / "documents").iterdir()) == []


def test_cli_reports_device_and_refuses_to_overwrite(tmp_path: Path, book: Path) -> None:
    mount = device(tmp_path / "kobo", "kobo")
    runner = CliRunner()
    first = runner.invoke(app, ["sideload", str(book), "--to", str(mount)])
    assert first.exit_code == 0, first.output
    assert "Kobo (.kobo/)" in first.stdout and "spuffy.kepub.epub  copied" in first.stdout
    (mount / "spuffy.kepub.epub").write_bytes(b"changed on the device")
    second = runner.invoke(app, ["sideload", str(book), "--to", str(mount)])
    assert second.exit_code != 0
    assert "use --force to replace it" in second.stderr
    assert "Traceback" not in second.output
    missing = runner.invoke(app, ["sideload", str(tmp_path / "nope.epub"), "--to", str(mount)])
    assert missing.exit_code != 0 and "book not found" in missing.stderr
