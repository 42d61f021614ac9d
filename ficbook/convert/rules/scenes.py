"""Scene breaks: glyph lines become one SceneBreak; breaks are never doubled and never at
the start or end of a chapter (nor between the header and the story)."""

from __future__ import annotations

import dataclasses
import re

from ficbook.convert.context import Context, quote
from ficbook.convert.firstchars import FirstChars
from ficbook.convert.inlines import is_empty, para_text, with_blocks, with_chapters
from ficbook.model import Block, Chapter, Note, Paragraph, SceneBreak, Story, Text

# Lines made only of break glyphs, any length, spaced or not: * * *, ***, ~~~, ---, ___,
# #, +++, =-=-=, •••, §, ♥♥♥, / / /, ——. Hyphens, underscores, dashes and equals signs need
# two or more so that a lone dash stays text.
_GLYPHS = re.compile(r"[*#~+•·◊♦♥❤✿★☆◆◇❦§†⁂※❖✦✧°]+|[-_=*~+#•·<>|/\\—–]{2,}")
# oOo, xXx, o0o, -oOo-, ~xXx~: letters need both cases (or a zero) so "xxx" kisses stay.
_LETTERS = re.compile(r"[-~=*_.]*(?:[oO0]{3,}|[xX]{3,})[-~=*_.]*")
# -x-x-, ~o~o~, x.x.x: letters between marks, at least two of them.
_ALTERNATING = re.compile(r"[-~=*_.•·]*(?:[xXoO0][-~=*_.•·]+){2,}[xXoO0]?")
_HR = re.compile(r"<hr\s*/?>", re.IGNORECASE)
# A letter or digit none of the patterns above allows (they allow o, x, 0, and h, r in <hr>).
_NOT_GLYPH = re.compile(r"[a-gi-npqs-wyzA-GI-NPQS-WYZ1-9]")


def is_glyph_line(text: str) -> bool:
    """The one definition of a scene-break line, for every reader (HTML and EPUB readers
    keep only `<hr>` themselves and leave glyph paragraphs to the `scene_breaks` rule)."""
    if _NOT_GLYPH.search(text):  # story text: settled at its first word
        return False
    if _HR.fullmatch(text.strip()):
        return True  # a literal <hr> left in plain text
    s = "".join(text.split())
    if not s or len(s) > 120:
        return False
    if _GLYPHS.fullmatch(s) or _ALTERNATING.fullmatch(s):
        return True
    if _LETTERS.fullmatch(s):
        core = s.strip("-~=*_.")
        return core != core.lower() and core != core.upper() or "0" in core
    return False


# First character -> can a glyph line start with it: most paragraphs are settled by one
# lookup.
_MAY_START = FirstChars(rf"\s|{_HR.pattern}|{_GLYPHS.pattern}|{_LETTERS.pattern}|{_ALTERNATING.pattern}")


def glyph_breaks(story: Story, ctx: Context) -> Story:
    """Block rule `scene_breaks`: paragraphs that are one glyph line."""
    chapters = tuple(_chapter_glyphs(ch, ctx) for ch in story.chapters)
    return with_chapters(story, chapters)


def _chapter_glyphs(ch: Chapter, ctx: Context) -> Chapter:
    blocks: list[Block] | None = None  # a copy once a glyph line is found
    for i, b in enumerate(ch.blocks):
        if not isinstance(b, Paragraph):
            continue
        inlines = b.inlines  # para_text's one-run case inlined: most paragraphs, no call
        text = inlines[0].text if len(inlines) == 1 and type(inlines[0]) is Text else para_text(b)
        if _MAY_START[text[:1]] and "\n" not in text and is_glyph_line(text):
            ctx.report("info", "scene-glyph", f"glyph line {quote(text.strip())} is a scene break", b.line)
            if blocks is None:
                blocks = list(ch.blocks)
            blocks[i] = SceneBreak(line=b.line)
    return ch if blocks is None else with_blocks(ch, blocks)


def normalise(story: Story, ctx: Context) -> Story:
    """Always on: no empty paragraphs, no doubled breaks, none at either end of a chapter
    or between set-apart notes and the edge; drop chapters left empty."""
    chapters: list[Chapter] = []
    settled = ctx.settled  # what the last pass gave back: a chapter still there is done
    for k, ch in enumerate(story.chapters):
        if k < len(settled) and settled[k] is ch:
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
            chapters.append(ch if same else dataclasses.replace(ch, blocks=tuple(out), line=line))
    if not chapters and story.chapters:
        chapters = [dataclasses.replace(story.chapters[0], blocks=())]
    ctx.settled = tuple(chapters)
    return with_chapters(story, chapters)


def _settled(blocks: tuple[Block, ...]) -> list[Block]:
    """The blocks without empty paragraphs and without a break right after a break."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Paragraph):
            # is_empty's first case, inlined: most paragraphs are one run with words
            inlines = b.inlines
            if not (len(inlines) == 1 and type(run := inlines[0]) is Text and run.text
                    and not run.text.isspace()) and is_empty(b):
                continue
        elif isinstance(b, SceneBreak) and out and isinstance(out[-1], SceneBreak):
            continue
        out.append(b)
    return out


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
