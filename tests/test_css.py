"""The stylesheet keeps to CSS 2.1 (Adobe's engine drops a whole sheet it cannot parse)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ficbook.datafiles import data_text
from ficbook.errors import RecipeError
from ficbook.recipe import parse_recipe
from ficbook.recipe.csslint import lint_css

SHIPPED = data_text("book.css")


def test_shipped_stylesheet_is_clean() -> None:
    assert lint_css(SHIPPED) == []


def test_shipped_stylesheet_sets_indents_and_margins_for_koreader() -> None:
    # KOReader indents every p unless told: the sheet must say so explicitly.
    assert "text-indent" in SHIPPED and "p.note-label" in SHIPPED


@pytest.mark.parametrize("css,expected", [
    ("p { width: calc(100% - 2em); }", "line 1: `calc(` is not CSS 2.1"),
    ("p { width: min(10em, 50%); }", "line 1: `min(` is not CSS 2.1"),
    ("p { width: max(10em, 50%); }", "line 1: `max(` is not CSS 2.1"),
    ("p { width: clamp(1em, 2em, 3em); }", "line 1: `clamp(` is not CSS 2.1"),
    ("p { color: var(--ink); }", "line 1: `var(` is not CSS 2.1"),
    (":root { --ink: #000; }", "line 1: custom properties (`--name:`) are not CSS 2.1"),
    ("p { margin: 1rem; }", "line 1: `rem` units are not CSS 2.1"),
    ("p { height: 50vh; }", "line 1: `vh` units are not CSS 2.1"),
    ("p { width: 10vw; }", "line 1: `vw` units are not CSS 2.1"),
    ("section.x { display: flex; }", "line 1: flex and grid layout are not CSS 2.1"),
    ("section.x { display: grid; }", "line 1: flex and grid layout are not CSS 2.1"),
    ("section.x { flex-direction: column; }", "line 1: `flex-direction:` (flex/grid) is not CSS 2.1"),
    ("\n@supports (color: red) { p { color: red; } }", "line 2: `@supports` is not CSS 2.1"),
    ("div { margin: 0; }", "line 1: bare `div` selector: style a class instead (`div.name`)"),
    ("section > span { margin: 0; }",
     "line 1: bare `span` selector: style a class instead (`span.name`)"),
    ("@media screen {\n  div:first-child { margin: 0; }\n}",
     "line 2: bare `div:first-child` selector: style a class instead (`div.name`)"),
    ("p.x { background-color: #eee; }",
     "line 1: no background colours: they hide text in night mode and on e-ink"),
    ("p.x { background: yellow; }",
     "line 1: no background colours: they hide text in night mode and on e-ink"),
])
def test_lint_names_each_problem_and_its_line(css: str, expected: str) -> None:
    assert expected in lint_css(css)


@pytest.mark.parametrize("css", [
    "div.summary { margin: 1em; } span.small-caps { font-variant: small-caps; }",
    "p { margin: 0 0 1em 0; text-indent: 1.5em; }  /* calc( in a comment is fine */",
    "p.x { background: none; } h1 { page-break-before: always; }",
    "@media amzn-kf8 { p.x { margin: 0; } }",
    "p.maxim { font-size: 1.2em; } p.remark { color: #333; }",
])
def test_lint_passes_plain_css_2_1(css: str) -> None:
    assert lint_css(css) == []


def test_recipe_css_is_linted_with_a_clear_error(tmp_path: Path) -> None:
    text = ("title: T\nstories:\n  - path: a.txt\ncss: |\n  p.x { margin: 0; }\n"
            "  div { width: calc(100% - 1em); }\n")
    with pytest.raises(RecipeError) as info:
        parse_recipe(text, tmp_path / "book.yaml")
    detail = "\n".join(info.value.details)
    assert "book.yaml:4:" in detail and "css: CSS that e-readers reject" in detail
    assert "line 2: `calc(` is not CSS 2.1" in detail and "bare `div`" in detail


def test_recipe_css_that_is_fine_reaches_the_book(tmp_path: Path) -> None:
    recipe = parse_recipe("title: T\nstories:\n  - path: a.txt\ncss: 'p.x { margin: 0; }'\n",
                          tmp_path / "book.yaml")
    assert recipe.css == "p.x { margin: 0; }"
