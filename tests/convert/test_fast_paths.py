"""The converter's fast paths give what the long way gives. Mojibake: ftfy runs only on
lines holding a character outside `MOJIBAKE_SAFE`, and that must give exactly what ftfy
gives on the whole text; plain text skips the decoding steps; paragraphs rebuilt cheaply."""

from __future__ import annotations

from re import _constants as C  # noqa: N812
from re import _parser as P  # noqa: N812

import ftfy
from ftfy.badness import BADNESS_RE
from hypothesis import given, settings
from hypothesis import strategies as st

from ficbook.readers.decode import _MOJIBAKE_SUSPECT, MOJIBAKE_SAFE, _fix_mojibake

CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False, unescape_html=False, fix_character_width=False,
    fix_latin_ligatures=False, fix_line_breaks=False, normalization=None,
    remove_control_chars=False, explain=False)
SAFE = {chr(c) for c in range(0x110000) if c < 0xD800 or c > 0xDFFF
        if not _MOJIBAKE_SUSPECT.fullmatch(chr(c))}


def _may_match_safe(op, av) -> bool:  # noqa: ANN001 - sre parse tree items
    if op is C.LITERAL:
        return chr(av) in SAFE
    if op in (C.NOT_LITERAL, C.ANY):
        return True
    assert op is C.IN, op
    for o, a in av:
        if o in (C.NEGATE, C.CATEGORY):
            return True
        if o is C.LITERAL and chr(a) in SAFE:
            return True
        if o is C.RANGE and any(a[0] <= ord(c) <= a[1] for c in SAFE):
            return True
    return False


def _needs_suspect(seq) -> bool:  # noqa: ANN001
    """Does every match of this pattern sequence hold a character outside SAFE?"""
    for op, av in seq:
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN) and not _may_match_safe(op, av):
            return True
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1 and _needs_suspect(av[2]):
            return True
        if op is C.SUBPATTERN and _needs_suspect(av[-1]):
            return True
        if op is C.BRANCH and all(_needs_suspect(alt) for alt in av[1]):
            return True
    return False


def test_safe_set_is_ascii_and_plain_punctuation() -> None:
    assert "\x1b" not in SAFE  # terminal escapes are ftfy's to remove
    assert not any(0x80 <= ord(c) <= 0x9F for c in SAFE)  # C1 controls
    assert "’" in SAFE and "“" in SAFE and "—" in SAFE and "a" in SAFE
    assert "Ã" not in SAFE and "â" not in SAFE and "\ufffd" not in SAFE
    assert MOJIBAKE_SAFE.startswith("\x00")


def test_ftfy_badness_never_matches_safe_text() -> None:
    """Every alternative of ftfy's badness pattern needs a suspect character, so a line
    without one is text ftfy leaves alone (this fails if an ftfy upgrade changes that)."""
    tree = list(P.parse(BADNESS_RE.pattern, BADNESS_RE.flags))
    alternatives = tree[0][1][1] if len(tree) == 1 and tree[0][0] is C.BRANCH else [tree]
    assert len(alternatives) > 20
    unguarded = [i for i, alt in enumerate(alternatives) if not _needs_suspect(alt)]
    assert unguarded == []


def test_clean_text_is_returned_untouched() -> None:
    text = "“Hi,” she said — it’s the ’90s… don't.\n\nA line\xa0with a no-break space.\n"
    diags: list = []
    assert _fix_mojibake(text, "s.txt", diags) is text
    assert diags == []


def test_mojibake_lines_are_repaired_and_counted() -> None:
    text = "Clean line.\nitâ€™s the cafÃ© again\nAnother clean line.\nNaÃ¯ve\n"
    diags: list = []
    fixed = _fix_mojibake(text, "s.txt", diags)
    assert fixed == "Clean line.\nit’s the café again\nAnother clean line.\nNaïve\n"
    assert fixed == ftfy.fix_text(text, CONFIG)
    assert [d.message for d in diags] == ["repaired mojibake on 2 lines (ftfy)"]


def test_c1_controls_and_escapes_still_go_to_ftfy() -> None:
    text = "latin-1 read \x93quotes\x94\nred \x1b[31mtext\x1b[0m\n"
    assert _fix_mojibake(text, "s.txt", []) == ftfy.fix_text(text, CONFIG)
    assert "\x1b" not in _fix_mojibake(text, "s.txt", [])


_ALPHABET = st.sampled_from(
    list("ab Z.,'\"\n\n-") + ["’", "“", "”", "—", "…", "\xa0", "é", "Ã", "â€™", "Â", "Ã©",
                              "\x93", "\x85", "\x1b[1m", "œ", "Œ", "Ø", "¢", "«", "»", "\ufffd",
                              "Ã¢â‚¬â„¢", "ÐŸÑ€Ð¸", "×²"])


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_same_as_ftfy_on_the_whole_text(text: str) -> None:
    assert _fix_mojibake(text, "s.txt", []) == ftfy.fix_text(text, CONFIG)


def test_plain_text_needs_no_decoding_step() -> None:
    """`decode` skips line ends, ftfy, NFC and the XML clean-up for text made only of PLAIN
    characters: each of those steps must leave such text alone."""
    import unicodedata

    from ficbook.readers.decode import _LINE_ENDS, _NOT_PLAIN, strip_forbidden

    plain = "".join(chr(c) for c in range(0x110000)
                    if (c < 0xD800 or c > 0xDFFF) and not _NOT_PLAIN.fullmatch(chr(c)))
    assert "\t" in plain and "\n" in plain and "a" in plain and "’" in plain
    assert "\r" not in plain and "\x1b" not in plain and "\x7f" not in plain
    assert set(plain) <= SAFE  # nothing ftfy acts on
    assert not _LINE_ENDS.search(plain)
    assert strip_forbidden(plain) == plain
    assert unicodedata.is_normalized("NFC", plain)
    assert all(unicodedata.combining(c) == 0 for c in plain)  # nothing composes with them


def test_decode_plain_and_unplain_alike() -> None:
    from ficbook.readers.decode import decode

    plain = "“Hi,” she said — it’s\tthe ’90s…\n\nNext.\n"
    assert decode(plain.encode(), "s.txt")[0] == plain
    # the same text with CRLF, a C1 quote and a control char takes the long way
    messy = plain.replace("\n", "\r\n") + "itâ€™s\x01\n"
    assert decode(messy.encode(), "s.txt")[0] == plain + "it’s\n"


def test_with_inlines_keeps_every_other_field() -> None:
    import dataclasses

    from ficbook.convert.inlines import with_inlines
    from ficbook.model import Paragraph, Text

    # with_inlines builds a Paragraph field by field: a new field must be added there too
    assert [f.name for f in dataclasses.fields(Paragraph)] == ["inlines", "line", "align"]
    p = Paragraph((Text("a"),), line=7, align="center")
    assert with_inlines(p, (Text("b"),)) == dataclasses.replace(p, inlines=(Text("b"),))


def _smarten_by_the_character(text: str, prev: str, after: str = "") -> str:
    """The typography rule as first written: every pattern on every run, every quote by
    the character loop (the reference the fast paths must agree with)."""
    import re

    from ficbook.convert.rules.typography import _double, _single

    def ellipsis(m: re.Match[str]) -> str:  # ". . ." may take the space before it
        return " …" if m.group(0).startswith(" ") else "…"

    text = re.sub(r"(?<!\.)\.\.\.(?!\.)|(?<![.\w]) ?\. \. \.(?! \.)", ellipsis, text)
    text = re.sub(r"(?<!-)-{2,3}(?!-)", "—", text)
    text = re.sub(r"(?<=[\w,.;:!?…’”\"')]) - (?=[\w“‘\"'(])", " — ", text)
    text = re.sub(r"(?<=[a-z])- (?!(?:and|or|nor|to|through|\s)\b)(?=\w)", "— ", text)
    chars = list(text)
    for m in re.finditer("[\"']", text):
        i = m.start()
        before = chars[i - 1] if i else prev
        if m.group(0) == '"':
            chars[i] = _double(before, text[i + 1:i + 2] or after[:1])
        else:
            chars[i] = _single(before, (text[i + 1:i + 40] + after)[:39])
    return "".join(chars)


_TYPO = st.sampled_from(
    list("ab Z9_.,!?;:'\"\n\t-—–…’”“‘([{</)") + ["em", "tis", "n", "90s", " - ", "--", "---",
                                                   "...", "....", ". . .", "rock 'n' roll",
                                                   "'em'", "don't", "pre- and", "é"])


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.lists(_TYPO, max_size=30).map("".join), st.sampled_from(["", " ", "a", "\n", "—", "“", "'"]))
def test_typography_same_as_the_character_loop(text: str, prev: str) -> None:
    from ficbook.convert.rules.typography import smarten

    assert smarten(text, prev) == _smarten_by_the_character(text, prev)


def test_typography_reference_examples() -> None:
    from ficbook.convert.rules.typography import smarten

    # each branch of _double and _single, after each kind of character before
    cases = ['"Hi," she said. "It\'s the \'90s -- rock \'n\' roll..."', "'em' and 'em",
             'He said-- "no" - twice . . . "fine"', "pre- and post-war", '("quoted")',
             'x—".', 'x-"!', 'x—"a', '/"x', '<"x', '“"x', '" x', '"', "' em", "'tis'", "a'",
             "x . . . y", "word . . . y", "a....b", "a...b", "x---y", "x----y", "(' a", "—'a",
             '.\'"', "!'", "’'", "a-- b", "a - b", "a- b", 'a "b" c', "\t'x", "\n\"x"]
    for text in cases:
        for prev in ("", "a", " ", "—"):
            assert smarten(text, prev) == _smarten_by_the_character(text, prev), (text, prev)
    assert smarten('"It\'s..." -- she', "") == "“It’s…” — she"


# ------------------------------------------------ one walk for the paragraph rules, normalise once

def _one_pass_each(monkeypatch) -> None:  # noqa: ANN001 - pytest's monkeypatch
    """The block rules as first written: a walk per paragraph rule, normalise with no memory."""
    from ficbook.convert import pipeline
    from ficbook.convert.context import Context
    from ficbook.convert.rules import inline, typography

    def each(story, ctx):  # noqa: ANN001, ANN202
        for name, make in (("stripped_tags", inline.stripped_fixer), ("emphasis", inline.emphasis_fixer)):
            if ctx.enabled(name):
                story = inline.map_story(story, make(ctx))
        if ctx.enabled("typography"):
            fix, finish, _ = typography.fixer(ctx)
            story = inline.map_story(story, fix)
            finish()
        return story

    rules = tuple((n, each if r is pipeline.inline_rules else r) for n, r in pipeline.BLOCK_RULES)
    assert rules != pipeline.BLOCK_RULES
    monkeypatch.setattr(pipeline, "BLOCK_RULES", rules)
    monkeypatch.setattr(Context, "settled", property(lambda self: (), lambda self, v: None))


_STORY_LINES = st.sampled_from([
    "Title: T", "Author: A", "Summary: S.", "A/N: a note.", "Chapter 1", "Chapter Two: X",
    "* * *", "oOo", "", "", "\"Hi,\" she said -- 'tis the '90s...", "i Touch/i and *so* _very_",
    "b bold/b **strong**", "--Someone", "Please review!", "&nbsp;", "Plain story text here.",
    "He said... no.", "<i>tag</i> &amp;", "(A/N: brackets)", "Epilogue",
]) | st.text(max_size=20)
_OPTION_SETS = [(), (("emphasis", False),), (("typography", False), ("close_dashes", True)),
                (("stripped_tags", False), ("close_dashes", True)),
                (("stripped_tags", False), ("emphasis", False), ("typography", False))]


@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.lists(_STORY_LINES, min_size=1, max_size=30).map("\n".join), st.sampled_from(_OPTION_SETS))
def test_one_walk_same_as_a_walk_per_rule(text: str, rules) -> None:  # noqa: ANN001
    from tests.convert.helpers import assert_same_as_plain

    assert_same_as_plain(text, rules, _one_pass_each)


def test_with_blocks_keeps_an_untouched_chapter() -> None:
    from ficbook.convert.inlines import with_blocks
    from ficbook.model import Chapter, Paragraph, Text

    a, b = Paragraph((Text("a"),)), Paragraph((Text("b"),))
    ch = Chapter(title=None, blocks=(a, b))
    assert with_blocks(ch, [a, b]) is ch
    assert with_blocks(ch, [a]) == Chapter(title=None, blocks=(a,))
    other = Paragraph((Text("b"),))  # equal, not the same: rebuilt
    assert with_blocks(ch, [a, other]) is not ch


_CHROME_BITS = st.sampled_from(["Back to top", "Previous Chapter | Next Chapter", "Please review!",
                                "Reviews: 3", "\t", "\u00a0", " ", "  ", "word", "|", "Chapter 2"])


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.lists(_CHROME_BITS | st.text(max_size=6), max_size=8).map("".join))
def test_chrome_same_with_tabs_and_no_break_spaces_as_spaces(line: str) -> None:
    from ficbook.convert.rules.chrome import is_chrome

    # the reader remembers lines found not chrome after making tabs and NBSP spaces; the
    # chrome rule trusts that memory for paragraphs that are such a line
    assert is_chrome(line) == is_chrome(line.replace("\t", "    ").replace("\u00a0", " "))


def test_chrome_rule_trusts_only_lines_the_reader_checked() -> None:
    from tests.convert.helpers import run

    # one line each: the reader drops it; joined by unwrapping, the rule must still look
    text = "Story text one.\n\nBack to top\n\nMore story text here."
    assert "Back to top" not in str(run(text).story)
    assert any(d.code == "chrome-dropped" for d in run(text).diagnostics)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab o0O*~#=_- .\t", max_size=30), min_size=1, max_size=8))
def test_glued_break_hints_found_over_the_story_as_paragraph_by_paragraph(texts) -> None:
    """`_hinted` finds over the joined texts, by `str.find` behind a first-character gate,
    exactly the paragraphs a search of each with the hints' pattern finds."""
    from ficbook.readers.text.glued import _HINT, _hinted
    from ficbook.readers.text.raw import RawPara

    paras = [RawPara(i + 1, t, 1) for i, t in enumerate(texts)]
    assert _hinted(paras) == {i for i, t in enumerate(texts) if _HINT.search(t)}
