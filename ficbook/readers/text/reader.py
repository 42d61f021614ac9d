"""The plain-text reader: decode, paragraphs, chapters, then the shared block rules."""

from __future__ import annotations

import re
from operator import itemgetter
from pathlib import Path

from ficbook.convert import ConvertOptions, ConvertResult
from ficbook.convert.context import Context, quote, settle_language
from ficbook.convert.pipeline import apply_block_rules
from ficbook.convert.rules.inline import parse_text
from ficbook.errors import StoryError
from ficbook.model import Block, Chapter, Note, Paragraph, SceneBreak, Story, StoryMeta, Text
from ficbook.readers.decode import decode_text
from ficbook.readers.source import Source
from ficbook.readers.text.chapters import (
    MAY_GLUE,
    find_headings,
    glued_heading,
    heading,
    is_part,
    title_line,
)
from ficbook.readers.text.glued import unglue
from ficbook.readers.text.paragraphs import RawPara, split_paragraphs


def convert_text(source: Source, options: ConvertOptions) -> ConvertResult:
    ctx = Context(options, source.name)
    decoded = decode_text(source.data, source.name, options.encoding,
                          mojibake=options.enabled("mojibake"))
    ctx.diagnostics.extend(decoded.diagnostics)
    options = ctx.options = settle_language(options, None, decoded.text, ctx)
    paras, _ = split_paragraphs(decoded.text, ctx, plain=decoded.plain)
    paras = unglue(paras, ctx)
    if not paras:
        raise StoryError("story has no text (only archive lines)", file=source.name)
    story = Story(meta=StoryMeta(title=title_from_path(source.path), language=options.language),
                  chapters=tuple(_chapters(paras, ctx)), path=source.name)
    story = apply_block_rules(story, ctx)
    if not any(not isinstance(b, (Note, SceneBreak)) for c in story.chapters for b in c.blocks):
        raise StoryError("no story text left once the header and notes are set apart "
                         "(see `ficbook inspect`)", file=source.name)
    return ConvertResult(story, tuple(ctx.diagnostics))


def _split_headings(paras: list[RawPara], ctx: Context) -> list[RawPara]:
    """A heading with more lines under it and no blank line between: "Chapter 1" over
    "The Bronze" is one heading; over story text, the text is its own paragraph. A heading
    glued to the first sentence ("Chapter 7 – Old FriendsThe bell rang…", "Chapter Text
    The story…" unwrapped) is cut from it."""
    # Only a paragraph of several lines, or a long one, can hold one: most stories have none.
    # (glued_heading's first test inlined: one lookup settles most paragraphs, no call)
    may_glue = MAY_GLUE
    several = [i for i, t in enumerate(map(_text, paras))
               if "\n" in t or (may_glue[t[:1]] and glued_heading(t) is not None)]
    if not several:
        return paras
    out: list[RawPara] = []
    done = 0
    for i in several:
        p = paras[i]
        first, _, rest = p.text.partition("\n")
        cut = glued_heading(first)
        if cut is None and (not rest or heading(first, ctx.vocab) is None):
            continue
        out.extend(paras[done:i])
        done = i + 1
        if cut is not None:
            first, rest = first[:cut[0]], (first[cut[1]:] + "\n" + rest).rstrip("\n")
            ctx.report("info", "glued-split", f"heading {quote(first)} cut from the text glued "
                       f"to it: {quote(rest, 40)}", p.line)
            out.append(RawPara(p.line, first, p.gap, p.brk))
            out.append(RawPara(p.line, rest, 0))
            continue
        second, _, more = rest.partition("\n")
        if not more and len(second) <= 60 and second[:1].isupper() \
                and not second.rstrip().endswith((".", ",", ";", "\"", "”")):
            out.append(RawPara(p.line, f"{first.rstrip(' .:')}: {second.strip()}", p.gap, p.brk))
            continue
        out.append(RawPara(p.line, first, p.gap, p.brk))
        out.append(RawPara(p.line + 1, rest, 0))
    if not done:
        return paras
    out.extend(paras[done:])
    return out


def _chapters(paras: list[RawPara], ctx: Context) -> list[Chapter]:
    if ctx.enabled("chapters"):
        paras = _split_headings(paras, ctx)
        headings = find_headings(paras, ctx)
    else:
        headings = {}
    tags = ctx.enabled("html_tags")
    chapters: list[Chapter] = []
    title: str | None = None
    start: int | None = None
    blocks: list[Block] = []
    begin = 0  # the first paragraph not yet in `blocks`
    part: str | None = None  # the part the chapter being gathered begins
    pending: str | None = None  # a part heading right above the next chapter heading
    marker = False  # the heading just read is a part's, with no text of its own
    for i in sorted(headings):
        if begin < i:
            if start is None:
                start = paras[begin].line
            blocks += _blocks(paras[begin:i], tags)
        begin = i + 1
        if headings[i] is None and title is not None and not blocks:
            continue  # AO3's "Chapter Text" under the chapter's own heading
        if not marker and (blocks or chapters or title is not None):
            chapters.append(Chapter(title, tuple(blocks), start, part=part))
            part = None
        title, start, blocks = headings[i], paras[i].line, []
        part, pending, marker = pending if pending is not None else part, None, False
        if title is not None and is_part(title) and headings.get(begin) is not None \
                and not is_part(headings[begin]):
            # "Book One" over "Chapter 1": a part above chapters, not a chapter of its own
            ctx.report("info", "part", f"part {quote(title)} begins with the chapter under it",
                       paras[i].line)
            pending, marker = title, True
            continue
        if title is not None and begin + 1 < len(paras) and begin not in headings \
                and begin + 1 not in headings and (joined := title_line(title, paras[begin].text)):
            # "CHAPTER III." over "The Stranger at the Gate." a blank line apart
            ctx.report("info", "heading-joined", f"{quote(paras[begin].text)} is the title of "
                       f"the chapter heading above it: {quote(joined)}", paras[begin].line)
            title, begin = joined, begin + 1
    if begin < len(paras):
        if start is None:
            start = paras[begin].line
        blocks += _blocks(paras[begin:], tags)
    chapters.append(Chapter(title, tuple(blocks), start, part=part))
    # text before the first heading that is not just a header becomes its own chapter;
    # the header rule empties it when it is only labels, and tidying drops it then
    return chapters


def _blocks(paras: list[RawPara], tags: bool) -> list[Block]:
    """The paragraphs, each after a scene break if it has one."""
    if not any(map(_brk, paras)):  # most runs of paragraphs: one list in one go
        if _all_one_line_plain(paras, tags):  # parse_text's first case, for the whole run
            texts = list(map(_text, paras))
            if all(texts):  # (none empty: an empty one has no Text) C loops make them all
                return list(map(Paragraph, zip(map(Text, texts)), map(_line, paras)))
            return [Paragraph((Text(text),) if text else (), line) for line, text, _, _ in paras]
        return [Paragraph(parse_text(text, tags), line) for line, text, _, _ in paras]
    blocks: list[Block] = []
    for line, text, _, brk in paras:
        if brk:
            blocks.append(SceneBreak(line - 1))
        blocks.append(Paragraph(parse_text(text, tags), line))
    return blocks


_brk = itemgetter(3)  # RawPara.brk
_line = itemgetter(0)  # RawPara.line


def _all_one_line_plain(paras: list[RawPara], tags: bool) -> bool:
    """No text holds a line break, nor (with `tags`) a "<" or "&": parse_text gives each
    its one Text (or nothing when empty). One look at the texts joined instead of a call
    a paragraph."""
    joined = "".join(map(_text, paras))
    return "\n" not in joined and (not tags or ("<" not in joined and "&" not in joined))


_text = itemgetter(1)  # RawPara.text


def title_from_path(path: Path) -> str:
    """A fallback title from a file name: "03_the-long-road_1a2b3c4d" -> "The Long Road"."""
    stem = re.sub(r"^\d+[_-]", "", path.stem)
    stem = re.sub(r"(?:^|[_-])[0-9a-f]{8,}$", "", stem)
    return stem.replace("_", " ").replace("-", " ").strip().title() or "Untitled"
