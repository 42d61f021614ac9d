"""Small helpers over inline trees shared by the rules."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import is_

from ficbook.model import Block, Chapter, Inline, LineBreak, Paragraph, Story, Styled, Text
from ficbook.text import inline_text, one_run

ParagraphFix = Callable[[Paragraph], Paragraph]  # a rule's work on one paragraph
TextFix = Callable[[str], str]  # ... on the text of a paragraph of one run


def map_text(inlines: tuple[Inline, ...], fn: Callable[[str], tuple[Inline, ...]]) -> tuple[Inline, ...]:
    """Replace every Text node (at any depth) by what `fn` makes of its text."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            out.extend(fn(node.text))
        elif isinstance(node, Styled):
            out.append(Styled(node.kind, map_text(node.children, fn)))
        else:
            out.append(node)
    return tidy(tuple(out))


def texts(inlines: tuple[Inline, ...]) -> Iterator[str]:
    """The text of every Text node, at any depth."""
    for node in inlines:
        if isinstance(node, Text):
            yield node.text
        elif isinstance(node, Styled):
            yield from texts(node.children)


def is_tidy(inlines: tuple[Inline, ...]) -> bool:
    """Would `tidy` leave these inlines as they are? (Then a rule with nothing to change
    may keep the paragraph it was given.)"""
    prev_text = False
    for node in inlines:
        if isinstance(node, Text):
            if not node.text or prev_text:
                return False
            prev_text = True
            continue
        prev_text = False
        if isinstance(node, Styled) and not (node.children and is_tidy(node.children)):
            return False
    return True


def tidy(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Merge neighbouring Text nodes; drop empty Text and empty Styled nodes."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            if not node.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + node.text)
                continue
        elif isinstance(node, Styled):
            children = tidy(node.children)
            if not children:
                continue
            node = Styled(node.kind, children)
        out.append(node)
    return tuple(out)


def strip_inlines(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Trim white space at both ends of a paragraph (and line breaks there)."""
    items = list(tidy(inlines))
    while items and isinstance(items[0], LineBreak):
        items.pop(0)
    while items and isinstance(items[-1], LineBreak):
        items.pop()
    if items and isinstance(items[0], Text):
        items[0] = Text(items[0].text.lstrip())
    if items and isinstance(items[-1], Text):
        items[-1] = Text(items[-1].text.rstrip())
    return tidy(tuple(items))


def with_blocks(ch: Chapter, blocks: Iterable[Block]) -> Chapter:
    """`ch` with these blocks: `ch` itself when they are the very blocks it holds, so that
    `scenes.normalise` knows it is untouched (tests/convert/test_fast_paths.py)."""
    blocks = tuple(blocks)
    old = ch.blocks
    if len(blocks) == len(old) and all(map(is_, blocks, old)):
        return ch
    return dataclasses.replace(ch, blocks=blocks)


def with_chapters(story: Story, chapters: Iterable[Chapter]) -> Story:
    """dataclasses.replace(story, chapters=chapters) at a fifth of the cost (every block
    rule ends with it; tests/convert/test_speed_paths.py keeps the fields in step), and
    `story` itself when they are the very chapters it holds."""
    chapters = tuple(chapters)
    old = story.chapters
    if len(chapters) == len(old) and all(map(is_, chapters, old)):
        return story
    return Story(story.meta, chapters, story.summary, story.front_notes, story.end_notes,
                 story.path)


def with_inlines(p: Paragraph, inlines: tuple[Inline, ...]) -> Paragraph:
    """dataclasses.replace(p, inlines=inlines), at a third of the cost (for rules that
    change most paragraphs; tests/convert/test_fast_paths.py keeps the fields in step)."""
    return Paragraph(inlines, p.line, p.align)


def paragraphs_only(blocks: Sequence[Block]) -> list[Paragraph] | None:
    """The blocks when every one is a paragraph (typed so), else None."""
    paras = [b for b in blocks if isinstance(b, Paragraph)]
    return paras if len(paras) == len(blocks) else None


def para_text(p: Paragraph) -> str:
    text = one_run(p.inlines)
    return inline_text(p.inlines) if text is None else text


def is_empty(p: Paragraph) -> bool:
    for node in p.inlines:  # a run with words in it settles it without joining the text
        if type(node) is Text and node.text and not node.text.isspace():
            return False
    return not inline_text(p.inlines).strip() and not any(
        not isinstance(n, (Text, Styled, LineBreak)) for n in p.inlines)


def squeeze(text: str) -> str:
    """`text` with its white space runs made one space and none at either end."""
    # isprintable() is false for every white space character but " ": text with single
    # spaces only between words is already squeezed, and checking is cheaper than splitting
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def drop_prefix(p: Paragraph, n: int) -> Paragraph:
    """The paragraph without its first `n` characters of text (a label), trimmed."""
    out: list[Inline] = []
    remaining = n
    for node in p.inlines:
        if remaining <= 0:
            out.append(node)
            continue
        if isinstance(node, Text):
            if len(node.text) <= remaining:
                remaining -= len(node.text)
                continue
            out.append(Text(node.text[remaining:]))
            remaining = 0
        elif isinstance(node, Styled):
            size = len(inline_text(node.children))
            if size <= remaining:
                remaining -= size
                continue
            inner = drop_prefix(Paragraph(node.children), remaining)
            out.append(Styled(node.kind, inner.inlines))
            remaining = 0
        elif isinstance(node, LineBreak):
            remaining -= 1
        else:
            out.append(node)
    return with_inlines(p, strip_inlines(tuple(out)))


def drop_suffix(p: Paragraph, n: int) -> Paragraph:
    """The paragraph without its last `n` characters of text (a closing bracket)."""
    if n <= 0:
        return p
    items = list(p.inlines)
    while n > 0 and items:
        last = items[-1]
        if isinstance(last, Text):
            if len(last.text) <= n:
                n -= len(last.text)
                items.pop()
            else:
                items[-1] = Text(last.text[:-n])
                n = 0
        else:
            break
    return with_inlines(p, strip_inlines(tuple(items)))


def split_lines(p: Paragraph) -> list[tuple[Inline, ...]]:
    """A paragraph's lines (split at LineBreak)."""
    lines: list[list[Inline]] = [[]]
    for node in p.inlines:
        if isinstance(node, LineBreak):
            lines.append([])
        else:
            lines[-1].append(node)
    return [tuple(line) for line in lines]


def join_lines(lines: list[tuple[Inline, ...]]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for i, line in enumerate(lines):
        if i:
            out.append(LineBreak())
        out.extend(line)
    return strip_inlines(tuple(out))


def take_prefix(p: Paragraph, n: int) -> Paragraph:
    """The paragraph's first `n` characters of text (as `drop_prefix` counts them), trimmed."""
    out: list[Inline] = []
    remaining = n
    for node in p.inlines:
        if remaining <= 0:
            break
        if isinstance(node, Text):
            out.append(Text(node.text[:remaining]))
            remaining -= len(node.text)
        elif isinstance(node, Styled):
            size = len(inline_text(node.children))
            inner = (node.children if size <= remaining
                     else take_prefix(Paragraph(node.children), remaining).inlines)
            out.append(Styled(node.kind, inner))
            remaining -= size
        elif isinstance(node, LineBreak):
            out.append(node)
            remaining -= 1
        else:
            out.append(node)
    return with_inlines(p, strip_inlines(tuple(out)))


def split_at(p: Paragraph, start: int, end: int | None = None) -> tuple[Paragraph, Paragraph]:
    """The paragraph cut in two at a character offset of its text: what comes before `start`
    and what comes from `end` on (`end` defaults to `start`; what lies between, a
    separator, goes). The second keeps the paragraph's line."""
    return take_prefix(p, start), drop_prefix(p, start if end is None else end)
