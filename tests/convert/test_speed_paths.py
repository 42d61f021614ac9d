"""Fast paths of the converter's speed work (issue 20) give what the plain versions give.

Each test sets a shortcut against the code it stands in for, written out plainly here:
the inlined first-character tests of the note and glyph scans, the inline walk's mark
test and its English text fix, the empty-paragraph test of `normalise`.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ficbook.convert import ConvertOptions
from ficbook.convert.context import Context
from ficbook.convert.inlines import is_empty
from ficbook.model import Block, LineBreak, Note, Paragraph, SceneBreak, Styled, Text

SETTINGS = settings(max_examples=200, derandomize=True, deadline=None)

# Paragraph texts that start with a character a label, a glyph line or a heading can
# start with, and with others; some are labels, breaks or blank.
_TEXTS = st.sampled_from([
    "A/N: a note.", "AN: short", "(A/N: in brackets)", "[Author's Note: x]", "Note: this",
    "Note - that", "Notes", "Chapter End Notes", "Author's Notes", "N/A: reversed",
    "Disclaimer: mine", "Story text.", "And then.", "Spike said so.", "\u201cQuoted.\u201d",
    "* * *", "~~~", "oOo", "-x-x-", " ", "", "\u00a0", "\t", "Nothing here", "ANGEL", "s",
]) | st.text(max_size=12)


def _inlines(text: str, shape: int) -> tuple:
    """One run (most paragraphs), or the same words behind an emphasis, a line break,
    two runs, or none at all."""
    if shape == 0:
        return (Text(text),)
    if shape == 1:
        return (Styled("em", (Text(text),)),) if text else ()
    if shape == 2:
        return (LineBreak(), Text(text))
    if shape == 3:
        return (Text(text[:2]), Text(text[2:]))
    return ()


_BLOCKS = st.lists(
    st.one_of(st.builds(lambda t, s: Paragraph(_inlines(t, s)), _TEXTS, st.integers(0, 4)),
              st.just(SceneBreak()),
              st.builds(lambda t: Note("author-note", (Paragraph((Text(t),)),)), _TEXTS)),
    max_size=12).map(tuple)


@SETTINGS
@given(_BLOCKS, st.integers(0, 12), st.sampled_from(["en", "fr", "es"]))
def test_next_note_same_as_note_label_for_each_paragraph(blocks: tuple[Block, ...], start: int,
                                                         language: str) -> None:
    from ficbook.convert.rules.notes import EN, _next_note, note_label
    from ficbook.language import story_vocabulary

    vocab = EN if language == "en" else story_vocabulary(language)
    plain = next((i for i in range(start, len(blocks)) if isinstance(blocks[i], Paragraph)
                  and note_label(blocks[i], vocab) is not None), len(blocks))
    assert _next_note(blocks, start, vocab) == plain


@SETTINGS
@given(_BLOCKS)
def test_settled_same_as_is_empty_for_each_paragraph(blocks: tuple[Block, ...]) -> None:
    from ficbook.convert.rules.scenes import _settled

    plain: list[Block] = []
    for b in blocks:
        if isinstance(b, Paragraph) and is_empty(b):
            continue
        if isinstance(b, SceneBreak) and plain and isinstance(plain[-1], SceneBreak):
            continue
        plain.append(b)
    assert _settled(blocks) == plain


@SETTINGS
@given(st.text(alphabet="/*_-ab", min_size=1, max_size=5), st.text(alphabet="/*_-ab xy", max_size=12))
def test_inline_walk_skips_exactly_the_paragraphs_without_marks(marks: str, text: str) -> None:
    """A one-run paragraph goes straight to the text fix when it holds none of the marks
    (and is not empty), else through every fix: as a loop over the marks decides."""
    from ficbook.convert.pipeline import _fix_all

    went: list[str] = []

    def mark_rule(p: Paragraph) -> Paragraph:
        went.append("each")
        return p

    def text_rule(p: Paragraph) -> Paragraph:
        return Paragraph((Text(p.inlines[0].text.upper()),), p.line) if p.inlines else p

    fix = _fix_all([mark_rule, text_rule], marks, 1, str.upper, [])
    paragraph = Paragraph((Text(text),), 4)
    assert fix(paragraph) == text_rule(paragraph)
    took_each = bool(went)
    assert took_each == (not text or any(mark in text for mark in marks))


_TYPOGRAPHY = st.text(alphabet="ab '\"-.\u2060\u2014", max_size=30) | st.sampled_from([
    "\"Hi,\" she said -- 'tis the '90s...", "rock 'n' roll", "a - b", "x . . . y", "\u2060",
    "a\u2060\"b\"", "plain", "'em'", "pre- and post-war"])


@SETTINGS
@given(st.lists(_TYPOGRAPHY, min_size=1, max_size=6))
def test_english_text_fix_same_as_the_paragraph_fix(texts: list[str]) -> None:
    """The text fix the inline walk calls for a one-run paragraph of an English story
    (`run` inlined) against the paragraph fix, which goes the general way: the same texts
    (the very string when unchanged), the same count in the same report."""
    from ficbook.convert.rules.typography import fixer

    fast_ctx, plain_ctx = (Context(ConvertOptions(language="en"), "s.txt") for _ in range(2))
    fast_fix, fast_finish, text_fix = fixer(fast_ctx)
    plain_fix, plain_finish, _ = fixer(plain_ctx)
    for text in texts:
        fixed = text_fix(text)
        paragraph = Paragraph((Text(text),))
        expected = plain_fix(paragraph)
        assert (fixed is text) == (expected is paragraph)
        assert Paragraph((Text(fixed),)) == expected
    fast_finish()
    plain_finish()
    assert fast_ctx.diagnostics == plain_ctx.diagnostics


def test_sniff_counts_block_tags_only_for_a_text_that_starts_with_one() -> None:
    from ficbook.readers.sniff import sniff

    tags = b"<p>One.</p>\n" * 8
    assert sniff(tags, "story.txt") == "html"  # a page whose head was cut off
    assert sniff(b"<p>One.</p>\n" * 7 + b"words", "story.txt") == "text"
    assert sniff(b"Words first.\n" + tags, "story.txt") == "text"


_STRIPPED_TEXTS = st.lists(st.sampled_from(["i ", "b ", "u ", "em ", "strong ", "/i", "/b", "/u",
                                            "/em", "/strong", "/", " ", "word", "x", "and/or",
                                            "\n", "'"]), max_size=10).map("".join)


@SETTINGS
@given(_STRIPPED_TEXTS)
@example("u word/u")
@example("i word/i")
@example("b word/b")
@example("em word/em")
@example("strong word/strong")
def test_stripped_tags_gate_same_as_the_rebuild(text: str) -> None:
    """A "/" with no tag's end after it: the rule gives back the paragraph; without the
    gate (a pattern that always finds) it rebuilds it, equal."""
    import re

    import pytest

    from ficbook.convert.rules import inline

    paragraph = Paragraph((Text(text),), 3, "center")
    fast_ctx, plain_ctx = (Context(ConvertOptions(), "s.txt") for _ in range(2))
    fast = inline.stripped_fixer(fast_ctx)(paragraph)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(inline, "_STRIPPED_END", re.compile(""))
        plain = inline.stripped_fixer(plain_ctx)(paragraph)
    assert fast == plain
    assert fast_ctx.diagnostics == plain_ctx.diagnostics


def test_with_chapters_keeps_every_other_field() -> None:
    import dataclasses

    from ficbook.convert.inlines import with_chapters
    from ficbook.model import Chapter, Story, StoryMeta

    # a field added to Story must be added to with_chapters too: this list fails first
    assert [f.name for f in dataclasses.fields(Story)] == [
        "meta", "chapters", "summary", "front_notes", "end_notes", "path"]
    note = Note("author-note", (Paragraph((Text("n"),)),))
    old = (Chapter("One", (Paragraph((Text("a"),)),)),)
    story = Story(StoryMeta("T", authors=("A",)), old, summary=(Paragraph((Text("s"),)),),
                  front_notes=(note,), end_notes=(note, note), path="s.txt")
    new = (Chapter("Two", ()),)
    assert with_chapters(story, new) == dataclasses.replace(story, chapters=new)
    assert with_chapters(story, iter(new)).chapters == new
    assert with_chapters(story, list(old)) is story  # the very chapters: the story itself


_RULE_NAMES = st.sampled_from(["typography", "emphasis", "close_dashes", "made_up"])


@SETTINGS
@given(st.lists(st.tuples(_RULE_NAMES, st.booleans()), max_size=5).map(tuple), _RULE_NAMES,
       st.sampled_from([None, True, False]))
def test_enabled_same_as_the_rules_as_a_dict(rules, rule: str, default: bool | None) -> None:  # noqa: ANN001
    from ficbook.convert.registry import DEFAULTS

    expected = dict(rules).get(rule, DEFAULTS.get(rule, True) if default is None else default)
    assert ConvertOptions(rules=rules).enabled(rule, default) is expected


@SETTINGS
@given(st.lists(st.sampled_from([b"archive of our own", b"rated:", b"x", b""]), max_size=3),
       st.binary(max_size=40), st.binary(max_size=40))
def test_profile_quick_words_same_as_any(words: list[bytes], head: bytes, tail: bytes) -> None:
    from ficbook.readers.layouts.profiles import Profile

    profile = Profile("p", "a test profile", "plain", 1, (), {"_quick": tuple(words)})
    head += b"archive of our own" if len(head) % 3 == 0 else b""
    tail += b"rated:" if len(tail) % 3 == 1 else b""
    assert profile.may_be(head, tail) == (not words or any(w in head or w in tail for w in words))


@SETTINGS
@given(st.lists(st.sampled_from(["one line", "two\nlines", "", "three\nmore\nlines"]), max_size=6))
def test_lines_kept_reported_as_by_the_plain_loop(texts: list[str]) -> None:
    from ficbook.convert.context import quote
    from ficbook.readers.text.paragraphs import report_lines_kept
    from ficbook.readers.text.raw import RawPara

    paras = [RawPara(n, t, 1) for n, t in enumerate(texts, 1)]
    ctx, plain = (Context(ConvertOptions(), "s.txt") for _ in range(2))
    report_lines_kept(paras, ctx)
    for p in paras:
        if "\n" in p.text:
            plain.report("info", "lines-kept", f"lines kept as lines ({p.text.count(chr(10)) + 1}): "
                         f"{quote(p.text.split(chr(10), 1)[0])} …", p.line)
    assert ctx.diagnostics == plain.diagnostics


def test_unglue_looks_at_every_paragraph_over_the_length_and_no_other() -> None:
    from ficbook.readers.text.glued import GLUED_LENGTH, unglue
    from ficbook.readers.text.raw import RawPara

    speech = 'She left."Why not?" he asked. '
    glued = (speech * (GLUED_LENGTH // len(speech) + 1))[:GLUED_LENGTH + 1].rstrip()
    glued += "x" * (GLUED_LENGTH + 1 - len(glued))
    at_limit = glued[:GLUED_LENGTH]
    for texts in ([glued], [at_limit], ["Short.", glued, "Short."], ["Short.", at_limit]):
        paras = [RawPara(n, t, 1) for n, t in enumerate(texts, 1)]
        ctx = Context(ConvertOptions(), "s.txt")
        out = unglue(paras, ctx)
        assert (len(out) > len(paras)) == (glued in texts)  # only the long one is split
        assert "".join(p.text for p in out).replace(" ", "") == "".join(texts).replace(" ", "")
