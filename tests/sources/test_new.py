"""`ficbook new`: a starting recipe from a folder of stories and from a calibre library."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ficbook.build import BuildOptions, build
from ficbook.cli.app import app
from ficbook.recipe import load_recipe
from ficbook.sources import calibre
from tests.conftest import ROOT

runner = CliRunner()
LIBRARY = ROOT / "stories" / "calibre-library"

SERIES_TWO = """Title: The Second Crossing
Author: Wren Hollis
Rating: T
Series: Ferry Tales [2]
Summary: The ferry again, and the same two people on it.

The ferry left at six. They were both on it again, pretending not to notice.
"""
SERIES_ONE = """Title: The First Crossing
Author: Wren Hollis
Rating: G
Series: Ferry Tales [1]
Summary: Two strangers on a ferry in the fog.

The fog sat on the water like a lid. She stood at the rail; he stood at the other one.
"""
LOOSE = """Title: A Loose Page
Author: Mara Quill

Nothing in this story belongs to a series, and it is quite happy that way.
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    stories = tmp_path / "stories"
    stories.mkdir()
    # file names in the opposite of series order: the order must come from the files
    (stories / "a-second.txt").write_text(SERIES_TWO, encoding="utf-8")
    (stories / "b-loose.txt").write_text(LOOSE, encoding="utf-8")
    (stories / "c-first.txt").write_text(SERIES_ONE, encoding="utf-8")
    (stories / "notes.jpg").write_bytes(b"not a story")
    return stories


def test_new_from_a_folder_orders_by_series_and_prefills_comments(folder: Path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "recipes/ferry", "--from", str(folder)])
    assert result.exit_code == 0, result.output
    recipe = tmp_path / "recipes" / "ferry.yaml"
    text = recipe.read_text(encoding="utf-8")
    paths = [line.split('"')[1] for line in text.splitlines() if line.startswith("  - path:")]
    assert paths == ["../stories/c-first.txt", "../stories/a-second.txt", "../stories/b-loose.txt"]
    assert '    # title: "The First Crossing"' in text
    assert '    # author: "Wren Hollis"' in text
    assert '    # rating: "T"' in text
    assert '    # summary: "Two strangers on a ferry in the fog."' in text
    assert "series Ferry Tales [1]" in text
    # a valid recipe as written; uncommenting a line sets it
    loaded = load_recipe(recipe)
    assert loaded.title == "Ferry" and len(loaded.stories) == 3
    recipe.write_text(text.replace('    # title: "The First Crossing"', '    title: "Crossing One"'))
    assert load_recipe(recipe).stories[0].title == "Crossing One"
    assert build(recipe, BuildOptions(out_dir=tmp_path / "out")).stories == 3


def test_new_never_overwrites(folder: Path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.yaml").write_text("title: Mine\nstories:\n  - path: x.txt\n")
    result = runner.invoke(app, ["new", "mine", "--from", str(folder)])
    assert result.exit_code == 6
    assert "already exists" in result.stderr and "never overwrites" in result.stderr
    assert (tmp_path / "mine.yaml").read_text() == "title: Mine\nstories:\n  - path: x.txt\n"


def test_new_refuses_an_empty_folder_and_a_library_given_as_a_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["new", "x", "--from", "empty"])
    assert result.exit_code == 4 and "no story files" in result.stderr
    result = runner.invoke(app, ["new", "x", "--from", str(LIBRARY)])
    assert result.exit_code == 4 and "use --calibre" in result.stderr
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize("via", ["sqlite", "calibredb"])
def test_new_from_a_calibre_library(via, tmp_path, monkeypatch):
    if via == "sqlite":
        monkeypatch.setattr(calibre, "calibredb", lambda: None)
    elif calibre.calibredb() is None:
        pytest.skip("calibre is not installed")
    library = tmp_path / "Calibre Library"
    shutil.copytree(LIBRARY, library)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "recipes/harbour", "--calibre", str(library),
                                 "--search", 'tags:"Spike/Buffy"'])
    assert result.exit_code == 0, result.output
    recipe = tmp_path / "recipes" / "harbour.yaml"
    text = recipe.read_text(encoding="utf-8")
    assert 'library: "../Calibre Library"' in text
    assert 'search: "tags:\\"Spike/Buffy\\""' in text
    books = [line for line in text.splitlines() if line.startswith("  #   ")]
    assert [b.split(":")[0].split()[-1] for b in books] == ["1", "2", "4"]  # series, then date
    assert 'title: "Low Tide"' in books[0] and "Harbour Lights [1]" in books[0]
    assert 'summary: "The harbour floor, counted."' in books[0]
    result = build(recipe, BuildOptions(out_dir=tmp_path / "out"))
    assert result.stories == 3
