"""The block rules' fast paths give what the plain versions give.

The plain versions are kept here as the rules were first written (before the skipped
walks and the kept objects); a story converted with them
must come out the same as with the rules themselves, every diagnostic included, in order.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ficbook.convert.context import Context, quote
from ficbook.convert.inlines import is_empty, para_text, with_blocks
from ficbook.convert.rules import notes, scenes, typography
from ficbook.model import (
    Block,
    BlockQuote,
    Chapter,
    Epigraph,
    LineBreak,
    Note,
    Paragraph,
    SceneBreak,
    Story,
    StoryMeta,
    Styled,
    Text,
)
from tests.convert.test_fast_paths import _smarten_by_the_character

# ------------------------------------------------------------ the plain versions


def _normalise_plain(story: Story, ctx: Context) -> Story:
    chapters: list[Chapter] = []
    for ch in story.chapters:
        blocks = [b for b in ch.blocks if not (isinstance(b, Paragraph) and is_empty(b))]
        out: list[Block] = []
        for b in blocks:
            if isinstance(b, SceneBreak) and out and isinstance(out[-1], SceneBreak):
                continue
            out.append(b)
        scenes._trim(out)
        out.reverse()
        scenes._trim(out)
        out.reverse()
        if out or ch.summary or ch.title:
            line = ch.line
            text = [b for b in out if not isinstance(b, Note)]
            if ch.title is None and text:
                line = getattr(text[0], "line", None) or line
            chapters.append(dataclasses.replace(ch, blocks=tuple(out), line=line))
    if not chapters and story.chapters:
        chapters = [dataclasses.replace(story.chapters[0], blocks=())]
    return dataclasses.replace(story, chapters=tuple(chapters))


def _lift_plain(story: Story, ctx: Context | None = None) -> Story:
    if not story.chapters:
        return story
    chapters = list(story.chapters)
    front, end = list(story.front_notes), list(story.end_notes)
    first = chapters[0]
    if not first.title:
        blocks = list(first.blocks)
        if len(chapters) > 1 or notes._has_text(blocks):
            while blocks and isinstance(blocks[0], (Note, SceneBreak)):
                b = blocks.pop(0)
                if isinstance(b, Note):
                    front.append(b)
        if blocks or len(chapters) == 1 or first.summary:
            chapters[0] = dataclasses.replace(first, blocks=tuple(blocks))
        else:
            chapters.pop(0)
    if len(chapters) == 1 and not chapters[0].title:
        blocks = list(chapters[0].blocks)
        tail: list[Note] = []
        while blocks and isinstance(blocks[-1], (Note, SceneBreak)) and notes._has_text(blocks):
            b = blocks.pop()
            if isinstance(b, Note):
                tail.insert(0, b)
        chapters[0] = dataclasses.replace(chapters[0], blocks=tuple(blocks))
        end = tail + end
    return dataclasses.replace(story, chapters=tuple(chapters), front_notes=tuple(front),
                               end_notes=tuple(end))


def _chapter_top_plain(ch: Chapter, reader, ctx: Context) -> Chapter:  # noqa: ANN001
    from ficbook.convert.inlines import drop_prefix, strip_inlines
    from ficbook.convert.rules import header_fields

    blocks = list(ch.blocks)
    summary = list(ch.summary)
    kept: list[Block] = []
    while blocks and (isinstance(blocks[0], (Note, SceneBreak)) or (
            isinstance(blocks[0], Paragraph) and (notes.note_label(blocks[0]) is not None
                                                  or scenes.is_glyph_line(para_text(blocks[0]))))):
        kept.append(blocks.pop(0))
    while blocks and isinstance(blocks[0], Paragraph):
        p = blocks[0]
        f = header_fields.field_of(para_text(p).strip())
        if f is None or f[2] is None or f[2].startswith("note:") or f[2] == "extra":
            break
        label, value, kind = f
        rest = drop_prefix(p, len(para_text(p)) - len(value))
        text = " ".join(value.split())
        if kind == "summary":
            summary.append(dataclasses.replace(rest, inlines=strip_inlines(rest.inlines)))
            ctx.report("info", "summary", f"chapter summary set apart: {quote(text)}", p.line)
        elif kind == "title":
            break
        else:
            known = reader.story.meta
            current = reader.meta.get(kind, getattr(known, kind, None))
            current_text = ", ".join(current) if isinstance(current, tuple) else (current or "")
            if " ".join(current_text.lower().split()) != text.lower():
                reader.extra.append((label, text))
                ctx.report("info", "header-field", f"kept on the card: {quote(label + ': ' + text)}",
                           p.line)
            else:
                ctx.report("info", "header-field",
                           f"repeated header field at a chapter top: {quote(label + ': ' + text)}",
                           p.line)
        blocks.pop(0)
    return dataclasses.replace(ch, blocks=(*kept, *blocks), summary=tuple(summary))


def _epigraphs_plain(story: Story, ctx: Context) -> Story:
    from ficbook.convert.rules import epigraphs

    chapters = []
    for ch in story.chapters:
        blocks = list(ch.blocks)
        tail = len(blocks)
        while tail > 0 and isinstance(blocks[tail - 1], Note):
            tail -= 1
        blocks = [*epigraphs._at_bottom(blocks[:tail], ctx), *blocks[tail:]]
        lead = 0
        while lead < len(blocks) and isinstance(blocks[lead], Note):
            lead += 1
        blocks = [*blocks[:lead], *epigraphs._at_top(blocks[lead:], ctx)]
        chapters.append(with_blocks(ch, blocks))
    return dataclasses.replace(story, chapters=tuple(chapters))


def _map_story_plain(story: Story, fn) -> Story:  # noqa: ANN001 - fn: Paragraph -> Paragraph
    def blocks(bs: tuple[Block, ...]) -> tuple[Block, ...]:
        return tuple(block(b) for b in bs)

    def block(b: Block) -> Block:
        if isinstance(b, Paragraph):
            return fn(b)
        if isinstance(b, (Note, BlockQuote)):
            return dataclasses.replace(b, blocks=blocks(b.blocks))
        if isinstance(b, Epigraph):
            return dataclasses.replace(b, blocks=blocks(b.blocks),
                                       attribution=fn(Paragraph(b.attribution)).inlines)
        return b

    return dataclasses.replace(
        story, chapters=tuple(dataclasses.replace(c, blocks=blocks(c.blocks), summary=blocks(c.summary))
                              for c in story.chapters),
        summary=blocks(story.summary), front_notes=blocks(story.front_notes),  # type: ignore[arg-type]
        end_notes=blocks(story.end_notes))  # type: ignore[arg-type]


def _plain_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every block rule the plain way (the inline rules a walk each, no memory of
    normalised chapters); typography curls by the character loop."""
    from ficbook.convert import pipeline
    from ficbook.convert.rules import epigraphs, header, inline

    def inline_plain(story: Story, ctx: Context) -> Story:
        for name, make in (("stripped_tags", lambda c: (inline.stripped_fixer(c), None)),
                           ("emphasis", lambda c: (inline.emphasis_fixer(c), None)),
                           ("typography", lambda c: typography.fixer(c)[:2])):
            if ctx.enabled(name):
                own = Context(ctx.options, ctx.source)
                fix, finish = make(own)
                story = _map_story_plain(story, fix)
                if finish is not None:
                    finish()
                ctx.diagnostics.extend(own.diagnostics)
        return story

    swap = {scenes.normalise: _normalise_plain,
            notes.lift: _lift_plain,
            epigraphs.find: _epigraphs_plain, pipeline.inline_rules: inline_plain}
    rules = tuple((n, swap.get(r, r)) for n, r in pipeline.BLOCK_RULES)
    assert sum(a is not b for (_, a), (_, b) in zip(rules, pipeline.BLOCK_RULES)) == 8
    monkeypatch.setattr(pipeline, "BLOCK_RULES", rules)
    monkeypatch.setattr(header, "chapter_top", _chapter_top_plain)
    monkeypatch.setattr(typography, "smarten", _smarten_by_the_character)


# ------------------------------------------------------------ whole stories

_LINES = st.sampled_from([
    "Title: T", "Author: A", "Summary: S.", "Rating: K", "A/N: a note.", "(A/N: brackets)",
    "Author's Note: thanks", "Notes", "Note - plain text", "Note: this", "  a/n: indented",
    "[AN: square]", "Story Notes:", "N/A: x", "AN: y", "An apple.", "Chapter 1", "Chapter Two: X",
    "Epilogue", "* * *", "oOo", "xXx", "~~~", "<hr>", "---", "•••", "\"***\"", "h", "0", "000",
    "", "", "", "&nbsp;", "\u2060", "\"Hi,\" she said -- 'tis the '90s...", "'em' and 'em",
    "i Touch/i and *so* _very_", "b bold/b **strong**", "--Someone", "~ Name", "Please review!",
    "Thanks for reading, please review and I'll update soon :)", "Plain story text here.",
    "He said... no . . . fine.", "<i>tag</i> &amp;", "Back to top", "word\u2060joiner",
    "She said, 'no'.", "(\"quoted\")", "'90s", "rock 'n' roll", "pre- and post-war",
]) | st.text(max_size=12)
_OPTIONS = [(), (("emphasis", False),), (("typography", False), ("close_dashes", True)),
            (("stripped_tags", False), ("close_dashes", True)), (("author_notes", False),),
            (("scene_breaks", False), ("header", False)), (("trailing_notes", False),)]


_STORIES = [  # each path of the notes rule at least once, glyph lines, a header
    ["Title: T", "Author: A", "", "A/N: first.", "Thanks for reading, I will update soon :)",
     "* * *", "Story text.", "oOo", "More text.", "(AN: inline)", "Last line."],
    ["Plain story text here.", "More text.", "A/N: a note.",
     "Thanks for reading, I will update soon :)", "* * *", "Story."],
    ["Story text.", "* * *", "Author's Note:", "Please update, thanks for reading my fic",
     "Notes", "The end of the notes."],
    ["Notes", "Under the label.", "~~~", "Story text.", "A/N: runs to the end.",
     "I hope you enjoyed this fic, review please"],
    ["\"Hi,\" she said -- 'tis the '90s... . . .", "Chapter 1", "Note: x", "Story Notes:", "* * *",
     "Text.", "--Someone"],
    ["Title: T", "Rating: K", "Chapter 1", "Summary: one.", "Rating: T", "Text.", "Chapter 2",
     "A/N: hi", "* * *", "Rating: K", "Summary: two.", "Text two.", "Chapter 3", "Rating: K",
     "Text three.", "Chapter 4", "Text four."],
    ["A quotation.", "--Someone Wise", "* * *", "Story text.", "More text.", "* * *",
     "Another quotation.", "Second line.", "~ Name", "A/N: after it."],
]


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=30), st.sampled_from(["\n", "\n\n"]),
       st.sampled_from(_OPTIONS))
@example(_STORIES[0], "\n\n", ())
@example(_STORIES[1], "\n\n", ())
@example(_STORIES[2], "\n\n", ())
@example(_STORIES[3], "\n\n", ())
@example(_STORIES[4], "\n\n", ())
@example(_STORIES[4], "\n", (("close_dashes", True),))
@example(_STORIES[5], "\n\n", ())
@example(_STORIES[6], "\n\n", ())
def test_rules_same_as_the_plain_rules(lines: list[str], gap: str, rules) -> None:  # noqa: ANN001
    from tests.convert.helpers import assert_same_as_plain

    assert_same_as_plain(gap.join(lines), rules, _plain_rules)


@pytest.mark.parametrize("emptied", [
    Paragraph((Text("\u2060"),), line=2),  # one run
    Paragraph((Text("\u2060"), LineBreak(), Styled("em", (Text("\u2060 "),))), line=2),
])
def test_a_paragraph_emptied_by_typography_still_goes(emptied: Paragraph) -> None:
    from ficbook.convert import ConvertOptions
    from ficbook.convert.pipeline import run_block_rules
    from ficbook.model import StoryMeta

    # a word joiner is no white space: its paragraph stands until typography drops the
    # joiner (the text reader never gives one; other readers may), and then it must go
    story = Story(StoryMeta("T"), (Chapter(None, (Paragraph((Text("One."),), line=1), emptied,
                                                  Paragraph((Text('"Two."'),), line=3))),))
    fast, fast_log = run_block_rules(story, ConvertOptions(), "s.html")
    assert [para_text(b) for b in fast.chapters[0].blocks] == ["One.", "“Two.”"]
    with pytest.MonkeyPatch.context() as mp:
        _plain_rules(mp)
        assert (fast, fast_log) == run_block_rules(story, ConvertOptions(), "s.html")


# ------------------------------------------------------------ typography

_DOTS_AND_QUOTES = st.sampled_from(
    list("ab .,!?'\"-—…’”“‘([_\n9") + ["...", ". . .", "....", " . . . .", "a. . .", "'em", "don't",
                                        "'90s", "students'", "--", " - ", "- ", "é'"])


@settings(max_examples=600, derandomize=True, deadline=None)
@given(st.lists(_DOTS_AND_QUOTES, max_size=25).map("".join), st.sampled_from(["", " ", "a", "—", "'"]))
def test_smarten_same_as_the_character_loop(text: str, prev: str) -> None:

    assert typography.smarten(text, prev) == _smarten_by_the_character(text, prev)


# ------------------------------------------------------------ the author-talking score


def _first_letters(seq) -> set[str]:  # noqa: ANN001 - an sre parse tree
    """The characters a parsed pattern can begin with (an error for anything else)."""
    from re import _constants as C  # noqa: N812

    out: set[str] = set()
    for op, av in seq:
        if op is C.AT:  # \b
            continue
        if op is C.LITERAL:
            return out | {chr(av)}
        if op is C.IN:
            assert all(o is C.LITERAL for o, _ in av), av
            return out | {chr(a) for _, a in av}
        if op is C.SUBPATTERN:
            return out | _first_letters(av[-1])
        if op is C.BRANCH:
            return out.union(*(_first_letters(alt) for alt in av[1]))
        assert op in (C.MAX_REPEAT, C.MIN_REPEAT), op
        out |= _first_letters(av[2])
        if av[0] >= 1:
            return out
    raise AssertionError("a pattern that may match nothing")


@pytest.mark.parametrize("pattern", [notes._STRONG, notes._WEAK])
def test_score_lookahead_holds_every_first_letter(pattern: re.Pattern[str]) -> None:
    from re import _constants as C  # noqa: N812
    from re import _parser as P  # noqa: N812

    (op, (direction, ahead)), *rest = P.parse(pattern.pattern, pattern.flags)
    assert op is C.ASSERT and direction == 1
    allowed = _first_letters(ahead)
    # both under the same IGNORECASE: the letters as written must be the same
    assert _first_letters(rest) == allowed


_TALK = st.sampled_from(["review", "Reviews", "updates", "next chapter", "THIS FIC", "my beta", "beta'd",
                         "thanks for reading", "hope you enjoyed", "fics", "one-shot", "r & r", "holidays",
                         "I'll post", "to be continued", "tbc", ":)", ";-)", "xD", "<3", "lol", "please",
                         "let me know", "anything you'd like", "sorry for the wait", "belated", "ſequel",
                         "\u212abc", "İ", "ı", " ", ".", "word", "x", "P"])


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(_TALK, max_size=12).map(" ".join))
def test_score_same_as_without_the_lookahead(text: str) -> None:
    strong = re.compile(notes._STRONG.pattern.split(")", 1)[1], re.IGNORECASE)
    weak = re.compile(notes._WEAK.pattern.split(")", 1)[1], re.IGNORECASE)
    for fast, plain in ((notes._STRONG, strong), (notes._WEAK, weak)):
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("align", [None, "center", "right"])
def test_inline_rules_keep_every_field_of_a_curled_paragraph(align: str | None) -> None:
    """The one-run path of `pipeline.inline_rules` builds the curled paragraph itself:
    every field but the inlines as `dataclasses.replace` keeps them."""
    from ficbook.convert import ConvertOptions
    from ficbook.convert.pipeline import inline_rules

    p = Paragraph((Text('"Hi," she said.'),), 7, align)  # type: ignore[arg-type]
    story = Story(meta=StoryMeta(title="T"), chapters=(Chapter(None, (p,), 7),))
    got = inline_rules(story, Context(ConvertOptions(), "s.txt")).chapters[0].blocks[0]
    assert got == dataclasses.replace(p, inlines=(Text("“Hi,” she said."),))
