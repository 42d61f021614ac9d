"""The first-character tables (`ficbook.convert.firstchars`): worked out from each rule's
own regex through the standard library's private `re._parser`, falling back to "any first
character" when that module moves. A moved module must fail here, loudly, not only
make the converter slower."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ficbook.convert import firstchars
from ficbook.convert.rules import epigraphs, notes, scenes
from ficbook.readers.text import chapters

SETTINGS = settings(max_examples=150, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def test_the_private_parser_is_still_where_the_walk_reads_it() -> None:
    # If this fails, Python moved or changed re._parser / re._constants: every table now
    # says "any first character" (correct, but the rules lose their quick test). Update
    # firstchars.py for the new module.
    assert firstchars.WALK, "re._parser or re._constants is gone: update ficbook/convert/firstchars.py"
    assert firstchars.first_regex(r"back to top") == "b"
    assert firstchars.first_regex(r"\s*(?:ab|[cd])") == r"[\s]|[cd]|a"
    assert not firstchars.can_start(r"chapter \d+")("I")


def test_without_the_private_parser_every_character_may_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(firstchars, "WALK", False)
    table = firstchars.FirstChars(r"back to top")
    assert table["I"] and table["b"] and table["“"] and not table[""]
    # a parse that breaks (a changed parse tree) errs the same way
    monkeypatch.setattr(firstchars, "WALK", True)
    monkeypatch.setattr(firstchars, "_starts", lambda items: 1 / 0)
    assert firstchars.first_regex(r"back to top") is None


# Constructs the walk must get right (or err towards "any" on).
TRICKY = [r"(?:ab)?c", r"a*b+c", r"(?=x)xy", r"(?!q)\w+", r"\bword", r"\d+ kudos", r"[a-c\d]z",
          r"[^a]b", r"(?-i:Kelvin)", r"(?i:ſtory)", r"k", r"(a)\1", r"(?:|x)y", r"(?>at)om",
          r"x{0,2}y", r"x*?y", r"\s*next", r"[\s]*<<", r".x", r"(?:«|‹)\s*prev", r"^top$",
          r"(?<=a)b", r"(?:(?:)|(?:z))q", r"ı", r"İ", r"[K-M]", r"\W+"]


@SETTINGS
@given(st.sampled_from(TRICKY).flatmap(
    lambda p: st.tuples(st.just(p), st.from_regex(re.compile(p, re.IGNORECASE), fullmatch=True))))
def test_a_match_starts_with_a_character_the_walk_allows(case: tuple[str, str]) -> None:
    pattern, match = case
    if match:
        assert firstchars.can_start(pattern)(match[0])


# Each rule's table against matches of that rule's own patterns: what a label, a glyph
# line, an attribution or a heading can start with is never refused.
RULE_TABLES = [
    (notes._MAY_LABEL, notes._LABEL), (notes._MAY_LABEL, notes._BARE),
    (scenes._MAY_START, scenes._GLYPHS), (scenes._MAY_START, scenes._LETTERS),
    (scenes._MAY_START, scenes._ALTERNATING), (scenes._MAY_START, scenes._HR),
    (epigraphs._MAY_START, epigraphs._ATTRIBUTION), (chapters._MAY_START, chapters._MAYBE),
]


@SETTINGS
@given(st.sampled_from(range(len(RULE_TABLES))).flatmap(
    lambda i: st.tuples(st.just(i), st.from_regex(RULE_TABLES[i][1]))))
def test_each_rule_table_allows_what_its_pattern_matches(case: tuple[int, str]) -> None:
    i, text = case
    table, pattern = RULE_TABLES[i]
    m = pattern.search(text)
    if m and m.start() == 0 and m.end() > 0:
        assert table[text[0]], (pattern.pattern, text)


def test_the_tables_settle_ordinary_story_text() -> None:
    # the point of them: a paragraph starting with a capital or a quote needs no regex
    for table in (notes._MAY_LABEL, scenes._MAY_START, epigraphs._MAY_START):
        assert not table["I"] and not table["“"] and not table["T"]
    assert notes._MAY_LABEL["A"] and notes._MAY_LABEL["("] and scenes._MAY_START["*"]
    assert epigraphs._MAY_START["—"] and epigraphs._MAY_START[" "]
