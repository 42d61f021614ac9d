"""The block rules: what applies to a story once it is paragraphs, whichever reader made it.

The plain-text reader ends by calling `run_block_rules`, and so do the HTML and EPUB
readers, so every path sets notes apart, drops chrome and curls quotes the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import is_

from ficbook.convert import ConvertOptions
from ficbook.convert.context import Context
from ficbook.convert.inlines import ParagraphFix, TextFix, is_empty
from ficbook.convert.rules import chrome, endmatter, epigraphs, header, inline, notes, scenes, typography
from ficbook.convert.rules.inline import map_story
from ficbook.errors import Diagnostic
from ficbook.model import Paragraph, SceneBreak, Story, Text

Rule = Callable[[Story, Context], Story]

# The rules that change paragraphs one at a time, in order. They share one walk over the
# story (`inline_rules`): the same result as one pass each, as each paragraph goes through
# them in this order, and a third of the walking. Each entry: the rule's name; what makes
# from its context its fix for one paragraph, what to call once all are done (or None),
# and its fix for the text of a paragraph of one run (or None: the rule makes more than
# text of it); and its marks, the characters without which it gives back a paragraph of
# one non-empty run as it is (None: no such promise).
MakeFix = Callable[[Context], tuple[ParagraphFix, Callable[[], None] | None, TextFix | None]]
PARAGRAPH_RULES: tuple[tuple[str, MakeFix, str | None], ...] = (
    ("stripped_tags", lambda ctx: (inline.stripped_fixer(ctx), None, None), inline.STRIPPED_MARKS),
    ("emphasis", lambda ctx: (inline.emphasis_fixer(ctx), None, None), inline.EMPHASIS_MARKS),
    ("typography", typography.fixer, None),
)


def inline_rules(story: Story, ctx: Context) -> Story:
    """The enabled `PARAGRAPH_RULES` in one walk. Each reports into a context of its own,
    added in rule order after the walk: the log reads as if they ran one after another."""
    fixes: list[ParagraphFix] = []
    text_fixes: list[TextFix | None] = []
    finishes: list[Callable[[], None]] = []
    contexts: list[Context] = []
    leading_marks: list[str] = []  # of the rules with marks before any rule without
    for name, make, marks in PARAGRAPH_RULES:
        if ctx.enabled(name):
            own = Context(ctx.options, ctx.source)
            fix, finish, text_fix = make(own)
            if marks is not None and len(leading_marks) == len(fixes):
                leading_marks.append(marks)
            fixes.append(fix)
            text_fixes.append(text_fix)
            contexts.append(own)
            if finish is not None:
                finishes.append(finish)
    if not fixes:
        return story
    skippable = len(leading_marks)
    rest = text_fixes[skippable:]
    text_fix = rest[0] if len(rest) == 1 else None  # typography, most often
    before = story.chapters
    emptied: list[bool] = []  # set when a paragraph is left empty
    settled = len(ctx.settled) == len(before) and all(map(is_, ctx.settled, before))
    story = map_story(story, _fix_all(fixes, "".join(leading_marks), skippable, text_fix, emptied))
    if settled and not emptied:
        # settled chapters whose paragraphs were each replaced by one with words: the
        # next `normalise` would give each back as it is, so it need not look
        ctx.settled = story.chapters
    for finish in finishes:
        finish()
    for own in contexts:
        ctx.diagnostics.extend(own.diagnostics)
    return story


def _fix_all(fixes: list[ParagraphFix], marks: str, skippable: int,
             text_fix: TextFix | None, emptied: list[bool]) -> ParagraphFix:
    """Each fix in turn. The first `skippable` would give back a one-run paragraph with
    none of `marks` as it is (so it is still such a paragraph for the next): most
    paragraphs skip them, and when one rule is left and it has a `text_fix`, such a
    paragraph's text goes to it directly. A paragraph the fixes leave empty is noted in
    `emptied`."""
    def each(p: Paragraph) -> Paragraph:
        new = p
        for fix in fixes:
            new = fix(new)
        if new is not p and is_empty(new):
            emptied.append(True)
        return new

    if not skippable or text_fix is None:
        return each
    # An `in` (a memchr) a mark is fifteen times faster than a character class's search,
    # and three in one expression half the time of a call that loops over them: the first
    # three marks (repeated when fewer; the default rules have three) are tested inline,
    # any others by a call.
    padded = marks * 3  # (no marks: "" is in every text, so every paragraph takes `each`)
    a, b, c = padded[0:1], padded[1:2], padded[2:3]
    more = _any_of(marks[3:]) if len(marks) > 3 else None

    def fix_all(p: Paragraph) -> Paragraph:
        inlines = p.inlines
        if len(inlines) == 1 and type(run := inlines[0]) is Text:  # one_run, inlined
            text = run.text
            if text and not (a in text or b in text or c in text) and not (more and more(text)):
                new = text_fix(text)
                if new is text:
                    return p
                if not new or new.isspace():  # is_empty of the paragraph made
                    emptied.append(True)
                return Paragraph((Text(new),), p.line, p.align)
        return each(p)

    return fix_all


def _any_of(marks: str) -> Callable[[str], bool]:
    """A test: does a text hold any of `marks`?"""
    def has_mark(text: str) -> bool:
        for mark in marks:
            if mark in text:
                return True
        return False

    return has_mark


# In order. A None name is always on (the recipe's own overrides; tidying up).
BLOCK_RULES: tuple[tuple[str | None, Rule], ...] = (
    (None, scenes.normalise),  # empty paragraphs (a line of &nbsp;) first
    ("chrome", chrome.drop_paragraphs),
    ("header", header.read_header),
    ("scene_breaks", scenes.glyph_breaks),
    (None, notes.overrides),
    ("author_notes", notes.set_apart),
    (None, scenes.normalise),
    ("trailing_notes", endmatter.trailing_heuristic),
    ("header", header.read_header),  # a header under an unlabelled leading note
    (None, scenes.normalise),
    ("epigraphs", epigraphs.find),
    (None, scenes.normalise),
    (None, inline_rules),  # stripped_tags, emphasis, typography (each switchable)
    (None, scenes.normalise),
    (None, notes.lift),
)


def run_block_rules(story: Story, options: ConvertOptions,
                    source_name: str) -> tuple[Story, list[Diagnostic]]:
    """Run the block rules (each skippable by name) over an already-structured story."""
    ctx = Context(options, source_name)
    story = apply_block_rules(story, ctx)
    return story, ctx.diagnostics


def apply_block_rules(story: Story, ctx: Context) -> Story:
    for name, rule in BLOCK_RULES:
        if name is None or ctx.enabled(name):
            story = rule(story, ctx)
    for ch in story.chapters:
        for b in ch.blocks:
            if isinstance(b, SceneBreak):
                ctx.report("info", "scene-break", "scene break", b.line)
    return story
