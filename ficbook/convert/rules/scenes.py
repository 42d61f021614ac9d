"""Scene breaks: glyph lines become one SceneBreak; breaks are never doubled and never at
the start or end of a chapter (nor between the header and the story)."""

from __future__ import annotations

import dataclasses
import re

from ficbook.convert.context import Context, quote
from ficbook.convert.inlines import is_empty, para_text, with_blocks
from ficbook.model import Block, Chapter, Note, Paragraph, SceneBreak, Story

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


def glyph_breaks(story: Story, ctx: Context) -> Story:
    """Block rule `scene_breaks`: paragraphs that are one glyph line."""
    chapters = []
    for ch in story.chapters:
        blocks: list[Block] = []
        for b in ch.blocks:
            text = para_text(b) if isinstance(b, Paragraph) else ""
            if text and "\n" not in text and is_glyph_line(text):
                ctx.report("info", "scene-glyph", f"glyph line {quote(text.strip())} is a scene break", b.line)
                blocks.append(SceneBreak(line=b.line))
            else:
                blocks.append(b)
        chapters.append(with_blocks(ch, blocks))
    return dataclasses.replace(story, chapters=tuple(chapters))


def normalise(story: Story, ctx: Context) -> Story:
    """Always on: no empty paragraphs, no doubled breaks, none at either end of a chapter
    or between set-apart notes and the edge; drop chapters left empty."""
    chapters: list[Chapter] = []
    done = ctx.normalised
    for ch in story.chapters:
        if id(ch) in done:  # normalised by an earlier pass and not changed since
            chapters.append(ch)
            continue
        blocks = [b for b in ch.blocks if not (isinstance(b, Paragraph) and is_empty(b))]
        out: list[Block] = []
        for b in blocks:
            if isinstance(b, SceneBreak) and out and isinstance(out[-1], SceneBreak):
                continue
            out.append(b)
        _trim(out)
        out.reverse()
        _trim(out)
        out.reverse()
        if out or ch.summary or ch.title:
            line = ch.line
            text = [b for b in out if not isinstance(b, Note)]
            if ch.title is None and text:  # an untitled chapter starts where its text does
                line = getattr(text[0], "line", None) or line
            # blocks are only ever dropped: as many as before means the chapter is as it was
            same = len(out) == len(ch.blocks) and line == ch.line
            kept = ch if same else dataclasses.replace(ch, blocks=tuple(out), line=line)
            done[id(kept)] = kept
            chapters.append(kept)
    if not chapters and story.chapters:
        chapters = [dataclasses.replace(story.chapters[0], blocks=())]
    if len(chapters) == len(story.chapters) and all(a is b for a, b in zip(chapters, story.chapters)):
        return story
    return dataclasses.replace(story, chapters=tuple(chapters))


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
