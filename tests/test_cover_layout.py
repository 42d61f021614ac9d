"""Cover layout and colour rules as pure functions: no fonts, no pixels."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pydantic import ValidationError

from ficbook.cover.colour import (
    MIN_CONTRAST,
    contrast_ratio,
    ensure_contrast,
    grey,
    min_contrast,
    mix,
    parse_hex,
    scrim_alpha,
    title_digest,
    to_hex,
)
from ficbook.cover.layout import (
    balanced_wrap,
    caps,
    clean,
    count_line,
    credit_lines,
    fit_text,
    greedy_lines,
    has_orphan,
    series_line,
    split_word,
    wrap,
)
from ficbook.cover.options import CoverOptions

rgb = st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255))


def chars(s: str) -> float:
    return float(len(s))


# ---------------------------------------------------------------- the words


@pytest.mark.parametrize(("editor", "authors", "expected"), [
    ("Ana Lima", ("x", "y"), ("Edited by", "Ana Lima")),
    (None, (), (None, None)),
    ("  ", ("solo",), (None, "solo")),
    (None, ("a", "b"), (None, "a and b")),
    (None, ("a", "b", "c"), (None, "a, b and c")),
    (None, ("a", "b", "c", "d"), (None, "a, b, c and 1 more")),
    (None, ("a", "b", "c", "d", "e", "f"), (None, "a, b, c and 3 more")),
    (None, ("a", "a", "b"), (None, "a and b")),  # one author of several stories counts once
])
def test_credit_lines(editor, authors, expected):
    assert credit_lines(editor, authors) == expected


@pytest.mark.parametrize(("name", "index", "expected"), [
    ("Sampler", 3.0, "Sampler · Book 3"),
    ("Sampler", 2.5, "Sampler · Book 2.5"),
    ("Sampler", None, "Sampler"),
    (None, 3, None),
    ("  ", 1, None),
])
def test_series_line(name, index, expected):
    assert series_line(name, index) == expected


def test_count_line():
    assert count_line(0) is None
    assert count_line(1) == "1 story"
    assert count_line(12) == "12 stories"


@pytest.mark.parametrize(("text", "expected"), [
    ("Ελένη Άνοιξη", "ΕΛΕΝΗ ΑΝΟΙΞΗ"),  # Greek capitals drop the tonos
    ("Zoë Brontë — Café", "ZOË BRONTË — CAFÉ"),  # Latin keeps its accents
    ("Ёлки", "ЁЛКИ"),
    ("Straße", "STRASSE"),
])
def test_caps(text, expected):
    assert caps(text) == expected


def test_clean_normalises_and_joins_lines():
    assert clean("Cafe\u0301  au\nlait ") == "Café au lait"
    assert clean("   ") is None
    assert clean(None) is None


# ---------------------------------------------------------------- wrapping


def test_balanced_wrap_evens_out_lines():
    words = "The Long Way to a Small Angry Planet".split()
    greedy = 2 == greedy_lines(words, chars, 30)
    lines = balanced_wrap(words, chars, 30)
    assert greedy and len(lines) == 2
    # First-fit would give "The Long Way to a Small Angry" / "Planet".
    assert lines == ["The Long Way to a", "Small Angry Planet"]


def test_balanced_wrap_uses_the_fewest_lines():
    assert balanced_wrap(["Hurt"], chars, 20) == ["Hurt"]
    assert balanced_wrap("one two three".split(), chars, 40) == ["one two three"]
    assert balanced_wrap([], chars, 10) == []


def test_balanced_wrap_avoids_one_word_last_line():
    # Both 2-line splits fit; the balanced-by-width one would leave "dd" alone.
    lines = balanced_wrap("aaaaaaa bbb cc dd".split(), chars, 14)
    assert not has_orphan(lines)


def test_balanced_wrap_refuses_words_wider_than_the_line():
    assert balanced_wrap(["Supercalifragilistic"], chars, 10) is None
    assert wrap("Supercalifragilistic", chars, 10, allow_split=True) == ["Supercalif", "ragilistic"]


def test_split_word():
    assert split_word("abcdefg", chars, 3) == ["abc", "def", "g"]


@pytest.mark.parametrize(("lines", "orphan"), [
    (["The Long Way", "Home"], True),
    (["The Long", "Way Home"], False),
    (["Ashes", "Embers"], False),  # two words on two lines: nothing to rebalance
    (["Hurt"], False),
])
def test_has_orphan(lines, orphan):
    assert has_orphan(lines) is orphan


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text("abcdefghij", min_size=1, max_size=9), min_size=1, max_size=25),
       st.integers(9, 60))
def test_wrap_keeps_every_word_in_order_and_fits(words, width):
    lines = balanced_wrap(words, chars, width)
    assert lines is not None
    assert " ".join(lines).split() == words
    assert all(len(line) <= width for line in lines)
    assert len(lines) == greedy_lines(words, chars, width)


# ---------------------------------------------------------------- fitting


def _fit(text, width, height, lo=10, hi=200):
    # A toy font: every character is 0.5 em wide, lines are 1.2 em apart.
    return fit_text(text, lambda size: (lambda s: len(s) * size * 0.5),
                    lambda size, n: n * size * 1.2, width, height, lo, hi)


def test_fit_takes_the_largest_size_that_fits():
    fit = _fit("Hurt", 400, 1000)
    assert fit.size == 200 and fit.lines == ("Hurt",)  # capped by max size
    fit = _fit("Hurt", 100, 1000)
    assert fit.size == 50  # 4 chars × 0.5 em = 100 px
    fit = _fit("The Long Way Home", 600, 1000, hi=1000)
    assert fit.size < 1000
    assert all(len(line) * fit.size * 0.5 <= 600 for line in fit.lines)
    assert len(fit.lines) * fit.size * 1.2 <= 1000
    assert _fit("The Long Way Home", 600, 1000, lo=fit.size + 1, hi=1000) is None


def test_fit_gives_up_below_the_minimum():
    assert _fit("Supercalifragilisticexpialidocious", 100, 1000, lo=20) is None


def test_fit_prefers_a_slightly_smaller_size_to_an_orphan():
    fit = _fit("The Quiet Winter Woods", 660, 2000, lo=10, hi=120)
    assert not has_orphan(fit.lines)


# ---------------------------------------------------------------- colour


def test_contrast_ratio_known_values():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((255, 255, 255), (255, 255, 255)) == pytest.approx(1.0)
    assert contrast_ratio((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)


def test_parse_hex():
    assert parse_hex("#1b2a41") == (0x1B, 0x2A, 0x41)
    assert parse_hex("#fa0") == (255, 170, 0)
    assert to_hex((255, 170, 0)) == "#ffaa00"
    for bad in ("1b2a41", "#12345", "#ggg", "red"):
        with pytest.raises(ValueError):
            parse_hex(bad)


@settings(max_examples=200, deadline=None)
@given(rgb)
def test_grey_is_what_pillow_gives(colour):
    assert Image.new("RGB", (1, 1), colour).convert("L").getpixel((0, 0)) == grey(colour)


@settings(max_examples=300, deadline=None)
@given(rgb, rgb)
def test_ensure_contrast_reaches_seven_to_one_in_colour_and_grey(fg, bg):
    out = ensure_contrast(fg, bg)
    best_possible = max(min_contrast((0, 0, 0), bg), min_contrast((255, 255, 255), bg))
    if best_possible >= 7.4:
        assert min_contrast(out, bg) >= 7.4
    else:  # a mid-tone ground: no text colour can reach it (the renderer shifts the ground)
        assert out in ((0, 0, 0), (255, 255, 255))


def test_ensure_contrast_keeps_colours_that_already_pass():
    assert ensure_contrast((20, 20, 20), (250, 245, 230)) == (20, 20, 20)


@settings(max_examples=200, deadline=None)
@given(rgb)
def test_scrim_alpha_makes_the_worst_pixel_readable(extreme):
    fg, scrim = (245, 240, 230), (20, 15, 25)
    alpha = scrim_alpha(fg, scrim, extreme)
    assert min_contrast(fg, mix(extreme, scrim, alpha)) >= MIN_CONTRAST
    assert alpha == 0 or min_contrast(fg, mix(extreme, scrim, alpha - 1 / 64)) < 7.4


def test_title_digest_is_stable():
    assert title_digest("Ashes and Embers") == title_digest("Ashes and Embers")
    assert title_digest("Ashes and Embers") != title_digest("Ashes and Embers", "x")


# ---------------------------------------------------------------- options


def test_options_default_and_normalised_colours():
    assert CoverOptions().style == "classic"
    assert CoverOptions(background="#ABC").background == "#aabbcc"


@pytest.mark.parametrize("field", ["background", "foreground", "accent"])
def test_options_refuse_bad_colours(field):
    with pytest.raises(ValidationError, match="not a colour"):
        CoverOptions(**{field: "blue"})


def test_options_unknown_style_lists_the_known_ones():
    with pytest.raises(ValidationError) as exc:
        CoverOptions(style="gothic")
    message = str(exc.value)
    for name in ("classic", "band", "romance", "minimal"):
        assert name in message


def test_options_image_and_file_exclude_each_other():
    with pytest.raises(ValidationError, match="not both"):
        CoverOptions(image="a.jpg", file="b.jpg")
    with pytest.raises(ValidationError):
        CoverOptions(palette=0)
    with pytest.raises(ValidationError):
        CoverOptions(colour="#000")  # extra keys are typos
