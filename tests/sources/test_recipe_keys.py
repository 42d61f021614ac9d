"""The recipe keys of issue 18: `url:` story entries and a `calibre:` source."""

from __future__ import annotations

from pathlib import Path

import pytest

from ficbook import outputs
from ficbook.errors import RecipeError
from ficbook.recipe import load_recipe


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "recipes").mkdir(exist_ok=True)
    path = tmp_path / "recipes" / "r.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_story_is_a_path_or_a_url_never_both_nor_neither(tmp_path):
    path = write(tmp_path, "title: X\nstories:\n  - title: no file\n  - url: ftp://nope\n"
                           "  - path: a.txt\n    url: https://archiveofourown.org/works/1\n")
    with pytest.raises(RecipeError) as err:
        load_recipe(path)
    details = err.value.details
    assert len(details) == 3
    assert details[0].endswith(":3:5: stories.0: give the story's `path:` (a file) or its `url:` "
                               "(an archive link), one of the two")
    assert "stories.1.url: not a web link: 'ftp://nope'" in details[1]
    assert ":5:5: stories.2: give the story's" in details[2]


def test_a_link_reads_from_the_download_cache_beside_the_build_folder(tmp_path):
    url = "https://archiveofourown.org/works/123"
    recipe = load_recipe(write(tmp_path, f"title: X\nstories:\n  - url: {url}\n"))
    where = recipe.story_path(recipe.stories[0])
    assert where.parent == (tmp_path / "downloads").resolve()
    assert where.name.startswith("archiveofourown-org-works-123-") and where.suffix == ".epub"
    assert where == outputs.download_path(recipe.source, url)


def test_the_same_link_twice_is_refused(tmp_path):
    url = "https://archiveofourown.org/works/123"
    with pytest.raises(RecipeError, match="story listed twice"):
        load_recipe(write(tmp_path, f"title: X\nstories:\n  - url: {url}\n  - url: {url}\n"))


def test_calibre_keys(tmp_path):
    recipe = load_recipe(write(tmp_path, "title: X\ncalibre:\n  library: lib\n  ids: [3, 1]\n"
                                         "  books:\n    3: {title: Better}\n"))
    assert recipe.calibre is not None and recipe.calibre.ids == [3, 1]
    assert recipe.calibre.books[3].title == "Better" and recipe.calibre.sort == "series"
    for bad, why in (("  search: x\n  ids: [1]\n", "not both"), ("  sort: size\n", "sort"),
                     ("  colour: red\n", "unknown key")):
        with pytest.raises(RecipeError) as err:
            load_recipe(write(tmp_path, f"title: X\ncalibre:\n  library: lib\n{bad}"))
        assert why in " ".join(err.value.details), bad
    with pytest.raises(RecipeError) as err:
        load_recipe(write(tmp_path, "title: X\ncalibre: {library: lib}\nparts:\n  - title: P\n"
                                    "    stories: [{path: a.txt}]\n"))
    assert "not `parts:`" in " ".join(err.value.details)
