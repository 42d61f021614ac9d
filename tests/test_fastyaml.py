"""The YAML fast path (ficbook.fastyaml) for recipes and cover styles: the same data as
the pure-Python loaders, or nothing, and never the C parser on a document it could crash on."""

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ficbook import fastyaml
from ficbook.errors import RecipeError
from ficbook.recipe.load import _parse, _parse_plain

ROOT = Path(__file__).resolve().parents[1]
PATH = ROOT / "recipes" / "r.yaml"


def slow(text: str):
    try:
        return _parse(text, PATH).model_dump()
    except RecipeError as exc:
        return f"error: {exc}"


# The C parser is more lenient than ruamel's pure-Python one on a few malformed documents
# (blank lines in a block scalar indented deeper than its text; tabs, which the fast path
# leaves alone for this reason): it reads them as the spec's tolerant readers do, where
# the round-trip loader reports an error. Where the round-trip loader reads a recipe, the
# fast path must read the same.
LENIENT = ("more indented follow up line than first in a block scalar",)


def same_as_slow(text: str) -> bool:
    """True when the fast path read the text: then it must agree with the slow one."""
    fast = _parse_plain(text, PATH)
    if fast is None:
        return False
    expected = slow(text)
    if isinstance(expected, str) and any(why in expected for why in LENIENT):
        return True
    assert fast.model_dump() == expected
    return True


@pytest.mark.skipif(fastyaml.CParser is None, reason="ruamel.yaml.clib not installed")
@pytest.mark.parametrize("recipe", sorted((ROOT / "recipes").glob("*.yaml")), ids=lambda p: p.name)
def test_the_sample_recipes_take_the_fast_path_and_read_the_same(recipe):
    assert same_as_slow(recipe.read_text("utf-8"))


TRICKY = [
    "title: Buffy & Angel\nstories:\n  - path: a.txt\n",
    "title: 'Quoted: yes'\nlanguage: no\ndate: 2024-05-01\nstories:\n  - path: a.txt\n",
    "title: X\ndate: 2024-05-01T02:00:00+05:00\nstories:\n  - path: a.txt\n",
    "title: X\ndescription: |\n  Two lines,\n  kept.\nstories:\n  - path: a.txt\n",
    "title: X\ndescription: >\n  Folded\n  text.\n\nstories:\n  - {path: a.txt, title: In flow}\n",
    "title: \"Esc\\u00e9 \\x01\"\nstories: [{path: a.txt}, {path: b.txt}]\n",
    "title: X\nseries: {name: S, index: 2.5}\nstories:\n  - path: a.txt\n",
    "title: X\nrules: {typography: false}\nstories:\n  - path: a.txt\n    rules: {chapters: off}\n",
    "title: X # a comment\nstories:\n  # another\n  - path: a.txt\n",
    "title: X\nseries:\n  name: S\n  index: 1e1\nstories:\n  - path: a.txt\n",
    "title: X\nstories:\n  - path: a.txt\n  - path: ./a.txt\n",         # listed twice
    "title: X\nstories:\n  - path: a.txt\ntitle: Y\n",                     # duplicate key
    "title: X\nlanguge: en\nstories:\n  - path: a.txt\n",                 # unknown key
    "title: X\nstories:\n  - path: a.txt\n    title: [unclosed\n",         # bad YAML
    "title: !!str 12\nstories:\n  - path: a.txt\n",                       # a tag
    "base: &b {path: a.txt}\ntitle: X\nstories:\n  - *b\n",               # an anchor
    "title: X\nstories:\n  - <<: {path: a.txt}\n",                        # a merge key
    "%YAML 1.1\n---\ntitle: X\nlanguage: no\nstories:\n  - path: a.txt\n",  # a directive
    "title: X\nstories:\n  - - path: a.txt\n",
    "",
    "- a\n- b\n",
    "\ufefftitle: BOM\nstories:\n  - path: a.txt\n",  # (load_recipe strips one)
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_recipes_read_the_same_either_way(text):
    fast = same_as_slow(text)
    if fastyaml.CParser is not None:
        # the first ten are valid and plain; the rest are errors or not plain
        assert fast == (TRICKY.index(text) < 10)


def test_deep_nesting_never_reaches_the_c_parser():
    # The C parser segfaults on this; a crash would kill the subprocess, not fail an assert.
    for doc in ("a: " + "[" * 100_000, "a: " + "{x: " * 100_000, "a:\n" + "- " * 100_000 + "x",
                "".join(" " * i + f"k{i}:\n" for i in range(200))):
        assert not fastyaml.plain(doc)
    code = ("import sys; from ficbook import fastyaml;"
            "sys.exit(fastyaml.load('a: ' + '[' * 100000 + ']' * 100000) is not None)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


SCALAR = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
# What a quoted scalar may hold in a plain document (no control characters, none of the
# line breaks and marks `fastyaml.plain` leaves to the slow path)
QUOTABLE = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn"),
                                 blacklist_characters="\x85\u2028\u2029\ufeff"), max_size=30)


def same_or_declined(text: str) -> bool:
    """`same_as_slow`, and when the fast path declines the text, that was right: the text
    is not plain, the C parser refused it, or the slow path reports an error too."""
    if same_as_slow(text):
        return True
    assert (fastyaml.CParser is None or not fastyaml.plain(text) or fastyaml.load(text) is None
            or isinstance(slow(text), str)), text
    return False


@settings(max_examples=500, deadline=None)
@given(title=SCALAR, editor=SCALAR, description=SCALAR, story=SCALAR,
       style=st.sampled_from(["plain", "single", "double"]))
def test_any_values_read_the_same_either_way(title, editor, description, story, style):
    def quote(s: str) -> str:
        if style == "single":
            return "'" + s.replace("'", "''") + "'"
        if style == "double":
            return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        return s
    text = (f"title: {quote(title)}\neditor: {quote(editor)}\ndescription: {quote(description)}\n"
            f"stories:\n  - path: a.txt\n    title: {quote(story)}\n")
    same_or_declined(text)


@pytest.mark.skipif(fastyaml.CParser is None, reason="ruamel.yaml.clib not installed")
@settings(max_examples=300, deadline=None)
@given(title=QUOTABLE, description=QUOTABLE, story=QUOTABLE, style=st.sampled_from(["single", "double"]))
def test_quoted_values_take_the_fast_path_and_read_the_same(title, description, story, style):
    # Every example is compared. A quoted value sends a recipe the slow way only when its text
    # holds one of the marks `plain` refuses without parsing (`,!`, ` &x`, `<<`…): never
    # because the C parser failed on it.
    def quote(s: str) -> str:
        if style == "single":
            return "'" + s.replace("'", "''") + "'"
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    # (titles start with a letter: a title of punctuation only is refused either way)
    text = (f"title: {quote('T' + title)}\ndescription: {quote(description)}\n"
            f"stories:\n  - path: a.txt\n    title: {quote('S' + story)}\n")
    assert same_as_slow(text) or not fastyaml.plain(text), text


@pytest.mark.skipif(fastyaml.CParser is None, reason="ruamel.yaml.clib not installed")
@pytest.mark.parametrize("style", sorted((ROOT / "covers").glob("*.yaml")), ids=lambda p: p.name)
def test_the_cover_styles_take_the_fast_path_and_read_the_same(style):
    from ruamel.yaml import YAML

    text = style.read_text("utf-8")
    assert fastyaml.load(text) == YAML(typ="safe", pure=True).load(text) is not None


# YAML's own punctuation, line breaks and indentation, to reach the parsers' corners.
PIECES = st.sampled_from(list(":#-?[]{},&*|>'\"%@`\n\r \\.0123456789eE+_xo~\u00a0\u0085\u2028\t")
                         + ["\\n", "  ", ": ", "- ", "\n  ", "\n    ", "\n- ", "\n  - ", "---",
                            "...", "summary: ", "\n  title: ", "path: ", "\r\n", "#c", "true", "no"])


@settings(max_examples=400, deadline=None)
@given(a=st.lists(PIECES, max_size=25).map("".join), b=st.lists(PIECES, max_size=25).map("".join),
       c=st.lists(PIECES, max_size=25).map("".join))
def test_any_document_reads_the_same_either_way(a, b, c):
    same_or_declined(f"title: {a}\nstories:\n  - path: a.txt{b}\ndescription: {c}\n")
