"""The byte-level word counter counts exactly what `len(text.split())` counts."""

from __future__ import annotations

import sys

from hypothesis import HealthCheck, given, settings

from ficbook.text import ASCII_SPACES, OTHER_SPACES, count_text_words
from tests.strategies import texts

SETTINGS = settings(max_examples=300, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

ALL_CHARS = [chr(i) for i in range(sys.maxunicode + 1)]


def test_the_space_lists_are_what_str_split_splits_at() -> None:
    splitting = [c for c in ALL_CHARS if len(f"a{c}b".split()) == 2]
    assert sorted(ASCII_SPACES + OTHER_SPACES) == splitting
    assert all(c < "\x80" for c in ASCII_SPACES) and all(c >= "\x80" for c in OTHER_SPACES)


def test_every_space_splits_words_in_any_company() -> None:
    for space in ASCII_SPACES + OTHER_SPACES:
        for text in (f"a{space}b", space, f"{space}a", f"é{space}\u2019 x", f"\u2028{space}z",
                     f"\u2014{space}\u2014{space}{space}"):
            assert count_text_words(text) == len(text.split()), repr(text)


def test_every_character_counted_as_split_counts_it() -> None:
    # Every code point, lone surrogates included, apart and run together.
    apart = " ".join(ALL_CHARS)
    assert count_text_words(apart) == len(apart.split())
    together = "".join(ALL_CHARS)
    assert count_text_words(together) == len(together.split())


@SETTINGS
@given(texts)
def test_count_text_words_is_len_split(text: str) -> None:
    assert count_text_words(text) == len(text.split())
