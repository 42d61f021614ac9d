"""Inline markup: literal HTML tags and entities in plain text, tags archives stripped to
letters (`i Touch/i`), and `*word*` / `_word_` emphasis. Everything else stays text (the
renderer escapes `<3`, `a<b`, `&`)."""

from __future__ import annotations

import dataclasses
import html
import re
from operator import is_

from ficbook.convert.context import Context, quote
from ficbook.convert.inlines import ParagraphFix, is_tidy, map_text, texts, tidy
from ficbook.model import (
    Block,
    BlockQuote,
    Chapter,
    Epigraph,
    Inline,
    LineBreak,
    Note,
    Paragraph,
    Story,
    Styled,
    StyleKind,
    Text,
)
from ficbook.text import one_run

_TAG_KIND: dict[str, StyleKind] = {"i": "em", "em": "em", "cite": "em", "b": "strong", "strong": "strong",
             "u": "u", "s": "s", "strike": "s", "del": "s", "sub": "sub", "sup": "sup"}
_TAG = re.compile(r"<(/?)(i|em|b|strong|u|s|strike|del|sub|sup|cite)\s*>|<br\s*/?>", re.IGNORECASE)
# Layout tags a copied page leaves in plain text: they carry no words, so they go.
_LAYOUT_TAG = re.compile(r"</?(?:center|p|div|span|font|blockquote)(?:\s[^<>]{0,200})?>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def parse_text(text: str, tags: bool = True) -> tuple[Inline, ...]:
    """Plain text (with "\\n" for line breaks) to inlines, honouring literal tags."""
    if not tags or ("<" not in text and "&" not in text):  # no tag, no entity: plain lines
        if "\n" not in text:  # one line (most paragraphs): _lines, inlined
            return (Text(text),) if text else ()
        return _lines(text)
    text = _LAYOUT_TAG.sub("", text)
    root: list[Inline] = []
    stack: list[tuple[StyleKind, list[Inline]]] = []
    pos = 0

    def emit(nodes: tuple[Inline, ...]) -> None:
        (stack[-1][1] if stack else root).extend(nodes)

    for m in _TAG.finditer(text):
        emit(_lines(_entities(text[pos:m.start()])))
        pos = m.end()
        if m.group(2) is None:  # <br>
            emit((LineBreak(),))
            continue
        kind = _TAG_KIND[m.group(2).lower()]
        if not m.group(1):
            stack.append((kind, []))
        elif any(k == kind for k, _ in stack):
            while stack:
                k, children = stack.pop()
                emit(_styled(k, children, stack))
                if k == kind:
                    break
        else:
            emit((Text(m.group(0)),))  # a stray closing tag stays as written
    emit(_lines(_entities(text[pos:])))
    while stack:  # unclosed: style to the end of the paragraph
        k, children = stack.pop()
        emit(_styled(k, children, stack))
    return tidy(tuple(root))


def _styled(kind: StyleKind, children: list[Inline],
            outer: list[tuple[StyleKind, list[Inline]]]) -> tuple[Inline, ...]:
    """A style inside the same style adds nothing (`<i><i>x</i></i>` is `<i>x</i>`): its
    children go up as they are, so 3,000 nested tags never make 3,000 nested nodes."""
    if any(k == kind for k, _ in outer):
        return tuple(children)
    return (Styled(kind, tuple(children)),)


def _entities(text: str) -> str:
    return _ENTITY.sub(lambda m: _safe(html.unescape(m.group(0))), text)


def _safe(ch: str) -> str:
    from ficbook.text import strip_forbidden

    return strip_forbidden(ch)


def _lines(text: str) -> tuple[Inline, ...]:
    if "\n" not in text:  # one line: most paragraphs
        return (Text(text),) if text else ()
    out: list[Inline] = []
    for i, part in enumerate(text.split("\n")):
        if i:
            out.append(LineBreak())
        if part:
            out.append(Text(part))
    return tuple(out)


# ------------------------------------------------------------ block rules


def map_story(story: Story, fn: ParagraphFix) -> Story:
    """Apply `fn` to every paragraph: story text, notes, summaries, epigraphs.

    When `fn` gives back the paragraph it was given, the blocks around it are kept as they
    are: most paragraphs have nothing for a rule to do, and rebuilding costs."""

    def blocks(bs: tuple[Block, ...]) -> tuple[Block, ...]:
        # `type(b) is Paragraph` only skips a call: `block` sends any other paragraph to fn
        out = [fn(b) if type(b) is Paragraph else block(b) for b in bs]
        return bs if all(map(is_, out, bs)) else tuple(out)

    def block(b: Block) -> Block:
        if isinstance(b, Paragraph):
            return fn(b)
        if isinstance(b, (Note, BlockQuote)):
            inner = blocks(b.blocks)
            return b if inner is b.blocks else dataclasses.replace(b, blocks=inner)
        if isinstance(b, Epigraph):
            inner = paragraphs(b.blocks)
            attribution = fn(Paragraph(b.attribution)).inlines
            if inner is b.blocks and attribution is b.attribution:
                return b
            return dataclasses.replace(b, blocks=inner, attribution=attribution)
        return b

    def paragraphs(ps: tuple[Paragraph, ...]) -> tuple[Paragraph, ...]:
        out = tuple(map(fn, ps))
        return ps if all(map(is_, out, ps)) else out

    def notes(ns: tuple[Note, ...]) -> tuple[Note, ...]:
        out = [n if (inner := blocks(n.blocks)) is n.blocks else dataclasses.replace(n, blocks=inner)
               for n in ns]
        return ns if all(map(is_, out, ns)) else tuple(out)

    def chapter(c: Chapter) -> Chapter:
        body, summary = blocks(c.blocks), blocks(c.summary)
        if body is c.blocks and summary is c.summary:
            return c
        return dataclasses.replace(c, blocks=body, summary=summary)

    chapters = tuple(chapter(c) for c in story.chapters)
    summary = blocks(story.summary)
    front_notes = notes(story.front_notes)
    end_notes = notes(story.end_notes)
    if (all(a is b for a, b in zip(chapters, story.chapters)) and summary is story.summary
            and front_notes is story.front_notes and end_notes is story.end_notes):
        return story
    return dataclasses.replace(story, chapters=chapters, summary=summary,
                               front_notes=front_notes, end_notes=end_notes)


def _nothing_to_do(p: Paragraph, marks: str) -> bool:
    """No text of `p` holds any of `marks`, and its inlines are tidy: the rule's rebuild
    would give back an equal paragraph, so it keeps this one."""
    text = one_run(p.inlines)
    if text is not None:  # most paragraphs
        return bool(text) and not any(m in text for m in marks)
    return is_tidy(p.inlines) and not any(m in t for t in texts(p.inlines) for m in marks)


# `i Touch/i`: the letters of a tag left when an archive stripped the angle brackets.
_STRIPPED = re.compile(
    r"(?<![\w/'’<])(?P<tag>i|b|u|em|strong) (?P<body>(?=[^\s/])[^\n/]{1,300}?(?<=\S))/(?P=tag)(?![\w/])")
# The end every _STRIPPED match holds: searched from its "/" (a literal), where _STRIPPED,
# which starts with a letter, is tried at every "i", "b", "u", "e" and "s".
_STRIPPED_END = re.compile(r"/(?:i|b|u|em|strong)(?![\w/])")
_STRIPPED_KIND: dict[str, StyleKind] = {"i": "em", "em": "em", "b": "strong", "strong": "strong", "u": "u"}


# The characters without which the rule keeps a paragraph of one run (`_nothing_to_do`).
STRIPPED_MARKS = "/"  # a stripped tag ends in "/i"


def stripped_fixer(ctx: Context) -> ParagraphFix:
    """The `stripped_tags` rule for one paragraph (the inline rules share one walk)."""

    def fix(p: Paragraph) -> Paragraph:
        if _nothing_to_do(p, STRIPPED_MARKS):
            return p
        text = one_run(p.inlines)
        if text and _STRIPPED_END.search(text) is None:
            return p  # "and/or", "Buffy/Angel": a "/" but no tag's end, the rebuild's result

        def split(text: str) -> tuple[Inline, ...]:
            out: list[Inline] = []
            pos = 0
            for m in _STRIPPED.finditer(text):
                out.append(Text(text[pos:m.start()]))
                out.append(Styled(_STRIPPED_KIND[m.group("tag")], (Text(m.group("body")),)))
                ctx.report("info", "stripped-tag",
                           f"repaired stripped tag {m.group('tag')} … /{m.group('tag')}: "
                           f"{quote(m.group(0))}", p.line)
                pos = m.end()
            out.append(Text(text[pos:]))
            return tuple(out)

        return dataclasses.replace(p, inlines=map_text(p.inlines, split))

    return fix


# *word*, _word_, **word**: markers must hug the words; a lone * or 5 * 3 stays text.
_EMPH = re.compile(
    r"(?<![\w*])(?P<m>\*\*|\*|_)(?=[^\s*_])(?P<body>[^\n*_]{1,400}?)(?<=[^\s*_])(?P=m)(?![\w*])")


EMPHASIS_MARKS = "*_"  # no marker, no emphasis


def emphasis_fixer(ctx: Context) -> ParagraphFix:
    """The `emphasis` rule for one paragraph."""

    def fix(p: Paragraph) -> Paragraph:
        if _nothing_to_do(p, EMPHASIS_MARKS):
            return p

        def split(text: str) -> tuple[Inline, ...]:
            out: list[Inline] = []
            pos = 0
            for m in _EMPH.finditer(text):
                body = m.group("body")
                out.append(Text(text[pos:m.start()]))
                kind: StyleKind = "strong" if m.group("m") == "**" else "em"
                out.append(Styled(kind, (Text(body),)))
                ctx.report("info", "emphasis", f"emphasis {quote(m.group(0))}", p.line)
                pos = m.end()
            out.append(Text(text[pos:]))
            return tuple(out)

        return dataclasses.replace(p, inlines=map_text(p.inlines, split))

    return fix
