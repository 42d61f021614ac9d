"""Recipe loading and validation: every problem at once, `file:line:col: key.path: message`."""

from __future__ import annotations

from pathlib import Path

import pytest

from ficbook.errors import ExitCode, RecipeError
from ficbook.recipe import load_recipe, parse_recipe
from tests.conftest import SAMPLE_RECIPES


def problems(text: str) -> list[str]:
    with pytest.raises(RecipeError) as info:
        parse_recipe(text, Path("r.yaml"))
    exc = info.value
    assert exc.exit_code == ExitCode.RECIPE
    return [str(exc), *exc.details]


def test_minimal_recipe_from_the_issue_is_valid():
    recipe = parse_recipe("title: Holdout\nlanguage: en\nstories:\n  - path: some-story.txt\n",
                          Path("recipes/holdout.yaml"))
    assert recipe.title == "Holdout"
    assert recipe.language == "en"
    assert [s.path for s in recipe.stories] == ["some-story.txt"]
    assert recipe.story_path(recipe.stories[0]) == Path("recipes/some-story.txt").resolve()
    assert recipe.cover.style  # a default style


def test_identifier_is_a_stable_uuid_derived_from_the_recipe():
    a = parse_recipe("title: Holdout\nstories:\n  - path: a.txt\n", Path("r/holdout.yaml"))
    b = parse_recipe("title: Holdout\nstories:\n  - path: b.txt\n", Path("r/holdout.yaml"))
    c = parse_recipe("title: Other\nstories:\n  - path: a.txt\n", Path("r/holdout.yaml"))
    assert a.uuid.startswith("urn:uuid:")
    assert a.uuid == b.uuid != c.uuid
    given = parse_recipe("title: X\nidentifier: urn:isbn:123\nstories:\n  - path: a\n", Path("r.yaml"))
    assert given.uuid == "urn:isbn:123"


def test_language_no_stays_norwegian():
    # YAML 1.1 loaders turn `no` into False; ruamel reads YAML 1.2.
    recipe = parse_recipe("title: X\nlanguage: no\nstories:\n  - path: a\n", Path("r.yaml"))
    assert recipe.language == "no"


def test_unknown_keys_reported_at_once_with_suggestions_in_line_order():
    text = "title: X\nlanguge: en\nstories:\n  - path: a.txt\n    titel: Y\n"
    assert problems(text) == [
        "r.yaml: 2 problems in recipe",
        "r.yaml:2:1: languge: unknown key (did you mean `language`?)",
        "r.yaml:5:5: stories.0.titel: unknown key (did you mean `title`?)",
    ]


def test_unknown_key_without_a_close_match():
    assert problems("title: X\nzzz: 1\nstories:\n  - path: a\n")[1] == "r.yaml:2:1: zzz: unknown key"


def test_missing_required_keys():
    assert problems("language: en\nstories:\n  - title: x\n") == [
        "r.yaml: 2 problems in recipe",
        "r.yaml:1:1: title: required key is missing",
        "r.yaml:3:5: stories.0: give the story's `path:` (a file) or its `url:` (an archive link), one of the two",
    ]


def test_bad_language_tag():
    assert problems("title: X\nlanguage: english please\nstories:\n  - path: a\n")[1] == (
        "r.yaml:2:11: language: not a BCP 47 language tag: 'english please' "
        "(e.g. en, en-GB, fr, pt-BR)")


def test_wrong_types():
    assert problems("title: X\nseries: {name: S, index: two}\nstories: nope\n")[1:] == [
        "r.yaml:2:26: series.index: Input should be a valid number, unable to parse string as a number",
        "r.yaml:3:10: stories: Input should be a valid list",
    ]


def test_empty_and_missing_story_lists():
    assert problems("title: X\nstories: []\n")[1] == (
        "r.yaml:2:10: stories: the list is empty: add at least one story (`- path: story.txt`)")
    assert problems("title: X\n")[1] == "r.yaml:1:1: (top): no stories: add a `stories:` list (or `parts:`)"


def test_invalid_yaml_names_line_and_column():
    assert problems("title: [X\nstories: a\n") == [
        "r.yaml:2:8: invalid YAML: expected ',' or ']', but got ':'"]


def test_duplicate_keys_are_errors():
    assert problems("title: X\ntitle: Y\nstories:\n  - path: a\n") == [
        "r.yaml:2:1: invalid YAML: duplicate key 'title'"]


def test_python_tags_are_refused():
    assert problems("title: !!python/object:os.system X\nstories:\n  - path: a\n") == [
        "r.yaml: YAML tag !!python/object:os.system is not allowed in a recipe"]


def test_alias_bomb_is_refused_quickly():
    rows = ["a: &a [x,x,x,x,x,x,x,x,x]"]
    for prev, name in zip("abcdefg", "bcdefgh"):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    assert problems("\n".join(rows) + "\n") == [
        "r.yaml: recipe is nested too deeply or has too many aliases"]


def test_not_a_mapping_and_empty_file():
    assert problems("- a\n- b\n") == ["r.yaml:1:1: a recipe is a mapping of keys (title:, stories:, …)"]
    assert problems("") == ["r.yaml: recipe is empty: it needs at least `title:` and `stories:`"]


def test_stories_and_parts_are_exclusive():
    text = "title: X\nstories:\n  - path: a\nparts:\n  - title: P\n    stories:\n      - path: b\n"
    assert problems(text)[1] == "r.yaml:1:1: (top): give either `stories` or `parts`, not both"


def test_load_recipe_file_errors(tmp_path: Path):
    with pytest.raises(RecipeError, match="recipe not found"):
        load_recipe(tmp_path / "nope.yaml")
    with pytest.raises(RecipeError, match="is a folder"):
        load_recipe(tmp_path)
    bad = tmp_path / "latin.yaml"
    bad.write_bytes("title: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(RecipeError) as info:
        load_recipe(bad)
    assert str(info.value) == f"{bad}:1:11: recipe is not UTF-8 (byte 0xe9); save it as UTF-8"


@pytest.mark.parametrize("path", SAMPLE_RECIPES, ids=lambda p: p.name)
def test_sample_recipes_are_valid_and_their_stories_exist(path: Path):
    recipe = load_recipe(path)
    assert recipe.all_stories
    for entry in recipe.all_stories:
        assert recipe.story_path(entry).is_file(), entry.path


def test_a_story_listed_twice_is_an_error_at_its_second_place():
    assert problems("title: X\nstories:\n  - path: a.txt\n  - path: b.txt\n  - path: ./a.txt\n") == [
        "r.yaml:5:5: stories.2: story listed twice: ./a.txt (also story 1, a.txt)"]
    text = ("title: X\nparts:\n  - title: P\n    stories:\n      - path: a.txt\n"
            "  - title: Q\n    stories:\n      - path: a.txt\n")
    assert problems(text) == [
        "r.yaml:8:9: parts.1.stories.0: story listed twice: a.txt (also story 1, a.txt)"]


def test_unknown_converter_rule_names_are_errors():
    from ficbook.convert import RULE_NAMES

    [_, line] = problems("title: X\nrules: {typografy: false}\nstories:\n  - path: a\n")
    assert line == ("r.yaml:2:8: rules: unknown converter rule 'typografy' (did you mean "
                    "`typography`?); the rules are: " + ", ".join(RULE_NAMES))
    recipe = parse_recipe("title: X\nstories:\n  - path: a\n    rules: {typography: false}\n",
                          Path("r.yaml"))
    assert recipe.stories[0].rules == {"typography": False}
