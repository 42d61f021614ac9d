"""The block rules: what applies to a story once it is paragraphs, whichever reader made it.

The plain-text reader ends by calling `run_block_rules`, and so do the HTML and EPUB
readers, so every path sets notes apart, drops chrome and curls quotes the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from ficbook.convert import ConvertOptions
from ficbook.convert.context import Context
from ficbook.convert.rules import chrome, epigraphs, header, inline, notes, scenes, typography
from ficbook.convert.rules.inline import map_story
from ficbook.errors import Diagnostic
from ficbook.model import Paragraph, SceneBreak, Story

Rule = Callable[[Story, Context], Story]
ParagraphFix = Callable[[Paragraph], Paragraph]

# The rules that change paragraphs one at a time, in order. They share one walk over the
# story (`inline_rules`): the same result as one pass each, as each paragraph goes through
# them in this order, and a third of the walking.
PARAGRAPH_RULES: tuple[tuple[str, Callable[[Context], tuple[ParagraphFix, Callable[[], None] | None]]], ...] = (
    ("stripped_tags", lambda ctx: (inline.stripped_fixer(ctx), None)),
    ("emphasis", lambda ctx: (inline.emphasis_fixer(ctx), None)),
    ("typography", typography.fixer),
)


def inline_rules(story: Story, ctx: Context) -> Story:
    """The enabled `PARAGRAPH_RULES` in one walk. Each reports into a context of its own,
    added in rule order after the walk: the log reads as if they ran one after another."""
    fixes: list[ParagraphFix] = []
    finishes: list[Callable[[], None]] = []
    contexts: list[Context] = []
    for name, make in PARAGRAPH_RULES:
        if ctx.enabled(name):
            own = Context(ctx.options, ctx.source)
            fix, finish = make(own)
            fixes.append(fix)
            contexts.append(own)
            if finish is not None:
                finishes.append(finish)
    if not fixes:
        return story
    if len(fixes) == 1:
        story = map_story(story, fixes[0])
    else:
        def fix_all(p: Paragraph) -> Paragraph:
            for fix in fixes:
                p = fix(p)
            return p

        story = map_story(story, fix_all)
    for finish in finishes:
        finish()
    for own in contexts:
        ctx.diagnostics.extend(own.diagnostics)
    return story


# In order. A None name is always on (the recipe's own overrides; tidying up).
BLOCK_RULES: tuple[tuple[str | None, Rule], ...] = (
    (None, scenes.normalise),  # empty paragraphs (a line of &nbsp;) first
    ("chrome", chrome.drop_paragraphs),
    ("header", header.read_header),
    ("scene_breaks", scenes.glyph_breaks),
    (None, notes.overrides),
    ("author_notes", notes.set_apart),
    (None, scenes.normalise),
    ("trailing_notes", notes.trailing_heuristic),
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
