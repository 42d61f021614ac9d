"""Scene breaks: glyph lines become one SceneBreak; breaks are never doubled and never at
the start or end of a chapter (nor between the header and the story)."""

from __future__ import annotations

import dataclasses
import re
from itertools import compress
from operator import is_, is_not

from ficbook.convert.context import Context, quote
from ficbook.convert.inlines import is_empty, para_text, with_blocks
from ficbook.model import Block, Chapter, Note, Paragraph, SceneBreak, Story, Text

# Lines made only of break glyphs, any length, spaced or not: * * *, ***, ~~~, ---, ___,
# #, +++, =-=-=, •••, §. Hyphens, underscores and equals signs need two or more so that a
# lone dash stays text.
_GLYPHS = re.compile(r"[*#~+•·◊♦§†⁂※❖✦✧°]+|[-_=*~+#•·<>|]{2,}")
# oOo, xXx, o0o, -oOo-, ~xXx~: letters need both cases (or a zero) so "xxx" kisses stay.
_LETTERS = re.compile(r"[-~=*_.]*(?:[oO0]{3,}|[xX]{3,})[-~=*_.]*")


_HR = re.compile(r"<hr\s*/?>", re.IGNORECASE)
# A letter or digit none of the patterns above allows (they allow o, x, 0, and h, r in <hr>).
_NOT_GLYPH = re.compile(r"[a-gi-npqs-wyzA-GI-NPQS-WYZ1-9]")


def is_glyph_line(text: str) -> bool:
    if _NOT_GLYPH.search(text):  # story text: settled at its first word
        return False
    if _HR.fullmatch(text.strip()):
        return True  # a literal <hr> left in plain text
    s = "".join(text.split())
    if not s or len(s) > 120:
        return False
    if _GLYPHS.fullmatch(s):
        return True
    if _LETTERS.fullmatch(s):
        core = s.strip("-~=*_.")
        return core != core.lower() and core != core.upper() or "0" in core
    return False


# First characters that settle a paragraph as no glyph line: those _NOT_GLYPH finds; h and
# r, which only <hr> allows, after its <; and quotes, which no pattern allows
# (tests/convert/test_rules_fast.py).
_NEVER_FIRST = frozenset("abcdefghijklmnpqrstuvwyzABCDEFGHIJKLMNPQRSTUVWYZ123456789\"“”‘’'")


def glyph_breaks(story: Story, ctx: Context) -> Story:
    """Block rule `scene_breaks`: paragraphs that are one glyph line."""
    chapters = tuple(_chapter_glyphs(ch, ctx) for ch in story.chapters)
    if all(map(is_, chapters, story.chapters)):
        return story
    return dataclasses.replace(story, chapters=chapters)


def _chapter_glyphs(ch: Chapter, ctx: Context) -> Chapter:
    blocks: list[Block] | None = None  # a copy once a glyph line is found
    for i in _candidates(ch.blocks):
        b = ch.blocks[i]
        text = para_text(b)
        if text and "\n" not in text and is_glyph_line(text):
            ctx.report("info", "scene-glyph", f"glyph line {quote(text.strip())} is a scene break", b.line)
            if blocks is None:
                blocks = list(ch.blocks)
            blocks[i] = SceneBreak(line=b.line)
    return ch if blocks is None else with_blocks(ch, blocks)


def _candidates(blocks: tuple[Block, ...]) -> list[int]:
    """The indices of the paragraphs that may be a glyph line: not those of one run whose
    first character settles it."""
    out: list[int] = []
    for i, b in enumerate(blocks):
        if isinstance(b, Paragraph):
            inlines = b.inlines
            one_run = len(inlines) == 1 and type(inlines[0]) is Text
            if not (one_run and inlines[0].text[:1] in _NEVER_FIRST):
                out.append(i)
    return out


def normalise(story: Story, ctx: Context) -> Story:
    """Always on: no empty paragraphs, no doubled breaks, none at either end of a chapter
    or between set-apart notes and the edge; drop chapters left empty."""
    chapters: list[Chapter] = []
    done = ctx.normalised
    for ch in story.chapters:
        if id(ch) in done:  # normalised by an earlier pass and not changed since
            chapters.append(ch)
            continue
        out = _settled(ch.blocks)
        _trim(out)
        out.reverse()
        _trim(out)
        out.reverse()
        if out or ch.summary or ch.title:
            line = ch.line
            if ch.title is None:  # an untitled chapter starts where its text does
                first = next((b for b in out if not isinstance(b, Note)), None)
                if first is not None:
                    line = getattr(first, "line", None) or line
            # blocks are only ever dropped: as many as before means the chapter is as it was
            same = len(out) == len(ch.blocks) and line == ch.line
            kept = ch if same else dataclasses.replace(ch, blocks=tuple(out), line=line)
            done[id(kept)] = kept
            chapters.append(kept)
    if not chapters and story.chapters:
        chapters = [dataclasses.replace(story.chapters[0], blocks=())]
    if len(chapters) == len(story.chapters) and all(map(is_, chapters, story.chapters)):
        return story
    return dataclasses.replace(story, chapters=tuple(chapters))


def still_normalised(old: Story, new: Story, ctx: Context, emptied: bool = True) -> None:
    """`new` is `old` with paragraphs' inlines changed and nothing else: every block is
    either the same object or one of the same kind and line (as `inline.map_story`
    gives them). Normalising looks only at the kind of each block, at the line of the
    first, and whether a paragraph is empty; so a chapter of `old` that normalise gave
    back stays normalised unless a changed paragraph is now empty (which needs looking
    at only if the rules say they may have `emptied` one). Remembered, so that the next
    pass skips it."""
    done = ctx.normalised
    for a, b in zip(old.chapters, new.chapters):
        if b is not a and id(a) in done:
            if emptied:
                changed = compress(b.blocks, map(is_not, b.blocks, a.blocks))
                if any(isinstance(x, Paragraph) and _is_empty(x) for x in changed):
                    continue
            done[id(b)] = b


def _settled(blocks: tuple[Block, ...]) -> list[Block]:
    """The blocks without empty paragraphs and without a break right after a break."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Paragraph):
            if _is_empty(b):
                continue
        elif isinstance(b, SceneBreak) and out and isinstance(out[-1], SceneBreak):
            continue
        out.append(b)
    return out


def _is_empty(p: Paragraph) -> bool:
    # most paragraphs begin with a run of words: not empty (is_empty's first test)
    first = p.inlines[0] if p.inlines else None
    return not (type(first) is Text and first.text and not first.text.isspace()) and is_empty(p)


def _trim(blocks: list[Block]) -> None:
    """Drop breaks before the first story block (set-apart notes may stand before it)."""
    idx = 0
    while idx < len(blocks):
        b = blocks[idx]
        if isinstance(b, SceneBreak):
            del blocks[idx]
        elif isinstance(b, Note):
            idx += 1
        else:
            return
