"""The block rules: what applies to a story once it is paragraphs, whichever reader made it.

The plain-text reader ends by calling `run_block_rules`, and so do the HTML and EPUB
readers, so every path sets notes apart, drops chrome and curls quotes the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from ficbook.convert import ConvertOptions
from ficbook.convert.context import Context
from ficbook.convert.rules import chrome, epigraphs, header, inline, notes, scenes, typography
from ficbook.errors import Diagnostic
from ficbook.model import SceneBreak, Story

Rule = Callable[[Story, Context], Story]

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
    ("stripped_tags", inline.repair_stripped),
    ("emphasis", inline.emphasis),
    ("typography", typography.apply),
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
